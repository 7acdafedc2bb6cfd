"""`ctk fuzz SPEC (--app | --impl | --url)`: schemathesis against a service, every failure
sorted (bug / contract defect / tool limitation) and stored as a regression test."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit._files import write_atomic
from toolkit.cli._common import color_option, config_option, echo_error
from toolkit.config import (
    FUZZ_MODES,
    FUZZ_REPORTS,
    Config,
    FuzzOptions,
    check_fuzz_options,
    load_config,
)
from toolkit.errors import ToolkitError, UsageError


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


_FILTERS = ("path", "method", "tag", "operation-id")


def _filter_options(function: Any) -> Any:
    for kind in ("exclude", "include"):
        for name in reversed(_FILTERS):
            function = click.option(
                f"--{kind}-{name}",
                f"{kind}_{name.replace('-', '_')}",
                multiple=True,
                help=f"{kind.title()} operations by {name.replace('-', ' ')} (repeatable).",
            )(function)
    return function


@click.command()
@click.argument("spec", required=False, type=click.Path(path_type=Path))
@click.option("--app", help="An ASGI app, called in-process: module:attr.")
@click.option("--impl", help="Your implementation of the generated service Protocol: module:attr.")
@click.option("--url", help="A running server's base URL (loopback unless --allow-host).")
@click.option(
    "--mock",
    is_flag=True,
    default=None,
    help="`ctk mock SPEC`, in-process, with its credential sent: is the spec self-consistent?",
)
@click.option("--package", help="The generated package for --impl (default: [tool.ctk.generate]).")
@click.option("--allow-host", "allow_hosts", multiple=True, help="Let --url reach this host.")
@click.option("--phases", multiple=True, help="examples,coverage,fuzzing,stateful (default: all).")
@click.option("--mode", type=click.Choice(FUZZ_MODES), help="Data to generate (default: all).")
@click.option("--max-examples", type=click.IntRange(min=1), help="Examples per operation (100).")
@click.option("--seed", type=click.IntRange(min=0), help="Seed; derandomizes generation.")
@click.option("--max-time", type=click.IntRange(min=1), help="Stop after S seconds.")
@click.option("--checks", multiple=True, help="Only these schemathesis checks (comma-separated).")
@click.option("--exclude-checks", multiple=True, help="Skip these checks (comma-separated).")
@click.option(
    "--header",
    "headers",
    multiple=True,
    help="'Name: value' on every request; ${VAR} reads the environment.",
)
@_filter_options
@click.option("--shard", help="I/N: run this job's share of the operations.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for failures and reports (.ctk/fuzz).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Choice(FUZZ_REPORTS),
    help="Also write this report to --out (repeatable).",
)
@click.option("--strict", is_flag=True, default=None, help="Contract defects fail the run too.")
@click.option(
    "--infer-links/--no-infer-links",
    default=None,
    help="Infer stateful links where the spec has none (default: on).",
)
@click.option(
    "--replay",
    type=click.Path(path_type=Path),
    help="Rerun stored failures (a folder or one .json) instead.",
)
@config_option
@color_option
def fuzz(
    spec: Path | None,
    config_path: Path | None,
    color: bool | None,
    replay: Path | None,
    **given: Any,
) -> None:
    """Fuzz a service against SPEC with schemathesis.

    Exit codes: 0 clean, 1 implementation bugs or run errors (and contract defects with
    --strict), 2 usage or input error.
    """
    config = load_config(config_path)
    options = _merge(config.fuzz, spec, given)
    color = sys.stdout.isatty() if color is None else color
    if replay is not None:
        # a target given here retargets the replays; the config's never does
        retarget = any(given.get(k) for k in ("app", "impl", "url", "mock"))
        headers = tuple(given.get("headers") or ())
        raise SystemExit(
            _replay(replay, options, config, retarget=retarget, spec=spec, headers=headers)
        )
    raise SystemExit(_run(options, config, color))


def _merge(base: FuzzOptions, spec: Path | None, given: dict[str, Any]) -> FuzzOptions:
    """The command line wins over [tool.ctk.fuzz]; list options replace, not extend."""
    changes: dict[str, Any] = {}
    if spec is not None:
        changes["spec"] = spec
    for name, value in given.items():
        if value is None or value == ():
            continue
        if name in ("phases", "checks", "exclude_checks"):
            value = _split(value)
        changes[name] = value
    if {"app", "impl", "url", "mock"} & set(changes):  # the command line's target wins
        for name in ("app", "impl", "url"):
            changes.setdefault(name, None)
        changes.setdefault("mock", False)
    return check_fuzz_options(dataclasses.replace(base, **changes))


def _run(options: FuzzOptions, config: Config, color: bool) -> int:
    from toolkit.report.fuzz_data import render_fuzz_json
    from toolkit.report.fuzz_html import render_fuzz_html
    from toolkit.report.fuzz_junit import render_fuzz_junit
    from toolkit.report.fuzz_text import render_fuzz_text
    from toolkit.verify.fuzz.artifacts import write_failures
    from toolkit.verify.fuzz.checks import check_names
    from toolkit.verify.fuzz.engine import run_fuzz
    from toolkit.verify.fuzz.outcome import fuzz_outcome
    from toolkit.verify.fuzz.target import resolve_target

    if options.spec is None:
        raise UsageError("no spec to fuzz", hint="ctk fuzz SPEC, or set `spec` in [tool.ctk.fuzz]")
    if not options.spec.is_file():
        raise UsageError(f"no such spec: {options.spec}")
    check_names(options.checks + options.exclude_checks)
    target = resolve_target(options.spec, options, config)
    with _Progress(color) as hook:
        result = run_fuzz(options.spec, options, target, load=config.load, progress=hook)
    written = write_failures(
        result, options.out, target, str(options.spec), options.headers, options.package
    )
    replays = {f.key: str(p.with_suffix("")) for f, p in zip(result.findings, written, strict=True)}
    outcome = fuzz_outcome(result, replays)
    renderers: dict[str, tuple[str, Callable[[], str]]] = {
        "junit": ("junit.xml", lambda: render_fuzz_junit(result, strict=options.strict)),
        "json": (
            "report.json",
            lambda: render_fuzz_json(result, strict=options.strict, replays=replays),
        ),
        "html": (
            "report.html",
            lambda: render_fuzz_html(result, strict=options.strict, replays=replays),
        ),
    }
    for report in dict.fromkeys(options.reports):
        name, render = renderers[report]  # (file name, () -> text)
        write_atomic(options.out / name, render())
    click.echo(render_fuzz_text(result, outcome, strict=options.strict, color=color), nl=False)
    if written:
        click.echo(
            f"{len(written)} failure(s) written to {options.out / 'failures'} (curl, JSON, pytest)"
        )
    return 1 if result.failed(strict=options.strict) else 0


def _replay(
    folder: Path,
    options: FuzzOptions,
    config: Config,
    *,
    retarget: bool,
    spec: Path | None,
    headers: tuple[str, ...],
) -> int:
    """Rerun stored failures; SPEC and --app/--impl/--url given here override the records'."""
    from toolkit.verify.fuzz.replay import find_records, replay
    from toolkit.verify.fuzz.target import resolve_target

    failed = 0
    records = find_records(folder)
    total = len(records)
    for record in records:
        wanted = record.options()
        if retarget:
            wanted = dataclasses.replace(
                wanted,
                app=options.app,
                impl=options.impl,
                url=options.url,
                mock=options.mock,
                package=options.package or wanted.package,
            )
        if headers:
            wanted = dataclasses.replace(wanted, headers=headers)
        spec_path = spec or record.spec_path()
        try:
            target = resolve_target(
                spec_path, dataclasses.replace(wanted, allow_hosts=options.allow_hosts), config
            )
            outcome = replay(record, target, spec_path)
        except ToolkitError as error:
            echo_error(error)
            return 2
        # a stored contract defect or tool limitation still failing its check is expected;
        # it fails the replay only where it would fail a run (--strict for contract defects)
        verdict = str(record.data.get("verdict", "implementation-bug"))
        counts = verdict == "implementation-bug" or (
            options.strict and verdict == "contract-defect"
        )
        mark = "ok  " if outcome.passed else ("FAIL" if counts else "note")
        click.echo(
            f"{mark} {record.path}: {outcome.operation}: {outcome.check} -> {outcome.status}"
            + ("" if outcome.passed or counts else f" (still present, a {verdict})")
        )
        if not outcome.passed and counts:
            failed += 1
            click.echo("     " + outcome.detail.replace("\n", "\n     "))
    click.echo(f"{failed} of {total} replayed failure(s) still fail")
    return 1 if failed else 0


class _Progress:
    """A rich progress bar on a terminal (stderr); nothing otherwise."""

    def __init__(self, color: bool) -> None:
        self.enabled = color and sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        return self.update

    def update(self, event: Any) -> None:
        if event.kind == "phase":
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.task = self.bar.add_task(event.phase, total=event.operations or None)
        elif self.task is not None:
            mark = " ✗" if event.failed else ""
            self.bar.update(self.task, advance=1, description=f"{event.phase}: {event.label}{mark}")

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
