"""Atomic writes: a reader never sees half a file, and a crash never leaves one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Temp file + rename for regular files; devices, FIFOs and the like (`-o /dev/stdout`,
    `/dev/null`) are written in place - renaming over them would replace the device."""
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
