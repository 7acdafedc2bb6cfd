"""Concurrent creates against the reference service on SQLite over real HTTP (issue 11 #14).

Starts `ctk serve specs/prompt-library.yaml --app examples.prompt_library:app` on a free
loopback port with a fresh SQLite file, then N clients each create M prompts as fast as
they can (one connection per client, httpx). Reports the statuses (5xx must be 0), and the
p50/p99 latency of the creates, overall and per client count.

    python bench/sqlite_writers.py [--clients 50] [--creates 40] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
KEY = {"X-API-Key": "dev-key"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    # 50 clients under one key: the spec's 600/minute would answer most creates 429
    env = {**os.environ, "PROMPT_LIBRARY_DB": str(database), "PROMPT_LIBRARY_RATE_LIMIT": "off"}
    command = [sys.executable, "-m", "toolkit", "serve", "specs/prompt-library.yaml"]
    command += ["--app", "examples.prompt_library:app", "--port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the service did not start")


async def _client(base: str, index: int, creates: int) -> list[tuple[int, float]]:
    results = []
    async with httpx.AsyncClient(base_url=base, headers=KEY, timeout=60) as client:
        for n in range(creates):
            body = {"name": f"c{index}-p{n}", "template": "Say hello to the reader."}
            started = time.perf_counter()
            response = await client.post("/prompts", json=body)
            results.append((response.status_code, time.perf_counter() - started))
    return results


async def _load(base: str, clients: int, creates: int) -> tuple[list[tuple[int, float]], float]:
    started = time.perf_counter()
    batches = await asyncio.gather(*(_client(base, i, creates) for i in range(clients)))
    return [r for batch in batches for r in batch], time.perf_counter() - started


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q * 100) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--creates", type=int, default=40)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ctk-sqlite-") as scratch:
        process, base = _start(Path(scratch) / "prompts.sqlite3")
        try:
            results, wall = asyncio.run(_load(base, args.clients, args.creates))
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    statuses = Counter(status for status, _ in results)
    latencies = [seconds * 1000 for status, seconds in results if status == 201]
    row: dict[str, Any] = {
        "clients": args.clients,
        "creates_per_client": args.creates,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "p50_ms": round(_quantile(latencies, 0.50), 1),
        "p99_ms": round(_quantile(latencies, 0.99), 1),
        "creates_per_second": round(len(results) / wall, 1),
    }
    print(json.dumps(row))
    if args.json:
        args.json.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    if row["server_errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
