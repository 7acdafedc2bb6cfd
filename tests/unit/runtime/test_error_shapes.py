"""Error responses follow the contract (ADR 0007): which documented response applies to an
error status, which media type answers it, and how a problem is projected onto a documented
error schema. Every body is checked against the documented schema by the `jsonschema`
package, independently of the jsonschema-rs validators the runtime uses."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import jsonschema
import orjson
import pytest

from toolkit.model.error_mappings import guessed_mappings
from toolkit.runtime import ErrorShape, HTTPProblem, Operation
from toolkit.runtime._errors import ErrorReplier, client_error_status
from toolkit.runtime._reply import Replier
from toolkit.runtime._schemas import Schemas

from .conftest import operations_from

BAD_PARAMS = HTTPProblem(
    400,
    detail="invalid parameters",
    errors=[{"pointer": "/query/limit", "detail": "11 is greater than the maximum of 10"}],
)


def _doc(responses: dict[str, Any], schemas: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "op", "responses": responses}}},
        "components": {"schemas": dict(schemas or {})},
    }


def _errors(doc: dict[str, Any], hook: Any = None) -> tuple[Operation, ErrorReplier]:
    (op,) = operations_from(doc)
    schemas = Schemas(doc, [r.schema for r in op.responses if r.schema])
    lookup = Replier(op, schemas, False).lookup
    return op, ErrorReplier(op, lookup, schemas, hook, guessed_mappings(doc))


def answer(
    doc: dict[str, Any],
    problem: HTTPProblem = BAD_PARAMS,
    accept: str | None = None,
    hook: Any = None,
) -> tuple[int, str, Any]:
    """(status, content type, body: parsed JSON, or text) of the error answer."""
    _, errors = _errors(doc, hook)
    status, headers, payload = errors.render(problem, "/x", "4a7c0e", accept)
    kind = dict(headers)[b"content-type"].decode()
    return status, kind, orjson.loads(payload) if "json" in kind else payload.decode()


def conforms(doc: dict[str, Any], schema: Any, body: Any) -> None:
    """`body` validates against `schema` (with `#/components/...` refs into `doc`)."""
    root = {**doc, **schema} if "$ref" not in schema else {**doc, "$ref": schema["$ref"]}
    jsonschema.Draft4Validator(root).validate(body)


def _json(schema: Any, **extra: Any) -> dict[str, Any]:
    return {"description": "error", "content": {"application/json": {"schema": schema, **extra}}}


CODE_MESSAGE = {
    "type": "object",
    "required": ["code", "message"],
    "additionalProperties": False,
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
}


# -- which response, which media type ------------------------------------------------------------


def test_no_documented_response_keeps_problem_json() -> None:
    status, kind, body = answer(_doc({"200": {"description": "ok"}}))
    assert (status, kind) == (400, "application/problem+json")
    assert body["errors"] == BAD_PARAMS.errors and body["request_id"] == "4a7c0e"


def test_documented_problem_json_and_bodyless_responses_keep_problem_json() -> None:
    problem = {"description": "e", "content": {"application/problem+json": {"schema": {}}}}
    assert answer(_doc({"400": problem}))[1] == "application/problem+json"
    assert answer(_doc({"400": {"description": "no body"}}))[1] == "application/problem+json"


def test_exact_code_beats_range_beats_default() -> None:
    doc = _doc(
        {
            "400": _json(CODE_MESSAGE),
            "4XX": _json({"type": "object", "required": ["range"]}),
            "default": _json({"type": "object", "required": ["fallback"]}),
        }
    )
    assert answer(doc)[2] == {"code": 400, "message": _message()}
    _, kind, body = answer(doc, HTTPProblem(404))
    assert kind == "application/json" and "range" in body and "fallback" not in body
    _, _, body = answer(doc, HTTPProblem(500))
    assert "fallback" in body and "range" not in body


def _message() -> str:
    return "invalid parameters: /query/limit 11 is greater than the maximum of 10"


def test_a_problem_that_fits_the_schema_is_sent_as_it_is_in_the_documented_type() -> None:
    loose = {"type": "object", "properties": {"title": {"type": "string"}}}
    status, kind, body = answer(_doc({"400": _json(loose)}))
    assert (status, kind) == (400, "application/json")
    assert body["type"] == "about:blank" and body["errors"] == BAD_PARAMS.errors


def test_headers_of_the_problem_are_kept() -> None:
    doc = _doc({"401": _json(CODE_MESSAGE)})
    _, errors = _errors(doc)
    problem = HTTPProblem(401, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    status, headers, _ = errors.render(problem, "/x", "r", None)
    assert (b"www-authenticate", b'Bearer realm="api"') in headers and status == 401


# -- projection onto real-world error schemas ----------------------------------------------------


def test_code_message_required() -> None:
    doc = _doc({"400": _json(CODE_MESSAGE)})
    _, kind, body = answer(doc)
    assert kind == "application/json"
    assert body == {"code": 400, "message": _message()}
    conforms(doc, CODE_MESSAGE, body)


def test_nested_error_object() -> None:
    schema = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    }
    doc = _doc({"default": _json(schema)})
    _, _, body = answer(doc, HTTPProblem(403, detail="missing scope items:write"))
    assert body == {"error": {"code": "403", "message": "missing scope items:write"}}
    conforms(doc, schema, body)


HUBSPOT_ERROR = {
    "type": "object",
    "required": ["category", "correlationId", "message"],
    "example": {
        "category": "VALIDATION_ERROR",
        "correlationId": "aeb5f871-7f07-4993-9211-075dc63e7cbf",
        "message": "Invalid input",
    },
    "properties": {
        "category": {"type": "string", "example": "VALIDATION_ERROR"},
        "correlationId": {"type": "string", "format": "uuid"},
        "message": {"type": "string"},
        "subCategory": {"type": "string"},
        "links": {"type": "object", "additionalProperties": {"type": "string"}},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
    },
}
HUBSPOT_DETAIL = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "in": {"type": "string"}},
}


def test_hubspot_like_error_under_a_wildcard_default() -> None:
    ref = {"$ref": "#/components/schemas/Error"}
    doc = _doc(
        {"default": {"description": "e", "content": {"*/*": {"schema": ref}}}},
        {"Error": HUBSPOT_ERROR, "ErrorDetail": HUBSPOT_DETAIL},
    )
    _, kind, body = answer(doc)
    assert kind == "application/json"
    assert body["category"] == "BAD_REQUEST"
    assert body["correlationId"] == "00000000-0000-0000-0000-000000000000"  # "4a7c0e" is none
    assert body["message"] == _message()
    assert body["errors"] == [
        {"message": "11 is greater than the maximum of 10", "in": "/query/limit"}
    ]
    conforms(doc, ref, body)


def test_request_id_in_uuid_form_when_the_schema_wants_a_uuid() -> None:
    schema = {
        "type": "object",
        "required": ["correlationId"],
        "properties": {"correlationId": {"type": "string", "format": "uuid"}},
    }
    _, errors = _errors(_doc({"400": _json(schema)}))
    _, _, payload = errors.render(BAD_PARAMS, "/x", "0123456789abcdef0123456789abcdef", None)
    assert orjson.loads(payload) == {"correlationId": "01234567-89ab-cdef-0123-456789abcdef"}
    # a request id that is no UUID falls back to a schema-valid placeholder
    _, _, payload = errors.render(BAD_PARAMS, "/x", "req-1", None)
    assert orjson.loads(payload) == {"correlationId": "00000000-0000-0000-0000-000000000000"}


def test_array_schema_gets_one_item_per_error() -> None:
    schema = {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["field", "message"],
            "additionalProperties": False,
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        },
    }
    doc = _doc({"422": _json(schema)})
    problem = HTTPProblem(
        422,
        detail="the request body does not match its schema",
        errors=[{"pointer": "/name", "detail": "too short"}, {"pointer": "", "detail": "x"}],
    )
    _, _, body = answer(doc, problem)
    assert body == [{"field": "/name", "message": "too short"}, {"field": "", "message": "x"}]
    conforms(doc, schema, body)


def test_adyen_rest_service_error_with_invalid_fields() -> None:
    schemas = {
        "RestServiceError": {
            "type": "object",
            "required": ["type", "errorCode", "title", "detail", "status"],
            "properties": {
                "type": {"type": "string"},
                "errorCode": {"type": "string"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "status": {"type": "integer", "format": "int32"},
                "requestId": {"type": "string"},
                "instance": {"type": "string"},
                "invalidFields": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/InvalidField"},
                },
            },
        },
        "InvalidField": {
            "type": "object",
            "required": ["name", "value", "message"],
            "properties": {
                "name": {"type": "string"},
                "value": {"type": "string"},
                "message": {"type": "string"},
            },
        },
    }
    ref = {"$ref": "#/components/schemas/RestServiceError"}
    doc = _doc({"422": _json(ref)}, schemas)
    _, _, body = answer(doc, BAD_PARAMS.with_status(422))
    assert body["errorCode"] == "422" and body["status"] == 422
    assert body["title"] == "Unprocessable Entity" and body["requestId"] == "4a7c0e"
    assert body["invalidFields"] == [
        {"name": "/query/limit", "value": "", "message": "11 is greater than the maximum of 10"}
    ]
    conforms(doc, ref, body)


def test_required_fields_take_enum_const_default_and_example() -> None:
    schema = {
        "type": "object",
        "required": ["success", "severity", "version", "hint", "retry", "count"],
        "properties": {
            "success": {"type": "boolean"},
            "severity": {"type": "string", "enum": ["low", "high"]},
            "version": {"const": 2},
            "hint": {"type": "string", "example": "see the docs"},
            "retry": {"type": "integer", "default": 30},
            "count": {"type": "integer", "minimum": 3},
        },
    }
    doc = _doc({"400": _json(schema)})
    _, _, body = answer(doc)
    assert body == {
        "success": False,
        "severity": "low",
        "version": 2,
        "hint": "see the docs",
        "retry": 30,
        "count": 3,
    }
    conforms(doc, schema, body)


def test_falls_back_to_the_documented_example_then_to_problem_json(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pattern = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string", "pattern": "^E[0-9]{4}$"}},
    }
    example = {"code": "E0400"}
    _, kind, body = answer(_doc({"400": _json(pattern, example=example)}))
    assert (kind, body) == ("application/json", example)
    with caplog.at_level(logging.WARNING, "ctk.runtime"):
        _, kind, body = answer(_doc({"400": _json(pattern)}))
    assert kind == "application/problem+json" and body["status"] == 400
    assert "no 400 error body fits" in caplog.text


def test_warns_once_per_operation_and_status(caplog: pytest.LogCaptureFixture) -> None:
    impossible = {"type": "object", "required": ["a"], "properties": {"a": {"not": {}}}}
    _, errors = _errors(_doc({"400": _json(impossible)}))
    with caplog.at_level(logging.WARNING, "ctk.runtime"):
        for _ in range(3):
            errors.render(BAD_PARAMS, "/x", "r", None)
    assert len(caplog.records) == 1


def test_one_of_takes_the_first_branch_that_fits() -> None:
    schema = {
        "oneOf": [
            {
                "type": "object",
                "required": ["fault"],
                "additionalProperties": False,
                "properties": {"fault": {"type": "string", "pattern": "^F[0-9]+$"}},
            },
            CODE_MESSAGE,
        ]
    }
    doc = _doc({"400": _json(schema)})
    _, _, body = answer(doc)
    assert body == {"code": 400, "message": _message()}
    conforms(doc, schema, body)


# -- several media types: JSON preferred, Accept respected, text, XML -----------------------------


def _default_json_and_xml() -> dict[str, Any]:
    error = {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    }
    ref = {"$ref": "#/components/schemas/Error"}
    content = {"application/json": {"schema": ref}, "application/xml": {"schema": ref}}
    return _doc({"default": {"description": "e", "content": content}}, {"Error": error})


def test_default_with_json_and_xml_answers_json_even_when_xml_is_preferred() -> None:
    doc = _default_json_and_xml()
    for accept in (None, "application/xml", "application/xml, application/json;q=0.1"):
        _, kind, body = answer(doc, accept=accept)
        assert (kind, body) == ("application/json", {"message": _message()})


def test_text_only_answers_the_detail_as_text() -> None:
    text = {"description": "e", "content": {"text/plain": {"schema": {"type": "string"}}}}
    assert answer(_doc({"400": text})) == (
        400,
        "text/plain; charset=utf-8",
        "invalid parameters",
    )


def test_accept_chooses_between_documented_json_and_text() -> None:
    content = {"application/json": {"schema": CODE_MESSAGE}, "text/plain": {}}
    doc = _doc({"400": {"description": "e", "content": content}})
    assert answer(doc)[1] == "application/json"
    assert answer(doc, accept="text/plain")[1] == "text/plain; charset=utf-8"
    assert answer(doc, accept="text/*;q=0.9, application/json")[1] == "application/json"


def test_xml_only_keeps_problem_json_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    xml = {"description": "e", "content": {"application/xml": {"schema": {"type": "object"}}}}
    with caplog.at_level(logging.WARNING, "ctk.runtime"):
        assert answer(_doc({"400": xml}))[1] == "application/problem+json"
    assert "documents only application/xml" in caplog.text


# -- Settings.error_body -----------------------------------------------------------------------


def test_error_body_hook_shapes_the_envelope() -> None:
    seen: list[ErrorShape] = []

    def envelope(problem: Mapping[str, Any], shape: ErrorShape) -> Any:
        seen.append(shape)
        return {"code": problem["status"], "message": f"[{problem['request_id']}] x"}

    doc = _doc({"4XX": _json(CODE_MESSAGE)})
    _, kind, body = answer(doc, hook=envelope)
    assert (kind, body) == ("application/json", {"code": 400, "message": "[4a7c0e] x"})
    (shape,) = seen
    assert (shape.operation_id, shape.status, shape.response) == ("op", 400, "4XX")
    assert shape.media_type == "application/json" and shape.schema is not None
    assert shape.schema["required"] == ["code", "message"]


def test_error_body_hook_breaking_the_schema_or_declining_is_not_used(
    caplog: pytest.LogCaptureFixture,
) -> None:
    doc = _doc({"400": _json(CODE_MESSAGE)})
    with caplog.at_level(logging.WARNING, "ctk.runtime"):
        assert answer(doc, hook=lambda p, s: {"oops": 1})[2] == {"code": 400, "message": _message()}
    assert "breaks the documented schema" in caplog.text
    assert answer(doc, hook=lambda p, s: None)[2] == {"code": 400, "message": _message()}


# -- the status the runtime chooses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("documented", "prefer", "expected"),
    [
        (("200",), 400, 400),
        (("200",), 422, 422),
        (("200", "400", "422"), 400, 400),
        (("200", "400", "422"), 422, 422),
        (("200", "422"), 400, 422),
        (("200", "400"), 422, 400),
        (("200", "4XX"), 422, 422),
        (("200", "default"), 400, 400),
    ],
)
def test_client_error_status(documented: tuple[str, ...], prefer: int, expected: int) -> None:
    op = operations_from(_doc({s: {"description": s} for s in documented}))[0]
    assert client_error_status(op, prefer) == expected


def test_error_body_hook_that_raises_is_logged_and_ignored(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(problem: Mapping[str, Any], shape: ErrorShape) -> Any:
        raise KeyError("oops")

    with caplog.at_level(logging.ERROR, "ctk.runtime"):
        body = answer(_doc({"400": _json(CODE_MESSAGE)}), hook=broken)[2]
    assert body == {"code": 400, "message": _message()}
    assert "Settings.error_body failed for operation op" in caplog.text
