"""`ctk check`: the whole contract pipeline for every configured API, one report folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from toolkit.cli._common import color_option, config_option
from toolkit.config import CHECK_STAGES


@click.command()
@click.option("--api", help="Only the API of this name ([[tool.ctk.check.apis]] name).")
@click.option(
    "--base",
    help="Diff the spec against this git ref.  [default: the merge base with origin/main]",
)
@click.option(
    "--stages",
    multiple=True,
    help=f"Only these stages (comma-separated or repeated): {', '.join(CHECK_STAGES)}.",
)
@click.option("--fast", is_flag=True, help="Few fuzz examples per operation, for pre-push hooks.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for report.html, junit.xml, report.json, sarif.json.  [default: .ctk/report]",
)
@config_option
@color_option
def check(
    api: str | None,
    base: str | None,
    stages: tuple[str, ...],
    fast: bool,
    out: Path | None,
    config_path: Path | None,
    color: bool | None,
) -> None:
    """Run every stage for every API configured in [tool.ctk] and write one report.

    Stages, in order: lint; generated code is fresh; breaking changes against a base ref;
    the app starts on loopback; fuzz; pacts verified against the app; pacts checked
    against the spec; drift (routes the app serves that the spec lacks, spec operations it
    does not serve). A stage that cannot run says why and is shown as skipped.

    Exit codes: 0 every stage passed or was skipped, 1 a stage failed, 2 usage or
    configuration error.
    """
    from toolkit._files import write_atomic
    from toolkit.check import make_plan, run_check
    from toolkit.config import load_config
    from toolkit.report.check_data import render_check_json
    from toolkit.report.check_html import render_check_html
    from toolkit.report.check_junit import render_check_junit
    from toolkit.report.check_sarif import render_check_sarif
    from toolkit.report.check_text import render_check_text

    config = load_config(config_path)
    wanted = tuple(s.strip() for value in stages for s in value.split(",") if s.strip())
    plan = make_plan(config, api=api, stages=wanted, base=base, fast=fast, out=out)
    color = sys.stdout.isatty() if color is None else color
    with _Display(color) as listener:
        result = run_check(plan, config, listener)
    reports = {
        "report.html": render_check_html,
        "junit.xml": render_check_junit,
        "report.json": render_check_json,
        "sarif.json": render_check_sarif,
    }
    for name, render in reports.items():
        write_atomic(plan.out / name, render(result))
    click.echo(render_check_text(result, color=color), nl=False)
    click.echo(f"report: {plan.out / 'report.html'} (and junit.xml, report.json, sarif.json)")
    raise SystemExit(2 if result.usage_error else 1 if result.failed else 0)


class _Display:
    """A live table on a terminal (one row per stage, the running one marked); otherwise
    one line per stage as it ends, so CI logs show progress too."""

    def __init__(self, color: bool) -> None:
        self.live_enabled = color and sys.stdout.isatty()
        self.live: Any = None

    def __enter__(self) -> Any:
        from toolkit.check import CheckResult

        self.result = CheckResult(root="")
        if self.live_enabled:
            from rich.live import Live

            from toolkit.report.check_text import summary_table

            self.live = Live(summary_table(self.result), refresh_per_second=4, transient=True)
            self.live.start()
        return self.update

    def update(self, api: str, stage: str, outcome: object) -> None:
        from toolkit.check import StageResult
        from toolkit.report.check_text import stage_line, summary_table

        if isinstance(outcome, StageResult):
            self.result.stages.append(outcome)
            if self.live is None:
                click.echo(stage_line(outcome))
        if self.live is not None:
            running = None if outcome is not None else (api, stage)
            self.live.update(summary_table(self.result, running))

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()
