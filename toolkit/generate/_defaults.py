"""String defaults of fields typed by a non-string scalar, made typed.

The generator writes `created: AwareDatetime = '2020-01-01T00:00:00Z'` (likewise for AnyUrl,
date, UUID, Decimal, IP addresses, bytes ...): mypy rejects a str for that type, and pydantic
would hand the handler the str itself (defaults are not validated). The default moves into
the field, validated: `Annotated[AwareDatetime, Field(default='...', validate_default=True)]`.
A default its own type refuses (`format: uri, default: ''`, a spec defect) would fail every
request that leaves the field out; the field is typed `str` instead, the default as written.
Likewise a default of another JSON type than the schema's (`type: string, default: null`)
widens the field's type to hold it, so the module still passes mypy.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import ipaddress
import re
import uuid
from typing import Any

import pydantic

from toolkit.generate._annotated import edit_fields, offset_within, with_field_keywords

_TYPES: dict[str, Any] = {
    "AnyUrl": pydantic.AnyUrl,
    "AwareDatetime": pydantic.AwareDatetime,
    "NaiveDatetime": pydantic.NaiveDatetime,
    "datetime": datetime.datetime,
    "date": datetime.date,
    "time": datetime.time,
    "timedelta": datetime.timedelta,
    "Decimal": decimal.Decimal,
    "UUID": uuid.UUID,
    "IPv4Address": ipaddress.IPv4Address,
    "IPv6Address": ipaddress.IPv6Address,
    "bytes": bytes,
}
_ADAPTERS: dict[str, pydantic.TypeAdapter[Any]] = {}
_CANDIDATE = re.compile(r"\b(?:" + "|".join(_TYPES) + r")(?:_aliased)?\b")
_STRING_DEFAULT = re.compile(r"""\] = ['"]|^    \w+: [^=\n]+ = ['"]""", re.M)
# a literal default of another JSON type than the field's, on one line, or `= None`
_MISMATCH = re.compile(
    r"""= None$|: str(?: \| MISSING)? = (?:-?\d|True\b|False\b)"""
    r"""|: (?:int|float)(?: \| MISSING)? = (?:['"]|True\b|False\b)"""
    r"""|: bool(?: \| MISSING)? = (?:['"]|-?\d)""",
    re.M,
)
_JSON_SCALARS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
}


def typed_defaults(block: str) -> tuple[str, bool]:
    """`block` (one top-level statement) with such defaults moved, and whether the result
    needs `Annotated` and `Field` imported."""
    if not block.startswith("class "):
        return block, False
    strings = _STRING_DEFAULT.search(block) and _CANDIDATE.search(block)
    if not strings and not _MISMATCH.search(block):
        return block, False
    needs = False

    def typed(stmt: ast.AnnAssign, source: str) -> str | None:
        nonlocal needs
        assert isinstance(stmt.target, ast.Name)
        if not isinstance(stmt.value, ast.Constant):
            return None
        found = _core(stmt.annotation)
        if found is None:
            return None
        core, nullable = found
        annotation = ast.get_source_segment(source, stmt.annotation) or ""
        value = ast.get_source_segment(source, stmt.value) or ""
        default = stmt.value.value
        kind = core.id.removesuffix("_aliased")
        widen = None
        if default is None:
            widen = None if nullable else "None"
        elif isinstance(default, str) and kind in _TYPES:
            if _valid(kind, default):
                needs = True
                keywords = f"default={value}, validate_default=True"
                return f"    {stmt.target.id}: {with_field_keywords(annotation, keywords)}"
            widen = "str"
        elif kind in _JSON_SCALARS and not _fits(default, _JSON_SCALARS[kind]):
            widen = type(default).__name__
        if widen is None:
            return None
        start = offset_within(annotation, core, stmt.annotation)
        keep = kind not in _TYPES or widen == "None"  # an invalid AnyUrl default: str only
        wide = f"{core.id} | {widen}" if keep else widen
        typed_annotation = annotation[:start] + wide + annotation[start + len(core.id) :]
        return f"    {stmt.target.id}: {typed_annotation} = {value}"

    return edit_fields(block, typed), needs


def _fits(value: Any, kinds: tuple[type, ...]) -> bool:
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


def _core(annotation: ast.expr) -> tuple[ast.Name, bool] | None:
    """The one type of `T`, `T | None`, `T | MISSING`, `Annotated[that, Field()]`, and
    whether None is among them."""
    node = annotation
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        node = node.slice.elts[0]
    names: list[ast.expr] = []
    stack = [node]
    while stack:
        part = stack.pop()
        if isinstance(part, ast.BinOp) and isinstance(part.op, ast.BitOr):
            stack.extend([part.left, part.right])
        else:
            names.append(part)
    nullable = any(isinstance(n, ast.Constant) and n.value is None for n in names)
    kinds = [
        n
        for n in names
        if not (isinstance(n, ast.Constant) and n.value is None)
        and not (isinstance(n, ast.Name) and n.id == "MISSING")
    ]
    if len(kinds) != 1 or not isinstance(kinds[0], ast.Name):
        return None
    return kinds[0], nullable


def _valid(kind: str, value: str) -> bool:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = pydantic.TypeAdapter(_TYPES[kind])
    try:
        adapter.validate_python(value)
    except pydantic.ValidationError:
        return False
    return True
