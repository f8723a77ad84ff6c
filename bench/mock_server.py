"""Benchmark 4: our mock server against Prism static and dynamic under load, and with one million tasks."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import anchors
from bench.charts import bar_chart
from bench.loadgen import LoadGenerator, LoadResult, Wrk, pick_load_generator
from bench.mock_process import profile_of_mock_during, running_mock
from bench.ours import PartMissing
from bench.prism_process import running_prism
from bench.processes import RunningServer, ServerStartError, process_tree_rss_bytes
from bench.results import Profile, Section, Table, Target
from bench.settings import PROJECT_ID, TOKEN, RunSettings, logs_folder
from bench.stats import Summary, format_number, format_summary, ratio, summarize

PAGE_PATH = f"/v2/{PROJECT_ID}/sync-tasks?limit=100"
FILTERED_PATH = f"/v2/{PROJECT_ID}/sync-tasks?status=STOPPED&limit=100&offset=10000"
HEADERS = {"X-Auth-Token": TOKEN}
OURS = "ours: oms-mock"
OURS_UNCACHED = "ours: oms-mock --page-cache-size 0"
PRISM_STATIC = "Prism static"
PRISM_STATIC_SILENT = "Prism static, -v silent"
PRISM_DYNAMIC = "Prism dynamic (-d)"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Probe:
    """What one response of a server looks like, so the table says what each server returns."""

    status: int
    tasks: int
    count: int | None
    size: int


def probe(base_url: str, path: str) -> Probe:
    """One GET with the token; how many tasks came back and how big the body was."""
    response = httpx.get(base_url + path, headers=HEADERS, timeout=30)
    try:
        body = response.json()
    except ValueError:
        body = {}
    tasks = body.get("tasks") if isinstance(body, dict) else None
    count = body.get("count") if isinstance(body, dict) else None
    return Probe(response.status_code, len(tasks) if isinstance(tasks, list) else 0, count, len(response.content))


@dataclass
class LoadSeries:
    """The rounds of load against one server."""

    results: list[LoadResult]

    @property
    def requests_per_s(self) -> Summary:
        return summarize([r.requests_per_s for r in self.results])

    @property
    def p50_ms(self) -> Summary:
        return summarize([r.p50_ms for r in self.results])

    @property
    def p99_ms(self) -> Summary:
        return summarize([r.p99_ms for r in self.results])

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.results)


ServerFactory = Callable[[], AbstractContextManager[RunningServer]]


def server_factories(settings: RunSettings, log_dir: Path, section: Section) -> dict[str, ServerFactory]:
    """Our mock and whichever Prism modes can run here."""
    factories: dict[str, ServerFactory] = {
        OURS: lambda: running_mock(settings.list_all_tasks, log_dir),
        OURS_UNCACHED: lambda: running_mock(settings.list_all_tasks, log_dir, page_cache_size=0),
    }
    prism = anchors.prism(install=settings.install_anchors, timeout_s=settings.install_timeout_s)
    if prism.executable is None:
        section.not_measured.append(f"Prism static and dynamic: {prism.missing_reason}")
        return factories
    executable = prism.executable
    factories[PRISM_STATIC] = lambda: running_prism(executable, log_dir, dynamic=False)
    factories[PRISM_STATIC_SILENT] = lambda: running_prism(executable, log_dir, dynamic=False, silent=True)
    factories[PRISM_DYNAMIC] = lambda: running_prism(executable, log_dir, dynamic=True)
    return factories


def run(settings: RunSettings, out_dir: Path) -> Section:
    """Load every server side by side, then measure the big store."""
    wrk = anchors.wrk(install=settings.install_anchors, timeout_s=settings.install_timeout_s)
    loadgen = pick_load_generator(None if settings.load_generator == "python" else wrk.executable)
    if isinstance(loadgen, Wrk):
        generator_text = f"{wrk.version}, 2 threads"
    elif wrk.available:
        generator_text = "asked for with --load-generator python"
    else:
        generator_text = f"the stand-in, because {wrk.missing_reason}"
    section = Section(
        key="mock",
        title="4. Mock server",
        method=(
            f"`GET {PAGE_PATH}` with the token, {settings.load_connections} keep-alive connections, "
            f"{settings.load_seconds:g} s per run, {settings.load_rounds} interleaved rounds; all servers run at "
            f"once (idle when not loaded), each in its own process on 127.0.0.1. Load generator: {loadgen.name} "
            f"({generator_text}). Ours serves {settings.list_all_tasks:,} seeded tasks; Prism serves the spec "
            "(`prism mock SPEC`, `-d` for dynamic). The mock keeps assembled page bodies in an LRU cache (default "
            "256 pages), so the same URL repeated is served from it; the row with `--page-cache-size 0` runs the "
            "SQLite query and builds the body for every request. p50/p99 are per run; the table gives their median "
            f"(min–max) over rounds. Big store: a mock seeded in memory with {settings.big_store_tasks:,} tasks and "
            f"its page cache off, `GET {FILTERED_PATH}` over one connection for {settings.big_store_seconds:g} s; "
            "memory is the server's RSS after that."
        ),
    )
    if not isinstance(loadgen, Wrk):
        section.notes.append(
            "The pure-Python load generator stood in for wrk: it needs a core of its own, so its numbers "
            "understate every server and are not comparable with wrk's."
        )
    log_dir = logs_folder(out_dir)
    try:
        factories = server_factories(settings, log_dir, section)
        _load_side_by_side(section, settings, factories, loadgen, out_dir)
        _big_store(section, settings, loadgen, log_dir)
    except (PartMissing, ServerStartError) as exc:
        section.not_measured.append(f"our mock server: {exc}")
    claims = (
        ("Prism static", "≥ 3× the requests/s of Prism static"),
        ("p99", f"p99 < 15 ms at {settings.load_connections} connections"),
        ("million", "one million tasks: filtered page at offset 10,000, median < 5 ms"),
    )
    for key, claim in claims:
        if not any(key in t.claim for t in section.targets):
            section.targets.append(Target(claim, "—", None))
    return section


def _load_side_by_side(
    section: Section,
    settings: RunSettings,
    factories: dict[str, ServerFactory],
    loadgen: LoadGenerator,
    out_dir: Path,
) -> None:
    with contextlib.ExitStack() as stack:
        servers: dict[str, RunningServer] = {}
        for name, factory in factories.items():
            try:
                servers[name] = stack.enter_context(factory())
            except ServerStartError as exc:
                if name.startswith("ours"):
                    raise
                section.not_measured.append(f"{name}: {exc}")
        probes = {name: probe(server.base_url, PAGE_PATH) for name, server in servers.items()}
        series: dict[str, LoadSeries] = {name: LoadSeries([]) for name in servers}
        names = list(servers)
        for round_index in range(settings.load_rounds):
            shift = round_index % len(names)
            for name in names[shift:] + names[:shift]:
                result = loadgen.run(
                    servers[name].base_url + PAGE_PATH, HEADERS, settings.load_connections, settings.load_seconds
                )
                series[name].results.append(result)
        rss = {name: process_tree_rss_bytes(server.pid) for name, server in servers.items()}
    rows = []
    for name, load in series.items():
        found = probes[name]
        rows.append((
            name,
            format_summary(load.requests_per_s),
            format_summary(load.p50_ms),
            format_summary(load.p99_ms),
            str(load.errors),
            f"{found.status}: {found.tasks} tasks, count={found.count}, {found.size / 1000:.1f} KB",
            f"{rss[name] / MIB:.0f}",
        ))  # fmt: skip
    section.tables.append(
        Table(("server", "requests/s", "p50 ms", "p99 ms", "errors", "one response", "RSS MiB"), tuple(rows),
              caption=f"{settings.load_connections} connections, GET limit=100; median (min–max) over rounds.")
    )  # fmt: skip
    ours = series[OURS]
    uncached = series.get(OURS_UNCACHED)
    if PRISM_STATIC in series:
        prism_static = series[PRISM_STATIC].requests_per_s
        speedup = ratio(ours.requests_per_s, prism_static)
        details = []
        if uncached is not None:
            details.append(f"page cache off: {format_number(ratio(uncached.requests_per_s, prism_static))}×")
        if PRISM_STATIC_SILENT in series:
            silent = ratio(ours.requests_per_s, series[PRISM_STATIC_SILENT].requests_per_s)
            details.append(f"against Prism static with `-v silent`: {format_number(silent)}×")
        claim, measured = "≥ 3× the requests/s of Prism static", f"{format_number(speedup)}×"
        section.targets.append(Target(claim, measured, speedup >= 3, "; ".join(details)))
    p99 = ours.p99_ms.median
    p99_detail = f"page cache off: {format_number(uncached.p99_ms.median)} ms" if uncached else ""
    section.targets.append(
        Target(f"p99 < 15 ms at {settings.load_connections} connections", f"{format_number(p99)} ms", p99 < 15,
               p99_detail)
    )  # fmt: skip
    for name in (OURS, OURS_UNCACHED):
        if name in series and series[name].errors:
            section.notes.append(f"{name} answered {series[name].errors} requests with errors or non-2xx under load.")
    section.charts.append(
        bar_chart(
            out_dir / "mock_throughput.png",
            f"Requests/s at {settings.load_connections} connections, GET limit=100 (higher is better)",
            "requests per second (median, min–max whiskers)",
            [(name, load.requests_per_s, name.startswith("ours")) for name, load in series.items()],
            log_scale=True,
        )
    )
    if section.missed_targets:
        section.profiles.append(
            Profile("cProfile of the mock process during one load run", profile_mock_under_load(settings, loadgen))
        )


def _big_store(section: Section, settings: RunSettings, loadgen: LoadGenerator, log_dir: Path) -> None:
    started = time.perf_counter()
    with running_mock(settings.big_store_tasks, log_dir, start_timeout_s=600, page_cache_size=0) as server:
        start_up = time.perf_counter() - started
        found = probe(server.base_url, FILTERED_PATH)
        latency = loadgen.run(server.base_url + FILTERED_PATH, HEADERS, 1, settings.big_store_seconds)
        rss = process_tree_rss_bytes(server.pid)
    rows = (
        ("tasks in the store", f"{settings.big_store_tasks:,}"),
        ("start-up until listening (seeding included)", f"{start_up:.1f} s"),
        ("one response", f"{found.status}: {found.tasks} tasks, count={found.count}, {found.size / 1000:.1f} KB"),
        ("requests in the run (1 connection)", f"{latency.requests:,} ({latency.errors} errors)"),
        ("latency p50 / p99", f"{latency.p50_ms:.2f} ms / {latency.p99_ms:.2f} ms"),
        ("server RSS after the run", f"{rss / MIB:.0f} MiB"),
    )
    section.tables.append(
        Table(("big store", "value"), rows, caption=f"`GET {FILTERED_PATH}`, one connection, sequential requests.")
    )
    ok = found.status == 200 and found.tasks == 100
    if not ok:
        section.notes.append(f"The big-store query did not return a full page: {found}.")
    section.targets.append(
        Target(
            "one million tasks: filtered page at offset 10,000, median < 5 ms",
            f"{latency.p50_ms:.2f} ms" + ("" if settings.big_store_tasks == 1_000_000 else
                                           f" (smoke: {settings.big_store_tasks:,} tasks)"),
            latency.p50_ms < 5 and ok,
        )
    )  # fmt: skip


def profile_mock_under_load(settings: RunSettings, loadgen: LoadGenerator) -> str:
    """Run the mock under cProfile through one load run; the top-10 shows where its time goes."""

    def load(server: RunningServer) -> None:
        loadgen.run(server.base_url + PAGE_PATH, HEADERS, settings.load_connections, settings.load_seconds)

    return profile_of_mock_during(load, settings.list_all_tasks)
