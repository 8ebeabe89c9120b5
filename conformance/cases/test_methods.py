"""Methods a path does not have (RFC 9110 section 15.5.6): 405 with `Allow`."""

from __future__ import annotations

import pytest

from conformance.contract import spec
from conformance.failures import expect
from conformance.validation import check_exchange

MISSING_ID = "00000000-0000-4000-8000-00000000beef"
MISSING_USER = "00000000000000000000000000beef00"


def paths_and_methods() -> list[tuple[str, str, set[str], str]]:
    """(path with ids filled, a method it lacks, the methods it has). Unknown ids, and only
    DELETE/PUT/PATCH on item paths: a server that wrongly implements them finds nothing to
    change. Collection paths get the same methods only when the run may write."""
    cases = []
    for template, item in spec()["paths"].items():
        has = {m.upper() for m in item if m in {"get", "post", "put", "delete", "patch"}}
        path = template.replace("{id}", MISSING_ID).replace("{userId}", MISSING_USER)
        for method in ("DELETE", "PUT", "PATCH"):
            if method not in has:
                cases.append((path, method, has, f"{method} {template}"))
    return cases


@pytest.mark.requirement("DEV-HTTP-003")
@pytest.mark.parametrize(
    ("path", "method", "has"),
    [pytest.param(p, m, h, id=label) for p, m, h, label in paths_and_methods()],
)
def test_a_method_the_path_lacks_is_405_with_allow(path, method, has, client, target):
    """Sends a method the path does not have; the answer is 405 listing the path's methods."""
    touches_collection = MISSING_ID not in path and MISSING_USER not in path
    if touches_collection and not target.allows("all"):
        pytest.skip(f"{method} on a collection is a write: needs --writes all")
    caller = client("admin")
    exchange = caller.send(method, caller.target.base_url + path)
    expect(exchange.status == 405, "DEV-HTTP-003", "HTTP 405", exchange.describe(), exchange)
    allow = {m.strip().upper() for m in exchange.headers.get("allow", "").split(",") if m.strip()}
    expect(
        has <= allow,
        "DEV-HTTP-003",
        f"Allow listing {sorted(has)}",
        f"Allow: {exchange.headers.get('allow', '(none)')}",
        exchange,
    )
    check_exchange(exchange, caller.target.base_url, contract=False)
