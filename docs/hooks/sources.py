"""Files the site shows that live elsewhere in the repository, added at each build so that none
is copied by hand: openapi/decisions.md and openapi/coverage.md (the kit's tests check them where
they are), the contract's YAML files they link to, and each profile's Redoc page, which
`python -m conformance.report.docs` builds into docs/build/ (left out of the site's sources);
and the shim that lets search run from a folder (file://), which Material would load from a CDN."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
# At the same path as in the repository, so that their links to each other hold.
OPENAPI = (
    "openapi/decisions.md",
    "openapi/coverage.md",
    "openapi/requirements.yaml",
    "openapi/devices.yaml",
    "openapi/devices-8.5.2.yaml",
    "openapi/devices-8.5.2.overlay.yaml",
)
# Each profile's page: where the site shows it, and where it is built.
CONTRACT_PAGES = {
    "contract/devices.html": "docs/build/devices.html",
    "contract/devices-8.5.2.html": "docs/build/devices-8.5.2.html",
}

# From node_modules (package.json pins it), where mkdocs.yml's `extra.polyfills` names it.
SHIM = ("assets/javascripts/iframe-worker-shim.js", "node_modules/iframe-worker/shim/index.js")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name in OPENAPI:
        files.append(borrowed(config, name, ROOT / name))
    for site_path, built in CONTRACT_PAGES.items():
        if not (ROOT / built).exists():
            raise PluginError(
                f"{built} is missing: run `npm ci && python -m conformance.report.docs` first"
                " (`make docs` does)"
            )
        files.append(borrowed(config, site_path, ROOT / built))
    site_path, installed = SHIM
    if not (ROOT / installed).exists():
        raise PluginError(f"{installed} is missing: run `npm ci` first (`make docs` does)")
    files.append(borrowed(config, site_path, ROOT / installed))
    return files


def borrowed(config: MkDocsConfig, site_path: str, path: Path) -> File:
    return File.generated(config, site_path, abs_src_path=str(path))
