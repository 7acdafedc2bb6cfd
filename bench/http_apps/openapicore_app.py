"""Starlette + openapi-core's validation middleware (`StarletteOpenAPIMiddleware`) over the
same spec: the handler reads the unmarshalled parameters and body from `scope["openapi"]`.

`app` validates requests only (like the generated app's defaults); `app_resp` also validates
responses (the middleware's default). `application/problem+json` gets the JSON deserializer.
Runs in its own venv (openapi-core 0.23, starlette, uvicorn[standard], aioitertools).
"""

from __future__ import annotations

from typing import Any

from common import PATH_TEMPLATE, accepted, load_spec
from openapi_core import Config, OpenAPI
from openapi_core.contrib.starlette.middlewares import StarletteOpenAPIMiddleware
from openapi_core.deserializing.media_types.util import json_loads
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

OPENAPI = OpenAPI.from_dict(
    load_spec(),
    config=Config(extra_media_type_deserializers={"application/problem+json": json_loads}),
)


async def create_order(request: Request) -> JSONResponse:
    result = request.scope["openapi"]
    params = result.parameters
    return JSONResponse(
        accepted(params.path["account_id"], params.query.get("dry_run", False)), status_code=201
    )


def _app(**middleware: Any) -> Starlette:
    return Starlette(
        routes=[Route(PATH_TEMPLATE, create_order, methods=["POST"])],
        middleware=[Middleware(StarletteOpenAPIMiddleware, openapi=OPENAPI, **middleware)],
    )


app = _app(response_cls=None)
app_resp = _app()
