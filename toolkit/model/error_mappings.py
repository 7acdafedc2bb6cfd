"""The error mappings of a whole document, with the user's overrides from
`[tool.ctk.generate] error-mappings` applied, and one report line per mapping still guessed.

An override names the schema by the pointer the report prints and says, per property, which
problem member fills it (`message = "detail"`) or which constant it takes
(`source = { value = "api" }`). A schema with an override is confirmed: its mapping is no
longer reported, and the properties it does not name keep their guessed source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit import pointer as jp
from toolkit.config import ErrorMappingOverride
from toolkit.errors import Diagnostic, Location, Severity
from toolkit.model.build import mapping as as_mapping
from toolkit.model.error_shapes import (
    MEMBERS,
    ErrorMapping,
    Plan,
    coercion,
    describe,
    error_schemas,
    kind,
    merged,
    plan_mapping,
)

RULE_GUESSED = "error-mapping-guessed"
RULE_OVERRIDE = "error-mapping-override"
# bundle pointers -> their places in the spec's files, in one batch (a JSON file is scanned once)
Locate = Callable[[Sequence[str]], list[Location]]


@dataclass(frozen=True, slots=True)
class ErrorMappings:
    mappings: dict[str, tuple[Plan, ...]]  # schema pointer → plans, as app.py holds them
    diagnostics: tuple[Diagnostic, ...]


def decide_mappings(
    document: Mapping[str, Any],
    overrides: tuple[ErrorMappingOverride, ...],
    locate: Locate,
) -> ErrorMappings:
    """Every error schema's mapping (bundled `document`); `locate` turns a pointer into the
    spec's file:line for the report."""
    given = {o.schema: o for o in overrides}
    found: dict[str, tuple[Plan, ...]] = {}
    diagnostics: list[Diagnostic] = []
    users: dict[str, list[str]] = {}
    mappings: list[ErrorMapping] = []
    for operation, pointer, schema in error_schemas(document):
        if pointer in users:
            if operation not in users[pointer]:
                users[pointer].append(operation)
            continue
        users[pointer] = [operation]
        mapping = plan_mapping(document, pointer, schema)
        override = given.pop(pointer, None)
        if override is not None:
            mapping, problems = _overridden(document, mapping, override, locate)
            diagnostics.extend(problems)
        elif mapping.plans:
            mappings.append(mapping)
        if mapping.plans:
            found[pointer] = mapping.plans
    places = locate([mapping.pointer for mapping in mappings])
    for mapping, place in zip(mappings, places, strict=True):
        diagnostics.append(_guessed(mapping, users[mapping.pointer], place))
    for pointer in given:
        diagnostics.append(
            Diagnostic(
                RULE_OVERRIDE,
                Severity.ERROR,
                f"[tool.ctk.generate] error-mappings names {pointer}, which no operation "
                "documents as a JSON error schema",
                locate([""])[0],
                hint="use a pointer the report of `ctk generate` prints",
            )
        )
    return ErrorMappings(found, tuple(diagnostics))


def _guessed(mapping: ErrorMapping, operations: list[str], place: Location) -> Diagnostic:
    filled = ", ".join(f"{name} <- {source}" for name, source in mapping.sources.items())
    more = f" and {len(operations) - 1} more" if len(operations) > 1 else ""
    return Diagnostic(
        RULE_GUESSED,
        Severity.INFO,
        f"errors of {operations[0]}{more} are written in this schema as: "
        f"{filled or 'a documented value'} (guessed from the property names)",
        place,
        hint="confirm or change it: [[tool.ctk.generate.error-mappings]] "
        f'schema = "{mapping.pointer}", fields = {{ property = "detail", ... }}',
    )


def _overridden(
    document: Mapping[str, Any],
    mapping: ErrorMapping,
    override: ErrorMappingOverride,
    locate: Locate,
) -> tuple[ErrorMapping, list[Diagnostic]]:
    """`mapping` with the override's fields in its object plan (added first if it has none)."""
    problems: list[Diagnostic] = []
    plans = list(mapping.plans)
    index = next((i for i, p in enumerate(plans) if "object" in p), None)
    fields: dict[str, Any] = dict(plans[index]["object"]) if index is not None else {}
    schema = as_mapping(jp.deref(document, jp.resolve(document, mapping.pointer)))
    properties = merged(schema, lambda node: jp.deref(document, node))[0]
    for name, source in override.fields.items():
        if name not in properties:
            problems.append(
                _problem(
                    f"error mapping for {mapping.pointer}: the schema has no property {name!r}",
                    locate([mapping.pointer])[0],
                    f"its properties: {', '.join(sorted(properties)) or 'none'}",
                )
            )
            continue
        if isinstance(source, str) and source not in MEMBERS:
            problems.append(
                _problem(
                    f"error mapping for {mapping.pointer}: {name} = {source!r} is no problem "
                    "member",
                    locate([mapping.pointer])[0],
                    f"use one of: {', '.join(sorted(MEMBERS))}, or {{ value = ... }}",
                )
            )
            continue
        fields[name] = _field(source, as_mapping(jp.deref(document, properties[name])))
    plan: Plan = {"object": fields}
    if index is None:
        plans.insert(0, plan)
    else:
        plans[index] = plan
    sources = {name: describe(spec) for name, spec in fields.items()}
    return ErrorMapping(mapping.pointer, tuple(plans), sources), problems


def _field(source: str | dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(source, dict):
        return {"else": source["value"]}
    if source == "now":
        shape = kind(schema)
        if shape in ("integer", "number"):
            return {"now": "unix"}
        return {"now": "date" if schema.get("format") == "date" else "date-time"}
    return {"from": [source], "as": coercion(schema)}


def _problem(message: str, location: Location, hint: str) -> Diagnostic:
    return Diagnostic(RULE_OVERRIDE, Severity.ERROR, message, location, hint=hint)


def guessed_mappings(document: Mapping[str, Any]) -> dict[str, tuple[Plan, ...]]:
    """The mappings `ctk generate` would write for `document` with nothing configured: for
    an app built with `build_app` directly (`Settings(error_mappings=...)`)."""
    return decide_mappings(
        document, (), lambda pointers: [Location("", pointer=p) for p in pointers]
    ).mappings
