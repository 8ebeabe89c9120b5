"""Discovery as a user meets it: credentials the target refuses for one identity cost that
identity's cases, with the reason, and fail its discovery case; the other identities are judged."""

from __future__ import annotations

from conformance.reference.app import ReferenceApp
from tests.harness import run_suite, served, suite_environment

TESTS_FAILED = 1


def test_one_refused_identity_leaves_the_others_judged() -> None:
    env = suite_environment()
    env["DEVICES_API_OTHER_AGENT"] += "-mistyped"
    with served(ReferenceApp()) as url:
        run = run_suite(url, "--writes", "none", "-k", "not DEV-FUZZ", env=env)
    assert run.returncode == TESTS_FAILED, run.output[-2000:]
    assert run.report["aborted"] is None
    cases = {c["nodeid"].split("::")[-1]: c for c in run.report["cases"]}
    refused = cases["test_a_discovery_answer_conforms[other-agent:me]"]
    assert (refused["verdict"], refused["broken"]) == ("fail", "DEV-PERM-010")
    assert "check $DEVICES_API_OTHER_AGENT" in refused["message"]
    assert "-mistyped" not in run.output + str(run.report), "the password reached the output"
    skipped = [c for c in cases.values() if "refused the other-agent credentials" in c["message"]]
    assert skipped, "no case of the other agent was skipped saying why"
    assert all(c["verdict"] == "skip" for c in skipped)
    assert cases["test_a_discovery_answer_conforms[agent:me]"]["verdict"] == "pass"
    assert run.report["case_totals"]["pass"] > 100, run.report["case_totals"]
