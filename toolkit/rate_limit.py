"""Rate limits as the spec writes them (`x-ctk-rate-limit: "600/minute"`), read by the
runtime that enforces them and by the lint rules that check they are documented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EXTENSION = "x-ctk-rate-limit"
_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_SHORT = {"s": 1, "sec": 1, "min": 60, "h": 3600, "d": 86400, **_UNITS}
_WINDOW = re.compile(r"(\d*)\s*(s|sec|second|min|minute|h|hour|d|day)s?")
_OFF = ("off", "none")


@dataclass(frozen=True, slots=True)
class Limit:
    """`quota` requests per `window` seconds (and a burst of `quota`)."""

    quota: int
    window: int

    def __post_init__(self) -> None:
        if self.quota < 1 or self.window < 1:
            raise ValueError("a rate limit needs a quota and a window of at least 1")

    @classmethod
    def parse(cls, text: str) -> Limit:
        """`"600/minute"`, `"10/second"`, `"100/10s"`, `"50/5min"`; ValueError says how."""
        quota, _, per = text.strip().partition("/")
        matched = _WINDOW.fullmatch(per.strip().lower())
        if not quota.strip().isdigit() or matched is None:
            raise ValueError(
                f"{text!r} is not a rate limit: write REQUESTS/WINDOW, e.g. '600/minute', "
                "'10/second', '5000/hour', '100/10s', '50/5min'"
            )
        count = int(matched.group(1)) if matched.group(1) else 1
        return cls(int(quota), count * _SHORT[matched.group(2)])

    def __str__(self) -> str:
        unit = _unit(self.window)
        return f"{self.quota}/{unit or f'{self.window}s'}"

    @property
    def window_words(self) -> str:
        """`minute`, or `90 seconds`: the window in a sentence."""
        return _unit(self.window) or f"{self.window} seconds"


def _unit(seconds: int) -> str | None:
    return next((unit for unit, length in _UNITS.items() if length == seconds), None)


def parse_extension(value: Any) -> Limit | None:
    """An `x-ctk-rate-limit` value: a limit, or None for `false` / `"off"` (exempt)."""
    if value is False or (isinstance(value, str) and value.strip().lower() in _OFF):
        return None
    if isinstance(value, str):
        return Limit.parse(value)
    raise ValueError(f"write a string like '600/minute', or false; not {value!r}")
