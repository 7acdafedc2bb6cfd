"""Broker options on pact's real verifier against a fake broker (`broker.py`): what reaches
the broker (selectors, pending, WIP, branch, token), what is published, and failures.
A real Pact Broker or PactFlow is not run here; see ADR 0012 for what that leaves out."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.integration.verify.contract import APP, STATES
from tests.integration.verify.contract.broker import fake_broker
from toolkit.cli import cli


def verify(broker_url: str, *args: str) -> tuple[int, str]:
    common = ["--broker-url", broker_url, "--provider", "items-service", "--app", APP]
    result = CliRunner().invoke(cli, ["contract", "verify", *common, "--states", STATES, *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_selectors_reach_the_broker_and_results_are_published(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CTK_TEST_BROKER_TOKEN", "s3cret")
    with fake_broker() as broker:
        code, output = verify(
            broker.url,
            "--broker-token",
            "${CTK_TEST_BROKER_TOKEN}",
            "--consumer-version-selector",
            '{"mainBranch": true}',
            "--consumer-version-selector",
            '{"deployedOrReleased": true}',
            "--include-pending",
            "--include-wip-since",
            "2026-01-01",
            "--publish",
            "--provider-version",
            "1.2.3",
            "--provider-branch",
            "main",
        )
    assert code == 0, output
    assert f"items-web -> items-service  ({broker.url})" in output
    assert "note: broker: chosen: main" in output
    assert "results published to the broker" in output
    assert broker.bodies("POST", "/for-verification") == [
        {
            "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
            "includePendingStatus": True,
            "includeWipPactsSince": "2026-01-01",
            "providerVersionBranch": "main",
        }
    ]
    assert {auth for method, _, auth in broker.requests if method == "GET"} == {"Bearer s3cret"}
    assert [path for method, path, _ in broker.requests if method == "PUT"] == [
        "/pacticipants/items-service/branches/main/versions/1.2.3"
    ]
    (published,) = broker.bodies("POST", "/results")
    assert (published["providerApplicationVersion"], published["success"]) == ("1.2.3", True)


def test_consumer_tags_are_sent_as_selectors() -> None:
    with fake_broker() as broker:
        code, _ = verify(broker.url, "--consumer-tag", "prod", "--consumer-tag", "main")
    assert code == 0
    (request,) = broker.bodies("POST", "/for-verification")
    assert request["consumerVersionSelectors"] == [
        {"tag": "prod", "latest": True},
        {"tag": "main", "latest": True},
    ]
    assert broker.bodies("POST", "/results") == []  # nothing published without --publish


def test_failed_interactions_are_published_as_failed() -> None:
    with fake_broker() as broker:
        result = CliRunner().invoke(
            cli,
            [
                "contract",
                "verify",
                "--broker-url",
                broker.url,
                "--provider",
                "items-service",
                "--app",
                "tests.integration.verify.contract.provider:renamed",
                "--states",
                STATES,
                "--publish",
                "--provider-version",
                "1.2.4",
            ],
        )
    assert result.exit_code == 1, result.output
    (published,) = broker.bodies("POST", "/results")
    assert published["success"] is False


def test_a_publishing_failure_fails_the_run() -> None:
    with fake_broker(publishable=False) as broker:
        code, output = verify(broker.url, "--publish", "--provider-version", "1.2.3")
    assert code == 1
    assert "error: Publishing of verification results failed" in output
    assert "results published" not in output


def test_a_broker_without_pacts_is_exit_2() -> None:
    code, output = verify("http://127.0.0.1:9")
    assert code == 2
    assert "no interaction was verified" in output
    assert "No pacts found for provider 'items-service'" in output
