"""Source edits of the fields of one generated class (after the merge, ADR 9)."""

from __future__ import annotations

import ast
from collections.abc import Callable

# what a field becomes: its new source line(s), or None to keep it
FieldEdit = Callable[[ast.AnnAssign, str], str | None]


def edit_fields(block: str, edit: FieldEdit) -> str:
    """`block` (one class statement) with each annotated field replaced by what `edit`
    returns for it (given the field and `block`, its source); fields are visited from the
    bottom up, so the line numbers of those above stay right."""
    try:
        klass = ast.parse(block).body[0]
    except SyntaxError:  # not ours to fix; mypy will say what is wrong
        return block
    if not isinstance(klass, ast.ClassDef):
        return block
    lines = block.split("\n")
    fields = [
        s for s in klass.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
    ]
    for stmt in sorted(fields, key=lambda s: s.lineno, reverse=True):
        text = edit(stmt, block)
        if text is not None:
            lines[stmt.lineno - 1 : stmt.end_lineno or stmt.lineno] = [text]
    return "\n".join(lines)


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


def offset_within(text: str, node: ast.AST, root: ast.expr) -> int:
    """Where `node` starts in `text`, the source of `root` (their positions are the
    module's)."""
    line = getattr(node, "lineno", 1) - root.lineno + 1
    column = getattr(node, "col_offset", 0) - (root.col_offset if line == 1 else 0)
    return offset(text, line, column)
