"""Putting a rendered package on disk, and telling whether the disk is fresh.

The output folder belongs to the generator: it is rewritten wholesale, atomically per file,
and files it no longer produces are removed. A folder that holds anything the generator did
not write (no manifest, or files the manifest does not list) is refused, so hand-written
code can never be overwritten or mixed in.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit._files import write_atomic
from toolkit.errors import Location, UsageError
from toolkit.generate.package import MANIFEST


@dataclass(frozen=True)
class Freshness:
    stale: dict[str, str]  # path -> unified diff (or a note for binary/removed files)

    @property
    def fresh(self) -> bool:
        return not self.stale


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        value = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def unchanged_inputs(out: Path, expected: dict[str, Any]) -> bool:
    """True when the manifest says the output was made from exactly these inputs and no
    generated file was touched since: regeneration would be a no-op."""
    manifest = read_manifest(out)
    if manifest is None:
        return False
    for key in ("package", "sources", "tools", "error-mappings"):
        if manifest.get(key) != expected.get(key):
            return False
    files = manifest.get("files")
    if not isinstance(files, dict):
        return False
    for name, digest in files.items():
        try:
            data = (out / name).read_bytes()
        except OSError:
            return False
        if hashlib.sha256(data).hexdigest() != digest:
            return False
    return True


def _owned(out: Path) -> set[str]:
    manifest = read_manifest(out)
    files = manifest.get("files") if manifest else None
    return set(files) | {MANIFEST} if isinstance(files, dict) else set()


def guard(out: Path, *, force: bool) -> None:
    """Refuse to write into a folder holding files the generator does not own."""
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError("--out is not a folder", Location(str(out)))
    owned = _owned(out)
    foreign = sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and str(p.relative_to(out)) not in owned
    )
    if foreign and not force:
        raise UsageError(
            f"{out} holds files ctk did not generate: {', '.join(foreign[:5])}",
            Location(str(out)),
            hint="generated code lives in its own folder; move your code out (or pass --force)",
        )


def compare(out: Path, files: dict[str, str]) -> Freshness:
    stale: dict[str, str] = {}
    for name, text in sorted(files.items()):
        path = out / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current == text:
            continue
        before = [] if current is None else current.splitlines(keepends=True)
        diff = difflib.unified_diff(
            before, text.splitlines(keepends=True), f"a/{name}", f"b/{name}", n=2
        )
        stale[name] = "".join(diff) or f"{name} differs\n"
    for name in sorted(_owned(out) - set(files)):
        if (out / name).exists():
            stale[name] = f"{name} is no longer generated and would be removed\n"
    return Freshness(stale)


def write_package(out: Path, files: dict[str, str], *, force: bool = False) -> list[str]:
    """Write every file that changed (atomically); return the names written or removed."""
    guard(out, force=force)
    previously = _owned(out)
    changed = []
    for name, text in sorted(files.items()):
        path = out / name
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        write_atomic(path, text)
        changed.append(name)
    for name in sorted(previously - set(files)):
        stale = out / name
        if stale.is_file():
            stale.unlink()
            changed.append(name)
    return changed


@dataclass(frozen=True)
class Scaffold:
    """What `write_scaffold` did: wrote the file, or kept the user's (and what it lacks)."""

    written: bool
    # methods of the protocol the kept file defines nowhere: (name, keyword arguments)
    missing: tuple[tuple[str, tuple[str, ...]], ...] = ()


def write_scaffold(
    path: Path, text: str, methods: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> Scaffold:
    """The implementation skeleton is the user's from the first write: never overwritten.
    On a later run the file is only read, for the protocol's methods it does not define."""
    if not path.exists():
        write_atomic(path, text)
        return Scaffold(written=True)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return Scaffold(written=False)  # not ours to judge: mypy against the protocol will
    defined = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return Scaffold(False, tuple((name, args) for name, args in methods if name not in defined))


def module_name(out: Path) -> str:
    """The dotted import path of the output folder, as seen from the working directory; in
    a `src/` layout the import root is `src` (`src/myapp/api` is `myapp.api`)."""
    try:
        parts = out.absolute().relative_to(Path.cwd()).parts
    except ValueError:
        return out.name
    if len(parts) > 1 and parts[0] == "src" and not (Path.cwd() / "src" / "__init__.py").exists():
        parts = parts[1:]
    return ".".join(parts) if all(p.isidentifier() for p in parts) else out.name
