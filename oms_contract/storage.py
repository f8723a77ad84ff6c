"""Where Hypothesis keeps its example database and caches during a run: never the current directory.

Hypothesis writes `.hypothesis/` into the working directory by default. A run points its home (caches that make
the next run start faster) at a user cache directory (`$XDG_CACHE_HOME/oms-contract/hypothesis`, by default
`~/.cache/...`), and its example database at the report directory (`<report-dir>/hypothesis`) when there is one,
else into that home. The previous setting is put back afterwards, so a QA team's own Hypothesis tests in the same
pytest session keep theirs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from hypothesis import configuration

CACHE_SUBDIRECTORY = Path("oms-contract") / "hypothesis"
REPORT_SUBDIRECTORY = "hypothesis"
#: The example database, inside the Hypothesis directory.
DATABASE_SUBDIRECTORY = "examples"
_LOCK = threading.Lock()


def default_hypothesis_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The user cache directory for the suite's Hypothesis data."""
    cache = env.get("XDG_CACHE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".cache")
    return Path(cache) / CACHE_SUBDIRECTORY


def database_dir_for(report_dir: Path | None, home: Path) -> Path:
    """The example database: under the report directory when there is one, else in Hypothesis' home."""
    return report_dir / REPORT_SUBDIRECTORY if report_dir is not None else home / DATABASE_SUBDIRECTORY


@contextmanager
def hypothesis_home(directory: Path) -> Iterator[Path]:
    """Hypothesis' storage (database, caches) in `directory` for the block; the previous setting afterwards."""
    with _LOCK:
        previous = configuration.__hypothesis_home_directory
        configuration.set_hypothesis_home_dir(directory)
    try:
        yield directory
    finally:
        with _LOCK:
            configuration.set_hypothesis_home_dir(previous)
