"""What a handler receives besides its parameters (`RequestContext`) and what it may return
besides a bare value (`Reply`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .security import Principal


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Passed to every handler as the keyword argument `context`."""

    principal: Principal | None  # who passed the operation's security; None when public
    request_id: str  # echoed in the response's request-id header and in every log line
    headers: Mapping[str, str]  # request headers, lower-case names (repeats joined by ", ")
    operation_id: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A response other than the operation's default: any documented status, extra headers,
    or a media type other than the documented one. A bare return value means
    `Reply(operation.default_status, value)`."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str | None = None
