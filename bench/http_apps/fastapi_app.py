"""A hand-written FastAPI app for the same endpoint with the generated pydantic models
(`bench_orders.models`): typed path and query parameters, the body model, `-> OrderAccepted`
(FastAPI checks the reply against it, its default)."""

from __future__ import annotations

import sys
from typing import Annotated

from common import ACCOUNT_PATTERN, GEN_DIR, ORDER_ID, PATH_TEMPLATE
from fastapi import FastAPI, Path

sys.path.insert(0, str(GEN_DIR))

from bench_orders import models

app = FastAPI(title="Bench Orders")


@app.post(PATH_TEMPLATE, status_code=201)
async def create_order(
    account_id: Annotated[str, Path(pattern=ACCOUNT_PATTERN)],
    body: models.OrderCreate,
    dry_run: bool = False,
) -> models.OrderAccepted:
    return models.OrderAccepted(
        id=ORDER_ID,
        account_id=account_id,
        status=models.OrderAcceptedStatus.accepted,
        dry_run=dry_run,
    )
