"""Contract verification on pact's real verifier: a tiny items service (`provider.py`), its
provider states (`states.py`) and fixture pacts (`pacts/`)."""

from __future__ import annotations

from pathlib import Path

PACTS = Path(__file__).parent / "pacts"
STATES = "tests.integration.verify.contract.states"
APP = "tests.integration.verify.contract.provider:app"
