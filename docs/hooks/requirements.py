"""The requirement catalogue's page, reference/requirements.md, made at each build from
openapi/requirements.yaml and what the kit ties to each row (tests/contract/catalogue_page.py):
a stable anchor per requirement ID, which the reports link to."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # The checkout's own packages, before an installed copy: the page describes this tree.
    if sys.path[:1] != [str(ROOT)]:
        sys.path.insert(0, str(ROOT))
    from tests.contract import catalogue_page

    files.append(File.generated(config, catalogue_page.PAGE, content=catalogue_page.page()))
    return files
