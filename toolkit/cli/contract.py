"""`ctk contract`: consumer-driven contracts (pact) — `verify` runs the pacts against the
provider; `check` compares them with the provider's OpenAPI document offline."""

from __future__ import annotations

import click

from toolkit.cli.contract_check import check
from toolkit.cli.contract_verify import verify


@click.group()
def contract() -> None:
    """Consumer contracts (pact): verify a provider, or check pacts against the spec.

    Exit codes: 0 ok, 1 failed interactions or findings, 2 usage or input error.
    """


contract.add_command(check)
contract.add_command(verify)
