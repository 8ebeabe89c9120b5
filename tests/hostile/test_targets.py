"""Targets the suite cannot use: each run ends early with one clear line, a non-zero exit and,
once the options are valid, a report saying why. The runs go in parallel to keep the time low."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass

import pytest

from conformance.plugin import EXIT_UNUSABLE_TARGET, EXIT_USAGE
from tests.harness import SuiteRun

from . import servers
from .runner import assert_ended_cleanly, run_hostile, selected

# Each run starts a Python and pytest (a few seconds of CPU); a hostile wait adds at most the
# request timeout. Four runs at a time share the machine, hence the margin.
WITHIN = 60.0
PARALLEL_RUNS = 4
# pytest's own summary line, then the reason.
MAX_LINES = 3


@dataclass(frozen=True)
class Hostile:
    name: str
    behaviour: str
    serve: Callable[[], AbstractContextManager[str]]  # yields the --base-url
    message: str  # a regular expression the output must match
    returncode: int = EXIT_UNUSABLE_TARGET
    args: tuple[str, ...] = ()


def url(text: str) -> Callable[[], AbstractContextManager[str]]:
    return lambda: nullcontext(text)


QUICK = ("--request-timeout", "1")

HOSTILE = [
    Hostile("refused", "nothing listens on the port", servers.closed_port, "connection refused"),
    Hostile(
        "unknown-host",
        "the host name does not resolve",
        url("http://devices.hostile.invalid/api/v2"),
        r"Cannot use http://devices\.hostile\.invalid/api/v2: .*no response",
    ),
    Hostile(
        "silent-resolver",
        "the name server never answers",
        url("http://devices.silent.invalid/api/v2"),
        r"Cannot use http://devices\.silent\.invalid/api/v2: the host name "
        r"devices\.silent\.invalid did not resolve within 1 s",
        args=("-p", "tests.hostile.silent_resolver", *QUICK),
    ),
    Hostile(
        "wrong-scheme",
        "the base URL is ftp://",
        url("ftp://127.0.0.1/api/v2"),
        r"--base-url must be an http\(s\) URL",
        returncode=EXIT_USAGE,
    ),
    Hostile(
        "not-api-v2",
        "the base URL does not end in /api/v2",
        url("http://127.0.0.1:9/api/v1"),
        r"--base-url must end in /api/v2",
        returncode=EXIT_USAGE,
    ),
    Hostile("tls", "https:// to a plain HTTP port", servers.tls_to_plain_http, "TLS handshake"),
    Hostile(
        "hang",
        "accepts, never answers",
        lambda: servers.raw_server(servers.hang),
        "timed out",
        args=QUICK,
    ),
    Hostile(
        "trickle",
        "sends its head one byte every half second, for ever",
        lambda: servers.raw_server(servers.trickle),
        "timed out",
        args=("--request-timeout", "2"),
    ),
    Hostile(
        "reset",
        "resets the connection after the request",
        lambda: servers.raw_server(servers.reset),
        r"connection (reset|closed)",
    ),
    Hostile(
        "invalid-json",
        "answers invalid JSON as application/json",
        lambda: servers.wsgi_server(servers.invalid_json),
        r"GET /me answered HTTP 200 application/json",
    ),
    Hostile(
        "refuses-everyone",
        "answers 401 to every request, whatever the credentials",
        lambda: servers.wsgi_server(servers.refuse_everyone),
        r"no identity authenticates: the target refused the admin, supervisor, agent, "
        r"other-agent credentials \(HTTP 401 on GET /me\); check \$DEVICES_API_ADMIN",
    ),
    Hostile(
        "html-error",
        "answers an HTML error page",
        lambda: servers.wsgi_server(servers.html_error),
        r"GET /me answered HTTP 500 text/html",
    ),
    Hostile(
        "huge-body",
        f"streams a {servers.HUGE_MIB} MiB body",
        lambda: servers.wsgi_server(servers.huge_body),
        r"more than 8388608 bytes; reading stopped",
        args=("--request-timeout", "5"),
    ),
    Hostile(
        "gzip-bomb",
        f"sends a gzip body that decodes to {servers.HUGE_MIB} MiB",
        lambda: servers.wsgi_server(servers.gzip_bomb),
        r"more than 8388608 bytes; reading stopped",
        args=("--request-timeout", "5"),
    ),
    Hostile(
        "redirect",
        "redirects every request to another origin",
        servers.redirect_elsewhere,
        r"GET /me answered HTTP 302 .*redirect to http://127\.0\.0\.1:\d+/api/v2/me \(not followed",
    ),
]
BY_NAME = {hostile.name: hostile for hostile in HOSTILE}


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[dict[str, SuiteRun]]:
    """One suite run per selected row, all started together, each against its own server."""
    chosen = selected(request)
    with ExitStack() as stack:
        urls = {name: stack.enter_context(BY_NAME[name].serve()) for name in chosen}
        with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
            futures = {
                name: pool.submit(run_hostile, urls[name], *BY_NAME[name].args) for name in chosen
            }
            yield {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", [h.name for h in HOSTILE])
def test_a_hostile_target_ends_the_run_cleanly(name: str, runs: dict[str, SuiteRun]) -> None:
    hostile, run = BY_NAME[name], runs[name]
    assert_ended_cleanly(run, hostile.message, within=WITHIN)
    assert run.returncode == hostile.returncode, run.output[-2000:]
    lines = run.output.strip().splitlines()
    assert len(lines) <= MAX_LINES, "the reason, not a page of noise:\n" + run.output[-2000:]


@pytest.mark.parametrize("name", [h.name for h in HOSTILE if h.returncode == EXIT_UNUSABLE_TARGET])
def test_an_unusable_target_leaves_a_report_saying_why(
    name: str, runs: dict[str, SuiteRun]
) -> None:
    run = runs[name]
    assert run.report.get("aborted"), sorted(run.reports)
    assert "\n" not in run.report["aborted"], "the reason fits on one line"
    assert "The run stopped" in run.reports["conformance.md"]


@pytest.mark.parametrize("name", ["redirect"])
def test_a_redirect_is_not_followed_with_credentials(name: str, runs: dict[str, SuiteRun]) -> None:
    assert runs[name].returncode == EXIT_UNUSABLE_TARGET
    assert servers.REDIRECT_DESTINATION.authorizations == []
