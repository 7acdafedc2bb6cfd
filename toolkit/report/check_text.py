"""`ctk check` on a terminal: one line per stage as it ends, a summary table at the close."""

from __future__ import annotations

import io

from rich.table import Table

from toolkit.check import CheckResult, StageResult, Status
from toolkit.report._console import buffer_console

STYLE = {Status.PASSED: "green", Status.FAILED: "bold red", Status.SKIPPED: "yellow"}
MARK = {Status.PASSED: "ok  ", Status.FAILED: "FAIL", Status.SKIPPED: "skip"}


def stage_line(stage: StageResult) -> str:
    mark = MARK[stage.status]
    return f"{mark} {stage.api}: {stage.stage:<9} {stage.elapsed:6.2f} s  {stage.summary}"


def summary_table(result: CheckResult, running: tuple[str, str] | None = None) -> Table:
    """The stages so far (and the one `running`), as the live display and the close show them."""
    table = Table(title=None, expand=False, show_edge=False, pad_edge=False)
    for column in ("API", "stage", "status", "result"):
        table.add_column(column, overflow="fold")
    table.add_column("time", justify="right")
    for stage in result.stages:
        table.add_row(
            stage.api,
            stage.stage,
            f"[{STYLE[stage.status]}]{stage.status.value}[/]",
            stage.summary,
            f"{stage.elapsed:.1f} s",
        )
    if running is not None:
        table.add_row(running[0], running[1], "[cyan]running…[/]", "", "")
    return table


def render_check_text(result: CheckResult, *, color: bool = False) -> str:
    buffer = io.StringIO()
    console = buffer_console(buffer, color=color, width=120)
    console.print(summary_table(result))
    verdict = "failed" if result.failed else "passed"
    console.print(
        f"[{'bold red' if result.failed else 'bold green'}]{verdict}[/]: "
        f"{result.count(Status.PASSED)} passed, {result.count(Status.FAILED)} failed, "
        f"{result.count(Status.SKIPPED)} skipped in {result.elapsed:.1f} s"
    )
    for stage in result.stages:
        for case in stage.cases:
            if not case.passed:
                where = f" [{case.location}]" if case.location else ""
                console.print(
                    f"  {stage.api}: {stage.stage}: {case.name}: {case.message}{where}",
                    markup=False,
                    highlight=False,
                )
    return buffer.getvalue()
