"""Per-request overhead of a generated app against FastAPI, Connexion, openapi-core, Starlette.

Not a test: a benchmark. One endpoint, `POST /accounts/{account_id}/orders?dry_run=false`
with a 20-field JSON body (bench/http_apps/spec.yaml, OpenAPI 3.1), served by:

* generated          `ctk generate bench/http_apps/spec.yaml --out GEN/bench_orders` (run
                     first, every time), a trivial service, `create_app` (default settings)
* generated+resp     the same with `Settings(validate_responses=True)`
* generated+prod     the same with CORS for the request's `Origin`, a rate limit per client
                     (never reached: the bucket's cost is measured) and the JSON access log
                     written to /dev/null (the others drop it: no handler)
* fastapi            hand-written FastAPI with the generated pydantic models, `-> OrderAccepted`
* starlette          raw Starlette: parse the JSON, answer JSON; no validation
* openapi-core       Starlette + openapi-core 0.23 `StarletteOpenAPIMiddleware`, requests only
* openapi-core+resp  the same validating responses too (the middleware's default)
* connexion          Connexion 3.3 `AsyncApp` over the same spec (as 3.0.3), one handler

The apps live in bench/http_apps/. Each app is measured two ways:

* over HTTP: uvicorn, 1 worker, one process per app, pinned to core 0 with taskset; wrk
  (`-t1 -c32 -d10s`, bench/http_apps/post.lua) pinned to core 1; 2 s of wrk to warm up
  before each measurement; rounds interleaved across apps (the order rotates per round);
  before each round, wait until the 1-minute load average is below 1.0 (at most 10 min,
  then go on and record the load). Median, min and max req/s; median p99 latency; and the
  server process's own CPU time per request (user + system from /proc, read around each
  measurement), which other jobs on the machine disturb far less than req/s does.
* in-process: the ASGI app called directly (bench/http_apps/inprocess.py, one worker
  process per app, pinned to core 0), 7 interleaved rounds of N calls each.

Before measuring, every app answers the valid request (201, the same body) and a set of
invalid ones (one broken constraint each); an app that accepts the invalid body is labelled
"no validation".

    python bench/http_overhead.py --setup          # once: venvs of the peers, uvicorn[standard]
    python bench/http_overhead.py                  # all of it (~6 min on an idle machine)
    python bench/http_overhead.py --nice -10 --rounds 5 --max-wait 120   # on a busy one
    python bench/http_overhead.py --only generated,fastapi --rounds 1 --skip-inprocess

Peers that conflict with the project's dependencies live in their own venvs under
/tmp/bench-venvs (`--venvs`): `connexion` and `openapicore`. Writes
bench/results/http_overhead.json (gitignored).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "bench" / "http_apps"
sys.path.insert(0, str(APPS))

from common import PATH, QUERY, accepted, invalid_payload, payload  # noqa: E402

SPEC = APPS / "spec.yaml"
LUA = APPS / "post.lua"
ORDER = APPS / "order.json"
DEFAULT_JSON = ROOT / "bench" / "results" / "http_overhead.json"
VERSIONS = (
    "uvicorn",
    "httptools",
    "uvloop",
    "starlette",
    "fastapi",
    "pydantic",
    "pydantic-core",
    "jsonschema-rs",
    "orjson",
    "connexion",
    "jsonschema",
    "openapi-core",
    "openapi-schema-validator",
)
# What --setup installs into each peer venv (uvicorn[standard] pinned to the main venv's
# uvicorn, so every server runs the same uvicorn, httptools and uvloop).
PEERS = {
    "connexion": ["connexion[swagger-ui,uvicorn]==3.3.0", "rfc3339-validator"],
    "openapicore": ["openapi-core==0.23.1", "aioitertools"],
}


@dataclass
class App:
    name: str
    venv: str  # "" = the interpreter running this script; else a folder under --venvs
    target: str  # module:attribute in bench/http_apps
    what: str
    python: str = ""
    missing: str = ""  # why the app is not measured
    validates: bool | None = None
    http: list[dict[str, Any]] = field(default_factory=list)
    inprocess: list[float] = field(default_factory=list)
    inprocess_n: int = 0
    cases: dict[str, int] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)


def all_apps() -> list[App]:
    return [
        App("generated", "", "generated_app:app", "ctk generate + create_app, defaults"),
        App("generated+resp", "", "generated_app:app_resp", "the same, validate_responses=True"),
        App(
            "generated+prod",
            "",
            "generated_app:app_prod",
            "the same, CORS + a rate limit per client + the access log written",
        ),
        App("fastapi", "", "fastapi_app:app", "FastAPI, generated models, -> OrderAccepted"),
        App("starlette", "", "starlette_app:app", "raw Starlette, request.json(), JSONResponse"),
        App(
            "openapi-core",
            "openapicore",
            "openapicore_app:app",
            "Starlette + openapi-core middleware, requests",
        ),
        App(
            "openapi-core+resp",
            "openapicore",
            "openapicore_app:app_resp",
            "the same, responses too (its default)",
        ),
        App("connexion", "connexion", "connexion_app:app", "Connexion AsyncApp, same spec (3.0.3)"),
    ]


# -- setup ---------------------------------------------------------------------------------


def setup(venvs: Path) -> None:
    """Create the peer venvs and put uvicorn[standard] (same version) everywhere."""
    from importlib.metadata import version

    uvicorn = f"uvicorn[standard]=={version('uvicorn')}"
    starlette = f"starlette=={version('starlette')}"
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    subprocess.run([*pip, uvicorn], check=True)
    for name, packages in PEERS.items():
        folder = venvs / name
        if not (folder / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        extra = [starlette] if name == "openapicore" else []
        subprocess.run(
            [
                str(folder / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                *packages,
                uvicorn,
                *extra,
            ],
            check=True,
        )
    print(f"set up: {uvicorn} here and in {', '.join(str(venvs / n) for n in PEERS)}")


# -- helpers -------------------------------------------------------------------------------


def generate(gen_dir: Path) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "toolkit",
        "generate",
        str(SPEC),
        "--out",
        str(gen_dir / "bench_orders"),
    ]
    subprocess.run(command, check=True, cwd=ROOT)
    return command


def versions_of(python: str) -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m\n"
        "out = {}\n"
        f"for name in {list(VERSIONS)!r}:\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(done.stdout)
    return found


def has_fast_http(python: str) -> bool:
    done = subprocess.run(
        [python, "-c", "import httptools, uvloop"], capture_output=True, check=False
    )
    return done.returncode == 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinning(nice: int = 0) -> tuple[list[str], list[str], str]:
    """(server prefix, client prefix, description). `nice` < 0 raises both above other
    jobs of the machine (root only), so they steal less of the pinned cores."""
    cores = os.cpu_count() or 1
    niced = ["nice", "-n", str(nice)] if nice else []
    also = f", both at nice {nice}" if nice else ""
    if shutil.which("taskset") and cores >= 2:
        return (
            [*niced, "taskset", "-c", "0"],
            [*niced, "taskset", "-c", "1"],
            f"server on core 0, client on core 1 (taskset){also}",
        )
    return niced, niced, f"not pinned (no taskset or one core){also}"


def wait_for_quiet(threshold: float, max_wait: float) -> dict[str, float]:
    """Wait until the 1-minute load average is below `threshold` (at most `max_wait` s)."""
    start = time.monotonic()
    first = os.getloadavg()[0]
    while True:
        load = os.getloadavg()[0]
        waited = time.monotonic() - start
        if load < threshold or waited >= max_wait:
            if waited >= 1:
                state = "quiet" if load < threshold else "gave up waiting"
                print(f"  load {first:.2f} -> {load:.2f} after {waited:.0f} s ({state})")
            return {
                "load_before_wait": round(first, 2),
                "load": round(load, 2),
                "waited_s": round(waited, 1),
                "quiet": load < threshold,
            }
        time.sleep(5)


def request(url: str, body: bytes, timeout: float = 10.0) -> tuple[int, bytes]:  # (status, body)
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- HTTP ----------------------------------------------------------------------------------


@dataclass
class Server:
    app: App
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}?{QUERY}"


def uvicorn_command(app: App, port: int, fast: bool, prefix: list[str]) -> list[str]:
    http = ["--http", "httptools", "--loop", "uvloop"] if fast else ["--http", "h11"]
    return [
        *prefix,
        app.python,
        "-m",
        "uvicorn",
        "--app-dir",
        str(APPS),
        app.target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        *http,
        "--log-level",
        "warning",
        "--no-access-log",
    ]


def start(app: App, fast: bool, prefix: list[str], logs: Path, env: dict[str, str]) -> Server:
    port = free_port()
    app.command = uvicorn_command(app, port, fast, prefix)
    log = (logs / f"{app.name}.log").open("wb")
    process = subprocess.Popen(app.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Server(app, port, process, log)


def verify(server: Server, timeout: float = 60.0) -> None:
    """201 with the expected body for the valid request; the status of the invalid one."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.app.name}: the server exited; see {server.log.name}")
        try:
            status, body = request(server.url, payload())
            break
        except (ConnectionError, urllib.error.URLError, TimeoutError):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.app.name}: no answer; see {server.log.name}") from None
            time.sleep(0.2)
    expected = accepted("acc_1a2b3c4d", False)
    if status != 201 or json.loads(body) != expected:
        raise RuntimeError(f"{server.app.name}: valid request got {status}: {body[:300]!r}")
    status, body = request(server.url, invalid_payload())
    validates = 400 <= status < 500
    if server.app.validates is not None and server.app.validates != validates:
        raise RuntimeError(f"{server.app.name}: over HTTP the invalid body got {status}")
    server.app.validates = validates
    print(f"  {server.app.name:<18} port {server.port}: valid 201, invalid {status}")


def wrk_command(
    url: str, seconds: int, connections: int, threads: int, prefix: list[str]
) -> list[str]:
    return [
        *prefix,
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        url,
        "--",
        str(ORDER),
    ]


def run_wrk(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    line = next(x for x in done.stdout.splitlines() if x.startswith('{"requests"'))
    result: dict[str, Any] = json.loads(line)
    result["req_per_s"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure_http(apps: list[App], args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    fast = all(has_fast_http(app.python) for app in apps)
    server_prefix, client_prefix, pinned = pinning(args.nice)
    logs = Path(tempfile.mkdtemp(prefix="http-overhead-"))
    servers: list[Server] = []
    rounds: list[dict[str, Any]] = []
    try:
        print("servers:")
        for app in apps:
            servers.append(start(app, fast, server_prefix, logs, env))
        for server in servers:
            verify(server)
        for index in range(args.rounds):
            print(f"HTTP round {index + 1}/{args.rounds}:")
            load = wait_for_quiet(args.load_threshold, args.max_wait)
            rounds.append(load)
            order = servers[index % len(servers) :] + servers[: index % len(servers)]
            for server in order:
                run_wrk(wrk_command(server.url, args.warmup, args.connections, 1, client_prefix))
                load_now = os.getloadavg()[0]
                command = wrk_command(server.url, args.duration, args.connections, 1, client_prefix)
                cpu_before = cpu_seconds(server.process.pid)
                result = run_wrk(command)
                cpu = cpu_seconds(server.process.pid) - cpu_before
                # The server's own CPU per request: what it costs, whoever else is running.
                result["server_cpu_s"] = round(cpu, 3)
                result["server_cpu_us_per_req"] = cpu / max(result["requests"], 1) * 1e6
                errors = result["errors"]
                if result["requests"] == 0 or errors["status"] or errors["timeout"]:
                    raise RuntimeError(f"{server.app.name}: wrk saw errors: {result}")
                result["round"] = index + 1
                result["load_1m_at_start"] = round(load_now, 2)
                server.app.http.append(result)
                print(
                    f"  {server.app.name:<18}{result['req_per_s']:>10,.0f} req/s"
                    f"  p99 {result['latency_us']['p99'] / 1000:>7.2f} ms"
                    f"  server CPU {result['server_cpu_us_per_req']:>7.1f} us/req"
                    f"  (load {load_now:.2f})"
                )
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
            server.log.close()
    return {
        "http_flags": "--http httptools --loop uvloop" if fast else "--http h11 (asyncio)",
        "pinning": pinned,
        "rounds": rounds,
        "wrk": wrk_command(
            "http://127.0.0.1:PORT" + PATH + "?" + QUERY,
            args.duration,
            args.connections,
            1,
            client_prefix,
        ),
        "logs": str(logs),
    }


# -- in-process ----------------------------------------------------------------------------


class Worker:
    def __init__(self, app: App, prefix: list[str], env: dict[str, str], log: IO[bytes]) -> None:
        self.process = subprocess.Popen(
            [*prefix, app.python, str(APPS / "inprocess.py"), app.target],
            cwd=APPS,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the in-process worker died on {command!r}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def measure_inprocess(
    apps: list[App], args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    prefix, _, pinned = pinning(args.nice)
    load = wait_for_quiet(args.load_threshold, args.max_wait)
    workers: dict[str, Worker] = {}
    log = (Path(tempfile.mkdtemp(prefix="inprocess-")) / "workers.log").open("wb")
    try:
        for app in apps:
            worker = workers[app.name] = Worker(app, prefix, env, log)
            check = worker.ask("check")
            if check["valid"][0] != 201 or json.loads(check["valid"][1]) != accepted(
                "acc_1a2b3c4d", False
            ):
                raise RuntimeError(f"{app.name}: in-process valid request got {check['valid']}")
            validates = 400 <= check["invalid"][0] < 500
            if app.validates is not None and app.validates != validates:
                raise RuntimeError(f"{app.name}: in-process invalid body got {check['invalid']}")
            app.validates = validates
            app.cases = check["cases"]
            rate = worker.ask(f"run {max(args.n // 20, 50)}")["calls_per_s"]  # warm-up
            app.inprocess_n = int(min(args.n, max(100, rate * args.inprocess_seconds)))
        for index in range(args.repeat):
            print(f"in-process round {index + 1}/{args.repeat}")
            for app in apps:
                result = workers[app.name].ask(f"run {app.inprocess_n}")
                app.inprocess.append(result["calls_per_s"])
    finally:
        for worker in workers.values():
            worker.close()
        log.close()
    where = pinned.replace("server on core 0, client on core 1", "workers on core 0")
    return {"pinning": where, "load": load}


# -- report --------------------------------------------------------------------------------


def summary(app: App) -> dict[str, Any]:
    rates = [r["req_per_s"] for r in app.http]
    p99s = [r["latency_us"]["p99"] / 1000 for r in app.http]
    cpus = [r["server_cpu_us_per_req"] for r in app.http if "server_cpu_us_per_req" in r]
    return {
        "req_s_median": median(rates),
        "req_s_min": min(rates) if rates else float("nan"),
        "req_s_max": max(rates) if rates else float("nan"),
        "p99_ms_median": median(p99s),
        "server_cpu_us_per_req_median": median(cpus),
        "inprocess_median": median(app.inprocess),
        "inprocess_min": min(app.inprocess) if app.inprocess else float("nan"),
        "inprocess_max": max(app.inprocess) if app.inprocess else float("nan"),
    }


def fmt(value: float, spec: str) -> str:
    return "-" if value != value else format(value, spec)  # NaN: not measured


def table(apps: list[App], base: str = "generated") -> str:
    sums = {app.name: summary(app) for app in apps}
    ref = sums.get(base)
    head = (
        "| app | validates | req/s median | min | max | p99 ms | server CPU µs/req "
        "| in-process calls/s "
        f"| {base} ÷ app: req/s | CPU/req | in-process |"
    )
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for app in apps:
        s = sums[app.name]
        if app.missing:
            lines.append(f"| {app.name} | {app.missing} | | | | | | | | | |")
            continue
        ratio_http = ref["req_s_median"] / s["req_s_median"] if ref else float("nan")
        ratio_inp = ref["inprocess_median"] / s["inprocess_median"] if ref else float("nan")
        cpu = "server_cpu_us_per_req_median"
        ratio_cpu = s[cpu] / ref[cpu] if ref else float("nan")
        validated = {True: "yes", False: "**no validation**", None: "?"}[app.validates]
        lines.append(
            f"| {app.name} | {validated} | {fmt(s['req_s_median'], ',.0f')} "
            f"| {fmt(s['req_s_min'], ',.0f')} | {fmt(s['req_s_max'], ',.0f')} "
            f"| {fmt(s['p99_ms_median'], '.2f')} | {fmt(s[cpu], ',.1f')} "
            f"| {fmt(s['inprocess_median'], ',.0f')} "
            f"| {fmt(ratio_http, '.2f')}x | {fmt(ratio_cpu, '.2f')}x | {fmt(ratio_inp, '.2f')}x |"
        )
    return "\n".join(lines)


def cases_table(apps: list[App]) -> str:
    measured = [a for a in apps if a.cases]
    if not measured:
        return ""
    names = list(measured[0].cases)
    lines = [
        "| invalid request | " + " | ".join(a.name for a in measured) + " |",
        "|---|" + "---:|" * len(measured),
    ]
    lines.extend(
        f"| {case} | " + " | ".join(str(a.cases.get(case, "")) for a in measured) + " |"
        for case in names
    )
    return "\n".join(lines)


def _terminated(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="create the peer venvs and exit")
    parser.add_argument("--venvs", type=Path, default=Path("/tmp/bench-venvs"))
    parser.add_argument("--gen-dir", type=Path, default=Path("/tmp/bench-gen"))
    parser.add_argument("--only", default="", help="comma-separated app names")
    parser.add_argument("--rounds", type=int, default=3, help="HTTP rounds per app")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("-n", type=int, default=20_000, help="most in-process calls a round")
    parser.add_argument(
        "--inprocess-seconds",
        type=float,
        default=1.0,
        help="in-process calls a round: about this many seconds' worth, at most -n",
    )
    parser.add_argument("--repeat", type=int, default=7, help="in-process rounds")
    parser.add_argument("--load-threshold", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=600.0, help="seconds, per round")
    parser.add_argument(
        "--nice", type=int, default=0, help="run servers, wrk and workers at this niceness"
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _terminated)  # stop the servers on `kill` too

    if args.setup:
        setup(args.venvs)
        return
    if not args.skip_http and shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get update && apt-get install -y wrk")

    started = dt.datetime.now(dt.UTC)
    generate_command = generate(args.gen_dir)
    env = dict(os.environ, BENCH_GEN_DIR=str(args.gen_dir))
    apps = all_apps()
    if args.only:
        wanted = set(args.only.split(","))
        apps = [app for app in apps if app.name in wanted]
    for app in apps:
        python = Path(sys.executable) if not app.venv else args.venvs / app.venv / "bin" / "python"
        if not python.exists():
            app.missing = f"not installed: python bench/http_overhead.py --setup ({python})"
            continue
        app.python = str(python)
        app.versions = versions_of(app.python)
    ready = [app for app in apps if not app.missing]

    meta: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "generate": generate_command,
    }
    if not args.skip_http:
        meta["http"] = measure_http(ready, args, env)
    if not args.skip_inprocess:
        meta["inprocess"] = measure_inprocess(ready, args, env)

    print()
    print(table(apps))
    print()
    print(cases_table(apps))
    if "http" in meta:
        print()
        print("uvicorn:", " ".join(ready[0].command).replace(str(ROOT) + "/", ""))
        print("wrk:    ", " ".join(meta["http"]["wrk"]).replace(str(ROOT) + "/", ""))
        print("pinning:", meta["http"]["pinning"], "| flags:", meta["http"]["http_flags"])
        for index, load in enumerate(meta["http"]["rounds"], 1):
            print(f"round {index}: load {load['load']} (waited {load['waited_s']} s)")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    out = {
        "meta": meta,
        "apps": [
            {
                "name": app.name,
                "what": app.what,
                "target": app.target,
                "python": app.python,
                "missing": app.missing,
                "validates": app.validates,
                "versions": app.versions,
                "uvicorn": app.command,
                "summary": summary(app),
                "http": app.http,
                "inprocess_calls": app.inprocess_n,
                "inprocess": app.inprocess,
                "cases": app.cases,
            }
            for app in apps
        ],
        "table": table(apps),
    }
    args.json.write_text(json.dumps(out, indent=2) + "\n")
    print(f"\nwrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}")


if __name__ == "__main__":
    main()
