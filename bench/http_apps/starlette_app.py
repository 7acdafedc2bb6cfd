"""Raw Starlette, no validation: parse the JSON body, answer the JSON reply."""

from __future__ import annotations

from common import PATH_TEMPLATE, accepted
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def create_order(request: Request) -> JSONResponse:
    await request.json()
    dry_run = request.query_params.get("dry_run") == "true"
    return JSONResponse(accepted(request.path_params["account_id"], dry_run), status_code=201)


app = Starlette(routes=[Route(PATH_TEMPLATE, create_order, methods=["POST"])])
