#!/usr/bin/env python3
"""Side-by-side lint benchmark on GitHub's REST description (13 MB, OpenAPI 3.0.3).

Runs `ctk lint` (text, sarif and json reports, and structural-only) next to the
peers installed by `bench/peers.sh` (Redocly CLI, Spectral CLI,
openapi-spec-validator), interleaving the runs (A1 B1 C1 ... A2 B2 C2 ...), and
reports per tool the median/min/max wall time, the peak RSS, the exit codes and
the number of findings, with ratios against ctk.

    bash bench/peers.sh /tmp/ctk-bench
    python bench/lint_github.py --runs 3 --json bench/results/lint_github.json

Notes
- ctk runs as `sys.executable -m toolkit` (the interpreter running this script),
  from a scratch folder holding an empty pyproject.toml, so no project
  `[tool.ctk]` settings apply: built-in defaults only.
- The text and sarif reports go to stdout redirected to /dev/null, *not* to
  `-o /dev/null`: `-o` writes atomically (temp file + rename) and would replace
  /dev/null with a regular file when run as root.
- Peak RSS comes from `/usr/bin/time -f %M` around each command; without GNU
  time, from `os.wait4` on the child (the same kernel counter, ru_maxrss).
- Spectral takes ~90 s a run, so it runs once unless --runs-spectral says more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SPEC_REL = "node/node_modules/@octokit/openapi/generated/api.github.com.json"
GNU_TIME = "/usr/bin/time"
REDOCLY_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
OSV_SNIPPET = (
    "import json,sys; from openapi_spec_validator import validate; "
    'validate(json.load(open(sys.argv[1]))); print("valid")'
)
PEER_HINT = "not installed: run bench/peers.sh"

# Findings parsed from a finished run: (count or None, short detail).
Parser = Callable[["RunFiles"], tuple[int | None, str]]


@dataclass
class RunFiles:
    stdout: Path | None  # None when stdout went to /dev/null
    stderr: Path

    def text(self) -> str:
        out = self.stdout.read_text(errors="replace") if self.stdout else ""
        return out + "\n" + self.stderr.read_text(errors="replace")


@dataclass
class Tool:
    key: str
    label: str
    argv: list[str]
    shell: str  # the command as one would type it, for the report
    parse: Parser
    expected_exit: tuple[int, ...]
    baseline: str | None  # key of the ctk row this one is compared with
    env: dict[str, str] = field(default_factory=dict)
    keep_stdout: bool = True
    runs: int = 1
    missing: str | None = None
    # results
    walls: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)  # user + sys seconds, children included
    loads: list[float] = field(default_factory=list)  # 1-min load average after the run
    exits: list[int] = field(default_factory=list)
    findings: int | None = None
    detail: str = ""
    findings_from: str | None = None


# --- finding parsers -------------------------------------------------------------


def parse_ctk_json(files: RunFiles) -> tuple[int | None, str]:
    assert files.stdout is not None
    try:
        report = json.loads(files.stdout.read_text())
    except (OSError, ValueError):
        return None, "unparseable json report"
    summary = report.get("summary", {})
    detail = ", ".join(
        f"{summary.get(level, 0)} {name}"
        for level, name in (("error", "errors"), ("warning", "warnings"), ("info", "info"))
    )
    return len(report.get("diagnostics", [])), detail


def parse_redocly(files: RunFiles) -> tuple[int | None, str]:
    text = files.text()
    match = re.search(r"failed with (\d+) errors? and (\d+) warnings?", text)
    if match:
        errors, warnings = int(match.group(1)), int(match.group(2))
        return errors + warnings, f"{errors} errors, {warnings} warnings"
    match = re.search(r"Woohoo! Your API description is valid", text)
    if match:
        return 0, "valid"
    match = re.search(r"valid with (\d+) warnings?", text)
    if match:
        return int(match.group(1)), f"0 errors, {match.group(1)} warnings"
    return None, ""


def parse_spectral(files: RunFiles) -> tuple[int | None, str]:
    text = files.text()
    match = re.search(
        r"(\d+) problems? \((\d+) errors?, (\d+) warnings?, (\d+) infos?, (\d+) hints?\)", text
    )
    if match:
        total, errors, warnings, infos, hints = (int(g) for g in match.groups())
        return total, f"{errors} errors, {warnings} warnings, {infos} infos, {hints} hints"
    if "No results with a severity of" in text:
        return 0, "no problems"
    return None, ""


def parse_osv(files: RunFiles) -> tuple[int | None, str]:
    text = files.text()
    if re.search(r"^valid$", text, re.MULTILINE):
        return 0, "valid"
    match = re.search(r"^(\w+(?:Error|Exception)): (.{0,80})", text, re.MULTILINE)
    if match:
        # validate() raises on the first error only.
        return None, f"invalid: {match.group(1)}"
    return None, ""


def parse_none(files: RunFiles) -> tuple[int | None, str]:
    return None, ""


# --- running ---------------------------------------------------------------------


def run_once(tool: Tool, work: Path, index: int) -> RunFiles:
    """Run `tool` once; append wall time, peak RSS and exit code to it."""
    stem = f"{tool.key}.{index}"
    files = RunFiles(
        stdout=work / f"{stem}.out" if tool.keep_stdout else None,
        stderr=work / f"{stem}.err",
    )
    env = {**os.environ, **tool.env}
    use_time = os.access(GNU_TIME, os.X_OK)
    time_file = work / f"{stem}.time"
    argv = [GNU_TIME, "-f", "%M", "-o", str(time_file), *tool.argv] if use_time else tool.argv
    with ExitStack() as stack:
        stdout = (
            stack.enter_context(files.stdout.open("wb")) if files.stdout else subprocess.DEVNULL
        )
        stderr = stack.enter_context(files.stderr.open("wb"))
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env, cwd=work
        )
        # wait4 rather than proc.wait(): it also returns the child's own rusage.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    code = proc.returncode
    rss = usage.ru_maxrss  # KiB on Linux; the child's own peak (wait4, not a delta)
    if use_time:
        lines = [ln for ln in time_file.read_text().splitlines() if ln.strip()]
        try:
            rss = int(lines[-1])
        except (IndexError, ValueError):
            pass  # e.g. time was killed: keep wait4's number (time's own tree peak)
    tool.walls.append(wall)
    tool.rss_kib.append(rss)
    tool.cpus.append(usage.ru_utime + usage.ru_stime)
    tool.loads.append(os.getloadavg()[0])
    tool.exits.append(code)
    return files


def ctk_rule_ids(python: str, work: Path) -> list[str]:
    out = subprocess.run(
        [python, "-m", "toolkit", "lint", "--list-rules"],
        check=True,
        capture_output=True,
        text=True,
        cwd=work,
    ).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def build_tools(args: argparse.Namespace, spec: Path, work: Path) -> list[Tool]:
    bench = args.dir
    python = args.python
    ctk = [python, "-m", "toolkit", "lint", str(spec)]
    ctk_shell = f"{python} -m toolkit lint SPEC"
    rule_ids = ctk_rule_ids(python, work)
    rules_off = [arg for rule in rule_ids for arg in ("--rule", f"{rule}=off")]

    tools = [
        Tool(
            "ctk-text",
            "ctk lint -f text",
            [*ctk, "-f", "text"],
            f"{ctk_shell} -f text > /dev/null",
            parse_none,
            (0, 1),
            None,
            keep_stdout=False,
        ),
        Tool(
            "ctk-sarif",
            "ctk lint -f sarif",
            [*ctk, "-f", "sarif"],
            f"{ctk_shell} -f sarif > /dev/null",
            parse_none,
            (0, 1),
            "ctk-text",
            keep_stdout=False,
        ),
        Tool(
            "ctk-json",
            "ctk lint -f json",
            [*ctk, "-f", "json"],
            f"{ctk_shell} -f json > OUT.json",
            parse_ctk_json,
            (0, 1),
            "ctk-text",
        ),
        Tool(
            "ctk-structural",
            "ctk lint, structural only",
            [*ctk, "-f", "json", *rules_off],
            f"{ctk_shell} -f json --rule ID=off (x{len(rule_ids)}: every id of"
            f" `ctk lint --list-rules`) > OUT.json",
            parse_ctk_json,
            (0, 1),
            "ctk-text",
        ),
    ]

    node_bin = bench / "node/node_modules/.bin"
    node_ok = shutil.which("node") is not None
    redocly = node_bin / "redocly"
    tools.append(
        Tool(
            "redocly",
            "redocly lint (recommended)",
            [
                str(redocly),
                "lint",
                str(spec),
                "--format=stylish",
                "--config",
                str(bench / "redocly.yaml"),
            ],
            "REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "
            "DIR/node/node_modules/.bin/redocly lint SPEC --format=stylish"
            " --config DIR/redocly.yaml",
            parse_redocly,
            (0, 1),
            "ctk-text",
            env=REDOCLY_ENV,
            missing=None
            if (redocly.exists() and node_ok and (bench / "redocly.yaml").exists())
            else PEER_HINT,
        )
    )
    spectral = node_bin / "spectral"
    tools.append(
        Tool(
            "spectral",
            "spectral lint (spectral:oas)",
            [str(spectral), "lint", str(spec), "-r", str(bench / ".spectral.yaml")],
            "DIR/node/node_modules/.bin/spectral lint SPEC -r DIR/.spectral.yaml",
            parse_spectral,
            (0, 1),
            "ctk-text",
            missing=None
            if (spectral.exists() and node_ok and (bench / ".spectral.yaml").exists())
            else PEER_HINT,
        )
    )
    osv_python = bench / "venv-osv/bin/python"
    osv_missing = None
    if not osv_python.exists():
        osv_missing = PEER_HINT
    else:
        probe = subprocess.run(
            [str(osv_python), "-c", "import openapi_spec_validator"],
            check=False,
            capture_output=True,
        )
        if probe.returncode != 0:
            osv_missing = PEER_HINT
    tools.append(
        Tool(
            "osv",
            "openapi-spec-validator validate",
            [str(osv_python), "-c", OSV_SNIPPET, str(spec)],
            f"DIR/venv-osv/bin/python -c '{OSV_SNIPPET}' SPEC",
            parse_osv,
            (0,),
            "ctk-structural",
            missing=osv_missing,
        )
    )
    for tool in tools:
        tool.runs = args.runs_spectral if tool.key == "spectral" else args.runs
    return tools


# --- reporting -------------------------------------------------------------------


def mib(kib: int) -> float:
    return kib / 1024


def summarize(tool: Tool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": tool.key,
        "tool": tool.label,
        "command": tool.shell,
        "env": tool.env,
    }
    if tool.missing:
        row["skipped"] = tool.missing
        return row
    if not tool.walls:
        row["skipped"] = "skipped (--skip)"
        return row
    row.update(
        runs=len(tool.walls),
        wall_s={
            "median": statistics.median(tool.walls),
            "min": min(tool.walls),
            "max": max(tool.walls),
            "all": tool.walls,
        },
        peak_rss_mib={
            "max": mib(max(tool.rss_kib)),
            "median": mib(int(statistics.median(tool.rss_kib))),
            "all": [mib(k) for k in tool.rss_kib],
        },
        cpu_s={"median": statistics.median(tool.cpus), "all": tool.cpus},
        loadavg_1min_after_run=tool.loads,
        exit_codes=tool.exits,
        unexpected_exit=any(code not in tool.expected_exit for code in tool.exits),
        findings=tool.findings,
        findings_detail=tool.detail,
        findings_from=tool.findings_from,
    )
    return row


def ratios(row: dict[str, Any], rows: dict[str, dict[str, Any]], base: str | None) -> None:
    if base is None or "wall_s" not in row:
        return
    ref = rows.get(base)
    if not ref or "wall_s" not in ref:
        return
    row["ratio_vs"] = base
    row["time_ratio"] = row["wall_s"]["median"] / ref["wall_s"]["median"]
    row["rss_ratio"] = row["peak_rss_mib"]["max"] / ref["peak_rss_mib"]["max"]


def table(rows: list[dict[str, Any]]) -> str:
    head = ["tool", "runs", "median s", "min s", "max s", "cpu s", "peak RSS MB", "exit"]
    head += ["time / ctk", "RSS / ctk", "vs", "findings"]
    numeric = {1, 2, 3, 4, 5, 6, 8, 9}
    body: list[list[str]] = []
    for row in rows:
        if "wall_s" not in row:
            body.append([str(row["tool"]), *["-"] * 7, "", "", "", str(row["skipped"])])
            continue
        wall = row["wall_s"]
        exits = sorted(set(row["exit_codes"]))
        exit_s = ",".join(str(c) for c in exits) + (" (!)" if row["unexpected_exit"] else "")
        findings = "" if row["findings"] is None else str(row["findings"])
        if row.get("findings_detail"):
            detail = str(row["findings_detail"])
            findings = f"{findings} ({detail})" if findings else detail
        if row.get("findings_from"):
            findings += f" [from {row['findings_from']}]"
        body.append(
            [
                str(row["tool"]),
                str(row["runs"]),
                f"{wall['median']:.2f}",
                f"{wall['min']:.2f}",
                f"{wall['max']:.2f}",
                f"{row['cpu_s']['median']:.2f}",
                f"{row['peak_rss_mib']['max']:.0f}",
                exit_s,
                f"{row['time_ratio']:.2f}x" if "time_ratio" in row else "",
                f"{row['rss_ratio']:.2f}x" if "rss_ratio" in row else "",
                str(row.get("ratio_vs", "")),
                findings,
            ]
        )
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in body)]
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------


ALL_KEYS = ["ctk-text", "ctk-sarif", "ctk-json", "ctk-structural", "redocly", "spectral", "osv"]


def parse_skip(values: list[str]) -> set[str]:
    skip: set[str] = set()
    for value in values:
        for name in filter(None, (v.strip() for v in value.split(","))):
            if name == "ctk":
                skip.update(k for k in ALL_KEYS if k.startswith("ctk-"))
            elif name in ("openapi-spec-validator", "osv"):
                skip.add("osv")
            elif name in ALL_KEYS:
                skip.add(name)
            else:
                raise SystemExit(
                    f"--skip: unknown tool {name!r} (known: ctk, {', '.join(ALL_KEYS)})"
                )
    return skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("/tmp/ctk-bench"),
        help="where bench/peers.sh installed the peers (default /tmp/ctk-bench)",
    )
    parser.add_argument("--spec", type=Path, help=f"spec to lint (default DIR/{SPEC_REL})")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (default 3)")
    parser.add_argument(
        "--runs-spectral", type=int, default=1, help="runs for spectral, ~90 s each (default 1)"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="TOOL[,TOOL]",
        help=f"skip tools: ctk (all ctk rows), {', '.join(ALL_KEYS)}",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter that runs `-m toolkit` (default: this one)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder of outputs")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.runs_spectral < 1:
        parser.error("--runs and --runs-spectral must be at least 1")
    args.dir = args.dir.absolute()
    skip = parse_skip(args.skip)

    spec = (args.spec or args.dir / SPEC_REL).absolute()
    if not spec.is_file():
        print(f"GitHub spec missing ({spec}): {PEER_HINT}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="ctk-lint-bench-"))
    # Nearest pyproject.toml for ctk: empty, so built-in defaults (no [tool.ctk]).
    (work / "pyproject.toml").write_text("")
    try:
        tools = build_tools(args, spec, work)
        active = [t for t in tools if t.key not in skip and not t.missing]
        for tool in tools:
            if tool.missing and tool.key not in skip:
                print(f"{tool.label}: {tool.missing}", file=sys.stderr)

        print(f"spec: {spec} ({spec.stat().st_size / 1e6:.1f} MB)")
        print(
            f"runs: {args.runs} per tool, interleaved; spectral: {args.runs_spectral}"
            + (
                " (default; ~90 s a run, raise with --runs-spectral)"
                if args.runs_spectral == 1
                else ""
            )
        )
        print(
            f"peak RSS via {'/usr/bin/time -f %M' if os.access(GNU_TIME, os.X_OK) else 'os.wait4'}"
        )
        load_before = os.getloadavg()
        print("load average before: " + " ".join(f"{x:.2f}" for x in load_before))
        rounds = max((t.runs for t in active), default=0)
        for index in range(rounds):
            for tool in active:
                if index >= tool.runs:
                    continue
                files = run_once(tool, work, index)
                print(
                    f"  run {index + 1}/{tool.runs} {tool.label:34} "
                    f"{tool.walls[-1]:7.2f} s (cpu {tool.cpus[-1]:6.2f} s)"
                    f" {mib(tool.rss_kib[-1]):7.0f} MB exit {tool.exits[-1]}"
                    f"  load {tool.loads[-1]:.2f}",
                    flush=True,
                )
                count, detail = tool.parse(files)
                if count is not None or detail:
                    tool.findings, tool.detail = count, detail
        # text/sarif render the same lint as json: take their count from there.
        json_row = next((t for t in tools if t.key == "ctk-json"), None)
        for tool in tools:
            if tool.key in ("ctk-text", "ctk-sarif") and json_row and json_row.walls:
                tool.findings, tool.detail = json_row.findings, json_row.detail
                tool.findings_from = "ctk-json"

        rows = [summarize(t) for t in tools if t.key not in skip]
        by_key = {str(r["key"]): r for r in rows}
        for tool, row in zip([t for t in tools if t.key not in skip], rows, strict=True):
            ratios(row, by_key, tool.baseline)
        # openapi-spec-validator is structural only: also give it vs ctk text.
        osv = by_key.get("osv")
        if osv and "wall_s" in osv and "ctk-text" in by_key and "wall_s" in by_key["ctk-text"]:
            ref = by_key["ctk-text"]
            osv["time_ratio_vs_ctk_text"] = osv["wall_s"]["median"] / ref["wall_s"]["median"]
            osv["rss_ratio_vs_ctk_text"] = osv["peak_rss_mib"]["max"] / ref["peak_rss_mib"]["max"]

        print()
        print(table(rows))
        print()
        print(
            "time / ctk = median wall of the row / median wall of the `vs` row;"
            " RSS / ctk = peak RSS likewise (MB = KiB / 1024);"
            " cpu s = median user+sys (all threads and children)."
        )
        if "spectral" in by_key and by_key["spectral"].get("runs") == 1:
            print(
                "spectral ran once (default; --runs-spectral N for more): its min = median = max."
            )
        target = []
        for key in ("ctk-text", "ctk-sarif"):
            ctk_row = by_key.get(key)
            if ctk_row and "wall_s" in ctk_row:
                wall = ctk_row["wall_s"]["median"]
                rss = ctk_row["peak_rss_mib"]["max"]
                ok = wall <= 2.0 and rss <= 300
                ctk_row["target_met"] = ok
                target.append(f"{key}: {wall:.2f} s, {rss:.0f} MB -> {'met' if ok else 'NOT met'}")
        if target:
            print("target (<= 2 s median wall, <= 300 MB peak RSS): " + "; ".join(target))

        if args.json:
            result = {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "spec": str(spec),
                "spec_bytes": spec.stat().st_size,
                "runs": args.runs,
                "runs_spectral": args.runs_spectral,
                "interleaved": True,
                "rss_source": "/usr/bin/time -f %M" if os.access(GNU_TIME, os.X_OK) else "os.wait4",
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "node": _node_version(),
                },
                "loadavg_before": load_before,
                "loadavg_after": os.getloadavg(),
                "target": {"wall_s": 2.0, "peak_rss_mib": 300},
                "results": rows,
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(result, indent=2) + "\n")
            print(f"wrote {args.json}")
    finally:
        if args.keep:
            print(f"outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _node_version() -> str | None:
    node = shutil.which("node")
    if not node:
        return None
    try:
        return subprocess.run(
            [node, "--version"], check=False, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


if __name__ == "__main__":
    raise SystemExit(main())
