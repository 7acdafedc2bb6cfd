"""What every benchmark app shares: the files, the request, the answer.

The app modules of this folder are imported as top-level modules (uvicorn's `--app-dir`
puts this folder on `sys.path`), each in the venv that has its framework.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPEC = HERE / "spec.yaml"
ORDER = HERE / "order.json"  # the valid 20-field body
# Where bench/http_overhead.py generates the `bench_orders` package (never under bench/).
GEN_DIR = Path(os.environ.get("BENCH_GEN_DIR", "/tmp/bench-gen"))

ACCOUNT = "acc_1a2b3c4d"
PATH_TEMPLATE = "/accounts/{account_id}/orders"
ACCOUNT_PATTERN = "^acc_[a-z0-9]{8}$"
PATH = PATH_TEMPLATE.format(account_id=ACCOUNT)
QUERY = "dry_run=false"
ORDER_ID = "ord_0000000001"
ORIGIN = "https://app.example"  # every request carries it, as a browser's would (post.lua too)


def payload() -> bytes:
    return ORDER.read_bytes()


def invalid_payload() -> bytes:
    """The valid body with a quantity below its minimum and a malformed SKU."""
    body = json.loads(ORDER.read_bytes())
    body["quantity"] = 0
    body["sku"] = "abc"
    return json.dumps(body).encode()


def _changed(**changes: Any) -> bytes:
    body = json.loads(ORDER.read_bytes())
    body.update(changes)
    return json.dumps(body).encode()


def cases() -> dict[str, tuple[str, str, bytes]]:
    """Invalid requests, one broken constraint each: name -> (path, query, body). Shows what
    each app checks (bench/http_overhead.py prints the status each one gets)."""
    address = json.loads(ORDER.read_bytes())["shipping_address"]
    return {
        "minimum": (PATH, QUERY, _changed(quantity=0)),
        "pattern": (PATH, QUERY, _changed(sku="abc")),
        "enum": (PATH, QUERY, _changed(currency="XXX")),
        "date-time": (PATH, QUERY, _changed(requested_at="yesterday")),
        "uniqueItems": (PATH, QUERY, _changed(tags=["a", "a"])),
        "additionalProperties": (PATH, QUERY, _changed(surprise=1)),
        "nested": (PATH, QUERY, _changed(shipping_address={**address, "postal_code": "ABCDE"})),
        "required": (PATH, QUERY, json.dumps({"sku": "ABC-1234"}).encode()),
        "path param": (PATH.replace(ACCOUNT, "nobody"), QUERY, payload()),
        "query param": (PATH, "dry_run=maybe", payload()),
        "malformed JSON": (PATH, QUERY, b'{"sku": '),
    }


def accepted(account_id: str, dry_run: bool) -> dict[str, Any]:
    """The 201 body every app answers."""
    return {"id": ORDER_ID, "account_id": account_id, "status": "accepted", "dry_run": dry_run}


def load_spec() -> dict[str, Any]:
    import yaml

    with SPEC.open("rb") as file:
        spec: dict[str, Any] = yaml.safe_load(file)
    return spec
