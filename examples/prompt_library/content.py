"""Request bodies in, representations out: what may be stored, and the JSON documents the
operations answer with (validated by the generated models on the way out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generated.prompt_library import models

from . import problems
from .records import PromptRecord, VersionRecord
from .template import Declared, FieldError, check_declarations

__all__ = [
    "declared",
    "normalize_variable",
    "prompt_json",
    "storable",
    "version_content",
    "version_json",
]


def normalize_variable(variable: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": variable["name"],
        "description": variable.get("description"),
        "required": variable.get("required", True),
        "default": variable.get("default"),
    }


def declared(variables: Iterable[Mapping[str, Any]]) -> list[Declared]:
    return [Declared(v["name"], bool(v.get("required", True)), v.get("default")) for v in variables]


def storable(data: dict[str, Any]) -> dict[str, Any]:
    """`data`, unless a string in it holds U+0000, which no backend stores alike (PostgreSQL
    refuses it): then 422, so every backend answers the same."""
    errors = list(_nul_errors(data, ""))
    if errors:
        raise problems.validation_failed(errors)
    return data


def _nul_errors(value: Any, pointer: str) -> Iterable[FieldError]:
    if isinstance(value, str) and "\x00" in value:
        yield FieldError(pointer, "must not contain the NUL character (U+0000)")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_errors(item, f"{pointer}/{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            yield from _nul_errors(item, f"{pointer}/{escaped}")


def version_content(
    template: str, variables: Iterable[Mapping[str, Any]]
) -> tuple[dict[str, Any], ...]:
    normalized = tuple(normalize_variable(v) for v in variables)
    errors = check_declarations(template, declared(normalized))
    if errors:
        raise problems.validation_failed(errors)
    return normalized


def prompt_json(record: PromptRecord) -> dict[str, Any]:
    prompt = models.Prompt.model_validate(
        {
            "id": record.id,
            "name": record.name,
            "description": record.description,
            "template": record.template,
            "variables": [normalize_variable(v) for v in record.variables],
            "tags": list(record.tags),
            "latest_version": record.latest_version,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
        }
    )
    return prompt.model_dump(mode="json")


def version_json(version: VersionRecord) -> dict[str, Any]:
    model = models.PromptVersion.model_validate(
        {
            "prompt_id": version.prompt_id,
            "version": version.version,
            "template": version.template,
            "variables": [normalize_variable(v) for v in version.variables],
            "changelog": version.changelog,
            "created_at": version.created_at,
            "created_by": version.created_by,
        }
    )
    return model.model_dump(mode="json")
