"""When a client sends a request again: exponential backoff with full jitter, `Retry-After`
honoured on 429 and 503, and a retry budget so a failing service is not hit harder.

Full jitter (sleep a uniform time in [0, min(cap, base * 2^attempt)]) spreads the retries of
many clients best (the AWS Architecture Blog's comparison). The budget, as in Finagle and
gRPC: retries may add at most `ratio` of the recent requests (plus a floor), per client.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections import deque
from dataclasses import dataclass

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 4  # in all, the first one included; 1 = never retry
    base: float = 0.1  # seconds: the first backoff's ceiling
    cap: float = 10.0  # seconds: no backoff ceiling above this
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for: the error is raised
    budget_ratio: float = 0.2  # retries may add this share of the recent requests...
    budget_floor: int = 10  # ...plus this many, per budget window
    budget_window: float = 10.0  # seconds

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Full jitter for the `retry`-th retry (1-based)."""
        return rng.uniform(0.0, min(self.cap, self.base * 2 ** (retry - 1)))

    def delay(
        self, retry: int, status: int | None, retry_after: str | None, rng: random.Random
    ) -> float | None:
        """Seconds to wait before the `retry`-th retry, or None when it must not happen."""
        if retry >= self.attempts:
            return None
        if status is not None and status in _RETRY_AFTER_STATUSES and retry_after:
            seconds = parse_retry_after(retry_after)
            if seconds is not None:
                return seconds if seconds <= self.max_retry_after else None
        return self.backoff(retry, rng)


def parse_retry_after(value: str) -> float | None:
    """RFC 9110 10.2.3: delay-seconds or an HTTP-date; None when neither."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryBudget:
    """Thread-safe: allows a retry while retries stay within floor + ratio * requests of
    the last `window` seconds."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._requests: deque[float] = deque()
        self._retries: deque[float] = deque()
        self._lock = threading.Lock()

    def request(self) -> None:
        with self._lock:
            self._requests.append(time.monotonic())

    def allow_retry(self) -> bool:
        policy = self._policy
        now = time.monotonic()
        with self._lock:
            for log in (self._requests, self._retries):
                while log and log[0] < now - policy.budget_window:
                    log.popleft()
            if len(self._retries) >= policy.budget_floor + policy.budget_ratio * len(
                self._requests
            ):
                return False
            self._retries.append(now)
            return True
