"""`ctk contract verify`: exit code and output together; every failure names the interaction
and the difference, every bad input is exit 2 with a clear message and no traceback."""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.integration.verify.contract import APP, PACTS, STATES
from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = "tests.integration.verify.contract.provider"
EMPTY_CONFIG = ROOT / "tests" / "cli" / "no_ctk_config.toml"  # the root's names another provider


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")


def run(*args: str) -> tuple[int, str]:
    started = time.monotonic()
    command = ["contract", "verify", "--config", str(EMPTY_CONFIG), *args]
    result = CliRunner().invoke(cli, command)
    assert time.monotonic() - started < 20, "a run must not hang"
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def masked(output: str) -> str:
    return re.sub(r"\d+\.\d+ s", "N s", output)


def test_a_passing_run_is_exit_0() -> None:
    code, output = run(str(PACTS / "passing"), "--app", APP, "--states", STATES)
    assert (code, masked(output).replace(str(PACTS), "PACTS")) == (
        0,
        "ctk contract verify: items-service (--app tests.integration.verify.contract.provider:app,"
        " states from tests.integration.verify.contract.states)\n"
        "\n"
        "items-web -> items-service  (PACTS/passing/items-web-items-service.json)\n"
        "  ✓ list items from a cursor  [given items exist]\n"
        "  ✓ get an item  [given an item with id 42 exists]\n"
        "  ✓ get a missing item\n"
        "\n"
        "passed: 3 interactions: 3 passed, 0 failed in 1 pact (N s, N s per interaction)\n",
    )


def test_a_renamed_field_is_exit_1_naming_interaction_and_difference() -> None:
    code, output = run(str(PACTS / "passing"), "--app", f"{PROVIDER}:renamed", "--states", STATES)
    assert code == 1
    assert (
        "  ✗ get an item  [given an item with id 42 exists] (failed)\n"
        "      body $: Actual map is missing the following keys: name\n"
        '        expected: ["id","name"]\n'
        '        actual:   ["id","title"]\n'
    ) in output
    assert "\x1b[" not in output  # readable without ANSI
    assert masked(output).endswith(
        "FAILED: 3 interactions: 1 passed, 2 failed in 1 pact (N s, N s per interaction)\n"
    )


def test_a_wrong_status_is_exit_1() -> None:
    code, output = run(
        str(PACTS / "passing"), "--app", f"{PROVIDER}:wrong_status", "--states", STATES
    )
    assert code == 1
    assert "  ✗ get an item  [given an item with id 42 exists] (failed)\n" in output
    assert "      status: expected 200, got 201\n" in output


def test_a_raising_state_handler_is_exit_1_with_its_exception() -> None:
    code, output = run(str(PACTS / "broken"), "--app", APP, "--states", STATES)
    assert code == 1
    assert "  ✗ list items while the store is broken  [given the store is broken] (failed)\n" in (
        output
    )
    assert (
        "      setup of provider state 'the store is broken' failed: RuntimeError: the database"
        " is down\n"
        "        raised at tests/integration/verify/contract/states.py:"
    ) in output


def test_a_missing_state_handler_lists_the_known_states() -> None:
    code, output = run(str(PACTS / "missing"), "--app", APP, "--states", STATES)
    assert code == 1
    assert "  ✗ get an archived item  [given an archived item exists] (failed)\n" in output
    assert (
        "        known states: 'items exist', 'an item with id {id} exists', 'the store is"
        " broken', 'a flaky teardown'\n"
    ) in output


def test_reports_are_written(tmp_path: Path) -> None:
    code, output = run(
        str(PACTS / "passing"),
        "--app",
        f"{PROVIDER}:renamed",
        "--states",
        STATES,
        "--report",
        "junit",
        "--report",
        "json",
        "--out",
        str(tmp_path),
    )
    assert code == 1
    assert f"reports written to {tmp_path}" in output
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "items-web -> items-service",
        "3",
        "2",
    )
    failure = suite.find("testcase[@name='get an item']/failure")
    assert failure is not None
    assert failure.get("message") == "body $: Actual map is missing the following keys: name"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"passed": 1, "failed": 2, "pending": 0, "skipped": 0}
    got = report["pacts"][0]["interactions"][1]
    assert (got["description"], got["status"], got["differences"][0]["path"]) == (
        "get an item",
        "failed",
        "$",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--app", APP], "nowhere: no such file or folder"),
        ([str(PACTS / "passing")], "give exactly one of --app MODULE:ATTR"),
        ([str(PACTS / "passing"), "--app", APP, "--states", "no_such_mod"], "cannot import"),
        ([str(PACTS / "passing"), "--url", "http://192.0.2.7:8000"], "is not a loopback address"),
        (
            [str(PACTS / "passing"), "--app", APP, "--publish"],
            "--publish needs --provider-version",
        ),
        (
            [
                str(PACTS / "passing"),
                "--app",
                APP,
                "--broker-url",
                "https://b",
                "--broker-token",
                "x",
            ],
            "--broker-token takes ${VAR}",
        ),
        ([str(PACTS / "passing"), "--app", f"{PROVIDER}:ITEMS"], "is not an ASGI application"),
        ([str(PACTS / "passing"), "--app", APP, "--provider", "nope"], "no pact for provider"),
        (["http://127.0.0.1:9/x.json", "--app", APP], "cannot fetch the pact"),
    ],
)
def test_bad_input_is_exit_2(args: list[str], message: str) -> None:
    code, output = run(*args)
    assert code == 2, output
    assert message in output


def test_a_malformed_pact_is_exit_2_with_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"consumer": {"name": "c"}, "provider": {"name": "p"},\n "interactions": 3}')
    code, output = run(str(bad), "--app", APP)
    assert code == 2
    assert f"{bad}:2:" in output
    assert "interactions" in output


def test_an_empty_folder_is_exit_2(tmp_path: Path) -> None:
    code, output = run(str(tmp_path), "--app", APP)
    assert code == 2
    assert "no pact files (*.json) in this folder" in output


def test_no_source_and_no_contracts_folder_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("--url", "http://127.0.0.1:9")
    assert code == 2
    assert "no pacts to verify: there is no contracts/ folder here" in output
