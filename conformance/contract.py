"""The contract and the requirement catalogue: read once per process, shared by every part."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

# libyaml parses the contract ten times faster than the pure-Python loader (about 150 ms
# saved per process, xdist workers included); same documents, same result.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ROOT = Path(__file__).resolve().parent.parent
# The package's `openapi` folder: in a checkout a link to the top-level openapi/, in an installed
# wheel a copy of it; found the same way in both.
CONTRACT_DIR = Path(__file__).resolve().parent / "openapi"
SPEC_PATH = CONTRACT_DIR / "devices.yaml"
CATALOGUE_PATH = CONTRACT_DIR / "requirements.yaml"

LEVELS = ("MUST", "SHOULD", "MAY")


@dataclass(frozen=True)
class Requirement:
    """One row of openapi/requirements.yaml."""

    id: str
    level: str
    text: str
    source: str
    operations: tuple[str, ...]
    not_tested: str | None

    @property
    def area(self) -> str:
        return self.id.split("-")[1]


@cache
def spec() -> dict[str, Any]:
    """The contract as a plain dict."""
    with SPEC_PATH.open(encoding="utf-8") as stream:
        loaded: dict[str, Any] = yaml.load(stream, Loader=LOADER)
    return loaded


@cache
def catalogue() -> dict[str, Requirement]:
    """The requirement catalogue, keyed by ID, in catalogue order."""
    with CATALOGUE_PATH.open(encoding="utf-8") as stream:
        rows = yaml.load(stream, Loader=LOADER)["requirements"]
    return {
        row["id"]: Requirement(
            id=row["id"],
            level=row["level"],
            text=" ".join(str(row["text"]).split()),
            source=str(row["source"]),
            operations=tuple(row.get("operations", ())),
            not_tested=row.get("not_tested"),
        )
        for row in rows
    }


def requirement(req_id: str) -> Requirement:
    try:
        return catalogue()[req_id]
    except KeyError:
        raise KeyError(f"{req_id} is not in {CATALOGUE_PATH.name}") from None


@cache
def spec_digest() -> str:
    import hashlib

    return hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest()


def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (METHOD, path, operation object)."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def device_attribute_requirements() -> dict[str, str]:
    """Device attribute name -> the requirement ID that governs its format."""
    properties = spec()["components"]["schemas"]["Device"]["properties"]
    return {name: schema["x-requirement"] for name, schema in properties.items()}
