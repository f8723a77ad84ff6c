"""Reports of a contract run: JUnit XML for CI, a self-contained HTML page for people, a cassette of the failures.

Both reports show, for every failure, the request and the response (status, headers, body cut to a readable
length, credentials redacted), curl lines without repeats, and the `oms-contract replay` command that sends the
recorded request again (re-signed under AK/SK). The HTML is rendered from `templates/report.html.jinja` with
autoescaping; what it shows is decided here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jinja2

from oms_contract.curl import TOKEN_VARIABLE
from oms_contract.recording import FAILURES_FILE, write_cassette
from oms_contract.results import CheckTally, ContractResult, FailureRecord

JUNIT_FILE = "junit.xml"
HTML_FILE = "report.html"
SUITE_NAME = "oms-contract"
TEMPLATE = "report.html.jinja"
# Distinct failures listed per check, and curl lines and exchanges per distinct failure; the tallies count them all.
MAX_LISTED_GROUPS = 25
CURLS_PER_GROUP = 3
EXCHANGES_PER_GROUP = 1
NOT_EXERCISED = "not exercised: no response it applies to"

# Characters XML 1.0 cannot carry at all; generated requests may contain any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: object) -> str:
    """The text with characters XML cannot carry shown as `\\xNN` escapes."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))


@dataclass
class FailureGroup:
    """Failures of one check on one operation with the same title and message: how many, and exchanges showing it."""

    operation: str | None
    title: str
    message: str
    status_codes: list[int] = field(default_factory=list)
    curls: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    occurrences: int = 0

    @property
    def heading(self) -> str:
        statuses = f", status {', '.join(map(str, self.status_codes))}" if self.status_codes else ""
        operation = f"{self.operation}: " if self.operation else ""
        return f"{operation}{self.title} ({self.occurrences}x{statuses})"


def group_failures(failures: list[FailureRecord]) -> list[FailureGroup]:
    """Failures grouped by operation, title and message, in the order first seen; curl lines without repeats."""
    groups: dict[tuple[str | None, str, str], FailureGroup] = {}
    for failure in failures:
        key = (failure.operation, failure.title, failure.message)
        group = groups.setdefault(key, FailureGroup(*key))
        group.occurrences += 1
        if failure.status_code is not None and failure.status_code not in group.status_codes:
            group.status_codes.append(failure.status_code)
        if failure.curl and failure.curl not in group.curls and len(group.curls) < CURLS_PER_GROUP:
            group.curls.append(failure.curl)
        if failure.exchange and len(group.exchanges) < EXCHANGES_PER_GROUP:
            group.exchanges.append(failure.exchange)
        if failure.case_id and len(group.case_ids) < CURLS_PER_GROUP:
            group.case_ids.append(failure.case_id)
    return list(groups.values())


def replay_command(cassette: Path | None, case_id: str) -> str | None:
    return f"oms-contract replay {cassette} --id {case_id}" if cassette is not None else None


def _group_text(group: FailureGroup, cassette: Path | None) -> str:
    lines = [group.heading, group.message or "(the check gave no message; see the response below)"]
    for exchange in group.exchanges:
        lines += ["", exchange]
    if group.curls:
        lines += ["", *group.curls]
    replays = [command for case_id in group.case_ids if (command := replay_command(cassette, case_id))]
    lines += replays[:1]
    return "\n".join(lines)


def failure_text(failures: list[FailureRecord], cassette: Path | None = None) -> str:
    """The distinct failures of one check as text: heading, message, exchange, curl lines, replay command."""
    groups = group_failures(failures)
    blocks = [_group_text(group, cassette) for group in groups[:MAX_LISTED_GROUPS]]
    if len(groups) > MAX_LISTED_GROUPS:
        blocks.append(f"... and {len(groups) - MAX_LISTED_GROUPS} more distinct failures")
    return printable("\n\n".join(blocks))


def check_verdict(tally: CheckTally) -> str:
    if tally.failed:
        return "failed"
    return "passed" if tally.passed else NOT_EXERCISED


def junit_xml(result: ContractResult, cassette: Path | None = None) -> bytes:
    """A JUnit XML document: one test case per check, failed when any response failed it, skipped when it did not
    run or saw nothing it applies to; each case's time is that of the exchanges it judged."""
    failed = sum(1 for tally in result.tallies.values() if tally.failed)
    unexercised = [name for name, tally in result.tallies.items() if not tally.exercised]
    suite_attributes = {
        "name": SUITE_NAME,
        "tests": str(len(result.tallies) + len(result.disabled) + (1 if result.errors else 0)),
        "failures": str(failed),
        "errors": str(1 if result.errors else 0),
        "skipped": str(len(result.disabled) + len(unexercised)),
        "time": f"{result.elapsed:.3f}",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    root = ET.Element("testsuites", {key: suite_attributes[key] for key in ("name", "tests", "failures", "errors")})
    suite = ET.SubElement(root, "testsuite", suite_attributes)
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("target", result.target),
        ("seed", str(result.seed)),
        ("mode", result.mode),
        ("max_examples", str(result.max_examples)),
        ("rate", result.rate),
        ("cases", str(result.cases)),
        ("cases_per_second", f"{result.cases_per_second:.1f}"),
        ("throttling", result.throttling_summary()),
        *((f"cases.{operation}", str(count)) for operation, count in result.operations.items()),
        *(
            (f"latency_ms.{operation}.{rank}", f"{getattr(stats, rank):.1f}")
            for operation, stats in result.latency.items()
            for rank in ("p50", "p95", "p99")
        ),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": printable(value)})
    for name, tally in result.tallies.items():
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": name, "time": f"{tally.seconds:.3f}"})
        ET.SubElement(case, "system-out").text = f"passed {tally.passed}, failed {tally.failed}"
        if tally.failed:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": name, "message": f"{tally.failed} of {tally.passed + tally.failed} failed"},
            )
            failure.text = failure_text(result.failures_of(name), cassette)
        elif not tally.exercised:
            ET.SubElement(case, "skipped", {"message": NOT_EXERCISED})
    for name, reason in result.disabled.items():
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": name, "time": "0.000"})
        ET.SubElement(case, "skipped", {"message": printable(f"not run: {reason}")})
    if result.errors:
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": "run", "time": "0.000"})
        error = ET.SubElement(case, "error", {"message": "the run hit errors", "type": "error"})
        error.text = printable("\n".join(result.errors))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("oms_contract", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["printable"] = printable
    return environment


def _summary(result: ContractResult, cassette: Path | None) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("target", result.target),
        ("mode", result.mode),
        ("seed", result.seed),
        ("max examples", result.max_examples),
        ("rate", result.rate),
        ("request timeout", f"{result.request_timeout:g} s" if result.request_timeout else "default"),
        ("response-time budget", f"{result.max_response_time_ms:g} ms" if result.max_response_time_ms else "none"),
        ("cases", result.cases),
        ("pagination walk requests", result.walk_requests),
        ("lookup requests", result.lookup_requests),
        ("enum variant requests", result.variant_requests),
        ("throttling", result.throttling_summary()),
        ("time", f"{result.elapsed:.1f} s"),
        ("cases per second", f"{result.cases_per_second:.1f}"),
    ]
    if result.cassette is not None:
        rows.append(("cassette of the run", result.cassette))
    if cassette is not None:
        rows.append(("cassette of the failures", cassette))
    return rows


@dataclass(frozen=True)
class CheckFailures:
    """What the page shows of one failed check: its distinct failures (each with a replay command) and how many
    more there were."""

    name: str
    groups: list[tuple[FailureGroup, str | None]]
    more: int


def _check_failures(result: ContractResult, name: str, cassette: Path | None) -> CheckFailures:
    groups = group_failures(result.failures_of(name))
    shown = [
        (group, replay_command(cassette, group.case_ids[0]) if group.case_ids else None)
        for group in groups[:MAX_LISTED_GROUPS]
    ]
    return CheckFailures(name, shown, max(0, len(groups) - MAX_LISTED_GROUPS))


def html_report(result: ContractResult, cassette: Path | None = None) -> str:
    """A single HTML page with no outside resources: verdict, per-operation response times, per-check counts,
    and every failure with its exchange, curl lines and replay command."""
    template = _environment().get_template(TEMPLATE)
    return template.render(
        suite=SUITE_NAME,
        ok=result.ok,
        summary=_summary(result, cassette),
        operations=[(name, count, result.latency.get(name)) for name, count in result.operations.items()],
        untested=result.untested,
        checks=[(name, tally, check_verdict(tally)) for name, tally in result.tallies.items()],
        disabled=result.disabled,
        errors=result.errors,
        blocked=result.blocked,
        failures=[_check_failures(result, name, cassette) for name, t in result.tallies.items() if t.failed],
        token_variable=TOKEN_VARIABLE[1:],
    )


def write_reports(result: ContractResult, directory: Path) -> list[Path]:
    """Write the JUnit XML, the HTML page and (when anything failed) the failures cassette into the directory
    (created if needed); return their paths, and the run's cassette when it was recorded."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    cassette = None
    if result.failing_scenarios:
        cassette = write_cassette(
            result.failing_scenarios, directory / FAILURES_FILE, "vcr", seed=result.seed, secrets=result.secrets
        )
        written.append(cassette)
    junit = directory / JUNIT_FILE
    junit.write_bytes(junit_xml(result, cassette))
    page = directory / HTML_FILE
    page.write_text(html_report(result, cassette), encoding="utf-8")
    written = [junit, page, *written]
    if result.cassette is not None:
        written.append(result.cassette)
    return written
