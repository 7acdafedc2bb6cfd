"""Literal defaults the generator writes untyped are made typed (or the type widened)."""

from __future__ import annotations

import pytest

from toolkit.generate._defaults import typed_defaults


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("n: int = 'x'", "n: int | str = 'x'"),
        ("flag: bool = 1", "flag: bool | int = 1"),
        ("label: str | MISSING = 7", "label: str | int | MISSING = 7"),
        ("ratio: float = 2", None),  # an int is a float to mypy
        ("name: str | None = None", None),
        ("when: AwareDatetime = None", "when: AwareDatetime | None = None"),
        ("link: AnyUrl = 'not a url'", "link: str = 'not a url'"),
        ("note: str = 'plain'", None),
    ],
)
def test_a_default_of_another_type_widens_the_field(field: str, expected: str | None) -> None:
    block = f"class M(BaseModel):\n    {field}\n"
    fixed, needs = typed_defaults(block)
    assert not needs
    assert fixed == (block if expected is None else f"class M(BaseModel):\n    {expected}\n")


def test_a_valid_scalar_default_moves_into_the_field_validated() -> None:
    block = (
        "class M(BaseModel):\n"
        "    at: Annotated[\n"
        "        AwareDatetime | MISSING, Field(description='when')\n"
        "    ] = '2020-01-01T00:00:00Z'\n"
    )
    fixed, needs = typed_defaults(block)
    assert needs
    assert (
        "Field(description='when', default='2020-01-01T00:00:00Z', validate_default=True)" in fixed
    )
    assert "] = " not in fixed
    compile(fixed, "models.py", "exec")
