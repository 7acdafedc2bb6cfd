"""The Prompt Library reference service: `specs/prompt-library.yaml` implemented on SQLite
(default) or PostgreSQL, on top of the generated package `generated.prompt_library`.

Run it with `uvicorn examples.prompt_library:app` (see `README.md` beside this file). The
module attributes `service` and `app` are built from the environment on first access, so
importing the package (or one of its modules) touches no database and reads no variables.
"""

from __future__ import annotations

from typing import Any

from .handlers import PromptLibraryService
from .server import PromptLibraryApp, create_app, create_service

__all__ = [
    "PromptLibraryApp",
    "PromptLibraryService",
    "app",
    "create_app",
    "create_service",
    "service",
]

# Declared for type checkers; bound lazily by __getattr__.
service: PromptLibraryService
app: PromptLibraryApp


def __getattr__(name: str) -> Any:
    built: object
    if name == "service":
        built = create_service()
    elif name == "app":
        built = create_app(globals().get("service") or __getattr__("service"))
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = built
    return built
