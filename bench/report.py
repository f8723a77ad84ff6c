"""Render the benchmark sections, the machine and the versions into RESULTS.md."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.machine import Machine
from bench.results import Section, Table, Target


@dataclass(frozen=True)
class RunInfo:
    """Facts about the whole run that head the report."""

    smoke: bool
    machine: Machine
    load_after: tuple[float, float, float]
    seconds: float
    revision: str
    python_versions: dict[str, str]
    tool_versions: dict[str, str]


VERDICT_WORDS = {
    "met": "met",
    "MISSED": "**missed**",
    "not measured": "not measured",
    "recorded": "recorded (no target)",
}


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def render_table(table: Table) -> list[str]:
    """A Markdown table, with its caption as a line above it."""
    lines = [f"_{table.caption}_", ""] if table.caption else []
    lines.append("| " + " | ".join(_escape(c) for c in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    lines += ["| " + " | ".join(_escape(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def _target_rows(section: Section) -> Iterable[tuple[str, ...]]:
    for target in section.targets:
        yield (section.title, target.claim, target.measured, _verdict(target))


def _verdict(target: Target) -> str:
    words = VERDICT_WORDS[target.verdict]
    return f"{words}; {target.detail}" if target.detail else words


def render_section(section: Section) -> list[str]:
    """One benchmark: method, tables, targets, charts, what was not measured, notes, profiles."""
    lines = [f"## {section.title}", "", section.method, ""]
    for table in section.tables:
        lines += render_table(table)
    if section.targets:
        rows = tuple((t.claim, t.measured, _verdict(t)) for t in section.targets)
        lines += render_table(Table(("target", "measured", "verdict"), rows))
    for chart in section.charts:
        lines += [f"![{section.title}]({chart.name})", ""]
    if section.not_measured:
        lines += ["**Not measured in this run:**", ""]
        lines += [f"- {reason}" for reason in section.not_measured]
        lines.append("")
    if section.notes:
        lines += [f"- {note}" for note in section.notes]
        lines.append("")
    for missed in section.missed_targets:
        lines += [f"**Target missed: {missed.claim}** (measured {missed.measured}).", ""]
    for profile in section.profiles:
        lines += [f"<details><summary>{profile.title}</summary>", "", "```text", profile.text, "```", "</details>", ""]
    lines += [f"_This benchmark took {section.seconds:.0f} s._", ""]
    return lines


def render_report(info: RunInfo, sections: list[Section]) -> str:
    """The whole RESULTS.md."""
    m = info.machine
    kind = "a SMOKE RUN with tiny counts: its numbers only prove the code paths run" if info.smoke else "a full run"
    lines = [
        "# omsgen benchmarks",
        "",
        f"Written by `python -m bench`, {kind}, on {m.date}, in {info.seconds / 60:.1f} minutes. Every number "
        "comes from this one run on this machine; comparisons are ratios of medians measured side by side, in "
        "interleaved rounds, because the machine is shared and noisy. Nothing here is a timed assertion in a test.",
        "",
        "## Targets",
        "",
        _tally(sections),
        "",
    ]
    lines += render_table(
        Table(("benchmark", "target", "measured", "verdict"), tuple(r for s in sections for r in _target_rows(s)))
    )
    lines += [
        "## Machine and versions",
        "",
        f"- CPU: {m.cpu}, {m.cores} cores; memory {m.memory_gib:.1f} GiB; Linux {m.kernel}",
        f"- Load average (1/5/15 min) at start {_load(m.load_average)}, at end {_load(info.load_after)}: "
        "other engineers share this box, so absolute numbers move; the ratios are what to read.",
        f"- Commit: {info.revision}",
        "",
    ]
    versions = {**info.python_versions, **info.tool_versions}
    lines += render_table(Table(("component", "version"), tuple((k, v) for k, v in versions.items())))
    for section in sections:
        lines += render_section(section)
    lines += [
        "## Reproducing",
        "",
        "`make bench` runs everything and rewrites this file and the PNG charts beside it; anchors are installed on "
        "first use into `bench/.cache/` (ignored by git). `make bench-smoke` (or `python -m bench --smoke --out DIR`) "
        "runs every benchmark with tiny counts into a temporary folder and never overwrites this file; it never "
        "installs anything: an anchor that is not installed is skipped with the reason in its report, and without "
        "wrk a pure-Python load generator stands in.",
        "",
    ]
    return "\n".join(lines)


def _tally(sections: list[Section]) -> str:
    """One sentence: how many targets were met, missed, or could not be measured."""
    targets = [t for s in sections for t in s.targets if not t.recorded_only]
    met = sum(t.met is True for t in targets)
    missed = [t.claim for t in targets if t.met is False]
    unmeasured = sum(t.met is None for t in targets)
    sentence = f"{met} of {len(targets)} targets met"
    if missed:
        sentence += f"; missed: {'; '.join(missed)}"
    if unmeasured:
        sentence += f"; {unmeasured} could not be measured in this run"
    return sentence + "."


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def remove_previous_charts(report: Path) -> None:
    """Delete the PNGs an earlier report in the same folder embedded, so no stale chart outlives its run."""
    if not report.exists():
        return
    for name in re.findall(r"!\[[^\]]*\]\(([\w.-]+\.png)\)", report.read_text()):
        (report.parent / name).unlink(missing_ok=True)


def write_report(path: Path, info: RunInfo, sections: list[Section]) -> Path:
    """Write RESULTS.md (or the smoke report) to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(info, sections))
    return path
