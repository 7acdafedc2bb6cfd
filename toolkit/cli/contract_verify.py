"""`ctk contract verify [PACT_SOURCE...] (--app | --impl | --url)`: replay the consumers'
pacts against the provider with pact's verifier, provider states as Python functions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit._files import write_atomic
from toolkit.cli._common import color_option, config_option, handle_errors
from toolkit.config import CONTRACT_REPORTS, ContractConfig

DEFAULT_OUT = Path(".ctk/contract")
_TARGET = ("app", "impl", "url")
_WITH_IMPL = ("spec", "package", "verifier")  # meaningful only with the configured --impl


@click.command()
@click.argument("sources", metavar="[PACT_SOURCE]...", nargs=-1)
@click.option("--provider", help="The provider's name (default: the one the pacts name).")
@click.option("--app", help="The provider as an ASGI app, served in-process: module:attr.")
@click.option("--impl", help="Your implementation of the generated service: module:attr.")
@click.option("--url", help="A running provider's base URL (loopback unless --allow-host).")
@click.option(
    "--spec",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The spec of --impl's generated package (default: [tool.ctk.fuzz] or generate).",
)
@click.option("--package", help="The generated package for --impl (default: from the spec).")
@click.option(
    "--verifier",
    help="The security verifier for --impl: module:attr of a Verifier or a factory.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    help="Let --url and pact URLs reach this host.",
)
@click.option("--states", help="The module of @provider_state handlers.")
@click.option("--filter-description", help="Only interactions whose description matches.")
@click.option("--filter-state", help="Only interactions with a provider state that matches.")
@click.option("--filter-no-state", is_flag=True, help="Only interactions that name no state.")
@click.option("--consumer", "consumers", multiple=True, help="Only this consumer's pacts.")
@click.option("--broker-url", help="Fetch the pacts from this Pact Broker too.")
@click.option(
    "--broker-token",
    help="'${VAR}': the variable holding the broker token (default: $PACT_BROKER_TOKEN).",
)
@click.option(
    "--consumer-version-selector",
    "selectors",
    multiple=True,
    help="Broker selector as JSON, e.g. '{\"mainBranch\": true}' (repeatable).",
)
@click.option("--consumer-tag", "consumer_tags", multiple=True, help="Broker: consumer tag.")
@click.option("--include-pending", is_flag=True, help="Broker: include pending pacts.")
@click.option("--include-wip-since", help="Broker: include WIP pacts since YYYY-MM-DD.")
@click.option("--publish", is_flag=True, help="Publish the results to the broker.")
@click.option("--provider-version", help="The provider version results are published for.")
@click.option("--provider-branch", help="The provider's branch (selectors and publishing).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    help="Seconds pact waits for each provider response.  [default: 10]",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Choice(CONTRACT_REPORTS),
    help="Also write this report to --out (repeatable).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the reports.  [default: .ctk/contract]",
)
@config_option
@color_option
def verify(
    reports: tuple[str, ...],
    out: Path | None,
    config_path: Path | None,
    color: bool | None,
    **given: Any,
) -> None:
    """Verify the provider against its consumers' pacts (default source: contracts/).

    Options left out default to [tool.ctk.contract] in pyproject.toml (the provider as
    app, impl or url, spec, package, verifier, states, sources, allow-hosts, timeout,
    reports, out); a provider given here replaces the configured one with its verifier.

    Exit codes: 0 every interaction passed, 1 an interaction failed, 2 usage or input
    error (a bad module, an unreachable URL, no pacts).
    """
    with handle_errors():  # also when called without the `ctk` group (tests, embedding)
        raise SystemExit(_run(reports, out, config_path, color, given))


def _run(
    reports: tuple[str, ...],
    out: Path | None,
    config_path: Path | None,
    color: bool | None,
    given: dict[str, Any],
) -> int:
    from toolkit.config import load_config
    from toolkit.report.contract_json import render_contract_json
    from toolkit.report.contract_junit import render_contract_junit
    from toolkit.report.contract_text import render_contract_text
    from toolkit.verify.contract.engine import verify_contracts
    from toolkit.verify.contract.options import contract_options

    config = load_config(config_path)
    defaults = config.contract
    reports = reports or defaults.reports
    out = out or defaults.out or DEFAULT_OUT
    options = contract_options(**_with_defaults(given, defaults))
    result = verify_contracts(options, config)
    renderers: dict[str, tuple[str, Callable[[], str]]] = {
        "junit": ("junit.xml", lambda: render_contract_junit(result)),
        "json": ("report.json", lambda: render_contract_json(result)),
    }
    for report in dict.fromkeys(reports):
        name, render = renderers[report]
        write_atomic(out / name, render())
    color = sys.stdout.isatty() if color is None else color
    click.echo(render_contract_text(result, color=color), nl=False)
    if reports:
        click.echo(f"reports written to {out}")
    return 1 if result.failed() else 0


def _with_defaults(given: dict[str, Any], defaults: ContractConfig) -> dict[str, Any]:
    """The command line over [tool.ctk.contract]; a provider on the command line brings
    none of the configured provider's settings along (its spec and package only to an
    --impl, which needs them)."""
    merged = dict(given)
    skip: set[str] = set()
    if any(given.get(name) for name in _TARGET):
        skip = {*_TARGET, "verifier"} if given.get("impl") else {*_TARGET, *_WITH_IMPL}
    for name in ("sources", "provider", "states", "allow_hosts", "timeout", *_TARGET, *_WITH_IMPL):
        value = getattr(defaults, name)
        if not merged.get(name) and name not in skip and value:
            merged[name] = value
    return merged
