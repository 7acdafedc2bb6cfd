#!/usr/bin/env python3
"""`ctk diff` against peer breaking-change tools on real release pairs, side by side.

Not a test: a benchmark. Two pairs of published releases of one API each (npm packages,
installed by --setup into --dir, default /tmp/bench-diff, under npm aliases so both
versions sit side by side):

* github      GitHub's REST description, `@octokit/openapi` 21.0.0 → 23.0.2
              (`generated/api.github.com.json`, 11.7 → 13.0 MB, OpenAPI 3.0.3; ~5 months
              apart on the registry)
* blockfrost  Blockfrost's Cardano API, `@blockfrost/openapi` 0.1.84 → 0.1.93
              (`openapi.yaml`, 0.46 → 0.50 MB, OpenAPI 3.0.3; ~6 months apart)

Tools, each the breaking-change command of its kind on the same OLD/NEW files:

* ctk             `PY -m toolkit diff OLD NEW -f json > OUT.json` (PY = the interpreter
                  running this script); breaking = error findings, total = all findings
* optic           `@useoptic/optic` 1.0.9: `optic diff OLD NEW --check --validation loose
                  --standard DIR/optic-standard.yml` with OPTIC_TELEMETRY_LEVEL=off. The
                  standard is its `breaking-changes` ruleset with
                  `skip_when_major_version_changes: false`: by default optic runs no check
                  at all when info.version changes major (21.0.0 → 23.0.2 does), and says
                  only "Operations: ..." with exit 0. `--validation strict` (its default)
                  refuses both pairs before diffing (GitHub: "schema with type array cannot
                  also include keywords: required"; Blockfrost: `type: 'null'` in a 3.0
                  document), so loose it is. breaking = failed checks (from "Checks: P/T
                  passed"); total = the lines of its changelog that end in
                  added/changed/removed. It takes ~15 min and ~2.2 GB a run on github, so
                  `--peer-rounds github=1` is the practical setting there
* openapi-changes `@pb33f/openapi-changes` 0.0.67: `openapi-changes summary OLD NEW`. Its npm
                  package holds no binary: the postinstall downloads one from GitHub
                  releases, which this machine cannot reach, so --setup records the failure
                  and the row says why

Every command runs in a scratch folder with an empty pyproject.toml (ctk: built-in
defaults). Rounds are interleaved (ctk, optic, ... then round 2); per tool: median, min and
max wall seconds (perf_counter around the child), the peak RSS (`/usr/bin/time -f %M`;
`os.wait4` of the child without GNU time), the exit codes and the counts. A peer that runs
past --timeout is killed, recorded as such and not run again on that pair.

    python bench/diff.py --setup                   # once: npm install into /tmp/bench-diff
    python bench/diff.py --peer-rounds github=1    # both pairs, 3 rounds, optic once on
                                                   # github (~17 min, ~15 of them optic)
    python bench/diff.py --pairs blockfrost --rounds 5
    python bench/diff.py --only ctk --keep         # keep every run's output

Acceptance target for ctk (printed): github pair in <= 3 s and <= 500 MB peak RSS.
Writes bench/results/diff.json (gitignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "diff.json"
GNU_TIME = "/usr/bin/time"
TARGET_SECONDS, TARGET_MB = 3.0, 500.0


@dataclass(frozen=True)
class Pair:
    name: str
    package: str
    old: str  # version
    new: str
    file: str  # the spec inside the package

    def alias(self, side: str) -> str:
        return f"{self.name}-{side}"

    def path(self, folder: Path, side: str) -> Path:
        return folder / "node_modules" / self.alias(side) / self.file


PAIRS = (
    Pair("github", "@octokit/openapi", "21.0.0", "23.0.2", "generated/api.github.com.json"),
    Pair("blockfrost", "@blockfrost/openapi", "0.1.84", "0.1.93", "openapi.yaml"),
)
OPTIC = "@useoptic/optic@1.0.9"
OPENAPI_CHANGES = "@pb33f/openapi-changes@0.0.67"
OPTIC_ENV = {"OPTIC_TELEMETRY_LEVEL": "off"}
OPTIC_STANDARD = "ruleset:\n  - breaking-changes:\n      skip_when_major_version_changes: false\n"


@dataclass
class Tool:
    name: str
    command: list[str]  # OLD and NEW are placeholders
    shell: str  # as one would type it, for the report
    env: dict[str, str] = field(default_factory=dict)
    missing: str = ""


@dataclass
class Row:
    pair: str
    tool: str
    shell: str
    missing: str = ""
    walls: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    exits: list[int] = field(default_factory=list)
    timed_out: bool = False
    breaking: int | None = None
    warnings: int | None = None
    total: int | None = None
    detail: str = ""
    error: str = ""  # stderr tail of a run that did not produce a report


# -- setup ---------------------------------------------------------------------------------


def setup(folder: Path) -> None:
    """npm install both releases of each pair (aliases) and the peers into `folder`."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed (Node 20+ needed)")
    folder.mkdir(parents=True, exist_ok=True)
    package = folder / "package.json"
    if not package.exists():
        package.write_text('{"name": "bench-diff", "private": true}\n')
    specs = [
        f"{pair.alias(side)}@npm:{pair.package}@{getattr(pair, side)}"
        for pair in PAIRS
        for side in ("old", "new")
    ]
    status: dict[str, str] = {}
    for what, names in (
        ("specs", specs),
        ("optic", [OPTIC]),
        ("openapi-changes", [OPENAPI_CHANGES]),
    ):
        print(f"npm install {' '.join(names)}", flush=True)
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", *names],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            status[what] = "ok"
            continue
        reason = _npm_reason(done.stderr)
        status[what] = f"npm install failed: {reason}"
        print(f"  failed: {reason}", flush=True)
        if what == "specs":
            sys.exit(done.stderr[-2000:])
    # a failed postinstall leaves its bin link behind, pointing at nothing
    for link in (folder / "node_modules" / ".bin").glob("*"):
        if link.is_symlink() and not link.exists():
            link.unlink()
    (folder / "optic-standard.yml").write_text(OPTIC_STANDARD)
    (folder / "setup.json").write_text(json.dumps(status, indent=2) + "\n")
    for pair in PAIRS:
        for side in ("old", "new"):
            path = pair.path(folder, side)
            size = f"{path.stat().st_size / 1e6:.2f} MB" if path.exists() else "MISSING"
            print(f"  {pair.name} {side}: {path} ({size})")
    print(json.dumps(status, indent=2))


def _npm_reason(stderr: str) -> str:
    for pattern in (r"(FetchError: [^\n]{0,200})", r"npm error (code \w+)", r"(E\w+ [^\n]{0,120})"):
        match = re.search(pattern, stderr)
        if match:
            return match.group(1).strip()
    return stderr.strip().splitlines()[-1][:200] if stderr.strip() else "unknown"


# -- tools ---------------------------------------------------------------------------------


def tools(folder: Path, python: str) -> list[Tool]:
    node_bin = folder / "node_modules" / ".bin"
    setup_status = {}
    if (folder / "setup.json").exists():
        setup_status = json.loads((folder / "setup.json").read_text())
    node = shutil.which("node")

    def missing(name: str, binary: Path) -> str:
        if node is None:
            return "node is not installed"
        if binary.exists():
            return ""
        why = setup_status.get(name, "not installed: run bench/diff.py --setup")
        return why if why != "ok" else f"{binary} missing"

    optic, changes = node_bin / "optic", node_bin / "openapi-changes"
    return [
        Tool(
            "ctk",
            [python, "-m", "toolkit", "diff", "OLD", "NEW", "-f", "json"],
            "PY -m toolkit diff OLD NEW -f json > OUT.json",
        ),
        Tool(
            "optic",
            [
                str(optic),
                "diff",
                "OLD",
                "NEW",
                "--check",
                "--validation",
                "loose",
                "--standard",
                str(folder / "optic-standard.yml"),
            ],
            "OPTIC_TELEMETRY_LEVEL=off DIR/node_modules/.bin/optic diff OLD NEW --check"
            " --validation loose --standard DIR/optic-standard.yml",
            env=OPTIC_ENV,
            missing=missing("optic", optic),
        ),
        Tool(
            "openapi-changes",
            [str(changes), "summary", "OLD", "NEW"],
            "DIR/node_modules/.bin/openapi-changes summary OLD NEW",
            missing=missing("openapi-changes", changes),
        ),
    ]


# -- running -------------------------------------------------------------------------------


def run_once(
    tool: Tool, old: Path, new: Path, work: Path, stem: str, timeout: float
) -> tuple[float, int, int, bool, Path, Path]:
    """One run: (wall s, peak RSS KiB, exit code, timed out, stdout file, stderr file)."""
    argv = [str(old) if a == "OLD" else str(new) if a == "NEW" else a for a in tool.command]
    out, err, time_file = work / f"{stem}.out", work / f"{stem}.err", work / f"{stem}.time"
    use_time = os.access(GNU_TIME, os.X_OK)
    if use_time:
        argv = [GNU_TIME, "-f", "%M", "-o", str(time_file), *argv]
    timed_out = False
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            cwd=work,
            env={**os.environ, **tool.env},
            start_new_session=True,
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    rss = usage.ru_maxrss
    if use_time and time_file.exists():
        lines = [ln for ln in time_file.read_text().splitlines() if ln.strip()]
        if lines and lines[-1].isdigit():
            rss = int(lines[-1])
    return wall, rss, code, timed_out, out, err


def count_ctk(out: Path) -> tuple[int, int, int, str]:
    report = json.loads(out.read_text())
    found = report["diagnostics"]
    by = {s: sum(1 for d in found if d["severity"] == s) for s in ("error", "warning", "info")}
    detail = f"{by['error']} breaking, {by['warning']} potential, {by['info']} compatible"
    return by["error"], by["warning"], len(found), detail


_CHECKS = re.compile(r"Checks: (\d+)/(\d+) passed")
_OPS = re.compile(r"Operations: ([^\n]+)")
_LEAF = re.compile(r"\b(added|changed|removed)\s*$")


def count_optic(out: Path) -> tuple[int, int, int, str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.read_text(errors="replace"))
    checks = _CHECKS.search(text)
    if checks is None:
        raise ValueError("no 'Checks: P/T passed' line")
    passed, total_checks = int(checks.group(1)), int(checks.group(2))
    changes = sum(1 for line in text.splitlines() if _LEAF.search(line))
    ops = _OPS.search(text)
    detail = f"checks {passed}/{total_checks} passed; {ops.group(1) if ops else ''}".strip()
    return total_checks - passed, 0, changes, detail


def count_openapi_changes(out: Path) -> tuple[int, int, int, str]:
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.read_text(errors="replace"))
    breaking = re.search(r"(\d+)\s+breaking", text, re.IGNORECASE)
    total = re.search(r"(\d+)\s+(?:total\s+)?changes", text, re.IGNORECASE)
    if breaking is None and total is None:
        raise ValueError("no change counts in its output")
    b = int(breaking.group(1)) if breaking else 0
    return b, 0, int(total.group(1)) if total else b, ""


COUNTERS = {"ctk": count_ctk, "optic": count_optic, "openapi-changes": count_openapi_changes}


def measure(args: argparse.Namespace) -> list[Row]:
    folder: Path = args.dir
    chosen = [p for p in PAIRS if p.name in args.pairs]
    all_tools = [t for t in tools(folder, args.python) if not args.only or t.name in args.only]
    rows: dict[tuple[str, str], Row] = {}
    for pair in chosen:
        for tool in all_tools:
            rows[(pair.name, tool.name)] = Row(pair.name, tool.name, tool.shell, tool.missing)
    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    (work / "pyproject.toml").write_text("")
    try:
        for pair in chosen:
            old, new = pair.path(folder, "old"), pair.path(folder, "new")
            if not old.exists() or not new.exists():
                sys.exit(f"{old} or {new} missing: run bench/diff.py --setup")
            for index in range(args.rounds):
                order = all_tools[index % len(all_tools) :] + all_tools[: index % len(all_tools)]
                for tool in order:
                    row = rows[(pair.name, tool.name)]
                    if row.missing or row.timed_out:
                        continue
                    if tool.name != "ctk" and index >= args.peer_rounds.get(pair.name, args.rounds):
                        continue
                    stem = f"{pair.name}.{tool.name}.{index}"
                    wall, rss, code, late, out, err = run_once(
                        tool, old, new, work, stem, args.timeout
                    )
                    print(
                        f"{pair.name:11} {tool.name:16} round {index + 1}: {wall:8.2f} s"
                        f" {rss / 1024:8.0f} MB exit {code}{' TIMEOUT' if late else ''}",
                        flush=True,
                    )
                    if late:
                        row.timed_out = True
                        row.error = f"killed after {args.timeout:.0f} s"
                        continue
                    row.walls.append(wall)
                    row.rss_kib.append(rss)
                    row.exits.append(code)
                    try:
                        row.breaking, row.warnings, row.total, row.detail = COUNTERS[tool.name](out)
                    except (ValueError, KeyError, OSError) as exc:
                        tail = err.read_text(errors="replace").strip().splitlines()[-3:]
                        row.error = f"no report ({exc}): {' | '.join(tail)[:300]}"
                    if args.keep:
                        continue
                    out.unlink(missing_ok=True)
                    err.unlink(missing_ok=True)
    finally:
        if args.keep:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return list(rows.values())


# -- reporting -----------------------------------------------------------------------------


def versions(folder: Path) -> dict[str, str]:
    found = {"python": platform.python_version(), "platform": platform.platform()}
    node = shutil.which("node")
    if node:
        found["node"] = subprocess.run(
            [node, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    for name in ("@useoptic/optic", "@pb33f/openapi-changes"):
        manifest = folder / "node_modules" / name / "package.json"
        if manifest.exists():
            found[name] = json.loads(manifest.read_text()).get("version", "?")
    try:
        from importlib.metadata import version

        found["contract-toolkit"] = version("contract-toolkit")
    except Exception:  # informational only
        pass
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if commit:
        found["ctk commit"] = commit
    return found


def table(rows: list[Row]) -> str:
    lines = [
        "| pair | tool | runs | median s | min s | max s | peak MB | exit | breaking | total"
        " | notes |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for row in rows:
        if row.missing or not row.walls:
            why = row.missing or row.error or "no run"
            lines.append(f"| {row.pair} | {row.tool} | 0 | - | - | - | - | - | - | - | {why} |")
            continue
        med = statistics.median(row.walls)
        peak = max(row.rss_kib) / 1024
        exits = ",".join(sorted({str(e) for e in row.exits}))
        note = row.detail + (f"; {row.error}" if row.error else "")
        b = "-" if row.breaking is None else str(row.breaking)
        t = "-" if row.total is None else str(row.total)
        lines.append(
            f"| {row.pair} | {row.tool} | {len(row.walls)} | {med:.2f} | {min(row.walls):.2f}"
            f" | {max(row.walls):.2f} | {peak:.0f} | {exits} | {b} | {t} | {note} |"
        )
    return "\n".join(lines)


def verdict(rows: list[Row]) -> str:
    for row in rows:
        if row.pair == "github" and row.tool == "ctk" and row.walls:
            med, peak = statistics.median(row.walls), max(row.rss_kib) / 1024
            ok = med <= TARGET_SECONDS and peak <= TARGET_MB
            return (
                f"ctk on github: median {med:.2f} s, peak {peak:.0f} MB; target <= "
                f"{TARGET_SECONDS:.0f} s and <= {TARGET_MB:.0f} MB: {'MET' if ok else 'MISSED'}"
            )
    return "ctk on github: not measured"


def _peer_rounds(text: str) -> dict[str, int]:
    found = {}
    for part in filter(None, text.split(",")):
        name, _, count = part.partition("=")
        found[name.strip()] = int(count)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="npm install the specs and peers")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-diff"))
    parser.add_argument("--pairs", default="github,blockfrost", help="comma-separated")
    parser.add_argument("--only", default="", help="comma-separated tools (ctk, optic, ...)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--peer-rounds",
        default="",
        help="rounds per pair for the peers, e.g. github=1 (default: --rounds)",
    )
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per peer run")
    parser.add_argument("--python", default=sys.executable, help="interpreter running ctk")
    parser.add_argument("--keep", action="store_true", help="keep every run's output")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    if args.setup:
        setup(args.dir)
        return
    args.pairs = [p for p in args.pairs.split(",") if p]
    args.only = [t for t in args.only.split(",") if t]
    args.peer_rounds = _peer_rounds(args.peer_rounds)
    started = dt.datetime.now(dt.UTC)
    rows = measure(args)
    result: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), **versions(args.dir)},
        "pairs": {
            p.name: {
                "package": p.package,
                "old": p.old,
                "new": p.new,
                "file": p.file,
                "bytes": [p.path(args.dir, s).stat().st_size for s in ("old", "new")],
            }
            for p in PAIRS
            if p.name in args.pairs
        },
        "rows": [
            {
                **row.__dict__,
                "median_s": statistics.median(row.walls) if row.walls else None,
                "peak_mb": max(row.rss_kib) / 1024 if row.rss_kib else None,
            }
            for row in rows
        ],
        "verdict": verdict(rows),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(table(rows))
    print()
    print(result["verdict"])
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
