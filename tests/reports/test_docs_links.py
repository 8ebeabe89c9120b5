"""--docs-url: where the documentation site is, as each report links a requirement to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.report import docs_site, html
from conformance.report.results import linked_id


def test_a_url_is_kept_as_given() -> None:
    given = "https://docs.example.com/devices-kit/"
    assert docs_site.docs_url(given, Path("reports")) == "https://docs.example.com/devices-kit"


def test_a_folder_is_written_relative_to_the_reports(tmp_path: Path) -> None:
    reports = tmp_path / "out" / "reports"
    assert docs_site.docs_url(str(tmp_path / "site"), reports) == "../../site"


def test_an_empty_value_links_nowhere() -> None:
    assert docs_site.docs_url("", Path("reports")) is None
    assert docs_site.requirement_link(None, "DEV-HTTP-005") is None


def test_by_default_a_checkout_links_to_its_built_site(tmp_path: Path) -> None:
    site = docs_site.docs_url(None, tmp_path)
    assert site is not None
    assert (tmp_path / site).resolve() == docs_site.CHECKOUT_SITE


def test_an_installed_kit_links_nowhere_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docs_site, "SITE_CONFIG", tmp_path / "absent" / "mkdocs.yml")
    assert docs_site.docs_url(None, tmp_path) is None


def test_a_requirement_links_to_its_anchor_on_the_catalogue_page() -> None:
    link = docs_site.requirement_link("../site", "DEV-HTTP-005")
    assert link == "../site/reference/requirements.html#DEV-HTTP-005"
    assert linked_id("DEV-HTTP-005", "../site") == f"[DEV-HTTP-005]({link})"
    assert linked_id("DEV-HTTP-005", None) == "DEV-HTTP-005"


def test_the_html_report_links_only_a_requirement_that_has_a_page() -> None:
    row = {"id": "DEV-HTTP-005", "level": "MUST", "status": "pass", "text": "t"}
    assert 'class="docs"' not in html.coverage_row(row)
    linked = html.coverage_row({**row, "docs": "../site/reference/requirements.html#DEV-HTTP-005"})
    assert '<a class="docs" href="../site/reference/requirements.html#DEV-HTTP-005">' in linked
