"""One verification run: pacts in, the provider served with ctk's state endpoint, pact's
verifier (`pact.Verifier`, the Rust FFI) replaying every interaction, and a typed result out.

ctk re-implements no matching: the differences are pact's. What it adds is around the
engine: sources read and checked first, provider states as Python functions whose failures
stay attached to their interaction, and the verifier's own output kept off the terminal.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from toolkit.config import Config
from toolkit.errors import ToolkitError, UsageError
from toolkit.verify.contract._capture import Captured, captured_output
from toolkit.verify.contract._collect import collect
from toolkit.verify.contract.endpoint import STATE_PATH, StateEndpoint, with_state_endpoint
from toolkit.verify.contract.options import SELECTOR_KEYS, ContractOptions
from toolkit.verify.contract.results import ContractResult, Status
from toolkit.verify.contract.sources import PactSources, find_pacts
from toolkit.verify.contract.states import load_states
from toolkit.verify.contract.target import Provider, resolve_provider

if TYPE_CHECKING:
    from pact import Verifier

# pact's own line for a failed state call: the state failure says more
_NOISE = re.compile(r"Provider (setup|teardown) state change for .* has failed")
_STDERR_LINES = 40
_PUBLISH_FAILED = "Publishing of verification results failed"
DO_NOT_TRACK = "PACT_DO_NOT_TRACK"


def verify_contracts(options: ContractOptions, config: Config) -> ContractResult:
    """Verify the provider against its pacts; usage and input errors raise (exit 2), failed
    interactions are in the result."""
    # pact's verifier reports usage to the internet unless told not to; ctk reaches no
    # network by default, so it tells it, unless the user set the variable themselves.
    os.environ.setdefault(DO_NOT_TRACK, "true")
    sources = find_pacts(options, config.load)
    registry = load_states(options.states)
    provider = resolve_provider(options, config)
    endpoint = StateEndpoint(registry)
    started = time.perf_counter()
    with _serving(provider, endpoint) as (provider_url, state_url):
        verifier = _verifier(options, sources, provider_url, state_url)
        with captured_output() as captured:
            try:
                verifier.verify()
            except RuntimeError:
                pass  # failed interactions, or pacts that did not load: both in `results`
        closed = endpoint.close_leftovers_now()
    elapsed = time.perf_counter() - started
    report = verifier.results
    pacts, errors = collect(report, endpoint.calls, sources)
    published = options.publish is not None
    failed_publishing = [line for line in captured.logs if _PUBLISH_FAILED in line]
    if published and failed_publishing:
        published = False
        errors += [line.partition(": ")[2] for line in failed_publishing]
    if not any(i.status is not Status.SKIPPED for p in pacts for i in p.interactions):
        raise UsageError(
            "no interaction was verified",
            notes=errors or [f"pact said: {_last_words(captured)}"],
            hint="check the sources, --provider and the filters",
        )
    from pact import __version__ as pact_version

    return ContractResult(
        provider=sources.provider,
        target=provider.describe(),
        states_module=options.states,
        pacts=tuple(pacts),
        elapsed=elapsed,
        errors=tuple(errors),
        notes=(
            *sources.notes,
            *_broker_notices(report),
            *_notes(captured),
            *([] if closed else ["the last teardowns did not finish within 30 s"]),
        ),
        published=published,
        pact_version=pact_version,
    )


@contextmanager
def _serving(provider: Provider, endpoint: StateEndpoint) -> Iterator[tuple[str, str]]:
    """(provider base URL, state endpoint URL) while the servers run."""
    from toolkit.runtime import running

    app = endpoint if provider.app is None else with_state_endpoint(provider.app, endpoint)
    try:
        with running(app) as base:
            yield provider.url or base, base + STATE_PATH
    except RuntimeError as exc:
        if "did not start" not in str(exc):
            raise
        raise UsageError(
            f"{provider.describe()}: the app did not start ({exc})",
            hint="its lifespan startup failed; run it with `ctk serve` to see why",
        ) from None


def _verifier(
    options: ContractOptions, sources: PactSources, provider_url: str, state_url: str
) -> Verifier:
    from pact import Verifier

    host = urlsplit(provider_url).hostname or "127.0.0.1"
    try:
        verifier = Verifier(sources.provider, host=host).add_transport(url=provider_url)
        verifier.set_coloured_output(enabled=False)
        verifier.set_request_timeout(int(options.timeout * 1000))
        verifier.state_handler(state_url, teardown=True, body=True)
        for pact in sources.pacts:
            verifier.add_source(pact.source)
        filters = options.filters
        if filters.description or filters.state or filters.no_state:
            verifier.filter(filters.description, state=filters.state, no_state=filters.no_state)
        if filters.consumers:
            verifier.filter_consumers(*filters.consumers)
        _broker(verifier, options)
        if options.publish is not None:
            verifier.set_publish_options(
                version=options.publish.provider_version, branch=options.publish.provider_branch
            )
    except (ValueError, TypeError) as exc:  # pact's own refusal of a value
        raise ToolkitError(f"pact refused the verifier's set-up: {exc}") from None
    return verifier


def _broker(verifier: Verifier, options: ContractOptions) -> None:
    broker = options.broker
    if broker is None:
        return
    credentials: dict[str, Any] = (
        {"token": broker.token}
        if broker.token
        else {"username": broker.username, "password": broker.password}
    )
    builder = verifier.broker_source(broker.url, selector=True, use_env=False, **credentials)
    if broker.include_pending:
        builder.include_pending()
    if broker.include_wip_since is not None:
        builder.include_wip_since(broker.include_wip_since)
    if broker.consumer_tags:
        builder.consumer_tags(*broker.consumer_tags)
    if broker.provider_branch:
        builder.provider_branch(broker.provider_branch)
    for selector in broker.selectors:
        builder.consumer_version(**{SELECTOR_KEYS[k]: v for k, v in selector.items()})
    builder.build()


def _broker_notices(report: dict[str, Any]) -> list[str]:
    """Why the broker chose each pact ("...because it matches mainBranch")."""
    notices = []
    for notice in report.get("notices") or []:
        text = notice.get("text") if isinstance(notice, dict) else notice
        if text:
            notices.append(f"broker: {text}")
    return notices


def _notes(captured: Captured) -> list[str]:
    """The warnings pact logged that the result does not already hold, and what the
    provider (or pact's core) wrote to stderr meanwhile, e.g. an app's traceback."""
    notes: list[str] = []
    for line in captured.logs:
        message = " ".join(line.split())
        if "tracking events anonymously" in message:
            message = "pact sends anonymous usage statistics; PACT_DO_NOT_TRACK=true stops it"
        elif _NOISE.search(message) or _PUBLISH_FAILED in message:
            continue  # said better elsewhere
        if message not in notes:
            notes.append(message)
    written = [
        line for line in captured.stderr.splitlines() if line.strip() and not _NOISE.search(line)
    ]
    if written:
        tail = written[-_STDERR_LINES:]
        notes.append("written to stderr during verification:\n    " + "\n    ".join(tail))
    return notes


def _last_words(captured: Captured) -> str:
    lines = [line.strip() for line in captured.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else "nothing"
