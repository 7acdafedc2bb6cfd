"""Pact file → `PactFile`, for every specification version, with located errors.

A pact is JSON (never YAML), bounded in size before it is read; every shape error names
the JSON pointer of the offending value and its line. Message interactions (V3 message
pacts, V4 asynchronous and synchronous messages) are kept as `Skipped` with the reason:
they have no HTTP request to check.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location
from toolkit.load.locate import JsonLocator
from toolkit.load.pact import legacy
from toolkit.load.pact.model import Body, Interaction, PactFile, Request, Response, Skipped, State
from toolkit.load.pact.rules import RuleError, Rules, parse_v2, parse_v3
from toolkit.load.parse import decode, parse, read_bytes, sniff
from toolkit.pointer import join

# Pacts are test artefacts, rarely over a megabyte; a bigger file is almost surely not one.
PACT_MAX_BYTES = 16 * 1024 * 1024
VERSIONS = {"1": "1.0", "1.0": "1.0", "1.1": "1.1", "2": "2.0", "3": "3.0", "4": "4.0"}
_HTTP = "Synchronous/HTTP"
_MESSAGES = ("Asynchronous/Messages", "Synchronous/Messages")


class _ShapeError(Exception):
    def __init__(self, pointer: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.pointer, self.message, self.hint = pointer, message, hint


def load_pact(path: Path, options: LoadOptions | None = None, *, display: str = "") -> PactFile:
    """Read and parse one pact file; LoadError (exit 2) with a location when it is not one."""
    name = display or str(path)
    options = options or LoadOptions(max_bytes=PACT_MAX_BYTES)
    text = decode(read_bytes(path, options, display=name), name)
    if sniff(text, path) != "json":
        raise LoadError(
            "not JSON: a pact file is a JSON document",
            Location(name, line=1, column=1),
            hint="pass the .json file a pact consumer test wrote",
        )
    data = parse(text, name, "json", max_nodes=options.max_nodes)
    return pact_from_data(data, text, name)


def pact_from_data(data: Any, text: str, name: str) -> PactFile:
    locator = JsonLocator(text) if text else None
    locate = locator.position if locator is not None else None

    def fail(pointer: str, message: str, hint: str = "") -> LoadError:
        position = locate(pointer) if locate is not None else None
        line, column = position if position is not None else (None, None)
        return LoadError(message, Location(name, pointer, line, column), hint=hint)

    try:
        return _pact(data, text, name, locate)
    except _ShapeError as exc:
        raise fail(exc.pointer, exc.message, exc.hint) from None


def _pact(data: Any, text: str, name: str, locate: Any) -> PactFile:
    if not isinstance(data, Mapping):
        raise _ShapeError("", f"a pact is a JSON object, got {_kind(data)}")
    version = _version(data)
    consumer = _name(data, "consumer")
    provider = _name(data, "provider")
    interactions: list[Interaction] = []
    skipped: list[Skipped] = []
    key = "interactions" if "interactions" in data or "messages" not in data else "messages"
    raw = data.get(key)
    if not isinstance(raw, list):
        raise _ShapeError(f"/{key}", f"`{key}` is a list of interactions, got {_kind(raw)}")
    for index, item in enumerate(raw):
        pointer = f"/{key}/{index}"
        if not isinstance(item, Mapping):
            raise _ShapeError(pointer, f"an interaction is an object, got {_kind(item)}")
        description = item.get("description")
        if not isinstance(description, str):
            raise _ShapeError(pointer, "an interaction needs a `description` string")
        kind = item.get("type")
        if key == "messages" or kind in _MESSAGES or ("request" not in item and "contents" in item):
            skipped.append(
                Skipped(index, description, str(kind or "message"), _MESSAGE_NOTE, pointer)
            )
            continue
        if kind not in (None, _HTTP):
            skipped.append(
                Skipped(
                    index, description, str(kind), f"unknown interaction type {kind!r}", pointer
                )
            )
            continue
        interactions.append(_interaction(item, index, pointer, version))
    return PactFile(
        name, consumer, provider, version, tuple(interactions), tuple(skipped), text, locate
    )


_MESSAGE_NOTE = "a message interaction has no HTTP request or response to check"


def _version(data: Mapping[str, Any]) -> str:
    metadata = data.get("metadata")
    if metadata is None:
        return "1.0"  # V1 files often carry no metadata at all
    if not isinstance(metadata, Mapping):
        raise _ShapeError("/metadata", f"`metadata` is an object, got {_kind(metadata)}")
    for key in ("pactSpecification", "pact-specification", "pactSpecificationVersion"):
        if key not in metadata:
            continue
        value = metadata[key]
        pointer = f"/metadata/{key}"
        if isinstance(value, Mapping):
            value, pointer = value.get("version"), pointer + "/version"
        text = str(value).strip() if isinstance(value, (str, int, float)) else ""
        found = _known_version(text)
        if found is None:
            raise _ShapeError(
                pointer,
                f"unknown pact specification version {value!r}",
                hint="pact files are specification 1.0, 1.1, 2.0, 3.0 or 4.0",
            )
        return found
    return "1.0"


def _known_version(text: str) -> str | None:
    """ "1.0.0" → 1.0, "1.1.0" → 1.1, "2.0.0" → 2.0, "3" → 3.0, "4.0" → 4.0."""
    parts = text.split(".")
    if parts[0] == "1":
        return "1.1" if len(parts) > 1 and parts[1] == "1" else "1.0"
    return VERSIONS.get(parts[0])


def _name(data: Mapping[str, Any], role: str) -> str:
    party = data.get(role)
    if not isinstance(party, Mapping) or not isinstance(party.get("name"), str):
        raise _ShapeError(f"/{role}", f"`{role}` is an object with a `name` string")
    return str(party["name"])


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _interaction(item: Mapping[str, Any], index: int, pointer: str, version: str) -> Interaction:
    request, response = item.get("request"), item.get("response")
    if not isinstance(request, Mapping):
        raise _ShapeError(f"{pointer}/request", "an HTTP interaction needs a `request` object")
    if not isinstance(response, Mapping):
        raise _ShapeError(f"{pointer}/response", "an HTTP interaction needs a `response` object")
    return Interaction(
        index=index,
        description=str(item["description"]),
        states=_states(item, pointer),
        request=_request(request, f"{pointer}/request", version),
        response=_response(response, f"{pointer}/response", version),
        pointer=pointer,
        pending=item.get("pending") is True,
    )


def _states(item: Mapping[str, Any], pointer: str) -> tuple[State, ...]:
    if "providerStates" in item:
        raw = item["providerStates"]
        if not isinstance(raw, list):
            raise _ShapeError(f"{pointer}/providerStates", "`providerStates` is a list")
        states = []
        for i, state in enumerate(raw):
            where = f"{pointer}/providerStates/{i}"
            if not isinstance(state, Mapping) or not isinstance(state.get("name"), str):
                raise _ShapeError(where, "a provider state is an object with a `name` string")
            params = state.get("params") or {}
            if not isinstance(params, Mapping):
                raise _ShapeError(f"{where}/params", "`params` is an object")
            states.append(State(str(state["name"]), dict(params)))
        return tuple(states)
    legacy_state = item.get("providerState", item.get("provider_state"))
    if legacy_state is None:
        return ()
    if not isinstance(legacy_state, str):
        raise _ShapeError(f"{pointer}/providerState", "`providerState` is a string")
    return (State(legacy_state),)


def _rules(part: Mapping[str, Any], pointer: str, version: str, legacy_key: str) -> Rules:
    try:
        if legacy_key in part:
            return parse_v2(part[legacy_key], legacy_key)
        raw = part.get("matchingRules")
        if raw is None:
            return Rules()
        return parse_v2(raw, "matchingRules") if version < "3" else parse_v3(raw, "matchingRules")
    except RuleError as exc:
        key = legacy_key if legacy_key in part else "matchingRules"
        raise _ShapeError(join(pointer, key), f"unreadable matching rule: {exc}") from None


def _request(raw: Mapping[str, Any], pointer: str, version: str) -> Request:
    method = raw.get("method")
    path = raw.get("path", "/")
    if not isinstance(method, str) or not method:
        raise _ShapeError(pointer, "a request needs a `method` string")
    if not isinstance(path, str):
        raise _ShapeError(f"{pointer}/path", f"`path` is a string, got {_kind(path)}")
    headers = _headers(raw.get("headers"), f"{pointer}/headers")
    rules = _rules(raw, pointer, version, "requestMatchingRules")
    body, legacy_rules = _body(raw, pointer, headers)
    return Request(
        method=method.upper(),
        path=path,
        query=_query(raw.get("query"), f"{pointer}/query"),
        headers=headers,
        body=body,
        rules=rules.merged(legacy_rules),
        pointer=pointer,
    )


def _response(raw: Mapping[str, Any], pointer: str, version: str) -> Response:
    status = raw.get("status", 200)
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise _ShapeError(f"{pointer}/status", f"`status` is an HTTP status code, got {status!r}")
    headers = _headers(raw.get("headers"), f"{pointer}/headers")
    rules = _rules(raw, pointer, version, "responseMatchingRules")
    body, legacy_rules = _body(raw, pointer, headers)
    return Response(status, headers, body, rules.merged(legacy_rules), pointer)


def _headers(raw: Any, pointer: str) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _ShapeError(pointer, f"`headers` is an object, got {_kind(raw)}")
    out: dict[str, list[str]] = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, (str, int, float)) for v in values):
            raise _ShapeError(
                join(pointer, name), "a header value is a string or a list of strings"
            )
        out.setdefault(str(name).lower(), []).extend(str(v) for v in values)
    return out


def _query(raw: Any, pointer: str) -> dict[str, list[str]]:
    if raw is None or raw == "":
        return {}
    out: dict[str, list[str]] = {}
    if isinstance(raw, str):  # V1/V2: the query string itself
        for name, value in parse_qsl(raw, keep_blank_values=True):
            out.setdefault(name, []).append(value)
        return out
    if not isinstance(raw, Mapping):
        raise _ShapeError(pointer, f"`query` is a string or an object, got {_kind(raw)}")
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, (str, int, float)) or v is None for v in values):
            raise _ShapeError(join(pointer, name), "a query value is a string or a list of strings")
        out[str(name)] = ["" if v is None else str(v) for v in values]
    return out


def _body(
    part: Mapping[str, Any], pointer: str, headers: Mapping[str, list[str]]
) -> tuple[Body | None, Rules]:
    if "body" not in part:
        return None, Rules()
    raw, where = part["body"], f"{pointer}/body"
    declared = headers.get("content-type", [])
    content_type = next((v.strip(" ,") for v in reversed(declared) if v.strip(" ,")), None)
    if isinstance(raw, Mapping) and "content" in raw and ("encoded" in raw or "contentType" in raw):
        return _v4_body(raw, where, content_type), Rules()
    if isinstance(raw, str) and not _is_json(content_type):
        return Body("text", raw, content_type, where), Rules()
    if legacy.has_legacy(raw):
        try:
            example, rules = legacy.unwrap(raw)
        except RuleError as exc:
            raise _ShapeError(where, f"unreadable Ruby matcher: {exc}") from None
        return Body("json", example, content_type, where), rules
    if isinstance(raw, str) and _is_json(content_type):
        try:  # JSON written as text (some V2 tools)
            return Body("json", json.loads(raw), content_type, where), Rules()
        except ValueError:
            return Body("text", raw, content_type, where), Rules()
    return Body("json", raw, content_type, where), Rules()


def _v4_body(raw: Mapping[str, Any], where: str, header_type: str | None) -> Body:
    content_type = raw.get("contentType") or header_type
    content_type = str(content_type) if content_type is not None else None
    content = raw.get("content")
    encoded = raw.get("encoded", False)
    value_pointer = f"{where}/content"
    if encoded in (False, None):
        if isinstance(content, str) and not _is_json(content_type):
            return Body("text", content, content_type, value_pointer)
        return Body("json", content, content_type, value_pointer)
    if str(encoded).lower() == "base64":
        try:
            data = base64.b64decode(str(content), validate=True)
        except (binascii.Error, ValueError):
            raise _ShapeError(
                value_pointer, "the body says base64 but is not valid base64"
            ) from None
        if _is_json(content_type):
            try:
                return Body("json", json.loads(data), content_type, value_pointer)
            except ValueError:
                pass
        return Body("binary", data, content_type, value_pointer)
    if str(encoded).lower() == "json" and isinstance(content, str):
        try:
            return Body("json", json.loads(content), content_type, value_pointer)
        except ValueError:
            raise _ShapeError(value_pointer, "the body says JSON but does not parse") from None
    raise _ShapeError(f"{where}/encoded", f"unknown body encoding {encoded!r}")


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def with_display(pact: PactFile, display: str) -> PactFile:
    return dataclasses.replace(pact, display=display)
