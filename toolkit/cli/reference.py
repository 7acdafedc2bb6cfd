"""The README's command reference, made from the click help itself so it cannot drift:
`python -m toolkit.cli.reference --update README.md` rewrites the block between the
markers; tests/cli/test_reference.py fails when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

import click

START = "<!-- command-reference: start (python -m toolkit.cli.reference --update README.md) -->"
END = "<!-- command-reference: end -->"
WIDTH = 100


def _commands(context: click.Context) -> list[tuple[str, click.Command, click.Context]]:
    """Every command under the group of `context`, each with the context it runs in (so
    the group's settings, such as `-h` for help, show as they do on the command line)."""
    group = context.command
    assert isinstance(group, click.Group)
    found: list[tuple[str, click.Command, click.Context]] = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        child = click.Context(
            command, info_name=name, parent=context, terminal_width=WIDTH, max_content_width=WIDTH
        )
        if isinstance(command, click.Group):
            found.extend(_commands(child))
        else:
            found.append((child.command_path, command, child))
    return found


def render_reference() -> str:
    from toolkit.cli import CONTEXT, cli

    root = click.Context(cli, info_name="ctk", **{**CONTEXT, "terminal_width": WIDTH})
    parts = [START, ""]
    for name, command, context in _commands(root):
        parts += [f"### `{name}`", "", "```text", command.get_help(context), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def updated(text: str) -> str:
    """`text` with its reference block replaced by the current one."""
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + render_reference() + text[end:]


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--update":
        path = Path(argv[1])
        path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    sys.stdout.write(render_reference() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
