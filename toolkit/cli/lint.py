"""`ctk lint SPEC...`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from toolkit.cli._common import (
    color_option,
    echo_error,
    emit_report,
    load_options,
    report_options,
    resolve_config,
)
from toolkit.errors import Severity, ToolkitError, UsageError
from toolkit.lint import RULES, lint_files, rule_catalog

SEVERITIES = ("error", "warning", "info")


def _parse_rule_overrides(values: tuple[str, ...]) -> dict[str, Severity | None]:
    overrides: dict[str, Severity | None] = {}
    known = rule_catalog()
    for value in values:
        rule_id, sep, level = value.partition("=")
        if not sep:
            raise UsageError(
                f"--rule expects ID=LEVEL, got {value!r}", hint="e.g. --rule path-casing=off"
            )
        if rule_id not in known:
            raise UsageError(
                f"unknown rule {rule_id!r}", hint="list them with `ctk lint --list-rules`"
            )
        overrides[rule_id] = None if level.lower() == "off" else Severity.parse(level)
    return overrides


@click.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@report_options
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when a finding is at least this severe (default: [tool.ctk.lint] or error).",
)
@click.option(
    "--rule",
    "rules",
    multiple=True,
    metavar="ID=LEVEL",
    help="Set a rule to error/warning/info/off.",
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@color_option
@load_options
def lint(
    specs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    rules: tuple[str, ...],
    list_rules: bool,
    color: bool | None,
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> None:
    """Validate SPECs against the OpenAPI schema and the contract-first design rules.

    Exit 0 when clean, 1 when a finding reaches --fail-on, 2 when a file cannot be read.
    """
    if list_rules:
        for rule in RULES:
            click.echo(f"{rule.id:32} {rule.severity.label:8} {rule.summary}")
        return
    if not specs:
        raise click.UsageError("give at least one SPEC file (or --list-rules)")
    config = resolve_config(config_path, max_bytes, allow_outside_root, allow_remote_refs)
    lint_config = config.lint
    if rules:
        merged = {**lint_config.rules, **_parse_rule_overrides(rules)}
        lint_config = dataclasses.replace(lint_config, rules=merged)
    if fail_on:
        lint_config = dataclasses.replace(lint_config, fail_on=Severity.parse(fail_on))
    config = dataclasses.replace(config, lint=lint_config)
    outcome, failures = lint_files(list(specs), config)
    for failure in failures:
        if isinstance(failure, ToolkitError):
            echo_error(failure)
    emit_report(outcome, fmt, output, lint_config.fail_on, color)
    if failures:
        raise SystemExit(2)
    if outcome.failed(lint_config.fail_on):
        raise SystemExit(1)
