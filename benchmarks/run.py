"""Speed and scale of the kit, measured side by side in one run on one machine.

    python benchmarks/run.py

Prints one table and writes the same to reports/benchmarks.md. Takes about three minutes on
2 cores. The runs it times are the ones a user makes (`pytest conformance` in a subprocess);
benchmarks/probe.py counts requests, cases, spec parses and memory from inside them.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from conformance.contract.validation import (  # noqa: E402
    contract_violations,
    forget_verdicts,
    openapi,
)
from conformance.reference.app import ReferenceApp  # noqa: E402
from conformance.reference.server import credentials, serve  # noqa: E402
from conformance.steps import steps  # noqa: E402
from conformance.target.client import Client  # noqa: E402
from conformance.target.target import Credentials, Target, env_var  # noqa: E402
from tests import harness  # noqa: E402

REPORT = ROOT / "reports" / "benchmarks.md"
FUZZ_EXAMPLES = 15  # the suite's default budget; the same for schemathesis's CLI
FUZZ_IDENTITY = "admin"
EXCHANGES = 300  # per side, in rounds that alternate, so drift on a noisy machine hits both
ROUNDS = 5
VALIDATIONS = 200
LOAD_CLIENTS = 8
LOAD_REQUESTS = 4000
# The targets of a run on 2 cores: the cost a CI gate and the kit's own tests can live with.
GATE_TARGET_S = 8.0
RSS_TARGET_MB = 250
OVERHEAD_TARGET = 1.5
FUZZ_TARGET = 2.5
XDIST_TARGET = 1.4
# A longer run than the gate's, to show what -n 2 gives where the cases outweigh the start-up.
LONG_FUZZ_EXAMPLES = 200


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


PROBE = ["-p", "benchmarks.probe"]


@dataclass
class Row:
    measure: str
    value: str
    note: str = ""


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, measure: str, value: str, note: str = "") -> None:
        self.rows.append(Row(measure, value, note))


# ------------------------------------------------------------------------------ the machine


def machine() -> Section:
    section = Section("Machine")
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1) if found else model
    section.add("CPUs", str(os.cpu_count()), model)
    section.add("Python", platform.python_version(), platform.platform(terse=True))
    # Other work on the machine slows every figure below; the load says how much there was.
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    section.add("load average (1 min) at start", f"{load:.2f}", "figures are noisy above ~CPUs")
    return section


# ----------------------------------------------------------------------- running the suite


@dataclass
class SuiteRun:
    wall: float
    returncode: int
    output: str
    probes: list[dict[str, Any]]

    def total(self, name: str) -> int:
        return sum(int(p[name]) for p in self.probes)

    @property
    def max_rss_mb(self) -> float:
        return max((p["max_rss_mb"] for p in self.probes), default=0.0)

    def times(self, worker: str) -> list[dict[str, float]]:
        """The probe's timestamps of the processes of this kind ("main" or "gw")."""
        return [p["times"] for p in self.probes if p["worker"].startswith(worker)]


def suite_environment() -> dict[str, str]:
    """As a user runs it (tests/harness.py), and benchmarks.probe importable by xdist workers."""
    env = harness.suite_environment()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_suite(*args: str, base_url: str | None = None) -> SuiteRun:
    """The suite through the kit's one harness, with the probe counting from inside."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = {**suite_environment(), "BENCH_PROBE_DIR": tmp}
        done = harness.run_suite(base_url, *PROBE, *args, env=env, writes=None, timeout=1800)
        probes = [json.loads(p.read_text()) for p in Path(tmp).glob("probe-*.json")]
    run = SuiteRun(done.elapsed, done.returncode, done.output, probes)
    if run.returncode != 0:
        print(run.output[-3000:], file=sys.stderr)
        raise SystemExit(f"the suite failed ({' '.join(args)}): exit {run.returncode}")
    return run


def warm_up() -> None:
    """One collection first, so no timed run pays for writing the bytecode caches."""
    harness.run_suite(None, "--collect-only", env=suite_environment(), writes=None)


def summary_line(output: str) -> str:
    found = re.findall(r"^=*\s*(\d+ passed.*?) in [\d.]+s", output, re.M)
    return found[-1] if found else "?"


# ------------------------------------------------------------------ 1, 5 and memory: the gate


def gate(serial: SuiteRun) -> Section:
    section = Section("1. The gate: `pytest conformance` (embedded server, --writes all)")
    requests_sent = serial.total("requests")
    wall = f"{summary_line(serial.output)}; target < {GATE_TARGET_S:g} s: "
    section.add("wall time", f"{serial.wall:.1f} s", wall + verdict(serial.wall < GATE_TARGET_S))
    section.add("requests sent", str(requests_sent), "counted by the embedded server")
    section.add("requests per second", f"{requests_sent / serial.wall:.0f}", "over the wall time")
    section.add("server errors (5xx)", str(serial.total("server_errors")))
    rss = serial.max_rss_mb
    met = verdict(rss < RSS_TARGET_MB)
    section.add("peak memory (RSS)", f"{rss:.0f} MB", f"target < {RSS_TARGET_MB} MB: {met}")
    return section


@dataclass
class XdistRuns:
    """The gate with -n 0 and -n 2; two -n 0 gates at once; both again on a longer run."""

    serial: SuiteRun
    parallel: SuiteRun
    together: float
    serial_long: SuiteRun
    parallel_long: SuiteRun


def run_xdist(serial: SuiteRun) -> XdistRuns:
    parallel = run_suite("-n", "2")
    together = time_together(2)
    long_budget = ("--fuzz-examples", str(LONG_FUZZ_EXAMPLES))
    return XdistRuns(
        serial, parallel, together, run_suite(*long_budget), run_suite("-n", "2", *long_budget)
    )


def time_together(count: int) -> float:
    """Wall time of `count` -n 0 gates started at once, each with its own embedded server."""
    started = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        list(pool.map(lambda _: run_suite(), range(count)))
    return time.perf_counter() - started


def xdist(runs: XdistRuns) -> Section:
    serial, parallel = runs.serial, runs.parallel
    section = Section("5. pytest-xdist: the gate with -n 2 against -n 0")
    section.add("-n 0 wall time", f"{serial.wall:.1f} s")
    section.add("-n 2 wall time", f"{parallel.wall:.1f} s", summary_line(parallel.output))
    speed_up = serial.wall / parallel.wall
    met = verdict(speed_up >= XDIST_TARGET)
    note = f"each worker starts its own; target >= {XDIST_TARGET:g}x: {met}"
    section.add("speed-up", f"{speed_up:.2f}x", note)
    workers = [p for p in parallel.probes if p["worker"] != "main"]
    rss = max((p["max_rss_mb"] for p in workers), default=0.0)
    section.add("peak RSS per worker", f"{rss:.0f} MB", f"{len(workers)} workers")
    section.add("requests sent (all workers)", str(parallel.total("requests")))
    section.rows += xdist_ceiling(runs)
    long_ratio = runs.serial_long.wall / runs.parallel_long.wall
    walls = f"{runs.parallel_long.wall:.1f} s against {runs.serial_long.wall:.1f} s"
    section.add(f"speed-up at --fuzz-examples {LONG_FUZZ_EXAMPLES}", f"{long_ratio:.2f}x", walls)
    return section


def xdist_ceiling(runs: XdistRuns) -> list[Row]:
    """What -n 2 could give on this machine at best: the second process adds `capacity` of the
    first (two gates at once against one), but each worker pays the start-up again, after the
    controller's own."""
    serial = runs.serial.wall
    capacity = 2 * serial / runs.together
    main = runs.serial.times("main")[0]
    per_worker = main["first_case"] - main["started"]
    controller = runs.parallel.times("main")[0]
    lead = min(w["started"] for w in runs.parallel.times("gw")) - controller["started"]
    best = serial / (lead + per_worker + (serial - per_worker) / capacity)
    return [
        Row(
            "two -n 0 gates at once",
            f"{runs.together:.1f} s",
            f"{capacity:.2f}x the work of one gate per second",
        ),
        Row(
            "start-up up to the first case",
            f"{per_worker:.1f} s",
            "of the -n 0 gate; each -n 2 worker pays it again",
        ),
        Row("xdist controller before its workers", f"{lead:.1f} s", "its own start-up"),
        Row(
            "best -n 2 / -n 0 these allow",
            f"{best:.2f}x",
            "a perfect split, nothing else paid twice",
        ),
    ]


# -------------------------------------------------- 2 and 4: the kit's cost per exchange


@contextmanager
def counted_server() -> Iterator[tuple[str, Counter]]:
    """A fresh reference server on a loopback port, counting what it answers."""
    counter = Counter(ReferenceApp())
    with serve(counter) as server:
        yield server.base_url, counter


class Counter:
    """WSGI middleware: requests answered, and when the first and the last came."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.count = 0
        self.first = self.last = 0.0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        now = time.perf_counter()
        with self._lock:
            self.count += 1
            self.first = self.first or now
            self.last = now
        return self.app(environ, start_response)

    @property
    def window(self) -> float:
        return self.last - self.first


def agent_client(base_url: str) -> Client:
    user, password = credentials()["agent"]
    creds = {"agent": Credentials(user, password, env_var("agent"))}
    target = Target(base_url, creds, "none", embedded=False, timeout=10, max_body=8 << 20)
    return Client(target, "agent", creds["agent"])


def per_call(action: Callable[[], Any], count: int) -> float:
    """Seconds per call of `action`, over `count` calls."""
    started = time.perf_counter()
    for _ in range(count):
        action()
    return (time.perf_counter() - started) / count


def exchange_cost(base_url: str) -> Section:
    section = Section("2. Cost per exchange: the kit against plain requests, same server")
    path, params = "/me/devices", {"fields": "*"}
    client = agent_client(base_url)
    raw = requests.Session()
    raw.trust_env = False
    auth = credentials()["agent"]
    url = client.url(path, params)

    def first_sight() -> Any:
        forget_verdicts()  # as if this answer had not been judged before
        return steps.get(client, path, params)

    sides: dict[str, Callable[[], Any]] = {
        "raw": lambda: raw.get(url, auth=auth).content,
        "kit": lambda: steps.get(client, path, params),
        "first": first_sight,
        "client": lambda: client.get(path, params),
    }
    batch = EXCHANGES // ROUNDS
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(ROUNDS):
        for name, action in sides.items():
            times[name].append(per_call(action, batch))
    raw_ms, kit_ms, first_ms, client_ms = (statistics.median(times[n]) * 1e3 for n in sides)
    what = f"GET {path}?fields=* as agent, {EXCHANGES} each, median of {ROUNDS} rounds"
    section.add("raw: requests.get + read body", f"{raw_ms:.2f} ms", what)
    section.add("kit: client + check_exchange", f"{kit_ms:.2f} ms", "an answer judged before")
    section.add("kit, an answer seen first", f"{first_ms:.2f} ms", "its verdict not kept yet")
    section.add("  of which the client alone", f"{client_ms:.2f} ms", "bounded read, recorded")
    section.add(
        "  of which the checks", f"{first_ms - client_ms:.2f} ms", "envelope + openapi-core"
    )
    section.add("kit / raw, answer judged before", f"{kit_ms / raw_ms:.2f}x")
    # The target is judged on the dearer case: a run whose every answer differed pays that.
    ratio = first_ms / raw_ms
    met = verdict(ratio <= OVERHEAD_TARGET)
    section.add(
        "kit / raw, answer seen first", f"{ratio:.2f}x", f"target <= {OVERHEAD_TARGET:g}x: {met}"
    )
    client.close()
    raw.close()
    return section


def judged_anew(exchange: Any, base_url: str) -> Any:
    forget_verdicts()
    return contract_violations(exchange, base_url)


def validation_cost(base_url: str, gate_run: SuiteRun) -> Section:
    section = Section("4. openapi-core validation per response")
    client = agent_client(base_url)
    started = time.perf_counter()
    openapi()
    section.add("parse + validate the contract", f"{(time.perf_counter() - started) * 1e3:.0f} ms")
    for path, params in (("/me/devices", {"fields": "*"}), ("/me", None)):
        exchange = client.get(path, params)
        # Each judged anew: openapi-core's own cost, not the kept verdict's.
        first = per_call(lambda e=exchange: judged_anew(e, base_url), 1)
        later = per_call(lambda e=exchange: judged_anew(e, base_url), VALIDATIONS)
        shown = f"{path}?fields=*" if params else path
        size = f"{len(exchange.body)} B body"
        section.add(f"{shown}: first validation", f"{first * 1e3:.2f} ms", size)
        section.add(f"{shown}: each later one", f"{later * 1e3:.2f} ms", f"mean of {VALIDATIONS}")
    client.close()
    parses = [p["spec_parses"] for p in gate_run.probes]
    cache = gate_run.probes[0]["openapi_cache"] if gate_run.probes else {}
    section.add(
        "contract parses per process (gate)",
        ", ".join(str(n) for n in parses),
        f"OpenAPI.from_file_path calls; openapi() cache {cache}",
    )
    return section


# ------------------------------------------------ 3: fuzzing, the kit against schemathesis


@dataclass
class FuzzRun:
    wall: float
    cases: int
    requests: int
    window: float

    def rate(self, count: int) -> float:
        return count / self.window if self.window else 0.0


def fuzz_with_kit() -> FuzzRun:
    with counted_server() as (base_url, counter):
        run = run_suite(
            "--writes", "all", "--fuzz-examples", str(FUZZ_EXAMPLES),
            "-k", "test_generated_requests_conform", base_url=base_url,
        )  # fmt: skip
        return FuzzRun(run.wall, run.total("cases"), counter.count, counter.window)


def fuzz_with_cli() -> FuzzRun:
    user, password = credentials()[FUZZ_IDENTITY]
    st = Path(sys.executable).with_name("st")
    with counted_server() as (base_url, counter), tempfile.TemporaryDirectory() as tmp:
        # The suite's settings: both modes, derandomized, 15 examples, no stateful phase,
        # positive_data_acceptance off; one worker, like the suite without xdist.
        command = [
            str(st), "run", str(ROOT / "openapi" / "devices.yaml"), "--url", base_url,
            "--auth", f"{user}:{password}", "--max-examples", str(FUZZ_EXAMPLES),
            "--mode", "all", "--generation-deterministic", "--workers", "1",
            "--phases", "examples,coverage,fuzzing",
            "--exclude-checks", "positive_data_acceptance",
            "--report-dir", tmp, "--no-color",
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        found = re.search(r"(\d+) generated", done.stdout)
        if found is None:
            raise SystemExit(f"st run printed no case count:\n{done.stdout[-2000:]}")
        return FuzzRun(wall, int(found.group(1)), counter.count, counter.window)


def fuzzing() -> Section:
    section = Section(
        f"3. Fuzzing: the kit against `st run` ({FUZZ_IDENTITY}, {FUZZ_EXAMPLES} examples, "
        "same checks)"
    )
    kit, cli = fuzz_with_kit(), fuzz_with_cli()
    for name, run in (("kit (pytest)", kit), ("st run", cli)):
        section.add(f"{name}: wall time", f"{run.wall:.1f} s", "start-up included")
        section.add(f"{name}: cases", str(run.cases), "sent")
        section.add(f"{name}: requests", str(run.requests), "counted by the server")
        rate = f"{run.rate(run.cases):.0f}"
        section.add(f"{name}: cases per second", rate, "from the first to the last request")
        section.add(f"{name}: requests per second", f"{run.rate(run.requests):.0f}")
    ratio = kit.rate(kit.requests) / cli.rate(cli.requests)
    section.add("kit / st run, requests per second", f"{ratio:.2f}x", "the common measure")
    case_ratio = kit.rate(kit.cases) / cli.rate(cli.cases)
    met = verdict(case_ratio >= FUZZ_TARGET)
    note = f"each kit draw is sent as 3 identities; target >= {FUZZ_TARGET:g}x: {met}"
    section.add("kit / st run, cases per second", f"{case_ratio:.2f}x", note)
    return section


# --------------------------------------------------------------- 6: the server under load


def load() -> Section:
    section = Section(f"6. The reference server under load ({LOAD_CLIENTS} client threads)")
    auth = credentials()["agent"]
    local = threading.local()
    # The server in its own process, as `python -m conformance.reference` runs it, so that the
    # load's client threads do not share its interpreter lock.
    with harness.reference_process() as base_url:
        url = f"{base_url}/me/devices?fields=*"

        def one(_: int) -> bool:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.trust_env = False
            try:
                return local.session.get(url, auth=auth, timeout=10).status_code == 200
            except requests.RequestException:
                return False

        started = time.perf_counter()
        with ThreadPoolExecutor(LOAD_CLIENTS) as pool:
            answers = list(pool.map(one, range(LOAD_REQUESTS)))
        wall = time.perf_counter() - started
    errors = answers.count(False)
    section.add("requests", str(LOAD_REQUESTS), f"GET /me/devices?fields=* as agent, {wall:.1f} s")
    section.add("requests per second", f"{LOAD_REQUESTS / wall:.0f}", "server in its own process")
    section.add("errors", str(errors), "target 0: " + ("met" if errors == 0 else "MISSED"))
    return section


# ----------------------------------------------------------------------------- the table


def as_text(sections: Sequence[Section]) -> str:
    rows = [r for s in sections for r in s.rows]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("measure", "value")]
    lines = []
    for section in sections:
        lines += ["", section.title, "-" * len(section.title)]
        for r in section.rows:
            lines.append(f"{r.measure:<{widths[0]}}  {r.value:>{widths[1]}}  {r.note}".rstrip())
    return "\n".join(lines).lstrip("\n")


def as_markdown(sections: Sequence[Section], took: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"`python benchmarks/run.py`, {when}, {took:.0f} s in all. One run, one machine.",
    ]
    for section in sections:
        lines += ["", f"## {section.title}", "", "| measure | value | note |", "|---|---:|---|"]
        lines += [f"| {r.measure} | {r.value} | {r.note} |" for r in section.rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    started = time.perf_counter()
    sections = [machine()]
    warm_up()
    serial = run_suite()
    parallel_runs = run_xdist(serial)
    sections.append(gate(serial))
    with counted_server() as (base_url, _):
        # Validation first: its first figures need a process that has not validated yet.
        validation = validation_cost(base_url, serial)
        sections.append(exchange_cost(base_url))
    sections += [fuzzing(), validation, xdist(parallel_runs), load()]
    took = time.perf_counter() - started
    print(as_text(sections))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(as_markdown(sections, took))
    print(f"\n{took:.0f} s in all; written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
