"""The Prompt Library reference service: `specs/prompt-library.yaml` implemented on SQLite
(default) or PostgreSQL, on top of the generated package `generated.prompt_library`.

Run it with `uvicorn examples.prompt_library:app` (see `README.md` beside this file). The
module attributes `service` and `app` are built from the environment on first access, so
importing the package (or one of its modules) touches no database and reads no variables.
`unlimited_app` is `app` without rate limits, as fuzz and test jobs run it: a fuzzer is one
client sending thousands of requests a minute (the limits have their own tests).
"""

from __future__ import annotations

from typing import Any

from toolkit.runtime import RateLimits, Settings

from .handlers import PromptLibraryService
from .server import PromptLibraryApp, create_app, create_service

__all__ = [
    "PromptLibraryApp",
    "PromptLibraryService",
    "app",
    "create_app",
    "create_service",
    "service",
    "unlimited_app",
]

# Declared for type checkers; bound lazily by __getattr__.
service: PromptLibraryService
app: PromptLibraryApp
unlimited_app: PromptLibraryApp


def __getattr__(name: str) -> Any:
    built: object
    if name == "service":
        built = create_service()
    elif name == "app":
        built = create_app(globals().get("service") or __getattr__("service"))
    elif name == "unlimited_app":
        built = create_app(
            globals().get("service") or __getattr__("service"),
            settings=Settings(rate_limits=RateLimits(enabled=False)),
        )
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = built
    return built
