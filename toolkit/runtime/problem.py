"""RFC 9457 problem details: `HTTPProblem` (raised by handlers and by the runtime) and its
`application/problem+json` rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson

from ._asgi import Raw

PROBLEM_JSON = "application/problem+json"
_CONTENT_TYPE = (b"content-type", PROBLEM_JSON.encode())
_CORE = frozenset({"type", "title", "status", "detail", "instance", "request_id", "errors"})


def reason(status: int) -> str:
    """The standard reason phrase (`Unprocessable Content`), or `HTTP 599` for unknown codes."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class HTTPProblem(Exception):  # noqa: N818 - the name generated code and users know
    """Raise from a handler to answer with a problem+json document (RFC 9457).

    `errors` is a list of `{"pointer": ..., "detail": ...}` items, one per bad field;
    `extensions` become extra members of the document (they never replace the core ones).
    """

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        *,
        type: str = "about:blank",
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        **extensions: Any,
    ) -> None:
        if not 400 <= status <= 599:
            raise ValueError(f"a problem needs a 4xx or 5xx status, not {status}")
        self.status = status
        self.title = title or reason(status)
        self.detail = detail
        self.type = type
        self.headers = dict(headers or {})
        self.errors = list(errors or [])
        self.extensions = extensions
        super().__init__(status, self.title, detail)

    def __str__(self) -> str:
        return f"{self.status} {self.title}" + (f": {self.detail}" if self.detail else "")

    def with_status(self, status: int) -> HTTPProblem:
        """The same problem answered with another status (a default title follows it)."""
        title = None if self.title == reason(self.status) else self.title
        return HTTPProblem(
            status,
            title,
            self.detail,
            type=self.type,
            headers=self.headers,
            errors=self.errors,
            **self.extensions,
        )

    def with_headers(self, headers: Mapping[str, str]) -> HTTPProblem:
        """The same problem with more response headers (a handler's instance is left as is:
        it may be raised again)."""
        title = None if self.title == reason(self.status) else self.title
        return HTTPProblem(
            self.status,
            title,
            self.detail,
            type=self.type,
            headers={**headers, **self.headers},
            errors=self.errors,
            **self.extensions,
        )

    def document(self, instance: str, request_id: str) -> dict[str, Any]:
        """The JSON members, in the RFC's order, plus `request_id` and any `errors`."""
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail if self.detail is not None else self.title,
            "instance": instance,
            "request_id": request_id,
        }
        if self.errors:
            body["errors"] = self.errors
        for key, value in self.extensions.items():
            if key not in _CORE:
                body[key] = value
        return body

    def render(self, instance: str, request_id: str) -> Raw:
        body = orjson.dumps(self.document(instance, request_id), default=str)
        headers = [_CONTENT_TYPE]
        headers.extend(
            (k.lower().encode("latin-1", "replace"), v.encode("latin-1", "replace"))
            for k, v in self.headers.items()
        )
        return self.status, headers, body
