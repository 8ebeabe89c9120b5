"""The suite's own requests keep to the contract: every request the reference server accepted
(2xx) during a run passes openapi-core's request validation. A case that reached success only
through a request the contract does not allow would fail against a correct server that refuses
it: a false alarm waiting to happen. The generated requests are left out: they are invalid on
purpose, and schemathesis judges them by what the contract expects."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from typing import Any

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.wrappers import Request

from conformance.contract import SPEC_PATH
from conformance.reference.app import ReferenceApp
from tests.harness import run_suite, served

# Requests outside the contract that a case sends on purpose and judges by the envelope only.
ODD_ON_PURPOSE = {
    # DEV-HTTP-002 (test_envelope.py, "bare-fields"): `fields` without a value.
    ("GET", "/api/v2/me/devices?fields"),
}
WITHOUT_FUZZING = ("--ignore", "conformance/cases/test_fuzz.py", "-p", "no:schemathesis")


class AcceptedRequests:
    """Wraps an app; keeps every request it answered with a 2xx, body included."""

    def __init__(self, app: ReferenceApp) -> None:
        self.app = app
        self.accepted: list[Request] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        kept = Request({**environ, "wsgi.input": io.BytesIO(body)})
        statuses: list[int] = []

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            statuses.append(int(status.split()[0]))
            return start_response(status, headers, *exc)

        answer = list(self.app(environ, start))
        if statuses and 200 <= statuses[0] < 300:
            with self.lock:
                self.accepted.append(kept)
        return answer


def violation(api: OpenAPI, request: Request) -> str | None:
    try:
        api.validate_request(WerkzeugOpenAPIRequest(request))
    except Exception as error:  # openapi-core raises many OpenAPIError subclasses
        return f"{type(error).__name__}: {error} ({error.__cause__})"
    return None


def test_every_accepted_request_of_the_suite_is_one_the_contract_allows() -> None:
    recorder = AcceptedRequests(ReferenceApp())
    with served(recorder) as url:
        run = run_suite(url, *WITHOUT_FUZZING)
    assert run.returncode == 0, run.output[-2000:]
    assert len(recorder.accepted) > 200, "too few requests to judge"
    api = OpenAPI.from_file_path(str(SPEC_PATH))
    found = {
        (request.method, request.full_path.rstrip("?")): problem
        for request in recorder.accepted
        if (problem := violation(api, request))
    }
    unexpected = {key: problem for key, problem in found.items() if key not in ODD_ON_PURPOSE}
    assert not unexpected, unexpected
    assert set(found) == ODD_ON_PURPOSE, "a request on purpose is no longer sent: drop it here"
