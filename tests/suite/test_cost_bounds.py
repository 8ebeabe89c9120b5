"""What a gate run costs stays within the bounds recorded in benchmarks/bounds.yaml: the
requests it sends and the contract parses per process, counted from inside the run by
benchmarks/probe.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

from benchmarks.bounds import exceeded, gate_bounds
from tests.harness import ROOT, run_suite, suite_environment


def probed_gate(probe_dir: Path) -> list[dict[str, object]]:
    env = suite_environment()
    env["BENCH_PROBE_DIR"] = str(probe_dir)
    # The probe plugin is a module of the checkout, not of the installed kit.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = run_suite(None, "-p", "benchmarks.probe", env=env)
    assert run.returncode == 0, run.output[-3000:]
    return [json.loads(p.read_text()) for p in probe_dir.glob("probe-*.json")]


def test_the_gate_stays_within_its_recorded_cost(tmp_path: Path) -> None:
    probes = probed_gate(tmp_path)
    assert probes, "the probe wrote nothing"
    assert not exceeded(probes, gate_bounds())


def test_a_run_past_a_bound_is_reported() -> None:
    bounds = {"requests": 100, "contract_parses_per_process": 1}
    probes = [
        {"requests": 90, "spec_parses": 1, "worker": "gw0"},
        {"requests": 20, "spec_parses": 2, "worker": "gw1"},
    ]
    assert exceeded(probes, bounds) == [
        "110 requests, bound 100",
        "2 contract parses in process gw1, bound 1",
    ]
