"""Each profile of the contract as one self-contained HTML page, built with Redocly:

    npm ci && python -m conformance.report.docs [--api-version 8.5.2 [-o PAGE]]

`redocly build-docs` prerenders every operation into the page but loads Redoc's script from a
CDN; the page is read offline (CI artifacts, the reference server's `GET /api/v2/docs`), so the
same Redoc version's bundle from node_modules is put inline instead."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from conformance.contract.contract import PROFILES, ROOT, SPEC_PATH, spec_path

DOCS_FILE = ROOT / "docs" / "build" / "devices.html"
# One page per profile, where the reference server of that profile serves it from.
DOCS_FILES = {"8.5.0": DOCS_FILE, "8.5.2": ROOT / "docs" / "build" / "devices-8.5.2.html"}
NODE_MODULES = ROOT / "node_modules"
REDOCLY = NODE_MODULES / ".bin" / "redocly"
CDN_SCRIPT = re.compile(
    r'<script src="https://cdn\.redocly\.com/redoc/v(?P<version>[^/"]+)/bundles/'
    r'redoc\.standalone\.js"></script>'
)
# Redoc's sidebar shows Redocly's logo from their CDN once the page runs: an empty image instead.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"
# The page hydrates its prerendered HTML; React finds it differs from what it renders (errors
# #418 and #423 in the console) and renders it all again. Render once, from the same state.
HYDRATE = "Redoc.hydrate(__redoc_state, container);"
RENDER = "Redoc.init(__redoc_state.spec.data, __redoc_state.options, container);"
# Anything still fetched from elsewhere once the bundle is inline.
EXTERNAL = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="https?://', re.IGNORECASE)


class DocsError(Exception):
    """The page cannot be built as promised; the message says what to do."""


def redoc_bundle(version: str) -> str:
    """The Redoc bundle @redocly/cli prerendered with, which the page's state was made for."""
    for package in (
        NODE_MODULES / "@redocly" / "cli" / "node_modules" / "redoc",
        NODE_MODULES / "redoc",
    ):
        manifest = package / "package.json"
        if manifest.exists() and json.loads(manifest.read_text())["version"] == version:
            return (package / "bundles" / "redoc.standalone.js").read_text(encoding="utf-8")
    raise DocsError(f"redoc {version} is not in node_modules; run `npm ci`")


def inline_bundle(page: str) -> str:
    """The page with Redoc's CDN script replaced by the bundle itself."""
    found = CDN_SCRIPT.search(page)
    if found is None:
        raise DocsError("redocly's page no longer loads Redoc from its CDN; update inline_bundle")
    # `</script` inside the bundle would end the inline element early.
    bundle = redoc_bundle(found.group("version")).replace("</script", "<\\/script")
    bundle = bundle.replace(REDOCLY_LOGO, EMPTY_IMAGE)
    inlined = CDN_SCRIPT.sub(lambda _: f"<script>{bundle}</script>", page, count=1)
    inlined = inlined.replace(HYDRATE, RENDER)
    external = EXTERNAL.search(inlined)
    if external:
        raise DocsError(f"the page still loads {external.group(0)!r}")
    return inlined


def render(spec: Path = SPEC_PATH) -> str:
    """`redocly build-docs`, its output read back."""
    if not REDOCLY.exists():
        raise DocsError(f"{REDOCLY.relative_to(ROOT)} is missing; run `npm ci`")
    with tempfile.TemporaryDirectory(prefix="docs-") as scratch:
        output = Path(scratch) / "page.html"
        command = [str(REDOCLY), "build-docs", str(spec), "-o", str(output), "--disableGoogleFont"]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "REDOCLY_TELEMETRY": "off"},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not output.exists():
            raise DocsError(f"redocly build-docs failed:\n{done.stdout}{done.stderr}")
        return output.read_text(encoding="utf-8")


def build(output: Path = DOCS_FILE, spec: Path = SPEC_PATH) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(inline_bundle(render(spec)), encoding="utf-8")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-version", choices=PROFILES, help="one profile (default: each)")
    parser.add_argument(
        "-o", "--output", type=Path, help="the page of --api-version (default: docs/build/...)"
    )
    args = parser.parse_args(argv)
    if args.output and not args.api_version:
        parser.error("-o needs --api-version: each profile has its own page")
    profiles = [args.api_version] if args.api_version else list(PROFILES)
    try:
        for profile in profiles:
            written = build(args.output or DOCS_FILES[profile], spec_path(profile))
            print(f"docs: {written}")
    except DocsError as error:
        print(f"docs: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
