"""The recorded bounds on a gate run's cost (benchmarks/bounds.yaml), and which of them a run
counted by benchmarks/probe.py went past."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

BOUNDS = Path(__file__).with_name("bounds.yaml")


def gate_bounds(path: Path = BOUNDS) -> dict[str, int]:
    found: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))["gate"]
    return {name: int(value) for name, value in found.items()}


def exceeded(probes: list[dict[str, Any]], bounds: dict[str, int]) -> list[str]:
    """What the probes of one run (one record per process) counted past its bound."""
    found = []
    requests = sum(int(p["requests"]) for p in probes)
    if requests > bounds["requests"]:
        found.append(f"{requests} requests, bound {bounds['requests']}")
    for probe in probes:
        parses = int(probe["spec_parses"])
        if parses > bounds["contract_parses_per_process"]:
            found.append(
                f"{parses} contract parses in process {probe['worker']}, "
                f"bound {bounds['contract_parses_per_process']}"
            )
    return found
