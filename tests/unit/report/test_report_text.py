from __future__ import annotations

from rich.cells import cell_len

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome
from toolkit.report import render_text


def _one(source: str, line: int | None, column: int | None, message: str = "bad") -> Outcome:
    location = Location("f.yaml", "/x", line=line, column=column)
    diagnostic = Diagnostic("rule", Severity.ERROR, message, location)
    return Outcome("ctk lint", ("f.yaml",), (diagnostic,), sources={"f.yaml": source})


def _caret_target(text: str) -> str:
    """The source character printed straight above the caret, counting terminal cells."""
    lines = text.splitlines()
    caret_row = next(i for i, line in enumerate(lines) if line.rstrip().endswith("^"))
    cells = lines[caret_row].index("^")
    above = lines[caret_row - 1]
    return next(ch for i, ch in enumerate(above) if cell_len(above[:i]) == cells)


def test_snapshot(outcome: Outcome) -> None:
    assert render_text(outcome, fail_on=Severity.ERROR) == (
        "spec.yaml:4:5  error  operation-id  Operation has no operationId\n"
        "  at paths./pets.get\n"
        "    3 |   /pets:\n"
        "    4 |     get:\n"
        "      |     ^\n"
        "    5 |       responses: {}\n"
        "  hint: add an operationId\n"
        "\n"
        "spec.yaml  warning  info-contact  info has no contact\n"
        "  at info\n"
        "  hint: add info.contact\n"
        "\n"
        "spec.yaml  info  servers  no servers listed\n"
        "\n"
        "1 error, 1 warning, 1 info in 1 file (0.42 s)\n"
    )


def test_no_findings(clean: Outcome) -> None:
    assert render_text(clean, fail_on=Severity.ERROR) == "No findings in 2 files (0.10 s)\n"


def test_summary_pluralises_and_counts_files_with_findings() -> None:
    diagnostics = tuple(
        Diagnostic("r", severity, "m", Location(file))
        for severity, file in [
            (Severity.ERROR, "a.yaml"),
            (Severity.ERROR, "b.yaml"),
            (Severity.ERROR, "a.yaml"),
            (Severity.WARNING, "a.yaml"),
            (Severity.WARNING, "b.yaml"),
            (Severity.INFO, "a.yaml"),
        ]
    )
    outcome = Outcome("ctk lint", ("a.yaml", "b.yaml", "c.yaml"), diagnostics, elapsed=0.42)
    text = render_text(outcome, fail_on=Severity.ERROR)
    assert text.endswith("\n3 errors, 2 warnings, 1 info in 2 files (0.42 s)\n")
    # grouped by file, in order of first appearance
    heads = [line.split()[0] for line in text.splitlines() if line.endswith("  m")]
    assert heads == ["a.yaml"] * 4 + ["b.yaml"] * 2


def test_caret_under_column_with_tabs_and_wide_characters() -> None:
    text = render_text(_one('a: 1\n\tname: "界界y"\nb: 2\n', 2, 11), fail_on=Severity.ERROR)
    assert "    2 |  name: " in text  # a tab is shown as one space, keeping columns
    assert _caret_target(text) == "y"


def test_first_line_has_no_line_above_and_crlf_is_stripped() -> None:
    text = render_text(_one("ab: 1\r\ncd: 2\r\n", 1, 5), fail_on=Severity.ERROR)
    assert "    1 | ab: 1\n      |     ^\n    2 | cd: 2\n" in text
    assert "\r" not in text


def test_long_single_line_is_cut_around_the_column() -> None:
    source = '{"k": "' + "x" * 2_000_000 + "TARGET" + "y" * 2_000_000 + '"}'
    column = source.index("TARGET") + 1
    text = render_text(_one(source, 1, column), fail_on=Severity.ERROR)
    assert len(text) < 1_000
    snippet = next(line for line in text.splitlines() if line.startswith("    1 | "))
    assert snippet.startswith("    1 | ...x") and snippet.endswith("y...")
    assert "TARGET" in snippet
    assert _caret_target(text) == "T"


def test_column_past_end_of_line_and_line_past_end_of_file() -> None:
    text = render_text(_one("ab\n", 1, 99), fail_on=Severity.ERROR)
    assert "    1 | ab\n      |   ^\n" in text
    text = render_text(_one("ab\n", 7, 1), fail_on=Severity.ERROR)
    assert " | " not in text
    assert text.startswith("f.yaml:7:1  error  rule  bad\n  at x\n\n")


def test_line_without_column_shows_no_caret() -> None:
    text = render_text(_one("a\nb\nc\n", 2, None), fail_on=Severity.ERROR)
    assert "    1 | a\n    2 | b\n    3 | c\n\n" in text
    assert "^" not in text


def test_control_characters_cannot_reach_the_terminal() -> None:
    text = render_text(
        _one("k: '\x1b[2J\u202e'\n", 1, 1, message="evil \x1b[31m [bold]markup[/bold]"),
        fail_on=Severity.ERROR,
    )
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "[bold]markup[/bold]" in text  # messages are not rich markup


def test_color_only_when_asked(outcome: Outcome) -> None:
    plain = render_text(outcome, fail_on=Severity.WARNING)
    colored = render_text(outcome, fail_on=Severity.WARNING, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;31merror\x1b[0m" in colored
    assert "\x1b[1;33mwarning\x1b[0m" in colored
    assert "\x1b[1;34minfo\x1b[0m" in colored


def test_deterministic(outcome: Outcome) -> None:
    assert render_text(outcome, fail_on=Severity.ERROR, color=True) == render_text(
        outcome, fail_on=Severity.ERROR, color=True
    )
