"""Run one pipeline step in a forked child process, overlapping it with the parent's own steps (two cores).

`ForkedStep.start(step, function, *args)` forks at once; the child calls `function(*args)` and sends its result
(or its failure) back through a pipe, then exits without running the parent's clean-up (`os._exit`).
`result()` waits for it: the value, or a `GenerationError` naming `step`, whether the function raised one, raised
something else, or the child died without a word. Leaving the `with` block without asking for the result (the
parent failed first) kills and reaps the child, so no run leaves a process behind.

Forking is cheap only while the parent is small: start the step before importing the heavy libraries, and let the
child import what it alone needs.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from types import TracebackType
from typing import BinaryIO, Generic, NoReturn, TypeVar

from generator.errors import GenerationError

T = TypeVar("T")

_DONE = "done"
_FAILED = "failed"


class ForkedStep(Generic[T]):
    """A step running in a forked child; use as a context manager and collect it with `result()`."""

    def __init__(self, step: str, pid: int, pipe: BinaryIO) -> None:
        self.step = step
        self._pid: int | None = pid
        self._pipe = pipe

    @property
    def pid(self) -> int | None:
        """The child's process id, until its result is collected or it is cancelled."""
        return self._pid

    @classmethod
    def start(cls, step: str, function: Callable[..., T], *args: object) -> ForkedStep[T]:
        """Fork a child that runs `function(*args)` as the pipeline step named `step`."""
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _run_child(step, write_fd, function, args)
        os.close(write_fd)
        return cls(step, pid, os.fdopen(read_fd, "rb"))

    def result(self) -> T:
        """The function's value; raise GenerationError(step, ...) if it failed or the child died."""
        if self._pid is None:
            raise RuntimeError(f"the result of step {self.step!r} was already collected")
        with self._pipe:
            payload = self._pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not payload:
            raise GenerationError(self.step, f"the worker process {_describe(status)} before reporting a result")
        outcome, value = pickle.loads(payload)
        if outcome == _FAILED:
            step, message = value
            raise GenerationError(step, message)
        result: T = value
        return result

    def cancel(self) -> None:
        """Kill the child and reap it, unless its result was collected."""
        if self._pid is None:
            return
        os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        self._pipe.close()
        self._pid = None

    def __enter__(self) -> ForkedStep[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.cancel()


def _run_child(step: str, write_fd: int, function: Callable[..., object], args: tuple[object, ...]) -> NoReturn:
    """Run the step, send ("done", value) or ("failed", (step, message)) to the parent, and exit."""
    code = 1
    try:
        try:
            outcome: tuple[str, object] = (_DONE, function(*args))
        except GenerationError as error:
            outcome = (_FAILED, (error.step, error.message))
        except Exception as error:  # reported by the parent as a failure of the step, not a traceback
            outcome = (_FAILED, (step, f"unexpected {type(error).__name__} in the worker process: {error}"))
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)  # skip the parent's atexit handlers, buffered output and temporary-folder clean-up


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"was killed by signal {os.WTERMSIG(status)}"
    return f"exited with code {os.waitstatus_to_exitcode(status)}"
