"""A schemathesis `Case` as JSON and back, so a failing case is stored, not a seed.

Same seeds do not replay a run (schemathesis#2504), so the case itself is kept: its
components (bytes tagged as base64), its media type and the part of its metadata checks
read (generation mode per component, phase, what was mutated). Rebuilt with the
operation's own `Case` factory, the same check sees the same case.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

_BYTES = "$ctk-bytes"


def encode_value(value: Any) -> Any:
    """JSON-safe form of a case component: bytes become {"$ctk-bytes": base64}."""
    if isinstance(value, bytes | bytearray):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        return {k: decode_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def encode_case(case: Any) -> dict[str, Any]:
    from schemathesis.core import NOT_SET

    data: dict[str, Any] = {
        "path_parameters": encode_value(dict(case.path_parameters or {})),
        "query": encode_value(dict(case.query or {})),
        "headers": encode_value(dict(case.headers or {})),
        "cookies": encode_value(dict(case.cookies or {})),
        "media_type": case.media_type,
    }
    if case.body is not NOT_SET:
        data["body"] = encode_value(case.body)
    meta = case.meta
    if meta is not None:
        phase = meta.phase.data
        location = getattr(phase, "parameter_location", None)
        data["meta"] = {
            "mode": meta.generation.mode.value,
            "phase": meta.phase.name.value,
            "components": {str(k.value): v.mode.value for k, v in meta.components.items()},
            "description": getattr(phase, "description", None),
            "parameter": getattr(phase, "parameter", None),
            "parameter_location": location.value if location is not None else None,
        }
    return data


def decode_case(operation: Any, data: Mapping[str, Any]) -> Any:
    """Rebuild the case for `operation` (a schemathesis APIOperation)."""
    from schemathesis.core import NOT_SET

    kwargs: dict[str, Any] = {
        "path_parameters": decode_value(data.get("path_parameters") or {}),
        "query": decode_value(data.get("query") or {}),
        "headers": decode_value(data.get("headers") or {}),
        "cookies": decode_value(data.get("cookies") or {}),
        "media_type": data.get("media_type"),
        "body": decode_value(data["body"]) if "body" in data else NOT_SET,
    }
    meta = data.get("meta")
    if meta:
        kwargs["_meta"] = _meta(meta)
    return operation.Case(**kwargs)


def _meta(data: Mapping[str, Any]) -> Any:
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation import GenerationMode
    from schemathesis.generation.meta import (
        CaseMetadata,
        ComponentInfo,
        GenerationInfo,
        PhaseInfo,
        StatefulPhaseData,
        TestPhase,
    )

    location = data.get("parameter_location")
    phase = PhaseInfo(
        name=TestPhase(data.get("phase") or "fuzzing"),
        data=StatefulPhaseData(
            description=data.get("description"),
            parameter=data.get("parameter"),
            parameter_location=ParameterLocation(location) if location else None,
            location=None,
        ),
    )
    components = {
        ParameterLocation(k): ComponentInfo(mode=GenerationMode(v))
        for k, v in (data.get("components") or {}).items()
    }
    return CaseMetadata(
        generation=GenerationInfo(time=0.0, mode=GenerationMode(data.get("mode") or "positive")),
        components=components,
        phase=phase,
    )
