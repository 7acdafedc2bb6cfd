"""The format checks the runtime adds to jsonschema-rs: what each format means, and which
draft gets which."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from ipaddress import IPv4Network, IPv6Network
from typing import Any
from uuid import UUID

import pytest
from pydantic import TypeAdapter, ValidationError

from toolkit.runtime._formats import format_checks


@pytest.mark.parametrize(
    ("fmt", "valid", "invalid"),
    [
        ("byte", ["", "nA==", "YWJj", "YWI="], ["nA=", "YW J", "YWJj=", "-_8="]),
        ("date-time-local", ["2026-01-31T23:59:59", "2026-01-31t00:00:00.5"], ["2026-01-31T23:59:59Z", "2026-02-30T00:00:00", "2026-01-31"]),
        ("time-local", ["23:59:59", "00:00:00.123"], ["24:00:00", "12:00:00Z", "12:00"]),
        ("decimal", ["1", "-1.50", ".5", "+3."], ["1e5", "NaN", "1,5", ""]),
        ("ulid", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], ["81ARZ3NDEKTSV4RRFFQ69G5FAV", "01ARZ3NDEKTSV4RRFFQ69G5FAU1", "01ARZ3NDEKTSV4RRFFQ69G5FAI"]),
        ("ipv4-network", ["192.0.2.0/24", "10.0.0.1"], ["192.0.2.1/24", "2001:db8::/32"]),
        ("ipv6-network", ["2001:db8::/32"], ["2001:db8::1/32", "192.0.2.0/24"]),
        ("uuid1", ["c232ab00-9414-11ec-b3c8-9e6bdeced846"], ["c232ab00-9414-41ec-b3c8-9e6bdeced846", "c232ab00-9414-11ec-73c8-9e6bdeced846"]),
        ("uuid4", ["123e4567-e89b-42d3-a456-426614174000"], ["123e4567-e89b-42d3-c456-426614174000", "123e4567e89b42d3a456426614174000"]),
        ("uuid2", ["123e4567-e89b-22d3-a456-426614174000"], ["123e4567"]),
        ("integer", ["0", "-12", "+7"], ["1.0", "1e3", "", " 1", "9" * 4001]),
        ("unixtime", ["1767225600"], ["2026-01-01"]),
    ],
)  # fmt: skip
def test_registry_and_generator_formats(fmt: str, valid: list[str], invalid: list[str]) -> None:
    check = format_checks(legacy=False)[fmt]
    assert [v for v in valid if not check(v)] == []
    assert [v for v in invalid if check(v)] == []


def test_draft4_adds_uuid_and_duration_only() -> None:
    legacy, modern = format_checks(legacy=True), format_checks(legacy=False)
    assert set(legacy) - set(modern) == {"uuid", "duration"}
    assert legacy["uuid"]("123E4567-E89B-12D3-A456-426614174000")
    assert not legacy["uuid"]("{123e4567-e89b-12d3-a456-426614174000}")
    assert legacy["duration"]("P1W") and legacy["duration"]("PT36H")
    assert not legacy["duration"]("P") and not legacy["duration"]("PT")


@pytest.mark.parametrize(
    ("fmt", "kind", "value"),
    [
        ("uuid", UUID, "123e4567-e89b-12d3-a456-426614174000"),
        ("date-time-local", datetime, "2026-01-31T23:59:59.5"),
        ("time-local", time, "23:59:59"),
        ("decimal", Decimal, "-1.50"),
        ("integer", int, "9" * 4000),
        ("ipv4-network", IPv4Network, "192.0.2.0/24"),
        ("ipv6-network", IPv6Network, "2001:db8::/32"),
    ],
)
def test_what_a_format_accepts_the_generated_type_accepts(fmt: str, kind: Any, value: str) -> None:
    """The point of the checks: a value that passes reaches pydantic and is accepted."""
    assert format_checks(legacy=True)[fmt](value)
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError as error:  # pragma: no cover - the failure message
        pytest.fail(f"{fmt}: {value!r} passes the format but not {kind.__name__}: {error}")
