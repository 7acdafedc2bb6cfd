"""`ctk`: a thin click layer. Parse, call a stage, hand the result to `report/`."""

from __future__ import annotations

import sys
from typing import Any

import click

from toolkit import __version__
from toolkit.cli._common import handle_errors
from toolkit.cli.bundle import bundle
from toolkit.cli.check import check
from toolkit.cli.contract import contract
from toolkit.cli.diff import diff
from toolkit.cli.fuzz import fuzz
from toolkit.cli.generate import generate
from toolkit.cli.init import init
from toolkit.cli.lint import lint
from toolkit.cli.mock import mock
from toolkit.cli.serve import serve

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Group(click.Group):
    """Maps toolkit errors raised by any command to exit code 2 with a located message."""

    def invoke(self, ctx: click.Context) -> object:
        with handle_errors():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="ctk")
def cli() -> None:
    """contract-toolkit: contract-first APIs from one OpenAPI document.

    Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error.
    """


cli.add_command(lint)
cli.add_command(bundle)
cli.add_command(generate)
cli.add_command(serve)
cli.add_command(fuzz)
cli.add_command(contract)
cli.add_command(mock)
cli.add_command(diff)
cli.add_command(check)
cli.add_command(init)


def main() -> None:
    cli.main(prog_name="ctk")
    sys.exit(0)


__all__ = ["cli", "main"]
