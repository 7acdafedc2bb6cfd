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

from toolkit.generate._annotated import with_field_keywords

_FIELD = re.compile(r"^    ([^\W\d]\w*)[ \t]*:", re.M)


def unshadow(block: str, classes: frozenset[str]) -> tuple[str, bool]:
    """`block` (one top-level statement) with its clashing fields renamed, and whether the
    result needs `Annotated` and `Field` imported."""
    if not block.startswith("class "):
        return block, False
    clashing = [
        name
        for name in _FIELD.findall(block)
        if name in classes and len(re.findall(rf"\b{name}\b", block)) > 1
    ]
    if not clashing:
        return block, False
    try:
        tree = ast.parse(block)
    except SyntaxError:  # not ours to fix; mypy will say what is wrong
        return block, False
    klass = tree.body[0]
    if not isinstance(klass, ast.ClassDef):
        return block, False
    lines = block.split("\n")
    fields = [
        (s, s.target.id)
        for s in klass.body
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
    ]
    taken = {name for _, name in fields}
    # edit from the bottom up, so the line numbers of the fields above stay right
    for stmt, name in sorted(fields, key=lambda f: f[0].lineno, reverse=True):
        if name not in clashing:
            continue
        new, n = f"{name}_1", 1
        while new in taken or new in classes:
            n += 1
            new = f"{name}_{n}"
        taken.add(new)
        annotation = with_field_keywords(
            ast.get_source_segment(block, stmt.annotation) or "", f"alias={name!r}", unless="alias"
        )
        value = ast.get_source_segment(block, stmt.value) if stmt.value is not None else None
        text = f"    {new}: {annotation}" + (f" = {value}" if value is not None else "")
        end = stmt.end_lineno or stmt.lineno
        lines[stmt.lineno - 1 : end] = [text]
    return "\n".join(lines), True
