"""Rendering helpers: every piece of spec text that reaches Python source goes through here.

Names are sanitised to identifiers (`model.names`); values become literals with `repr()`
(which escapes anything); free text becomes a docstring or comment with quotes, backslashes
and control characters neutralised. Nothing else from a spec may be pasted into code.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
import tokenize
from collections.abc import Mapping, Sequence
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def literal(value: Any) -> str:
    """A Python literal for JSON scalars, tuples of them; repr() escapes strings safely."""
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def data_literal(value: Any, indent: str = "", width: int = 100, lead: int = 0) -> str:
    """JSON data (dicts, lists, scalars) as a Python literal: on one line when it fits in
    `width` columns (after `indent`, the `lead` characters before it on its line, and a
    comma), else one entry a line, nested alike. Keys and strings go through repr(); a
    non-finite float (YAML's `.inf`) has no literal and raises."""
    flat = _flat(value)
    fits = len(indent) + lead + len(flat) + 1 <= width
    if fits or not isinstance(value, dict | list) or not value:
        return flat
    inner = indent + "    "
    if isinstance(value, dict):
        entries = []
        for k, v in value.items():
            key = literal(str(k)) + ": "
            entries.append(f"{inner}{key}{data_literal(v, inner, width, len(key))},\n")
        return "{\n" + "".join(entries) + indent + "}"
    body = "".join(f"{inner}{data_literal(v, inner, width)},\n" for v in value)
    return "[\n" + body + indent + "]"


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(str(k))}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError(f"no literal for {value}")
    return literal(value)


def docstring(text: str, indent: str, *, limit: int = 600) -> str:
    """A safe one-paragraph docstring: no way to close it early or smuggle code."""
    clean = _CONTROL.sub(" ", text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    clean = " ".join(clean.split())
    if len(clean) > limit:
        clean = clean[: limit - 3].rstrip() + "..."
    clean = clean.rstrip('"').rstrip("\\") or "Undocumented."  # a quote would merge with the closer
    lines = textwrap.wrap(clean, width=max(40, 96 - len(indent)), break_long_words=False)
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= 100:
        return f'{indent}"""{lines[0]}"""\n'
    body = "".join(f"{indent}{line}\n" for line in lines)
    return f'{indent}"""\n{body}{indent}"""\n'


def import_from(module: str, names: list[str]) -> str:
    """`from module import a, b` as ruff's isort wants it: wrapped past 88 columns."""
    line = f"from {module} import {', '.join(names)}\n"
    if len(line) <= 89:  # 88 columns and the newline
        return line
    return f"from {module} import (\n" + "".join(f"    {name},\n" for name in names) + ")\n"


def mentions(code: str, name: str) -> bool:
    """Whether rendered code (a fragment: annotations, signatures) names `name` itself: not
    in a string literal (a default, a path), not as an attribute or a longer name
    (`models.Anywhere`, `Any2` for Any). Read by Python's own tokenizer."""
    previous = ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.NAME and token.string == name and previous != ".":
                return True
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                previous = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):  # a fragment ends mid-way
        pass
    return False


def comment(text: str, *, limit: int = 120) -> str:
    clean = " ".join(_CONTROL.sub(" ", text).split())
    return clean[:limit]


# String formats the runtime converts a parameter to (runtime Param.convert), as the
# models type them; other formats stay `str`.
_STRING_FORMATS = {"date-time": "datetime", "date": "date", "uuid": "UUID"}
# Where each converted type is imported from (app.py and service.py name them).
CONVERTED_TYPES = {"datetime": "datetime", "date": "datetime", "UUID": "uuid"}


def _single_type(kind: str, schema: dict[str, Any]) -> str:
    if kind == "string":
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            return f"Literal[{', '.join(literal(v) for v in dict.fromkeys(enum))}]"
        found = schema.get("format")
        return _STRING_FORMATS.get(found, "str") if isinstance(found, str) else "str"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "float"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        items = schema.get("items")
        return f"list[{param_type(items) if isinstance(items, dict) else 'Any'}]"
    if kind == "object":
        return "dict[str, Any]"
    return "Any"


def param_type(schema: Any) -> str:
    """The Python type a parameter value has after the runtime decoded and validated it."""
    if not isinstance(schema, dict):
        return "Any"
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        rendered = [_single_type(k, schema) for k in kinds if isinstance(k, str)]
        base = " | ".join(dict.fromkeys(rendered)) or "Any"
        return f"{base} | None" if "null" in kind and base != "Any" else base
    if isinstance(kind, str):
        base = _single_type(kind, schema)
        return f"{base} | None" if schema.get("nullable") is True and base != "Any" else base
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return _single_type("string", schema)
    return "Any"


def converted(rendered_type: str) -> bool:
    """Whether a parameter of this rendered type needs the runtime's conversion."""
    return any(mentions(rendered_type, name) for name in CONVERTED_TYPES)


def stdlib_imports(code: str, given: Mapping[str, Sequence[str]]) -> str:
    """The `from` lines of the standard-library import block, in ruff's order: `given`
    (module → names, in their order) and `from datetime import ...` / `from uuid import
    UUID` for the converted types `code` (rendered annotations or expressions) names."""
    by_module = {module: list(names) for module, names in given.items() if names}
    for name, module in CONVERTED_TYPES.items():
        if mentions(code, name):
            by_module.setdefault(module, []).append(name)
    return "".join(
        import_from(module, names if module in given else sorted(names))
        for module, names in sorted(by_module.items())
    )


def default_literal(schema: Any, rendered_type: str) -> str | None:
    """The schema's default as a literal when it is a scalar of the rendered type."""
    if not isinstance(schema, dict) or "default" not in schema:
        return None
    value = schema["default"]
    kinds = {"str": str, "int": int, "float": (int, float), "bool": bool}
    base = rendered_type.split(" | ", maxsplit=1)[0]
    if base.startswith("Literal[") and isinstance(value, str):
        return literal(value) if literal(value) in base else None
    expected = kinds.get(base)
    if expected is None or (isinstance(value, bool) and base != "bool"):
        return None
    if not isinstance(value, expected):  # type: ignore[arg-type]
        return None
    return literal(float(value) if base == "float" else value)
