"""Where the kit's documentation site is (`--docs-url`), and the link to a requirement's entry
in its catalogue, which every report gives beside the requirement's ID.

Without the option, the site is the one a checkout builds beside the package (`make docs` writes
site/), written relative to the report directory: the link holds when the reports and the site
stay in the checkout, or are copied together. An installed kit carries no site, so its reports
link to none unless told where it is published."""

from __future__ import annotations

import os
from pathlib import Path

# The page that holds every requirement, each at the anchor of its ID
# (tests/contract/catalogue_page.py makes it).
REQUIREMENT_PAGE = "reference/requirements.html"
CHECKOUT = Path(__file__).resolve().parents[2]
CHECKOUT_SITE = CHECKOUT / "site"
# What tells a checkout from an installed package: the site's configuration beside it.
SITE_CONFIG = CHECKOUT / "mkdocs.yml"


def docs_url(given: str | None, report_dir: Path) -> str | None:
    """The site's address as the reports write it: a URL as given (`https://...`, `file://...`);
    a folder relative to the report directory; None for no links (`--docs-url ""`, or no option
    outside a checkout)."""
    if given is None:
        return relative(CHECKOUT_SITE, report_dir) if SITE_CONFIG.exists() else None
    if not given:
        return None
    if "://" in given:
        return given.rstrip("/")
    return relative(Path(given), report_dir)


def relative(folder: Path, report_dir: Path) -> str:
    try:
        return Path(os.path.relpath(folder.resolve(), report_dir.resolve())).as_posix()
    except ValueError:  # another drive than the reports': no relative path reaches it
        return folder.resolve().as_uri()


def requirement_link(site: str | None, req_id: str) -> str | None:
    """The requirement's entry in the site's catalogue, or None without a site."""
    return f"{site}/{REQUIREMENT_PAGE}#{req_id}" if site else None
