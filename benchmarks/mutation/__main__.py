"""Mutation testing of the reference server: how much of its behaviour the suite pins down.

    python -m benchmarks.mutation                    # every mutant (hours on 2 cores)
    python -m benchmarks.mutation --sample 40 --seed 7
    python -m benchmarks.mutation --ids-from tests/mutation/slice.yaml
    python -m benchmarks.mutation --list             # the mutants, without running any

Results go to reports/mutation.jsonl, one line per mutant as it finishes; a later run skips
every mutant already there whose file has not changed since (``--again ID`` reruns one,
``--again survived`` every survivor, after a change of the suite). A mutant the triage file
sends to another mode of the server (verdict ``mode``) runs in that mode. reports/mutation.json
and .md are written from all the results at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import queue
import random
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from . import report, triage
from .population import ROOT, Mutant, by_id, population
from .runner import MODES, Outcome, Worker, WorkerError

RESULTS = ROOT / "reports" / "mutation.jsonl"
WORKERS_FOLDER = ROOT / ".mutation"
# A mutant may take this many times the unmutated run before it is stopped as a timeout.
TIMEOUT_FACTOR = 4


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mutation", description=__doc__)
    parser.add_argument("--sample", type=int, help="run N mutants drawn with --seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ids-from", type=Path, help="a YAML list of mutant ids to run")
    parser.add_argument("--again", action="append", default=[], help="an id, or 'survived'")
    parser.add_argument("--workers", type=int, default=1, help="suites at a time (default 1)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report-dir", type=Path, default=RESULTS.parent)
    parser.add_argument("--work-dir", type=Path, default=WORKERS_FOLDER, help="workers' copies")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument(
        "--report-only", action="store_true", help="write the reports from the results so far"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    mutants = by_id(population())
    if args.list:
        for mutant in mutants.values():
            print(f"{mutant.id}\t{mutant.file}:{mutant.line}\t{mutant.change}")
        return 0
    try:
        chosen = select(mutants, args)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    done = read_results(args.results)
    shas = {name: file_sha(name) for name in {m.file for m in mutants.values()}}
    triaged = triage.load()
    modes = {m.id: mode_of(m, triaged) for m in chosen}
    again = set(args.again)
    todo = [
        m
        for m in chosen
        if m.id in again
        or ("survived" in again and done.get(m.id, None) and done[m.id].status == "survived")
        or m.id not in done
        or done[m.id].source_sha != shas[m.file]
        or done[m.id].mode != modes[m.id]
    ]
    if args.report_only:
        todo = []
    print(f"{len(mutants)} mutants; {len(chosen)} chosen, {len(todo)} to run", flush=True)
    try:
        run([(m, modes[m.id]) for m in todo], args.workers, args.work_dir, args.results, shas, done)
    except WorkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ran = {key: done[key] for key in (m.id for m in chosen) if key in done}
    totals = report.write(args.report_dir, {m.id: m for m in chosen}, ran, triaged)
    print(json.dumps(totals), flush=True)
    return 0


def select(mutants: dict[str, Mutant], args: argparse.Namespace) -> list[Mutant]:
    if args.ids_from:
        ids = yaml.safe_load(args.ids_from.read_text(encoding="utf-8"))
        unknown = [key for key in ids if key not in mutants]
        if unknown:
            raise KeyError(f"{args.ids_from}: no such mutant {', '.join(unknown)}")
        return [mutants[key] for key in ids]
    every = list(mutants.values())
    if args.sample:
        return random.Random(args.seed).sample(every, min(args.sample, len(every)))
    # In a drawn order, so that a run stopped part-way has measured a fair sample.
    random.Random(args.seed).shuffle(every)
    return every


def mode_of(mutant: Mutant, triaged: dict[str, triage.Entry]) -> str:
    """The server's mode a mutant is run in: the one its triage entry names (a `mode` verdict,
    or another that survived there too), else the embedded default."""
    entry = triaged.get(mutant.id)
    return entry.details.get("mode", "default") if entry else "default"


def run(
    todo: list[tuple[Mutant, str]],
    workers: int,
    folder: Path,
    results: Path,
    shas: dict[str, str],
    done: dict[str, Outcome],
) -> None:
    if not todo:
        return
    count = max(1, min(workers, len(todo)))
    pool: queue.Queue[Worker] = queue.Queue()
    baseline = 0.0
    for index in range(count):
        worker = Worker(folder / f"worker-{index}")
        baseline = max(baseline, worker.baseline())
        pool.put(worker)
    timeout = TIMEOUT_FACTOR * baseline
    print(f"unmutated suite: {baseline:.1f} s; a mutant times out after {timeout:.0f} s")
    lock = threading.Lock()
    results.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def one(job: tuple[Mutant, str]) -> None:
        mutant, mode = job
        worker = pool.get()
        try:
            outcome = worker.run(mutant, timeout, shas[mutant.file], MODES[mode])
        finally:
            pool.put(worker)
        with lock:
            done[mutant.id] = outcome
            with results.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(outcome.as_dict()) + "\n")
            elapsed = time.monotonic() - started
            print(
                f"[{len(done)}] {outcome.status:8} {outcome.seconds:6.1f}s {mutant.id} "
                f"{'' if mode == 'default' else f'({mode}) '}"
                f"{' '.join(outcome.killed_by) or outcome.case} ({elapsed:.0f} s)",
                flush=True,
            )

    with ThreadPoolExecutor(max_workers=count) as executor:
        list(executor.map(one, todo))


def read_results(path: Path) -> dict[str, Outcome]:
    """The outcomes already recorded; the last line for a mutant wins."""
    if not path.exists():
        return {}
    found: dict[str, Outcome] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            outcome = Outcome(**json.loads(line))
            found[outcome.id] = outcome
    return found


def file_sha(name: str) -> str:
    return hashlib.sha256((ROOT / name).read_bytes()).hexdigest()


if __name__ == "__main__":
    sys.exit(main())
