"""Structural validation against the official OpenAPI 2.0/3.0/3.1/3.2 schemas.

Backend: openapi-spec-validator-rs (the Rust port of openapi-spec-validator, the
reference), run on the bundled document with remote retrieval disabled; its errors are
mapped to diagnostics here, at the boundary. See docs/adr/0002-structural-backend.md.
"""

from __future__ import annotations

import re
from typing import Any

from openapi_spec_validator_rs import _core
from openapi_spec_validator_rs.exceptions import OpenAPISpecValidatorError

from toolkit.errors import Severity
from toolkit.lint.registry import Finding
from toolkit.load import pointer as jp
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


def validate_structure(data: dict[str, Any], version: SpecVersion) -> list[tuple[str, Finding]]:
    """(kind, finding) for every schema violation; `kind` names the reference's error class."""
    try:
        errors = _core.validate(data, version.line, "", True, _refuse)
    except (OpenAPISpecValidatorError, RecursionError, ValueError) as exc:
        return [("ValidationAbortedError", _aborted(exc))]
    found: list[tuple[str, Finding]] = []
    for error in errors:
        pointer = jp.from_tokens(error.instance_path)
        if not pointer:
            match = _OPERATION.search(error.message)
            if match:
                pointer = jp.join("/paths", match.group(2), match.group(1))
        found.append((error.kind, Finding(pointer, _message(error), _hint(error))))
    return found


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
