"""cProfile top-10s that explain a missed target, in-process or read from a server's profile dump."""

from __future__ import annotations

import cProfile
import io
import pstats
from collections.abc import Callable
from pathlib import Path

TOP = 10


def _format(stats: pstats.Stats, sort: pstats.SortKey = pstats.SortKey.TIME) -> str:
    stream = io.StringIO()
    stats.stream = stream  # type: ignore[attr-defined]
    stats.sort_stats(sort).print_stats(TOP)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip()).replace(str(Path.cwd()) + "/", "")


def profile_calls(function: Callable[[], object], calls: int) -> str:
    """Top functions by own time over `calls` calls of `function`."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        function()
    profiler.disable()
    return _format(pstats.Stats(profiler))


def function_calls_per_invocation(function: Callable[[], object], calls: int) -> float:
    """How many Python-visible function calls one call of `function` makes (cProfile's count, averaged)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        function()
    profiler.disable()
    total: int = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    return total / calls


def import_seconds(path: Path) -> tuple[float, float]:
    """From a cProfile dump: cumulative seconds inside the import machinery, and the profile's total seconds."""
    stats = pstats.Stats(str(path))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    imports = max((ct for (_, _, name), (*_, ct, _) in raw.items() if name == "_find_and_load"), default=0.0)
    total: float = stats.total_tt  # type: ignore[attr-defined]
    return imports, total


def profile_file(path: Path, sort: pstats.SortKey = pstats.SortKey.TIME) -> str:
    """Top functions (by own time, or `sort`) from a `python -m cProfile -o FILE` dump."""
    return _format(pstats.Stats(str(path)), sort)
