"""The runtime is a leaf: generated servers import it without the build-time stages."""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit.runtime

PACKAGE = Path(toolkit.runtime.__file__).parent
FORBIDDEN = ("load", "lint", "report", "cli", "generate", "model", "verify", "mock", "diff")


def absolute_imports(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved against toolkit.runtime."""
    module = "toolkit.runtime." + path.stem
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return found


def test_runtime_imports_no_build_time_stage() -> None:
    violations = []
    for path in sorted(PACKAGE.glob("*.py")):
        for name in absolute_imports(path):
            parts = name.split(".")
            if parts[0] == "toolkit" and len(parts) > 1 and parts[1] in FORBIDDEN:
                violations.append(f"{path.name} imports {name}")
            if parts[0] == "toolkit" and parts[1:2] not in (
                ["runtime"],
                ["errors"],
                ["pointer"],
                ["rate_limit"],  # the x-ctk-rate-limit grammar, shared with lint
            ):
                violations.append(
                    f"{path.name} imports {name} (only toolkit.errors, toolkit.pointer and "
                    "toolkit.rate_limit are)"
                )
    assert violations == []


def test_relative_imports_are_resolved() -> None:
    found = absolute_imports(PACKAGE / "operation.py")
    assert "toolkit.errors" in found


def test_public_api() -> None:
    assert sorted(toolkit.runtime.__all__) == [
        "ASGIApp",
        "App",
        "Body",
        "CorsPolicy",
        "ErrorBody",
        "ErrorShape",
        "HTTPProblem",
        "Limit",
        "Operation",
        "OperationError",
        "Param",
        "ParamLocation",
        "Principal",
        "RateLimits",
        "RedisStore",
        "Reply",
        "RequestContext",
        "Requirement",
        "Response",
        "Settings",
        "StaticKeys",
        "UploadedFile",
        "Verifier",
        "build_app",
        "running",
    ]
    for name in toolkit.runtime.__all__:
        assert hasattr(toolkit.runtime, name)
