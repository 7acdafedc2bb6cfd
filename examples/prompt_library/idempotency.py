"""`Idempotency-Key`: what is stored for a key and how a retry is recognized.

A key is scoped to the principal that sent it. The *fingerprint* of a request is the
SHA-256 of the canonical JSON of (operation, target resource, parsed body): a retry with
the same key and fingerprint gets the stored response back; the same key with another
fingerprint is refused with 422. Bodies are compared after parsing, so formatting, key
order and spelled-out defaults (`"variables": []`) do not make a retry look different.
Only successful responses are stored: a request that failed may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

__all__ = ["KEY_LIFETIME", "REPLAY_HEADER", "StoredResponse", "fingerprint"]

KEY_LIFETIME = timedelta(hours=24)  # the spec: "Keys expire after 24 hours."
REPLAY_HEADER = "Idempotent-Replayed"


def fingerprint(operation_id: str, target: str, body: Any) -> str:
    """A stable hash of what the request asks for; `body` is its JSON value."""
    canonical = json.dumps(
        [operation_id, target, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: Any  # the JSON value sent
    headers: Mapping[str, str] = field(default_factory=dict)
