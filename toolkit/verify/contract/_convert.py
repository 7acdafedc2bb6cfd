"""Pact values (JSON, or text taken from a state's name) converted to a handler's annotations."""

from __future__ import annotations

import enum
import inspect
import re
import types
import typing
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_INTEGER = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class ConversionError(ValueError):
    """`value` cannot become `expected` (a readable type name)."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def convert(value: Any, annotation: Any) -> Any:
    """`value` as `annotation` asks; no annotation (or `Any`) passes it through."""
    if annotation is Any or annotation is inspect.Parameter.empty or annotation is None:
        return value
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return _union(value, typing.get_args(annotation), annotation)
    if origin is typing.Literal:
        if value in typing.get_args(annotation):
            return value
        raise ConversionError(type_name(annotation))
    if origin is not None:  # list[int], dict[str, Any], ...: checked by shape, passed as is
        if isinstance(origin, type) and isinstance(value, origin):
            return value
        raise ConversionError(type_name(annotation))
    if not isinstance(annotation, type):
        return value  # a string annotation that did not resolve, a TypeVar, ...: as is
    converter = _CONVERTERS.get(annotation)
    if converter is not None:
        return converter(value)
    if issubclass(annotation, enum.Enum):
        try:
            return annotation(value)
        except ValueError:
            raise ConversionError(type_name(annotation)) from None
    if isinstance(value, annotation):
        return value
    raise ConversionError(type_name(annotation))


def type_name(annotation: Any) -> str:
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def _union(value: Any, options: tuple[Any, ...], annotation: Any) -> Any:
    if value is None and type(None) in options:
        return None
    for option in options:
        if option is type(None):
            continue
        try:
            return convert(value, option)
        except ConversionError:
            continue
    raise ConversionError(type_name(annotation))


def _to_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    raise ConversionError("str")


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ConversionError("int")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    raise ConversionError("int")


def _to_float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise ConversionError("float")


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConversionError("bool")


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            pass
    raise ConversionError("Decimal")


def _to_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise ConversionError("UUID")


def _to_datetime(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())  # "Z" included (Python 3.11+)
        except ValueError:
            pass
    raise ConversionError("datetime (ISO 8601)")


def _to_date(value: Any) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConversionError("date (ISO 8601)")


def _shape(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, kind):
            return value
        raise ConversionError(kind.__name__)

    return check


_CONVERTERS: dict[type, Callable[[Any], Any]] = {
    str: _to_str,
    int: _to_int,
    float: _to_float,
    bool: _to_bool,
    Decimal: _to_decimal,
    uuid.UUID: _to_uuid,
    datetime: _to_datetime,
    date: _to_date,
    list: _shape(list),
    dict: _shape(dict),
}
