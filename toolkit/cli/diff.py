"""`ctk diff OLD NEW`: breaking-change detection between two versions of a spec."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli._common import (
    color_option,
    emit_report,
    load_options,
    report_options,
    resolve_config,
)
from toolkit.errors import Severity

_FAIL_ON = {"breaking": Severity.ERROR, "warning": Severity.WARNING, "consumers": Severity.ERROR}


@click.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@report_options
@click.option(
    "--fail-on",
    type=click.Choice(tuple(_FAIL_ON)),
    default="breaking",
    show_default=True,
    help="Exit 1 when a change is at least this bad (warning: potentially breaking); "
    "consumers: only a breaking change a known consumer relies on (needs --pacts).",
)
@click.option(
    "--pacts",
    "pacts",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Pact files or folders (e.g. contracts/): name the consumer interactions that rely "
    "on each breaking or potentially breaking change.",
)
@click.option(
    "--ignore",
    "ignore",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML list of accepted changes (rule, operation, path, reason, expires): they turn "
    "to info; an expired one fails.",
)
@click.option(
    "--changelog",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every change, grouped by operation, as markdown to this file.",
)
@click.option(
    "--against",
    metavar="REF",
    help="Compare SPEC with itself at git REF: `ctk diff --against origin/main SPEC` is "
    "`ctk diff git:origin/main:SPEC SPEC` (a pre-commit hook's form).",
)
@click.option("--list-rules", is_flag=True, help="List the changes diff reports and exit.")
@color_option
@load_options
def diff(
    old: str | None,
    new: str | None,
    fmt: str,
    output: Path | None,
    fail_on: str,
    pacts: tuple[Path, ...],
    ignore: Path | None,
    changelog: Path | None,
    against: str | None,
    list_rules: bool,
    color: bool | None,
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> None:
    """Compare two versions of an OpenAPI document; say what breaks clients.

    OLD and NEW are files or git:REF:path (read from the local repository with git, no
    checkout, no network), e.g. `ctk diff git:origin/main:specs/api.yaml specs/api.yaml`.
    Swagger 2.0, OpenAPI 3.0 and 3.1 are compared on meaning: moving a schema into a
    component, renaming one, a one-member allOf or nullable vs a type array change nothing.

    Each change is breaking (error), potentially breaking (warning) or compatible (info);
    schema rules follow the data: on requests narrowing breaks, on responses widening does.
    With --pacts, each breaking or potentially breaking change names the consumer
    interactions that rely on it (they call the operation and send or read what changed),
    or says that no known consumer does.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 when a side cannot be
    read (a missing git ref, a file that is not a spec, two different APIs).
    """
    from toolkit.diff import RULES, diff_specs

    if list_rules:
        for rule in RULES.values():
            kind = {"error": "breaking", "warning": "potential", "info": "compatible"}
            click.echo(f"{rule.id:34} {kind[rule.severity.label]:10} {rule.summary}")
        return
    if against is not None:
        if old is None or new is not None:
            raise click.UsageError("with --against REF give one SPEC: ctk diff --against REF SPEC")
        old, new = f"git:{against}:{old}", old
    if old is None or new is None:
        raise click.UsageError("give the two versions to compare: ctk diff OLD NEW")
    if fail_on == "consumers" and not pacts:
        raise click.UsageError("--fail-on consumers needs --pacts (e.g. --pacts contracts/)")
    config = resolve_config(config_path, max_bytes, allow_outside_root, allow_remote_refs)
    outcome = diff_specs(old, new, config.load, pacts, ignore)
    threshold = _FAIL_ON[fail_on]
    emit_report(outcome, fmt, output, threshold, color)
    if changelog is not None:
        from toolkit._files import write_atomic
        from toolkit.report.changelog import render_changelog

        write_atomic(changelog, render_changelog(outcome))
    failed = outcome.consumers_broken() if fail_on == "consumers" else outcome.failed(threshold)
    if failed:
        raise SystemExit(1)
