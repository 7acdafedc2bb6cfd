"""The one way reports build a rich console: into a buffer (reports return text, only the
CLI prints), colored only when asked, the same width on every machine."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console


def buffer_console(file: TextIO, *, color: bool, width: int = 100) -> Console:
    return Console(
        file=file,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        legacy_windows=False,
        color_system="standard" if color else None,
    )
