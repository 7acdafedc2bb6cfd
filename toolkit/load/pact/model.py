"""A pact file as typed values: what every stage that reads pacts (contract check, diff)
needs, whatever the pact specification version it was written in (V1 to V4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from toolkit.errors import Location
from toolkit.load.pact.rules import Rules

BodyKind = Literal["json", "text", "binary"]


@dataclass(frozen=True, slots=True)
class Body:
    """A request or response body. `value` is the parsed JSON for `json`, the text for
    `text`, the decoded bytes for `binary`; `pointer` is where the value sits in the pact
    (JSON paths inside the body are appended to it)."""

    kind: BodyKind
    value: Any
    content_type: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class State:
    name: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Request:
    method: str  # upper case
    path: str
    query: dict[str, list[str]]
    headers: dict[str, list[str]]  # lower-case names
    body: Body | None
    rules: Rules
    pointer: str


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, list[str]]  # lower-case names
    body: Body | None
    rules: Rules
    pointer: str


@dataclass(frozen=True, slots=True)
class Interaction:
    """One HTTP interaction: `index` and `pointer` place it in its pact file."""

    index: int
    description: str
    states: tuple[State, ...]
    request: Request
    response: Response
    pointer: str
    pending: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """An interaction this toolkit does not check (messages), with the reason."""

    index: int
    description: str
    kind: str
    reason: str
    pointer: str


@dataclass(frozen=True)
class PactFile:
    display: str
    consumer: str
    provider: str
    version: str  # the pact specification version, normalised: 1.0, 1.1, 2.0, 3.0, 4.0
    interactions: tuple[Interaction, ...]
    skipped: tuple[Skipped, ...]
    text: str
    _locate: Any = field(default=None, repr=False, compare=False)

    def location(self, pointer: str) -> Location:
        position = self._locate(pointer) if self._locate is not None else None
        if position is None:
            return Location(self.display, pointer=pointer)
        return Location(self.display, pointer=pointer, line=position[0], column=position[1])
