"""The state registry: templates, matching, arguments by name and by annotation, and the
errors a user reads when a handler does not fit the pact."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest

from toolkit.errors import UsageError
from toolkit.verify.contract import provider_state
from toolkit.verify.contract.states import StateError, StateRegistry, _parse, load_states


def registry(*functions: Any) -> StateRegistry:
    handlers = [_parse(t, f) for f in functions for t in f.__ctk_provider_states__]
    return StateRegistry("tests.states", tuple(handlers))


def arguments(reg: StateRegistry, state: str, params: dict[str, Any] | None = None) -> Any:
    found = reg.find(state)
    assert found is not None
    handler, given = found
    return handler.arguments(state, given, params or {})


@provider_state("a prompt with id {id} exists")
def prompt_exists(id: str, name: str = "greeting") -> None: ...


@provider_state("prompts exist")
@provider_state("some prompts exist")
def prompts_exist(count: int) -> None: ...


@provider_state("a user {name} with role {role}")
def user(name: str, role: str) -> None: ...


@provider_state("a user admin with role {role}")
def admin(role: str) -> None: ...


def test_the_public_surface() -> None:
    import toolkit.verify.contract

    assert toolkit.verify.contract.__all__ == ["provider_state"]
    assert toolkit.verify.contract.provider_state is provider_state


def test_the_decorator_marks_and_returns_the_function_unchanged() -> None:
    assert prompts_exist.__ctk_provider_states__ == ("some prompts exist", "prompts exist")  # type: ignore[attr-defined]
    assert prompts_exist.__name__ == "prompts_exist"


def test_a_placeholder_matches_text_or_itself() -> None:
    reg = registry(prompt_exists)
    assert arguments(reg, "a prompt with id 01JD8Y exists") == {"id": "01JD8Y"}
    assert arguments(reg, "a prompt with id {id} exists", {"id": "X"}) == {"id": "X"}


def test_params_merge_over_the_name_and_extra_params_are_ignored() -> None:
    reg = registry(prompt_exists)
    given = arguments(reg, "a prompt with id 7 exists", {"id": "7", "name": "hi", "tags": []})
    assert given == {"id": "7", "name": "hi"}


def test_a_conflict_between_name_and_params_names_both() -> None:
    reg = registry(prompt_exists)
    with pytest.raises(StateError, match=r"id is '7' in the state's name but '8' in its params"):
        arguments(reg, "a prompt with id 7 exists", {"id": "8"})


def test_the_most_specific_template_wins() -> None:
    reg = registry(user, admin)
    assert arguments(reg, "a user admin with role owner") == {"role": "owner"}
    assert arguments(reg, "a user bob with role owner") == {"name": "bob", "role": "owner"}


def test_equally_specific_templates_are_ambiguous() -> None:
    @provider_state("{a} exists")
    def first(a: str) -> None: ...

    @provider_state("{b} exists")
    def second(b: str) -> None: ...

    with pytest.raises(StateError, match="matches more than one handler"):
        registry(first, second).find("x exists")


def test_an_unknown_state_lists_the_known_ones_and_suggests_the_closest() -> None:
    reg = registry(prompt_exists, prompts_exist)
    with pytest.raises(StateError) as error:
        reg.find("prompt exist")
    text = str(error.value)
    assert "no handler in tests.states for the provider state 'prompt exist'" in text
    assert (
        "known states: 'a prompt with id {id} exists', 'some prompts exist', 'prompts exist'"
        in text
    )
    assert "did you mean 'prompts exist'?" in text


def test_without_a_states_module_the_hint_says_to_pass_one() -> None:
    with pytest.raises(StateError) as error:
        StateRegistry(None, ()).find("prompts exist")
    assert "no --states module was given" in str(error.value)
    assert "pass --states MODULE" in str(error.value)


def test_the_empty_state_needs_no_handler() -> None:
    assert StateRegistry(None, ()).find("") is None


def test_missing_arguments_list_what_the_pact_provides() -> None:
    reg = registry(prompts_exist)
    with pytest.raises(StateError) as error:
        arguments(reg, "prompts exist", {"limit": 2})
    assert "prompts_exist() needs count; the pact provides limit" in str(error.value)
    assert error.value.location is not None
    assert error.value.location.file.endswith("test_states.py")


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (int, "42", 42),
        (int, 42.0, 42),
        (float, "1.5", 1.5),
        (bool, "true", True),
        (bool, 0, False),
        (str, 42, "42"),
        (Decimal, "1.10", Decimal("1.10")),
        (
            uuid.UUID,
            "12345678-1234-5678-1234-567812345678",
            uuid.UUID(int=0x12345678123456781234567812345678),
        ),
        (datetime, "2024-11-18T09:12:44Z", datetime(2024, 11, 18, 9, 12, 44, tzinfo=UTC)),
        (date, "2024-11-18", date(2024, 11, 18)),
        (list[int], [1, 2], [1, 2]),
        (dict[str, Any], {"a": 1}, {"a": 1}),
        (int | None, None, None),
        (int | None, "3", 3),
        (Literal["a", "b"], "b", "b"),
        (Any, object, object),
    ],
)
def test_values_are_converted_to_the_annotation(annotation: Any, value: Any, expected: Any) -> None:
    def handler(v: Any) -> None: ...

    handler.__annotations__["v"] = annotation
    provider_state("state {v}")(handler)
    assert arguments(registry(handler), "state {v}", {"v": value}) == {"v": expected}


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (int, "forty-two", "int"),
        (int, True, "int"),
        (bool, "maybe", "bool"),
        (uuid.UUID, "nope", "UUID"),
        (datetime, "yesterday", "datetime (ISO 8601)"),
        (list[int], {"a": 1}, "list[int]"),
        (dict, [1], "dict"),
    ],
)
def test_a_conversion_failure_names_state_parameter_and_type(
    annotation: Any, value: Any, expected: str
) -> None:
    def handler(v: Any) -> None: ...

    handler.__annotations__["v"] = annotation
    provider_state("a state")(handler)
    with pytest.raises(StateError) as error:
        arguments(registry(handler), "a state", {"v": value})
    assert f"state 'a state': parameter 'v' of handler() expects {expected}, got {value!r}" in str(
        error.value
    )


def test_kwargs_take_every_value() -> None:
    @provider_state("order {order_id} is {status}")
    def order(order_id: int, **rest: Any) -> None: ...

    got = arguments(registry(order), "order 5 is open", {"region": "eu"})
    assert got == {"order_id": 5, "status": "open", "region": "eu"}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("a {user.name} exists", "bad placeholder {user.name}"),
        ("a {0} exists", "bad placeholder {0}"),
        ("a {id!r} exists", "bad placeholder {id}"),
        ("a {id} and {id}", "bad placeholder {id}"),
        ("a {id exists", "expected '}' before end of string"),
    ],
)
def test_a_malformed_template_is_refused_where_it_is_written(template: str, message: str) -> None:
    def handler(**values: Any) -> None: ...

    with pytest.raises(UsageError) as error:
        provider_state(template)(handler)
    assert message in str(error.value)
    assert "test_states.py:" in str(error.value)


def test_literal_braces_are_written_doubled() -> None:
    @provider_state("a template {{x}} for {name}")
    def template(name: str) -> None: ...

    assert arguments(registry(template), "a template {x} for bob") == {"name": "bob"}


def write_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_load_states_collects_the_marked_functions_per_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = write_module(
        tmp_path,
        monkeypatch,
        "ctk_states_ok",
        """
        from toolkit.verify.contract import provider_state

        @provider_state("a")
        def a(): ...

        alias = a  # the same function twice: one handler

        def unmarked(): ...

        @provider_state("b {x}")
        async def b(x: int): ...
        """,
    )
    reg = load_states(name)
    assert reg.templates == ["a", "b {x}"]
    assert load_states(None).handlers == ()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("X = 1\n", "--states ctk_states_bad: no @provider_state function found"),
        ("import no_such_module_xyz\n", "--states: cannot import 'ctk_states_bad'"),
        ("raise RuntimeError('boom')\n", "importing 'ctk_states_bad' raised RuntimeError: boom"),
        (
            "from toolkit.verify.contract import provider_state\n"
            "@provider_state('a')\ndef one(): ...\n"
            "@provider_state('a')\ndef two(): ...\n",
            "two handlers for 'a'",
        ),
        (
            "from toolkit.verify.contract import provider_state\n"
            "@provider_state('{a')\ndef one(): ...\n",
            "provider_state('{a')",
        ),
    ],
)
def test_a_bad_states_module_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, message: str
) -> None:
    name = write_module(tmp_path, monkeypatch, "ctk_states_bad", code)
    with pytest.raises(UsageError) as error:
        load_states(name)
    assert message in str(error.value)


def test_a_generator_handler_is_accepted() -> None:
    @provider_state("g")
    def gen() -> Iterator[None]:
        yield

    assert registry(gen).templates == ["g"]
