"""The generator runs in a forked child where that is safe; the result is the same either way."""

from __future__ import annotations

import gc
import os
import sys
import time

import pytest

from toolkit.generate._fork import Background, WorkerDiedError, _fork_is_safe

forks = pytest.mark.skipif(not _fork_is_safe(), reason="fork is only used on single-threaded Linux")


@forks
def test_work_runs_in_a_child_and_its_result_comes_back() -> None:
    job = Background(lambda: (os.getpid(), "x" * 1_000_000))  # more than a pipe buffer
    pid, text = job.result()
    assert pid != os.getpid()
    assert text == "x" * 1_000_000


@forks
def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    job: Background[int] = Background(lambda: os._exit(3))
    with pytest.raises(WorkerDiedError, match="exit status 3"):
        job.result()


@forks
def test_cancel_stops_a_child_nobody_waits_for() -> None:
    started = time.perf_counter()
    job = Background(lambda: time.sleep(60))
    job.cancel()
    assert time.perf_counter() - started < 10
    job.cancel()  # twice is harmless


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
