"""Hand-built outcomes: one finding with line and column, one without, one info."""

from __future__ import annotations

import pytest

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome, RuleInfo

SPEC = """\
openapi: 3.1.0
paths:
  /pets:
    get:
      responses: {}
"""


@pytest.fixture
def outcome() -> Outcome:
    return Outcome(
        tool="ctk lint",
        targets=("spec.yaml", "other.yaml"),
        diagnostics=(
            Diagnostic(
                "operation-id",
                Severity.ERROR,
                "Operation has no operationId",
                Location("spec.yaml", "/paths/~1pets/get", line=4, column=5),
                hint="add an operationId",
            ),
            Diagnostic(
                "info-contact",
                Severity.WARNING,
                "info has no contact",
                Location("spec.yaml", "/info"),
                hint="add info.contact",
            ),
            Diagnostic("servers", Severity.INFO, "no servers listed", Location("spec.yaml")),
        ),
        rules={
            "operation-id": RuleInfo(
                "operation-id", "Every operation has an operationId", Severity.ERROR
            ),
        },
        sources={"spec.yaml": SPEC},
        elapsed=0.4234,
    )


@pytest.fixture
def clean() -> Outcome:
    return Outcome(tool="ctk lint", targets=("a.yaml", "b.json"), diagnostics=(), elapsed=0.1)
