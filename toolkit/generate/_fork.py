"""Run one slow call in a forked child while the caller goes on with other work.

datamodel-code-generator is ~90% of `ctk generate` on a large spec and single-threaded; the
files that do not depend on its output (app.py, service.py, openapi.json) can render in the
parent meanwhile. A forked child inherits the prepared document as it is (nothing to
pickle), runs without the cyclic collector and exits without tearing down the generator's
millions of objects. Where fork is unsafe (not Linux, or other threads running: a lock held
by one of them would never be released in the child), the call runs in this process when
its result is asked for, with the same result.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class WorkerDiedError(Exception):
    """The child died before handing back a result (killed, out of memory, ...)."""


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The generator builds millions of acyclic objects that the cyclic collector keeps
    re-scanning for nothing (~20% of its time on GitHub's spec, for +3% peak memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Background(Generic[T]):
    """`work()`, started now in a child when that is safe; `result()` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work: Callable[[], T] | None = work
        self._pid = 0
        self._fd = -1
        if _fork_is_safe():
            self._start()

    def _start(self) -> None:
        assert self._work is not None
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()  # or the child's copy of a pending buffer could be written twice
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send the pickled result, exit at once
            status = 1
            try:
                os.close(read_fd)
                gc.disable()
                payload = pickle.dumps(self._work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            finally:
                sys.stderr.flush()  # the generator's warnings
                os._exit(status)
        os.close(write_fd)
        self._pid, self._fd, self._work = pid, read_fd, None

    def result(self) -> T:
        if self._work is not None:  # not forked: run it here
            work, self._work = self._work, None
            with no_cyclic_gc():
                return work()
        if not self._pid:
            raise RuntimeError("the result was already taken")
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                payload = pipe.read()
        except BaseException:  # e.g. Ctrl-C: do not leave the child running
            self._reap(kill=True)
            raise
        status = self._reap(kill=False)
        if not payload:
            raise WorkerDiedError(f"the worker process ended without a result ({status})")
        value: T = pickle.loads(payload)  # noqa: S301 - our own child's bytes
        return value

    def cancel(self) -> None:
        """Stop the child if nobody is going to ask for its result (an error in the parent)."""
        if self._pid:
            os.close(self._fd)
            self._reap(kill=True)
        self._work = None

    def _reap(self, *, kill: bool) -> str:
        pid, self._pid = self._pid, 0
        if kill:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"


def _fork_is_safe() -> bool:
    if sys.platform != "linux" or os.environ.get("CTK_NO_FORK"):
        return False
    try:  # every thread of the process, also those Python did not start
        with Path("/proc/self/status").open(encoding="ascii") as status:
            threads = next(line for line in status if line.startswith("Threads:"))
    except (OSError, StopIteration):
        return False
    return threads.split()[1] == "1"
