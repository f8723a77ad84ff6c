"""`python -m bench`: run every benchmark and write RESULTS.md with charts; `--smoke` for tiny counts elsewhere."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import anchors, client, contract, generation, latency, mock_server, parse
from bench.machine import describe_machine, git_revision, package_versions, tool_version
from bench.report import RunInfo, remove_previous_charts, write_report
from bench.results import Section, Target
from bench.settings import BENCH_DIR, RunSettings

Benchmark = Callable[[RunSettings, Path], Section]
BENCHMARKS: dict[str, tuple[str, Benchmark]] = {
    "generation": ("1. Generation", generation.run),
    "parse": ("2. Parsing a 100-task page", parse.run),
    "client": ("3. Client over loopback", client.run),
    "mock": ("4. Mock server", mock_server.run),
    "contract": ("5. Contract suite", contract.run),
    "latency": ("6. Listing at cloud latency", latency.run),
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny counts; report into --out or a temporary folder")
    parser.add_argument("--out", type=Path, help="folder for the report and charts (default: bench/ for a full run)")
    parser.add_argument(
        "--load-generator",
        choices=("auto", "python"),
        default="auto",
        help="auto: wrk when installed, else the Python stand-in; python: always the stand-in",
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run only these benchmarks (repeatable)"
    )
    return parser.parse_args(argv)


def output_folder(args: argparse.Namespace) -> Path:
    """bench/ for a full run; never bench/ for a smoke run (the committed RESULTS.md stays untouched)."""
    if args.out is not None:
        out: Path = args.out.resolve()
        if args.smoke and out == BENCH_DIR.resolve():
            raise SystemExit("error: a smoke run must not write over bench/RESULTS.md; pass another --out")
        return out
    if args.smoke:
        return Path(tempfile.mkdtemp(prefix="omsgen-bench-smoke-"))
    return BENCH_DIR


def run_benchmark(key: str, settings: RunSettings, out: Path) -> Section:
    """One benchmark; a crash becomes a section that says so instead of ending the whole run."""
    title, benchmark = BENCHMARKS[key]
    started = time.perf_counter()
    print(f"[bench] {title} ...", file=sys.stderr, flush=True)
    try:
        section = benchmark(settings, out)
    except Exception as exc:
        section = Section(key=key, title=title, method="The benchmark crashed; see the traceback below.")
        section.not_measured.append(f"crashed: {type(exc).__name__}: {exc}")
        section.notes.append("```text\n" + traceback.format_exc().strip() + "\n```")
        section.targets.append(Target("(every target of this benchmark)", "—", None))
    section.seconds = time.perf_counter() - started
    verdicts = ", ".join(f"{t.claim}: {t.verdict}" for t in section.targets) or "no targets"
    print(f"[bench] {title}: {section.seconds:.0f} s; {verdicts}", file=sys.stderr, flush=True)
    return section


def tool_versions(settings: RunSettings) -> dict[str, str]:
    """Versions of the non-Python anchors (installing them first on a full run)."""
    install, timeout = settings.install_anchors, settings.install_timeout_s
    found = {
        "java": tool_version(["java", "-version"]),
        "node": tool_version(["node", "--version"]),
    }
    for anchor in (
        anchors.wrk(install=install, timeout_s=timeout),
        anchors.openapi_generator(install=install, timeout_s=timeout),
        anchors.prism(install=install, timeout_s=timeout),
    ):
        found[anchor.name] = anchor.version if anchor.available else f"missing: {anchor.missing_reason}"
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks and write the report; exit 0 when a report was written."""
    args = parse_args(argv)
    settings = RunSettings.smoke_run() if args.smoke else RunSettings.full()
    settings = dataclasses.replace(settings, load_generator=args.load_generator)
    out = output_folder(args)
    out.mkdir(parents=True, exist_ok=True)
    revision = git_revision()  # before the run removes and writes its own charts, which would mark the tree changed
    remove_previous_charts(out / "RESULTS.md")
    started = time.perf_counter()
    machine = describe_machine()
    tools = tool_versions(settings)
    sections = [run_benchmark(key, settings, out) for key in (args.only or list(BENCHMARKS))]
    info = RunInfo(
        smoke=settings.smoke,
        machine=machine,
        load_after=os.getloadavg(),
        seconds=time.perf_counter() - started,
        revision=revision,
        python_versions=package_versions(),
        tool_versions=tools,
    )
    report = write_report(out / "RESULTS.md", info, sections)
    print(f"[bench] report: {report}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
