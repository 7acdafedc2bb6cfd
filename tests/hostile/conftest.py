"""Run `ctk` on hostile input as a real subprocess and watch what it does.

Every run goes through `python -m toolkit` with a 10 s timeout. A `sitecustomize` put on
PYTHONPATH installs an audit hook in the child (`sys.addaudithook`) that logs every file it
opens and every network call it starts, and reports its peak memory at exit; so a test can
assert that a refused `$ref` was never opened, that no socket was touched, and that the run
stayed under 1 GB, without strace or monkeypatching.
"""

from __future__ import annotations

import itertools
import os
import site
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import toolkit
from tests.hostile._helpers import MAX_PEAK_KB, TIMEOUT, Run, write

_SITECUSTOMIZE = r"""
import os
import sys

_LOG = os.environ.get("CTK_AUDIT_LOG")
if _LOG:
    import atexit
    import resource

    _FD = os.open(_LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def _write(*fields):
        os.write(_FD, ("\t".join(str(f) for f in fields) + "\n").encode("utf-8", "replace"))

    _EXITING = []

    def _hook(event, args):
        if _EXITING:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, (str, bytes)):
                writes = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                    mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)
                )
                _write("write" if writes else "read", os.path.abspath(os.fsdecode(path)))
        elif event.startswith(("socket.", "urllib.")):
            _write("net", event, *args[:2])

    def _peak():
        _EXITING.append(True)  # what the reporter itself opens is not the child's doing
        # VmHWM is this process's own high-water mark. getrusage's ru_maxrss is not: Linux
        # carries the forking parent's (pytest's) peak across fork and exec into the child.
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        _write("peak_kb", int(line.split()[1]))
                        return
        except OSError:
            pass
        _write("peak_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    atexit.register(_peak)
    sys.addaudithook(_hook)
"""


# Every measured run, for the summary at the end of the session.
RUNS: list[tuple[str, Run]] = []
_SEQUENCE = itertools.count()


def _trusted_roots() -> list[Path]:
    """Where the child may read from besides the spec's folder: Python and the toolkit."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()}
    roots.add(str(Path(toolkit.__file__).parent))
    return [Path(r).resolve() for r in roots]


@pytest.fixture(scope="session")
def _audit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    return folder


CtkRunner = Callable[..., Run]
Put = Callable[[str, str | bytes], str]


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    """The spec's folder; `ctk` runs in its parent, where files "outside" it live."""
    folder = tmp_path / "spec"
    folder.mkdir()
    return folder


@pytest.fixture
def put(spec_dir: Path) -> Put:
    """`put(name, content)` writes spec/NAME and returns the path to pass to ctk."""

    def put(name: str, content: str | bytes) -> str:
        write(spec_dir, name, content)
        return f"spec/{name}"

    return put


@pytest.fixture
def ctk(_audit_dir: Path, tmp_path: Path, request: pytest.FixtureRequest) -> CtkRunner:
    """`ctk(*args)` runs `python -m toolkit *args` in tmp_path (the parent of spec/).

    It fails the test on a timeout, a traceback, a peak over 1 GB, a network call (unless
    `network=True`) or a read outside `spec_dir` (default tmp_path/spec), the Python
    installation and the toolkit (plus `allowed`).
    """

    def run(
        *args: str | Path,
        spec_dir: Path | None = None,
        allowed: tuple[Path, ...] = (),
        network: bool = False,
    ) -> Run:
        log = _audit_dir / f"run-{next(_SEQUENCE)}.log"
        env = {
            **os.environ,
            "PYTHONPATH": str(_audit_dir),
            "CTK_AUDIT_LOG": str(log),
            "NO_COLOR": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        argv = [str(a) for a in args]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, "-m", "toolkit", *argv],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"ctk {' '.join(argv)} did not finish within {TIMEOUT} s (a hang)")
        seconds = time.perf_counter() - started
        result = Run(argv, done.returncode, done.stdout, done.stderr, seconds, None)
        for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
            kind, _, rest = line.partition("\t")
            if kind == "read":
                result.reads.append(Path(rest))
            elif kind == "net":
                result.network.append(rest)
            elif kind == "peak_kb":
                result.peak_kb = int(rest)
        RUNS.append((request.node.nodeid, result))

        assert "Traceback" not in done.stderr, str(result)
        assert result.peak_kb is not None, f"the child reported no peak memory\n{result}"
        assert result.peak_kb < MAX_PEAK_KB, f"peak {result.peak_kb} KB\n{result}"
        if not network:
            assert not result.network, f"network access attempted: {result.network}\n{result}"
        roots = [*_trusted_roots(), *(p.resolve() for p in allowed)]
        roots.append((spec_dir or tmp_path / "spec").resolve())
        outside = [p for p in result.reads if not any(p.resolve().is_relative_to(r) for r in roots)]
        assert not outside, f"read outside the spec's folder: {outside}\n{result}"
        return result

    return run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RUNS:
        return
    slowest = max(RUNS, key=lambda r: r[1].seconds)
    biggest = max(RUNS, key=lambda r: r[1].peak_kb or 0)
    terminalreporter.write_line(
        f"hostile: {len(RUNS)} ctk runs; slowest {slowest[1].seconds:.2f} s ({slowest[0]}); "
        f"peak {(biggest[1].peak_kb or 0) / 1024:.0f} MB ({biggest[0]})"
    )
