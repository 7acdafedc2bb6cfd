#!/usr/bin/env python3
"""Throughput of `ctk fuzz` against the plain schemathesis CLI (`st run`), side by side.

Not a test: a benchmark. On each service (the Things API fixture and the reference prompt
library), in every repeat, interleaved (the order rotates per repeat), each row below is one
subprocess; every row that talks HTTP gets a fresh uvicorn (127.0.0.1, a free port, a fresh
SQLite file for the prompt library), so no state carries over from one run to the next:

* ctk --url           `ctk fuzz SPEC --url URL` (all phases, --mode all)
* st (flags)          `st run SPEC --url URL` with the same settings as command-line flags
* st (ctk config)     the same `st run`, plus `--config-file` with the schemathesis config
                      ctk builds for this run (toolkit.verify.fuzz._schema.config_data, as
                      TOML): stateful max-steps 20, no response-pool data in the stateless
                      phases, schema cache off, ctk's expected statuses. The same engine
                      work: the apples-to-apples peer of ctk --url.
* ctk --app           `ctk fuzz SPEC --app MODULE:ATTR` (in-process ASGI, no server)
* ctk --url, stateless / st (ctk config), stateless
                      the same two with `--phases examples,coverage,fuzzing`: these phases
                      are reproducible, both tools run exactly the same cases
* 4 shards            `ctk fuzz --url --shard I/4` for I = 1..4 at once (four subprocesses,
                      each its own --out, one server), against the repeat's ctk --url run

Measured: wall time of the subprocess (start-up and imports included), the tool's own clock
(ctk: report.json `elapsed`; st: JSON report `running_time`), the client's CPU (user +
system from wait4) and the server's (/proc/PID/stat around the run). Cases: ctk's
report.json `cases`; st's JSON report `test_cases.generated`. Both count the same thing:
every case schemathesis recorded (sent) in a scenario, stateful steps included.

    . .venv/bin/activate
    python bench/fuzz.py                          # --max-examples 50 --repeat 3 (~5 min)
    python bench/fuzz.py --max-examples 100 --repeat 5 --services things
    python bench/fuzz.py --cold --json bench/results/fuzz-cold.json

ctk runs with `--config` pointing at an empty file, so the project's `[tool.ctk.fuzz]`
(if any) does not apply: only the options on the command line.

Hypothesis' cache: ctk points Hypothesis' folder at --out/.hypothesis, st uses ./.hypothesis.
Every run here gets a fresh --out (ctk) or a fresh working folder (st), seeded with a copy
of a folder primed once at the start (`ctk fuzz --app ... --max-examples 1` per service), so
neither tool pays for building Hypothesis' Unicode tables or for collecting the constants of
local modules (the editable toolkit package among them) in the measured run. `--cold` skips
the seeding: every run starts empty, as a first run in a fresh checkout does.

Writes bench/results/fuzz.json (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
STATELESS = ("examples", "coverage", "fuzzing")
SHARDS = 4
# Environment that would change what a tool or a server does; dropped for every subprocess.
SCRUB_PREFIXES = ("SCHEMATHESIS_", "HYPOTHESIS_", "PROMPT_LIBRARY_", "CTK_")
SCRUB = {"DATABASE_URL", "NO_COLOR", "FORCE_COLOR"}


@dataclass(frozen=True)
class Service:
    key: str
    spec: str  # relative to ROOT
    app: str  # module:attr, importable from ROOT
    headers: tuple[str, ...] = ()
    sqlite: bool = False  # needs PROMPT_LIBRARY_DB (a fresh file per run)


SERVICES = {
    "things": Service(
        "things",
        "tests/integration/verify/buggy/spec.yaml",
        "tests.integration.verify.buggy.app:clean",
    ),
    "prompt-library": Service(
        "prompt-library",
        "specs/prompt-library.yaml",
        "examples.prompt_library:unlimited_app",
        headers=("X-API-Key: dev-key",),
        sqlite=True,
    ),
}


@dataclass
class Run:
    service: str
    row: str
    repeat: int
    argv: list[str]
    wall: float = 0.0
    cpu: float = 0.0  # the client's user + system seconds
    server_cpu: float | None = None
    cases: int | None = None
    cases_stdout: int | None = None  # the count printed on stdout, a cross-check
    tool_seconds: float | None = None  # the tool's own clock
    exit: int | None = None
    load1: float = 0.0
    note: str = ""
    shards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit in (0, 1) and bool(self.cases)


@dataclass
class Bench:
    args: argparse.Namespace
    scratch: Path
    ctk: str
    st: str
    empty_config: Path
    st_configs: dict[tuple[str, tuple[str, ...]], Path] = field(default_factory=dict)
    warm_cache: Path | None = None  # a primed .hypothesis/ copied into every run
    runs: list[Run] = field(default_factory=list)
    counter: int = 0

    def next_dir(self, name: str) -> Path:
        self.counter += 1
        path = self.scratch / f"{self.counter:03d}-{name}"
        path.mkdir(parents=True)
        return path


# ---------------------------------------------------------------- processes


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in SCRUB and not k.startswith(SCRUB_PREFIXES)
    }
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_cpu(pid: int) -> float:
    """User + system seconds of a live process (its own, not its children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@dataclass
class Server:
    url: str
    pid: int
    cpu_at_start: float

    def cpu_since_start(self) -> float | None:
        try:
            return proc_cpu(self.pid) - self.cpu_at_start
        except OSError:
            return None


@contextmanager
def server(service: Service, workdir: Path) -> Iterator[Server]:
    """A fresh uvicorn serving the service's app (one process, its default loop and
    parser), with a fresh SQLite file when the app needs one."""
    port = free_port()
    env = clean_env()
    if service.sqlite:
        env["PROMPT_LIBRARY_DB"] = str(workdir / "server.sqlite3")
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        service.app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with (workdir / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            wait_for_port(port, proc)
            yield Server(f"http://127.0.0.1:{port}", proc.pid, proc_cpu(proc.pid))
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"uvicorn did not listen on {port} within {timeout:.0f} s")


def execute(argv: list[str], cwd: Path, env: dict[str, str], out: Path) -> tuple[float, float, int]:
    """Run argv to completion; (wall s, client CPU s, exit code). CPU from wait4: the
    child's own rusage, its waited-for children included."""
    with (out / "stdout.txt").open("wb") as stdout, (out / "stderr.txt").open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


# ---------------------------------------------------------------- commands


def ctk_argv(
    bench: Bench,
    service: Service,
    out: Path,
    *,
    url: str | None,
    phases: tuple[str, ...],
    shard: str | None = None,
) -> list[str]:
    target = ["--url", url] if url else ["--app", service.app]
    argv = [
        bench.ctk,
        "fuzz",
        service.spec,
        "--config",
        str(bench.empty_config),
        *target,
        "--phases",
        ",".join(phases),
        "--mode",
        "all",
        "--max-examples",
        str(bench.args.max_examples),
        "--seed",
        str(bench.args.seed),
        "--out",
        str(out / "ctk-out"),
        "--report",
        "json",
        "--no-color",
    ]
    for header in service.headers:
        argv += ["--header", header]
    if shard:
        argv += ["--shard", shard]
    return argv


def st_argv(
    bench: Bench, service: Service, out: Path, *, url: str, phases: tuple[str, ...], config: bool
) -> list[str]:
    argv = [bench.st, "--no-color"]
    if config:
        argv += ["--config-file", str(bench.st_configs[(service.key, phases)])]
    argv += [
        "run",
        str(ROOT / service.spec),
        "--url",
        url,
        "--phases",
        ",".join(phases),
        "--mode",
        "all",
        "--max-examples",
        str(bench.args.max_examples),
        "--seed",
        str(bench.args.seed),
        "--generation-deterministic",
        "--workers",
        "1",
        "--checks",
        "all",
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "--report",
        "json",
        "--report-dir",
        str(out / "st-report"),
        "--report-json-path",
        str(out / "st-report.json"),
    ]
    for header in service.headers:
        argv += ["-H", header]
    return argv


def st_config_toml(service: Service, phases: tuple[str, ...], args: argparse.Namespace) -> str:
    """The schemathesis configuration `ctk fuzz` builds for this run, as TOML (the target,
    `base-url`, comes from `st run --url`)."""
    from toolkit.config import FuzzOptions
    from toolkit.load.bundle import bundle_document
    from toolkit.load.document import load_document
    from toolkit.verify.fuzz._schema import config_data
    from toolkit.verify.fuzz.headers import parse_headers

    spec = ROOT / service.spec
    data = bundle_document(load_document(spec)).data
    options = FuzzOptions(
        spec=spec,
        phases=phases,
        mode="all",
        max_examples=args.max_examples,
        seed=args.seed,
        headers=service.headers,
    )
    config = config_data(
        options,
        data,
        base_url="http://127.0.0.1",
        headers=parse_headers(service.headers),
        seed=args.seed,
        phases=phases,
    )
    config.pop("base-url", None)
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in config.items())


def toml_value(value: Any) -> str:
    """Inline TOML (one line per top-level key); JSON strings are valid TOML basic strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no TOML for {type(value).__name__}")


# ---------------------------------------------------------------- parsing

CTK_LINE = re.compile(r"(\d+) cases on (\d+) operations? in")
ST_LINE = re.compile(r"^\s*(\d+) generated", re.MULTILINE)


def read_ctk(run: Run, out: Path) -> None:
    report = out / "ctk-out" / "report.json"
    if report.is_file():
        data = json.loads(report.read_text())
        run.cases = int(data["cases"])
        run.tool_seconds = float(data["elapsed"])
        if data.get("errors"):
            run.note = f"{len(data['errors'])} run error(s)"
        if data.get("findings"):
            run.note = (run.note + "; " if run.note else "") + f"{len(data['findings'])} finding(s)"
    text = (out / "stdout.txt").read_text(errors="replace")
    matches = CTK_LINE.findall(text)
    if matches:
        run.cases_stdout = int(matches[-1][0])


def read_st(run: Run, out: Path) -> None:
    report = out / "st-report.json"
    if report.is_file():
        data = json.loads(report.read_text())
        run.cases = int(data["test_cases"]["generated"])
        run.tool_seconds = float(data["running_time"])
        failures = data["test_cases"].get("with_failures") or 0
        errors = len(data.get("errors") or [])
        if failures or errors:
            run.note = f"{failures} failing case(s), {errors} error(s)"
    matches = ST_LINE.findall((out / "stdout.txt").read_text(errors="replace"))
    if matches:
        run.cases_stdout = int(matches[-1])


# ---------------------------------------------------------------- Hypothesis' cache


def seed_cache(bench: Bench, home: Path) -> None:
    """Copy the primed Hypothesis folder to where this run's Hypothesis looks (ctk:
    --out/.hypothesis; st: ./.hypothesis), so no run pays for a cold cache (see --cold)."""
    home.mkdir(parents=True, exist_ok=True)
    if bench.warm_cache is not None:
        shutil.copytree(bench.warm_cache, home / ".hypothesis", dirs_exist_ok=True)


def prime_cache(bench: Bench, services: list[Service]) -> Path:
    """One unmeasured `ctk fuzz --app ... --max-examples 1` per service; their .hypothesis
    folders merged. Hypothesis caches there the Unicode tables its text and regex strategies
    need, and the constants it collects from every *local* module loaded (not site-packages,
    not tests): the editable toolkit package, examples/prompt_library. On a cold cache each
    run parses those again; st has only its own tables to build."""
    warm = bench.scratch / "warm-hypothesis"
    warm.mkdir()
    for service in services:
        out = bench.scratch / f"prime-{service.key}"
        argv = ctk_argv(bench, service, out, url=None, phases=ALL_PHASES)
        argv[argv.index("--max-examples") + 1] = "1"
        env = clean_env(PROMPT_LIBRARY_DB=str(bench.scratch / f"prime-{service.key}.sqlite3"))
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
        home = out / "ctk-out" / ".hypothesis"
        if result.returncode not in (0, 1) or not home.is_dir():
            sys.exit(f"priming failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
        shutil.copytree(home, warm, dirs_exist_ok=True)
    return warm


# ---------------------------------------------------------------- rows


def measure(
    bench: Bench,
    service: Service,
    row: str,
    repeat: int,
    build: Callable[[Path, str | None], list[str]],
    parse: Callable[[Run, Path], None],
    *,
    needs_server: bool,
) -> Run:
    out = bench.next_dir(f"{service.key}-{row.replace(' ', '_')}")
    env = clean_env()
    if service.sqlite and not needs_server:  # the app runs inside ctk
        env["PROMPT_LIBRARY_DB"] = str(out / "inprocess.sqlite3")
    # ctk runs from the repo (module:attr imports, the relative spec) and keeps Hypothesis'
    # files in --out; st runs from its own empty folder (its .hypothesis/ and .schemathesis/
    # land there, not in the repo, and nothing carries over between runs).
    is_st = parse is read_st
    cwd = out if is_st else ROOT
    seed_cache(bench, out if is_st else out / "ctk-out")
    if needs_server:
        with server(service, out) as srv:
            argv = build(out, srv.url)
            run = Run(service.key, row, repeat, argv, load1=os.getloadavg()[0])
            run.wall, run.cpu, run.exit = execute(argv, cwd, env, out)
            run.server_cpu = srv.cpu_since_start()
    else:
        argv = build(out, None)
        run = Run(service.key, row, repeat, argv, load1=os.getloadavg()[0])
        run.wall, run.cpu, run.exit = execute(argv, cwd, env, out)
    parse(run, out)
    report(run)
    return run


def measure_shards(bench: Bench, service: Service, repeat: int) -> Run:
    """Four `ctk fuzz --shard I/4` subprocesses at once, each against its own fresh server,
    as N CI jobs each start their service (shards sharing one stateful server interfere:
    one shard's DELETE makes another's just-created resource vanish)."""
    out = bench.next_dir(f"{service.key}-shards")
    dirs = []
    for index in range(1, SHARDS + 1):
        path = out / f"shard-{index}"
        path.mkdir()
        seed_cache(bench, path / "ctk-out")
        dirs.append(path)
    with ExitStack() as stack:
        servers = [stack.enter_context(server(service, d)) for d in dirs]
        argvs = [
            ctk_argv(bench, service, d, url=srv.url, phases=ALL_PHASES, shard=f"{i}/{SHARDS}")
            for i, (d, srv) in enumerate(zip(dirs, servers, strict=True), 1)
        ]
        run = Run(service.key, f"{SHARDS} shards", repeat, argvs[0], load1=os.getloadavg()[0])
        start = time.perf_counter()
        with ThreadPoolExecutor(SHARDS) as pool:
            results = list(
                pool.map(
                    lambda a: execute(a[0], ROOT, clean_env(), a[1]), zip(argvs, dirs, strict=True)
                )
            )
        run.wall = time.perf_counter() - start
        run.server_cpu = sum(srv.cpu_since_start() for srv in servers)
    total = 0
    exits = []
    for index, (d, (wall, cpu, code)) in enumerate(zip(dirs, results, strict=True), 1):
        part = Run(service.key, f"shard {index}/{SHARDS}", repeat, argvs[index - 1])
        part.wall, part.cpu, part.exit = wall, cpu, code
        read_ctk(part, d)
        run.shards.append(
            {
                "shard": f"{index}/{SHARDS}",
                "wall": wall,
                "cpu": cpu,
                "exit": code,
                "cases": part.cases,
                "elapsed": part.tool_seconds,
            }
        )
        run.cpu += cpu
        total += part.cases or 0
        exits.append(code)
    run.cases = total
    run.exit = max(exits)
    report(run)
    return run


def report(run: Run) -> None:
    rate = f"{run.cases / run.wall:7.1f} cases/s" if run.cases else "   no count"
    extra = f" [{run.note}]" if run.note else ""
    if run.cases_stdout is not None and run.cases is not None and run.cases_stdout != run.cases:
        extra += f" [stdout says {run.cases_stdout}]"
    print(
        f"  r{run.repeat + 1} {run.service:15} {run.row:30} {run.wall:7.2f} s "
        f"{run.cases or 0:6d} cases {rate} exit {run.exit}{extra}",
        flush=True,
    )


def rows_for(bench: Bench, service: Service) -> list[tuple[str, Callable[[int], Run]]]:
    def ctk_url(phases: tuple[str, ...]) -> Callable[[Path, str | None], list[str]]:
        return lambda out, url: ctk_argv(bench, service, out, url=url, phases=phases)

    def st(phases: tuple[str, ...], config: bool) -> Callable[[Path, str | None], list[str]]:
        return lambda out, url: st_argv(
            bench, service, out, url=url or "", phases=phases, config=config
        )

    def ctk_app(out: Path, url: str | None) -> list[str]:
        return ctk_argv(bench, service, out, url=None, phases=ALL_PHASES)

    table: list[tuple[str, Callable[[int], Run]]] = [
        (
            "ctk --url",
            lambda r: measure(
                bench, service, "ctk --url", r, ctk_url(ALL_PHASES), read_ctk, needs_server=True
            ),
        ),
        (
            "st (flags)",
            lambda r: measure(
                bench, service, "st (flags)", r, st(ALL_PHASES, False), read_st, needs_server=True
            ),
        ),
        (
            "st (ctk config)",
            lambda r: measure(
                bench,
                service,
                "st (ctk config)",
                r,
                st(ALL_PHASES, True),
                read_st,
                needs_server=True,
            ),
        ),
        (
            "ctk --app",
            lambda r: measure(
                bench, service, "ctk --app", r, ctk_app, read_ctk, needs_server=False
            ),
        ),
        (
            "ctk --url, stateless",
            lambda r: measure(
                bench,
                service,
                "ctk --url, stateless",
                r,
                ctk_url(STATELESS),
                read_ctk,
                needs_server=True,
            ),
        ),
        (
            "st (ctk config), stateless",
            lambda r: measure(
                bench,
                service,
                "st (ctk config), stateless",
                r,
                st(STATELESS, True),
                read_st,
                needs_server=True,
            ),
        ),
    ]
    if not bench.args.skip_shards:
        table.append((f"{SHARDS} shards", lambda r: measure_shards(bench, service, r)))
    return table


# ---------------------------------------------------------------- summary


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def good(runs: list[Run], service: str, row: str) -> list[Run]:
    return [r for r in runs if r.service == service and r.row == row and r.ok]


def by_repeat(runs: list[Run], service: str, row: str) -> dict[int, Run]:
    return {r.repeat: r for r in good(runs, service, row)}


def row_summary(runs: list[Run]) -> dict[str, Any]:
    cases = [r.cases for r in runs if r.cases]
    return {
        "runs": len(runs),
        "cases_median": median(cases),
        "cases_min": min(cases) if cases else None,
        "cases_max": max(cases) if cases else None,
        "wall_median": median([r.wall for r in runs]),
        "wall_min": min((r.wall for r in runs), default=None),
        "wall_max": max((r.wall for r in runs), default=None),
        "cases_per_s_wall": median([r.cases / r.wall for r in runs if r.cases]),
        "cases_per_s_tool_clock": median(
            [r.cases / r.tool_seconds for r in runs if r.cases and r.tool_seconds]
        ),
        "client_cpu_ms_per_case": median([1000 * r.cpu / r.cases for r in runs if r.cases]),
        "server_cpu_ms_per_case": median(
            [1000 * r.server_cpu / r.cases for r in runs if r.cases and r.server_cpu is not None]
        ),
        "exits": sorted({r.exit for r in runs}),
        "notes": sorted({r.note for r in runs if r.note}),
    }


def ratio_summary(runs: list[Run], service: str, row: str, base: str) -> dict[str, Any] | None:
    """ctk's time per case over the peer's, per repeat (same repeat, so the same
    background load), then the median."""
    mine, theirs = by_repeat(runs, service, row), by_repeat(runs, service, base)
    wall, cpu, clock = [], [], []
    for repeat in sorted(set(mine) & set(theirs)):
        a, b = mine[repeat], theirs[repeat]
        wall.append((a.wall / a.cases) / (b.wall / b.cases))
        cpu.append((a.cpu / a.cases) / (b.cpu / b.cases))
        if a.tool_seconds and b.tool_seconds:
            clock.append((a.tool_seconds / a.cases) / (b.tool_seconds / b.cases))
    if not wall:
        return None
    return {
        "row": row,
        "vs": base,
        "per_case_wall_ratios": wall,
        "per_case_wall_ratio_median": median(wall),
        "overhead_percent_wall": 100 * (median(wall) - 1),
        "per_case_cpu_ratio_median": median(cpu),
        "overhead_percent_cpu": 100 * (median(cpu) - 1),
        "per_case_tool_clock_ratio_median": median(clock),
        "cases": [mine[r].cases for r in sorted(set(mine) & set(theirs))],
        "cases_vs": [theirs[r].cases for r in sorted(set(mine) & set(theirs))],
    }


def shard_summary(runs: list[Run], service: str) -> dict[str, Any] | None:
    single, sharded = (
        by_repeat(runs, service, "ctk --url"),
        by_repeat(runs, service, f"{SHARDS} shards"),
    )
    pairs = [(single[r], sharded[r]) for r in sorted(set(single) & set(sharded))]
    if not pairs:
        return None
    return {
        "single_wall_median": median([s.wall for s, _ in pairs]),
        "sharded_wall_median": median([p.wall for _, p in pairs]),
        "ratio_vs_ideal": [p.wall / (s.wall / SHARDS) for s, p in pairs],
        "ratio_vs_ideal_median": median([p.wall / (s.wall / SHARDS) for s, p in pairs]),
        "speedup_median": median([s.wall / p.wall for s, p in pairs]),
        "single_cases": [s.cases for s, _ in pairs],
        "sharded_cases": [p.cases for _, p in pairs],
        "shard_walls_median": [
            median([p.shards[i]["wall"] for _, p in pairs]) for i in range(SHARDS)
        ],
        "shard_cases_median": [
            median([p.shards[i]["cases"] for _, p in pairs if p.shards[i]["cases"]])
            for i in range(SHARDS)
        ],
    }


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def table(header: list[str], align: str, rows: list[list[str]]) -> None:
    """A Markdown table; `align` holds one letter a column: l(eft) or r(ight)."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def print_tables(bench: Bench, summary: dict[str, Any]) -> None:
    args = bench.args
    cache = "empty (--cold)" if args.cold else "primed"
    print(
        f"\n## ctk fuzz vs st run: --max-examples {args.max_examples}, --seed {args.seed}, "
        f"medians of {args.repeat} interleaved repeat(s); Hypothesis cache {cache}\n"
    )
    rows = []
    for service, by_row in summary["rows"].items():
        for row, s in by_row.items():
            cases = fmt(s["cases_median"], ".0f")
            if s["cases_min"] != s["cases_max"]:
                cases += f" ({s['cases_min']}-{s['cases_max']})"
            rows.append(
                [
                    service,
                    row,
                    str(s["runs"]),
                    cases,
                    fmt(s["wall_median"]),
                    fmt(s["cases_per_s_wall"], ".1f"),
                    fmt(s["cases_per_s_tool_clock"], ".1f"),
                    fmt(s["client_cpu_ms_per_case"]),
                    fmt(s["server_cpu_ms_per_case"]),
                    ",".join(str(e) for e in s["exits"]),
                ]
            )
    table(
        [
            "service",
            "row",
            "runs",
            "cases (min-max)",
            "wall s",
            "cases/s (wall)",
            "cases/s (tool clock)",
            "client CPU ms/case",
            "server CPU ms/case",
            "exit",
        ],
        "llrrrrrrrl",
        rows,
    )
    print("\n### ctk's time per case over the peer's (median of the per-repeat ratios)\n")
    rows = []
    for service, ratios in summary["overhead"].items():
        for r in ratios:
            ours = "/".join(str(c) for c in r["cases"])
            theirs = "/".join(str(c) for c in r["cases_vs"])
            rows.append(
                [
                    service,
                    r["row"],
                    r["vs"],
                    f"{ours} vs {theirs}",
                    fmt(r["per_case_wall_ratio_median"], ".3f"),
                    fmt(r["overhead_percent_wall"], "+.1f") + " %",
                    fmt(r["overhead_percent_cpu"], "+.1f") + " %",
                    fmt(r["per_case_tool_clock_ratio_median"], ".3f"),
                ]
            )
    table(
        [
            "service",
            "ctk row",
            "vs",
            "cases (per repeat)",
            "wall/case ratio",
            "overhead (wall)",
            "overhead (client CPU)",
            "tool-clock ratio",
        ],
        "lllrrrrr",
        rows,
    )
    if not summary["shards"]:
        return
    print(f"\n### {SHARDS} shards at once vs one run (ctk --url; {os.cpu_count()} CPUs)\n")
    rows = []
    for service, s in summary["shards"].items():
        single = "/".join(str(c) for c in s["single_cases"])
        sharded = "/".join(str(c) for c in s["sharded_cases"])
        rows.append(
            [
                service,
                fmt(s["single_wall_median"]),
                fmt(s["sharded_wall_median"]),
                fmt(s["speedup_median"]) + "x",
                fmt(s["ratio_vs_ideal_median"]),
                " / ".join(fmt(w) for w in s["shard_walls_median"]),
                f"{single} vs {sharded}",
                " / ".join(fmt(c, ".0f") for c in s["shard_cases_median"]),
            ]
        )
    table(
        [
            "service",
            "single wall s",
            f"{SHARDS} shards wall s",
            "speed-up",
            f"wall(shards) / (wall(single)/{SHARDS})",
            "per-shard wall s",
            "cases single vs sharded",
            "per-shard cases",
        ],
        "lrrrrlll",
        rows,
    )


# ---------------------------------------------------------------- main


def tool_path(name: str) -> str:
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found next to {sys.executable} or on PATH: activate .venv")
    return found


def version(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (
        (result.stdout or result.stderr).strip().splitlines()[-1] if result.returncode == 0 else "?"
    )


def git(*argv: str) -> str:
    result = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50, help="per operation (50)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats (3)")
    parser.add_argument("--seed", type=int, default=1, help="the seed of every run (1)")
    parser.add_argument(
        "--services", default=",".join(SERVICES), help=f"comma-separated: {', '.join(SERVICES)}"
    )
    parser.add_argument("--skip-shards", action="store_true", help="no 4-shard row")
    parser.add_argument(
        "--json", type=Path, default=ROOT / "bench" / "results" / "fuzz.json", help="raw numbers"
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="every run starts with an empty Hypothesis cache (default: a primed copy)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    services = [SERVICES[name.strip()] for name in args.services.split(",") if name.strip()]
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="ctk-fuzz-bench-"))
    empty = scratch / "ctk-empty.toml"
    empty.write_text("# no [tool.ctk] settings: ctk's built-in defaults only\n")
    bench = Bench(args, scratch, tool_path("ctk"), tool_path("st"), empty)
    for service in services:
        for phases in (ALL_PHASES, STATELESS):
            path = scratch / f"st-{service.key}-{len(phases)}.toml"
            path.write_text(st_config_toml(service, phases, args))
            bench.st_configs[(service.key, phases)] = path
    print(f"scratch: {scratch}; ctk: {bench.ctk}; st: {bench.st}", flush=True)
    if not args.cold:
        bench.warm_cache = prime_cache(bench, services)
    try:
        for repeat in range(args.repeat):
            print(f"repeat {repeat + 1}/{args.repeat} (load {os.getloadavg()[0]:.2f})", flush=True)
            for service in services:
                rows = rows_for(bench, service)
                shift = repeat % len(rows)
                for _, run_row in rows[shift:] + rows[:shift]:
                    bench.runs.append(run_row(repeat))
    finally:
        elapsed = time.perf_counter() - started
        summary: dict[str, Any] = {"rows": {}, "overhead": {}, "shards": {}}
        for service in services:
            names = [name for name, _ in rows_for(bench, service)]
            summary["rows"][service.key] = {
                name: row_summary(good(bench.runs, service.key, name)) for name in names
            }
            ratios = [
                ratio_summary(bench.runs, service.key, "ctk --url", "st (ctk config)"),
                ratio_summary(bench.runs, service.key, "ctk --url", "st (flags)"),
                ratio_summary(
                    bench.runs, service.key, "ctk --url, stateless", "st (ctk config), stateless"
                ),
                ratio_summary(bench.runs, service.key, "ctk --app", "ctk --url"),
            ]
            summary["overhead"][service.key] = [r for r in ratios if r]
            shards = shard_summary(bench.runs, service.key)
            if shards:
                summary["shards"][service.key] = shards
        print_tables(bench, summary)
        print(f"\nscript runtime: {elapsed:.0f} s")
        document = {
            "benchmark": "bench/fuzz.py",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "runtime_s": elapsed,
            "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "load_at_end": os.getloadavg(),
            },
            "versions": {
                "ctk_commit": git("rev-parse", "HEAD"),
                "ctk_worktree_dirty": bool(git("status", "--porcelain", "toolkit")),
                "schemathesis": version([bench.st, "--version"]),
            },
            "st_configs": {
                f"{key}:{','.join(phases)}": path.read_text()
                for (key, phases), path in bench.st_configs.items()
            },
            "summary": summary,
            "runs": [asdict(r) for r in bench.runs],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        print(f"raw numbers: {args.json}")
        if args.keep:
            print(f"kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    failed = [r for r in bench.runs if not r.ok]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
