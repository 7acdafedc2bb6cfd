"""What the client reads from the API, typed.

Representations are the models `ctk generate` made from the spec
(`generated/prompt_library/models.py`), so a field the spec changes is a type error here, not
a surprise at run time; the client reads them tolerantly (members a newer service adds are
dropped, see `toolkit.client`). The results of calls that also read headers (ETag, Location,
Idempotent-Replayed) are frozen dataclasses around a `Prompt`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generated.prompt_library.models import Prompt, PromptPage, Variable

__all__ = ["CreatedPrompt", "Prompt", "PromptPage", "Variable", "VersionedPrompt"]


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
