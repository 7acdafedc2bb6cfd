"""Schema-valid values: deterministic, whole-shaped, never what the contract forbids."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.mock.values import NoValueError, Values, canonical, schema_pointers

THING = "/components/schemas/Thing"


@pytest.fixture
def values(things_data: dict[str, Any]) -> Values:
    return Values(things_data, schema_pointers(things_data), seed=0)


def test_static_value_is_valid_rich_and_deterministic(
    values: Values, things_data: dict[str, Any]
) -> None:
    value = values.static(THING)
    assert values.problems(THING, value) == []
    # every declared property is shown, not only the required ones...
    assert {"id", "name", "size", "note"} <= set(value)
    # ...except write-only ones, which never appear in a response (ADR 0017)
    assert "secret" not in value
    assert Values(things_data, schema_pointers(things_data), seed=0).static(THING) == value


def test_fresh_values_differ_from_the_used_ones(values: Values) -> None:
    pointer = "/components/schemas/Thing/properties/id"
    used: set[str] = set()
    for _ in range(5):
        value = values.fresh(pointer, used)
        assert canonical(value) not in used
        assert values.problems(pointer, value) == []
        used.add(canonical(value))
    assert len(used) == 5


def test_accept_narrows_what_is_generated(values: Values) -> None:
    pointer = "/components/schemas/Thing/properties/size"
    assert values.static(pointer, lambda v: v > 5) > 5


def test_an_unsatisfiable_schema_is_a_located_no_value() -> None:
    document = {
        "openapi": "3.1.0",
        "components": {"schemas": {"Never": {"type": "integer", "minimum": 5, "maximum": 1}}},
    }
    values = Values(document, [], seed=0)
    with pytest.raises(NoValueError, match="/components/schemas/Never"):
        values.static("/components/schemas/Never")


def test_problems_name_where_a_value_breaks_the_schema(values: Values) -> None:
    problems = values.problems(THING, {"id": 7, "name": "x"})
    assert problems and problems[0][0] == "/id"
