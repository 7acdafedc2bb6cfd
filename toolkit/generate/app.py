"""app.py: the operations table (pointers into the shipped spec) and `create_app`."""

from __future__ import annotations

import dataclasses
from typing import Any

from toolkit.generate.python import (
    converted,
    data_literal,
    import_from,
    literal,
    param_type,
    stdlib_imports,
)
from toolkit.generate.schemas import Shapes
from toolkit.generate.service import HEADER, body_type, protocol_name
from toolkit.model import ApiModel, OperationModel
from toolkit.model.error_shapes import Plan


def _call(name: str, parts: list[str], indent: str, keyword: str = "") -> str:
    """`Name(a=1, b=2)` (`keyword=Name(...)` with a keyword) on one line when it fits in
    100 columns, else one argument a line."""
    head = f"{indent}{keyword}={name}(" if keyword else f"{indent}{name}("
    flat = head + ", ".join(parts) + "),"
    if len(flat) <= 100:
        return flat
    inner = "".join(f"{indent}    {part},\n" for part in parts)
    return f"{head}\n{inner}{indent}),"


def _wrapped(key: str, value: tuple[object, ...], indent: str) -> str:
    """A tuple literal on one line when it fits in 100 columns, else one item a line."""
    line = f"{indent}{key}={literal(value)},"
    if len(line) <= 100:
        return line
    items = "".join(f"{indent}    {literal(item)},\n" for item in value)
    return f"{indent}{key}=(\n{items}{indent}),"


def _instance(
    value: Any,
    indent: str,
    *,
    code: dict[str, str] | None = None,
    defaults: bool = True,
    keyword: str = "",
) -> str:
    """`Param(...)`, `Body(...)`, `Response(...)`: a runtime dataclass as the model holds it,
    field by field in declaration order (`code` gives source for fields that are not data;
    without `defaults`, fields at their default are left out)."""
    parts = []
    for spec in dataclasses.fields(value):
        field_value = getattr(value, spec.name)
        if code and spec.name in code:
            parts.append(f"{spec.name}={code[spec.name]}")
        elif defaults or spec.default is dataclasses.MISSING or field_value != spec.default:
            parts.append(f"{spec.name}={literal(field_value)}")
    return _call(type(value).__name__, parts, indent, keyword)


def _operation(op: OperationModel, classes: dict[str, str], shapes: Shapes) -> str:
    lines = [
        "    Operation(",
        f"        id={literal(op.operation_id)},",
        f"        method={literal(op.method.upper())},",
        f"        path={literal(op.path)},",
        f"        handler={literal(op.handler)},",
    ]
    if op.params:
        lines.append("        params=(")
        for p in op.params:
            kind = param_type(p.schema)
            code = {"convert": kind} if converted(kind) else None
            lines.append(_instance(p.param, "            ", code=code, defaults=False))
        lines.append("        ),")
    if op.body is not None:
        model = "None"
        if op.body.body.schema in classes:
            model = body_type(op, classes, shapes, annotation=False)
        lines.append(_instance(op.body.body, "        ", code={"model": model}, keyword="body"))
    if op.responses:
        lines.append("        responses=(")
        lines.extend(_instance(r.response, "            ") for r in op.responses)
        lines.append("        ),")
    if op.security is not None:
        lines.append(_wrapped("security", op.security, "        "))
    lines.append(f"        default_status={op.default_status},")
    if op.tags:
        lines.append(f"        tags={literal(op.tags)},")
    lines.append("    ),")
    return "\n".join(lines)


def _runtime_names(api: ApiModel) -> list[str]:
    names = {"ASGIApp", "Operation", "Settings", "build_app"}
    for op in api.operations:
        if op.params:
            names.add("Param")
        if op.body is not None:
            names.add("Body")
        if op.responses:
            names.add("Response")
    return sorted(names, key=lambda n: (n[0].islower(), n))


def _mappings(mappings: dict[str, tuple[Plan, ...]]) -> str:
    """ERROR_MAPPINGS: how a problem is written in each error schema that is not RFC 9457."""
    if not mappings:
        return "ERROR_MAPPINGS: dict[str, list[dict[str, Any]]] = {}\n\n"
    entries = []
    for pointer, plans in mappings.items():
        key = literal(pointer) + ": "
        entries.append(f"    {key}{data_literal(list(plans), '    ', lead=len(key))},\n")
    body = "".join(entries)
    return (
        "# How an error (an RFC 9457 problem) is written in each documented error schema that is\n"
        "# not one, decided by ctk generate from the schema (its report lists each guess;\n"
        "# confirm or change them in [tool.ctk.generate] error-mappings). ADR 0014.\n"
        "ERROR_MAPPINGS: dict[str, list[dict[str, Any]]] = {\n" + body + "}\n\n"
    )


def render_app(
    api: ApiModel,
    classes: dict[str, str],
    shapes: Shapes,
    mappings: dict[str, tuple[Plan, ...]] | None = None,
) -> str:
    name = protocol_name(api)
    errors = _mappings(mappings or {})
    table = "".join(_operation(op, classes, shapes) + "\n" for op in api.operations)
    out = [
        HEADER,
        '"""The ASGI app: routing, validation, security and errors live in toolkit.runtime."""\n\n',
        "from __future__ import annotations\n\n",
        "import dataclasses\n",
        "import json\n",
        stdlib_imports(table, {"pathlib": ["Path"], "typing": ["Any"]}),
        "\n",
        "from toolkit.runtime import (\n"
        + "".join(f"    {name},\n" for name in _runtime_names(api))
        + ")\n\n",
        ("from . import models\n" if "models." in table else ""),
        import_from(".service", [name]),
        "\n",
        '__all__ = ["ERROR_MAPPINGS", "OPERATIONS", "SPEC", "create_app"]\n\n',
        "# The source document, shipped beside this module and served as-is at /openapi.json.\n",
        'SPEC = Path(__file__).with_name("openapi.json").read_bytes()\n\n',
        "OPERATIONS: tuple[Operation, ...] = (\n",
        table,
    ]
    out.append(")\n\n")
    out.append(errors)
    out.append("\n")
    out.append(
        f"def create_app(service: {name}, *, settings: Settings | None = None) -> ASGIApp:\n"
        '    """Build the app around your implementation of the service protocol."""\n'
        "    settings = dataclasses.replace(\n"
        "        settings or Settings(), spec_bytes=SPEC, error_mappings=ERROR_MAPPINGS\n"
        "    )\n"
        "    return build_app(json.loads(SPEC), OPERATIONS, service, settings)\n"
    )
    return "".join(out)
