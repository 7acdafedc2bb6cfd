"""The generated app around a user's implementation, exactly as `ctk serve --impl` builds it."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from toolkit._imports import generated_package, import_object
from toolkit.config import Config
from toolkit.errors import UsageError


def impl_app(
    spec: Path,
    impl: str,
    package: str | None,
    config: Config,
    *,
    validate_responses: bool,
    verifier: str | None = None,
) -> Any:
    """`create_app(service)` of the generated package; `impl` may name an instance, a class
    or a factory function (called without arguments). `verifier` names the security
    verifier (a `toolkit.runtime.Verifier`, or a class or factory called without
    arguments that returns one); without it every secured operation answers 401."""
    from toolkit.runtime import Settings

    package = package or generated_package(spec, config)
    create_app = import_object(f"{package}.app:create_app", "--package")
    service = import_object(impl, "--impl")
    if inspect.isclass(service) or inspect.isfunction(service):
        try:
            service = service()
        except Exception as exc:  # the user's constructor or factory raised: input, not findings
            raise UsageError(
                f"--impl: building {impl!r} raised {type(exc).__name__}: {exc}",
                hint="give an instance, or a class or factory that takes no arguments",
            ) from None
    settings = Settings(
        validate_responses=validate_responses,
        verifier=None if verifier is None else load_verifier(verifier),
    )
    return create_app(service, settings=settings)


def load_verifier(target: str) -> Any:
    """The `Verifier` `target` names: an instance, or a class or zero-argument factory."""
    found = import_object(target, "--verifier")
    if not _is_verifier(found) and callable(found):
        try:
            found = found()
        except Exception as exc:  # the user's factory raised
            raise UsageError(
                f"--verifier: calling {target!r} raised {type(exc).__name__}: {exc}",
                hint="give a Verifier instance, or a factory that takes no arguments",
            ) from None
    if not _is_verifier(found):
        raise UsageError(
            f"--verifier {target} is not a toolkit.runtime Verifier "
            f"(got {type(found).__name__}: it has no async verify() method)",
            hint="e.g. --verifier examples.prompt_library.auth:load_verifier",
        )
    return found


def _is_verifier(candidate: Any) -> bool:
    return not inspect.isclass(candidate) and inspect.iscoroutinefunction(
        getattr(candidate, "verify", None)
    )
