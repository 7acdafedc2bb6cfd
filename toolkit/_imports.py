"""`module:attr` targets (apps, services, state modules) imported with located errors."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from toolkit.config import Config
from toolkit.errors import Location, UsageError


def import_object(target: str, what: str) -> Any:
    """The object `target` names; anything that goes wrong on import is exit 2, not a
    traceback (the cause is in the message)."""
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise UsageError(
            f"{what} must look like package.module:attribute, got {target!r}",
            hint="e.g. --app myservice.main:app",
        )
    module = import_module(module_name, what)
    try:
        return getattr(module, attr)
    except AttributeError:
        raise UsageError(f"{what}: {module_name!r} has no attribute {attr!r}") from None
    except Exception as exc:  # a lazy module attribute that failed to build
        raise UsageError(
            f"{what}: building {target!r} raised {type(exc).__name__}: {exc}"
        ) from None


def import_module(module_name: str, what: str) -> ModuleType:
    """The module `module_name`, imported from the working directory; import errors are
    exit 2 with the cause in the message."""
    root = str(Path.cwd())
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(
            f"{what}: cannot import {module_name!r}: {exc}", hint="run from the project root"
        ) from None
    except Exception as exc:  # the user's module raised while importing
        raise UsageError(
            f"{what}: importing {module_name!r} raised {type(exc).__name__}: {exc}"
        ) from None


def generated_package(spec: Path, config: Config) -> str:
    """The generated package `[tool.ctk.generate]` makes from `spec`, as a module name."""
    out = config.generate.out_for(spec)
    if out is not None:
        try:
            return ".".join(out.resolve().relative_to(Path.cwd().resolve()).parts)
        except ValueError:
            pass
    raise UsageError(
        f"no generated package is configured for {spec}",
        Location(str(spec)),
        hint="add it to [tool.ctk.generate] targets and run `ctk generate`, or pass --package",
    )
