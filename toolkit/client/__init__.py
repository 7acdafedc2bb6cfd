"""What generated clients import at run time (`ctk generate --client`): httpx underneath,
the generated pydantic models for bodies, and the behaviour every client shares (timeouts,
retries with full jitter and a budget, idempotency keys, typed errors, pagination).

A leaf like `toolkit.runtime`: it imports nothing from the build-time stages.
"""

# Re-exported so a generated client imports from toolkit alone: its import block then sorts
# the same whether toolkit is first party (this repository) or third party (a user's).
from pydantic import TypeAdapter

from .base import AsyncClient, Captured, Client, Timeouts, UnexpectedResponseError
from .errors import (
    ApiError,
    BadRequestError,
    ClientError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    UnauthorizedError,
)
from .operation import Operation, Param
from .retry import RetryPolicy

__all__ = [
    "ApiError",
    "AsyncClient",
    "BadRequestError",
    "Captured",
    "Client",
    "ClientError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "Operation",
    "Param",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "Timeouts",
    "TransportError",
    "TypeAdapter",
    "UnauthorizedError",
    "UnexpectedResponseError",
]
