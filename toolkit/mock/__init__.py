"""`ctk mock`: the generated app's runtime around an implementation made from the spec.

No second server and no generate step: the operations come from `toolkit.model`, the app
from `toolkit.runtime.build_app` (the same routing, request validation, security and RFC
9457 problems as a generated server), and the handlers answer with the spec's valid
examples or schema-generated data (`answers`, `values`); `--stateful` keeps resources in
memory (`resources`, `store`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import Diagnostic, Location, Severity, ToolkitError
from toolkit.load import Document
from toolkit.load.bundle import json_text
from toolkit.load.upgrade import bundle_as_openapi3
from toolkit.model import build_api
from toolkit.model.api import OperationModel
from toolkit.model.error_mappings import decide_mappings
from toolkit.runtime.operation import Operation

from .answers import Answers, plan
from .credentials import DEFAULT, MockCredentials, all_scopes
from .credentials import credential_headers as _headers
from .resources import Resource, infer_resources
from .service import Handler, Responder, not_mocked, service, stateless
from .store import Store, stateful_handlers
from .values import Values, schema_pointers

__all__ = [
    "DEFAULT",
    "Mock",
    "MockError",
    "MockOptions",
    "Resource",
    "build_mock",
    "credential_headers",
]


class MockError(ToolkitError):
    """The document cannot be mocked (exit 2)."""


@dataclass(frozen=True, slots=True)
class MockOptions:
    seed: int = 0
    stateful: bool = False
    credentials: tuple[str, ...] = (DEFAULT,)
    any_credential: bool = False  # Prism's behaviour: every well-formed credential
    dynamic: bool = False  # generate a fresh body per request (else `Prefer: dynamic=true`)
    cors: Any = None  # a toolkit.runtime.CorsPolicy
    access_log: bool = True


@dataclass(frozen=True, slots=True)
class Mock:
    """The ASGI app and what a user should be told about it at startup."""

    app: Any
    operations: int
    diagnostics: tuple[Diagnostic, ...]  # examples skipped, each under its lint rule
    resources: tuple[Resource, ...] = ()  # --stateful: what was inferred
    secured: tuple[str, ...] = ()  # security scheme names some operation uses
    store: Store | None = field(default=None, compare=False)
    document: Any = field(default=None, compare=False, repr=False)  # the bundled spec
    skipped: tuple[str, ...] = ()  # "GET /path" of operations whose schemas do not compile
    _values: Values | None = field(default=None, compare=False, repr=False)
    _answers: tuple[Answers, ...] = field(default=(), compare=False, repr=False)
    credential: str = DEFAULT

    def warm(self, budget: float = 10.0) -> int:
        """Generate the default bodies now rather than on first use (each costs a search),
        for at most `budget` seconds; how many were made."""
        import time

        values = self._values
        deadline = time.monotonic() + budget
        made = 0
        for answers in self._answers:
            chosen = answers.default
            if values is None or time.monotonic() > deadline:
                break
            if chosen is None or chosen.examples or chosen.schema is None or chosen.kind != "json":
                continue
            try:
                values.static(chosen.schema)
            except ToolkitError:
                continue
            made += 1
        return made


def credential_headers(mock: Mock) -> tuple[str, ...]:
    """The headers that carry the mock's first accepted credential (`ctk fuzz --mock`)."""
    return _headers(mock.document, mock.credential) if mock.secured else ()


def build_mock(document: Document, options: MockOptions | None = None) -> Mock:
    """The mock app for a loaded document; MockError when it cannot be served."""
    from toolkit.runtime import OperationError, RateLimits, Settings, build_app

    options = options or MockOptions()
    document, bundle = bundle_as_openapi3(document)  # 2.0: its 3.0 equivalent (ADR 0021)
    data = bundle.data
    api = build_api(document, bundle)

    def locate(pointer: str) -> Location:
        return document.locations([bundle.origin(pointer)])[0]

    try:
        values = Values(data, schema_pointers(data), options.seed)
    except OperationError as error:
        raise MockError(error.message, locate(_pointer(error)), hint=error.hint) from None
    diagnostics: list[Diagnostic] = []
    answers: dict[str, Answers] = {}
    served = []
    skipped = []
    unchecked: dict[str, str] = {}  # handler -> why its operation is not mocked
    for op in api.operations:
        broken = _uncompiled(op, values)
        if broken is not None:
            skipped.append(f"{op.method.upper()} {op.path}")
            unchecked[op.handler] = broken.message
            diagnostics.append(
                Diagnostic(
                    "oas-structure",
                    Severity.WARNING,
                    f"{op.method.upper()} {op.path} is not mocked: {broken.message}",
                    locate(_pointer(broken)),
                    hint="fix the schema (`ctk lint` reports it); the operation answers 501",
                )
            )
            continue
        served.append(op)
        found, problems = plan(op, data, values, locate)
        answers[op.handler] = found
        diagnostics.extend(problems)
    everything = api.operations
    api = dataclasses.replace(api, operations=tuple(served))
    responder = Responder(values, options.dynamic)
    handlers: dict[str, Handler] = {h: stateless(a, responder) for h, a in answers.items()}
    resources: tuple[Resource, ...] = ()
    store: Store | None = None
    if options.stateful:
        resources = infer_resources(api, data)
        store = Store()
        handlers = stateful_handlers(resources, answers, responder, store, values, handlers)
    decided = decide_mappings(data, (), lambda ps: [locate(p) for p in ps])
    accepted = None if options.any_credential else frozenset(options.credentials)
    settings = Settings(
        verifier=MockCredentials(accepted, all_scopes(data)),
        spec_bytes=json_text(data).encode("utf-8"),
        error_mappings={k: list(v) for k, v in decided.mappings.items()},
        rate_limits=RateLimits(enabled=False),
        cors=options.cors,
        access_log=options.access_log,
    )
    handlers |= {handler: not_mocked(reason) for handler, reason in unchecked.items()}
    operations = [
        op.runtime() if op.handler not in unchecked else _schemaless(op.runtime())
        for op in everything
    ]
    try:
        app = build_app(data, operations, service(handlers), settings)
    except OperationError as error:
        raise MockError(error.message, locate(_pointer(error)), hint=error.hint) from None
    secured = sorted({name for op in served for r in op.security or () for name, _ in r})
    return Mock(
        app,
        len(served),
        tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
        resources,
        tuple(secured),
        store,
        data,
        tuple(skipped),
        values,
        tuple(answers.values()),
        options.credentials[0] if options.credentials else DEFAULT,
    )


def _uncompiled(op: OperationModel, values: Values) -> ToolkitError | None:
    """The error of the first schema of `op` that does not compile, if any."""
    from toolkit.runtime import OperationError

    pointers = [p.param.schema for p in op.params if p.param.schema]
    if op.body is not None and op.body.body.schema:
        pointers.append(op.body.body.schema)
    pointers += [r.response.schema for r in op.responses if r.response.schema]
    for pointer in pointers:
        try:
            values.schemas.validator(pointer)
        except OperationError as error:
            return error
    return None


def _schemaless(op: Operation) -> Operation:
    """`op` with no schema to compile: routed and authenticated, never validated."""
    return dataclasses.replace(
        op,
        params=tuple(dataclasses.replace(p, schema=None) for p in op.params),
        body=None if op.body is None else dataclasses.replace(op.body, schema=None),
        responses=tuple(dataclasses.replace(r, schema=None) for r in op.responses),
    )


def _pointer(error: ToolkitError) -> str:
    return error.location.pointer if error.location else ""
