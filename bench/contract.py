"""Benchmark 5: contract-suite cases per second against the mock, beside a bare schemathesis run."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import ours
from bench.charts import bar_chart
from bench.mock_process import running_mock
from bench.processes import ServerStartError, bench_env, run_bounded
from bench.results import Section, Table, Target
from bench.settings import PROJECT_ID, REPO_ROOT, SPEC_PATH, TOKEN, VENV_BIN, RunSettings, logs_folder
from bench.stats import Summary, format_summary, summarize

SUITE = "ours: oms-contract"
BARE = "bare schemathesis run --checks all"
RUN_TIMEOUT_S = 600.0
CONTRACT_PART = "the contract suite (issue 5)"
CLAIM = "contract cases per second against the mock"


@dataclass(frozen=True)
class SuiteRun:
    """One contract run: cases, the tool's own test time, wall time with start-up, exit status."""

    cases: int
    test_seconds: float
    wall_seconds: float
    exit_code: int
    extra: str = ""


class UnreadableOutput(RuntimeError):
    """Raised when a run's output does not say how many cases it ran."""


def parse_contract_output(stdout: str) -> tuple[int, float, str]:
    """Cases, seconds and pagination-walk requests from `oms-contract`'s summary line."""
    match = re.search(r"(\d+) cases in ([\d.]+) s .*?(\d+) pagination walk requests", stdout)
    if match is None:
        raise UnreadableOutput(f"no '<N> cases in <S> s' line in oms-contract's output: {stdout[-400:]!r}")
    return int(match.group(1)), float(match.group(2)), f"{match.group(3)} pagination-walk requests"


def parse_schemathesis_output(stdout: str) -> tuple[int, float]:
    """Generated cases and the test time from `schemathesis run`'s summary."""
    cases = re.search(r"Test cases:\s*\n\s*(\d+) generated", stdout)
    seconds = re.search(r"(?:No issues found|issues? found|passed|failed).* in ([\d.]+)s", stdout)
    if cases is None or seconds is None:
        raise UnreadableOutput(f"no test-case summary in schemathesis' output: {stdout[-400:]!r}")
    return int(cases.group(1)), float(seconds.group(1))


def run_suite(base_url: str, max_examples: int, report_dir: Path) -> SuiteRun:
    """`oms-contract` against the mock, with a fixed seed."""
    command: list[str | Path] = [
        ours.script("oms-contract", "oms_contract.cli", CONTRACT_PART), "--base-url", base_url,
        "--project-id", PROJECT_ID, "--token", TOKEN, "--max-examples", str(max_examples), "--seed", "0",
        "--report-dir", report_dir,
    ]  # fmt: skip
    started = time.perf_counter()
    result = run_bounded(command, timeout_s=RUN_TIMEOUT_S, cwd=REPO_ROOT, env=bench_env())
    wall = time.perf_counter() - started
    cases, seconds, extra = parse_contract_output(result.stdout)
    return SuiteRun(cases, seconds, wall, result.returncode, extra)


def run_bare_schemathesis(base_url: str, max_examples: int) -> SuiteRun:
    """schemathesis' own CLI on the same spec and server: built-in checks only, no semantic checks."""
    command: list[str | Path] = [
        VENV_BIN / "schemathesis", "run", SPEC_PATH, "--url", base_url, "-H", f"X-Auth-Token: {TOKEN}",
        "--checks", "all", "--mode", "all", "-n", str(max_examples), "--seed", "0",
    ]  # fmt: skip
    started = time.perf_counter()
    result = run_bounded(command, timeout_s=RUN_TIMEOUT_S, cwd=REPO_ROOT, env=bench_env({"NO_COLOR": "1"}))
    wall = time.perf_counter() - started
    cases, seconds = parse_schemathesis_output(result.stdout)
    return SuiteRun(cases, seconds, wall, result.returncode)


def run(settings: RunSettings, out_dir: Path) -> Section:
    """Run the suite (and bare schemathesis) against one mock process, alternating, `load_rounds` times."""
    examples = settings.contract_max_examples
    section = Section(
        key="contract",
        title="5. Contract suite",
        method=(
            f"`oms-contract --base-url URL --token T --max-examples {examples} --seed 0` against an `oms-mock` "
            f"process with {settings.list_all_tasks:,} tasks on 127.0.0.1, {settings.contract_rounds} rounds "
            f"alternating with a bare `schemathesis run --checks all --mode all -n {examples} --seed 0` on the same "
            "spec and server. Cases are as each tool counts them; 'test time' is the tool's own clock, 'wall' adds "
            "process start-up and spec loading."
        ),
    )
    scratch = Path(tempfile.mkdtemp(prefix="omsgen-bench-contract-"))
    runs: dict[str, list[SuiteRun]] = {SUITE: [], BARE: []}
    try:
        ours.script("oms-contract", "oms_contract.cli", CONTRACT_PART)
        with running_mock(settings.list_all_tasks, logs_folder(out_dir)) as server:
            for round_index in range(settings.contract_rounds):
                runs[SUITE].append(run_suite(server.base_url, examples, scratch / f"report-{round_index}"))
                try:
                    runs[BARE].append(run_bare_schemathesis(server.base_url, examples))
                except UnreadableOutput as exc:
                    section.not_measured.append(f"{BARE}: {exc}")
    except (ours.PartMissing, ServerStartError, UnreadableOutput, subprocess.TimeoutExpired) as exc:
        section.not_measured.append(f"{SUITE}: {exc}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _tabulate(section, runs, out_dir)
    return section


def _rate(runs: list[SuiteRun], wall: bool) -> Summary:
    return summarize([r.cases / (r.wall_seconds if wall else r.test_seconds) for r in runs])


def _tabulate(section: Section, runs: dict[str, list[SuiteRun]], out_dir: Path) -> None:
    measured = {name: found for name, found in runs.items() if found}
    rows = []
    for name, found in measured.items():
        rows.append((
            name,
            format_summary(summarize([r.cases for r in found])),
            format_summary(summarize([r.test_seconds for r in found])),
            format_summary(_rate(found, wall=False)),
            format_summary(_rate(found, wall=True)),
            ", ".join(sorted({str(r.exit_code) for r in found})),
            found[0].extra,
        ))  # fmt: skip
    section.tables.append(
        Table(("runner", "cases", "test time s", "cases/s (test time)", "cases/s (wall)", "exit", "also"), tuple(rows))
    )
    if SUITE in measured:
        rate = _rate(measured[SUITE], wall=False).median
        wall_rate = _rate(measured[SUITE], wall=True).median
        measured_text = f"{rate:.0f} cases/s ({wall_rate:.0f} with process start-up)"
        section.targets.append(Target(CLAIM, measured_text, True, recorded_only=True))
        if any(r.exit_code != 0 for r in measured[SUITE]):
            section.notes.append("oms-contract reported failures against the mock (exit 1); see its report.")
        section.charts.append(
            bar_chart(
                out_dir / "contract.png",
                "Contract cases per second against the mock (higher is better)",
                "cases per second, the tool's own test time (median, min–max whiskers)",
                [(name, _rate(found, wall=False), name == SUITE) for name, found in measured.items()],
            )
        )
    else:
        section.targets.append(Target(CLAIM, "—", None, recorded_only=True))
