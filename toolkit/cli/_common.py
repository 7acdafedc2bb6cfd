"""What every command shares: options that load specs, config and error mapping."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.config import Config, load_config
from toolkit.errors import Severity, ToolkitError
from toolkit.outcome import Outcome

F = TypeVar("F", bound=Callable[..., Any])


def echo_error(error: ToolkitError) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map toolkit errors to exit code 2 with a located message, never a traceback."""
    try:
        yield
    except ToolkitError as error:
        echo_error(error)
        raise SystemExit(error.exit_code) from None
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        raise SystemExit(130) from None


# The options several commands share, spelled once.
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="pyproject.toml to read [tool.ctk] from (default: the nearest one).",
)
color_option = click.option(
    "--color/--no-color", default=None, help="Color the terminal output (default: if a terminal)."
)


def report_options(function: F) -> F:
    """`-f/--format` (every report format) and `-o/--output`."""
    from toolkit.report import FORMATS

    function = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report here.",
    )(function)
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
    )(function)


def load_options(function: F) -> F:
    """Options that bound and permit loading; they override `[tool.ctk.load]`."""
    options = [
        config_option,
        click.option(
            "--max-bytes",
            type=click.IntRange(min=1),
            help="Refuse files larger than this (default 100 MB).",
        ),
        click.option(
            "--allow-outside-root",
            is_flag=True,
            default=None,
            help="Let $refs read files outside the spec's folder.",
        ),
        click.option(
            "--allow-remote-refs",
            is_flag=True,
            default=None,
            help="Fetch $refs that point at http(s) URLs (never done by default).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def resolve_config(
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> Config:
    config = load_config(config_path)
    overrides: dict[str, Any] = {}
    if max_bytes is not None:
        overrides["max_bytes"] = max_bytes
    if allow_outside_root:
        overrides["allow_outside_root"] = True
    if allow_remote_refs:
        overrides["allow_remote_refs"] = True
    if overrides:
        config = dataclasses.replace(config, load=dataclasses.replace(config.load, **overrides))
    return config


def emit_report(
    outcome: Outcome, fmt: str, output: Path | None, fail_on: Severity, color: bool | None
) -> None:
    """Render `outcome` to `output` (atomically) or stdout; colour only on a terminal."""
    import sys

    from toolkit._files import write_atomic
    from toolkit.report import render

    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    text = render(outcome, fmt, fail_on=fail_on, color=use_color)
    if output is not None:
        write_atomic(output, text)
    else:
        click.echo(text, nl=not text.endswith("\n"))
