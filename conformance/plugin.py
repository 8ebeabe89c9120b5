"""The pytest plugin of the Devices API conformance suite: its options, its markers, the verdict
of each case by requirement, and the reports.

Registered through the `pytest11` entry point, so `pytest conformance --base-url URL` finds it.
The fixtures that reach the target live in conformance/conftest.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

from conformance import heap, settings
from conformance.contract.contract import DEFAULT_PROFILE, PROFILES, requirement, select_profile
from conformance.contract.failures import REPRODUCED_AS, REPRODUCTION, RequirementFailure
from conformance.contract.identities import IDENTITIES
from conformance.report import known_failures
from conformance.report.docs_site import docs_url, requirement_link
from conformance.report.results import Results
from conformance.target.client import PACER, WRITES
from conformance.target.target import (
    WRITE_LEVELS,
    Credentials,
    credentials_from,
    env_var,
    write_level,
)
from conformance.target.workers import (
    abort_handed_back,
    credentials_received,
    hand_back_abort,
    is_worker,
    send_credentials,
    share_of_rate,
)

PACKAGE_DIR = Path(__file__).resolve().parent
RESULTS_KEY = pytest.StashKey[Results]()
CREDENTIALS_KEY = pytest.StashKey[dict[str, Credentials]]()
SESSION_KEY = pytest.StashKey[pytest.Session]()
# Exit codes of a run that cannot start: pytest's own for a usage error, and one for a target
# on which nothing can be judged (unreachable, refusing every identity, answering no JSON),
# outside pytest's own 0-5 so that a CI tells it from a crash of the kit (3).
EXIT_USAGE = int(pytest.ExitCode.USAGE_ERROR)
EXIT_UNUSABLE_TARGET = 10
# pytest_runtest_logreport receives no config; the session's results are reached from here.
RESULTS: dict[str, Results] = {}
# How many entries of client.WRITES earlier reports already carry.
WRITES_NOTED = [0]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("devices-api", "Devices API conformance")
    for identity in IDENTITIES:
        group.addoption(
            f"--{identity}",
            metavar="USER:PASSWORD",
            dest=f"credentials_{identity.replace('-', '_')}",
            help=f"credentials of the {identity} identity (else ${env_var(identity)})",
        )
    group.addoption(
        "--api-version",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help="the profile the target implements: 8.5.0 (GWS 8.5.0 and 8.5.1) or 8.5.2 (GWS 8.5.2 "
        f"and later). Default: {DEFAULT_PROFILE}",
    )
    group.addoption(
        "--writes",
        choices=WRITE_LEVELS,
        default=None,
        help="none: only GETs; reversible: also operations the case undoes; all: also creates, "
        "which cannot be undone. Default: none against --base-url, all against the embedded server",
    )
    # `--strict` is pytest's own (strict markers, config, xfail); the suite reads it too: under
    # it a broken SHOULD fails the run instead of warning.
    group.addoption(
        "--report-dir", default="reports", help="where the reports go (default: reports)"
    )
    group.addoption(
        "--request-timeout",
        type=positive(float),
        default=10.0,
        help="seconds a response may take, whole (default: 10)",
    )
    group.addoption(
        "--ca-bundle",
        type=readable_file,
        default=None,
        metavar="PATH",
        help="CA certificates (PEM) to trust for an https --base-url, e.g. a company's own CA",
    )
    group.addoption(
        "--rate-limit",
        type=positive(float),
        default=None,
        metavar="N",
        help="at most N requests per second (for shared environments)",
    )
    group.addoption(
        "--fuzz-examples",
        type=positive(int),
        default=None,
        help="generated requests per operation in the fuzzing phase, each sent as every "
        "identity (default: 15)",
    )
    group.addoption(
        "--docs-url",
        default=None,
        metavar="URL",
        help="the kit's documentation site, where each report links a requirement's page: a URL "
        'or a folder (default: the checkout\'s site/, built by `make docs`; "" for no links)',
    )
    known_failures.add_options(group)


def positive(kind: type[float] | type[int]) -> Callable[[str], float]:
    """An option type that refuses zero and negatives: a zero timeout or budget would end in
    errors far from the option that caused them."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            wanted = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"not {wanted}: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value

    return parse


def readable_file(text: str) -> str:
    if not os.path.isfile(text) or not os.access(text, os.R_OK):
        raise argparse.ArgumentTypeError(f"no readable file at {text!r}")
    return os.path.abspath(text)


def is_conformance_run(config: pytest.Config) -> bool:
    """Whether the run collects the kit's cases (by path, or as `--pyargs conformance`): the
    plugin is installed for every pytest run in the environment and leaves the others alone."""
    for arg in config.args:
        path = arg_path(arg.split("::")[0], bool(config.option.pyargs))
        if path is not None and (path == PACKAGE_DIR or PACKAGE_DIR in path.parents):
            return True
    return False


def arg_path(arg: str, pyargs: bool) -> Path | None:
    """Where a command-line argument points: a path, or under --pyargs a module's file."""
    if pyargs and not os.path.exists(arg):
        try:
            spec = importlib.util.find_spec(arg)
        except (ImportError, ValueError):
            return None
        if spec is None or spec.origin is None:
            return None
        origin = Path(spec.origin).resolve()
        return origin.parent if spec.submodule_search_locations else origin
    return Path(arg).resolve()


MARKERS = (
    "requirement(id): the requirement ID a conformance case checks (openapi/requirements.yaml)",
    "writes(level): the --writes level a case needs: reversible or all",
    "role(name): the identity a case acts as",
    "cell(operation_id, identity, object): the cell of the role x operation matrix a case "
    "judges (object: the policy's object, or discovery)",
    "devices_seen: judges every device the run has seen: runs after the cases that read and "
    "change devices",
)


CELL_FIELDS = ("operation", "identity", "object")


def target_url(config: pytest.Config) -> str | None:
    """The target however it was given: --base-url, PYTEST_BASE_URL (that option's default),
    the `base_url` ini setting or `-o base_url=...`. pytest-base-url copies the ini setting to
    the option only in its own pytest_configure, after this one, and not on xdist workers."""
    return config.getoption("base_url", None) or config.getini("base_url") or None


def collects_whole_suite(config: pytest.Config) -> bool:
    pyargs = bool(config.option.pyargs)
    return all(arg_path(arg.split("::")[0], pyargs) == PACKAGE_DIR for arg in config.args)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not is_conformance_run(config):
        return
    settings.apply(config)
    heap.skip_final_collection()
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    # Before collection: the case modules read the chosen profile's contract when imported.
    select_profile(config.getoption("api_version"))
    # One target for every part of the run, whichever way it was given.
    config.option.base_url = target_url(config)
    configure_distribution(config)
    check_base_url(config.getoption("base_url", None))
    PACER.rate = share_of_rate(config.getoption("rate_limit"), config)
    config.stash[CREDENTIALS_KEY] = credentials_received(config) or given_credentials(config)
    report_dir = Path(config.getoption("report_dir"))
    results = Results(report_dir, target_summary(config))
    results.docs_url = docs_url(config.getoption("docs_url"), report_dir)
    config.stash[RESULTS_KEY] = results
    RESULTS["current"] = results
    results.config = config
    results.known = known_failures.load(config)
    # JUnit XML for CI dashboards, unless the user chose a path.
    if not getattr(config.option, "xmlpath", None):
        config.option.xmlpath = str(report_dir / "junit.xml")


def configure_distribution(config: pytest.Config) -> None:
    """pytest-xdist: say when the run's target and writes keep every case on one worker (see
    runs_serially and pytest_xdist_make_scheduler)."""
    if getattr(config.option, "dist", "no") != "no" and runs_serially(config):
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                f"xdist workers sharing one --base-url with --writes {write_level(config)}: "
                "every case runs on one worker, one after another, since a case that changes "
                "devices would race one that reads them; use --writes none to spread the cases "
                "over the workers"
            ),
            stacklevel=3,
        )


def check_base_url(base_url: str | None) -> None:
    """A wrong --base-url is a usage error, said once, before anything is collected."""
    if base_url is None:
        return
    if "@" in base_url.split("//", 1)[-1].split("/", 1)[0]:
        # Reports and reproduction lines show the base URL; credentials have their own options.
        raise pytest.UsageError("--base-url must not hold credentials: use --admin etc.")
    if not base_url.lower().startswith(("http://", "https://")):
        raise pytest.UsageError(f"--base-url must be an http(s) URL, not {base_url!r}")
    if not base_url.rstrip("/").endswith("/api/v2"):
        raise pytest.UsageError(
            f"--base-url must end in /api/v2 (e.g. http://host:8080/api/v2), not {base_url!r}"
        )


def given_credentials(config: pytest.Config) -> dict[str, Credentials]:
    options = {
        identity: config.getoption(f"credentials_{identity.replace('-', '_')}")
        for identity in IDENTITIES
    }
    try:
        return credentials_from(options)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None


def runs_serially(config: pytest.Config) -> bool:
    """Whether every case must run on one xdist worker. Only a target the workers share, with
    writes allowed: a case that changes devices would race one that reads them (a list compared
    with single reads, an inventory counted twice). Without --base-url each worker has its own
    embedded server; with --writes none nothing changes."""
    return bool(config.getoption("base_url", None)) and write_level(config) != "none"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if RESULTS_KEY not in config.stash:
        return
    keep_the_profiles_cases(config, items)
    check_known_failures(config, items)
    items.sort(key=run_order)
    allowed = write_level(config)
    for item in items:
        writes = item.get_closest_marker("writes")
        if writes and WRITE_LEVELS.index(writes.args[0]) > WRITE_LEVELS.index(allowed):
            reason = f"needs --writes {writes.args[0]} (this run: --writes {allowed})"
            item.add_marker(pytest.mark.skip(reason=reason))
        marker = item.get_closest_marker("requirement")
        if marker is None:
            continue
        req = requirement(marker.args[0])
        # `-k DEV-FLD` selects an area, `-k DEV-FLD-003` one requirement.
        item.extra_keyword_matches.add(req.id)
        item.user_properties += [("requirement", req.id), ("level", req.level)]
        item.user_properties.append(("basis", req.basis_text))
        link = requirement_link(results_of(config).docs_url, req.id)
        if link:
            item.user_properties.append(("docs", link))
        identity = case_identity(item)
        if identity:
            item.user_properties.append(("identity", identity))
        cell = item.get_closest_marker("cell")
        if cell is not None:
            item.user_properties.append(("cell", dict(zip(CELL_FIELDS, cell.args, strict=True))))


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """schemathesis builds a module's tests from its schema's settings when it collects them:
    a case module's `apply_run_settings(config)` gives it this run's options first."""
    if RESULTS_KEY not in collector.config.stash or not isinstance(collector, pytest.Module):
        return
    apply = getattr(collector.obj, "apply_run_settings", None)
    if apply is not None:
        apply(collector.config)


def run_order(item: pytest.Item) -> tuple[int, int]:
    """The device checks judge what the cases before them saw; generated requests come last:
    with writes allowed they change state no case restores. Among those, the largest first."""
    if case_requirement(item).startswith("DEV-FUZZ"):
        return 2, fuzz_size_rank(item)
    return (1 if item.get_closest_marker("devices_seen") else 0), 0


def fuzz_size_rank(item: pytest.Item) -> int:
    """The generated-request items are the run's largest (a tenth to a few seconds each, a
    case a few milliseconds). pytest-xdist hands items out in order: with the largest last, one
    worker runs it while the other has nothing left. Sequences chain several requests per
    example; a write's body is most of what is drawn for a single request."""
    if case_requirement(item) == "DEV-FUZZ-002":
        return 0
    method = str(getattr(item, "operation_label", "")).split(" ", 1)[0]
    return 1 if method not in ("GET", "HEAD") else 2


def keep_the_profiles_cases(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselects the cases of requirements that do not apply to --api-version's profile (a rule
    whose form changed is a row per profile: openapi/decisions.md#profiles)."""
    profile = config.getoption("api_version")
    kept: list[pytest.Item] = []
    other: list[pytest.Item] = []
    for item in items:
        (kept if applies_to(item, profile) else other).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = kept


def applies_to(item: pytest.Item, profile: str) -> bool:
    req_id = case_requirement(item)
    return not req_id or profile in requirement(req_id).profiles


def case_requirement(item: pytest.Item) -> str:
    marker = item.get_closest_marker("requirement")
    return str(marker.args[0]) if marker else ""


def check_known_failures(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Before -k deselects: an entry that matches no case of the whole suite is a usage error.
    An xdist worker hands it back, as it does an unusable target: raised there, it would
    crash the worker."""
    if not collects_whole_suite(config):
        return  # a run given one module cannot tell a stale entry from one outside it
    try:
        known_failures.check_collection(known(config), [case_facts(item) for item in items])
    except pytest.UsageError as error:
        if not is_worker(config):
            raise
        abort(config, str(error), EXIT_USAGE)


def case_facts(item: pytest.Item) -> known_failures.Case:
    return known_failures.Case(item.nodeid, case_requirement(item), case_identity(item))


def results_of(config: pytest.Config) -> Results:
    return config.stash[RESULTS_KEY]


def known(config: pytest.Config) -> known_failures.KnownFailures | None:
    results = config.stash.get(RESULTS_KEY, None)
    return results.known if results is not None else None


def case_identity(item: pytest.Item) -> str | None:
    if REPRODUCED_AS in item.stash:  # a generated request, sent as several identities
        return item.stash[REPRODUCED_AS]
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "identity" in callspec.params:
        return str(callspec.params["identity"])
    marker = item.get_closest_marker("role")
    return str(marker.args[0]) if marker else None


# Outermost (tryfirst): its code after `yield` runs last, after schemathesis has shaped the report.
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    marker = item.get_closest_marker("requirement")
    if marker is None or RESULTS_KEY not in item.config.stash:
        return report
    note_writes(report)
    if report.when == "call" or (report.when == "setup" and not report.passed):
        judge(item, call, report)
    return report


def note_writes(report: pytest.TestReport) -> None:
    """The writes this phase sent, on its report: they reach the controller from xdist workers
    too, and the report tells an operator what the run touched."""
    if len(WRITES) > WRITES_NOTED[0]:
        report.user_properties = [*report.user_properties, ("writes", WRITES[WRITES_NOTED[0] :])]
        WRITES_NOTED[0] = len(WRITES)


def judge(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
    """Record the verdict of one case on its report (so it also crosses from xdist workers). A
    failure names the requirement it broke, which may not be the case's own; a broken SHOULD is
    a warning unless --strict (Autobahn's NON-STRICT)."""
    failure = call.excinfo.value if call.excinfo else None
    # Each phase's report shares the item's list; give this one its own before adding to it.
    report.user_properties = list(report.user_properties)
    verdict = "pass"
    if report.skipped:
        verdict = "skip"
    elif report.failed and isinstance(failure, RequirementFailure):
        verdict = "fail"
        # The rendered failure says all a reader needs (requirement, expected, actual, curl);
        # a traceback would add noise and the values of local variables.
        report.longrepr = str(failure)
        report.user_properties.append(("broken", failure.req_id))
        report.user_properties += failure.facts()
        if failure.level != "MUST" and not item.config.getoption("strict"):
            verdict = "warning"
            report.outcome = "passed"
            report.user_properties.append(("message", str(failure)))
            # junit.xml takes a case's properties from its last report: the item's, so that a
            # passed case there still says which SHOULD it broke.
            item.user_properties.append(("warning", str(failure)))
    elif report.failed and report.when == "call" and case_requirement(item).startswith("DEV-FUZZ"):
        verdict = "fail"
        report.longrepr = fuzz_failure(item, failure)
        if REPRODUCTION in item.stash:
            curl = named_credentials(item.stash[REPRODUCTION], case_identity(item))
            report.user_properties.append(("curl", curl))
    elif report.failed:
        verdict = "fail" if report.when == "call" else "error"
    if verdict in {"fail", "warning"}:
        broken = (
            failure.req_id if isinstance(failure, RequirementFailure) else case_requirement(item)
        )
        verdict = known_failures.classify(
            known(item.config), case_facts(item), report, broken, verdict
        )
    report.user_properties.append(("verdict", verdict))


def pytest_report_teststatus(
    report: pytest.TestReport, config: pytest.Config
) -> tuple[str, str, str] | None:
    """A broken SHOULD passes the run, but is counted apart in the console: `W` in the
    progress and "N broken SHOULD" in the last line."""
    if report.when == "call" and dict(report.user_properties).get("verdict") == "warning":
        return "broken SHOULD", "W", "BROKEN SHOULD"
    return None


def fuzz_failure(item: pytest.Item, failure: BaseException | None) -> str:
    """schemathesis's own account (check, received, documented, curl) under the requirement,
    without the exception-group traceback around it."""
    req = requirement(case_requirement(item))
    return named_credentials(f"{req.id} ({req.level}): {req.text}\n{failure}", case_identity(item))


def named_credentials(text: str, identity: str | None) -> str:
    """Reproduction lines name the credentials' variable, as every other failure does, where
    schemathesis writes its filtered header."""
    if identity is None:
        return text
    return text.replace("-H 'Authorization: [Filtered]'", f'-u "${env_var(identity)}"')


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(
    node: pytest.Item | pytest.Collector, call: pytest.CallInfo[Any], report: Any
) -> None:
    # schemathesis rewrites a failure's text here, after the verdict was recorded; the terminal
    # shows the same account as the reports.
    if isinstance(node, pytest.Item) and case_requirement(node).startswith("DEV-FUZZ"):
        failure = call.excinfo.value if call.excinfo else None
        if report.failed and not isinstance(failure, RequirementFailure):
            report.longrepr = fuzz_failure(node, failure)


# The phases of generated requests, by the test function that runs each, and what to say once
# when it begins: together they are the longest part of a run.
PHASES = {
    "test_generated_requests_conform": "Generated requests (schemathesis: examples, coverage, "
    "fuzzing) begin, per operation, each sent as the admin, the supervisor and the agent.",
    "test_linked_sequences_conform": "Linked sequences (schemathesis stateful: read yourself, "
    "create and read back) begin.",
}


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    results = RESULTS.get("current")
    if results is None:
        return
    for function, line in PHASES.items():
        if f"::{function}[" in nodeid and function not in results.phases_started:
            results.phases_started.add(function)
            reporter = results.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line("")
                reporter.write_line(line)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    results = RESULTS.get("current")
    if results is not None:
        results.add(report)


def abort(config: pytest.Config, message: str, returncode: int) -> None:
    """End the run with one readable line, and a report that says why."""
    results = config.stash.get(RESULTS_KEY, None)
    if results is not None:
        results.aborted = message
    session = config.stash.get(SESSION_KEY, None)
    if session is not None and is_worker(config):
        hand_back_abort(session, message, returncode)
    pytest.exit(message, returncode=returncode)


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[SESSION_KEY] = session


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # Only a run of cases gains (a collection in a caller's process leaves its heap alone).
    if RESULTS_KEY in session.config.stash and not session.config.option.collectonly:
        heap.freeze_after_collection()


def pytest_unconfigure(config: pytest.Config) -> None:
    heap.restore_threshold()


# ---------------------------------------------------------------- pytest-xdist, controller side


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    credentials = node.config.stash.get(CREDENTIALS_KEY, None)
    if credentials:
        send_credentials(node.workerinput, credentials)
    known_failures.send(node.workerinput, known(node.config))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Whatever --dist says, a run that must not spread (runs_serially) gets one worker."""
    if not runs_serially(config):
        return None
    from conformance.target.scheduling import OneWorker  # see its module: controller only

    return OneWorker(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    handed_back = abort_handed_back(node)
    if handed_back:
        abort(node.config, *handed_back)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    results = config.stash.get(RESULTS_KEY, None)
    if results is None or not results.outcomes:
        return
    terminalreporter.section("Devices API conformance")
    for line in results.summary_lines():
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = session.config.stash.get(RESULTS_KEY, None)
    if results is None or is_worker(session.config):
        return
    if not results.outcomes and not results.aborted:
        return
    results.write()
    known_failures.finish(session, results)


def target_summary(config: pytest.Config) -> dict[str, Any]:
    base_url = config.getoption("base_url", None)
    return {
        "base_url": base_url or "embedded reference server",
        "api_version": config.getoption("api_version"),
        "writes": write_level(config),
        "strict": bool(config.getoption("strict")),
    }
