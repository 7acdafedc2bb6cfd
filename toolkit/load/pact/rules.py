"""Matching rules of every pact specification version, normalised to one shape.

V2 writes `{"$.body.a[*].b": {"match": "type"}}` in one flat map; V3/V4 group rules by
category (`{"body": {"$.a[*].b": {"matchers": [...], "combine": "AND"}}}`); files that say
V3 but were written by V2 tooling keep `requestMatchingRules`. A rule applies to the value
at its path and, as in pact itself, to everything below it unless a deeper rule says
otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Token = str | int
WILDCARD = "*"  # `[*]` and `.*` in a rule path
CATEGORIES = ("body", "header", "query", "path", "status")
_V2_CATEGORIES = {"body": "body", "headers": "header", "header": "header", "query": "query"}
_TOKEN = re.compile(r"\.([^.\[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*(\d+|\*)\s*\]")


class RuleError(ValueError):
    """A matching rule this parser cannot read; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Matcher:
    kind: str  # pact's `match` value: type, regex, integer, decimal, number, datetime, ...
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def regex(self) -> str | None:
        value = self.attrs.get("regex")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Rule:
    path: tuple[Token, ...]
    matchers: tuple[Matcher, ...]
    combine: str = "AND"

    def applies_to(self, path: tuple[Token, ...]) -> bool:
        if len(self.path) > len(path):
            return False
        return all(r in (WILDCARD, p) for r, p in zip(self.path, path, strict=False))


@dataclass(frozen=True, slots=True)
class Rules:
    """The rules of one request or response, by category (header and query rules keyed by
    name: a one-token path)."""

    by_category: dict[str, tuple[Rule, ...]] = field(default_factory=dict)

    def find(self, category: str, path: tuple[Token, ...]) -> tuple[Rule | None, bool]:
        """The rule that governs the value at `path` and whether it names that value itself
        (False: inherited from an ancestor). The deepest rule wins, then the one with fewer
        wildcards."""
        best: Rule | None = None
        best_key = (-1, -1)
        for rule in self.by_category.get(category, ()):
            if rule.applies_to(path):
                key = (len(rule.path), -sum(1 for t in rule.path if t == WILDCARD))
                if key > best_key:
                    best, best_key = rule, key
        return best, best is not None and len(best.path) == len(path)

    def under(self, category: str, path: tuple[Token, ...]) -> tuple[Rule, ...]:
        """Rules at or below `path` (e.g. the items of an each-like array)."""
        return tuple(
            rule
            for rule in self.by_category.get(category, ())
            if len(rule.path) >= len(path)
            and all(WILDCARD in (r, p) or r == p for r, p in zip(rule.path, path, strict=False))
        )

    def merged(self, other: Rules) -> Rules:
        out = {k: tuple(v) for k, v in self.by_category.items()}
        for category, rules in other.by_category.items():
            out[category] = out.get(category, ()) + rules
        return Rules(out)


def parse_path(text: str) -> tuple[Token, ...]:
    """`$.a['b c'][0][*].*` → ("a", "b c", 0, "*", "*")."""
    text = text.strip()
    if text in ("$", ""):
        return ()
    if not text.startswith("$"):
        return (text,)  # V3/V4 header and query rules name the key itself
    tokens: list[Token] = []
    position = 1
    while position < len(text):
        found = _TOKEN.match(text, position)
        if found is None:
            raise RuleError(f"cannot read the JSON path {text!r} at character {position + 1}")
        key, quoted, index = found.groups()
        if key is not None:
            tokens.append(key)
        elif quoted is not None:
            tokens.append(quoted.replace("\\'", "'"))
        else:
            tokens.append(WILDCARD if index == "*" else int(index))
        position = found.end()
    return tuple(tokens)


def _matcher(raw: Any, where: str) -> Matcher:
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: a matcher is an object, got {type(raw).__name__}")
    attrs = {str(k): v for k, v in raw.items() if k != "match"}
    kind = raw.get("match")
    if kind is None:  # V2 shorthand: {"regex": ...} or {"min": 1}
        kind = "regex" if "regex" in raw else "type"
    if not isinstance(kind, str):
        raise RuleError(f"{where}: `match` is a string, got {kind!r}")
    return Matcher(kind, attrs)


def _rule(path: tuple[Token, ...], raw: Any, where: str) -> Rule:
    if isinstance(raw, Mapping) and "matchers" in raw:
        matchers = raw["matchers"]
        if not isinstance(matchers, list):
            raise RuleError(f"{where}: `matchers` is a list")
        combine = str(raw.get("combine") or "AND").upper()
        return Rule(path, tuple(_matcher(m, where) for m in matchers), combine)
    return Rule(path, (_matcher(raw, where),))


def parse_v2(raw: Any, where: str) -> Rules:
    """`{"$.body.a": {...}, "$.headers.X": {...}, "$.query.q": {...}, "$.path": {...}}`."""
    if raw is None:
        return Rules()
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: matching rules are an object")
    found: dict[str, list[Rule]] = {}
    for text, spec in raw.items():
        tokens = parse_path(str(text))
        if not tokens:
            continue
        head, rest = tokens[0], tokens[1:]
        if head == "path":
            found.setdefault("path", []).append(_rule((), spec, f"{where}.{text}"))
            continue
        category = _V2_CATEGORIES.get(str(head))
        if category is None:
            continue  # e.g. `$.status`: nothing this toolkit reads
        if category == "header":
            rest = tuple(str(t).lower() for t in rest[:1])
        found.setdefault(category, []).append(_rule(rest, spec, f"{where}.{text}"))
    return Rules({k: tuple(v) for k, v in found.items()})


def parse_v3(raw: Any, where: str) -> Rules:
    """`{"body": {"$.a": {"matchers": [...]}}, "header": {"X": ...}, "path": {...}}`."""
    if raw is None:
        return Rules()
    if not isinstance(raw, Mapping):
        raise RuleError(f"{where}: matching rules are an object")
    if any(str(k).startswith("$") for k in raw):
        return parse_v2(raw, where)  # V2-shaped rules in a V3 file
    found: dict[str, list[Rule]] = {}
    for category, rules in raw.items():
        name = {"headers": "header"}.get(str(category), str(category))
        if name not in CATEGORIES:
            continue  # metadata (messages) and plugin categories
        if name in ("path", "status") and isinstance(rules, Mapping) and "matchers" in rules:
            found.setdefault(name, []).append(_rule((), rules, f"{where}.{category}"))
            continue
        if not isinstance(rules, Mapping):
            raise RuleError(f"{where}.{category}: expected an object of rules")
        for text, spec in rules.items():
            tokens = parse_path(str(text))
            if name == "header":
                tokens = tuple(str(t).lower() for t in tokens)
            found.setdefault(name, []).append(_rule(tokens, spec, f"{where}.{category}.{text}"))
    return Rules({k: tuple(v) for k, v in found.items()})
