"""The benchmarks cannot rot: a smoke run of every one of them writes a report, and the load tools work."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.loadgen import PythonLoad, parse_wrk_output
from bench.processes import bench_env
from bench.settings import REPO_ROOT, TOKEN

SECTION_TITLES = (
    "## 1. Generation",
    "## 2. Parsing a 100-task page",
    "## 3. Client over loopback",
    "## 4. Mock server",
    "## 5. Contract suite",
    "## 6. Listing at cloud latency",
)
SMOKE_TIMEOUT_S = 240

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8080/v2/p/sync-tasks?limit=100
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.81ms  712.33us  14.20ms   80.12%
    Req/Sec     4.41k   312.10     5.01k    71.00%
  Latency Distribution
     50%    1.63ms
     75%    2.09ms
     90%    2.68ms
     99%   12.69ms
  43916 requests in 5.00s, 2.43GB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:   8779.56
Transfer/sec:    497.62MB
"""


@pytest.mark.slow
def test_smoke_run_of_every_benchmark_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=REPO_ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = (out / "RESULTS.md").read_text()
    assert "SMOKE RUN" in report
    for title in SECTION_TITLES:
        assert title in report
    assert "crashed:" not in report, report
    assert list(out.glob("*.png")), "no chart was drawn"
    # Every target is either measured or says why not: no silent gaps.
    for row in re.findall(r"^\| \d\. .*$", report, re.MULTILINE):
        assert row.rstrip().endswith(("met |", "**missed** |", "not measured |", "(no target) |")) or "; " in row


def test_smoke_run_refuses_to_overwrite_the_committed_results() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(REPO_ROOT / "bench")],
        cwd=REPO_ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "must not write over bench/RESULTS.md" in result.stderr


def test_wrk_latency_output_is_read_with_errors_counted() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    assert result.requests == 43916
    assert result.seconds == pytest.approx(5.0)
    assert result.p50_ms == pytest.approx(1.63)
    assert result.p99_ms == pytest.approx(12.69)
    assert result.errors == 6


def test_python_load_generator_measures_a_loopback_server() -> None:
    from oms_mock import MockConfig, run_server

    with run_server(MockConfig(tasks=50, seed=0, tokens=(TOKEN,)), host="127.0.0.1", port=0) as base_url:
        result = PythonLoad().run(f"{base_url}/v2/p/sync-tasks?limit=10", {"X-Auth-Token": TOKEN}, 2, 0.3)
    assert result.requests > 0
    assert result.errors == 0
    assert result.p50_ms <= result.p99_ms


def test_load_generators_refuse_non_loopback_targets() -> None:
    with pytest.raises(ValueError, match="load may only target"):
        PythonLoad().run("http://192.0.2.1/v2/p/sync-tasks", {}, 1, 0.1)
