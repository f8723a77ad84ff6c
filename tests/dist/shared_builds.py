"""Building something once per test run, even when pytest-xdist runs the tests in several worker processes.

The first worker to ask builds it into a folder every worker of the run sees, under a file lock; the others wait,
then reuse it. A build that failed is tried again by the next one to ask.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

_DONE = ".built"


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every worker of this test run (the session's own folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "dist-tests"
    shared.mkdir(exist_ok=True)
    return shared


def built_once(folder: Path, build: Callable[[Path], None]) -> Path:
    """`folder`, made by `build(folder)` unless an earlier call of this run made it already."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / _DONE).exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / _DONE).touch()
    return folder
