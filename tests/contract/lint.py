"""Lint rules for the contract (openapi/devices.yaml), the catalogue (openapi/requirements.yaml)
and the decisions they cite (openapi/decisions.md).

Every rule is a function that takes the loaded documents and returns readable problems, one
string each; an empty list means the documents follow the rule. The rules know nothing about
the real files, so the tests can feed them deliberately broken copies.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

Document = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "devices.yaml"
# Each profile's document (openapi/decisions.md#profiles); the 8.5.2 one is generated.
SPEC_PATHS = {"8.5.0": SPEC_PATH, "8.5.2": ROOT / "openapi" / "devices-8.5.2.yaml"}
PROFILES = tuple(SPEC_PATHS)
CATALOGUE_PATH = ROOT / "openapi" / "requirements.yaml"
DECISIONS_PATH = ROOT / "openapi" / "decisions.md"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ROLES = ("admin", "supervisor", "agent")
# The verdicts a role may get; `x-access-verdicts` also names outcomes that are not about a
# role (`unauthenticated`, `missing`), which no role may be given.
ROLE_VERDICTS = ("allow", "deny", "owner", "self")
ACCESS_OBJECTS = ("device", "user")
LEVELS = ("MUST", "SHOULD", "MAY")
# The members a catalogue row may have; the --writes level of a requirement is not one of them:
# its cases' `writes` markers say it, and openapi/coverage.md shows it.
ENTRY_KEYS = (
    "id", "level", "text", "source", "basis", "operations", "profiles", "not_tested", "withdrawn",
)  # fmt: skip
# What a row rests on, and the member that says what it says or what a client feels
# (openapi/decisions.md#what-strictness-rests-on); a strict reading is at most a SHOULD.
BASIS_NOTES = {"vendor": "says", "rfc": "felt", "decision": "felt", "reading": "felt"}
RFC_SECTION = re.compile(r"^RFC [0-9]+ section [0-9.]+")
KIT_LIMITS = "x-kit-limits"
REQUIREMENT_ID = re.compile(r"^DEV-([A-Z]+)-[0-9]{3}$")
PERMISSION_ID = re.compile(r"^DEV-PERM-[0-9]{3}$")
# A full stop, question or exclamation mark followed by a capital starts a second sentence.
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
ANY_OPERATION = "*"
DECISIONS_FILE = "openapi/decisions.md"
# A citation of a decision: the file and the section's anchor, as GitHub names headings.
DECISION_LINK = re.compile(r"openapi/decisions\.md#([a-z0-9-]+)")
# The word "decision" anywhere in a source; each one must come with a citation.
DECISION_WORD = re.compile(r"\bdecisions?\b", re.IGNORECASE)
SPEC_URI = "urn:devices-api:contract"


def load_yaml(path: Path) -> Document:
    with path.open(encoding="utf-8") as stream:
        loaded = yaml.safe_load(stream)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: the top level is not a mapping")
    return loaded


# ---------------------------------------------------------------------------- walking the spec


def operations(spec: Document) -> Iterator[tuple[str, Document]]:
    """Yield `("GET /path", operation)` for every operation, in document order."""
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield f"{method.upper()} {path}", item[method]


def operation_ids(spec: Document) -> set[str]:
    return {op["operationId"] for _, op in operations(spec) if "operationId" in op}


def pointer(*segments: str) -> str:
    """A JSON pointer (RFC 6901) made of `segments`."""
    escaped = (segment.replace("~", "~0").replace("/", "~1") for segment in segments)
    return "".join("/" + segment for segment in escaped)


def resolve(spec: Document, node: Any, where: str) -> tuple[Any, str]:
    """Follow local `$ref`s from `node` (found at pointer `where`) to the object they name."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"{where}: cannot follow $ref {ref!r}")
        seen.add(ref)
        node = spec
        for segment in ref[2:].split("/"):
            node = node[segment.replace("~1", "/").replace("~0", "~")]
        where = ref[1:]
    return node, where


def parameters(spec: Document, path: str, method: str) -> list[tuple[Document, str]]:
    """The parameters of an operation, those of its path item included, resolved."""
    found = []
    for owner, base in (
        (spec["paths"][path], pointer("paths", path)),
        (spec["paths"][path][method], pointer("paths", path, method)),
    ):
        for index, parameter in enumerate(owner.get("parameters") or []):
            found.append(resolve(spec, parameter, f"{base}/parameters/{index}"))
    return found


def responses(op: Document) -> dict[str, Any]:
    return op.get("responses") or {}


# ---------------------------------------------------------------------------- operations


def lint_operations_are_described(spec: Document) -> list[str]:
    """Every operation has a unique `operationId`, a `summary` and a `description`."""
    problems = []
    for label, op in operations(spec):
        for key in ("operationId", "summary", "description"):
            if not isinstance(op.get(key), str) or not op[key].strip():
                problems.append(f"{label}: no {key}")
    counts = Counter(op["operationId"] for _, op in operations(spec) if "operationId" in op)
    problems += [f"operationId {name!r} is used {n} times" for name, n in counts.items() if n > 1]
    return problems


def lint_operations_are_tagged(spec: Document) -> list[str]:
    """Every operation has at least one tag, and each of its tags is declared in `tags`."""
    declared = {tag.get("name") for tag in spec.get("tags") or []}
    problems = []
    for label, op in operations(spec):
        tags = op.get("tags") or []
        if not tags:
            problems.append(f"{label}: no tag")
        problems += [
            f"{label}: tag {tag!r} is not declared in tags" for tag in tags if tag not in declared
        ]
    return problems


def lint_operations_list_requirements(spec: Document) -> list[str]:
    """Every operation has `x-requirements`: a non-empty list of requirement IDs, no repeats."""
    problems = []
    for label, op in operations(spec):
        ids = op.get("x-requirements")
        if not isinstance(ids, list) or not ids:
            problems.append(f"{label}: x-requirements is not a non-empty list")
            continue
        problems += [
            f"{label}: x-requirements holds {i!r}, not a requirement ID"
            for i in ids
            if not isinstance(i, str) or not REQUIREMENT_ID.match(i)
        ]
        problems += [
            f"{label}: x-requirements lists {i} {n} times"
            for i, n in Counter(map(str, ids)).items()
            if n > 1
        ]
    return problems


def lint_operations_name_their_policy(spec: Document) -> list[str]:
    """Every operation has an `x-access` policy whose verdicts are known role verdicts."""
    declared = set(spec.get("x-access-verdicts") or {})
    known = [verdict for verdict in ROLE_VERDICTS if verdict in declared]
    problems = [
        f"x-access-verdicts does not declare {verdict!r}"
        for verdict in ROLE_VERDICTS
        if verdict not in declared
    ]
    for label, op in operations(spec):
        access = op.get("x-access")
        if not isinstance(access, dict):
            problems.append(f"{label}: no x-access")
            continue
        unknown_keys = set(access) - {"requirement", "object", "roles", "target-roles"}
        if unknown_keys:
            problems.append(f"{label}: x-access has unknown keys {sorted(unknown_keys)}")
        requirement = access.get("requirement")
        if not isinstance(requirement, str) or not PERMISSION_ID.match(requirement):
            problems.append(f"{label}: x-access.requirement {requirement!r} is not DEV-PERM-NNN")
        target = access.get("object")
        if target is not None and target not in ACCESS_OBJECTS:
            problems.append(f"{label}: x-access.object {target!r} is not one of {ACCESS_OBJECTS}")
        roles = access.get("roles")
        if not isinstance(roles, dict) or sorted(roles) != sorted(ROLES):
            problems.append(f"{label}: x-access.roles does not name exactly {list(ROLES)}")
            continue
        for role, verdict in roles.items():
            if verdict not in known:
                problems.append(f"{label}: {role} gets {verdict!r}, not one of {known}")
            elif verdict == "owner" and target != "device":
                problems.append(f"{label}: {role} gets 'owner' but x-access.object is not device")
    return problems


def lint_policy_requirement_is_listed(spec: Document) -> list[str]:
    """The requirement an `x-access` policy names is among its operation's `x-requirements`."""
    problems = []
    for label, op in operations(spec):
        requirement = (op.get("x-access") or {}).get("requirement")
        if requirement is not None and requirement not in (op.get("x-requirements") or []):
            problems.append(f"{label}: x-access.requirement {requirement} is not in x-requirements")
    return problems


# ---------------------------------------------------------------------------- responses


def lint_denials_are_documented(spec: Document) -> list[str]:
    """Every refusal a policy implies is documented: 403 for deny and self, 403 and 404 for
    owner."""
    needed = {"deny": ("403",), "self": ("403",), "owner": ("403", "404")}
    problems = []
    for label, op in operations(spec):
        documented = set(responses(op))
        roles = (op.get("x-access") or {}).get("roles") or {}
        for role, verdict in roles.items():
            problems += [
                f"{label}: {role} gets {verdict!r} but no {status} response is documented"
                for status in needed.get(verdict, ())
                if status not in documented
            ]
    return problems


def lint_errors_are_documented(spec: Document) -> list[str]:
    """Every operation documents 401; one with path parameters 404; one with a request body 400."""
    problems = []
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            label = f"{method.upper()} {path}"
            documented = set(responses(op))
            if "401" not in documented:
                problems.append(f"{label}: no 401 response is documented")
            in_path = [p for p, _ in parameters(spec, path, method) if p.get("in") == "path"]
            if in_path and "404" not in documented:
                problems.append(f"{label}: has path parameters but no 404 response is documented")
            if "requestBody" in op and "400" not in documented:
                problems.append(f"{label}: has a request body but no 400 response is documented")
    return problems


# ---------------------------------------------------------------------------- schemas and examples


def lint_device_properties_carry_requirement(spec: Document) -> list[str]:
    """Every property of the Device schema names the requirement it carries in `x-requirement`."""
    device = spec.get("components", {}).get("schemas", {}).get("Device")
    if not isinstance(device, dict) or not device.get("properties"):
        return ["components.schemas.Device has no properties"]
    return [
        f"Device.{name}: x-requirement {prop.get('x-requirement')!r} is not a requirement ID"
        for name, prop in device["properties"].items()
        if not REQUIREMENT_ID.match(str(prop.get("x-requirement", "")))
    ]


def _carriers(spec: Document) -> Iterator[tuple[Document, str]]:
    """Every object that may hold named examples beside a schema: parameters, media types and
    headers, wherever they sit (operations, path items, components), with their pointers."""

    def media_types(holder: Document, where: str) -> Iterator[tuple[Document, str]]:
        for media, body in (holder.get("content") or {}).items():
            yield body, f"{where}/content/{pointer(media)[1:]}"

    def headers(response: Document, where: str) -> Iterator[tuple[Document, str]]:
        for name, header in (response.get("headers") or {}).items():
            yield resolve(spec, header, f"{where}/headers{pointer(name)}")

    def response_parts(response: Document, where: str) -> Iterator[tuple[Document, str]]:
        yield from media_types(response, where)
        yield from headers(response, where)

    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = pointer("paths", path, method)
            yield from parameters(spec, path, method)
            if "requestBody" in op:
                yield from media_types(*resolve(spec, op["requestBody"], f"{base}/requestBody"))
            for status, response in responses(op).items():
                yield from response_parts(*resolve(spec, response, f"{base}/responses/{status}"))
    components = spec.get("components") or {}
    for name, parameter in (components.get("parameters") or {}).items():
        yield resolve(spec, parameter, pointer("components", "parameters", name))
    for name, header in (components.get("headers") or {}).items():
        yield resolve(spec, header, pointer("components", "headers", name))
    for name, body in (components.get("requestBodies") or {}).items():
        yield from media_types(*resolve(spec, body, pointer("components", "requestBodies", name)))
    for name, response in (components.get("responses") or {}).items():
        yield from response_parts(
            *resolve(spec, response, pointer("components", "responses", name))
        )


def lint_examples_validate(spec: Document) -> list[str]:
    """Every named example validates against the schema beside it."""
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(spec))
    problems: list[str] = []
    checked: set[str] = set()
    for carrier, where in _carriers(spec):
        if where in checked or "examples" not in carrier:
            continue
        checked.add(where)
        if "schema" not in carrier:
            problems.append(f"{where}: has examples but no schema to validate them against")
            continue
        validator = Draft202012Validator(
            {"$ref": f"{SPEC_URI}#{where}/schema"},
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        for name, example in carrier["examples"].items():
            example, _ = resolve(spec, example, f"{where}/examples{pointer(name)}")
            if "value" not in example:
                problems.append(f"{where}/examples/{name}: no value")
                continue
            problems += [
                f"{where}/examples/{name}: {error.message} at {error.json_path}"
                for error in validator.iter_errors(example["value"])
            ]
    return problems


def _strings(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield `(pointer, text)` for every string in the document."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, where + pointer(str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}/{index}")


def _walk(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Yield `(pointer, mapping)` for every mapping in the document."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, where + pointer(str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}/{index}")


def _reachable(spec: Document, node: Any, where: str, seen: set[str]) -> Iterator[tuple[str, Any]]:
    """Every mapping under `node`, following local `$ref`s (each once)."""
    for at, found in _walk(node, where):
        ref = found.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
            seen.add(ref)
            target, target_at = resolve(spec, found, at)
            yield from _reachable(spec, target, target_at, seen)
        yield at, found


def lint_kit_limits_bind_only_requests(spec: Document) -> list[str]:
    """A limit of the kit's own (`x-kit-limits`) names keywords its schema has, and no response
    reaches one: it bounds what a client sends, never what a server answers
    (openapi/decisions.md#limits-of-the-kits-own)."""
    problems = [
        f"{where}: x-kit-limits names {keyword!r}, which the schema does not have"
        for where, node in _walk(spec)
        if not EXAMPLE_VALUE.search(where)
        for keyword in node.get(KIT_LIMITS, ())
        if keyword not in node
    ]
    for label, op in operations(spec):
        for status, response in responses(op).items():
            at = f"{label} {status}"
            problems += [
                f"{at}: reaches a limit of the kit's own at {where}"
                for where, node in _reachable(spec, response, at, set())
                if KIT_LIMITS in node
            ]
    return problems


# An example's value is data, not OpenAPI: its keys are not keywords.
EXAMPLE_VALUE = re.compile(r"/examples/[^/]+/value(/|$)")


def lint_no_openapi30_isms(spec: Document) -> list[str]:
    """No `nullable`, no singular `example`, no boolean `exclusiveMinimum`/`exclusiveMaximum`."""
    problems = []
    for where, node in _walk(spec):
        # A schema's `properties` may name a property `example` or `nullable`.
        if where.endswith("/properties") or EXAMPLE_VALUE.search(where):
            continue
        if "nullable" in node:
            problems.append(f"{where}: nullable (write type: [..., 'null'])")
        if "example" in node:
            problems.append(f"{where}: singular example (use named examples)")
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(node.get(key), bool):
                problems.append(f"{where}: boolean {key} (3.1 takes the bound itself)")
    return problems


def lint_servers_are_relative(spec: Document) -> list[str]:
    """Every server URL is relative (starts with `/`), so the contract validates under any host."""
    servers = spec.get("servers") or []
    if not servers:
        return ["servers is empty: the base path /api/v2 would be lost"]
    return [
        f"server {server.get('url')!r} is not relative"
        for server in servers
        if not str(server.get("url", "")).startswith("/")
    ]


# ---------------------------------------------------------------------------- the catalogue


def requirements(catalogue: Document) -> list[Document]:
    return [entry for entry in catalogue.get("requirements") or [] if isinstance(entry, dict)]


def profile_of(spec: Document) -> str:
    """The profile a contract document describes: its `info.x-profile`."""
    return str((spec.get("info") or {}).get("x-profile", ""))


def applicable(catalogue: Document, spec: Document) -> list[Document]:
    """The requirements of the catalogue that apply to the profile `spec` describes (a row
    without `profiles` applies to every profile)."""
    profile = profile_of(spec)
    return [e for e in requirements(catalogue) if profile in (e.get("profiles") or PROFILES)]


def lint_spec_names_its_profile(spec: Document) -> list[str]:
    """The contract names the profile it describes in `info.x-profile`, one of the profiles."""
    profile = profile_of(spec)
    return [] if profile in PROFILES else [f"info.x-profile {profile!r} is not one of {PROFILES}"]


def lint_profiles_are_known(catalogue: Document) -> list[str]:
    """A requirement's `profiles`, when given, is a non-empty list of known profiles."""
    problems = []
    for entry in requirements(catalogue):
        if "profiles" not in entry:
            continue
        listed = entry["profiles"]
        if not isinstance(listed, list) or not listed or not set(listed) <= set(PROFILES):
            problems.append(f"{entry.get('id')}: profiles {listed!r} are not among {PROFILES}")
    return problems


def lint_ids_are_well_formed(catalogue: Document) -> list[str]:
    """Every ID matches `DEV-AREA-NNN` and its area is one of the catalogue's `areas`."""
    areas = catalogue.get("areas") or {}
    problems = []
    for entry in requirements(catalogue):
        match = REQUIREMENT_ID.match(str(entry.get("id", "")))
        if not match:
            problems.append(f"{entry.get('id')!r} does not match DEV-AREA-NNN")
        elif match.group(1) not in areas:
            problems.append(f"{entry['id']}: area {match.group(1)} is not in areas")
    return problems


def lint_ids_are_unique(catalogue: Document) -> list[str]:
    """No two requirements share an ID."""
    counts = Counter(entry.get("id") for entry in requirements(catalogue))
    return [f"{i} appears {n} times" for i, n in counts.items() if n > 1]


def lint_levels_are_known(catalogue: Document) -> list[str]:
    """Every requirement's level is MUST, SHOULD or MAY."""
    return [
        f"{entry.get('id')}: level {entry.get('level')!r} is not one of {LEVELS}"
        for entry in requirements(catalogue)
        if entry.get("level") not in LEVELS
    ]


def lint_texts_are_one_sentence(catalogue: Document) -> list[str]:
    """Every requirement's text is one non-empty sentence, ending with a full stop."""
    problems = []
    for entry in requirements(catalogue):
        text = entry.get("text")
        label = entry.get("id")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{label}: no text")
        elif "\n" in text.strip() or SENTENCE_BREAK.search(text):
            problems.append(f"{label}: text is more than one sentence: {text!r}")
        elif not text.strip().endswith("."):
            problems.append(f"{label}: text does not end with a full stop: {text!r}")
    return problems


def lint_sources_are_given(catalogue: Document) -> list[str]:
    """Every requirement names its source."""
    return [
        f"{entry.get('id')}: no source"
        for entry in requirements(catalogue)
        if not isinstance(entry.get("source"), str) or not entry["source"].strip()
    ]


def lint_operations_exist(catalogue: Document, spec: Document) -> list[str]:
    """Every requirement lists operations: "*" or operationIds that exist in the contract."""
    known = operation_ids(spec)
    problems = []
    for entry in requirements(catalogue):
        listed = entry.get("operations")
        if not isinstance(listed, list) or not listed:
            problems.append(f"{entry.get('id')}: operations is not a non-empty list")
            continue
        if ANY_OPERATION in listed and len(listed) > 1:
            problems.append(f"{entry.get('id')}: operations mixes '*' with operationIds")
        problems += [
            f"{entry.get('id')}: operation {name!r} is not in the contract"
            for name in listed
            if name != ANY_OPERATION and name not in known
        ]
    return problems


def lint_every_requirement_rests_on_a_basis(catalogue: Document) -> list[str]:
    """Every row says what it rests on: one of vendor (with what the page says), rfc (a
    section, with what a client feels), decision (a section of the decisions, with what a
    client feels) or reading (with why no client feels it)."""
    problems = []
    for entry in requirements(catalogue):
        label, basis = entry.get("id"), entry.get("basis")
        kinds = [kind for kind in BASIS_NOTES if isinstance(basis, dict) and kind in basis]
        if len(kinds) != 1:
            problems.append(f"{label}: basis names none or several of {', '.join(BASIS_NOTES)}")
            continue
        kind = kinds[0]
        ref, note = str(basis[kind]).strip(), str(basis.get(BASIS_NOTES[kind], "")).strip()
        if not ref or not note:
            problems.append(f"{label}: a {kind} basis needs its reference and {BASIS_NOTES[kind]}")
        elif kind == "rfc" and not RFC_SECTION.match(ref):
            problems.append(f"{label}: an rfc basis names 'RFC N section S', not {ref!r}")
        elif kind == "decision" and not DECISION_LINK.fullmatch(ref):
            problems.append(f"{label}: a decision basis names {DECISIONS_FILE}#section: {ref!r}")
    return problems


def lint_musts_rest_on_more_than_a_reading(catalogue: Document) -> list[str]:
    """A MUST rests on a vendor page, an RFC a client feels or a decision a client feels,
    never on a strict reading alone (that is a SHOULD at most)."""
    return [
        f"{entry.get('id')}: a MUST whose basis is only a strict reading"
        for entry in requirements(catalogue)
        if entry.get("level") == "MUST"
        and isinstance(entry.get("basis"), dict)
        and "reading" in entry["basis"]
    ]


def lint_entries_have_known_members(catalogue: Document) -> list[str]:
    """A requirement has only the members the catalogue's header describes."""
    return [
        f"{entry.get('id')}: unknown member {key!r} (known: {', '.join(ENTRY_KEYS)})"
        for entry in requirements(catalogue)
        for key in entry
        if key not in ENTRY_KEYS
    ]


def lint_decisions_are_cited_by_section(catalogue: Document) -> list[str]:
    """A source that rests on a decision names its section: `openapi/decisions.md#anchor`."""
    problems = []
    for entry in requirements(catalogue):
        source = str(entry.get("source", ""))
        cited = DECISION_LINK.findall(source)
        words = DECISION_WORD.findall(DECISION_LINK.sub("", source))
        if words:
            problems.append(
                f"{entry.get('id')}: source says {words[0]!r} without naming its section "
                f"({DECISIONS_FILE}#...): {source!r}"
            )
        elif "decisions.md" in source and not cited:
            problems.append(f"{entry.get('id')}: source names {DECISIONS_FILE} without a section")
    return problems


# ---------------------------------------------------------------------------- the decisions


def heading_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to -."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


def decision_anchors(decisions: str) -> set[str]:
    """The anchors of the sections (`## ...`) of openapi/decisions.md."""
    return {heading_anchor(line[3:]) for line in decisions.splitlines() if line.startswith("## ")}


def lint_decision_links_resolve(spec: Document, catalogue: Document, decisions: str) -> list[str]:
    """Every `openapi/decisions.md#anchor` in the contract and the catalogue names a section."""
    anchors = decision_anchors(decisions)
    cited = [
        (f"{entry.get('id')} {member}", str(entry.get(member, "")))
        for entry in requirements(catalogue)
        for member in ("source", "basis")
    ]
    cited += [(where or "/", text) for where, text in _strings(spec)]
    return [
        f"{where}: {DECISIONS_FILE}#{anchor} names no section of {DECISIONS_FILE}"
        for where, text in cited
        for anchor in DECISION_LINK.findall(text)
        if anchor not in anchors
    ]


# ---------------------------------------------------------------------------- both together


def spec_requirement_ids(spec: Document) -> Iterator[tuple[str, str]]:
    """Yield `(where, ID)` for every requirement ID the contract uses."""
    for label, op in operations(spec):
        for requirement in op.get("x-requirements") or []:
            yield f"{label} x-requirements", str(requirement)
        if "requirement" in (op.get("x-access") or {}):
            yield f"{label} x-access", str(op["x-access"]["requirement"])
    for where, node in _walk(spec.get("components") or {}, "/components"):
        if "x-requirement" in node:
            yield f"{where} x-requirement", str(node["x-requirement"])


def lint_spec_ids_are_catalogued(spec: Document, catalogue: Document) -> list[str]:
    """Every requirement ID the contract uses is a row of the catalogue for its profile."""
    known = {entry.get("id") for entry in applicable(catalogue, spec)}
    return [
        f"{where}: {requirement} is not in the catalogue for profile {profile_of(spec)}"
        for where, requirement in spec_requirement_ids(spec)
        if requirement not in known
    ]


def catalogued_operations(entry: Document, spec: Document) -> set[str]:
    """The operationIds a requirement applies to, "*" expanded to every operation."""
    listed = entry.get("operations") or []
    return operation_ids(spec) if ANY_OPERATION in listed else set(listed)


def lint_catalogued_operations_carry_ids(spec: Document, catalogue: Document) -> list[str]:
    """Every operation a requirement names ("*": every operation) lists that requirement in its
    `x-requirements`."""
    carried = {
        op.get("operationId"): set(op.get("x-requirements") or []) for _, op in operations(spec)
    }
    problems = []
    for entry in applicable(catalogue, spec):
        for name in sorted(catalogued_operations(entry, spec)):
            if name in carried and entry.get("id") not in carried[name]:
                problems.append(f"{entry.get('id')} names {name}, whose x-requirements lack it")
    return problems


def lint_operations_carry_only_their_ids(spec: Document, catalogue: Document) -> list[str]:
    """Every ID in an operation's `x-requirements` is a requirement that names the operation
    ("*" names every operation): the catalogue's `operations` and the contract say the same."""
    applies = {
        str(entry.get("id")): catalogued_operations(entry, spec)
        for entry in applicable(catalogue, spec)
    }
    problems = []
    for label, op in operations(spec):
        name = op.get("operationId")
        for requirement in op.get("x-requirements") or []:
            if requirement in applies and name not in applies[requirement]:
                problems.append(
                    f"{label}: x-requirements lists {requirement}, whose operations lack {name}"
                )
    return problems


def lint_catalogue_ids_are_used(spec: Document, catalogue: Document) -> list[str]:
    """Every requirement of the catalogue for the contract's profile, unless withdrawn, is used
    somewhere in the contract."""
    used = {requirement for _, requirement in spec_requirement_ids(spec)}
    return [
        f"{entry.get('id')} is not used in the contract"
        for entry in applicable(catalogue, spec)
        if entry.get("id") not in used and "withdrawn" not in entry
    ]
