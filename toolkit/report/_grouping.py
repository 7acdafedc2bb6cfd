"""Diagnostics per file, in a stable order, so every renderer groups the same way."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.errors import Diagnostic


def by_file(
    diagnostics: Iterable[Diagnostic], files: Iterable[str] = ()
) -> dict[str, list[Diagnostic]]:
    """Group by `location.file`: `files` first (each even without findings), then any other
    file in order of first appearance. Order within a file is kept as given."""
    groups: dict[str, list[Diagnostic]] = {file: [] for file in files}
    for diagnostic in diagnostics:
        groups.setdefault(diagnostic.location.file, []).append(diagnostic)
    return groups
