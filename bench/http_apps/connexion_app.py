"""Connexion 3 `AsyncApp` over the same spec, one handler function.

Connexion 3.3 reads OpenAPI 3.0 only, so the spec is served as 3.0.3: it uses no keyword
whose meaning differs between 3.0 (Draft 4) and 3.1 (2020-12). Responses are not validated
(Connexion's default). Runs in its own venv (connexion[swagger-ui,uvicorn] 3.3,
uvicorn[standard], rfc3339-validator so `format: date-time` is checked as by the others).
"""

from __future__ import annotations

from typing import Any

from common import accepted, load_spec
from connexion import AsyncApp
from connexion.resolver import Resolver

JSON = {"Content-Type": "application/json"}  # the operation has two media types: name one


async def create_order(
    account_id: str, body: dict[str, Any], dry_run: bool = False
) -> tuple[dict[str, Any], int, dict[str, str]]:
    return accepted(account_id, dry_run), 201, JSON


def _spec() -> dict[str, Any]:
    spec = load_spec()
    spec["openapi"] = "3.0.3"
    return spec


app = AsyncApp(__name__)
app.add_api(_spec(), resolver=Resolver(lambda _operation_id: create_order))
