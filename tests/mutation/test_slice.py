"""A fixed slice of the reference server's mutants, run as a user runs the mutation command:
the suite must kill every one, so a change that weakens what it checks shows up here without
the hours the whole population takes (python -m benchmarks.mutation)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SLICE = Path(__file__).with_name("slice.yaml")


def test_the_suite_kills_every_mutant_of_the_slice(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.mutation",
            f"--ids-from={SLICE}",
            f"--results={tmp_path / 'results.jsonl'}",
            f"--report-dir={tmp_path}",
            f"--work-dir={tmp_path / 'work'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "mutation.json").read_text(encoding="utf-8"))
    outcomes = {row["id"]: row["status"] for row in report["mutants"]}
    expected = yaml.safe_load(SLICE.read_text(encoding="utf-8"))
    assert outcomes == dict.fromkeys(expected, "killed")
