"""The reference service verified against a prompt-cli pact that uses the provider states of
`examples/prompt_library/states.py`, on the generated app around the service (`--impl`)
with the development key's verifier: the states share the app's database and loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.integration.verify.contract import PACTS
from toolkit.cli import cli
from toolkit.config import load_config
from toolkit.verify.contract.engine import verify_contracts
from toolkit.verify.contract.options import contract_options
from toolkit.verify.contract.results import ContractResult, Status

ROOT = Path(__file__).resolve().parents[4]
PACT = PACTS / "prompt_library" / "prompt-cli-prompt-library.json"
CONTRACT = ROOT / "contracts" / "prompt-cli-prompt-library.json"
STATES = "examples.prompt_library.states"
VERIFIER = "examples.prompt_library.states:dev_verifier"


@pytest.fixture(autouse=True)
def _fresh_service(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A service built for this test, on a temporary SQLite file, closed afterwards."""
    from examples import prompt_library

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "prompts.sqlite3"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name in ("app", "service"):  # built lazily from the environment: build them anew
        vars(prompt_library).pop(name, None)
    yield
    service = vars(prompt_library).pop("service", None)
    vars(prompt_library).pop("app", None)
    if service is not None:
        asyncio.run(service.aclose())


def verify(pact: Path = PACT, **given: Any) -> ContractResult:
    given = {"impl": "examples.prompt_library:service", "states": STATES, **given}
    options = contract_options(sources=(str(pact),), env={}, **given)
    return verify_contracts(options, load_config(ROOT / "pyproject.toml"))


def test_the_reference_service_honours_the_pact() -> None:
    result = verify(verifier=VERIFIER)
    assert [(i.description, i.status) for i in result.interactions] == [
        ("list the second page of prompts", Status.PASSED),
        ("get a prompt", Status.PASSED),
        ("get a prompt that does not exist", Status.PASSED),
        ("retry a create with the same Idempotency-Key", Status.PASSED),
        ("create a prompt", Status.PASSED),
    ], [i.differences or i.state_failures for i in result.interactions]


def test_the_prompt_cli_consumer_pacts_fit_the_spec() -> None:
    """`contracts/` (written by examples/prompt_cli's tests) offline against the spec, as
    configured in [tool.ctk.contract]."""
    result = CliRunner().invoke(cli, ["contract", "check"])
    assert result.exit_code == 0, result.output
    interactions = len(json.loads(CONTRACT.read_text(encoding="utf-8"))["interactions"])
    assert f"No findings in {interactions} interactions of 1 pact" in result.output


def test_the_prompt_cli_consumer_pacts_pass(tmp_path: Path) -> None:
    """`ctk contract verify` with nothing but [tool.ctk.contract]: the reference service
    (`--impl`), its states and its key, against every interaction of `contracts/`."""
    args = ["contract", "verify", "--report", "json", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    expected = json.loads(CONTRACT.read_text(encoding="utf-8"))["interactions"]
    assert report["summary"]["passed"] == len(expected) == 10, report["summary"]


def test_without_a_verifier_every_secured_operation_answers_401() -> None:
    result = verify()
    statuses = {d.actual for i in result.interactions for d in i.differences if d.kind == "status"}
    assert statuses == {"401"}


def test_a_changed_expectation_fails_with_the_difference(tmp_path: Path) -> None:
    pact = json.loads(PACT.read_text(encoding="utf-8"))
    pact["interactions"] = [pact["interactions"][1]]  # get a prompt
    pact["interactions"][0]["response"]["body"]["content"]["template"] = "Say bye to {{who}}."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(pact), encoding="utf-8")
    (interaction,) = verify(changed, verifier=VERIFIER).interactions
    assert [(d.kind, d.path, d.actual) for d in interaction.differences] == [
        ("body", "$.template", '"Say hello to {{who}}."')
    ]
