"""Our mock OMS server (`oms-mock serve`) in a child process on a loopback port."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import ours
from bench.processes import RunningServer, free_port, serve
from bench.profiling import profile_file
from bench.settings import ACCESS_KEY, LOOPBACK, SECRET_KEY, TOKEN

MOCK_PART = "the mock server (issue 4)"


def mock_script() -> Path:
    """The `oms-mock` console script, once the mock package imports."""
    return ours.script("oms-mock", "oms_mock.cli", MOCK_PART)


def mock_command(
    port: int,
    tasks: int,
    *,
    db: Path | None = None,
    seed: int = 0,
    page_cache_size: int | None = None,
    faults: str | None = None,
) -> list[str | Path]:
    """`oms-mock serve` on the loopback port, accepting our bench token and AK/SK pair; `faults` is a fault spec."""
    command: list[str | Path] = [
        mock_script(), "serve", "--host", LOOPBACK, "--port", str(port), "--tasks", str(tasks), "--seed", str(seed),
        "--token", TOKEN, "--ak", ACCESS_KEY, "--sk", SECRET_KEY,
    ]  # fmt: skip
    if db is not None:
        command += ["--db", db]
    if page_cache_size is not None:
        command += ["--page-cache-size", str(page_cache_size)]
    if faults is not None:
        command += ["--faults", faults]
    return command


@contextlib.contextmanager
def running_mock(
    tasks: int,
    log_dir: Path,
    *,
    db: Path | None = None,
    start_timeout_s: float = 120.0,
    profile_to: Path | None = None,
    page_cache_size: int | None = None,
    faults: str | None = None,
) -> Iterator[RunningServer]:
    """Serve the mock with `tasks` seeded tasks until the block ends; `profile_to` runs it under cProfile.

    `faults` is an `oms-mock serve --faults` spec, e.g. `delay=1,delay-ms=20` to add 20 ms to every answer.
    """
    port = free_port()
    command = mock_command(port, tasks, db=db, page_cache_size=page_cache_size, faults=faults)
    stop_signal = signal.SIGTERM
    if profile_to is not None:
        command = [sys.executable, "-m", "cProfile", "-o", profile_to, *command]
        stop_signal = signal.SIGINT
    log_path = log_dir / f"mock-{port}.log"
    with serve(
        command, port=port, log_path=log_path, start_timeout_s=start_timeout_s, stop_signal=stop_signal
    ) as server:
        yield server


def profile_of_mock_during(
    load: Callable[[RunningServer], object], tasks: int, log_dir: Path | None = None, *, faults: str | None = None
) -> str:
    """The cProfile top-10 of a mock serving `tasks` while `load(server)` runs (its log in `log_dir`, else thrown
    away with the profile); the mock must exit cleanly to write its profile."""
    scratch = Path(tempfile.mkdtemp(prefix="omsgen-bench-mockprof-"))
    dump = scratch / "mock.prof"
    try:
        with running_mock(tasks, log_dir or scratch, profile_to=dump, faults=faults) as server:
            load(server)
        deadline = time.monotonic() + 10
        while not dump.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return profile_file(dump) if dump.exists() else "(the mock wrote no profile: it did not exit cleanly)"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
