"""Small helpers shared by the hostile tests (the runner itself is the `ctk` fixture)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT = 10.0
MAX_PEAK_KB = 1024 * 1024  # 1 GB
HEADER = """\
openapi: 3.1.0
info: {title: Hostile, version: "1", description: hostile input}
servers: [{url: "https://example.com"}]
paths: {}
"""


@dataclass
class Run:
    """What one `ctk` run did: its exit code and output, and what the audit hook saw."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_kb: int | None
    reads: list[Path] = field(default_factory=list)
    network: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"ctk {' '.join(self.args)} -> {self.returncode} in {self.seconds:.2f} s\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """Write `folder/name` (parents created) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def with_schemas(*lines: str) -> str:
    """A valid 3.1 document whose components/schemas are `lines` (each indented by 4)."""
    return HEADER + "components:\n  schemas:\n" + "".join(f"    {line}\n" for line in lines)


def assert_refused(
    run: Run,
    display: str,
    *fragments: str,
    position: tuple[int, int] | bool = False,
) -> str:
    """Exit 2 with `error: DISPLAY...` naming every fragment; `position` asks for line:col
    (True: any, a tuple: exactly that one). Returns the first error line."""
    assert run.returncode == 2, str(run)
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert errors, f"no `error:` line\n{run}"
    first = errors[0]
    assert first.startswith(f"error: {display}"), f"the error does not name {display}\n{run}"
    for fragment in fragments:
        assert fragment in run.stderr, f"{fragment!r} not in the message\n{run}"
    if position is True:
        assert re.match(rf"error: {re.escape(display)}:\d+:\d+", first), f"no line:col\n{run}"
    elif position:
        line, column = position
        expected = f"error: {display}:{line}:{column}"
        assert first.startswith(expected), f"expected {expected}\n{run}"
    return first


def assert_accepted(run: Run) -> None:
    """Loaded fine: 0 (clean) or 1 (findings), never the input-error code."""
    assert run.returncode in (0, 1), str(run)
    assert "error: " not in run.stderr, str(run)
