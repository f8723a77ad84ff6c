"""How much memory one walk over a listing holds: run in a fresh process per lister, so no walk reuses another's.

`python -m bench.walk_memory --base-url URL --lister NAME --tasks N` prints one JSON object: the walk's seconds,
its peak RSS growth (Linux: VmHWM reset through /proc/self/clear_refs just before the walk), and, from a second
walk under tracemalloc, the peak of Python memory it held beside what one parsed page holds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import ours
from bench.listers import AKSK, AsyncWalk, LoopRunner, SyncWalk, acount
from bench.listing import first_listing
from bench.processes import bench_env, run_bounded

LISTERS = ("sync", "async-httpx", "async-aiohttp", "async-aiohttp-kept")
"""`-kept` collects every item into a list (what `list(walk)` costs), as the reference a streaming walk beats."""


@dataclass(frozen=True)
class WalkMemory:
    """One walk's time and memory: RSS growth at its peak, and its traced peak in parsed pages."""

    items: int
    seconds: float
    rss_growth_bytes: int
    traced_peak_bytes: int
    page_bytes: int

    @property
    def pages_held(self) -> float:
        """The traced peak as a number of parsed pages held at once."""
        return self.traced_peak_bytes / self.page_bytes if self.page_bytes else float("nan")


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(f"/proc/self/status has no {field}")


def _reset_peak_rss() -> None:
    """Make VmHWM (peak RSS) restart from the current RSS (Linux 4.0 and later)."""
    Path("/proc/self/clear_refs").write_text("5")


def _measure(walk: Callable[[], int], fetch_page: Callable[[], Any]) -> WalkMemory:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    page = fetch_page()
    gc.collect()  # what the request left in reference cycles is not part of the page
    page_bytes = tracemalloc.get_traced_memory()[0] - before
    del page
    tracemalloc.stop()
    gc.collect()
    rss_before = _status_kib("VmRSS")
    _reset_peak_rss()
    started = time.perf_counter()
    items = walk()
    seconds = time.perf_counter() - started
    rss_growth = (_status_kib("VmHWM") - rss_before) * 1024
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    walk()
    traced_peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return WalkMemory(items, seconds, max(rss_growth, 0), traced_peak, page_bytes)


def measure(lister: str, base_url: str, tasks: int) -> WalkMemory:
    """Warm the lister up, then measure one walk of every reachable item."""
    listing = first_listing()
    expected = listing.reachable(tasks)
    page_args = {listing.limit: listing.page_size}
    if lister == "sync":
        walker = SyncWalk(lister, base_url, listing, expected, **AKSK)
        walker.warm_up()
        try:
            return _measure(walker.walk, lambda: getattr(walker.client, listing.method)(**page_args))
        finally:
            walker.close()
    runner = LoopRunner()
    walker_async = AsyncWalk(lister, runner, base_url, listing, expected, aiohttp="aiohttp" in lister, auth=AKSK)

    async def kept() -> int:
        return len([item async for item in walker_async.items()])

    def walk() -> int:
        return runner.run(kept()) if lister.endswith("-kept") else runner.run(acount(walker_async.items()))

    try:
        walker_async.warm_up()
        return _measure(walk, lambda: runner.run(getattr(walker_async.client, listing.method)(**page_args)))
    finally:
        walker_async.close()
        runner.close()


def measure_in_child(lister: str, base_url: str, tasks: int, timeout_s: float) -> WalkMemory:
    """`measure` in a fresh interpreter that imports the same client package as this one."""
    package_root = Path(ours.client_package().__file__ or "").resolve().parent.parent
    env = bench_env()
    env["PYTHONPATH"] = os.pathsep.join([str(package_root), env["PYTHONPATH"]])
    command = [sys.executable, "-m", "bench.walk_memory", "--base-url", base_url, "--lister", lister]
    result = run_bounded([*command, "--tasks", str(tasks)], timeout_s=timeout_s, env=env)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, command, result.stdout, result.stderr[-2000:])
    return WalkMemory(**json.loads(result.stdout.strip().splitlines()[-1]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.walk_memory", description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--lister", choices=LISTERS, required=True)
    parser.add_argument("--tasks", type=int, required=True, help="items the server holds")
    args = parser.parse_args(argv)
    found = measure(args.lister, args.base_url, args.tasks)
    if found.items != first_listing().reachable(args.tasks):
        print(f"listed {found.items} items, expected {first_listing().reachable(args.tasks)}", file=sys.stderr)
        return 1
    print(json.dumps(asdict(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
