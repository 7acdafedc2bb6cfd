"""The problem documents this service answers with (RFC 9457), typed as the spec documents."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.runtime import HTTPProblem

from .template import FieldError

__all__ = [
    "PROBLEM_BASE",
    "SEMANTIC_TYPES",
    "busy",
    "idempotency_key_reused",
    "invalid_cursor",
    "name_taken",
    "not_found",
    "precondition_failed",
    "validation_failed",
]

PROBLEM_BASE = "https://prompts.example.com/problems/"
NOT_FOUND = PROBLEM_BASE + "not-found"
NAME_TAKEN = PROBLEM_BASE + "name-taken"
PRECONDITION_FAILED = PROBLEM_BASE + "precondition-failed"
VALIDATION_ERROR = PROBLEM_BASE + "validation-error"
IDEMPOTENCY_KEY_REUSED = PROBLEM_BASE + "idempotency-key-reused"
INVALID_CURSOR = PROBLEM_BASE + "invalid-cursor"
BUSY = PROBLEM_BASE + "busy"

# Refusals of schema-valid requests: what the request means clashes with the stored state.
SEMANTIC_TYPES = frozenset(
    {
        NOT_FOUND,
        NAME_TAKEN,
        PRECONDITION_FAILED,
        VALIDATION_ERROR,
        IDEMPOTENCY_KEY_REUSED,
        INVALID_CURSOR,
    }
)


def busy(retry_after: int = 1) -> HTTPProblem:
    """A write that waited longer than the database's lock timeout: nothing changed, retry."""
    seconds = "second" if retry_after == 1 else "seconds"
    return HTTPProblem(
        503,
        "Service unavailable",
        f"The store is busy; retry in {retry_after} {seconds}.",
        type=BUSY,
        headers={"Retry-After": str(retry_after)},
    )


def not_found(detail: str) -> HTTPProblem:
    return HTTPProblem(404, "Not found", detail, type=NOT_FOUND)


def name_taken(name: str) -> HTTPProblem:
    detail = f"A prompt named {name!r} already exists."
    return HTTPProblem(409, "Prompt name already in use", detail, type=NAME_TAKEN)


def precondition_failed(current_etag: str) -> HTTPProblem:
    return HTTPProblem(
        412,
        "Precondition failed",
        "The prompt was modified since it was read (If-Match does not match its ETag); "
        "fetch it again and retry.",
        type=PRECONDITION_FAILED,
        headers={"ETag": current_etag},
    )


def validation_failed(errors: Iterable[FieldError]) -> HTTPProblem:
    items = [{"pointer": e.pointer, "detail": e.detail} for e in errors]
    noun = "problem" if len(items) == 1 else "problems"
    return HTTPProblem(
        422,
        "Validation failed",
        f"The request has {len(items)} {noun}: " + "; ".join(i["detail"] for i in items),
        type=VALIDATION_ERROR,
        errors=items,
    )


def idempotency_key_reused() -> HTTPProblem:
    return HTTPProblem(
        422,
        "Idempotency key reused",
        "The Idempotency-Key was already used with a different request.",
        type=IDEMPOTENCY_KEY_REUSED,
    )


def invalid_cursor(reason: str) -> HTTPProblem:
    return HTTPProblem(
        400,
        "Invalid cursor",
        f"The cursor is not one this listing handed out ({reason}); start again without it.",
        type=INVALID_CURSOR,
    )
