"""ruff and mypy --strict on a generated package: what every generated tree must pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[2]  # mypy cannot see setuptools' editable-install hook


def assert_ruff_and_mypy_pass(out: Path) -> None:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", str(out)],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    # models.py is laid out by ruff itself (ADR 0016): formatting it again changes nothing
    layout = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", str(out / "models.py")],
        capture_output=True,
        text=True,
    )
    assert layout.returncode == 0, layout.stdout + layout.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", out.name],
        capture_output=True,
        text=True,
        cwd=out.parent,
        env={**os.environ, "MYPYPATH": os.pathsep.join([str(out.parent), str(REPO)])},
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
