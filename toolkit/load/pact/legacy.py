"""Pact V1.1's Ruby matchers, written inside the body itself as `json_class` objects.

`Pact::SomethingLike` (a type matcher), `Pact::Term` (a regex with the value to generate)
and `Pact::ArrayLike` (each-like with a minimum) are replaced by their example values, and
the rules they stood for are returned in the V3 shape so the rest of the toolkit reads one
form only.
"""

from __future__ import annotations

from typing import Any

from toolkit.load.pact.rules import WILDCARD, Matcher, Rule, RuleError, Rules, Token

_CLASSES = ("Pact::SomethingLike", "Pact::Term", "Pact::ArrayLike")


def has_legacy(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("json_class") in _CLASSES:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def unwrap(value: Any, category: str = "body") -> tuple[Any, Rules]:
    """The example value with every `json_class` matcher replaced, and its rules."""
    rules: list[Rule] = []
    example = _unwrap(value, (), rules)
    return example, Rules({category: tuple(rules)} if rules else {})


def _unwrap(value: Any, path: tuple[Token, ...], rules: list[Rule]) -> Any:
    if isinstance(value, list):
        return [_unwrap(item, (*path, index), rules) for index, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    kind = value.get("json_class")
    if kind == "Pact::SomethingLike":
        rules.append(Rule(path, (Matcher("type"),)))
        return _unwrap(value.get("contents"), path, rules)
    if kind == "Pact::ArrayLike":
        minimum = value.get("min", 1)
        if not isinstance(minimum, int) or minimum < 0:
            raise RuleError(f"Pact::ArrayLike: `min` is a non-negative integer, got {minimum!r}")
        rules.append(Rule(path, (Matcher("type", {"min": minimum}),)))
        item = _unwrap(value.get("contents"), (*path, WILDCARD), rules)
        return [item] * max(minimum, 1)
    if kind == "Pact::Term":
        data = value.get("data")
        matcher = data.get("matcher") if isinstance(data, dict) else None
        regex = matcher.get("s") if isinstance(matcher, dict) else None
        if not isinstance(regex, str):
            raise RuleError("Pact::Term: expected data.matcher.s (the regular expression)")
        rules.append(Rule(path, (Matcher("regex", {"regex": regex}),)))
        return data.get("generate") if isinstance(data, dict) else None
    return {key: _unwrap(item, (*path, key), rules) for key, item in value.items()}
