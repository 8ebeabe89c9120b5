"""Generated requests (schemathesis): valid and invalid input for every operation, as each
identity, judged by schemathesis's checks against the contract."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from pyrate_limiter import Limiter
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi import checks

from conformance.contract.contract import spec_path
from conformance.contract.failures import REPRODUCED_AS, REPRODUCTION
from conformance.contract.kit_limits import case_breaks_only_kit_limits
from conformance.steps.numbers_pool import NumberPool
from conformance.target.client import PACER, TargetSession, basic
from conformance.target.target import Target, write_level

DEFAULT_EXAMPLES = 15
FUZZ_IDENTITIES = ("admin", "supervisor", "agent")

# config=Config(): no schemathesis.toml of the target's repository changes the verdicts.
schema = schemathesis.openapi.from_path(spec_path(), config=schemathesis.Config())
schema.config.generation.update(
    # The gate gives the same verdict on every run: derandomized, no example database.
    deterministic=True,
    database="none",
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    # Unknown query parameters are ignored (openapi/decisions.md#unknown-query-parameters), so a
    # request that only adds one is not invalid and its acceptance is no failure.
    allow_extra_parameters=False,
)


class SuitePace(Limiter):
    """The limiter schemathesis consults before every request it sends, the probes of its
    checks included (ignored_auth resends an accepted request without credentials, outside
    any session the suite gives it): each waits for the suite's pacer, so --rate-limit holds
    for the whole run."""

    def __init__(self) -> None:
        # pyrate-limiter's buckets (and their leak thread) are not used: the pacer decides.
        pass

    def try_acquire(
        self, name: str = "pyrate", weight: int = 1, blocking: bool = True, timeout: float = -1
    ) -> bool:
        PACER.wait()
        return True


EVERY_UNEXPECTED_METHOD = frozenset(schema.config.phases.coverage.unexpected_methods or ())


def fuzz_examples(config: pytest.Config) -> int:
    return int(config.getoption("fuzz_examples") or DEFAULT_EXAMPLES)


def apply_run_settings(config: pytest.Config) -> None:
    """This run's options on the schema, before schemathesis builds its tests from it (the
    plugin calls this at collection, from pytest's config: the module may have been imported
    by an earlier run in the same process)."""
    schema.config.generation.update(max_examples=fuzz_examples(config))
    schema.config.rate_limit = SuitePace() if PACER.rate else None
    # The coverage phase also sends every method an operation lacks (DELETE, PUT, PATCH, ...)
    # to its path, ids filled from the contract's examples: on a server that wrongly
    # implements one, that is a write. Read-only and reversible runs leave those to the 405
    # cases, which use unknown ids.
    writes_all = write_level(config) == "all"
    schema.config.phases.coverage.unexpected_methods = set(
        EVERY_UNEXPECTED_METHOD if writes_all else ()
    )
    # What an earlier run in this process confirmed was of another target.
    AUTH_CONFIRMED.clear()


# Whether valid input is accepted depends on what no schema holds: the device's state (an
# operation not among its capabilities is refused), numbering plans (a well-formed but
# unallocated number), and that unknown `fields` may be refused with 400
# (openapi/decisions.md#fields).
# The suite's own cases test acceptance where the answer is fixed.
EXCLUDED_ALWAYS = [checks.positive_data_acceptance]
# unsupported_method probes other methods on the same paths, collections included: a write.
EXCLUDED_UNLESS_WRITES_ALL = [checks.unsupported_method]


def excluded_checks(case: Any, target: Target) -> list[Any]:
    """The checks that do not judge this case. An invalid case whose only fault is a limit of
    the kit's own (a model longer than the contract's 64, say) is no invalid request to the API:
    a server may accept it (openapi/decisions.md#limits-of-the-kits-own)."""
    excluded = EXCLUDED_ALWAYS + ([] if target.allows("all") else EXCLUDED_UNLESS_WRITES_ALL)
    if case_breaks_only_kit_limits(case):
        excluded = [*excluded, checks.negative_data_rejection]
    if case.operation.label in AUTH_CONFIRMED:
        excluded = [*excluded, checks.ignored_auth]
    return excluded


# Operations on which ignored_auth has confirmed, in this process, that a request stripped of
# its credentials or given wrong ones is refused. The check sends those two probes after every
# accepted request; schemathesis's own runner sends them once per operation and run
# ("enforcement is a property of the operation"), and so does the suite. Whether every
# operation refuses each kind of bad credentials is the DEV-AUTH cases' own proof.
AUTH_CONFIRMED: set[str] = set()


def note_auth_confirmed(case: Any, response: Any) -> None:
    """After checks that passed: whether ignored_auth probed this accepted request (it does for
    a request carrying credentials that reached the operation's route)."""
    probed = (
        200 <= response.status_code < 300
        and "Authorization" in (case.headers or {})
        and not (case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH))
    )
    if probed:
        AUTH_CONFIRMED.add(case.operation.label)


# Explicitly no proxy: requests drops the None entries after they have kept the environment's
# proxies out, as the suite's session does (trust_env off).
NO_PROXIES = {"http": None, "https": None, "all": None}


def transport_settings(target: Target) -> dict[str, Any]:
    """What every request schemathesis sends must carry explicitly. It sends its own `verify`,
    which would override the session's CA bundle; and the probes of its checks go out on a
    fresh session that would take proxies and CAs from the environment."""
    return {"verify": target.tls_verify, "proxies": NO_PROXIES}


def wants(case: Any, target: Target) -> str | None:
    """Why this case is not sent, or None."""
    if case.operation.method.upper() != "GET" and not target.allows("all"):
        return f"fuzzing {case.operation.method.upper()} creates data: needs --writes all"
    return None


def senders(case: Any, target: Target) -> list[tuple[str | None, str | None]]:
    """Who sends this generated request, with the Authorization each puts on it: every fuzzing
    identity that has credentials, one after the other. A negative case that removed or broke
    Authorization on purpose goes out once, as it is: no identity would change it."""
    if case.operation.schema.is_security_param_negated(case):
        return [(None, None)]
    return [
        (identity, basic(credentials.user, credentials.password))
        for identity in FUZZ_IDENTITIES
        if (credentials := target.credentials.get(identity)) is not None
    ]


@pytest.mark.requirement("DEV-FUZZ-001")
@schema.parametrize()
def test_generated_requests_conform(case, target, inventory, fuzz_session, request):
    """Sends each generated valid and invalid request as the admin, the supervisor and the
    agent in turn; schemathesis's checks hold for every answer. One draw serves the three
    identities: the requests are those three draws of the same derandomized data would make,
    at a third of the generation."""
    reason = wants(case, target)
    if reason:
        pytest.skip(reason)
    sending = senders(case, target)
    if not sending:
        pytest.skip(f"no credentials for any of {', '.join(FUZZ_IDENTITIES)}")
    for identity, authorization in sending:
        if authorization is not None:
            case.headers = {**(case.headers or {}), "Authorization": authorization}
        try:
            response = case.call_and_validate(
                base_url=target.base_url,
                session=fuzz_session,
                excluded_checks=excluded_checks(case, target),
                timeout=target.timeout,
                **transport_settings(target),
            )
            note_auth_confirmed(case, response)
        except FailureGroup:
            # Hypothesis replays the smallest failing example last: its request is the one kept.
            request.node.stash[REPRODUCTION] = case.as_curl_command(base_url=target.base_url)
            if identity is not None:
                request.node.stash[REPRODUCED_AS] = identity
            raise


@pytest.mark.requirement("DEV-FUZZ-002")
@pytest.mark.parametrize("identity", ["admin", "agent"])
def test_linked_sequences_conform(identity, target, inventory, fuzz_session, request):
    """Follows the contract's links (read yourself, list your devices, create and read one) in
    generated sequences as the identity; every response conforms."""
    credentials = target.credentials.get(identity)
    if credentials is None:
        pytest.skip(f"no credentials for {identity}")
    # Read-only runs follow only the links between GETs.
    scope = schema if target.allows("all") else schema.include(method="GET")
    pool = request.getfixturevalue("numbers") if target.allows("all") else None
    authorization = basic(credentials.user, credentials.password)
    machine = linked_machine(scope, target, authorization, fuzz_session, pool)
    machine.run(
        settings=hypothesis.settings(
            max_examples=fuzz_examples(request.config),
            stateful_step_count=5,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )


def linked_machine(
    scope: Any, target: Target, authorization: str, session: Any, pool: NumberPool | None
) -> Any:
    class LinkedSequences(scope.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            if not case.operation.schema.is_security_param_negated(case):
                case.headers = {**(case.headers or {}), "Authorization": authorization}
            # A generated phone number is almost never an allocated one, so creates would all
            # be refused and the create -> read link never followed: use a free test number.
            if pool is not None and isinstance(case.body, dict) and "phoneNumber" in case.body:
                case.body = {**case.body, "phoneNumber": pool.take()}

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {
                "base_url": target.base_url,
                "session": session,
                "timeout": target.timeout,
                **transport_settings(target),
            }

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            # The recorder lets the stateful checks (ensure_resource_availability,
            # use_after_free) find the create a later read depends on.
            case.validate_response(
                response,
                excluded_checks=excluded_checks(case, target),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )
            note_auth_confirmed(case, response)

    return LinkedSequences


@pytest.fixture(scope="session")
def fuzz_session(target):
    with TargetSession(target.tls_verify) as session:
        yield session
