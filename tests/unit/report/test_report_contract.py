"""The contract renderers: one result, three outputs; hostile text (markup, control
characters) kept inert; pending and skipped interactions never counted as failures."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from toolkit.report.contract_json import render_contract_json
from toolkit.report.contract_junit import render_contract_junit
from toolkit.report.contract_text import render_contract_text
from toolkit.verify.contract.results import (
    ContractResult,
    Difference,
    InteractionResult,
    PactResult,
    StateFailure,
    Status,
)

HOSTILE = "[bold]x[/bold] \x00\x1b[31m <b>&"


def _result() -> ContractResult:
    body = Difference("body", "$.name", '"a"', '"b"', "Expected 'a' but received 'b'")
    status = Difference("status", "", "200", "500", "expected 200 but was 500")
    failure = StateFailure(
        "a user exists",
        "setup",
        {"id": 1},
        "KeyError",
        "'users'",
        "states.py:10",
        "states.py:12",
    )
    forced = StateFailure(
        "a token exists", "teardown", {}, "OSError", "gone", "states.py:20", forced=True
    )
    interactions = (
        InteractionResult("get a user", ("a user exists",), Status.FAILED, (), (failure, forced)),
        InteractionResult(f"rename {HOSTILE}", (), Status.FAILED, (status, body), seconds=0.012),
        InteractionResult("new field", (), Status.PENDING, (body,)),
        InteractionResult("list users", (), Status.PASSED, seconds=0.004),
        InteractionResult("filtered", (), Status.SKIPPED),
    )
    pact = PactResult("web", "users", "pacts/web-users.json", interactions)
    return ContractResult(
        provider="users",
        target="--app svc:app",
        states_module="svc.states",
        pacts=(pact,),
        elapsed=0.5,
        errors=("Failed to load pact: Request failed",),
        notes=("skipped other.json: a pact for provider 'x'",),
        pact_version="4.2.0",
    )


def test_text_one_line_per_interaction_and_the_differences_in_words() -> None:
    text = render_contract_text(_result())
    assert text.splitlines()[:4] == [
        "ctk contract verify: users (--app svc:app, states from svc.states)",
        "",
        "web -> users  (pacts/web-users.json)",
        "  ✗ get a user  [given a user exists] (failed)",
    ]
    assert (
        "      setup of provider state 'a user exists' failed: KeyError: 'users'\n"
        "        raised at states.py:12, handler at states.py:10\n"
        "      teardown of provider state 'a token exists' failed: OSError: gone\n"
        "        handler at states.py:20\n"
        "        (ctk ran this teardown itself: pact skips them after a failed setup)\n"
    ) in text
    assert "      status: expected 200, got 500\n" in text
    assert "  ! new field (pending)\n      body $.name: Expected 'a' but received 'b'\n" in text
    assert "  ✓ list users\n  - filtered (skipped)\n" in text
    assert "[bold]x[/bold]" in text  # pact's text is not rich markup
    assert "note: skipped other.json" in text
    assert "error: Failed to load pact: Request failed" in text
    assert text.endswith(
        "FAILED: 5 interactions: 1 passed, 2 failed, 1 pending, 1 skipped in 1 pact"
        " (0.50 s, 0.12 s per interaction); 1 run error\n"
    )


def test_text_in_color_still_says_the_same() -> None:
    colored = render_contract_text(_result(), color=True)
    assert "\x1b[" in colored
    assert "status: expected 200, got 500" in colored


def test_junit_suite_per_pact_case_per_interaction() -> None:
    root = ET.fromstring(render_contract_junit(_result()))
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "6",
        "2",
        "1",
        "1",
    )
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "web -> users"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "get a user",
        "rename [bold]x[/bold] \ufffd\ufffd[31m <b>&",  # XML 1.0 cannot carry NUL or ESC
        "new field",
        "list users",
        "filtered",
    ]
    failure = cases[0].find("failure")
    assert failure is not None
    assert (
        failure.get("message")
        == "setup of provider state 'a user exists' failed: KeyError: 'users'"
    )
    second = cases[1].find("failure")
    assert second is not None and "\x00" not in (second.text or "")
    assert cases[2].find("failure") is None and cases[2].find("system-out") is not None
    assert cases[4].find("skipped") is not None
    run = root.findall("testsuite")[1]
    assert run.get("name") == "ctk contract verify: run"


def test_json_has_every_interaction_with_its_differences() -> None:
    data = json.loads(render_contract_json(_result()))
    assert data["failed"] is True
    assert data["summary"] == {"passed": 1, "failed": 2, "pending": 1, "skipped": 1}
    first = data["pacts"][0]["interactions"][0]
    assert first["state_failures"][0]["raised_at"] == "states.py:12"
    assert first["state_failures"][1]["forced"] is True
    second = data["pacts"][0]["interactions"][1]
    assert [d["kind"] for d in second["differences"]] == ["status", "body"]
    assert second["message"].startswith("status: expected 200, got 500")


def test_a_run_with_only_pending_failures_passes() -> None:
    pending = InteractionResult("new field", (), Status.PENDING)
    result = ContractResult("p", "--url u", None, (PactResult("c", "p", "s", (pending,)),), 0.1)
    assert not result.failed()
    assert render_contract_text(result).startswith("ctk contract verify: p (--url u)\n")
    assert "passed: 1 interaction: 0 passed, 0 failed, 1 pending" in render_contract_text(result)
