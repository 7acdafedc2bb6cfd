"""The two edits made to datamodel-code-generator's output, where none of its options helps.

Both keep models.py passing `ruff check --isolated` and `mypy --strict`, and neither lets
spec text in (they move the generator's own literals, never re-render them).
"""

from __future__ import annotations

import ast
import re

from toolkit.generate._annotated import edit_fields, offset_within
from toolkit.generate._split import statements

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


def _model_classes(blocks: list[tuple[str | None, str]]) -> set[str]:
    """Classes that are pydantic models (not enums): they have `model_validate`."""
    models: set[str] = set()
    for name, block in blocks:
        opened, closed = block.find("("), block.find("):")
        if name is not None and block.startswith("class ") and -1 < opened < closed:
            header = block[opened + 1 : closed]
            bases = {base.split("[", 1)[0].strip() for base in _top_level(header)}
            if bases & ({"BaseModel", "RootModel"} | models):
                models.add(name)
    return models


def _top_level(text: str) -> list[str]:
    """`text` split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


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
    value, typed, and built when needed (so class order does not matter). Only the classes
    holding such a field are parsed (a whole-module parse took 0.7 s on GitHub's models).
    """
    if _VALIDATED not in text:
        return text
    blocks = statements(text)
    models = _model_classes(blocks)

    def factory(stmt: ast.AnnAssign, source: str) -> str | None:
        if not isinstance(stmt.value, ast.Dict | ast.List | ast.Constant):
            return None
        found = _default_target(stmt.annotation, models)
        if found is None:
            return None
        name, keyword = found
        value = ast.get_source_segment(source, stmt.value) or ""
        annotation = ast.get_source_segment(source, stmt.annotation) or ""
        start = offset_within(annotation, keyword, stmt.annotation)
        end = start + len(ast.get_source_segment(source, keyword) or "")
        made = f"default_factory=lambda: {name}.model_validate({value})"
        assert isinstance(stmt.target, ast.Name)
        return f"    {stmt.target.id}: {annotation[:start]}{made}{annotation[end:]}"

    return "\n".join(
        edit_fields(block, factory) if name in models and _VALIDATED in block else block
        for name, block in blocks
    )


_VALIDATED = "validate_default=True"
