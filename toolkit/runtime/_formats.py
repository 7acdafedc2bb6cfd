"""String formats the runtime checks beyond what jsonschema-rs checks for a draft.

The generated models give formatted strings strict types (`uuid` -> UUID, `duration` ->
timedelta, `byte` -> Base64Str, ...), so a format the validator lets through unchecked
reaches pydantic and fails there (a 500 blamed on the generator) instead of being a 4xx.
Draft 4 (3.0 documents) knows neither `uuid` nor `duration`: those two are checked here
with jsonschema-rs's own 2020-12 checkers, so both drafts mean the same thing by them. The
other formats here are not JSON Schema formats but ones the OpenAPI format registry defines
(`byte`, `date-time-local`, `time-local`, `decimal`) or datamodel-code-generator gives a
strict type (`uuid1`..`uuid5`, `ulid`, `ipv4-network`, `ipv6-network`, and `integer` /
`unixtime` on a string, which become `int`); each is checked for what the format means, not
for what pydantic makes of it (where a model is stricter than its format, e.g. EmailStr,
that is the generator's to fix). Integer formats (`int32`, `int64`)
are ranges, not string checks: see `_schemas`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable

import jsonschema_rs

Check = Callable[[str], bool]

_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_LOCAL_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?"
_TIME_LOCAL = re.compile(_LOCAL_TIME)
_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_DATE_TIME_LOCAL = re.compile(_DATE + "[Tt]" + _LOCAL_TIME)
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[-+]?[0-9]{1,4000}")  # int() refuses longer digit strings
_ULID = re.compile(r"[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-([0-9a-fA-F])")


def _native(name: str) -> Check:
    """jsonschema-rs's 2020-12 checker for `name` (RFC 3339, RFC 4122), as a callable."""
    return jsonschema_rs.Draft202012Validator({"format": name}, validate_formats=True).is_valid


def _uuid_version(version: int) -> Check:
    """`uuid4`: a UUID (RFC 4122 variant) of that version, as pydantic's UUID4 wants."""
    uuid = _native("uuid")

    def check(text: str) -> bool:
        found = _UUID.match(text)
        return (
            found is not None
            and uuid(text)
            and found.group(1) == str(version)
            and found.group(2) in "89abAB"
        )

    return check


def _date_time_local(text: str) -> bool:
    """RFC 3339 date-time without an offset (OpenAPI format registry `date-time-local`)."""
    if _DATE_TIME_LOCAL.fullmatch(text) is None:
        return False
    return _native_date(text[:10])


def _network(kind: type[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> Check:
    def check(text: str) -> bool:
        try:
            kind(text)
        except ValueError:
            return False
        return True

    return check


_native_date = _native("date")

# Checked under every draft: formats no draft of jsonschema-rs checks.
_ALWAYS: dict[str, Check] = {
    "byte": lambda text: _BASE64.fullmatch(text) is not None,
    "date-time-local": _date_time_local,
    "time-local": lambda text: _TIME_LOCAL.fullmatch(text) is not None,
    "decimal": lambda text: _DECIMAL.fullmatch(text) is not None,
    "ulid": lambda text: _ULID.fullmatch(text) is not None,
    "integer": lambda text: _INTEGER.fullmatch(text) is not None,
    "unixtime": lambda text: _INTEGER.fullmatch(text) is not None,
    "ipv4-network": _network(ipaddress.IPv4Network),
    "ipv6-network": _network(ipaddress.IPv6Network),
    "uuid2": _native("uuid"),  # pydantic has no UUID2: the model says UUID
    **{f"uuid{v}": _uuid_version(v) for v in (1, 3, 4, 5)},
}
# Checked under Draft 4 only: 2020-12 knows them natively (and faster).
_DRAFT4: dict[str, Check] = {"uuid": _native("uuid"), "duration": _native("duration")}


def format_checks(legacy: bool, used: Iterable[str] | None = None) -> dict[str, Check]:
    """The `formats=` for a jsonschema-rs validator of that draft (Draft 4 when `legacy`),
    limited to the formats in `used` when given."""
    checks = {**_ALWAYS, **_DRAFT4} if legacy else _ALWAYS
    return {k: v for k, v in checks.items() if used is None or k in used}
