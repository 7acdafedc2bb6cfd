"""The `{{name}}` template language."""

from __future__ import annotations

import pytest

from examples.prompt_library.template import (
    MAX_RENDERED_CHARS,
    Declared,
    FieldError,
    TemplateError,
    check_declarations,
    placeholders,
    render,
)


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("Hi {{name}}", ["name"]),
        ("{{ a }} {{\tb\t}} {{a}}", ["a", "b"]),
        ("{{_x1}}{{X}}", ["_x1", "X"]),
        ("{{}} {{ 1 }} {{a b}} {a} {{a-b}} {{ a }", []),
        ("{{{a}}}", ["a"]),
        ("{{" + "a" * 64 + "}} {{" + "a" * 65 + "}}", ["a" * 64]),
    ],
)
def test_placeholders(template: str, names: list[str]) -> None:
    assert placeholders(template) == names


def test_render_substitutes_every_occurrence_once() -> None:
    variables = [Declared("who"), Declared("greeting", required=False, default="Hello")]
    text = render("{{greeting}}, {{ who }}! ({{who}})", variables, {"who": "{{greeting}}"})
    assert text == "Hello, {{greeting}}! ({{greeting}})"  # values are not scanned again


def test_optional_variables_fall_back_to_default_or_nothing() -> None:
    variables = [Declared("a", required=False, default="A"), Declared("b", required=False)]
    assert render("[{{a}}|{{b}}]", variables, {}) == "[A|]"
    assert render("[{{a}}|{{b}}]", variables, {"a": "", "b": "B"}) == "[|B]"


def test_a_required_variable_ignores_its_default() -> None:
    with pytest.raises(TemplateError) as raised:
        render("{{a}}", [Declared("a", required=True, default="A")], {})
    assert raised.value.errors == (
        FieldError("/variables", "the required variable 'a' is missing"),
    )


def test_undeclared_values_are_refused() -> None:
    with pytest.raises(TemplateError) as raised:
        render("{{a}}", [Declared("a")], {"a": "1", "b": "2"})
    assert [e.pointer for e in raised.value.errors] == ["/variables/b"]


def test_the_rendered_size_is_capped_before_rendering() -> None:
    template = "{{a}}" * 20
    value = "x" * (MAX_RENDERED_CHARS // 20 + 1)
    with pytest.raises(TemplateError, match="limit"):
        render(template, [Declared("a")], {"a": value})
    assert len(render(template, [Declared("a")], {"a": value[:-1]})) == MAX_RENDERED_CHARS


def test_declarations_must_cover_the_placeholders_once() -> None:
    assert check_declarations("{{a}}", [Declared("a"), Declared("unused")]) == []
    errors = check_declarations("{{a}} {{b}} {{c}}", [Declared("a"), Declared("a")])
    assert [e.pointer for e in errors] == ["/variables/1/name", "/template"]
    assert "{{b}}, {{c}}" in errors[1].detail
