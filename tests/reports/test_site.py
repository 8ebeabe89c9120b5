"""The documentation site as a reader meets it: opened from its folder (file://) in headless
Chromium, driven by Playwright so that console errors and every request a page makes are seen.
The start page, a requirement by its anchor and a contract page render, with no console error
and no request leaving the machine; no page of the site loads anything from a network.

Needs the site built (`make docs`, which `.ci/run` runs before the kit's tests), `chromium`
(Debian: `apt-get install -y chromium`) and the `playwright` package of the dev extra, which
drives that Chromium (no browser of its own is downloaded); skips with the reason otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conformance.contract.contract import (
    every_requirement,
    operations,
    select_profile,
    selected_profile,
)
from conformance.report.docs import EXTERNAL
from conformance.report.docs_site import CHECKOUT_SITE, REQUIREMENT_PAGE
from tests.reports.test_browser import CHROMIUM, needs_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

SITE = CHECKOUT_SITE
needs_site = pytest.mark.skipif(
    not (SITE / "index.html").exists(), reason=f"no site at {SITE}: run `make docs`"
)
# What a page opened from a folder may ask for without leaving the machine.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# A console error that says nothing of the site: Chromium's own, when a page has no favicon.
NOT_THE_SITES = re.compile(r"favicon\.ico")


def site_pages() -> list[Path]:
    return sorted(SITE.rglob("*.html"))


@needs_site
def test_no_page_of_the_site_loads_anything_from_a_network() -> None:
    loading = [
        f"{page.relative_to(SITE)}: {found.group(0)}"
        for page in site_pages()
        for found in EXTERNAL.finditer(page.read_text(encoding="utf-8"))
    ]
    assert len(site_pages()) > 20, "the site lost its pages"
    assert not loading, "\n".join(loading)


def test_the_check_sees_a_page_loading_from_a_network() -> None:
    page = '<script src="https://unpkg.com/iframe-worker/shim"></script>'
    assert EXTERNAL.search(page)


# ---------------------------------------------------------------------------- in Chromium


@dataclass
class Visit:
    """One page as Chromium showed it: what it logged as errors, what it asked of a network."""

    page: Page
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def clean(self) -> None:
        errors = [text for text in self.errors if not NOT_THE_SITES.search(text)]
        assert not errors, f"console errors on {self.page.url}: {errors}"
        assert not self.outside, (
            f"requests leaving the machine from {self.page.url}: {self.outside}"
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def visit(browser: Browser, relative: str, anchor: str = "") -> Visit:
    """Open a page of the site from its folder, every request outside it recorded and refused."""
    page = browser.new_page()
    seen = Visit(page)
    page.on("console", lambda message: note_error(seen, message.type, message.text))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("request", lambda request: note_request(seen, request))
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    page.goto((SITE / relative).as_uri() + anchor, wait_until="load")
    return seen


def note_error(seen: Visit, kind: str, text: str) -> None:
    if kind == "error":
        seen.errors.append(text)


def note_request(seen: Visit, request: Request) -> None:
    if not request.url.startswith(LOCAL_SCHEMES):
        seen.outside.append(request.url)


@needs_site
@needs_chromium
def test_the_start_page_renders_and_its_search_works_offline(browser: Browser) -> None:
    seen = visit(browser, "index.html")
    page = seen.page
    assert page.locator("h1").first.inner_text().startswith("Devices API conformance kit")
    sections = page.locator("nav.md-nav--primary").inner_text()
    for section in ("Getting started", "How-to guides", "Reference", "Explanation"):
        assert section in sections
    # Search runs in a web worker, which a page from a folder gets only through the shim.
    page.locator("input.md-search__input").fill("DEV-HTTP-005")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    seen.clean()


@needs_site
@needs_chromium
def test_a_requirement_opens_at_its_anchor(browser: Browser) -> None:
    seen = visit(browser, REQUIREMENT_PAGE, "#DEV-HTTP-005")
    page = seen.page
    target = page.locator(":target")
    assert target.get_attribute("id") == "DEV-HTTP-005"
    assert target.evaluate("element => element.tagName") == "H3"
    entry = page.locator("#DEV-HTTP-005 ~ ul").first.inner_text()
    for part in ("Rests on", "Source", "Cases", "Broken servers that prove it", "Variants"):
        assert part in entry
    anchors = page.eval_on_selector_all("h3[id^='DEV-']", "headings => headings.map(h => h.id)")
    assert anchors == list(every_requirement())
    seen.clean()


@pytest.fixture
def profile_852() -> Iterator[None]:
    before = selected_profile()
    select_profile("8.5.2")
    yield
    select_profile(before)


def rendered_operations(page: Page) -> set[str]:
    found = page.eval_on_selector_all("[id^='operation/']", "nodes => nodes.map(n => n.id)")
    return {name.removeprefix("operation/") for name in found}


@needs_site
@needs_chromium
def test_the_contract_page_of_each_profile_renders_every_operation(
    browser: Browser, request: pytest.FixtureRequest
) -> None:
    seen = visit(browser, "contract/devices.html")
    assert rendered_operations(seen.page) == set(operations())
    seen.clean()
    request.getfixturevalue("profile_852")
    seen = visit(browser, "contract/devices-8.5.2.html")
    assert rendered_operations(seen.page) == set(operations())
    seen.clean()
