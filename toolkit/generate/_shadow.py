"""Fields named like a class they use get another name and the property name as alias.

`Parallelism: Parallelism | MISSING = MISSING` inside a class body: the annotation names the
field itself (mypy: "not valid as a type"; pydantic resolves it to the default). The
generator renames such a field to `Parallelism_1` with `alias='Parallelism'`, but it sees
prefixed class names (ADR 9) and so never finds the clash: ctk does the same on the merged
module, where the final names are known.
"""

from __future__ import annotations

import ast
import re

from toolkit.generate._annotated import edit_fields, with_field_keywords

_FIELD = re.compile(r"^    ([^\W\d]\w*)[ \t]*:", re.M)


def unshadow(block: str, classes: frozenset[str]) -> tuple[str, bool]:
    """`block` (one top-level statement) with its clashing fields renamed, and whether the
    result needs `Annotated` and `Field` imported."""
    if not block.startswith("class "):
        return block, False
    taken = set(_FIELD.findall(block))
    clashing = {
        name for name in taken if name in classes and len(re.findall(rf"\b{name}\b", block)) > 1
    }
    if not clashing:
        return block, False

    def renamed(stmt: ast.AnnAssign, source: str) -> str | None:
        assert isinstance(stmt.target, ast.Name)
        name = stmt.target.id
        if name not in clashing:
            return None
        new, n = f"{name}_1", 1
        while new in taken or new in classes:
            n += 1
            new = f"{name}_{n}"
        taken.add(new)
        annotation = with_field_keywords(
            ast.get_source_segment(source, stmt.annotation) or "", f"alias={name!r}", unless="alias"
        )
        value = ast.get_source_segment(source, stmt.value) if stmt.value is not None else None
        return f"    {new}: {annotation}" + (f" = {value}" if value is not None else "")

    fixed = edit_fields(block, renamed)
    return fixed, fixed != block
