"""Structural validation against the official OpenAPI 2.0/3.0/3.1/3.2 schemas.

Backend: openapi-spec-validator-rs (the Rust port of openapi-spec-validator, the
reference), run on the bundled document with remote retrieval disabled; its errors are
mapped to diagnostics here, at the boundary. See docs/adr/0002-structural-backend.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from openapi_spec_validator_rs import _core
from openapi_spec_validator_rs.exceptions import OpenAPISpecValidatorError

from toolkit import pointer as jp
from toolkit.errors import Severity
from toolkit.lint.registry import Finding
from toolkit.load.version import SpecVersion

STRUCTURE_RULE = "oas-structure"
# Semantic checks of the reference validator that our own rules report with better
# locations; their structural copies are dropped when the rule runs (see engine).
COVERED_BY_RULES = {
    "DuplicateOperationIDError": "operation-id-unique",
    "UnresolvableParameterError": "path-params-declared",
    "ExtraParametersError": "path-params-used",
    "ParameterDuplicateError": "parameter-unique",
}
_OPERATION = re.compile(r"for '(\w+)' (?:operation )?in '([^']+)'")


class _RemoteRefusedError(Exception):
    pass


def _refuse(url: str) -> bytes:
    raise _RemoteRefusedError(url)


def validate_structure(
    data: dict[str, Any],
    version: SpecVersion,
    schemas: Callable[[], Iterable[tuple[str, Any]]] = tuple,
) -> list[tuple[str, Finding]]:
    """(kind, finding) for every schema violation; `kind` names the reference's error class.

    `schemas` lists (pointer, schema) of the document's Schema Objects: errors found inside
    one (a bad `default`, an invalid `pattern`) come back with a path relative to it, and are
    placed by finding the schema that holds the offending value.
    """
    try:
        errors = _core.validate(_without_path_extensions(data), version.line, "", True, _refuse)
    except (OpenAPISpecValidatorError, RecursionError, ValueError) as exc:
        return [("ValidationAbortedError", _aborted(exc))]
    found: list[tuple[str, Finding]] = []
    placer = _Placer(data, schemas)
    for error in errors:
        pointer = jp.from_tokens(error.instance_path)
        if not pointer:
            match = _OPERATION.search(error.message)
            if match:
                pointer = jp.join("/paths", match.group(2), match.group(1))
        if error.kind == "OpenAPIValidationError":
            pointer = placer.place(pointer, error)
        found.append((error.kind, Finding(pointer, _message(error), _hint(error))))
    return found


def _without_path_extensions(data: dict[str, Any]) -> dict[str, Any]:
    """`paths` may carry `x-` extensions of any type; the reference validator stops on a
    non-object one (a valid document), so they are left out of what it sees."""
    paths = data.get("paths")
    if isinstance(paths, dict) and any(str(k).startswith("x-") for k in paths):
        clean = {k: v for k, v in paths.items() if not str(k).startswith("x-")}
        return {**data, "paths": clean}
    return data


class _Placer:
    """Turns a path relative to some Schema Object into the absolute pointer of the value."""

    def __init__(self, data: dict[str, Any], schemas: Callable[[], Iterable[tuple[str, Any]]]):
        self._data = data
        self._schemas = schemas
        self._sites: list[tuple[str, Any]] | None = None
        self._used: set[str] = set()

    def place(self, pointer: str, error: Any) -> str:
        instance = error.instance()
        try:
            if jp.resolve(self._data, pointer) == instance:
                return pointer  # already absolute
        except (KeyError, ValueError):
            pass
        if self._sites is None:
            self._sites = list(self._schemas())
        owner = error.schema() if not pointer else None
        for site, schema in self._sites:
            if owner is not None:  # an annotation value (default/example) broke its schema
                if schema != owner:
                    continue
                candidates = [jp.join(site, k) for k in ("default", "example") if k in schema]
                candidates = [c for c in candidates if jp.resolve(self._data, c) == instance]
            else:
                try:
                    matches = jp.resolve(schema, pointer) == instance
                except (KeyError, ValueError):
                    matches = False
                candidates = [site + pointer] if matches else []
            for candidate in candidates:
                if candidate not in self._used:
                    self._used.add(candidate)
                    return candidate
        return pointer


def _aborted(exc: Exception) -> Finding:
    """The reference validator gives up on some shapes (a path item that is `null`, a list
    of numbers for `parameters` ...); report that as a structural error, not a crash."""
    detail = str(exc).strip("'\"") or type(exc).__name__
    pointer = jp.join("/paths", detail) if detail.startswith("/") else ""
    return Finding(
        pointer,
        f"the document has the wrong shape near {detail!r}; structural validation stopped there",
        "check that every path item, operation, parameter list and component map is an object"
        " or list of the kind the specification requires",
    )


def _message(error: Any) -> str:
    text = str(error.message)
    if len(text) > 300:
        text = text[:297] + "..."
    return text


def _hint(error: Any) -> str:
    keyword = error.keyword
    if keyword == "required":
        return "add the missing field"
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        return "remove or rename the field (extensions must start with 'x-')"
    if keyword in ("type", "enum", "const", "format", "pattern"):
        return "use a value of the kind the specification allows here"
    if keyword in ("oneOf", "anyOf"):
        return "the object matches none of the shapes allowed here; check its fields"
    return "see the OpenAPI specification for this field"


SEVERITY = Severity.ERROR
