"""The contract's HTML page: Redoc's script put inline, and served at /api/v2/docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.test import Client

from conformance.reference import ReferenceApp
from conformance.reference import app as app_module
from conformance.report import docs

CDN = '<script src="https://cdn.redocly.com/redoc/v2.5.3/bundles/redoc.standalone.js"></script>'


@pytest.fixture
def bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docs, "redoc_bundle", lambda version: f"var v='{version}';'</script>';")


@pytest.mark.usefixtures("bundle")
def test_the_cdn_script_becomes_inline() -> None:
    page = docs.inline_bundle(f"<html><head>{CDN}</head><body>x</body></html>")
    assert "cdn.redocly.com" not in page
    assert "<script>var v='2.5.3';'<\\/script>';</script>" in page


@pytest.mark.usefixtures("bundle")
def test_a_page_without_the_cdn_script_is_refused() -> None:
    with pytest.raises(docs.DocsError, match="no longer loads Redoc"):
        docs.inline_bundle("<html><script src='elsewhere.js'></script></html>")


@pytest.mark.usefixtures("bundle")
def test_a_page_still_loading_from_elsewhere_is_refused() -> None:
    font = '<link href="https://fonts.googleapis.com/css" rel="stylesheet">'
    with pytest.raises(docs.DocsError, match="still loads"):
        docs.inline_bundle(f"<html><head>{CDN}{font}</head></html>")


def test_the_reference_server_serves_the_built_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = tmp_path / "devices.html"
    built.write_text("<html>docs</html>", encoding="utf-8")
    monkeypatch.setitem(app_module.DOCS_FILES, "8.5.0", built)
    response = Client(ReferenceApp()).get("/api/v2/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.get_data(as_text=True) == "<html>docs</html>"


def test_without_a_built_page_the_answer_is_a_404_envelope(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app_module.DOCS_FILES, "8.5.0", tmp_path / "absent.html")
    response = Client(ReferenceApp()).get("/api/v2/docs")
    assert response.status_code == 404
    assert json.loads(response.get_data())["statusCode"] == 6


def test_the_page_renders_once_and_shows_no_logo_from_a_cdn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(docs, "redoc_bundle", lambda version: f'img({{src:"{docs.REDOCLY_LOGO}"}})')
    page = docs.inline_bundle(f"<html><head>{CDN}</head><body><script>{docs.HYDRATE}</script>")
    assert docs.REDOCLY_LOGO not in page
    assert docs.EMPTY_IMAGE in page
    assert docs.HYDRATE not in page
    assert docs.RENDER in page
