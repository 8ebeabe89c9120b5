"""The kit's own servers by hand: listed, and served on a port until stopped."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import requests

from tests.broken.catalogue import CATALOGUE
from tests.harness import ROOT
from tests.hostile import late, targets
from tests.variants.table import VARIANTS

# Generous: an answer or an exit this late on a busy 2-core machine is still not a hang.
LOADED_MACHINE = 60

COMMANDS = {
    "tests.broken": [r.name for r in CATALOGUE],
    "tests.variants": [v.name for v in VARIANTS],
    "tests.hostile": [*late.BY_NAME, *targets.BY_NAME],
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("module", list(COMMANDS))
def test_list_names_every_server(module: str) -> None:
    """`--list` prints one line per server of the table."""
    done = run(module, "--list")
    assert done.returncode == 0, done.stderr
    listed = [line.split()[0] for line in done.stdout.splitlines() if line.strip()]
    assert listed == COMMANDS[module]
    assert len(set(listed)) == len(listed), "a name serves two servers"


@pytest.mark.parametrize("module", list(COMMANDS))
def test_an_unknown_name_is_a_clear_error(module: str) -> None:
    """A name not in the table ends with one line naming it, and no traceback."""
    done = run(module, "no-such-server", "--port", "0")
    assert done.returncode != 0
    assert "no-such-server" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("tests.broken", CATALOGUE[0].name),
        ("tests.variants", "csrf-protection"),
        ("tests.hostile", "garbage"),
        ("tests.hostile", "invalid-json"),
    ],
)
def test_a_server_answers_until_stopped(module: str, name: str) -> None:
    """Serving one prints its base URL, answers on it, and exits 0 on SIGTERM."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, name, "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = ""
        while "http://" not in line:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else "no output"
        base_url = line[line.index("http://") :].split()[0]
        answer = requests.get(f"{base_url}/openapi.yaml", timeout=LOADED_MACHINE)
        assert answer.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=LOADED_MACHINE) == 0
