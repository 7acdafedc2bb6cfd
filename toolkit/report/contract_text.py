"""The terminal report of `ctk contract verify`: one line per interaction (✓ ✗ ! -), what
went wrong under each failure in plain words, then the tally."""

from __future__ import annotations

import io

from rich.text import Text

from toolkit.report._console import buffer_console
from toolkit.report._contract import MARKS, interaction_lines, tally
from toolkit.verify.contract.results import ContractResult, Status

_STYLES = {
    Status.PASSED: "green",
    Status.FAILED: "bold red",
    Status.PENDING: "yellow",
    Status.SKIPPED: "dim",
}


def render_contract_text(result: ContractResult, *, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color, width=width)

    def line(text: str, style: str = "") -> None:
        console.print(Text(text, style=style), soft_wrap=True)  # Text: no markup in pact text

    states = f", states from {result.states_module}" if result.states_module else ""
    line(f"ctk contract verify: {result.provider} ({result.target}{states})")
    for pact in result.pacts:
        line("")
        line(f"{pact.consumer} -> {pact.provider}  ({pact.source})", "bold")
        for interaction in pact.interactions:
            given = f"  [given {', '.join(interaction.states)}]" if interaction.states else ""
            mark = MARKS[interaction.status]
            label = "" if interaction.status is Status.PASSED else f" ({interaction.status})"
            line(f"  {mark} {interaction.description}{given}{label}", _STYLES[interaction.status])
            if interaction.status in (Status.FAILED, Status.PENDING):
                for detail in interaction_lines(interaction):
                    line(f"      {detail}")
    text = buffer.getvalue()
    if result.notes or result.errors:
        text += "\n"
    text += "".join(f"note: {note}\n" for note in result.notes)
    text += "".join(f"error: {error}\n" for error in result.errors)
    if result.published:
        text += "results published to the broker\n"
    verdict = "FAILED" if result.failed() else "passed"
    return text + f"\n{verdict}: {tally(result)}\n"
