"""JSON bodies and content parameters are parsed exactly: integers beyond 64 bits stay
integers (orjson would make them floats)."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from toolkit.runtime._json import loads, loads_text

from .conftest import MakeClient, Service

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "text",
    [
        b"-9223372036854775809",
        b"18446744073709551616",
        b'{"n": [123456789012345678901234567890, -1]}',
        b'{"s": "12345678901234567890123", "f": 0.12345678901234567890123}',
    ],
)
def test_big_integers_are_exact(text: bytes) -> None:
    # repr: 2**64 == float(2**64), but an int is what the text says
    assert repr(loads(text)) == repr(json.loads(text))  # the stdlib is exact (and slow)


def test_everything_else_is_orjson() -> None:
    text = b'{"a": [1, 2.5, "x", null, true], "b": 9223372036854775807, "c": 1234567890123456789}'
    assert loads(text) == orjson.loads(text)
    assert loads_text('{"n": 18446744073709551616}') == {"n": 18446744073709551616}


@pytest.mark.parametrize(
    "text", [b"", b"[1,", b"NaN", b"[1] x", b'"\xff"', b"[-12345678901234567890123,", b"[Infinity, 1234567890123456789012]"]
)  # fmt: skip
def test_invalid_json_is_a_decode_error(text: bytes) -> None:
    with pytest.raises(orjson.JSONDecodeError):
        loads(text)


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "big", "version": "1"},
    "paths": {
        "/counts": {
            "post": {
                "operationId": "list_items",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "n": {"type": "integer"},
                                    "small": {"type": "integer", "format": "int64"},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}


async def test_a_body_integer_beyond_64_bits_reaches_the_handler_exactly(
    make_client: MakeClient, service: Service
) -> None:
    client = make_client(spec=SPEC)
    for n in (-(2**63) - 1, 2**64, 10**40):
        response = await client.post(
            "/counts", content=b'{"n": %d}' % n, headers={"content-type": "application/json"}
        )
        assert response.status_code == 200, response.text
        assert service.calls[-1][1]["body"] == {"n": n}
    response = await client.post(
        "/counts", content=b'{"small": %d}' % 2**63, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "pointer": "/small",
            "detail": "9223372036854775808 is greater than the maximum of 9223372036854775807 "
            "(the int64 range)",
        }
    ]
