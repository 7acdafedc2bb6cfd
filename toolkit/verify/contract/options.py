"""Every option of `ctk contract verify`, in one frozen dataclass, checked once
(`contract_options`) so the CLI stays a parser and a bad combination is exit 2 before any
server starts."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

TOKEN_VAR = "PACT_BROKER_TOKEN"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# consumer version selector keys (the broker's JSON) -> pact-python's keyword arguments
SELECTOR_KEYS = {
    "consumer": "consumer",
    "tag": "tag",
    "fallbackTag": "fallback_tag",
    "latest": "latest",
    "deployedOrReleased": "deployed_or_released",
    "deployed": "deployed",
    "released": "released",
    "environment": "environment",
    "mainBranch": "main_branch",
    "branch": "branch",
    "matchingBranch": "matching_branch",
    "fallbackBranch": "fallback_branch",
}


@dataclass(frozen=True, slots=True)
class BrokerOptions:
    url: str
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    selectors: tuple[dict[str, Any], ...] = ()
    consumer_tags: tuple[str, ...] = ()
    include_pending: bool = False
    include_wip_since: date | None = None
    provider_branch: str | None = None


@dataclass(frozen=True, slots=True)
class PublishOptions:
    provider_version: str
    provider_branch: str | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    description: str | None = None  # a regular expression
    state: str | None = None  # a regular expression
    no_state: bool = False  # only interactions that name no state
    consumers: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.description or self.state or self.no_state or self.consumers)


@dataclass(frozen=True, slots=True)
class ContractOptions:
    sources: tuple[str, ...] = ()  # files, folders, http(s) URLs; none: contracts/
    provider: str | None = None  # default: the provider the local pacts name
    app: str | None = None
    impl: str | None = None
    url: str | None = None
    spec: Path | None = None  # for --impl
    package: str | None = None  # for --impl
    verifier: str | None = None  # for --impl: MODULE:ATTR of a runtime Verifier
    allow_hosts: tuple[str, ...] = ()
    states: str | None = None  # the module of @provider_state handlers
    broker: BrokerOptions | None = None
    publish: PublishOptions | None = None
    filters: Filters = field(default_factory=Filters)
    timeout: float = 10.0  # seconds pact waits for one provider response


def contract_options(
    *,
    broker_url: str | None = None,
    broker_token: str | None = None,
    selectors: tuple[str, ...] = (),
    consumer_tags: tuple[str, ...] = (),
    include_pending: bool = False,
    include_wip_since: str | None = None,
    publish: bool = False,
    provider_version: str | None = None,
    provider_branch: str | None = None,
    env: dict[str, str] | None = None,
    **given: Any,
) -> ContractOptions:
    """Options from the command line's raw values; every misuse is a UsageError."""
    env = dict(os.environ) if env is None else env
    targets = [name for name in ("app", "impl", "url") if given.get(name)]
    if len(targets) != 1:
        raise UsageError(
            "give exactly one of --app MODULE:ATTR, --impl MODULE:ATTR or --url URL",
            hint="the provider to verify: an ASGI app, your implementation, or a running server",
        )
    if given.get("verifier") and not given.get("impl"):
        raise UsageError(
            "--verifier only applies to --impl",
            hint="an --app or --url provider has its own security set up",
        )
    broker_only = (consumer_tags, selectors, include_pending, include_wip_since, provider_branch)
    if broker_url is None and any(broker_only):
        raise UsageError(
            "--consumer-version-selector, --consumer-tag, --include-pending, "
            "--include-wip-since and --provider-branch select pacts from a broker",
            hint="add --broker-url URL",
        )
    if selectors and consumer_tags:
        raise UsageError(
            "--consumer-tag and --consumer-version-selector do not combine: pact reads the tags "
            "only when no selector is given",
            hint='write a tag as a selector: --consumer-version-selector \'{"tag": "prod", '
            '"latest": true}\'',
        )
    broker = None
    if broker_url is not None:
        broker = BrokerOptions(
            url=_broker_url(broker_url),
            token=_token(broker_token, env),
            username=env.get("PACT_BROKER_USERNAME") or None,
            password=env.get("PACT_BROKER_PASSWORD") or None,
            selectors=tuple(_selector(text) for text in selectors),
            consumer_tags=consumer_tags,
            include_pending=include_pending,
            include_wip_since=_date(include_wip_since),
            provider_branch=provider_branch,
        )
    published = None
    if publish:
        if not provider_version:
            raise UsageError(
                "--publish needs --provider-version",
                hint="the broker records results against a provider version, e.g. the git SHA",
            )
        if broker is None:
            raise UsageError(
                "--publish needs --broker-url",
                hint="results are published for pacts fetched from a broker",
            )
        published = PublishOptions(provider_version, provider_branch)
    elif provider_version:
        raise UsageError("--provider-version is only used with --publish")
    filters = Filters(
        description=_pattern(given.pop("filter_description", None), "--filter-description"),
        state=_pattern(given.pop("filter_state", None), "--filter-state"),
        no_state=bool(given.pop("filter_no_state", False)),
        consumers=tuple(given.pop("consumers", ()) or ()),
    )
    values = {k: v for k, v in given.items() if v is not None}
    if "sources" in values:
        values["sources"] = tuple(values["sources"])
    if "allow_hosts" in values:
        values["allow_hosts"] = tuple(values["allow_hosts"])
    try:
        return ContractOptions(broker=broker, publish=published, filters=filters, **values)
    except TypeError as exc:  # a programming error in the caller, not the user's
        raise UsageError(f"unknown option: {exc}") from None


def _broker_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise UsageError(
            f"--broker-url must be an http(s) URL, got {url!r}",
            hint="e.g. https://broker.example.com",
        )
    return url.rstrip("/")


def _token(given: str | None, env: dict[str, str]) -> str | None:
    """The token from `${VAR}` or $PACT_BROKER_TOKEN, never a literal on the command line."""
    if given is None:
        return env.get(TOKEN_VAR) or None
    match = _VAR.fullmatch(given.strip())
    if match is None:
        raise UsageError(
            "--broker-token takes ${VAR}, the name of an environment variable holding the "
            "token, not the token itself (it would land in your shell history)",
            hint=f"export {TOKEN_VAR}=... (read by default), or --broker-token '${{MY_VAR}}'",
        )
    value = env.get(match.group(1))
    if not value:
        raise UsageError(f"--broker-token: ${{{match.group(1)}}} is not set")
    return value


def _selector(text: str) -> dict[str, Any]:
    try:
        selector = json.loads(text)
    except ValueError as exc:
        raise UsageError(
            f"--consumer-version-selector {text!r} is not JSON: {exc}",
            hint="e.g. '{\"mainBranch\": true}' or '{\"deployedOrReleased\": true}'",
        ) from None
    if not isinstance(selector, dict) or not selector:
        raise UsageError(f"--consumer-version-selector {text!r} must be a non-empty JSON object")
    unknown = sorted(set(selector) - set(SELECTOR_KEYS))
    if unknown:
        raise UsageError(
            f"--consumer-version-selector: unknown key(s) {', '.join(unknown)}",
            hint=f"known keys: {', '.join(SELECTOR_KEYS)}",
        )
    return selector


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--include-wip-since {text!r} is not a date", hint="use YYYY-MM-DD"
        ) from None


def _pattern(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        re.compile(text)
    except re.error as exc:
        raise UsageError(f"{option} {text!r} is not a regular expression: {exc}") from None
    return text
