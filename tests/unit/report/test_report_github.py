from __future__ import annotations

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome
from toolkit.report import render_github
from toolkit.report.github import escape_data, escape_property


def test_snapshot(outcome: Outcome) -> None:
    assert render_github(outcome) == (
        "::error file=spec.yaml,line=4,col=5,title=operation-id::"
        "Operation has no operationId (add an operationId)\n"
        "::warning file=spec.yaml,title=info-contact::info has no contact (add info.contact)\n"
        "::notice file=spec.yaml,title=servers::no servers listed\n"
        "1 error, 1 warning, 1 info in 1 file (0.42 s)\n"
    )


def test_clean(clean: Outcome) -> None:
    assert render_github(clean) == "No findings in 2 files (0.10 s)\n"


def test_properties_and_message_are_escaped() -> None:
    diagnostic = Diagnostic(
        "a:b,c",
        Severity.ERROR,
        "100% wrong\r\nsecond line, with: colon",
        Location("dir,1/x:y.yaml", line=2, column=3),
        hint="fix it\n::error::injected",
    )
    [line, _summary] = render_github(Outcome("ctk lint", ("x",), (diagnostic,))).splitlines()
    assert line == (
        "::error file=dir%2C1/x%3Ay.yaml,line=2,col=3,title=a%3Ab%2Cc::"
        "100%25 wrong%0D%0Asecond line, with: colon (fix it%0A::error::injected)"
    )


def test_escape_helpers() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
