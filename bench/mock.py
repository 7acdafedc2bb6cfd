"""Requests per second of `ctk mock` against Prism on the same spec, side by side.

Not a test: a benchmark. Spec: specs/prompt-library.yaml (OpenAPI 3.1, secured by OAuth 2.0
or an `X-API-Key`). Three requests, one scenario each, every one with `X-API-Key: mock-token`:

* list     GET /prompts                        200, the spec's `firstPage` example
* get      GET /prompts/{id}                   200; the id is the one the target's own answer to
                                               the checking POST carries (a stateful mock only
                                               knows the prompts it created)
* create   POST /prompts                       201; body: the spec's `full` request example

Targets (each its own process, started fresh for every round, pinned to core 0):

* prism          Prism (`@stoplight/prism-cli`, npm, in --prism-dir): examples (`--dynamic=false`,
                 its fast path), `--cors=false` as ctk (no CORS unless asked), default logging
                 (info: ~5 lines per request, to a file)
* prism-quiet    the same with `--verboseLevel=error` (no line per request)
* ctk            `python -m toolkit mock SPEC --host 127.0.0.1 --port PORT` (its defaults; the
                 JSON access line per request goes to a file)
* ctk-stateful   the same with `--stateful`

A round: wait until the 1-minute load average is below --load-threshold, then for each
target (order rotating per round): start it, poll the port until it answers (timeout, its
output shown if it does not start), check it (status and JSON body of the three requests,
plus one without credential and one with an invalid body), then per scenario 2 s of wrk to
warm up and --duration s measured (wrk pinned to core 1), then stop it (its process group).
The POST scenario runs last, so the list and the item read by a stateful target hold the
one prompt created by the check. Reported: median, min and max req/s, median p99, the
server's own CPU per request, and ctk ÷ Prism of the median req/s.

    python bench/mock.py --setup                 # once: Prism into /tmp/bench-prism (npm)
    python bench/mock.py                         # all targets, 3 rounds (~8 min + load waits)
    python bench/mock.py --only prism,prism-quiet --rounds 1 --duration 5

A target that does not start (or answers wrongly) is reported as such and skipped; the others
go on. Writes bench/results/mock.json (gitignored). Reuses bench/http_overhead.py's helpers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_overhead as ho

ROOT = ho.ROOT
SPEC = ROOT / "specs" / "prompt-library.yaml"
DEFAULT_JSON = ROOT / "bench" / "results" / "mock.json"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"
# ctk mock accepts `mock-token` by default; Prism accepts any credential of the right form.
CREDENTIAL_HEADER = "X-API-Key"
CREDENTIAL = "mock-token"

# GET or POST, with the body file (if any) as the second argument; prints the same JSON line
# as bench/http_apps/post.lua, which http_overhead.run_wrk reads. Headers come from `-H`.
LUA = """\
function init(args)
  wrk.method = args[1]
  if args[2] then
    local file = assert(io.open(args[2], "rb"))
    wrk.body = file:read("*a")
    file:close()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


def create_body() -> dict[str, Any]:
    """The spec's own `full` example of the createPrompt request."""
    spec = yaml.safe_load(SPEC.read_text())
    content = spec["paths"]["/prompts"]["post"]["requestBody"]["content"]["application/json"]
    body: dict[str, Any] = content["examples"]["full"]["value"]
    return body


@dataclass
class Scenario:
    name: str
    method: str
    path: str  # {id}: the id of the prompt the check created (statuses: see `check`)


SCENARIOS = [
    Scenario("list", "GET", "/prompts"),
    Scenario("get", "GET", "/prompts/{id}"),
    Scenario("create", "POST", "/prompts"),  # last: a stateful store grows here
]


# What the check records for every target: the three scenarios, then two refusals.
CHECKS = ["list", "get", "create", "no credential", "invalid body"]


@dataclass
class Target:
    name: str
    what: str
    kind: str  # "prism" or "ctk"
    flags: list[str] = field(default_factory=list)
    missing: str = ""  # why it is not measured (not installed, did not start, wrong answer)
    failed: dict[str, str] = field(default_factory=dict)  # scenario: why (not measured again)
    command: list[str] = field(default_factory=list)
    ready_s: list[float] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def all_targets() -> list[Target]:
    return [
        Target(
            "prism",
            "Prism, examples, --cors=false, default logging (info)",
            "prism",
            ["--dynamic=false", "--cors=false"],
        ),
        Target(
            "prism-quiet",
            "the same, --verboseLevel=error",
            "prism",
            ["--dynamic=false", "--cors=false", "--verboseLevel=error"],
        ),
        Target("ctk", "ctk mock, defaults", "ctk"),
        Target("ctk-stateful", "ctk mock --stateful", "ctk", ["--stateful"]),
    ]


def prism_bin(folder: Path) -> Path:
    return folder / "node_modules" / ".bin" / "prism"


def server_command(target: Target, port: int, prism_dir: Path, prefix: list[str]) -> list[str]:
    if target.kind == "prism":
        return [
            *prefix,
            str(prism_bin(prism_dir)),
            "mock",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            *target.flags,
            str(SPEC),
        ]
    return [
        *prefix,
        sys.executable,
        "-m",
        "toolkit",
        "mock",
        str(SPEC),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *target.flags,
    ]


# -- setup ---------------------------------------------------------------------------------


def setup(prism_dir: Path) -> None:
    """Install Prism with npm into `prism_dir` (never a project dependency)."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing: install Node.js 18+ (with npm)")
    prism_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(prism_dir), "--no-audit", "--no-fund", PRISM_PACKAGE],
        check=True,
    )
    print(f"installed {PRISM_PACKAGE} ({prism_version(prism_dir)}) in {prism_dir}")
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get update && apt-get install -y wrk")


def prism_version(prism_dir: Path) -> str:
    done = subprocess.run(
        [str(prism_bin(prism_dir)), "--version"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or f"? ({done.stderr.strip()[:200]})"


def node_version() -> str:
    if shutil.which("node") is None:
        return ""
    done = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def ctk_version() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain") else ""
    return f"{git('rev-parse', '--short', 'HEAD')}{dirty}"


# -- servers -------------------------------------------------------------------------------


def call(
    url: str, method: str = "GET", body: bytes | None = None, auth: bool = True
) -> tuple[int, str, bytes]:
    """(status, content type, body) of one request."""
    headers = {CREDENTIAL_HEADER: CREDENTIAL} if auth else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its descendants (Prism may fork; uvicorn does not here)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    family, total = [pid], 0.0
    while family:
        current = family.pop()
        with contextlib.suppress(OSError):
            total += ho.cpu_seconds(current)
        family.extend(child for child, parent in parents.items() if parent == current)
    return total


class StartError(RuntimeError):
    pass


@dataclass
class Server:
    target: Target
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self, lines: int = 25) -> str:
        if not self.log.closed:
            self.log.flush()
        text = Path(self.log.name).read_text(errors="replace").splitlines()
        return "\n".join("    " + line for line in text[-lines:]) or "    (no output)"

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def start(target: Target, args: argparse.Namespace, prefix: list[str], log_path: Path) -> Server:
    """Start the target in its own process group and wait until it answers an HTTP request."""
    port = ho.free_port()
    target.command = server_command(target, port, args.prism_dir, prefix)
    log = log_path.open("wb")
    began = time.monotonic()
    process = subprocess.Popen(
        target.command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped with everything it forks
    )
    server = Server(target, port, process, log)
    while True:
        if process.poll() is not None:
            server.stop()
            raise StartError(
                f"{target.name}: exited with {process.returncode} before answering:\n"
                + server.output()
            )
        try:
            call(server.base + "/prompts")  # any HTTP answer means it is up
            break
        except (OSError, urllib.error.URLError):
            if time.monotonic() - began > args.start_timeout:
                server.stop()
                raise StartError(
                    f"{target.name}: no answer on port {port} after {args.start_timeout:.0f} s:\n"
                    + server.output()
                ) from None
            time.sleep(0.1)
    target.ready_s.append(round(time.monotonic() - began, 2))
    return server


def check(server: Server, body: bytes) -> str:
    """Status and JSON-ness of each request; returns the id for the `get` scenario. Raises
    StartError when a scenario does not answer its expected status with a JSON body."""
    seen: dict[str, str] = {}

    def record(name: str, answer: tuple[int, str, bytes], expected: int | None) -> Any:
        status, content_type, raw = answer
        try:
            parsed = json.loads(raw)
            shape = "json"
        except ValueError:
            parsed, shape = None, "not json"
        seen[name] = f"{status} {shape} ({content_type.split(';')[0] or 'no content type'})"
        if expected is not None and (status != expected or parsed is None):
            raise StartError(
                f"{server.target.name}: {name} answered {status} ({shape}), expected {expected}"
                f" with JSON: {raw[:300]!r}"
            )
        return parsed

    created = record("create", call(server.base + "/prompts", "POST", body), 201)
    ident = created.get("id") if isinstance(created, dict) else None
    if not isinstance(ident, str):
        raise StartError(f"{server.target.name}: the created prompt has no id: {created!r}")
    record("list", call(server.base + "/prompts"), 200)
    record("get", call(server.base + f"/prompts/{ident}"), 200)
    record("no credential", call(server.base + "/prompts", auth=False), None)
    record("invalid body", call(server.base + "/prompts", "POST", b'{"name": 5}'), None)
    checks = {name: seen[name] for name in CHECKS}
    if server.target.checks and server.target.checks != checks:
        print(f"  {server.target.name}: answers changed since round 1: {checks}")
    server.target.checks = server.target.checks or checks
    return ident


def wrk_command(
    url: str, scenario: Scenario, seconds: int, args: argparse.Namespace, files: dict[str, Path]
) -> list[str]:
    post = scenario.method == "POST"
    return [
        *args.client_prefix,
        "wrk",
        "-t1",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-H",
        f"{CREDENTIAL_HEADER}: {CREDENTIAL}",
        *(["-H", "Content-Type: application/json"] if post else []),
        "-s",
        str(files["lua"]),
        url,
        "--",
        scenario.method,
        *([str(files["body"])] if post else []),
    ]


def measure(
    server: Server, scenario: Scenario, ident: str, args: argparse.Namespace, files: dict[str, Path]
) -> dict[str, Any]:
    url = server.base + scenario.path.format(id=ident)
    ho.run_wrk(wrk_command(url, scenario, args.warmup, args, files))
    load_now = os.getloadavg()[0]
    cpu_before = tree_cpu_seconds(server.process.pid)
    result = ho.run_wrk(wrk_command(url, scenario, args.duration, args, files))
    cpu = tree_cpu_seconds(server.process.pid) - cpu_before
    result["server_cpu_us_per_req"] = cpu / max(result["requests"], 1) * 1e6
    result["load_1m_at_start"] = round(load_now, 2)
    errors = result["errors"]
    if any(errors.values()):
        raise StartError(f"{server.target.name} {scenario.name}: wrk saw errors: {errors}")
    if result["requests"] < args.duration:  # under 1 req/s: stalled, not slow
        raise StartError(
            f"{server.target.name} {scenario.name}: only {result['requests']} answer(s) in "
            f"{args.duration} s with {args.connections} connections (stalled?)"
        )
    return result


def run_rounds(targets: list[Target], args: argparse.Namespace) -> dict[str, Any]:
    server_prefix, args.client_prefix, pinned = ho.pinning(args.nice)
    logs = Path(tempfile.mkdtemp(prefix="mock-bench-"))
    files = {"lua": logs / "request.lua", "body": logs / "create.json"}
    files["lua"].write_text(LUA)
    body = json.dumps(create_body()).encode()
    files["body"].write_bytes(body)
    scenarios = [s for s in SCENARIOS if s.name in args.scenarios.split(",")]
    rounds = []
    for index in range(args.rounds):
        print(f"round {index + 1}/{args.rounds}:")
        rounds.append(ho.wait_for_quiet(args.load_threshold, args.max_wait))
        shift = index % len(targets)
        for target in targets[shift:] + targets[:shift]:
            if target.missing:
                continue
            try:
                server = start(target, args, server_prefix, logs / f"{target.name}-{index + 1}.log")
            except StartError as error:
                target.missing = "**did not start**"
                print(f"  {target.name}: DID NOT START, skipped\n{error}")
                continue
            clean = True
            try:
                ident = check(server, body)
                print(f"  {target.name:<13} ready in {target.ready_s[-1]:.2f} s; {target.checks}")
                for scenario in scenarios:
                    if scenario.name in target.failed:
                        continue
                    try:
                        result = measure(server, scenario, ident, args, files)
                    except StartError as error:
                        clean = False
                        target.failed[scenario.name] = f"round {index + 1}: {error}"
                        print(f"  FAILED, not measured again: {error}\n{server.output(8)}")
                        break  # the server may be stuck: the next round starts a fresh one
                    result["round"] = index + 1
                    target.results.setdefault(scenario.name, []).append(result)
                    print(
                        f"    {scenario.name:<7}{result['req_per_s']:>10,.0f} req/s"
                        f"  p99 {result['latency_us']['p99'] / 1000:>7.2f} ms"
                        f"  server CPU {result['server_cpu_us_per_req']:>7.1f} us/req"
                        f"  (load {result['load_1m_at_start']:.2f})"
                    )
            except StartError as error:
                clean = False
                target.missing = "**wrong answer**: " + str(error).replace("|", "/")
                print(f"  {target.name}: WRONG ANSWER, skipped: {error}\n{server.output(8)}")
            finally:
                server.stop()
                if clean and not args.keep_logs:
                    Path(server.log.name).unlink(missing_ok=True)  # Prism's: ~20 MB a round
    return {
        "pinning": pinned,
        "rounds": rounds,
        "wrk": shlex.join(wrk_command("URL", SCENARIOS[-1], args.duration, args, files)),
        "logs": str(logs),
        "create_body": json.loads(body),
    }


# -- report --------------------------------------------------------------------------------


def summary(results: list[dict[str, Any]]) -> dict[str, float]:
    rates = [r["req_per_s"] for r in results]
    nan = float("nan")
    return {
        "req_s_median": ho.median(rates),
        "req_s_min": min(rates) if rates else nan,
        "req_s_max": max(rates) if rates else nan,
        "p99_ms_median": ho.median([r["latency_us"]["p99"] / 1000 for r in results]),
        "server_cpu_us_per_req_median": ho.median([r["server_cpu_us_per_req"] for r in results]),
    }


def same_round_ratios(target: Target, base: Target, scenario: str) -> list[float]:
    """target ÷ base req/s, round by round (same background load)."""
    by_round = {r["round"]: r["req_per_s"] for r in base.results.get(scenario, [])}
    return [
        round(r["req_per_s"] / by_round[r["round"]], 3)
        for r in target.results.get(scenario, [])
        if r["round"] in by_round
    ]


def table(targets: list[Target], scenarios: list[str]) -> str:
    """One row per scenario and target; against each Prism row, the row's req/s ÷ Prism's
    (above 1: faster) and Prism's server CPU per request ÷ the row's (above 1: cheaper)."""
    fmt = ho.fmt
    bases = [t for t in targets if t.kind == "prism" and t.results]
    head = "| scenario | target | req/s median | min | max | p99 ms | server CPU µs/req |"
    head += "".join(f" req/s ÷ {b.name} | {b.name} CPU ÷ row |" for b in bases)
    lines = [head, "|---|---|" + "---:|" * (5 + 2 * len(bases))]
    cpu = "server_cpu_us_per_req_median"
    for scenario in scenarios:
        for target in targets:
            if scenario in target.failed:
                why = target.failed[scenario].replace("|", "/").replace("\n", " ")
                lines.append(f"| {scenario} | {target.name} | **failed**: {why} |")
                continue
            if target.missing and not target.results.get(scenario):
                lines.append(f"| {scenario} | {target.name} | {target.missing} |")
                continue
            s = summary(target.results.get(scenario, []))
            ratios = []
            for base in bases:
                b = summary(base.results.get(scenario, []))
                ratios.append(fmt(s["req_s_median"] / b["req_s_median"], ".2f") + "x")
                ratios.append(fmt(b[cpu] / s[cpu], ".2f") + "x")
            lines.append(
                f"| {scenario} | {target.name} | {fmt(s['req_s_median'], ',.0f')} "
                f"| {fmt(s['req_s_min'], ',.0f')} | {fmt(s['req_s_max'], ',.0f')} "
                f"| {fmt(s['p99_ms_median'], '.2f')} | {fmt(s[cpu], ',.1f')} |"
                + "".join(f" {r} |" for r in ratios)
            )
    return "\n".join(lines)


def checks_table(targets: list[Target]) -> str:
    names = CHECKS
    lines = [
        "| target | ready s (median) | " + " | ".join(names) + " |",
        "|---|---:|" + "---|" * len(names),
    ]
    for t in targets:
        cells = [t.name, ho.fmt(ho.median(t.ready_s), ".2f"), *(t.checks.get(n, "") for n in names)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _terminated(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # the `finally` blocks stop the servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="install Prism with npm and exit")
    parser.add_argument("--prism-dir", type=Path, default=Path("/tmp/bench-prism"))
    parser.add_argument("--only", default="", help="comma-separated target names")
    parser.add_argument("--scenarios", default="list,get,create", help="comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk measured")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--start-timeout", type=float, default=60.0, help="seconds to answer")
    parser.add_argument("--load-threshold", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=600.0, help="seconds, per round")
    parser.add_argument("--nice", type=int, default=0, help="run servers and wrk at this nice")
    parser.add_argument("--keep-logs", action="store_true", help="keep every server's output")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminated)

    if args.setup:
        setup(args.prism_dir)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get update && apt-get install -y wrk")

    targets = all_targets()
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - {t.name for t in targets}
        if unknown:
            sys.exit(f"unknown target(s) {sorted(unknown)}: {[t.name for t in targets]}")
        targets = [t for t in targets if t.name in wanted]
    if not prism_bin(args.prism_dir).exists():
        for target in targets:
            if target.kind == "prism":
                target.missing = "not installed: python bench/mock.py --setup"
    started = dt.datetime.now(dt.UTC)
    meta: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "node": node_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "prism": prism_version(args.prism_dir) if prism_bin(args.prism_dir).exists() else "",
        "ctk": ctk_version(),
        "spec": str(SPEC.relative_to(ROOT)),
        "credential": f"{CREDENTIAL_HEADER}: {CREDENTIAL}",
    }
    print(f"Prism {meta['prism'] or '(not installed)'}, ctk {meta['ctk']}, spec {meta['spec']}")
    meta.update(run_rounds(targets, args))

    scenarios = [s.name for s in SCENARIOS if s.name in args.scenarios.split(",")]
    print()
    print(table(targets, scenarios))
    print()
    print(checks_table(targets))
    print()
    for target in targets:
        if target.command:
            print(f"{target.name}: " + shlex.join(target.command).replace(str(ROOT) + "/", ""))
    print("wrk:", meta["wrk"].replace(str(ROOT) + "/", ""))
    print("pinning:", meta["pinning"])
    for index, load in enumerate(meta["rounds"], 1):
        print(f"round {index}: load {load['load']} (waited {load['waited_s']} s)")

    bases = [t for t in targets if t.kind == "prism"]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    out = {
        "meta": meta,
        "targets": [
            {
                "name": t.name,
                "what": t.what,
                "missing": t.missing,
                "failed": t.failed,
                "command": t.command,
                "ready_s": t.ready_s,
                "checks": t.checks,
                "summary": {s: summary(r) for s, r in t.results.items()},
                "same_round_ratios": {
                    b.name: {s: same_round_ratios(t, b, s) for s in t.results}
                    for b in bases
                    if b is not t
                },
                "results": t.results,
            }
            for t in targets
        ],
        "table": table(targets, scenarios),
        "checks": checks_table(targets),
    }
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    shown = args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json
    print(f"\nwrote {shown}")


if __name__ == "__main__":
    main()
