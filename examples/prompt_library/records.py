"""What the store hands out and takes in: plain records, no SQL, no HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "KeyTakenError",
    "ListFilter",
    "MetadataChanges",
    "NameTakenError",
    "PromptRecord",
    "Variables",
    "VersionRecord",
]

Variables = tuple[Mapping[str, Any], ...]  # {"name", "description", "required", "default"}


class NameTakenError(Exception):
    """Another prompt already has this name."""


class KeyTakenError(Exception):
    """A concurrent request stored a response for this idempotency key first."""


@dataclass(frozen=True, slots=True)
class PromptRecord:
    id: str
    name: str
    description: str | None
    tags: tuple[str, ...]
    latest_version: int
    revision: int
    created_at: datetime
    updated_at: datetime
    template: str  # of the latest version
    variables: Variables  # of the latest version


@dataclass(frozen=True, slots=True)
class VersionRecord:
    prompt_id: str
    version: int
    template: str
    variables: Variables
    changelog: str | None
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True, slots=True)
class ListFilter:
    tag: str | None = None
    q: str | None = None  # case-insensitive substring of name or description
    name: str | None = None


@dataclass(frozen=True, slots=True)
class MetadataChanges:
    """A merge patch of the metadata: only the fields named in `set_fields` change."""

    set_fields: frozenset[str] = field(default_factory=frozenset)
    name: str = ""
    description: str | None = None
    tags: tuple[str, ...] = ()
