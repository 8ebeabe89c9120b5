"""Fuzzing sends ignored_auth's probes (the accepted request again without credentials, then
with wrong ones) once per operation and run, not after every accepted request: the first
accepted request of each operation is still probed, so a server that serves a request without
credentials fails DEV-FUZZ-001 on it."""

from __future__ import annotations

from tests.broken.catalogue import by_name
from tests.harness import run_suite, served

# The generated requests of GET /me alone: an accepted request on the first draw.
ONLY_GET_ME = ("-k", "test_generated_requests_conform and not devices")


def test_a_server_that_serves_requests_without_credentials_fails_the_generated_requests() -> None:
    with served(by_name("anonymous-is-admin").build()) as url:
        run = run_suite(url, *ONLY_GET_ME, writes="none")
    verdicts = {r["id"]: r["status"] for r in run.report["requirements"]}
    assert verdicts.get("DEV-FUZZ-001") == "fail", run.output[-3000:]
    assert "authentication" in run.output.lower(), run.output[-3000:]
