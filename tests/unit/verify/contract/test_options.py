"""Option combinations no run could use are exit 2 before any server starts; the broker
token never comes from a literal on the command line."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from toolkit.errors import UsageError
from toolkit.verify.contract.options import contract_options

APP = {"app": "pkg.app:app"}


def options(**given: Any) -> Any:
    return contract_options(env=given.pop("env", {}), **given)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "give exactly one of --app MODULE:ATTR, --impl MODULE:ATTR or --url URL"),
        ({"app": "a:b", "url": "http://127.0.0.1:1"}, "give exactly one of"),
        ({**APP, "publish": True}, "--publish needs --provider-version"),
        ({**APP, "publish": True, "provider_version": "1.0"}, "--publish needs --broker-url"),
        ({**APP, "provider_version": "1.0"}, "--provider-version is only used with --publish"),
        ({**APP, "consumer_tags": ("main",)}, "select pacts from a broker"),
        ({**APP, "include_pending": True}, "select pacts from a broker"),
        ({**APP, "broker_url": "broker.example.com"}, "--broker-url must be an http(s) URL"),
        (
            {**APP, "broker_url": "https://b.example", "broker_token": "s3cret"},
            "--broker-token takes ${VAR}",
        ),
        (
            {**APP, "broker_url": "https://b.example", "broker_token": "${CTK_UNSET_TOKEN}"},
            "--broker-token: ${CTK_UNSET_TOKEN} is not set",
        ),
        (
            {**APP, "broker_url": "https://b.example", "selectors": ("{mainBranch: true}",)},
            "is not JSON",
        ),
        (
            {**APP, "broker_url": "https://b.example", "selectors": ('{"main": true}',)},
            "unknown key(s) main",
        ),
        ({**APP, "broker_url": "https://b.example", "selectors": ("[]",)}, "non-empty JSON object"),
        (
            {**APP, "broker_url": "https://b.example", "include_wip_since": "last week"},
            "is not a date",
        ),
        ({**APP, "verifier": "x:y"}, "--verifier only applies to --impl"),
        (
            {
                **APP,
                "broker_url": "https://b.example",
                "consumer_tags": ("prod",),
                "selectors": ('{"mainBranch": true}',),
            },
            "--consumer-tag and --consumer-version-selector do not combine",
        ),
        ({**APP, "filter_description": "("}, "--filter-description '(' is not a regular"),
    ],
)
def test_unusable_options_are_usage_errors(given: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as error:
        options(**given)
    assert message in str(error.value)
    assert error.value.exit_code == 2


def test_broker_options_are_passed_through() -> None:
    got = options(
        **APP,
        broker_url="https://broker.example/",
        selectors=('{"mainBranch": true}', '{"deployedOrReleased": true}'),
        include_pending=True,
        include_wip_since="2026-01-31",
        publish=True,
        provider_version="abc123",
        provider_branch="main",
        env={"PACT_BROKER_TOKEN": "t0k"},
    )
    assert got.broker.url == "https://broker.example"
    assert got.broker.token == "t0k"
    assert "t0k" not in repr(got)  # never in a log line or a traceback
    assert got.broker.selectors == ({"mainBranch": True}, {"deployedOrReleased": True})
    assert got.broker.include_wip_since == date(2026, 1, 31)
    assert (got.publish.provider_version, got.publish.provider_branch) == ("abc123", "main")


def test_the_token_may_name_another_variable() -> None:
    got = options(
        **APP,
        broker_url="https://b.example",
        broker_token="${MY_TOKEN}",
        env={"MY_TOKEN": "from-my-var", "PACT_BROKER_TOKEN": "default"},
    )
    assert got.broker.token == "from-my-var"


def test_filters_and_sources() -> None:
    got = options(
        **APP,
        sources=["contracts/a.json"],
        filter_description="^get",
        filter_no_state=True,
        consumers=("web",),
    )
    assert got.sources == ("contracts/a.json",)
    assert (got.filters.description, got.filters.no_state, got.filters.consumers) == (
        "^get",
        True,
        ("web",),
    )
