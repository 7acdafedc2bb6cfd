"""Which OpenAPI (or Swagger) version a document declares, refusing what we cannot check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from toolkit.errors import LoadError, Location
from toolkit.load.source import SourceFile

_OPENAPI = re.compile(r"^3\.([0-2])\.(\d+)(?:-rc\d+)?$")
SUPPORTED = ("2.0", "3.0.x", "3.1.x", "3.2.x")


@dataclass(frozen=True, slots=True)
class SpecVersion:
    """`full` as written; `line` is the minor line every stage switches on: 2.0/3.0/3.1/3.2."""

    full: str
    line: str

    @property
    def is_swagger(self) -> bool:
        return self.line == "2.0"

    @property
    def is_31_or_later(self) -> bool:
        return self.line in ("3.1", "3.2")


def detect_version(source: SourceFile, data: dict[str, Any]) -> SpecVersion:
    hint = f"supported versions: {', '.join(SUPPORTED)}"
    if "openapi" in data:
        value = data["openapi"]
        if not isinstance(value, str):
            raise LoadError(
                f"`openapi` must be a string, found {type(value).__name__} {value!r}",
                source.location("/openapi"),
                hint="quote the version, e.g. openapi: '3.1.0'",
            )
        match = _OPENAPI.match(value)
        if not match:
            raise LoadError(
                f"unknown OpenAPI version {value!r}", source.location("/openapi"), hint=hint
            )
        return SpecVersion(value, f"3.{match.group(1)}")
    if "swagger" in data:
        value = data["swagger"]
        if value != "2.0":
            raise LoadError(
                f"unknown Swagger version {value!r}", source.location("/swagger"), hint=hint
            )
        return SpecVersion("2.0", "2.0")
    raise LoadError(
        "not an OpenAPI document: no `openapi` or `swagger` field at the top level",
        Location(source.display, line=1, column=1),
        hint="add `openapi: 3.1.0` (or check that this is the file you meant)",
    )
