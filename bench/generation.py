"""Benchmark 1: wall time of generating a client from the spec, ours against OpenAPI Generator and bare opc."""

from __future__ import annotations

import functools
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import anchors, ours
from bench.charts import bar_chart
from bench.processes import bench_env, run_bounded
from bench.profiling import import_seconds, profile_file
from bench.results import Profile, Section, Table, Target
from bench.settings import REPO_ROOT, SPEC_PATH, RunSettings
from bench.stats import format_number, format_summary, ratio, run_interleaved, summarize

OURS = "ours: python -m generator"
OPENAPI_GENERATOR = "OpenAPI Generator -g python"
BARE_OPC = "bare openapi-python-client"
GENERATION_TIMEOUT_S = 300.0


class GenerationFailed(RuntimeError):
    """Raised when a generator exits non-zero; carries the tail of its output."""


@dataclass(frozen=True)
class Generator:
    """How to run one generator into an output folder."""

    name: str
    command: Callable[[Path], list[str | Path]]


def our_command(out: Path) -> list[str | Path]:
    """Our pipeline, writing into `out` instead of generated/ (never touches the committed output)."""
    return [sys.executable, "-m", "generator", "--spec", SPEC_PATH, "--out", out]


def openapi_generator_command(executable: Path) -> Callable[[Path], list[str | Path]]:
    """OpenAPI Generator's python generator with its defaults."""
    return lambda out: [executable, "generate", "-i", SPEC_PATH, "-g", "python", "-o", out]


def bare_opc_command(executable: Path) -> Callable[[Path], list[str | Path]]:
    """openapi-python-client with its defaults (its ruff post-hooks included)."""
    return lambda out: [executable, "generate", "--path", SPEC_PATH, "--output-path", out, "--overwrite"]


def python_lines(folder: Path) -> int:
    """Lines of Python in a generated tree."""
    return sum(len(path.read_text(errors="replace").splitlines()) for path in folder.rglob("*.py"))


def run_once(generator: Generator, line_counts: dict[str, int]) -> float:
    """Generate into a fresh temporary folder; return the wall time in seconds."""
    scratch = Path(tempfile.mkdtemp(prefix="omsgen-bench-gen-"))
    out = scratch / "out"
    try:
        started = time.perf_counter()
        result = run_bounded(generator.command(out), timeout_s=GENERATION_TIMEOUT_S, cwd=REPO_ROOT, env=bench_env())
        elapsed = time.perf_counter() - started
        if result.returncode != 0 or not out.exists():
            output = (result.stderr or result.stdout).strip()[-600:]
            raise GenerationFailed(f"{generator.name} exited {result.returncode}: {output}")
        line_counts[generator.name] = python_lines(out)
        return elapsed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def available_generators(settings: RunSettings, section: Section) -> list[Generator]:
    """Ours and the anchors that are installed (or installable on a full run)."""
    generators: list[Generator] = []
    try:
        ours.generator_package()
        generators.append(Generator(OURS, our_command))
    except ours.PartMissing as exc:
        section.not_measured.append(f"{OURS}: {exc}")
    openapi_gen = anchors.openapi_generator(install=settings.install_anchors, timeout_s=settings.install_timeout_s)
    if openapi_gen.executable is not None:
        generators.append(Generator(OPENAPI_GENERATOR, openapi_generator_command(openapi_gen.executable)))
    else:
        section.not_measured.append(f"{OPENAPI_GENERATOR}: {openapi_gen.missing_reason}")
    opc = anchors.openapi_python_client()
    if opc.executable is not None:
        generators.append(Generator(BARE_OPC, bare_opc_command(opc.executable)))
    else:
        section.not_measured.append(f"{BARE_OPC}: {opc.missing_reason}")
    return generators


def run(settings: RunSettings, out_dir: Path) -> Section:
    """Time each generator on the same spec in interleaved rounds."""
    section = Section(
        key="generation",
        title="1. Generation",
        method=(
            f"Wall time of one complete generation from `{SPEC_PATH.relative_to(REPO_ROOT)}` into an empty temporary "
            "folder, process start-up included (what a developer waits for). "
            f"{settings.generation_rounds} interleaved rounds. Ours: `python -m generator --spec SPEC --out TMP` "
            "(validate, datamodel-code-generator, openapi-python-client with our templates, runtime, ruff). "
            "OpenAPI Generator: `openapi-generator-cli generate -g python` (PyPI bundled jar, Java 17). "
            "Bare openapi-python-client: `generate --path SPEC` with its defaults."
        ),
    )
    generators = available_generators(settings, section)
    line_counts: dict[str, int] = {}
    first_runs: dict[str, float] = {}
    for generator in generators:
        try:
            # A first run proves the generator works and warms the disk cache; a smoke run keeps it as its sample.
            first_runs[generator.name] = run_once(generator, line_counts)
        except (GenerationFailed, subprocess.TimeoutExpired, OSError) as exc:
            section.not_measured.append(f"{generator.name}: {exc}")
    working = [g for g in generators if g.name in first_runs]
    samplers = {g.name: functools.partial(run_once, g, line_counts) for g in working}
    rounds = settings.generation_rounds if settings.warm_up else settings.generation_rounds - 1
    results = run_interleaved(rounds, samplers) if samplers and rounds > 0 else {}
    if not settings.warm_up:
        results = {
            name: summarize([first_runs[name], *(results[name].samples if name in results else ())])
            for name in first_runs
        }
    reference = results.get(OPENAPI_GENERATOR)
    rows = []
    for name, summary in results.items():
        relative = f"{ratio(summary, reference):.2f}×" if reference else "—"
        first = format_number(first_runs[name])
        rows.append((name, format_summary(summary), relative, first, f"{line_counts.get(name, 0):,}"))
    header = ("generator", "seconds, median (min–max)", "× OpenAPI Generator", "first run s", "lines of Python")
    section.tables.append(Table(header=header, rows=tuple(rows)))
    if settings.warm_up:
        section.notes.append(
            "The first run of each generator (its own column) warms the disk cache and is not among the samples; "
            "the samples are warm runs, as a developer regenerating repeatedly sees them."
        )
    claim = "ours ≤ 0.5× OpenAPI Generator's time"
    if OURS in results and reference is not None:
        share = ratio(results[OURS], reference)
        section.targets.append(Target(claim, f"{format_number(share)}×", share <= 0.5))
    else:
        section.targets.append(Target(claim, "—", None))
    if section.missed_targets:
        text, imports_s, total_s = profile_generator()
        section.profiles.append(Profile("cProfile of one `python -m generator` run, by cumulative time", text))
        if total_s > 0:
            section.notes.append(
                f"Under cProfile, importing modules takes {imports_s:.2f} s of the generator's {total_s:.2f} s "
                f"({imports_s / total_s:.0%}): start-up imports (datamodel-code-generator, openapi-python-client, "
                "pydantic, jinja2 ...) dominate the run, not the rendering."
            )
    if results:
        section.charts.append(
            bar_chart(
                out_dir / "generation.png",
                "Generating a client from the spec (lower is better)",
                "seconds (median, min–max whiskers)",
                [(name, summary, name == OURS) for name, summary in results.items()],
            )
        )
    return section


def profile_generator() -> tuple[str, float, float]:
    """cProfile of our generator in a child process: the top-10, seconds spent importing, total seconds."""
    scratch = Path(tempfile.mkdtemp(prefix="omsgen-bench-genprof-"))
    try:
        dump = scratch / "generator.prof"
        command: list[str | Path] = [sys.executable, "-m", "cProfile", "-o", dump, *our_command(scratch / "out")[1:]]
        run_bounded(command, timeout_s=GENERATION_TIMEOUT_S, cwd=REPO_ROOT)
        if not dump.exists():
            return "(no profile written)", 0.0, 0.0
        imports_s, total_s = import_seconds(dump)
        return profile_file(dump, pstats.SortKey.CUMULATIVE), imports_s, total_s
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
