"""text/* bodies → str (by the Content-Type's charset, UTF-8 by default) and binary bodies →
bytes with their schema's `minLength`/`maxLength` (counted in bytes) enforced."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problem import HTTPProblem


def charset_of(content_type: str) -> str:
    """`text/plain; charset="latin-1"` → `latin-1`; `utf-8` when none is given."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or "utf-8"
    return "utf-8"


def decode_text(raw: bytes, content_type: str) -> str:
    charset = charset_of(content_type)
    try:
        return raw.decode(charset)
    except LookupError:
        raise HTTPProblem(400, detail=f"unknown charset {charset!r}") from None
    except UnicodeDecodeError as error:
        raise HTTPProblem(
            400, detail=f"the request body is not valid {charset} text: {error.reason}"
        ) from None


def admits_string(schema: Any) -> bool:
    """Can a string satisfy the schema's `type` (absent, "string", or a list holding it)?"""
    if not isinstance(schema, Mapping):
        return schema is None or schema is True
    kind = schema.get("type")
    if kind is None:
        return not any(k in schema for k in ("properties", "items", "additionalProperties"))
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


class BinaryBody:
    """bytes whose length the schema bounds (`minLength`/`maxLength` of a binary string)."""

    __slots__ = ("_invalid", "_max", "_min")

    def __init__(self, schema: Mapping[str, Any], invalid: int) -> None:
        low, high = schema.get("minLength"), schema.get("maxLength")
        self._min = low if isinstance(low, int) and not isinstance(low, bool) else 0
        self._max = high if isinstance(high, int) and not isinstance(high, bool) else None
        self._invalid = invalid

    @property
    def bounded(self) -> bool:
        return self._min > 0 or self._max is not None

    def __call__(self, raw: bytes) -> bytes:
        size = len(raw)
        if size < self._min:
            message = f"the body has {size} bytes, fewer than minLength {self._min}"
        elif self._max is not None and size > self._max:
            message = f"the body has {size} bytes, more than maxLength {self._max}"
        else:
            return raw
        raise HTTPProblem(
            self._invalid,
            detail="the request body does not match its schema",
            errors=[{"pointer": "", "detail": message}],
        )
