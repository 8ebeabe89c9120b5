"""The suite's own requests keep to the contract: every request the reference server accepted
(2xx) during a run passes openapi-core's request validation. A case that reached success only
through a request the contract does not allow would fail against a correct server that refuses
it: a false alarm waiting to happen. The generated requests are left out: they are invalid on
purpose, and schemathesis judges them by what the contract expects."""

from __future__ import annotations

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.wrappers import Request

from conformance.contract.contract import SPEC_PATH
from conformance.reference.app import ReferenceApp
from tests.harness import Recorder, run_suite, served

# Requests outside the contract that a case sends on purpose and judges by the envelope only.
ODD_ON_PURPOSE = {
    # DEV-HTTP-002 (test_envelope.py, "bare-fields"): `fields` without a value.
    ("GET", "/api/v2/me/devices?fields"),
}
WITHOUT_FUZZING = ("--ignore", "conformance/cases/test_fuzz.py", "-p", "no:schemathesis")


def violation(api: OpenAPI, request: Request) -> str | None:
    try:
        api.validate_request(WerkzeugOpenAPIRequest(request))
    except Exception as error:  # openapi-core raises many OpenAPIError subclasses
        return f"{type(error).__name__}: {error} ({error.__cause__})"
    return None


def test_every_accepted_request_of_the_suite_is_one_the_contract_allows() -> None:
    recorder = Recorder(ReferenceApp())
    with served(recorder) as url:
        run = run_suite(url, *WITHOUT_FUZZING)
    assert run.returncode == 0, run.output[-2000:]
    accepted = [received.request for received in recorder.received if 200 <= received.status < 300]
    assert len(accepted) > 200, "too few requests to judge"
    api = OpenAPI.from_file_path(str(SPEC_PATH))
    found = {
        (request.method, request.full_path.rstrip("?")): problem
        for request in accepted
        if (problem := violation(api, request))
    }
    unexpected = {key: problem for key, problem in found.items() if key not in ODD_ON_PURPOSE}
    assert not unexpected, unexpected
    assert set(found) == ODD_ON_PURPOSE, "a request on purpose is no longer sent: drop it here"
