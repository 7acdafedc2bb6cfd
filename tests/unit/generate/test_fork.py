"""The generator runs in a forked child where that is safe; the result is the same either way."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from toolkit.generate._fork import Background, _fork_is_safe

REPO = Path(__file__).resolve().parents[3]


def _in_a_fresh_interpreter(body: str) -> None:
    """Fork is used only by a single-threaded process, which the test session (with the
    threads earlier tests left behind) may not be: run the check in a new interpreter."""
    code = (
        "import os, time\n"
        "from toolkit.generate._fork import Background, WorkerDiedError, _fork_is_safe\n"
        "assert _fork_is_safe(), 'a fresh interpreter on Linux should fork'\n"
        + textwrap.dedent(body)
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="fork is only used on Linux")
def test_work_runs_in_a_child_and_its_result_comes_back() -> None:
    _in_a_fresh_interpreter(
        """
        job = Background(lambda: (os.getpid(), "x" * 1_000_000))  # more than a pipe buffer
        pid, text = job.result()
        assert pid != os.getpid()
        assert text == "x" * 1_000_000
        """
    )


@pytest.mark.skipif(sys.platform != "linux", reason="fork is only used on Linux")
def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    _in_a_fresh_interpreter(
        """
        job = Background(lambda: os._exit(3))
        try:
            job.result()
        except WorkerDiedError as error:
            assert "exit status 3" in str(error), error
        else:
            raise AssertionError("no WorkerDiedError")
        """
    )


@pytest.mark.skipif(sys.platform != "linux", reason="fork is only used on Linux")
def test_cancel_stops_a_child_nobody_waits_for() -> None:
    _in_a_fresh_interpreter(
        """
        started = time.perf_counter()
        job = Background(lambda: time.sleep(60))
        job.cancel()
        assert time.perf_counter() - started < 10
        job.cancel()  # twice is harmless
        """
    )


def test_without_fork_the_work_runs_here_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CTK_NO_FORK", "1")
    job = Background(lambda: (os.getpid(), gc.isenabled()))
    assert job.result() == (os.getpid(), False)
    assert gc.isenabled()


def test_fork_is_used_only_where_it_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not _fork_is_safe()


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not _fork_is_safe()
        assert Background(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        thread.join()
