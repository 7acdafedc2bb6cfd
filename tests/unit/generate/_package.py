"""A package generated from a spec and imported, for tests that run the generated code."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from toolkit.cli import cli


@contextmanager
def imported_package(spec: Path, root: Path, package: str) -> Iterator[ModuleType]:
    """`ctk generate spec --out root/package`, imported; forgotten again afterwards."""
    result = CliRunner().invoke(cli, ["generate", str(spec), "--out", str(root / package)])
    assert result.exit_code == 0, result.output
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.split(".")[0] == package]:
            del sys.modules[name]
