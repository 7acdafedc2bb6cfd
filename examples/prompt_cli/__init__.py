"""`prompt-cli`: a small command-line client of the Prompt Library API
(`specs/prompt-library.yaml`).

It is the consumer in the project's consumer-driven contract: its pact tests
(`tests/integration/prompt_cli`) record what it asks of the service and what it reads back
into `contracts/prompt-cli-prompt-library.json`, which the provider is then verified against.
Run it with `python -m examples.prompt_cli --help`.
"""

from __future__ import annotations

from .client import PromptClient
from .errors import (
    InvalidRequestError,
    NotFoundError,
    PreconditionFailedError,
    ProblemError,
    PromptClientError,
    UnauthorizedError,
    UnexpectedResponseError,
    UnreachableError,
)
from .models import CreatedPrompt, Prompt, PromptPage, Variable, VersionedPrompt

__all__ = [
    "CreatedPrompt",
    "InvalidRequestError",
    "NotFoundError",
    "PreconditionFailedError",
    "ProblemError",
    "Prompt",
    "PromptClient",
    "PromptClientError",
    "PromptPage",
    "UnauthorizedError",
    "UnexpectedResponseError",
    "UnreachableError",
    "Variable",
    "VersionedPrompt",
]
