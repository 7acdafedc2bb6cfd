"""Pact's Rust core writes its report to the process's stdout and notices to stderr (file
descriptors 1 and 2, below Python), and pact-python forwards the core's log events to the
`pact` logger (which, unconfigured, prints warnings to stderr). Only `report/` and `cli/`
print, so a run captures all three while the verifier executes; ctk reads the report as
JSON instead, and keeps the warnings as notes."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Captured:
    stdout: str = ""
    stderr: str = ""
    logs: list[str] = field(default_factory=list)  # "WARNING: message" of the `pact` logger


class _Keep(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(f"{record.levelname}: {record.getMessage()}")


@contextmanager
def captured_output() -> Iterator[Captured]:
    """Redirect fds 1 and 2 to temporary files for the block; the text is in the yielded
    value afterwards. Other threads' output in the meantime is captured too."""
    captured = Captured()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    logger, keep = logging.getLogger("pact"), _Keep(captured.logs)
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(keep)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            yield captured
        finally:
            logger.removeHandler(keep)
            logger.propagate = propagate
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            for handle, name in ((out, "stdout"), (err, "stderr")):
                handle.seek(0)
                setattr(captured, name, handle.read().decode("utf-8", "replace"))
