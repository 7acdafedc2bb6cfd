"""The spec location a failure violates: the JSON pointer of the response, header, schema
or operation that promised what the service did not keep."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit import pointer as jp
from toolkit.verify.fuzz.results import Response

_OPERATION_LEVEL = {
    "ServerError",
    "AcceptedNegativeData",
    "RejectedPositiveData",
    "UseAfterFree",
    "EnsureResourceAvailability",
}


def operation_pointer(label: str) -> str:
    method, _, path = label.partition(" ")
    return jp.join("/paths", path, method.lower())


def response_key(responses: Mapping[str, Any], status: int) -> str | None:
    """The documented response that covers `status`: exact, then `4XX`, then `default`."""
    keys = {str(k).upper(): str(k) for k in responses}
    for candidate in (str(status), f"{str(status)[0]}XX", "DEFAULT"):
        if candidate in keys:
            return keys[candidate]
    return None


def violated_pointer(
    data: Mapping[str, Any], label: str, failure: Any, response: Response | None
) -> str:
    operation = operation_pointer(label)
    if not jp.exists(data, operation):
        return ""
    kind = type(failure).__name__
    if kind in _OPERATION_LEVEL or response is None:
        return operation
    responses_at, responses = _follow(data, jp.join(operation, "responses"))
    if not isinstance(responses, dict):
        return operation
    key = response_key(responses, response.status)
    if kind == "UndefinedStatusCode" or key is None:
        return responses_at
    at, documented = _follow(data, jp.join(responses_at, key))
    if not isinstance(documented, dict):
        return at
    if kind == "MissingHeaders":
        missing = getattr(failure, "missing_headers", None) or []
        headers = documented.get("headers") or {}
        for name in headers:
            if missing and str(name).lower() == str(missing[0]).lower():
                return jp.join(at, "headers", name)
        return jp.join(at, "headers")
    content = documented.get("content")
    if kind == "JsonSchemaError" and isinstance(content, dict):
        media = _media_key(content, response.media_type)
        if media is not None:
            return jp.join(at, "content", media, "schema")
    if isinstance(content, dict) and ("Content" in kind or "MediaType" in kind):
        return jp.join(at, "content")
    return at


def _media_key(content: Mapping[str, Any], media_type: str) -> str | None:
    if media_type in content:
        return media_type
    major = media_type.split("/", 1)[0]
    for key in (f"{major}/*", "*/*"):
        if key in content:
            return key
    return next(iter(content), None) if len(content) == 1 else None


def _follow(data: Any, pointer: str) -> tuple[str, Any]:
    """(pointer, value) with local `$ref`s followed, so the location is where the text is."""
    try:
        value = jp.resolve(data, pointer)
    except (KeyError, ValueError):
        return pointer, None
    value, pointer = jp.follow(data, value, pointer)
    return pointer, value
