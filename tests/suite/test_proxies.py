"""Proxy settings of the environment (set for reaching a package index, say) never carry the
suite's requests to the target, schemathesis's included: a proxy that cannot reach it would
turn into false failures."""

from __future__ import annotations

from conformance.reference.app import ReferenceApp
from tests.harness import run_suite, served, suite_environment
from tests.hostile.servers import closed_port

# Generated reads of GET /me: schemathesis's requests and its ignored_auth probes, which go out
# on a session of their own.
GENERATED_READS = ("--writes", "none", "-k", "test_generated_requests_conform and not devices")


def test_a_dead_proxy_in_the_environment_changes_nothing() -> None:
    env = suite_environment()
    with closed_port() as dead:
        proxy = dead.split("/api/")[0]
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
            env[name] = proxy
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
        with served(ReferenceApp()) as url:
            run = run_suite(url, *GENERATED_READS, env=env)
    assert run.returncode == 0, run.output[-2000:]
    assert not run.failed, run.failed
