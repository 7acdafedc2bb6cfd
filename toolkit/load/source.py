"""A loaded file: its text (for snippets), its data, its `$ref` sites and a lazy locator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location
from toolkit.load.locate import JsonLocator, Locator, YamlLocator
from toolkit.load.parse import Format, decode, parse, read_bytes, sniff
from toolkit.load.scan import RefSite, scan


@dataclass(eq=False)
class SourceFile:
    path: Path
    display: str
    text: str
    format: Format
    data: Any
    refs: list[RefSite]
    uri: str = ""  # the key `$ref`s resolve against: an absolute path, or a URL
    _locator: Locator | None = field(default=None, repr=False)

    @property
    def locator(self) -> Locator:
        if self._locator is None:
            self._locator = (
                JsonLocator(self.text) if self.format == "json" else YamlLocator(self.text)
            )
        return self._locator

    def location(self, pointer: str) -> Location:
        position = self.locator.position(pointer)
        if position is None:
            return Location(self.display, pointer=pointer)
        return Location(self.display, pointer=pointer, line=position[0], column=position[1])

    def line(self, number: int) -> str:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""


def load_source(path: Path, options: LoadOptions, *, display: str | None = None) -> SourceFile:
    """Read, decode, parse and bound one file; never follows `$ref`s (see `refs`)."""
    name = display or str(path)
    text = decode(read_bytes(path, options, display=name), name)
    return source_from_text(path, text, options, display=name)


def source_from_text(
    path: Path, text: str, options: LoadOptions, *, display: str | None = None
) -> SourceFile:
    name = display or str(path)
    fmt = sniff(text, path)
    try:
        data = parse(text, name, fmt, max_nodes=options.max_nodes)
    except LoadError as exc:
        if fmt == "yaml" or path.suffix.lower() == ".json" or "malformed JSON" not in exc.message:
            raise  # never retry what is refused for its size
        fmt = "yaml"  # a YAML flow mapping (`{openapi: 3.1.0, ...}`) is not JSON
        data = parse(text, name, fmt)
    source = SourceFile(path, name, text, fmt, data, [], uri=str(path.absolute()))
    if isinstance(data, dict | list):
        try:
            source.refs = scan(data, name, options, shared=fmt == "yaml")
        except LoadError as exc:  # too big or too deep: add the line and column of its pointer
            if exc.location is not None and exc.location.line is None:
                exc.location = source.location(exc.location.pointer)
            raise
    return source


def require_mapping(source: SourceFile) -> dict[str, Any]:
    if not isinstance(source.data, dict):
        kind = type(source.data).__name__ if source.data is not None else "null"
        raise LoadError(
            f"the document is a {kind}, not a mapping",
            Location(source.display, line=1, column=1),
            hint="an OpenAPI document is an object with an `openapi` (or `swagger`) field",
        )
    return source.data
