"""Rules are plain functions registered with metadata; a 20-line registry, no plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.errors import Severity

if TYPE_CHECKING:
    from toolkit.lint.context import LintContext

ALL_VERSIONS = frozenset({"2.0", "3.0", "3.1", "3.2"})
OAS3 = frozenset({"3.0", "3.1", "3.2"})


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: where (a pointer into the bundled document), what, how to fix."""

    pointer: str
    message: str
    hint: str = ""
    uri: str | None = None  # set only when `pointer` is into a given file, not the bundle


Check = Callable[["LintContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: Check
    versions: frozenset[str] = ALL_VERSIONS
    category: str = "design"


class Registry:
    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(
        self,
        rule_id: str,
        severity: Severity,
        summary: str,
        *,
        versions: frozenset[str] = ALL_VERSIONS,
        category: str = "design",
    ) -> Callable[[Check], Check]:
        def decorate(check: Check) -> Check:
            if rule_id in self._rules:
                raise ValueError(f"rule {rule_id!r} registered twice")
            self._rules[rule_id] = Rule(rule_id, severity, summary, check, versions, category)
            return check

        return decorate

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.id))

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)


RULES = Registry()
rule = RULES.register
