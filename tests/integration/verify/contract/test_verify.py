"""`verify_contracts` end to end: pact's FFI verifier, a provider on 127.0.0.1 with ctk's
state endpoint in front, the fixture pacts under `pacts/`. Each failure must name the
interaction and say what differs."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from tests.integration.verify.contract import APP, PACTS, STATES, provider, states
from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.verify.contract.engine import verify_contracts
from toolkit.verify.contract.options import contract_options
from toolkit.verify.contract.results import ContractResult, InteractionResult, Status


def run(*sources: Any, **given: Any) -> ContractResult:
    given.setdefault("app", APP)
    given.setdefault("states", STATES)
    options = contract_options(sources=tuple(str(s) for s in sources), env={}, **given)
    return verify_contracts(options, Config())


def by_description(result: ContractResult) -> dict[str, InteractionResult]:
    return {i.description: i for i in result.interactions}


def test_a_provider_that_keeps_the_contract_passes() -> None:
    result = run(PACTS / "passing")
    assert not result.failed()
    assert [(i.description, i.status) for i in result.interactions] == [
        ("list items from a cursor", Status.PASSED),
        ("get an item", Status.PASSED),
        ("get a missing item", Status.PASSED),
    ]
    assert result.provider == "items-service"  # read from the pact
    assert result.pacts[0].consumer == "items-web"


def test_pact_is_told_not_to_report_usage_unless_the_user_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pact's verifier phones home by default; ctk reaches no network by default. (The
    user's own setting is kept: `setdefault`; not run here, it would reach the internet.)"""
    monkeypatch.delenv("PACT_DO_NOT_TRACK")
    result = run(PACTS / "passing", filter_description="get an item")
    assert os.environ["PACT_DO_NOT_TRACK"] == "true"
    assert not [n for n in result.notes if "usage" in n], result.notes


def test_state_values_are_injected_and_every_state_is_torn_down() -> None:
    """The list request's `cursor` is `${cursor}`, which only the handler's yielded value
    fills (the app refuses the pact's example value); teardowns run in order."""
    run(PACTS / "passing")
    assert states.EVENTS == [
        "setup items exist 3",
        "teardown items exist",
        "setup item 42 widget",  # id converted to int from params, name from params
        "teardown item 42",
        "teardown (no state)",
    ]
    assert provider.ITEMS == {}


def test_async_handlers_run_on_the_apps_event_loop() -> None:
    run(PACTS / "passing", filter_description="cursor")
    assert states.LOOPS == provider.LOOP


def test_a_renamed_response_field_fails_with_the_body_difference() -> None:
    result = run(PACTS / "passing", app="tests.integration.verify.contract.provider:renamed")
    failed = by_description(result)["get an item"]
    assert failed.status is Status.FAILED
    (difference,) = failed.differences
    assert (difference.kind, difference.path) == ("body", "$")
    assert difference.message == "Actual map is missing the following keys: name"
    assert (difference.expected, difference.actual) == ('["id","name"]', '["id","title"]')
    listed = by_description(result)["list items from a cursor"]
    assert [d.path for d in listed.differences] == ["$.items[0]", "$.items[1]"]


def test_a_wrong_status_fails_with_expected_and_actual() -> None:
    result = run(PACTS / "passing", app="tests.integration.verify.contract.provider:wrong_status")
    failed = by_description(result)["get an item"]
    assert [(d.kind, d.expected, d.actual) for d in failed.differences] == [
        ("status", "200", "201")
    ]
    assert by_description(result)["get a missing item"].status is Status.PASSED


def test_a_raising_state_handler_fails_its_interaction_with_the_exception() -> None:
    result = run(PACTS / "broken")
    (interaction,) = result.interactions
    assert interaction.description == "list items while the store is broken"
    assert interaction.status is Status.FAILED
    assert interaction.differences == ()  # pact's "a state change failed" replaced by the cause
    (failure,) = interaction.state_failures
    assert (failure.state, failure.action, failure.error, failure.message) == (
        "the store is broken",
        "setup",
        "RuntimeError",
        "the database is down",
    )
    assert failure.location.startswith("tests/integration/verify/contract/states.py:")
    assert failure.raised_at != failure.location


def test_a_missing_state_handler_lists_the_known_states() -> None:
    result = run(PACTS / "missing")
    (failure,) = result.interactions[0].state_failures
    assert "no handler in tests.integration.verify.contract.states" in failure.message
    assert "'an archived item exists'" in failure.message
    assert failure.notes == (
        "known states: 'items exist', 'an item with id {id} exists', 'the store is broken', "
        "'a flaky teardown'",
    )


def test_a_failing_teardown_fails_its_interaction() -> None:
    (interaction,) = run(PACTS / "teardown").interactions
    assert interaction.status is Status.FAILED
    assert [(f.action, f.error) for f in interaction.state_failures] == [
        ("teardown", "ConnectionError")
    ]


def test_what_pact_never_tears_down_after_a_failed_setup_is_torn_down_by_ctk() -> None:
    """States [item 5, broken, item 6]: item 5 is torn down when `broken` fails; pact still
    sets up item 6, never tears anything down, and ctk does at the end of the run."""
    (interaction,) = run(PACTS / "leftover").interactions
    assert states.EVENTS == [
        "setup item 5 widget",
        "teardown item 5",
        "setup item 6 widget",
        "teardown item 6",
    ]
    assert [f.state for f in interaction.state_failures] == ["the store is broken"]
    assert provider.ITEMS == {}


def test_pacts_own_output_stays_off_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    run(PACTS / "broken")
    out, err = capfd.readouterr()
    assert "Verifying a pact between" not in out
    assert "state change for" not in err


def test_without_states_a_pact_that_names_states_fails_with_a_hint() -> None:
    result = run(PACTS / "passing", states=None)
    statuses = {i.description: i.status for i in result.interactions}
    assert statuses["get a missing item"] is Status.PASSED  # names no state
    failure = by_description(result)["get an item"].state_failures[0]
    assert "no --states module was given" in failure.message
    assert failure.hint == "pass --states MODULE with a @provider_state function for it"


def test_filtered_interactions_are_skipped() -> None:
    result = run(PACTS / "passing", filter_description="^get an item$")
    assert [i.status for i in result.interactions] == [
        Status.PASSED,
        Status.SKIPPED,
        Status.SKIPPED,
    ]


@pytest.fixture
def pact_server() -> Iterator[str]:
    """The pacts folder served by http.server on 127.0.0.1, in a thread."""
    handler = partial(_QuietHandler, directory=str(PACTS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_pact_from_a_loopback_url(pact_server: str) -> None:
    url = f"{pact_server}/passing/items-web-items-service.json"
    result = run(url)
    assert not result.failed()
    assert result.pacts[0].source == url
    assert len(result.interactions) == 3


def test_a_url_provider_gets_the_state_endpoint_on_its_own_server() -> None:
    from toolkit.runtime import running

    with running(provider.app) as base:
        result = run(PACTS / "passing", app=None, url=base)
    assert not result.failed()
    assert states.EVENTS[0] == "setup items exist 3"


@pytest.mark.parametrize(
    ("sources", "given", "message"),
    [
        (["nowhere/pacts"], {}, "nowhere/pacts: no such file or folder"),
        ([PACTS / "passing"], {"provider": "other"}, "no pact for provider 'other'"),
        (
            [PACTS / "passing" / "items-web-items-service.json"],
            {"provider": "other"},
            "is a pact for provider 'items-service', not 'other'",
        ),
        (["http://127.0.0.1:9/pact.json"], {}, "cannot fetch the pact at http://127.0.0.1:9"),
        (["http://192.0.2.1/pact.json"], {}, "192.0.2.1 is not a loopback address"),
        ([PACTS / "passing"], {"filter_description": "^nothing$"}, "no interaction was verified"),
        ([PACTS / "passing"], {"states": "no_such_states_module"}, "--states: cannot import"),
        ([PACTS / "passing"], {"url": "http://192.0.2.1:8000", "app": None}, "not a loopback"),
    ],
)
def test_bad_input_is_a_usage_error(
    sources: list[Any], given: dict[str, Any], message: str
) -> None:
    with pytest.raises(ToolkitError) as error:
        run(*sources, **given)
    assert message in str(error.value)
