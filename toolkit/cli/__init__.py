"""`ctk`: a thin click layer. Parse, call a stage, hand the result to `report/`."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from toolkit import __version__
from toolkit.__main__ import refuse_missing_extra
from toolkit.cli._common import handle_errors

# name -> module holding the command of that name: imported only when it runs (or when
# help lists it), so `ctk diff` does not pay for the generator, fuzzing or pact
COMMANDS = {
    "lint": "toolkit.cli.lint",
    "bundle": "toolkit.cli.bundle",
    "generate": "toolkit.cli.generate",
    "serve": "toolkit.cli.serve",
    "fuzz": "toolkit.cli.fuzz",
    "contract": "toolkit.cli.contract",
    "mock": "toolkit.cli.mock",
    "diff": "toolkit.cli.diff",
    "check": "toolkit.cli.check",
    "init": "toolkit.cli.init",
}

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps toolkit errors raised by any command to exit code 2 with a located message;
    loads each command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        try:
            module = importlib.import_module(COMMANDS[cmd_name])
        except ModuleNotFoundError as exc:
            refuse_missing_extra(exc)
        command = getattr(module, cmd_name)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> object:
        with handle_errors():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="ctk")
def cli() -> None:
    """contract-toolkit: contract-first APIs from one OpenAPI document.

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error.
    """


def main() -> None:
    cli.main(prog_name="ctk")
    sys.exit(0)


__all__ = ["cli", "main"]
