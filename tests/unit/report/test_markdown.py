"""The markdown report: a pull-request comment whose cells spec text cannot break."""

from __future__ import annotations

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome
from toolkit.report import render


def _outcome(*diagnostics: Diagnostic) -> Outcome:
    return Outcome(tool="ctk diff", targets=("a.yaml",), diagnostics=diagnostics)


def test_findings_are_tables_per_severity_worst_first() -> None:
    error = Diagnostic(
        "operation-removed", Severity.ERROR, "GET /a: removed", Location("a.yaml", line=3, column=5)
    )
    info = Diagnostic("operation-added", Severity.INFO, "GET /b: added", Location("b.yaml", line=9))
    text = render(_outcome(info, error), "markdown", fail_on=Severity.ERROR)
    assert text.startswith("### ctk diff: ❌ failed\n")
    assert text.index("#### Errors (1)") < text.index("#### Info (1)")
    assert "| `operation-removed` | GET /a: removed | `a.yaml:3:5` |" in text
    assert render(_outcome(info), "markdown", fail_on=Severity.ERROR).startswith(
        "### ctk diff: ✅ passed"
    )


def test_spec_text_cannot_break_the_table_or_inject_markup() -> None:
    hostile = "x | y\n<script>alert(1)</script> [link](http://evil) `code` **bold**"
    diagnostic = Diagnostic("r", Severity.WARNING, hostile, Location("a|b`.yaml"), hint="h | i")
    row = next(
        line
        for line in render(_outcome(diagnostic), "markdown", fail_on=Severity.ERROR).splitlines()
        if line.startswith("| `r`")
    )
    assert row.count(" | ") == 2  # three cells, whatever the message holds
    assert "<script>" not in row and "&lt;script&gt;" in row
    assert "\\[link\\]" in row and "\\`code\\`" in row and "\\*\\*bold\\*\\*" in row
    assert "`a/b'.yaml`" in row
