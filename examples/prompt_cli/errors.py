"""Failures a caller can act on, mapped from the generated client's errors and the problem
documents (RFC 9457) they carry.

`ProblemError` carries the HTTP status and the problem's `type`, `title` and `detail`; the
statuses a caller typically branches on have their own subclasses (401 fix the credentials,
404 the prompt is gone, 412 read the prompt again and retry).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import ClassVar

from toolkit.client import ApiError

__all__ = [
    "InvalidRequestError",
    "NotFoundError",
    "PreconditionFailedError",
    "ProblemError",
    "PromptClientError",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UnreachableError",
    "problem_from",
]


class PromptClientError(Exception):
    """The root of everything `PromptClient` raises."""


class UnreachableError(PromptClientError):
    """No response: the connection failed or timed out."""


class InvalidRequestError(PromptClientError):
    """The request breaks the spec (a name the pattern refuses, say): nothing was sent."""


class UnexpectedResponseError(PromptClientError):
    """A response this client cannot read (an undocumented status, a malformed body)."""


class ProblemError(PromptClientError):
    """The service refused the request and said why."""

    status_code: ClassVar[int | None] = None  # the status a subclass stands for

    def __init__(
        self, status: int, title: str, *, type: str = "about:blank", detail: str | None = None
    ) -> None:
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else ""))


class UnauthorizedError(ProblemError):
    status_code = 401


class NotFoundError(ProblemError):
    status_code = 404


class PreconditionFailedError(ProblemError):
    status_code = 412


_BY_STATUS: dict[int, type[ProblemError]] = {
    cls.status_code: cls
    for cls in (UnauthorizedError, NotFoundError, PreconditionFailedError)
    if cls.status_code is not None
}


def problem_from(error: ApiError) -> ProblemError:
    """The error for a failed response. The HTTP status is authoritative (RFC 9457 §3.1.4);
    a body that is not a problem document still gives an error titled by the reason phrase."""
    document = error.problem
    title = document.get("title")
    kind = document.get("type")
    detail = document.get("detail")
    return _BY_STATUS.get(error.status, ProblemError)(
        error.status,
        title if isinstance(title, str) else HTTPStatus(error.status).phrase,
        type=kind if isinstance(kind, str) else "about:blank",
        detail=detail if isinstance(detail, str) else None,
    )
