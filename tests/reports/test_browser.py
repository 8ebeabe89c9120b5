"""The report page and the contract's page, opened in headless Chromium: they render offline.

Needs `chromium` (Debian: `apt-get install -y chromium`) and, for the docs, `npm ci` and
`python -m conformance.report.docs`; skips with the reason otherwise."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conformance.contract.contract import operations
from conformance.contract.identities import IDENTITIES
from conformance.reference import ReferenceApp
from conformance.reference.app import DOCS_FILES
from tests.harness import served
from tests.reports.conftest import Run

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No network but the page's own origin: a page that needed one would render incomplete.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # The contract's page renders once its script has read the contract: wait for it.
    "--virtual-time-budget=10000",
)  # fmt: skip

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)


def dump_dom(url: str, profile: Path) -> str:
    """The DOM after the page's scripts ran."""
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_chromium
def test_the_report_renders_its_summary_and_matrix(faulty_run: Run, tmp_path: Path) -> None:
    dom = dump_dom((faulty_run.report_dir / "conformance.html").as_uri(), tmp_path)
    assert re.search(r'<section id="summary">.*Contract SHA-256', dom, re.S)
    rows = re.findall(r'<tr data-operation="(\w+)">', dom)
    assert rows == list(operations())
    assert len(re.findall(r'data-identity="[\w-]+"', dom)) == len(rows) * len(IDENTITIES)


@needs_chromium
@pytest.mark.skipif(
    not DOCS_FILES["8.5.0"].exists(),
    reason="docs not built: npm ci && python -m conformance.report.docs",
)
def test_the_served_docs_list_every_operation(tmp_path: Path) -> None:
    with served(ReferenceApp()) as base_url:
        dom = dump_dom(f"{base_url}/docs", tmp_path)
    rendered = set(re.findall(r'id="operation/(\w+)"', dom))
    assert rendered == set(operations())
    summaries = [operation.get("summary", "") for _, _, operation in operations().values()]
    missing = [s for s in summaries if s.replace("'", "&#x27;") not in dom and s not in dom]
    assert not missing, f"summaries not on the page: {missing}"
