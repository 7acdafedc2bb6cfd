"""Two schemas compared by meaning, in the direction data flows.

A request schema is read by the server: narrowing it (a type, value, bound or property the
old one accepted and the new one refuses) breaks clients. A response schema is read by the
client: widening it (a value the old one never produced) breaks clients. Both sides are
read as their meaning (shape.py: through `$ref`s, so moving a schema into a component or
renaming one is no change; `allOf` parts merged; 3.0 `nullable` and 3.1 type arrays
alike), and a member moved into `oneOf`/`anyOf` variants is looked for there. Each pair of
schemas is compared once per direction (shared components, recursion).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from toolkit import pointer as jp
from toolkit.errors import Severity

from .rules import RULES
from .shape import (
    LOWER,
    MISSING,
    UPPER,
    Shape,
    canon,
    covers,
    follow,
    read_as,
    shape_at,
    tighter,
    widths,
)

_SEVERITY = {rule: info.severity for rule, info in RULES.items()}


class Where(NamedTuple):
    """What a change is about, for consumers' pacts: the operation (method, old path
    template), the side ("operation", "parameter", "request", "response", "header"), the
    response status, the parameter (location, name) and the member path in the body
    ("[]" for an array's items)."""

    method: str = ""
    path: str = ""
    side: str = "operation"
    status: str = ""
    param: tuple[str, str] | None = None
    trail: tuple[str, ...] = ()


_NOWHERE = Where()


@dataclass(frozen=True)
class Change:
    rule: str
    message: str
    old: str | None  # JSON pointer into the old bundle (None: only on the new side)
    new: str | None
    operation: str = ""
    where: Where = _NOWHERE


class SchemaDiff:
    """Compares schemas of two bundled documents; findings go to `changes`."""

    def __init__(
        self,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        old_legacy: bool,
        new_legacy: bool,
        changes: list[Change],
    ) -> None:
        self.old, self.new = old, new
        self.old_legacy, self.new_legacy = old_legacy, new_legacy
        self.changes = changes
        self.dry = False  # a trial: stop at the first breaking change (_fitting)
        self._seen: set[tuple[str, str, bool]] = set()
        # pair -> (first change, end, label, trail depth) of its findings
        self._memo: dict[tuple[str, str, bool], tuple[int, int, str, int]] = {}
        self._shapes: dict[tuple[bool, str], Shape] = {}  # (new side?, pointer or $ref) -> shape
        self.operation = ""
        self.where = Where()

    def add(self, rule: str, message: str, old: str | None, new: str | None) -> None:
        if self.dry and _SEVERITY[rule] is Severity.ERROR:
            raise _BreakingFoundError
        self.changes.append(Change(rule, message, old, new, self.operation, self.where))

    @contextmanager
    def within(self, **fields: Any) -> Iterator[None]:
        """Findings made inside are about this place (those `Where` fields replaced)."""
        outer = self.where
        self.where = outer._replace(**fields)
        try:
            yield
        finally:
            self.where = outer

    def _shape(self, new: bool, node: Any, pointer: str) -> Shape:
        """A schema's shape on one side, each read once (trials share them)."""
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        key = (new, ref if isinstance(ref, str) else pointer)  # "#/…" vs "/…": no clash
        found = self._shapes.get(key)
        if found is None:
            document, legacy = (self.new, self.new_legacy) if new else (self.old, self.old_legacy)
            found = shape_at(document, *follow(document, node, pointer), legacy)
            self._shapes[key] = found
        return found

    def _child(
        self, old: Any, old_ptr: str, new: Any, new_ptr: str, request: bool, label: str, step: str
    ) -> None:
        """Compare a member's schemas, its name on the trail while it is compared."""
        with self.within(trail=(*self.where.trail, step)):
            self.compare(old, old_ptr, new, new_ptr, request, label)

    def compare(
        self, old: Any, old_ptr: str, new: Any, new_ptr: str, request: bool, label: str
    ) -> None:
        o, n = self._shape(False, old, old_ptr), self._shape(True, new, new_ptr)
        key = (o.pointer, n.pointer, request)
        memo = self._memo.get(key)
        if memo is not None:  # compared before (a shared schema): its findings, here too
            self._replay(memo, label)
            return
        if key in self._seen or len(self._seen) > 200_000:
            return  # recursion: this pair is being compared further up
        self._seen.add(key)
        start = len(self.changes)
        self._types(o, n, request, label)
        self._values(o, n, request, label)
        self._objects(o, n, request, label)
        if o.items is not None and n.items is not None:
            self._child(*o.items, *n.items, request, f"{label}[]", "[]")
        self._variants(o, n, request, label)
        self._memo[key] = (start, len(self.changes), label, len(self.where.trail))

    def _replay(self, memo: tuple[int, int, str, int], label: str) -> None:
        """The findings of an earlier comparison of the same pair, re-attributed to the
        operation and place being compared now (consumers rely per operation)."""
        start, end, first_label, depth = memo
        for change in self.changes[start:end]:
            message = change.message
            if message.startswith(first_label):
                message = label + message[len(first_label) :]
            where = self.where._replace(trail=(*self.where.trail, *change.where.trail[depth:]))
            self.changes.append(
                replace(change, message=message, operation=self.operation, where=where)
            )

    def _at(self, name: str, rule: str, message: str, old: str | None, new: str | None) -> None:
        """A finding about the member `name` of the object being compared."""
        with self.within(trail=(*self.where.trail, name)):
            self.add(rule, message, old, new)

    # -- pieces ---------------------------------------------------------------------------

    def _types(self, o: Shape, n: Shape, request: bool, label: str) -> None:
        if o.types != n.types:
            fits = covers(n.types, o.types) if request else covers(o.types, n.types)
            was, now = _types_text(o.types), _types_text(n.types)
            rule = "schema-type-widened" if fits else "schema-type-changed"
            self.add(rule, f"{label}: type {was} → {now}", o.pointer, n.pointer)
        if o.nullable != n.nullable:
            breaks = (o.nullable and not n.nullable) if request else (n.nullable and not o.nullable)
            now = "accepts" if n.nullable else "no longer accepts"
            if not request:
                now = "may be" if n.nullable else "is never"
            rule = "schema-nullable-changed" if breaks else "schema-nullable-compatible"
            self.add(rule, f"{label}: {now} null", o.pointer, n.pointer)
        if o.format != n.format:
            relaxed = n.format is None if request else o.format is None
            ranks = widths(o, n)
            if ranks is not None:  # integer/number widths: int32 < int64 = none
                relaxed = ranks[1] >= ranks[0] if request else ranks[1] <= ranks[0]
            rule = "schema-format-relaxed" if relaxed else "schema-format-changed"
            message = f"{label}: format {o.format or '(none)'} → {n.format or '(none)'}"
            self.add(rule, message, o.pointer, n.pointer)

    def _values(self, o: Shape, n: Shape, request: bool, label: str) -> None:
        if o.enum != n.enum:
            if request:
                lost = (o.enum or set()) - (n.enum or set()) if n.enum is not None else set()
                breaks = bool(lost) or (o.enum is None and n.enum is not None)
                rule = "schema-enum-narrowed" if breaks else "schema-enum-compatible"
                detail = f"no longer accepts {_list(lost)}" if lost else "enum changed"
            else:
                gained = (n.enum or set()) - (o.enum or set()) if o.enum is not None else set()
                breaks = bool(gained) or (o.enum is not None and n.enum is None)
                rule = "schema-enum-widened" if breaks else "schema-enum-compatible"
                detail = f"may now be {_list(gained)}" if gained else "enum changed"
            self.add(rule, f"{label}: {detail}", o.pointer, n.pointer)
        for key in (*UPPER, *LOWER):
            before, after = o.bounds.get(key), n.bounds.get(key)
            if before == after:
                continue
            narrower = tighter(key in UPPER, before, after)
            if request:
                rule = "schema-bound-tightened" if narrower else "schema-bound-compatible"
            else:
                rule = "schema-bound-compatible" if narrower else "schema-bound-relaxed"
            message = f"{label}: {key} {_bound(before)} → {_bound(after)}"
            self.add(rule, message, o.pointer, n.pointer)
        if o.pattern != n.pattern:
            if o.pattern is None:
                rule = "schema-pattern-added" if request else "schema-pattern-compatible"
            elif n.pattern is None:
                rule = "schema-pattern-compatible" if request else "schema-pattern-changed"
            else:
                rule = "schema-pattern-changed"
            message = f"{label}: pattern {o.pattern or '(none)'} → {n.pattern or '(none)'}"
            self.add(rule, message, o.pointer, n.pointer)
        if request and o.default is not MISSING:  # a default added documents, changes nothing
            was = canon(o.default)
            now = "(none)" if n.default is MISSING else canon(n.default)
            if was != now and read_as(o.default, o.types) != read_as(n.default, n.types):
                message = f"{label}: default {was} → {now}"
                self.add("schema-default-changed", message, o.pointer, n.pointer)
        if (o.read_only, o.write_only) != (n.read_only, n.write_only):
            message = f"{label}: {_access(o)} → {_access(n)}"
            self.add("schema-read-write-changed", message, o.pointer, n.pointer)

    def _objects(self, o: Shape, n: Shape, request: bool, label: str) -> None:
        hidden = "read_only" if request else "write_only"  # members that do not travel
        parts: list[Shape] | None = None  # the new variants, where members may have moved
        for name, (sub, at) in o.properties.items():
            if name in n.properties:
                continue
            if getattr(self._shape(False, sub, at), hidden):
                continue
            if parts is None:
                parts = [self._shape(True, v, v_at) for v, v_at in n.variants]
            if any(name in part.properties for part in parts):
                if not request:  # a request's variants are judged by coverage (_variants)
                    self._moved(name, (sub, at), o, n, parts, label)
                continue
            rule = "request-property-removed" if request else "property-removed"
            self._at(name, rule, f"{_member(label, name)}: removed", at, n.pointer)
        for name, (sub, at) in n.properties.items():
            if name in o.properties:
                continue
            if getattr(self._shape(True, sub, at), hidden):
                continue
            needed = request and name in n.required
            rule = "property-added-required" if needed else "property-added"
            state = "added, required" if needed else "added"
            self._at(name, rule, f"{_member(label, name)}: {state}", o.pointer, at)
        for name in sorted(set(o.properties) & set(n.properties)):
            (old_sub, old_at), (new_sub, new_at) = o.properties[name], n.properties[name]
            if getattr(self._shape(False, old_sub, old_at), hidden) and getattr(
                self._shape(True, new_sub, new_at), hidden
            ):
                continue  # it does not travel this way, before or after: nothing it has matters
            was, now = name in o.required, name in n.required
            if was != now:
                if request:
                    rule = "property-now-required" if now else "property-required-compatible"
                else:
                    rule = "property-now-optional" if was else "property-required-compatible"
                state = "now required" if now else "now optional"
                self._at(name, rule, f"{_member(label, name)}: {state}", old_at, new_at)
            self._child(old_sub, old_at, new_sub, new_at, request, _member(label, name), name)
        if request:  # `required` alone (an anyOf branch naming members declared elsewhere)
            for name in sorted(n.required - o.required - set(n.properties)):
                self._at(name, "property-now-required", f"{_member(label, name)}: now required",
                         o.pointer, n.pointer)  # fmt: skip
        closed_before, closed_now = o.additional is False, n.additional is False
        if closed_before != closed_now:
            if closed_now:
                rule = "additional-properties-closed" if request else "additional-properties-opened"
                what = "no longer accepts other members"
            else:
                rule = "additional-properties-opened"
                what = "accepts other members"
            self.add(rule, f"{label}: {what}", o.pointer, n.pointer)
        if isinstance(o.additional, tuple) and isinstance(n.additional, tuple):
            (old_extra, old_at), (new_extra, new_at) = o.additional, n.additional
            self._child(old_extra, old_at, new_extra, new_at, request, f"{label}{{*}}", "*")

    def _moved(
        self, name: str, old: tuple[Any, str], o: Shape, n: Shape, parts: list[Shape], label: str
    ) -> None:
        """A response member now declared by the new `oneOf`/`anyOf` variants, not the object:
        compared with each variant's; if it was always sent, is it still promised by all?"""
        holders = [(j, part) for j, part in enumerate(parts) if name in part.properties]
        for j, part in holders:
            self._child(*old, *part.properties[name], False, _member(f"{label}<{j}>", name), name)
        if name not in o.required or name in n.required:
            return
        promised = sum(name in part.required for _, part in holders)
        if promised == len(parts):
            return
        rule = "property-now-optional" if promised == 0 else "property-in-some-variants"
        state = (
            "now optional" if promised == 0 else f"required in {promised} of {len(parts)} variants"
        )
        self._at(name, rule, f"{_member(label, name)}: {state}", old[1], n.pointer)

    def _variants(self, o: Shape, n: Shape, request: bool, label: str) -> None:
        if o.discriminator != n.discriminator and o.discriminator and n.discriminator:
            message = f"{label}: discriminator {o.discriminator} → {n.discriminator}"
            self.add("schema-discriminator-changed", message, o.pointer, n.pointer)
        if not o.variants and not n.variants:
            return
        if not o.variants or not n.variants:  # a oneOf/anyOf added or dropped
            whole_old = (jp.resolve(self.old, o.pointer), o.pointer)
            whole_new = (jp.resolve(self.new, n.pointer), n.pointer)
            if not o.variants:  # narrows, unless a variant still takes all the old one did
                breaks = (
                    request and self._fitting(whole_old, n.variants, True, old_side=True) is None
                )
                rule = "schema-variants-constrained" if breaks else "schema-variants-compatible"
            else:  # widens, unless what is left fits a variant clients knew
                fits = self._fitting(whole_new, o.variants, False, old_side=False)
                breaks = not request and fits is None
                rule = "schema-variants-dropped" if breaks else "schema-variants-compatible"
            message = f"{label}: {len(o.variants)} → {len(n.variants)} oneOf/anyOf variants"
            self.add(rule, message, o.pointer, n.pointer)
            return
        # By coverage, not position: on a request every old variant must still be accepted
        # by some new one; on a response every new variant must fit some old one. Pairs
        # that fit are then compared for what else changed.
        olds, news = o.variants, n.variants
        pairs: list[tuple[int, int]] = []
        if request:
            for i, old in enumerate(olds):
                match = self._fitting(old, news, request, old_side=True)
                if match is None:
                    message = f"{label}<{i}>: no variant accepts what this one did"
                    self.add("schema-variants-removed", message, old[1], n.pointer)
                else:
                    pairs.append((i, match))
        else:
            for j, new in enumerate(news):
                match = self._fitting(new, olds, request, old_side=False)
                if match is None:
                    message = f"{label}<{j}>: a variant clients never received"
                    self.add("schema-variants-added", message, o.pointer, new[1])
                else:
                    pairs.append((match, j))
        if len(olds) != len(news):
            message = f"{label}: {len(olds)} → {len(news)} oneOf/anyOf variants"
            self.add("schema-variants-compatible", message, o.pointer, n.pointer)
        for i, j in pairs:
            self.compare(*olds[i], *news[j], request, f"{label}<{j}>")

    def _fitting(
        self,
        variant: tuple[Any, str],
        others: list[tuple[Any, str]],
        request: bool,
        *,
        old_side: bool,
    ) -> int | None:
        """The first of `others` that `variant` meets with no breaking change (a trial
        comparison that stops at the first one); a same-named component is tried first."""
        name = _component(variant[0], variant[1])
        order = sorted(range(len(others)), key=lambda i: _component(*others[i]) != name)
        for index in order:
            trial = SchemaDiff(self.old, self.new, self.old_legacy, self.new_legacy, [])
            trial.dry, trial._shapes = True, self._shapes
            old, new = (variant, others[index]) if old_side else (others[index], variant)
            try:
                trial.compare(*old, *new, request, "")
            except _BreakingFoundError:
                continue
            return index
        return None


class _BreakingFoundError(Exception):
    """A trial comparison met a breaking change."""


def _component(node: Any, pointer: str) -> str:
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else pointer


def _bound(value: tuple[float, bool] | None) -> str:
    if value is None:
        return "(none)"
    number = int(value[0]) if value[0].is_integer() else value[0]
    return f"{number}{' (exclusive)' if value[1] else ''}"


def _types_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else "|".join(sorted(types)) or "none"


def _list(values: set[str]) -> str:
    shown = sorted(values)
    return ", ".join(shown[:5]) + (f" (+{len(shown) - 5})" if len(shown) > 5 else "")


def _access(s: Shape) -> str:
    return "readOnly" if s.read_only else "writeOnly" if s.write_only else "read-write"


def _member(label: str, name: str) -> str:
    return f"{label}.{name}" if label else name
