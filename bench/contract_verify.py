"""`ctk contract verify`: wall time per interaction, on pact's FFI verifier, in process.

Not a test: a benchmark. Each row is one `verify_contracts` run (sources read, server
started with the state endpoint, verifier run, results folded), measured end to end and
divided by the interactions verified. Rows:

* fixture, 3: the three fixture interactions (`tests/integration/verify/contract/pacts/
  passing`, raw ASGI app, async + sync generator states);
* fixture, N: N synthesized interactions (default 200), each with a state whose generator
  handler sets up and tears down an item, so the per-interaction cost (two state calls and
  one request) dominates the fixed cost (server start, FFI set-up);
* reference, contracts/: the prompt-cli pact against `--impl examples.prompt_library:service`
  with its states on SQLite in memory (when `contracts/` is there).

Usage: python bench/contract_verify.py [--rounds 5] [--interactions 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
os.environ.setdefault("PROMPT_LIBRARY_DB", ":memory:")

from toolkit.config import Config, load_config  # noqa: E402
from toolkit.verify.contract.engine import verify_contracts  # noqa: E402
from toolkit.verify.contract.options import contract_options  # noqa: E402
from toolkit.verify.contract.results import Status  # noqa: E402

FIXTURES = ROOT / "tests" / "integration" / "verify" / "contract"
APP = "tests.integration.verify.contract.provider:app"
STATES = "tests.integration.verify.contract.states"


def synthesized(folder: Path, count: int) -> Path:
    interactions = [
        {
            "type": "Synchronous/HTTP",
            "description": f"get item {n}",
            "providerStates": [{"name": f"an item with id {n} exists", "params": {"name": "w"}}],
            "request": {"method": "GET", "path": f"/items/{n}"},
            "response": {
                "status": 200,
                "body": {
                    "content": {"id": n, "name": "w"},
                    "contentType": "application/json",
                    "encoded": False,
                },
            },
        }
        for n in range(1, count + 1)
    ]
    pact = {
        "consumer": {"name": "bench"},
        "provider": {"name": "items-service"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }
    path = folder / "bench-items-service.json"
    path.write_text(json.dumps(pact), encoding="utf-8")
    return path


def measure(label: str, rounds: int, config: Config, **given: Any) -> None:
    times, count = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        result = verify_contracts(contract_options(env={}, **given), config)
        times.append(time.perf_counter() - started)
        assert not result.failed(), f"{label}: the run failed"
        count = sum(1 for i in result.interactions if i.status is not Status.SKIPPED)
    median = statistics.median(times)
    print(
        f"{label:<28} {count:>5} interactions  median {median * 1000:8.1f} ms"
        f"  {median / count * 1000:7.2f} ms/interaction  (min {min(times) * 1000:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--interactions", type=int, default=200)
    args = parser.parse_args()
    os.chdir(ROOT)
    config = Config()
    passing = (str(FIXTURES / "pacts" / "passing"),)
    measure("fixture, 3", args.rounds, config, sources=passing, app=APP, states=STATES)
    with tempfile.TemporaryDirectory() as folder:
        pact = synthesized(Path(folder), args.interactions)
        label = f"fixture, {args.interactions}"
        measure(label, args.rounds, config, sources=(str(pact),), app=APP, states=STATES)
    if (ROOT / "contracts").is_dir():
        measure(
            "reference, contracts/",
            args.rounds,
            load_config(ROOT / "pyproject.toml"),
            sources=("contracts",),
            impl="examples.prompt_library:service",
            states="examples.prompt_library.states",
            verifier="examples.prompt_library.states:dev_verifier",
        )


if __name__ == "__main__":
    main()
