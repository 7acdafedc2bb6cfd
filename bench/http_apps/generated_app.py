"""The generated app: `ctk generate bench/http_apps/spec.yaml --out $BENCH_GEN_DIR/bench_orders`
(bench/http_overhead.py runs it first), a trivial service, `create_app`.

`app` runs with the default settings (metrics on, access log on a logger with no handler,
responses not validated); `app_resp` with `validate_responses=True`.
"""

from __future__ import annotations

import sys

from common import GEN_DIR, ORDER_ID

sys.path.insert(0, str(GEN_DIR))

from bench_orders import create_app, models

from toolkit.runtime import RequestContext, Settings


class Orders:
    async def create_order(
        self,
        *,
        account_id: str,
        dry_run: bool = False,
        body: models.OrderCreate,
        context: RequestContext,
    ) -> models.OrderAccepted:
        return models.OrderAccepted(
            id=ORDER_ID, account_id=account_id, status=models.Status.accepted, dry_run=dry_run
        )


app = create_app(Orders())
app_resp = create_app(Orders(), settings=Settings(validate_responses=True))
