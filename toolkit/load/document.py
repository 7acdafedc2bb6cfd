"""`load_document`: the one entry every stage uses to get a checked OpenAPI document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.config import LoadOptions
from toolkit.errors import Location
from toolkit.load.refs import RefResolver, Site, Target
from toolkit.load.source import SourceFile, load_source, require_mapping
from toolkit.load.version import SpecVersion, detect_version


@dataclass(eq=False)
class Document:
    """A root file, the files it references, and its version; every `$ref` is known good."""

    root: SourceFile
    version: SpecVersion
    resolver: RefResolver

    @property
    def data(self) -> dict[str, Any]:
        return self.root.data  # type: ignore[no-any-return]

    @property
    def display(self) -> str:
        return self.root.display

    def location(self, pointer: str, uri: str | None = None) -> Location:
        source = self.resolver.files.get(uri or self.root.uri, self.root)
        return source.location(pointer)

    def locations(self, places: Sequence[tuple[str, str]]) -> list[Location]:
        """Each (file uri, pointer in that file) located, one batch per file: a JSON file is
        then scanned once, however many places it holds."""
        files = self.resolver.files
        by_file: dict[str, set[str]] = {}
        for uri, pointer in places:
            by_file.setdefault(uri, set()).add(pointer)
        found = {uri: files[uri].locator.positions(pointers) for uri, pointers in by_file.items()}
        located = []
        for uri, pointer in places:
            position = found[uri][pointer]
            name = files[uri].display
            if position is None:
                located.append(Location(name, pointer=pointer))
            else:
                line, column = position
                located.append(Location(name, pointer=pointer, line=line, column=column))
        return located

    def deref(self, value: Any, uri: str | None = None) -> tuple[Any, str | None, Target | None]:
        """Resolve `value` if it is a `$ref` object: (value, uri of the file holding it, target)."""
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return value, uri, None
        base = self.resolver.files.get(uri or self.root.uri, self.root)
        target = self.resolver.target(value["$ref"], base, "")
        target, resolved = self.resolver.follow(target, Site(base, ""))
        return resolved, target.uri, target


def load_document(
    path: str | Path, options: LoadOptions | None = None, *, display: str | None = None
) -> Document:
    """Load and check a document: raises LoadError (exit 2) for anything unsafe or unusable.
    `display`: how findings name the file (`git:REF:path` for one read from git)."""
    options = options or LoadOptions()
    path = Path(path)
    root = load_source(path, options, display=display or str(path))
    data = require_mapping(root)
    version = detect_version(root, data)
    resolver = RefResolver(root, options)
    resolver.check_all()
    return Document(root, version, resolver)
