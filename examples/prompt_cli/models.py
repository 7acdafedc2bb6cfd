"""What the client reads from the API, typed.

Representations are frozen pydantic models that keep only the members this client uses and
ignore the rest, so the service may add fields without breaking it. Members the client can
do without have defaults: the pact records what the client needs, not all the service sends.
The results of calls that also read headers (ETag, Location, Idempotent-Replayed) are frozen
dataclasses around a `Prompt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["CreatedPrompt", "Prompt", "PromptPage", "Variable", "VersionedPrompt"]


class _Representation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Variable(_Representation):
    """A placeholder `{{name}}` a template declares; also what `create_prompt` sends."""

    name: str
    description: str | None = None
    required: bool = True  # the spec's default
    default: str | None = None


class Prompt(_Representation):
    """A prompt with the content of its latest version."""

    id: str
    name: str
    description: str | None = None
    template: str
    variables: tuple[Variable, ...] = ()
    tags: tuple[str, ...] = ()
    latest_version: int
    created_at: datetime
    updated_at: datetime


class PromptPage(_Representation):
    """One page of `GET /prompts`; `next_cursor` is `None` on the last page."""

    items: tuple[Prompt, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class VersionedPrompt:
    """A prompt and its `ETag`, the value to send back in `If-Match`."""

    prompt: Prompt
    etag: str


@dataclass(frozen=True, slots=True)
class CreatedPrompt:
    """The answer to a create: `replayed` when the service returned the stored response of
    an earlier request with the same `Idempotency-Key` instead of creating another prompt."""

    prompt: Prompt
    etag: str
    location: str
    replayed: bool
