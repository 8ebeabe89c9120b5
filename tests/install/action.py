"""The `run` steps of action.yml, run as GitHub's runner runs a composite action's bash steps
(`bash --noprofile --norc -eo pipefail`), each with its `env:` and the `${{ inputs.* }}` and
`${{ github.action_path }}` expressions filled in."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.harness import ROOT

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def inputs(given: dict[str, str]) -> dict[str, str]:
    """Every input's value: the one given, else its default; a required one must be given."""
    declared = action()["inputs"]
    unknown = set(given) - set(declared)
    assert not unknown, f"action.yml has no input {sorted(unknown)}"
    values = {}
    for name, spec in declared.items():
        if name not in given:
            assert not spec.get("required"), f"input {name} is required"
        values[name] = given.get(name, str(spec.get("default", "")))
    return values


def evaluate(text: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        context, _, name = match.group(1).partition(".")
        if context == "inputs":
            return values[name]
        assert match.group(1) == "github.action_path", f"unexpected expression {match.group(0)}"
        return str(ROOT)

    return EXPRESSION.sub(value, text)


def run_step(
    name: str,
    given: dict[str, str],
    runner_temp: Path,
    cwd: Path,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """The step called `name`, in `cwd`, as the runner would run it."""
    (step,) = [s for s in action()["runs"]["steps"] if s.get("name") == name]
    assert step.get("shell") == "bash", step
    values = inputs(given)
    # The runner's environment: no credentials of the caller's own, only what the step sets.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEVICES_API_")}
    env["RUNNER_TEMP"] = str(runner_temp)
    env.update({key: evaluate(str(v), values) for key, v in step.get("env", {}).items()})
    return subprocess.run(
        [*BASH, evaluate(step["run"], values)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
