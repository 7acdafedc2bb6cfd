"""The routes every app has besides the document's: /healthz, /readyz, /metrics,
/openapi.json and /docs (Swagger UI from the swagger-ui-bundle package's files, so it works
offline; no CDN). They are looked up only when no document path matches, so the document
always wins."""

from __future__ import annotations

import importlib.resources
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from ._asgi import Raw
from ._observe import Observer
from .problem import HTTPProblem
from .settings import Settings

_log = logging.getLogger("ctk.runtime")
Builtin = Callable[[], Awaitable[Raw]]
_JSON = (b"content-type", b"application/json")
_NO_STORE = (b"cache-control", b"no-store")
_ASSETS = {
    "swagger-ui.css": b"text/css; charset=utf-8",
    "swagger-ui-bundle.js": b"text/javascript; charset=utf-8",
    "favicon-32x32.png": b"image/png",
}
# Relative URLs, so the page also works behind a proxy that mounts the app under a prefix.
_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>API docs</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
"""
_INIT = b"""window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout"
});
"""


def _static(content_type: bytes, body: bytes, cache: bool = False) -> Builtin:
    headers = [(b"content-type", content_type)]
    headers.append((b"cache-control", b"public, max-age=86400") if cache else _NO_STORE)

    async def serve() -> Raw:
        return 200, list(headers), body

    return serve


def _redirect(location: bytes) -> Builtin:
    """308 to `location` (relative, so the app may be mounted under any prefix)."""

    async def serve() -> Raw:
        return 308, [(b"location", location), _NO_STORE], b""

    return serve


def _asset(name: str, content_type: bytes) -> Builtin:
    loaded: list[bytes] = []

    async def serve() -> Raw:
        if not loaded:
            try:
                folder: Any = importlib.resources.files("swagger_ui_bundle")
                folder = next(p for p in folder.joinpath("vendor").iterdir() if p.is_dir())
                loaded.append(folder.joinpath(name).read_bytes())
            except (ModuleNotFoundError, StopIteration, OSError):
                raise HTTPProblem(
                    404, detail="API docs need the swagger-ui-bundle package installed"
                ) from None
        headers = [(b"content-type", content_type), (b"cache-control", b"public, max-age=86400")]
        return 200, headers, loaded[0]

    return serve


def builtins(document: Any, settings: Settings, observer: Observer) -> dict[str, Builtin]:
    routes: dict[str, Builtin] = {
        "/healthz": _static(b"application/json", b'{"status":"ok"}'),
        "/openapi.json": _static(
            b"application/json",
            settings.spec_bytes if settings.spec_bytes is not None else orjson.dumps(document),
        ),
    }
    ready = settings.ready

    async def readyz() -> Raw:
        ok = True
        if ready is not None:
            try:
                ok = bool(await ready())
            except Exception:
                _log.exception("the readiness check failed")
                ok = False
        body = b'{"status":"ready"}' if ok else b'{"status":"unavailable"}'
        return (200 if ok else 503), [_JSON, _NO_STORE], body

    routes["/readyz"] = readyz
    registry = observer.registry
    if registry is not None:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        async def metrics() -> Raw:
            headers = [(b"content-type", CONTENT_TYPE_LATEST.encode()), _NO_STORE]
            return 200, headers, generate_latest(registry)

        routes["/metrics"] = metrics
    if settings.docs:
        routes["/docs"] = _static(b"text/html; charset=utf-8", _PAGE)
        # the page's relative links need `/docs`: from `/docs/` they would miss
        routes["/docs/"] = _redirect(b"../docs")
        routes["/docs/init.js"] = _static(b"text/javascript; charset=utf-8", _INIT, cache=True)
        for name, content_type in _ASSETS.items():
            routes["/docs/" + name] = _asset(name, content_type)
    return routes
