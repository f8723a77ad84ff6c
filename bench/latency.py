"""Benchmark 6: listing every task at cloud latency, where concurrency is the whole gain.

The mock adds a delay to every answer (`--faults delay=1,delay-ms=D`, an `asyncio.sleep` in the server), since
the box has no `tc netem`. At each delay: the vendor's loop, our sync and async walks (the async one over httpx
and over `DefaultAioHttpClient`), and raw httpx and aiohttp floors; a sweep of `max_concurrency`; at the first
delay also the memory one walk holds and whether the mock itself scales with requests in flight.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench import anchors, ours
from bench.charts import bar_chart
from bench.listers import (
    AKSK,
    TOKEN_HEADERS,
    AsyncWalk,
    Lister,
    LoopRunner,
    RawFloor,
    SyncWalk,
    VendorLoop,
    aiohttp_client_class,
    default_max_concurrency,
)
from bench.listing import Listing, first_listing
from bench.loadgen import LoadGenerator, pick_load_generator
from bench.mock_process import profile_of_mock_during, running_mock
from bench.processes import RunningServer, ServerStartError
from bench.profiling import profile_calls
from bench.results import Profile, Section, Table, Target
from bench.settings import PROJECT_ID, RunSettings, logs_folder
from bench.stats import Summary, format_number, format_summary, ratio, run_interleaved, summarize
from bench.walk_memory import WalkMemory, measure_in_child

VENDOR_SPEEDUP = 10
FLOOR_MARGIN = 1.25
SCALING_TARGET = 12
MIB = 1024 * 1024
MEMORY_LABELS = {
    "sync": "ours: OmsClient (AK/SK)",
    "async-httpx": "ours: AsyncOmsClient on httpx (AK/SK, default in flight)",
    "async-aiohttp": "ours: AsyncOmsClient on DefaultAioHttpClient (AK/SK, default in flight)",
    "async-aiohttp-kept": "reference: the same, every item kept in a list",
}


def delay_faults(delay_ms: int) -> str:
    """The mock's fault spec that holds every answer for `delay_ms`."""
    return f"delay=1,delay-ms={delay_ms}"


def seconds_to_walk(lister: Lister) -> Callable[[], float]:
    """A sampler: one complete walk, checked, in seconds."""

    def sample() -> float:
        started = time.perf_counter()
        found = lister.walk()
        elapsed = time.perf_counter() - started
        if found != lister.expected:
            raise AssertionError(f"{lister.name}: walked {found}, expected {lister.expected}")
        return elapsed

    return sample


def request_seconds(url: str, count: int = 5) -> float:
    """Median seconds of one GET with the token over a keep-alive connection, as a client sees the delay."""
    with httpx.Client(headers=TOKEN_HEADERS) as client:
        client.get(url)
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            client.get(url).raise_for_status()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


class Names:
    """The row labels of one run: they carry the listing's iterator and the package's default concurrency."""

    def __init__(self, listing: Listing, default: int, floor_in_flight: int) -> None:
        iterator = listing.iterator
        self.vendor = "huaweicloudsdkoms offset loop (AK/SK)"
        self.sync = f"ours: OmsClient.{iterator} (AK/SK)"
        self.async_httpx = f"ours: AsyncOmsClient.{iterator}, httpx (AK/SK, default: {default} in flight)"
        self.async_aiohttp = (
            f"ours: AsyncOmsClient.{iterator}, DefaultAioHttpClient (AK/SK, default: {default} in flight)"
        )
        self.floor_httpx = f"floor: raw httpx.AsyncClient, {floor_in_flight} in flight, AK/SK presigned, not parsed"
        self.floor_aiohttp = f"floor: raw aiohttp, {floor_in_flight} in flight, AK/SK presigned, not parsed"


def run(settings: RunSettings, out_dir: Path) -> Section:
    """Every delay of `settings.latency_runs` against its own mock process."""
    delays = ", ".join(f"{delay} ms ({rounds} rounds)" for delay, rounds in settings.latency_runs)
    section = Section(
        key="latency",
        title="6. Listing at cloud latency",
        method=(
            f"One `oms-mock` process per delay with {settings.latency_tasks:,} tasks on 127.0.0.1, started with "
            "`--faults delay=1,delay-ms=D` (every answer held D ms by an `asyncio.sleep`; the box has no "
            f"`tc netem`); delays: {delays}, interleaved rounds. Each lister walks every reachable task in pages "
            "of the largest size, once warmed up (one page fetched, connections open); the async listers share "
            "one event loop across samples. Everything goes with AK/SK (the vendor SDK has no token): ours and the "
            "vendor sign each request; the floors replay headers signed beforehand (the server verifies them as it "
            "does ours, the client signs nothing) and only read the bodies, "
            f"{settings.floor_in_flight} requests at once. "
            "`max_concurrency` is swept at every delay. At the first delay, each of our walks also runs in a "
            "fresh process to measure its memory (peak RSS growth over the walk; and, from a second walk under "
            "tracemalloc, the Python memory held at its peak, in parsed pages), and the mock's requests/s at "
            f"{settings.scaling_connections} connections is set against one connection."
        ),
    )
    try:
        listing = first_listing()
        ours.client_package()
        for index, (delay_ms, rounds) in enumerate(settings.latency_runs):
            _at_delay(section, settings, listing, delay_ms, rounds, out_dir, first=index == 0)
    except (ours.PartMissing, ServerStartError) as exc:
        section.not_measured.append(f"all of benchmark 6: {exc}")
    claims = (
        f"≥ {VENDOR_SPEEDUP}× faster than the vendor loop",
        f"within {FLOOR_MARGIN}× of the raw aiohttp floor",
        "mock answers",
        "holds no more than",
    )
    for claim in claims:
        if not any(claim in target.claim for target in section.targets):
            section.targets.append(Target(f"async walk over aiohttp: {claim}", "—", None))
    return section


def _listers(
    settings: RunSettings, listing: Listing, base_url: str, runner: LoopRunner, names: Names, section: Section
) -> dict[str, Lister]:
    expected = listing.reachable(settings.latency_tasks)
    tasks = settings.latency_tasks
    listers: dict[str, Lister] = {
        names.vendor: VendorLoop(names.vendor, base_url, listing, expected),
        names.sync: SyncWalk(names.sync, base_url, listing, expected, **AKSK),
        names.async_httpx: AsyncWalk(names.async_httpx, runner, base_url, listing, expected, aiohttp=False, auth=AKSK),
    }
    try:
        listers[names.async_aiohttp] = AsyncWalk(
            names.async_aiohttp, runner, base_url, listing, expected, aiohttp=True, auth=AKSK
        )
    except ours.PartMissing as exc:
        section.not_measured.append(f"{names.async_aiohttp}: {exc}")
    in_flight = settings.floor_in_flight
    for name, aiohttp in ((names.floor_httpx, False), (names.floor_aiohttp, True)):
        listers[name] = RawFloor(name, runner, base_url, listing, tasks, aiohttp=aiohttp, in_flight=in_flight)
    return listers


def _at_delay(
    section: Section,
    settings: RunSettings,
    listing: Listing,
    delay_ms: int,
    rounds: int,
    out_dir: Path,
    *,
    first: bool,
) -> None:
    names = Names(listing, default_max_concurrency(), settings.floor_in_flight)
    log_dir = logs_folder(out_dir)
    with running_mock(settings.latency_tasks, log_dir, faults=delay_faults(delay_ms)) as server:
        per_request = request_seconds(server.base_url + listing.page_path(PROJECT_ID, 0))
        runner = LoopRunner()
        listers = _listers(settings, listing, server.base_url, runner, names, section)
        try:
            for lister in listers.values():
                lister.warm_up()
            results = run_interleaved(rounds, {name: seconds_to_walk(lister) for name, lister in listers.items()})
            _report_walks(section, settings, delay_ms, per_request, results, names, out_dir, first=first)
            aiohttp_walk = listers.get(names.async_aiohttp)
            if aiohttp_walk is not None and any(
                t.met is False and f"{delay_ms} ms" in t.claim for t in section.targets
            ):
                section.profiles.append(
                    Profile(f"cProfile, one walk of {names.async_aiohttp} at {delay_ms} ms",
                            profile_calls(aiohttp_walk.walk, 1))
                )  # fmt: skip
        finally:
            for lister in listers.values():
                lister.close()
            runner.close()
        _sweep(section, settings, listing, server.base_url, delay_ms, results[names.vendor])
        if first:
            _memory(section, settings, server.base_url, delay_ms)
            _mock_scaling(section, settings, listing, server, delay_ms, log_dir)


def _report_walks(
    section: Section,
    settings: RunSettings,
    delay_ms: int,
    per_request: float,
    results: dict[str, Summary],
    names: Names,
    out_dir: Path,
    *,
    first: bool,
) -> None:
    vendor = results[names.vendor]
    floor = results[names.floor_aiohttp]
    rows = tuple(
        (name, format_summary(summary), f"{ratio(vendor, summary):.2f}×", f"{ratio(summary, floor):.2f}×")
        for name, summary in results.items()
    )
    section.tables.append(
        Table(("lister", "seconds, median (min–max)", "speed-up over the vendor loop", "× raw aiohttp floor"), rows,
              caption=f"{delay_ms} ms added to every answer ({per_request * 1000:.1f} ms per request as a client "
                      f"sees it); listing all {settings.latency_tasks:,} tasks (lower time is better).")
    )  # fmt: skip
    section.charts.append(
        bar_chart(
            out_dir / f"latency_{delay_ms}ms.png",
            f"Listing every task, {delay_ms} ms added (lower is better)",
            "seconds (median, min–max whiskers)",
            [(name, summary, name.startswith("ours")) for name, summary in results.items()],
        )
    )
    ours_aiohttp = results.get(names.async_aiohttp)
    if ours_aiohttp is None:
        return
    httpx_speedup = format_number(ratio(vendor, results[names.async_httpx]))
    if first:
        speedup = ratio(vendor, ours_aiohttp)
        section.targets.append(
            Target(
                f"async walk over aiohttp, default settings: ≥ {VENDOR_SPEEDUP}× faster than the vendor loop "
                f"at {delay_ms} ms",
                f"{format_number(speedup)}× (on httpx: {httpx_speedup}×)",
                speedup >= VENDOR_SPEEDUP,
                f"needs ≤ {format_number(vendor.median / VENDOR_SPEEDUP)} s; took "
                f"{format_number(ours_aiohttp.median)} s",
            )
        )
    to_floor = ratio(ours_aiohttp, floor)
    section.targets.append(
        Target(
            f"async walk over aiohttp, default settings: within {FLOOR_MARGIN}× of the raw aiohttp floor's time "
            f"at {delay_ms} ms",
            f"{format_number(to_floor)}×",
            to_floor <= FLOOR_MARGIN,
            f"floor: {format_number(floor.median)} s at {settings.floor_in_flight} in flight",
        )
    )


def _sweep(
    section: Section, settings: RunSettings, listing: Listing, base_url: str, delay_ms: int, vendor: Summary
) -> None:
    """Our async walk over both transports, and the raw aiohttp floor, at each `max_concurrency`."""
    try:
        aiohttp_client_class()
    except ours.PartMissing as exc:
        section.not_measured.append(f"the max_concurrency sweep at {delay_ms} ms: {exc}")
        return
    expected = listing.reachable(settings.latency_tasks)
    runner = LoopRunner()
    listers: dict[tuple[int, str], Lister] = {}
    try:
        for n in settings.sweep_concurrency:
            listers[n, "aiohttp"] = AsyncWalk(
                f"aiohttp {n}", runner, base_url, listing, expected, aiohttp=True, max_concurrency=n, auth=AKSK
            )
            listers[n, "httpx"] = AsyncWalk(
                f"httpx {n}", runner, base_url, listing, expected, aiohttp=False, max_concurrency=n, auth=AKSK
            )
            listers[n, "floor"] = RawFloor(
                f"floor {n}", runner, base_url, listing, settings.latency_tasks, aiohttp=True, in_flight=n
            )
        for lister in listers.values():
            lister.warm_up()
        samplers = {f"{n} {kind}": seconds_to_walk(lister) for (n, kind), lister in listers.items()}
        results = run_interleaved(settings.sweep_rounds, samplers)
    finally:
        for lister in listers.values():
            lister.close()
        runner.close()
    pages = len(listing.offsets(settings.latency_tasks))
    rows = []
    for n in settings.sweep_concurrency:
        walk, on_httpx, floor = results[f"{n} aiohttp"], results[f"{n} httpx"], results[f"{n} floor"]
        rows.append((
            str(n), format_summary(walk), f"{ratio(vendor, walk):.2f}×", f"{ratio(walk, floor):.2f}×",
            f"{pages / walk.median:,.0f}", format_summary(on_httpx), format_summary(floor),
        ))  # fmt: skip
    header = ("max_concurrency", "ours on aiohttp, s", "× vendor", "× raw aiohttp at the same N", "requests/s",
              "ours on httpx, s", "raw aiohttp, s")  # fmt: skip
    section.tables.append(
        Table(header, tuple(rows), caption=f"`max_concurrency` swept at {delay_ms} ms ({settings.sweep_rounds} "
                                           "rounds; AK/SK; median (min–max)).")
    )  # fmt: skip


def _memory(section: Section, settings: RunSettings, base_url: str, delay_ms: int) -> None:
    """Each of our walks in a fresh process: its time, its peak RSS growth, and the pages it held at its peak."""
    found: dict[str, WalkMemory] = {}
    for lister in settings.memory_listers:
        try:
            found[lister] = measure_in_child(lister, base_url, settings.latency_tasks, timeout_s=300)
        except Exception as exc:  # a child that fails is reported, not fatal to the run
            section.not_measured.append(f"memory of {MEMORY_LABELS[lister]}: {type(exc).__name__}: {exc}")
    if not found:
        return
    default = default_max_concurrency()
    rows = []
    worst: tuple[float, int, str] | None = None
    for lister, memory in found.items():
        in_flight = 1 if lister == "sync" else default
        allowed = in_flight + 2
        rows.append((
            MEMORY_LABELS[lister], format_number(memory.seconds), f"{memory.rss_growth_bytes / MIB:.1f}",
            f"{memory.traced_peak_bytes / MIB:.2f}", format_number(memory.pages_held),
            "—" if lister.endswith("-kept") else str(allowed),
        ))  # fmt: skip
        if not lister.endswith("-kept") and (worst is None or memory.pages_held / allowed > worst[0] / worst[1]):
            worst = (memory.pages_held, allowed, MEMORY_LABELS[lister])
    page = next(iter(found.values())).page_bytes
    section.tables.append(
        Table(("walk", "seconds", "peak RSS growth, MiB", "Python memory at peak, MiB", "≈ parsed pages held",
               "pages allowed (in flight + 2)"), tuple(rows),
              caption=f"One walk of {settings.latency_tasks:,} tasks at {delay_ms} ms, each in a fresh process; one "
                      f"parsed page holds {page / 1024:.0f} KiB of Python memory.")
    )  # fmt: skip
    if worst is not None:
        held, allowed, label = worst
        section.targets.append(
            Target(
                f"a walk of {settings.latency_tasks:,} tasks holds no more than a few pages at once (in flight + 2)",
                f"{format_number(held)} pages at most ({label})",
                held <= allowed,
                f"allowed {allowed:g}",
            )
        )


def _mock_scaling(
    section: Section, settings: RunSettings, listing: Listing, server: RunningServer, delay_ms: int, log_dir: Path
) -> None:
    """The mock's requests/s with a delay at many connections against one: a delay must be a real async wait."""
    wrk = anchors.wrk(install=settings.install_anchors, timeout_s=settings.install_timeout_s)
    loadgen = pick_load_generator(None if settings.load_generator == "python" else wrk.executable)
    url = server.base_url + listing.page_path(PROJECT_ID, 0)
    many = settings.scaling_connections
    samples: dict[int, list[float]] = {1: [], many: []}
    errors = 0
    for _ in range(settings.scaling_rounds):
        for connections in samples:
            result = loadgen.run(url, TOKEN_HEADERS, connections, settings.scaling_seconds)
            samples[connections].append(result.requests_per_s)
            errors += result.errors
    one, parallel = summarize(samples[1]), summarize(samples[many])
    scaling = ratio(parallel, one)
    section.tables.append(
        Table(("connections", "requests/s, median (min–max)", "× one connection"),
              ((str(1), format_summary(one), "1.00×"), (str(many), format_summary(parallel), f"{scaling:.2f}×")),
              caption=f"The mock at {delay_ms} ms added, page of {listing.page_size} with the token, "
                      f"{settings.scaling_seconds:g} s per run, {settings.scaling_rounds} rounds, {loadgen.name}.")
    )  # fmt: skip
    ideal = many
    section.targets.append(
        Target(
            f"mock answers ≥ {SCALING_TARGET}× the requests/s at {many} in flight as at one, with {delay_ms} ms added",
            f"{format_number(scaling)}×",
            scaling >= SCALING_TARGET and errors == 0,
            f"ideal {ideal}×; {errors} errors",
        )
    )
    if scaling < SCALING_TARGET and settings.smoke:
        section.notes.append("The mock's scaling target was missed in a smoke run; a full run profiles the mock.")
    elif scaling < SCALING_TARGET:
        section.profiles.append(
            Profile(f"cProfile of the mock at {many} connections, {delay_ms} ms added",
                    _profile_mock(settings, listing, delay_ms, loadgen, log_dir))
        )  # fmt: skip


def _profile_mock(settings: RunSettings, listing: Listing, delay_ms: int, loadgen: LoadGenerator, log_dir: Path) -> str:
    def load(server: RunningServer) -> None:
        url = server.base_url + listing.page_path(PROJECT_ID, 0)
        loadgen.run(url, TOKEN_HEADERS, settings.scaling_connections, settings.scaling_seconds)

    return profile_of_mock_during(load, settings.latency_tasks, log_dir, faults=delay_faults(delay_ms))
