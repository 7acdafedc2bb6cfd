"""Pact's verification JSON (shapes copied from pact_ffi 0.5.12 runs) folded with ctk's
state-call log: differences, statuses, and state failures on the interaction they belong to
— also when pact itself reported the interaction as passed."""

from __future__ import annotations

from typing import Any

from toolkit.verify.contract._collect import collect, differences_of, place_failures
from toolkit.verify.contract.endpoint import StateCall
from toolkit.verify.contract.results import StateFailure, Status
from toolkit.verify.contract.sources import Pact, PactSources

SOURCES = PactSources(
    (
        Pact(
            "pacts/web.json",
            "web",
            "items",
            (("get an item", ("an item exists",)), ("list items", ()), ("filtered out", ())),
        ),
    ),
    "items",
    broker=None,
)


def result(description: str, states: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "consumer": "web",
        "provider": "items",
        "description": description,
        "providerStates": states,
        "duration": "38ms",
        "pending": False,
        "result": "OK",
        **extra,
    }


def failure(state: str, action: str = "setup") -> StateFailure:
    return StateFailure(state, action, {}, "RuntimeError", "boom", "states.py:3", "states.py:5")


def calls(*entries: tuple[str, str, bool]) -> list[StateCall]:
    return [
        StateCall(i, state, {}, action, None if ok else failure(state, action))
        for i, (state, action, ok) in enumerate(entries)
    ]


STATE_FAILED = {
    "interactionId": "",
    "message": "One or more of the teardown state change handlers has failed",
    "type": "error",
}


def test_a_state_failure_fails_the_interaction_even_when_pact_said_ok() -> None:
    report = {"interactionResults": [result("get an item", ["an item exists"])], "errors": []}
    log = calls(("an item exists", "setup", True), ("an item exists", "teardown", False))
    pacts, errors = collect(report, log, SOURCES)
    interaction = pacts[0].interactions[0]
    assert interaction.status is Status.FAILED
    assert interaction.state_failures == (failure("an item exists", "teardown"),)
    assert errors == []


def test_pacts_generic_state_message_gives_way_to_the_failure() -> None:
    item = result("get an item", ["an item exists"], result="Error", mismatch=STATE_FAILED)
    log = calls(("an item exists", "setup", True), ("an item exists", "teardown", False))
    pacts, _ = collect({"interactionResults": [item]}, log, SOURCES)
    interaction = pacts[0].interactions[0]
    assert interaction.differences == ()
    assert interaction.state_failures[0].action == "teardown"


def test_failures_are_placed_by_pacts_sequence() -> None:
    """Setups per state ("" when none), teardowns only when every setup succeeded."""
    raw = [
        result("a", ["s1", "s2"]),
        result("b", []),
        result("c", ["s1"]),
    ]
    log = calls(
        ("s1", "setup", False),  # a: failed, so no request and no teardowns
        ("s2", "setup", True),
        ("", "setup", True),  # b
        ("", "teardown", True),
        ("s1", "setup", True),  # c
        ("s1", "teardown", False),
    )
    placed, unplaced = place_failures(raw, log)
    assert {i: [f.action for f in fs] for i, fs in placed.items()} == {
        0: ["setup"],
        2: ["teardown"],
    }
    assert unplaced == []


def test_a_log_off_pacts_sequence_falls_back_to_the_state_name() -> None:
    raw = [result("a", ["s1"]), result("b", ["s2"])]
    log = calls(("s2", "setup", False))  # pact never asked for s1: not its sequence
    placed, unplaced = place_failures(raw, log)
    assert list(placed) == [1]
    assert unplaced == []


def test_a_forced_teardown_belongs_to_the_interaction_of_its_setup() -> None:
    raw = [result("a", ["s1", "s2"])]
    log = [
        StateCall(0, "s1", {}, "setup"),
        StateCall(1, "s2", {}, "setup", failure("s2")),
        StateCall(2, "s1", {}, "teardown", failure("s1", "teardown"), forced=True, setup_index=0),
    ]
    placed, _ = place_failures(raw, log)
    assert [f.state for f in placed[0]] == ["s2", "s1"]


def test_differences_keep_pacts_words_in_reading_order() -> None:
    mismatch = {
        "type": "mismatches",
        "mismatches": [
            {
                "actual": '["id","title"]',
                "expected": '["id","name"]',
                "mismatch": "Actual map is missing the following keys: name",
                "path": "$.items[10]",
                "type": "BodyMismatch",
            },
            {
                "actual": "",
                "expected": '"1"',
                "key": "X-A",
                "mismatch": "Expected a header 'X-A' but was missing",
                "type": "HeaderMismatch",
            },
            {
                "actual": 404,
                "expected": 200,
                "mismatch": "expected 200 but was 404",
                "type": "StatusMismatch",
            },
            {
                "actual": '["id","title"]',
                "expected": '["id","name"]',
                "mismatch": "Actual map is missing the following keys: name",
                "path": "$.items[2]",
                "type": "BodyMismatch",
            },
        ],
    }
    found = differences_of(mismatch)
    assert [(d.kind, d.path) for d in found] == [
        ("status", ""),
        ("header", "X-A"),
        ("body", "$.items[2]"),
        ("body", "$.items[10]"),
    ]
    assert (found[0].expected, found[0].actual) == ("200", "404")
    error = differences_of({"type": "error", "message": "error sending request"})
    assert [(d.kind, d.message) for d in error] == [("error", "error sending request")]


def test_statuses_pending_skipped_and_run_errors() -> None:
    report = {
        "interactionResults": [
            result(
                "get an item",
                ["an item exists"],
                result="Error",
                pending=True,
                mismatch={"type": "error", "message": "x"},
            ),
            result("list items", []),
        ],
        "errors": [
            {
                "interaction": "Failed to load pact",
                "mismatch": {"type": "error", "message": "Request failed"},
            }
        ],
    }
    log = calls(
        ("an item exists", "setup", True),
        ("an item exists", "teardown", True),
        ("", "setup", True),
        ("", "teardown", True),
    )
    pacts, errors = collect(report, log, SOURCES)
    statuses = [(i.description, i.status) for i in pacts[0].interactions]
    assert statuses == [
        ("get an item", Status.PENDING),
        ("list items", Status.PASSED),
        ("filtered out", Status.SKIPPED),
    ]
    assert pacts[0].source == "pacts/web.json"
    assert pacts[0].interactions[0].seconds == 0.038
    assert errors == ["Failed to load pact: Request failed"]
