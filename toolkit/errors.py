"""One exception root and the one finding type every stage returns.

`Diagnostic` is a value (stages return lists of them); `ToolkitError` is raised when a
stage cannot go on at all (unreadable or hostile input, bad usage). Both carry a
`Location` so a user always learns *where*, *what* and *what to do*.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from toolkit.pointer import split


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_on` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.name.lower() for s in cls)
            raise UsageError(f"unknown severity {text!r}", hint=f"use one of: {choices}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Location:
    """Where something is: a file, optionally a 1-based line/column, and a JSON pointer."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f" ({pointer_to_path(self.pointer)})"
        return where


def pointer_to_path(pointer: str) -> str:
    """Render `/paths/~1pets/get` as the dotted form users read in docs: `paths./pets.get`."""
    if not pointer:
        return "#"
    parts = split(pointer)
    return ".".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a rule id, how bad, what, where and how to fix it."""

    rule: str
    severity: Severity
    message: str
    location: Location
    hint: str = ""
    # Other places the finding involves, e.g. the spec's side of a pact finding.
    related: tuple[Location, ...] = ()

    def with_location(self, location: Location) -> Diagnostic:
        return replace(self, location=location)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        loc = self.location
        return (
            loc.file,
            loc.line or 0,
            loc.column or 0,
            loc.pointer,
            self.rule,
            self.message,
            self.hint,
        )


@dataclass(eq=False)
class ToolkitError(Exception):
    """Root of every error the toolkit raises on purpose; the CLI maps it to exit code 2."""

    message: str
    location: Location | None = None
    hint: str = ""
    notes: list[str] = field(default_factory=list)
    exit_code: int = 2

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        lines = [head, *(f"  {note}" for note in self.notes)]
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class UsageError(ToolkitError):
    """The user asked for something that cannot work (bad option value, bad config)."""


class LoadError(ToolkitError):
    """A document could not be read safely: unreadable, malformed, hostile or not OpenAPI."""


class RefError(LoadError):
    """A `$ref` that is refused, dangling or part of a pure cycle."""


class ConfigError(UsageError):
    """`[tool.ctk]` in pyproject.toml is malformed."""
