"""Pact's verification JSON and ctk's state-call log folded into typed results.

Pact's JSON (`pactffi_verifier_json`) lists `interactionResults` in the order it verified
them: `consumer`, `description`, `providerStates` (names), `result` ("OK" | "Error"),
`pending`, `duration` ("38ms"), and for errors a `mismatch` that is either
`{"type": "mismatches", "mismatches": [{"type": "BodyMismatch", "path", "expected",
"actual", "mismatch"}, ...]}` or `{"type": "error", "message"}`. `errors` repeats the
failures and adds those of no interaction ("Failed to load pact").

State calls carry no interaction, so they are placed by replaying pact's sequence: per
interaction, one setup per state (the empty state when it names none), and when they all
succeeded, one teardown per state. A log that does not follow it falls back to placing each
failure at the first interaction naming its state.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from toolkit.verify.contract.endpoint import StateCall
from toolkit.verify.contract.results import (
    Difference,
    InteractionResult,
    PactResult,
    StateFailure,
    Status,
)
from toolkit.verify.contract.sources import PactSources

# pact's words when a state call answered non-2xx; the state failure says more
_STATE_CHANGE_FAILED = re.compile(r"One or more of the (setup|teardown) state change handlers")
_KINDS = {
    "StatusMismatch": "status",
    "HeaderMismatch": "header",
    "BodyMismatch": "body",
    "BodyTypeMismatch": "body-type",
    "QueryMismatch": "query",
    "PathMismatch": "path",
    "MethodMismatch": "method",
    "MetadataMismatch": "metadata",
}
_DURATION = re.compile(r"([0-9.]+)(ns|µs|us|ms|s)")
_UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def collect(
    report: dict[str, Any], calls: Sequence[StateCall], sources: PactSources
) -> tuple[list[PactResult], list[str]]:
    """The results per consumer, and run-level errors (pacts that did not load, state
    failures no interaction explains)."""
    raw = [r for r in report.get("interactionResults") or [] if isinstance(r, dict)]
    placed, unplaced = place_failures(raw, calls)
    by_consumer: dict[str, list[InteractionResult]] = {}
    for index, item in enumerate(raw):
        result = interaction_result(item, placed.get(index, []))
        by_consumer.setdefault(str(item.get("consumer", "")), []).append(result)
    for consumer, skipped in _skipped(raw, sources).items():
        by_consumer.setdefault(consumer, []).extend(skipped)
    pacts = [
        PactResult(consumer, sources.provider, sources.source_of(consumer), tuple(results))
        for consumer, results in by_consumer.items()
    ]
    errors = [
        f"{e.get('interaction', 'pact')}: {_message(e.get('mismatch'))}"
        for e in report.get("errors") or []
        if isinstance(e, dict) and not str(e.get("interaction", "")).startswith("Verifying")
    ]
    errors += [
        f"provider state {f.state!r} ({f.action}) failed outside any interaction: {f.message}"
        for f in unplaced
    ]
    return pacts, errors


def interaction_result(item: dict[str, Any], failures: list[StateFailure]) -> InteractionResult:
    mismatch = item.get("mismatch")
    differences = differences_of(mismatch)
    if failures:  # pact's "a state change failed" says less than the failure itself
        differences = [d for d in differences if not _STATE_CHANGE_FAILED.match(d.message)]
    failed = item.get("result") != "OK" or bool(failures)
    pending = bool(item.get("pending"))
    status = Status.PASSED if not failed else Status.PENDING if pending else Status.FAILED
    return InteractionResult(
        description=str(item.get("description", "")),
        states=tuple(str(s) for s in item.get("providerStates") or []),
        status=status,
        differences=tuple(differences),
        state_failures=tuple(failures),
        seconds=_seconds(item.get("duration")),
        interaction_id=str((mismatch or {}).get("interactionId") or item.get("interactionId", "")),
    )


def differences_of(mismatch: Any) -> list[Difference]:
    if not isinstance(mismatch, dict):
        return []
    if mismatch.get("type") != "mismatches":
        return [Difference("error", "", "", "", _message(mismatch))]
    found = []
    for entry in mismatch.get("mismatches") or []:
        kind = _KINDS.get(str(entry.get("type")), str(entry.get("type", "")).lower())
        path = entry.get("path") or entry.get("key") or entry.get("parameter") or ""
        found.append(
            Difference(
                kind=kind,
                path="" if kind == "status" else str(path),
                expected=_text(entry.get("expected")),
                actual=_text(entry.get("actual")),
                message=str(entry.get("mismatch", "")),
            )
        )
    found.sort(key=_reading_order)
    return found


def _reading_order(difference: Difference) -> tuple[int, list[Any]]:
    """The status first, then headers, then the body, each in natural path order
    (`$.items[2]` before `$.items[10]`)."""
    order = list(_KINDS.values())
    rank = order.index(difference.kind) if difference.kind in order else len(order)
    path = [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", difference.path)]
    return rank, [(isinstance(p, str), p) for p in path]


def place_failures(
    raw: list[dict[str, Any]], calls: Sequence[StateCall]
) -> tuple[dict[int, list[StateFailure]], list[StateFailure]]:
    """State failures per interaction (index into `raw`), and those no interaction owns."""
    owner = _replay(raw, calls)
    if owner is None:
        owner = _by_name(raw, calls)
    placed: dict[int, list[StateFailure]] = {}
    unplaced = []
    for call in calls:
        if call.failure is None:
            continue
        key = call.setup_index if call.forced else call.index
        index = None if key is None else owner.get(key)
        if index is None:
            unplaced.append(call.failure)
        else:
            placed.setdefault(index, []).append(call.failure)
    return placed, unplaced


def _replay(raw: list[dict[str, Any]], calls: Sequence[StateCall]) -> dict[int, int] | None:
    """call index -> interaction index, by pact's own sequence; None when the log departs
    from it."""
    asked = [c for c in calls if not c.forced]
    owner: dict[int, int] = {}
    position = 0

    def take(action: str, state: str, interaction: int) -> StateCall | None:
        nonlocal position
        if position < len(asked):
            call = asked[position]
            if call.action == action and call.state == state:
                owner[call.index] = interaction
                position += 1
                return call
        return None

    for index, item in enumerate(raw):
        names = [str(s) for s in item.get("providerStates") or []] or [""]
        setups = [take("setup", name, index) for name in names]
        if any(call is None for call in setups):
            return None
        if all(call is not None and call.ok for call in setups):
            for name in names:
                take("teardown", name, index)
    return owner if position == len(asked) else None


def _by_name(raw: list[dict[str, Any]], calls: Sequence[StateCall]) -> dict[int, int]:
    owner: dict[int, int] = {}
    for call in calls:
        for index, item in enumerate(raw):
            names = [str(s) for s in item.get("providerStates") or []] or [""]
            if call.state in names:
                owner[call.index] = index
                break
    return owner


def _skipped(raw: list[dict[str, Any]], sources: PactSources) -> dict[str, list[InteractionResult]]:
    """Interactions of the pacts read here that pact did not verify (filters)."""
    ran = Counter((str(r.get("consumer")), str(r.get("description"))) for r in raw)
    skipped: dict[str, list[InteractionResult]] = {}
    for pact in sources.pacts:
        for description, states in pact.interactions:
            key = (pact.consumer, description)
            if ran[key]:
                ran[key] -= 1
                continue
            entry = InteractionResult(description, states, Status.SKIPPED)
            skipped.setdefault(pact.consumer, []).append(entry)
    return skipped


def _message(mismatch: Any) -> str:
    if isinstance(mismatch, dict):
        return str(mismatch.get("message") or mismatch.get("type") or mismatch)
    return str(mismatch)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _seconds(duration: Any) -> float | None:
    if not isinstance(duration, str):
        return None
    parts = _DURATION.findall(duration)
    if not parts:
        return None
    return sum(float(number) * _UNITS[unit] for number, unit in parts)
