"""The generated app around a user's implementation, exactly as `ctk serve --impl` builds it."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from toolkit._imports import generated_package, import_object
from toolkit.config import Config


def impl_app(
    spec: Path, impl: str, package: str | None, config: Config, *, validate_responses: bool
) -> Any:
    """`create_app(service)` of the generated package; `impl` may name an instance, a class
    or a factory function (called without arguments)."""
    from toolkit.runtime import Settings

    package = package or generated_package(spec, config)
    create_app = import_object(f"{package}.app:create_app", "--package")
    service = import_object(impl, "--impl")
    if inspect.isclass(service) or inspect.isfunction(service):
        service = service()
    return create_app(service, settings=Settings(validate_responses=validate_responses))
