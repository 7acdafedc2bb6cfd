"""The schemathesis checks a user may name in --checks / --exclude-checks."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.errors import UsageError


def available_checks() -> list[str]:
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return sorted(CHECKS.get_all_names())


def check_names(names: Iterable[str]) -> None:
    known = available_checks()
    for name in names:
        if name not in known:
            raise UsageError(
                f"unknown check {name!r}", hint=f"schemathesis has: {', '.join(known)}"
            )
