"""The intermediate model: what an API *is*, independent of how any stage renders it.

Built once from a loaded document (`build_api`); generate (and later mock, diff and the
contract checks) read this, never the raw document. Frozen dataclasses, no rendering, no I/O.
Schemas stay JSON (pointers into the bundled document) - turning them into types is a
renderer's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The runtime's operation types are the model's (one set): a parameter, body and response
# are described once, as `toolkit.runtime.operation` takes them, with what only the build
# side needs (resolved schemas, descriptions, component names) beside them.
from toolkit.runtime.operation import Body, Operation, Param, Requirement, Response


@dataclass(frozen=True, slots=True)
class ParamModel:
    param: Param  # what the runtime is given, verbatim in app.py
    schema: Any  # the resolved schema (for types and defaults), or None
    description: str


@dataclass(frozen=True, slots=True)
class BodyModel:
    body: Body  # what the runtime is given; its `model` is filled in by generate
    schema: Any
    component: str | None  # name under components/schemas when the schema is a plain $ref


@dataclass(frozen=True, slots=True)
class ResponseModel:
    response: Response  # what the runtime is given, verbatim in app.py
    description: str
    schema: Any
    component: str | None


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
        return tuple(r for r in self.responses if r.response.status.startswith("2"))

    @property
    def default_status(self) -> int:
        for model in self.success:
            if model.response.status.isdigit():
                return int(model.response.status)
        return 200

    def runtime(self) -> Operation:
        """The runtime's `Operation` for this operation, untyped: parameters and bodies reach
        the handler as validated JSON values (what `ctk mock` serves; app.py adds types)."""
        return Operation(
            id=self.operation_id,
            method=self.method.upper(),
            path=self.path,
            handler=self.handler,
            params=tuple(p.param for p in self.params),
            body=None if self.body is None else self.body.body,
            responses=tuple(r.response for r in self.responses),
            security=self.security,
            default_status=self.default_status,
            tags=self.tags,
        )


@dataclass(frozen=True, slots=True)
class ApiModel:
    title: str
    version: str
    openapi: str
    operations: tuple[OperationModel, ...]
    schema_names: tuple[str, ...]  # components/schemas, in document order
