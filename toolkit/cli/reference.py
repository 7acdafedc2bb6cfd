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


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        if command is None or command.hidden:
            continue
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix} {name}"))
    return found


def render_reference() -> str:
    from toolkit.cli import cli

    parts = [START, ""]
    for name, command in _commands(cli, "ctk"):
        if isinstance(command, click.Group):
            continue
        context = click.Context(
            command, info_name=name, terminal_width=WIDTH, max_content_width=WIDTH
        )
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
