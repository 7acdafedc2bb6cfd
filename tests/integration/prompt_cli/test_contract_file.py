"""`contracts/prompt-cli-prompt-library.json` is what the consumer tests write, or this fails.

The test records every interaction of `interactions.py` itself (each on its own pact, merged
into one file in a temporary directory) instead of collecting what the other tests wrote,
so it gives the same answer whichever tests were selected, in whatever order. Comparison
ignores what varies without the contract changing: the pact library's versions
(`metadata.pactRust`) and the order of interactions. With `CTK_UPDATE_CONTRACTS=1` it
replaces the file (atomically) instead of failing; nothing else ever writes to contracts/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from toolkit._files import write_atomic

from .interactions import CASES, PACT_FILE, record

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = ROOT / "contracts" / PACT_FILE
UPDATE_VARIABLE = "CTK_UPDATE_CONTRACTS"
REGENERATE = f"{UPDATE_VARIABLE}=1 pytest tests/integration/prompt_cli"


def normalized(text: str) -> Any:
    document = json.loads(text)
    document.get("metadata", {}).pop("pactRust", None)
    document["interactions"] = sorted(
        document["interactions"], key=lambda i: json.dumps(i, sort_keys=True)
    )
    return document


def test_contract_file_is_fresh(tmp_path: Path) -> None:
    for case in CASES:
        record(case, tmp_path)
    fresh = (tmp_path / PACT_FILE).read_bytes()
    assert len(json.loads(fresh)["interactions"]) == len(CASES)

    if os.environ.get(UPDATE_VARIABLE) == "1":
        if not CONTRACT.exists() or CONTRACT.read_bytes() != fresh:
            write_atomic(CONTRACT, fresh.decode())
        return

    relative = CONTRACT.relative_to(ROOT)
    assert CONTRACT.exists(), f"{relative} is missing; create it with: {REGENERATE}"
    stale = normalized(CONTRACT.read_text(encoding="utf-8")) != normalized(fresh.decode())
    assert not stale, (
        f"{relative} is stale: the consumer tests now write a different pact. "
        f"Regenerate it with: {REGENERATE} (and review the diff)"
    )
