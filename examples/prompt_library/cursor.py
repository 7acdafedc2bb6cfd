"""Opaque, tamper-evident pagination cursors.

A cursor is the unpadded base64url of one format byte, a 12-byte HMAC-SHA256 tag and the
compact JSON of the last row's sort key. The tag covers the listing's *scope* (which
collection, with which filters) as well as the key, so a cursor that was edited, truncated
or taken from another listing is refused (400) instead of silently returning a wrong page.
The key is readable, not encrypted: cursors are opaque by contract, not secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CursorCodec", "CursorError", "KeyPart"]

KeyPart = int | str
_FORMAT = 1
_TAG_BYTES = 12
_MAX_CHARS = 512  # the spec's maxLength for `cursor`
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")


class CursorError(ValueError):
    """The cursor is malformed, was tampered with, or belongs to another listing."""


@dataclass(frozen=True, slots=True)
class CursorCodec:
    secret: bytes

    def encode(self, scope: str, key: Sequence[KeyPart]) -> str:
        payload = json.dumps(list(key), separators=(",", ":"), ensure_ascii=True).encode()
        raw = bytes([_FORMAT]) + self._tag(scope, payload) + payload
        token = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
        if len(token) > _MAX_CHARS:
            raise ValueError("sort key too long for a cursor")
        return token

    def decode(self, scope: str, token: str, shape: Sequence[type[KeyPart]]) -> tuple[KeyPart, ...]:
        """The key `token` carries, checked against `scope` and the expected part types."""
        if len(token) > _MAX_CHARS or not _TOKEN.fullmatch(token):
            raise CursorError("not a cursor")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            raise CursorError("not a cursor") from None
        if len(raw) <= 1 + _TAG_BYTES or raw[0] != _FORMAT:
            raise CursorError("not a cursor")
        tag, payload = raw[1 : 1 + _TAG_BYTES], raw[1 + _TAG_BYTES :]
        if not hmac.compare_digest(tag, self._tag(scope, payload)):
            raise CursorError("the cursor was altered or belongs to another listing")
        try:
            key = json.loads(payload)
        except ValueError:
            raise CursorError("not a cursor") from None
        if not isinstance(key, list) or len(key) != len(shape):
            raise CursorError("not a cursor")
        for part, kind in zip(key, shape, strict=True):
            if type(part) is not kind:  # exact: bool is not an int here
                raise CursorError("not a cursor")
        return tuple(key)

    def _tag(self, scope: str, payload: bytes) -> bytes:
        message = scope.encode("utf-8") + b"\x00" + payload
        return hmac.new(self.secret, message, hashlib.sha256).digest()[:_TAG_BYTES]
