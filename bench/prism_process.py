"""Stoplight Prism (`prism mock`) in a child process on a loopback port, static or dynamic."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from bench.processes import RunningServer, free_port, serve
from bench.settings import LOOPBACK, SPEC_PATH


@contextlib.contextmanager
def running_prism(executable: Path, log_dir: Path, *, dynamic: bool, silent: bool = False) -> Iterator[RunningServer]:
    """`prism mock SPEC -h 127.0.0.1 -p PORT` (`-d` for dynamic, `-v silent` to drop its per-request logging)."""
    port = free_port()
    command: list[str | Path] = [executable, "mock", SPEC_PATH, "-h", LOOPBACK, "-p", str(port)]
    if dynamic:
        command.append("-d")
    if silent:
        command += ["-v", "silent"]
    mode = ("dynamic" if dynamic else "static") + ("-silent" if silent else "")
    with serve(command, port=port, log_path=log_dir / f"prism-{mode}-{port}.log", start_timeout_s=60) as server:
        yield server
