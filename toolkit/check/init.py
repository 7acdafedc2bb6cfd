"""`ctk init`: the files a project needs to run `ctk check`, written only where nothing is.

It never overwrites: an existing file is kept and reported as kept; `[tool.ctk]` is added
to an existing pyproject.toml only when it has none (appended, the rest byte for byte)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit._files import write_atomic
from toolkit.errors import Location, UsageError
from toolkit.model.names import snake

_TOOL_CTK = re.compile(r"^\s*\[\s*(tool\.ctk|tool\s*\.\s*ctk\.[\w.-]+)\s*\]", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    written: bool  # False: it existed and was kept
    what: str


def init_project(root: Path, *, spec: Path | None = None, app: str | None = None) -> list[Written]:
    """Scaffold `root`: specs/ (a starter spec unless `spec` names yours), contracts/,
    generated/, [tool.ctk], a GitHub Actions workflow and .pre-commit-config.yaml."""
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder", hint="run ctk init in your project's root")
    if app is not None and (":" not in app or app.startswith(":") or app.endswith(":")):
        raise UsageError(f"--app must look like package.module:attribute, got {app!r}")
    _read_pyproject(root / "pyproject.toml")  # malformed: refused before anything is written
    done: list[Written] = []
    if spec is None:
        spec = Path("specs/api.yaml")
        done.append(_file(root / spec, _template("api.yaml"), "a starter OpenAPI 3.1 spec"))
    elif not (root / spec).is_file():
        raise UsageError(f"no such spec: {spec}", hint="give a path relative to the project root")
    for folder, why in (
        ("contracts", "consumers' pact files"),
        ("generated", "ctk generate's output"),
    ):
        done.append(_folder(root / folder, why))
    package = snake(spec.stem, fallback="api")
    done.append(_pyproject(root / "pyproject.toml", spec, package, app))
    done.append(
        _file(
            root / ".github/workflows/contract.yml",
            _template("workflow.yml"),
            "CI: ctk check, the report as an artifact, SARIF to code scanning",
        )
    )
    done.append(
        _file(
            root / ".pre-commit-config.yaml",
            _template("pre-commit-config.yaml"),
            "hooks: ctk lint, ctk generate --check, ctk check --fast on push",
        )
    )
    return done


def _template(name: str) -> str:
    return (resources.files("toolkit.check") / "templates" / name).read_text(encoding="utf-8")


def _file(path: Path, text: str, what: str) -> Written:
    if path.exists():
        return Written(path, False, what)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return Written(path, True, what)


def _folder(path: Path, what: str) -> Written:
    keep = path / ".gitkeep"
    if path.exists():
        return Written(path, False, what)
    path.mkdir(parents=True)
    keep.write_text("", encoding="utf-8")
    return Written(path, True, what)


def ctk_tables(spec: Path, package: str, app: str | None) -> str:
    spec_text = spec.as_posix()
    app_line = f'app = "{app}"' if app else '# app = "yourservice.main:app"   # your ASGI app'
    return f"""
[tool.ctk.lint]
fail-on = "warning"

[tool.ctk.generate]
targets = [{{ spec = "{spec_text}", out = "generated/{package}" }}]

[tool.ctk.fuzz]
spec = "{spec_text}"
{app_line}
# headers = ["X-API-Key: ${{API_KEY}}"]   # credentials the fuzzer sends

[tool.ctk.check]
fast-examples = 10   # ctk check --fast (the pre-push hook)
"""


def _pyproject(path: Path, spec: Path, package: str, app: str | None) -> Written:
    what = "[tool.ctk]: lint, generate, fuzz and check settings"
    tables = ctk_tables(spec, package, app)
    if not path.exists():
        write_atomic(path, tables.lstrip("\n"))
        return Written(path, True, what)
    text, document = _read_pyproject(path)
    if "ctk" in document.get("tool", {}) or _TOOL_CTK.search(text):
        return Written(path, False, what + " (it already has [tool.ctk])")
    write_atomic(path, text + ("" if text.endswith("\n") else "\n") + tables)
    return Written(path, True, what + " (appended)")


def _read_pyproject(path: Path) -> tuple[str, dict[str, Any]]:
    if not path.exists():
        return "", {}
    text = path.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"malformed TOML: {exc}", Location(str(path))) from None
