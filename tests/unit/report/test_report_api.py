from __future__ import annotations

import pytest

import toolkit.report
from toolkit.errors import Severity, UsageError
from toolkit.outcome import Outcome
from toolkit.report import (
    FORMATS,
    render,
    render_github,
    render_json,
    render_junit,
    render_markdown,
    render_sarif,
    render_text,
)


def test_exported_members() -> None:
    assert sorted(toolkit.report.__all__) == [
        "FORMATS",
        "render",
        "render_github",
        "render_json",
        "render_junit",
        "render_markdown",
        "render_sarif",
        "render_text",
    ]
    assert FORMATS == ("text", "json", "sarif", "junit", "github", "markdown")


def test_render_dispatches_to_each_format(outcome: Outcome) -> None:
    fail_on = Severity.WARNING
    expected = {
        "text": render_text(outcome, fail_on=fail_on, color=True),
        "json": render_json(outcome, fail_on=fail_on),
        "sarif": render_sarif(outcome),
        "junit": render_junit(outcome, fail_on=fail_on),
        "github": render_github(outcome),
        "markdown": render_markdown(outcome, fail_on=fail_on),
    }
    for fmt in FORMATS:
        rendered = render(outcome, fmt, fail_on=fail_on, color=True)
        assert rendered == expected[fmt]
        assert rendered.endswith("\n")


def test_unknown_format_is_a_usage_error(outcome: Outcome) -> None:
    with pytest.raises(UsageError, match="unknown report format 'html'") as caught:
        render(outcome, "html", fail_on=Severity.ERROR)
    assert caught.value.hint == "use one of: text, json, sarif, junit, github, markdown"
