"""Keywords added to the `Field(...)` of a field's annotation, as source text."""

from __future__ import annotations

import ast


def with_field_keywords(annotation: str, keywords: str, *, unless: str | None = None) -> str:
    """`annotation` with `keywords` (`a=1, b=2`) at the end of its `Annotated[..., Field()]`,
    or wrapped in `Annotated[annotation, Field(keywords)]` when it has no Field; unchanged
    when its Field already has the keyword `unless`."""
    node = ast.parse(annotation, mode="eval").body
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Annotated"
        and isinstance(node.slice, ast.Tuple)
    ):
        for element in node.slice.elts[1:]:
            if (
                isinstance(element, ast.Call)
                and isinstance(element.func, ast.Name)
                and element.func.id == "Field"
            ):
                if unless is not None and any(k.arg == unless for k in element.keywords):
                    return annotation
                call = ast.get_source_segment(annotation, element) or ""
                inner = call[len("Field(") : -1].rstrip().rstrip(",")
                start = offset(annotation, element.lineno, element.col_offset)
                fixed = f"Field({inner + ', ' if inner else ''}{keywords})"
                return annotation[:start] + fixed + annotation[start + len(call) :]
    return f"Annotated[{annotation}, Field({keywords})]"


def offset(text: str, line: int, column: int) -> int:
    """The character offset in `text` of an ast position (1-based line, UTF-8 byte column)."""
    lines = text.split("\n")
    head = sum(len(s) + 1 for s in lines[: line - 1])
    return head + len(lines[line - 1].encode("utf-8")[:column].decode("utf-8"))
