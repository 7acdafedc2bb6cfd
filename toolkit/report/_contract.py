"""What the contract reports share: a difference and a state failure as plain lines, and the
tally. Plain text (no ANSI), so a JUnit viewer, a log and a terminal read the same words."""

from __future__ import annotations

from toolkit.report._summary import plural
from toolkit.verify.contract.results import (
    ContractResult,
    Difference,
    InteractionResult,
    StateFailure,
    Status,
)

MARKS = {Status.PASSED: "✓", Status.FAILED: "✗", Status.PENDING: "!", Status.SKIPPED: "-"}
_LONG = 300  # characters of an expected/actual value shown before eliding


def difference_lines(difference: Difference) -> list[str]:
    """`body $.items[0]: Actual map is missing the following keys: name`, then the values."""
    kind, path = difference.kind, difference.path
    if kind == "status":
        return [f"status: expected {difference.expected}, got {difference.actual}"]
    if kind == "error":
        return [f"error: {difference.message}"]
    where = f"{kind} {path}".strip()
    lines = [f"{where}: {difference.message}"]
    if difference.expected or difference.actual:
        lines.append(f"  expected: {_short(difference.expected) or '(nothing)'}")
        lines.append(f"  actual:   {_short(difference.actual) or '(nothing)'}")
    return lines


def failure_lines(failure: StateFailure) -> list[str]:
    """`setup of provider state 'x' failed: RuntimeError: ...`, where, and what to do."""
    error = f"{failure.error}: " if failure.error else ""
    what = f"{failure.action} of provider state {failure.state!r}"
    lines = [f"{what} failed: {error}{failure.message}"]
    where = []
    if failure.raised_at:
        where.append(f"raised at {failure.raised_at}")
    if failure.location:
        where.append(f"handler at {failure.location}")
    if where:
        lines.append("  " + ", ".join(where))
    lines.extend(f"  {note}" for note in failure.notes)
    if failure.forced:
        lines.append("  (ctk ran this teardown itself: pact skips them after a failed setup)")
    if failure.hint:
        lines.append(f"  hint: {failure.hint}")
    return lines


def interaction_lines(interaction: InteractionResult) -> list[str]:
    """Everything wrong with one interaction, state failures first (they explain the rest)."""
    lines = []
    for failure in interaction.state_failures:
        lines.extend(failure_lines(failure))
    for difference in interaction.differences:
        lines.extend(difference_lines(difference))
    return lines


def headline(interaction: InteractionResult) -> str:
    """The first line of what went wrong: a JUnit failure message."""
    lines = interaction_lines(interaction)
    return lines[0] if lines else interaction.status.value


def tally(result: ContractResult) -> str:
    """`3 interactions: 2 passed, 1 failed in 0.31 s (0.10 s per interaction)`."""
    verified = [i for i in result.interactions if i.status is not Status.SKIPPED]
    counts = [f"{result.count(s)} {s.value}" for s in Status if result.count(s) or s in _ALWAYS]
    per = f", {result.elapsed / len(verified):.2f} s per interaction" if verified else ""
    text = f"{plural(len(result.interactions), 'interaction')}: {', '.join(counts)}"
    text += f" in {plural(len(result.pacts), 'pact')} ({result.elapsed:.2f} s{per})"
    if result.errors:
        text += f"; {plural(len(result.errors), 'run error')}"
    return text


_ALWAYS = (Status.PASSED, Status.FAILED)


def _short(text: str) -> str:
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"
