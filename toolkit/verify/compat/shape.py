"""Walk a pact's example body beside the schema it must fit, field by field.

A JSON Schema validator says whether the example is *allowed*; a consumer contract needs
more: is every field the consumer reads *promised*? A response field the schema does not
declare may never be sent (an error where the schema is closed or silent, a warning where
it explicitly allows extra properties); a declared but optional one may be missing
(a warning). Nullable fields are not flagged: a consumer cannot say "string or null" in a
pact, and the provider state decides which one an interaction sees. The walk also records which
schema governs each value, so validator errors can point at the right place in the spec.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.load.pact import Rules, Token
from toolkit.pointer import join
from toolkit.verify.compat.spec import ContractSpec

Side = Literal["request", "response"]
_DYNAMIC_KEYS = frozenset({"values", "eachKey", "eachValue"})


@dataclass(frozen=True, slots=True)
class FieldFinding:
    kind: Literal["unknown", "undeclared", "optional"]
    path: tuple[Token, ...]
    schema_pointer: str


class Shape:
    def __init__(self, spec: ContractSpec, rules: Rules, side: Side) -> None:
        self.spec = spec
        self.rules = rules
        self.side = side
        self.findings: list[FieldFinding] = []
        self.schema_at: dict[tuple[Token, ...], str] = {}

    def walk(self, value: Any, pointer: str, path: tuple[Token, ...] = (), depth: int = 0) -> None:
        if depth > 64:
            return
        parts = self._parts(pointer, value, 0)
        if not parts:
            return
        self.schema_at[path] = parts[0][1]
        if isinstance(value, dict):
            self._object(value, parts, path, depth)
        elif isinstance(value, list):
            items = next(
                (join(p, "items") for s, p in parts if isinstance(s.get("items"), dict)), None
            )
            if items is not None:
                for index, item in enumerate(value):
                    self.walk(item, items, (*path, index), depth + 1)

    def _object(
        self,
        value: dict[str, Any],
        parts: list[tuple[Mapping[str, Any], str]],
        path: tuple[Token, ...],
        depth: int,
    ) -> None:
        props: dict[str, str] = {}
        required: set[str] = set()
        patterns: list[tuple[str, str]] = []
        closed = explicit_open = False
        extra: str | None = None
        for schema, where in parts:
            for name in schema.get("properties") or {}:
                props.setdefault(str(name), join(where, "properties", name))
            required.update(str(r) for r in schema.get("required") or [] if isinstance(r, str))
            for regex in schema.get("patternProperties") or {}:
                patterns.append((str(regex), join(where, "patternProperties", regex)))
            additional = schema.get("additionalProperties", schema.get("unevaluatedProperties"))
            if additional is False:
                closed = True
            elif additional is True:
                explicit_open = True
            elif isinstance(additional, dict) and extra is None:
                extra = join(where, "additionalProperties")
        rule, _ = self.rules.find("body", path)
        dynamic = rule is not None and any(m.kind in _DYNAMIC_KEYS for m in rule.matchers)
        for key, item in value.items():
            sub = (*path, key)
            if key in props:
                if self.side == "response" and key not in required:
                    self.findings.append(FieldFinding("optional", sub, props[key]))
                self.walk(item, props[key], sub, depth + 1)
                continue
            pattern = next((p for r, p in patterns if _search(r, key)), None)
            if pattern is not None or extra is not None:
                self.walk(item, pattern or str(extra), sub, depth + 1)
            elif dynamic:
                continue
            elif closed or (self.side == "response" and not explicit_open):
                self.findings.append(FieldFinding("unknown", sub, parts[0][1]))
            else:
                self.findings.append(FieldFinding("undeclared", sub, parts[0][1]))

    def _parts(self, pointer: str, value: Any, depth: int) -> list[tuple[Mapping[str, Any], str]]:
        """The schema at `pointer` and every `allOf` part, with the `oneOf`/`anyOf` branch
        the value validates against (the first one when none does)."""
        if depth > 16:
            return []
        try:
            schema, where = self.spec.resolve(pointer)
        except (KeyError, IndexError, ValueError):
            return []
        if not isinstance(schema, Mapping):
            return []
        parts = [(schema, where)]
        for index, _ in enumerate(schema.get("allOf") or []):
            parts.extend(self._parts(join(where, "allOf", index), value, depth + 1))
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                pointers = [join(where, keyword, i) for i in range(len(branches))]
                chosen = next((p for p in pointers if self._valid(p, value)), pointers[0])
                parts.extend(self._parts(chosen, value, depth + 1))
        return parts

    def _valid(self, pointer: str, value: Any) -> bool:
        validator = self.spec.validator(pointer)
        try:
            return validator is not None and bool(validator.is_valid(value))
        except ValueError:
            return False


def _search(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False
