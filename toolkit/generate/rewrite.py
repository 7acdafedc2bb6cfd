"""The two edits made to datamodel-code-generator's output, where none of its options helps.

Both keep models.py passing `ruff check --isolated` and `mypy --strict`; both work on the
module's syntax tree positions, and neither lets spec text in (they move the generator's
own literals, never re-render them).
"""

from __future__ import annotations

import ast
import re

# Typed `additionalProperties` beside `properties`: for Python < 3.14 with postponed
# annotations the generator writes `__annotations__ = {'__pydantic_extra__': Dict[...]}`
# and imports typing.Dict, which ruff refuses (UP006/UP035, and I001 when the import lands
# after an aliased one). pydantic documents the plain annotation and resolves it like any.
_EXTRAS = re.compile(
    r"^    __annotations__ = \{\n        '__pydantic_extra__': Dict\[(.*)\],\n    \}$", re.M
)
_TYPING = "from typing import "


def typed_extras(text: str) -> str:
    text = _EXTRAS.sub(r"    __pydantic_extra__: dict[\1]", text)
    if "Dict[" in text:
        return text
    lines = []
    for line in text.split("\n"):
        if line.startswith(_TYPING) and " as " not in line and "(" not in line:
            names = [n for n in line[len(_TYPING) :].split(", ") if n != "Dict"]
            if not names:
                continue
            line = _TYPING + ", ".join(names)
        lines.append(line)
    return "\n".join(lines)


def _model_classes(tree: ast.Module) -> set[str]:
    """Classes that are pydantic models (not enums): they have `model_validate`."""
    models: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(b).split("[", 1)[0] for b in node.bases}
            if bases & ({"BaseModel", "RootModel"} | models):
                models.add(node.name)
    return models


def _default_target(annotation: ast.expr, models: set[str]) -> tuple[str, ast.keyword] | None:
    """`Annotated[Model (| None), Field(..., validate_default=True)]` -> (Model, keyword)."""
    if not (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
        and len(annotation.slice.elts) == 2
    ):
        return None
    kind, field = annotation.slice.elts
    if (
        isinstance(kind, ast.BinOp)
        and isinstance(kind.right, ast.Constant)
        and kind.right.value is None
    ):
        kind = kind.left
    if not (isinstance(kind, ast.Name) and kind.id in models and isinstance(field, ast.Call)):
        return None
    for keyword in field.keywords:
        if keyword.arg == "validate_default":
            return kind.id, keyword
    return None


def model_defaults(text: str) -> str:
    """A default of a model-typed field becomes a factory building the model.

    The generator writes `margin: Annotated[Margin, Field(validate_default=True)] = {...}`:
    right at run time (pydantic validates the dict into a Margin), but mypy rejects a dict
    for a Margin. `Field(default_factory=lambda: Margin.model_validate({...}))` is the same
    value, typed, and built when needed (so class order does not matter).
    """
    tree = ast.parse(text)
    models = _model_classes(tree)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(line: int, col: int) -> int:  # ast columns are UTF-8 byte offsets
        return offsets[line - 1] + len(lines[line - 1].encode()[:col].decode())

    edits: list[tuple[int, int, str]] = []
    for cls in tree.body:
        if not (isinstance(cls, ast.ClassDef) and cls.name in models):
            continue
        for node in cls.body:
            if not isinstance(node, ast.AnnAssign) or node.value is None:
                continue
            if not isinstance(node.value, ast.Dict | ast.List | ast.Constant):
                continue
            found = _default_target(node.annotation, models)
            if found is None or node.annotation.end_lineno is None:
                continue
            name, keyword = found
            value_start = at(node.value.lineno, node.value.col_offset)
            value_end = at(
                node.value.end_lineno or node.value.lineno, node.value.end_col_offset or 0
            )
            value = text[value_start:value_end]
            factory = f"default_factory=lambda: {name}.model_validate({value})"
            start = at(keyword.lineno, keyword.col_offset)
            end = at(keyword.end_lineno or 0, keyword.end_col_offset or 0)
            edits.append((start, end, factory))
            annotation_end = at(node.annotation.end_lineno, node.annotation.end_col_offset or 0)
            edits.append((annotation_end, value_end, ""))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
