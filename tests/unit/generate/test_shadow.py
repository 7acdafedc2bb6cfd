"""A field named like a class its class body uses is renamed, keeping the property name as
its alias (the generator's own fix, which it cannot see under prefixed names)."""

from __future__ import annotations

from toolkit.generate._shadow import unshadow

CLASSES = frozenset(["Mode", "Inner", "Parallelism"])


def test_clashing_fields_get_a_suffix_and_the_property_name_as_alias() -> None:
    block = (
        "class Desc(BaseModel):\n"
        "    Mode: Mode\n"
        "    Inner: Annotated[Inner | MISSING, Field(description='the Inner one')] = MISSING\n"
        "    Parallelism: Annotated[\n"
        "        Parallelism | MISSING, Field(alias='Parallelism', ge=1)\n"
        "    ] = MISSING\n"
        "    Mode_1: int\n"
        "    plain: str\n"
    )
    fixed, needs = unshadow(block, CLASSES)
    assert needs
    assert fixed.split("\n")[1:4] == [
        "    Mode_2: Annotated[Mode, Field(alias='Mode')]",
        "    Inner_1: Annotated[Inner | MISSING, Field(description='the Inner one', "
        "alias='Inner')] = MISSING",
        # an alias already there is the property name: kept as it is
        "    Parallelism_1: Annotated[",
    ]
    assert "Field(alias='Parallelism', ge=1)" in fixed
    assert "    Mode_1: int\n    plain: str" in fixed
    compile(fixed, "models.py", "exec")


def test_a_field_named_like_a_class_it_does_not_use_stays() -> None:
    block = "class Desc(BaseModel):\n    Mode: int\n    other: str\n"
    assert unshadow(block, CLASSES) == (block, False)
    enum = "class Kind(StrEnum):\n    Mode = 'Mode'\n"
    assert unshadow(enum, CLASSES) == (enum, False)
