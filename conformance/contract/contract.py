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

ROOT = Path(__file__).resolve().parents[2]
# The package's `openapi` folder: in a checkout a link to the top-level openapi/, in an installed
# wheel a copy of it; found the same way in both.
CONTRACT_DIR = Path(__file__).resolve().parents[1] / "openapi"
SPEC_PATH = CONTRACT_DIR / "devices.yaml"
CATALOGUE_PATH = CONTRACT_DIR / "requirements.yaml"

# The profiles of the contract: the version a deployment runs decides the shape of its answers
# (openapi/decisions.md#profiles). 8.5.0 covers 8.5.0 and 8.5.1; 8.5.2 covers 8.5.2 and later,
# its document generated from the 8.5.0 one and the overlay beside it.
PROFILES = ("8.5.0", "8.5.2")
DEFAULT_PROFILE = "8.5.0"
SPEC_PATHS = {"8.5.0": SPEC_PATH, "8.5.2": CONTRACT_DIR / "devices-8.5.2.yaml"}
# The profile this process judges by: the suite's --api-version, set once before collection.
_SELECTED = [DEFAULT_PROFILE]

LEVELS = ("MUST", "SHOULD", "MAY")
# What a requirement rests on (openapi/decisions.md#what-strictness-rests-on): the key that
# names it, and the key of what it says (a vendor sentence) or of what a client would feel.
BASIS_KINDS = {"vendor": "says", "rfc": "felt", "decision": "felt", "reading": "felt"}


@dataclass(frozen=True)
class Basis:
    kind: str  # vendor, rfc, decision or reading (a strict reading: SHOULD at most)
    ref: str  # the vendor page, the RFC section or the decision's section
    note: str  # the vendor's sentence, or what a client feels when a server breaks it

    @classmethod
    def of(cls, row: dict[str, Any]) -> Basis | None:
        given = row.get("basis")
        if not isinstance(given, dict):
            return None
        for kind, note_key in BASIS_KINDS.items():
            if kind in given:
                note = " ".join(str(given.get(note_key, "")).split())
                return cls(kind, str(given[kind]), note)
        return None

    def render(self) -> str:
        """One line for a report: `vendor: seed: List Devices ("...")`."""
        if self.kind == "vendor":
            return f'{self.kind}: {self.ref} ("{self.note}")' if self.note else self.ref
        return f"{self.kind}: {self.ref}" + (f"; felt: {self.note}" if self.note else "")


@dataclass(frozen=True)
class Requirement:
    """One row of openapi/requirements.yaml."""

    id: str
    level: str
    text: str
    source: str
    operations: tuple[str, ...]
    not_tested: str | None
    profiles: tuple[str, ...] = PROFILES
    basis: Basis | None = None

    @property
    def basis_text(self) -> str:
        return self.basis.render() if self.basis else ""

    @property
    def area(self) -> str:
        return self.id.split("-")[1]


def select_profile(profile: str) -> None:
    """Judge by `profile` from now on (the suite's --api-version)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}")
    _SELECTED[0] = profile


def selected_profile() -> str:
    return _SELECTED[0]


def spec_path(profile: str | None = None) -> Path:
    """The contract document of `profile` (default: the selected one)."""
    return SPEC_PATHS[profile or selected_profile()]


def spec(profile: str | None = None) -> dict[str, Any]:
    """The contract of `profile` (default: the selected one) as a plain dict."""
    return _spec(profile or selected_profile())


@cache
def _spec(profile: str) -> dict[str, Any]:
    with SPEC_PATHS[profile].open(encoding="utf-8") as stream:
        loaded: dict[str, Any] = yaml.load(stream, Loader=LOADER)
    return loaded


@cache
def every_requirement() -> dict[str, Requirement]:
    """The whole catalogue, every profile's rows, keyed by ID, in catalogue order."""
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
            profiles=tuple(row.get("profiles", PROFILES)),
            basis=Basis.of(row),
        )
        for row in rows
    }


def catalogue(profile: str | None = None) -> dict[str, Requirement]:
    """The requirements of `profile` (default: the selected one), keyed by ID."""
    chosen = profile or selected_profile()
    return {key: row for key, row in every_requirement().items() if chosen in row.profiles}


def requirement(req_id: str) -> Requirement:
    try:
        return every_requirement()[req_id]
    except KeyError:
        raise KeyError(f"{req_id} is not in {CATALOGUE_PATH.name}") from None


def spec_digest() -> str:
    return _digest(spec_path())


@cache
def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


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
