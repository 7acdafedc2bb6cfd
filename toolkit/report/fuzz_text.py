"""The terminal summary of a fuzz run: what ran, a table per operation, then the findings
(rendered like lint findings, with the spec lines they point at)."""

from __future__ import annotations

import io

from rich.table import Table

from toolkit.errors import Severity
from toolkit.outcome import Outcome
from toolkit.report._console import buffer_console
from toolkit.report.text import render_text
from toolkit.verify.fuzz.results import FuzzResult, Verdict


def render_fuzz_text(
    result: FuzzResult,
    outcome: Outcome,
    *,
    strict: bool = False,
    color: bool = False,
    width: int = 100,
) -> str:
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color, width=width)
    version = result.schemathesis_version
    console.print(f"ctk fuzz {result.spec} ({result.target}), schemathesis {version}")
    console.print(f"seed: {result.seed}")
    phases = [f"{p} ({result.phase_status.get(p, 'not run')})" for p in result.phases]
    console.print(f"phases: {', '.join(phases)}")
    console.print(f"checks: {', '.join(result.checks)}", soft_wrap=True)
    if result.inferred_links:
        console.print(
            f"inferred links ({len(result.inferred_links)}; --no-infer-links turns them off):"
        )
        for link in result.inferred_links:
            parameters = ", ".join(f"{k} = {v}" for k, v in link.parameters.items())
            console.print(f"  {link.source} => {link.target} ({parameters})", soft_wrap=True)
    table = Table(title=None, show_lines=False, expand=False)
    table.add_column("operation", overflow="fold")
    table.add_column("cases", justify="right")
    table.add_column("failures", justify="right")
    table.add_column("time", justify="right")
    table.add_column("documented refusals", overflow="fold")
    for op in result.operations.values():
        bugs = sum(
            1 for f in result.findings if f.operation == op.label and f.verdict is Verdict.BUG
        )
        refusals = ", ".join(f"{n}x {s}" for s, n in sorted(op.documented_refusals.items()))
        table.add_row(
            op.label,
            str(op.cases),
            f"[bold red]{bugs}[/]" if bugs and color else str(bugs),
            f"{op.seconds:.2f}s",
            refusals,
        )
    console.print(table)
    text = buffer.getvalue()
    if result.findings:
        text += "\n" + render_text(
            outcome, fail_on=Severity.WARNING if strict else Severity.ERROR, color=color
        )
    for note in result.notes:
        text += f"note: {note}\n"
    for error in result.errors:
        where = f"{error.operation}: " if error.operation else ""
        kind = "error" if error.evidence is None else f"contract defect ({error.evidence.reason})"
        text += f"{kind}: {where}{error.title}: {error.message}\n"
        if error.evidence is not None:
            text += f"  {error.evidence.proof}\n"
    text += _verdict_line(result, strict)
    return text


def _verdict_line(result: FuzzResult, strict: bool) -> str:
    bugs, contract, tool = (
        len(result.of(v)) for v in (Verdict.BUG, Verdict.CONTRACT, Verdict.TOOL)
    )
    parts = [
        f"{result.cases} cases on {len(result.operations)} operations in {result.elapsed:.1f}s",
        f"{bugs} implementation bug(s)",
        f"{contract} contract defect(s)" + (" (fail: --strict)" if strict and contract else ""),
        f"{tool} tool limitation(s)",
    ]
    unexplained = sum(1 for e in result.errors if e.evidence is None)
    if unexplained:
        parts.append(f"{unexplained} run error(s)")
    if len(result.errors) > unexplained:
        parts.append(f"{len(result.errors) - unexplained} untestable operation(s) (invalid spec)")
    if result.stopped_at_max_time:
        parts.append("stopped at --max-time")
    verdict = "FAILED" if result.failed(strict=strict) else "passed"
    return f"{verdict}: " + "; ".join(parts) + "\n"
