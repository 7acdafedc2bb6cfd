"""JSON text → value, exactly. orjson turns integers outside int64/uint64 into floats (a
changed value: `-9223372036854775809` becomes `-9.223372036854776e+18`), so a text holding a
run of 19 or more digits (the only way to spell such an integer) is parsed by pydantic-core
instead, whose integers are unbounded. The check is one C pass over the text; orjson stays
the parser for everything else."""

from __future__ import annotations

from typing import Any

import orjson
import pydantic_core

# every digit → "0", everything else → "."; a 19-digit run becomes b"0" * 19
_DIGITS = bytes(ord("0") if 48 <= i <= 57 else ord(".") for i in range(256))
_RUN = b"0" * 19


def loads(raw: bytes) -> Any:
    """The JSON value of `raw`; orjson.JSONDecodeError (a ValueError) when it is not JSON."""
    if _RUN not in raw.translate(_DIGITS):
        return orjson.loads(raw)
    try:
        return pydantic_core.from_json(raw, allow_inf_nan=False, cache_strings=False)
    except ValueError as error:
        raise orjson.JSONDecodeError(str(error), raw.decode("utf-8", "replace"), 0) from None


def loads_text(text: str) -> Any:
    """`loads` for a str (a parameter's value)."""
    return loads(text.encode("utf-8", "surrogatepass"))
