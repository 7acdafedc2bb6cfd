"""Which pact files a command reads: files as given, folders by their `*.json` files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from toolkit.errors import LoadError, Location


def pact_paths(sources: Iterable[Path]) -> list[Path]:
    """Files in order given; a folder contributes its `*.json` files (recursively, sorted).
    A missing path or a folder without pacts is an error: checking nothing must not pass."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            files = sorted(p for p in source.rglob("*.json") if p.is_file())
            if not files:
                raise LoadError(
                    "no pact files (*.json) in this folder",
                    Location(str(source)),
                    hint="consumer tests write pacts; pass the folder they write to",
                )
            found.extend(files)
        elif source.exists():
            found.append(source)
        else:
            raise LoadError("no such file or folder", Location(str(source)), hint="check the path")
    return list(dict.fromkeys(found))
