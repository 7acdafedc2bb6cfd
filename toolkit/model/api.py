"""The intermediate model: what an API *is*, independent of how any stage renders it.

Built once from a loaded document (`build_api`); generate (and later mock, diff and the
contract checks) read this, never the raw document. Frozen dataclasses, no rendering, no I/O.
Schemas stay JSON (pointers into the bundled document) - turning them into types is a
renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ParamLocation = Literal["path", "query", "header", "cookie"]
# One alternative of a security requirement: (scheme name, required scopes) pairs, all needed.
# (The same shapes as toolkit.runtime.operation; the model does not import the runtime.)
Requirement = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class ParamModel:
    name: str
    arg: str  # unique Python identifier within the operation
    location: ParamLocation
    required: bool
    schema_pointer: str | None
    schema: Any  # the resolved schema (for types and defaults), or None
    style: str
    explode: bool | None
    description: str
    # The JSON media type when described by `content` instead of `schema` (the raw value is
    # JSON text); None for style serialization.
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class BodyModel:
    required: bool
    media_types: tuple[str, ...]
    schema_pointer: str | None  # of the JSON media type's schema
    schema: Any
    component: str | None  # name under components/schemas when the schema is a plain $ref


@dataclass(frozen=True, slots=True)
class ResponseModel:
    status: str
    description: str
    media_types: tuple[str, ...]
    schema_pointer: str | None
    schema: Any
    component: str | None
    required_headers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OperationModel:
    operation_id: str
    handler: str  # unique Python method name
    method: str  # lower case
    path: str
    summary: str
    description: str
    deprecated: bool
    tags: tuple[str, ...]
    params: tuple[ParamModel, ...]
    body: BodyModel | None
    responses: tuple[ResponseModel, ...]
    security: tuple[Requirement, ...] | None
    pointer: str

    @property
    def success(self) -> tuple[ResponseModel, ...]:
        return tuple(r for r in self.responses if r.status.startswith("2"))

    @property
    def default_status(self) -> int:
        for response in self.success:
            if response.status.isdigit():
                return int(response.status)
        return 200


@dataclass(frozen=True, slots=True)
class ApiModel:
    title: str
    version: str
    openapi: str
    operations: tuple[OperationModel, ...]
    schema_names: tuple[str, ...]  # components/schemas, in document order
