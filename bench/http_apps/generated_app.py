"""The generated app: `ctk generate bench/http_apps/spec.yaml --out $BENCH_GEN_DIR/bench_orders`
(bench/http_overhead.py runs it first), a trivial service, `create_app`.

`app` runs with the default settings (metrics on, access log on a logger with no handler,
responses not validated); `app_resp` with `validate_responses=True`; `app_prod` as a
deployment runs it: CORS for the bench's Origin, a rate limit per client (high enough never
to refuse the benchmark: the cost measured is the bucket's), and the JSON access log
written (to /dev/null) rather than dropped.
"""

from __future__ import annotations

import logging
import os
import sys

from common import GEN_DIR, ORDER_ID, ORIGIN

sys.path.insert(0, str(GEN_DIR))

from bench_orders import create_app, models

from toolkit.runtime import CorsPolicy, Limit, RateLimits, RequestContext, Settings


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
            id=ORDER_ID,
            account_id=account_id,
            status=models.OrderAcceptedStatus.accepted,
            dry_run=dry_run,
        )


app = create_app(Orders())
app_resp = create_app(Orders(), settings=Settings(validate_responses=True))


def _access_log_to_devnull() -> str:
    name = "bench.access"
    handler = logging.FileHandler(os.devnull)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return name


app_prod = create_app(
    Orders(),
    settings=Settings(
        cors=CorsPolicy(origins=(ORIGIN,)),
        rate_limits=RateLimits(default=Limit(100_000_000, 60)),
        logger_name=_access_log_to_devnull(),
    ),
)
