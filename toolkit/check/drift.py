"""Drift: does the running implementation expose exactly the operations the spec declares?

Two sources of evidence, each kept honest about what it can see:
- the app's own route table, read from the object (the runtime's `App.operations()`,
  Starlette/FastAPI `routes` with their mounts, wrappers' `app`/`inner`): routes the spec
  lacks and operations it does not route;
- probes of the live server on loopback: every spec operation is called once (405 or 501
  is drift whatever the app is; a 404 exactly like an unknown path's counts only when the
  route table could not be read), and every method a spec path does not declare is tried
  (an answer other than 404/405/501, or 401/403 which a gate may give before routing,
  means the app serves it).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import Location

METHODS = ("get", "put", "post", "delete", "patch")
# what frameworks serve beside the API: not drift
INFRASTRUCTURE = frozenset(
    {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/healthz", "/readyz", "/metrics"}
)
_PARAM = re.compile(r"\{[^}]*\}")
_VOLATILE = ("instance", "request_id", "requestId", "trace_id", "traceId", "timestamp")
PROBE_VALUE = "ctk-drift-probe"


@dataclass(frozen=True, slots=True)
class DriftItem:
    kind: str  # "undeclared-route" | "unserved-operation" | "undeclared-method"
    method: str
    path: str
    evidence: str
    location: Location | None = None


@dataclass(slots=True)
class Drift:
    operations: int  # declared by the spec
    routes: int | None  # in the app's route table; None when it could not be read
    table_note: str  # how the route table was read, or why not
    probes: int = 0
    items: list[DriftItem] = field(default_factory=list)
    served: set[tuple[str, str]] = field(default_factory=set)  # spec operations found fine


def shape(template: str) -> str:
    """A path template with its parameter names (and Starlette converters) dropped."""
    return _PARAM.sub("{}", template.rstrip("/") or "/")


def route_table(app: Any) -> tuple[set[tuple[str, str]] | None, str]:
    """(METHOD, template) pairs the app routes, with what read them; None when nothing in
    the object graph lists routes (an opaque ASGI callable)."""
    found: set[tuple[str, str]] = set()
    readers: list[str] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(app, "")]
    while stack:
        node, prefix = stack.pop()
        if id(node) in seen or node is None:
            continue
        seen.add(id(node))
        operations = getattr(node, "operations", None)
        if callable(operations) and type(node).__module__.startswith("toolkit.runtime"):
            found.update((m.upper(), prefix + t) for m, t in operations())
            readers.append("the runtime's route table")
            continue
        routes = getattr(node, "routes", None)
        if isinstance(routes, Iterable) and not isinstance(routes, str | bytes | Mapping):
            readers.append(f"{type(node).__name__}.routes")
            for route in list(routes):
                path = getattr(route, "path", None)
                methods = getattr(route, "methods", None)
                if not isinstance(path, str):
                    continue
                if methods:
                    found.update((str(m).upper(), prefix + path) for m in methods)
                else:  # a Mount: its own app or routes below the prefix
                    stack.append((getattr(route, "app", None), prefix + path.rstrip("/")))
            continue
        for attribute in ("app", "inner", "wrapped", "application"):
            stack.append((getattr(node, attribute, None), prefix))
    if not readers:
        return None, f"{type(app).__name__} lists no routes: probed the spec's operations only"
    return found, " and ".join(dict.fromkeys(readers))


def declared(document: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """(METHOD, template) → JSON pointer of every operation the spec declares."""
    found: dict[tuple[str, str], str] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in item:
            if method in METHODS or method in ("head", "options", "trace"):
                escaped = path.replace("~", "~0").replace("/", "~1")
                found[(method.upper(), path)] = f"/paths/{escaped}/{method}"
    return found


def compare_tables(
    spec: Mapping[tuple[str, str], str], served: set[tuple[str, str]]
) -> list[DriftItem]:
    """Routes the spec lacks, and spec operations the app does not route."""
    spec_shapes = {(m, shape(p)) for m, p in spec}
    served_shapes = {(m, shape(p)) for m, p in served}
    items = [
        DriftItem(
            "undeclared-route",
            method,
            path,
            "in the app's route table, not in the spec",
        )
        for method, path in sorted(served)
        if method not in ("HEAD", "OPTIONS")
        and path.rstrip("/") not in INFRASTRUCTURE
        and (method, shape(path)) not in spec_shapes
    ]
    items += [
        DriftItem(
            "unserved-operation", method, path, "declared by the spec, not in the app's route table"
        )
        for method, path in sorted(spec)
        if (method, shape(path)) not in served_shapes and method not in ("HEAD", "OPTIONS")
    ]
    return items


def probe(
    base: str,
    spec: Mapping[tuple[str, str], str],
    headers: Mapping[str, str],
    *,
    table_known: bool,
    timeout: float = 10.0,
) -> tuple[int, list[DriftItem]]:
    """Call every spec operation once and every undeclared method of each spec path."""
    unknown = _fingerprint(
        *call(base, "GET", f"/{PROBE_VALUE}/no-such-route", headers, timeout),
        f"/{PROBE_VALUE}/no-such-route",
    )
    items: list[DriftItem] = []
    probes = 1
    paths: dict[str, set[str]] = {}
    for method, path in spec:
        paths.setdefault(path, set()).add(method)
    for method, path in sorted(spec):
        concrete = _PARAM.sub(PROBE_VALUE, path)
        status, media, body = call(base, method, concrete, headers, timeout)
        probes += 1
        if status in (405, 501):
            items.append(
                DriftItem(
                    "unserved-operation", method, path, f"{method} {concrete} answered {status}"
                )
            )
        elif (
            status == 404
            and not table_known
            and _fingerprint(status, media, body, concrete) == unknown
        ):
            items.append(
                DriftItem(
                    "unserved-operation",
                    method,
                    path,
                    f"{method} {concrete} answered 404 exactly as an unknown path does",
                )
            )
    for path, methods in sorted(paths.items()):
        concrete = _PARAM.sub(PROBE_VALUE, path)
        for method in (m.upper() for m in METHODS):
            if method in methods:
                continue
            status, _, _ = call(base, method, concrete, headers, timeout)
            probes += 1
            if status not in (404, 405, 501, 401, 403) and status < 500:
                items.append(
                    DriftItem(
                        "undeclared-method",
                        method,
                        path,
                        f"{method} {concrete} answered {status}; the spec declares "
                        f"{', '.join(sorted(methods))} only",
                    )
                )
    return probes, items


def call(
    base: str, method: str, path: str, headers: Mapping[str, str], timeout: float
) -> tuple[int, str, bytes]:
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    request = urllib.request.Request(  # noqa: S310 - a loopback URL ctk started itself
        base + path, data=body, method=method, headers=dict(headers)
    )
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def _fingerprint(status: int, media: str, body: bytes, path: str) -> tuple[int, str, str]:
    """A 404 as an unknown path gives it, with what varies per request taken out."""
    text = body.decode("utf-8", "replace").replace(path, "<path>")
    try:
        data = json.loads(text)
    except ValueError:
        return status, media, text
    if isinstance(data, dict):
        for key in _VOLATILE:
            data.pop(key, None)
    return status, media, json.dumps(data, sort_keys=True)
