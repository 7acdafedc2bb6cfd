"""A contract run as one stable JSON document, for scripts and dashboards."""

from __future__ import annotations

import json
from typing import Any

from toolkit.report._contract import interaction_lines
from toolkit.report._meta import tool_version
from toolkit.verify.contract.results import ContractResult, InteractionResult, Status


def contract_data(result: ContractResult) -> dict[str, Any]:
    return {
        "tool": "ctk contract verify",
        "version": tool_version(),
        "pact_python": result.pact_version,
        "provider": result.provider,
        "target": result.target,
        "states_module": result.states_module,
        "failed": result.failed(),
        "elapsed": round(result.elapsed, 3),
        "published": result.published,
        "summary": {status.value: result.count(status) for status in Status},
        "pacts": [
            {
                "consumer": pact.consumer,
                "provider": pact.provider,
                "source": pact.source,
                "failed": pact.failed,
                "interactions": [_interaction(i) for i in pact.interactions],
            }
            for pact in result.pacts
        ],
        "errors": list(result.errors),
        "notes": list(result.notes),
    }


def _interaction(interaction: InteractionResult) -> dict[str, Any]:
    return {
        "description": interaction.description,
        "states": list(interaction.states),
        "status": interaction.status.value,
        "seconds": interaction.seconds,
        "interaction_id": interaction.interaction_id,
        "differences": [d.to_json() for d in interaction.differences],
        "state_failures": [f.to_json() for f in interaction.state_failures],
        "message": "\n".join(interaction_lines(interaction)),
    }


def render_contract_json(result: ContractResult) -> str:
    return json.dumps(contract_data(result), indent=2, ensure_ascii=False) + "\n"
