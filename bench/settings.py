"""Paths, pinned anchor versions and the counts of a full run and of a smoke run."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
# OMSGEN_BENCH_CACHE points the anchors' installs elsewhere (e.g. an empty folder, to act as a fresh clone).
CACHE_DIR = Path(os.environ.get("OMSGEN_BENCH_CACHE", BENCH_DIR / ".cache"))
SPEC_PATH = REPO_ROOT / "spec" / "oms-sync-tasks.yaml"
GENERATED_DIR = REPO_ROOT / "generated"
WORK_DIR = BENCH_DIR / ".work"  # ignored by git: server logs of full runs
VENV_BIN = Path(sys.executable).parent

OPENAPI_GENERATOR_VERSION = "7.26.0"
PRISM_VERSION = "5.16.0"

PROJECT_ID = "2c0689c860ad4728a497c91ec0844383"
TOKEN = "oms-mock-token"
ACCESS_KEY = "BENCHACCESSKEY0000001"
SECRET_KEY = "bench-secret-key-not-a-real-one-0000000001"
LOOPBACK = "127.0.0.1"


def logs_folder(out_dir: Path) -> Path:
    """Where servers' logs go: beside a report in a scratch folder, or in the ignored bench/.work/ for bench/."""
    return WORK_DIR / "logs" if out_dir.resolve() == BENCH_DIR.resolve() else out_dir / "logs"


@dataclass(frozen=True)
class RunSettings:
    """How much work each benchmark does; `full()` for RESULTS.md, `smoke_run()` for the test that keeps them alive.

    `latency_runs` pairs an added delay in milliseconds with its number of rounds (the concurrency sweep runs at
    each); the first delay is the one the vendor target is judged at, and the memory walks and the mock's scaling
    check run at it.
    """

    smoke: bool
    install_anchors: bool
    warm_up: bool
    generation_rounds: int
    parse_rounds: int
    parse_loops: int
    client_rounds: int
    client_calls: int
    list_all_tasks: int
    list_all_rounds: int
    load_rounds: int
    load_seconds: float
    load_connections: int
    big_store_tasks: int
    big_store_seconds: float
    contract_max_examples: int
    contract_rounds: int
    install_timeout_s: float
    latency_tasks: int
    latency_runs: tuple[tuple[int, int], ...]
    sweep_concurrency: tuple[int, ...]
    sweep_rounds: int
    floor_in_flight: int
    scaling_connections: int
    scaling_seconds: float
    scaling_rounds: int
    memory_listers: tuple[str, ...]
    load_generator: str = "auto"

    @classmethod
    def full(cls) -> RunSettings:
        """Counts for the committed RESULTS.md (about ten minutes on the 2-core box)."""
        return cls(
            smoke=False,
            install_anchors=True,
            warm_up=True,
            generation_rounds=5,
            parse_rounds=25,
            parse_loops=50,
            client_rounds=25,
            client_calls=100,
            list_all_tasks=10_100,
            list_all_rounds=9,
            load_rounds=5,
            load_seconds=5.0,
            load_connections=16,
            big_store_tasks=1_000_000,
            big_store_seconds=5.0,
            contract_max_examples=100,
            contract_rounds=3,
            install_timeout_s=600.0,
            latency_tasks=10_100,
            latency_runs=((20, 5), (100, 3)),
            sweep_concurrency=(4, 8, 16, 32, 64),
            sweep_rounds=5,
            floor_in_flight=16,
            scaling_connections=16,
            scaling_seconds=3.0,
            scaling_rounds=3,
            memory_listers=("sync", "async-httpx", "async-aiohttp", "async-aiohttp-kept"),
        )

    @classmethod
    def smoke_run(cls) -> RunSettings:
        """Tiny counts: every code path once, in well under a minute; never installs anything."""
        return cls(
            smoke=True,
            install_anchors=False,
            warm_up=False,
            generation_rounds=1,
            parse_rounds=2,
            parse_loops=2,
            client_rounds=1,
            client_calls=10,
            list_all_tasks=10_100,
            list_all_rounds=1,
            load_rounds=1,
            load_seconds=0.5,
            load_connections=4,
            big_store_tasks=30_000,
            big_store_seconds=0.5,
            contract_max_examples=2,
            contract_rounds=1,
            install_timeout_s=0.0,
            latency_tasks=1_000,
            latency_runs=((10, 1),),
            sweep_concurrency=(4, 16),
            sweep_rounds=1,
            floor_in_flight=16,
            scaling_connections=16,
            scaling_seconds=1.0,
            scaling_rounds=1,
            memory_listers=("async-aiohttp",),
        )
