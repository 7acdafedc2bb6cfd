"""Prompt identifiers: ULIDs (48-bit millisecond time, 80 random bits, Crockford base32)."""

from __future__ import annotations

import secrets
import time

__all__ = ["new_ulid"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


def new_ulid(now_ms: int | None = None) -> str:
    """A new 26-character ULID; `now_ms` pins the time part (tests)."""
    millis = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    value = (millis & (2**48 - 1)) << 80 | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))
