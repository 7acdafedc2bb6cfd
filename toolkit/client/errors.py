"""What a generated client raises: one root, `ApiError` for documented (and undocumented)
error answers carrying the parsed body, `TransportError` when no answer came."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ClientError(Exception):
    """Root of everything a generated client raises: callers never handle httpx or pydantic
    exceptions."""


class TransportError(ClientError):
    """No usable answer: the connection failed or timed out (after the retries allowed)."""

    def __init__(self, message: str, *, attempts: int, timeout: bool = False) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.timeout = timeout


class ApiError(ClientError):
    """An error answer. `body` is the parsed document the operation documents for the
    status (a model, e.g. RFC 9457 problem details), else the decoded JSON or text;
    `documented` says whether the spec documents this status for the operation."""

    def __init__(
        self,
        operation: str,
        status: int,
        body: Any,
        headers: Mapping[str, str],
        *,
        documented: bool,
        attempts: int = 1,
    ) -> None:
        self.operation = operation
        self.status = status
        self.body = body
        self.headers = dict(headers)
        self.documented = documented
        self.attempts = attempts
        super().__init__(f"{operation} answered {status}{_detail(body)}")

    @property
    def problem(self) -> Mapping[str, Any]:
        """The body as a mapping (a model's fields by alias), for title/detail/errors."""
        dump = getattr(self.body, "model_dump", None)
        if callable(dump):
            found = dump(mode="json", by_alias=True)
            return found if isinstance(found, dict) else {}
        return self.body if isinstance(self.body, dict) else {}


class BadRequestError(ApiError):  # 400 and 422: the request breaks the contract
    pass


class UnauthorizedError(ApiError):  # 401
    pass


class ForbiddenError(ApiError):  # 403
    pass


class NotFoundError(ApiError):  # 404
    pass


class ConflictError(ApiError):  # 409 and 412: the state is not what the request assumed
    pass


class RateLimitedError(ApiError):  # 429, after the retries allowed
    pass


class ServerError(ApiError):  # 5xx, after the retries allowed
    pass


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    422: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: ConflictError,
    429: RateLimitedError,
}


def error_class(status: int) -> type[ApiError]:
    return _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)


def _detail(body: Any) -> str:
    dump = getattr(body, "model_dump", None)
    found = dump() if callable(dump) else body
    if isinstance(found, dict):
        text = found.get("detail") or found.get("title") or found.get("message")
        if isinstance(text, str) and text:
            return f": {text[:300]}"
    return ""
