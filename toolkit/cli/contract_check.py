"""`ctk contract check SPEC [PACT_OR_DIR...]`: offline, does the spec promise what each
consumer's pact expects?"""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli._common import (
    color_option,
    emit_report,
    load_options,
    report_options,
    resolve_config,
)
from toolkit.errors import Severity
from toolkit.load.pact import PACT_MAX_BYTES

DEFAULT_PACTS = Path("contracts")


@click.command()
@click.argument("spec", required=False, type=click.Path(path_type=Path))
@click.argument("pacts", nargs=-1, type=click.Path(path_type=Path))
@report_options
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning")),
    help="Exit 1 when a finding is at least this severe.  [default: error]",
)
@click.option(
    "--max-pact-bytes",
    type=click.IntRange(min=1),
    default=PACT_MAX_BYTES,
    show_default=True,
    help="Refuse pact files larger than this.",
)
@click.option("--list-rules", is_flag=True, help="List the findings this check reports and exit.")
@color_option
@load_options
def check(
    spec: Path | None,
    pacts: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    max_pact_bytes: int,
    list_rules: bool,
    color: bool | None,
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> None:
    """Check pact files (default: contracts/) against the OpenAPI document SPEC, offline.

    SPEC, the pacts and --fail-on default to `spec`, `sources` and `fail-on` of
    [tool.ctk.contract] in pyproject.toml.

    Each HTTP interaction must fit the spec: the path and method exist, query and header
    parameters are declared and valid, the request body validates, the status is
    documented, and the expected response body and headers are what the spec promises,
    read the way the consumer's matchers mean them. Message interactions are listed as
    not checked.

    Exit 0 when clean, 1 when a finding reaches --fail-on, 2 when a file cannot be read.
    """
    # Imported here: the check reads the spec through the runtime's router, and importing
    # the runtime (prometheus) must not tax every other `ctk` command.
    from toolkit.verify.compat import RULES, check_contracts

    if list_rules:
        for rule in RULES.values():
            click.echo(f"{rule.id:38} {rule.severity.label:8} {rule.summary}")
        return
    config = resolve_config(config_path, max_bytes, allow_outside_root, allow_remote_refs)
    defaults = config.contract
    spec = spec or defaults.spec
    if spec is None:
        raise click.UsageError(
            "give the OpenAPI document to check against (SPEC, or spec in [tool.ctk.contract])"
        )
    sources = pacts or tuple(Path(s) for s in defaults.sources if "://" not in s)
    outcome = check_contracts(
        spec, sources or (DEFAULT_PACTS,), config.load, pact_max_bytes=max_pact_bytes
    )
    threshold = Severity.parse(fail_on or defaults.fail_on or "error")
    emit_report(outcome, fmt, output, threshold, color)
    if outcome.failed(threshold):
        raise SystemExit(1)
