"""Contract runs on pact's real verifier against real servers on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.integration.verify.contract import provider, states


@pytest.fixture(autouse=True)
def _quiet_and_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """No usage statistics sent from test runs; every test starts with no items."""
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")
    provider.ITEMS.clear()
    states.EVENTS.clear()
    states.LOOPS.clear()
