"""Methods a path does not have (RFC 9110 section 15.5.6): 405 with `Allow`."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.contract.contract import spec
from conformance.contract.failures import expect
from conformance.contract.validation import check_exchange

MISSING_ID = "00000000-0000-4000-8000-00000000beef"
MISSING_USER = "00000000000000000000000000beef00"


def paths_and_methods() -> list[Any]:
    """One case per path and method it lacks, ids filled with unknown ones. These methods are
    writes on a server that wrongly implements them: on an item path with an unknown id there
    is nothing to change (--writes reversible), on a collection there is (--writes all)."""
    cases = []
    for template, item in spec()["paths"].items():
        has = {m.upper() for m in item if m in {"get", "post", "put", "delete", "patch"}}
        path = template.replace("{id}", MISSING_ID).replace("{userId}", MISSING_USER)
        writes = "reversible" if path != template else "all"
        for method in ("DELETE", "PUT", "PATCH"):
            if method not in has:
                marks = pytest.mark.writes(writes)
                cases.append(
                    pytest.param(path, method, has, id=f"{method} {template}", marks=marks)
                )
    return cases


@pytest.mark.requirement("DEV-HTTP-003")
@pytest.mark.parametrize(("path", "method", "has"), paths_and_methods())
def test_a_method_the_path_lacks_is_405_with_allow(path, method, has, client):
    """Sends a method the path does not have; the answer is 405 listing the path's methods."""
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
