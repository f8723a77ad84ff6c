"""Reports of a contract run: JUnit XML for CI and a self-contained HTML summary for people."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from oms_contract.curl import TOKEN_VARIABLE
from oms_contract.results import CheckTally, ContractResult, FailureRecord

JUNIT_FILE = "junit.xml"
HTML_FILE = "report.html"
SUITE_NAME = "oms-contract"
# Distinct failures listed per check, and curl lines per distinct failure; the tallies count them all.
MAX_LISTED_GROUPS = 25
CURLS_PER_GROUP = 3

# Characters XML 1.0 cannot carry at all; generated requests may contain any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """The text with characters XML cannot carry shown as `\\xNN` escapes."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


@dataclass
class FailureGroup:
    """Failures of one check on one operation with the same title and message: how many, and requests showing it."""

    operation: str | None
    title: str
    message: str
    status_codes: list[int] = field(default_factory=list)
    curls: list[str] = field(default_factory=list)
    occurrences: int = 0


def group_failures(failures: list[FailureRecord]) -> list[FailureGroup]:
    """Failures grouped by operation, title and message, in the order first seen."""
    groups: dict[tuple[str | None, str, str], FailureGroup] = {}
    for failure in failures:
        key = (failure.operation, failure.title, failure.message)
        group = groups.setdefault(key, FailureGroup(*key))
        group.occurrences += 1
        if failure.status_code is not None and failure.status_code not in group.status_codes:
            group.status_codes.append(failure.status_code)
        if failure.curl and len(group.curls) < CURLS_PER_GROUP:
            group.curls.append(failure.curl)
    return list(groups.values())


def _group_heading(group: FailureGroup) -> str:
    statuses = f", status {', '.join(map(str, group.status_codes))}" if group.status_codes else ""
    operation = f"{group.operation}: " if group.operation else ""
    return f"{operation}{group.title} ({group.occurrences}x{statuses})"


def _failure_text(failures: list[FailureRecord]) -> str:
    groups = group_failures(failures)
    blocks = ["\n".join([_group_heading(group), group.message, *group.curls]) for group in groups[:MAX_LISTED_GROUPS]]
    if len(groups) > MAX_LISTED_GROUPS:
        blocks.append(f"... and {len(groups) - MAX_LISTED_GROUPS} more distinct failures")
    return printable("\n\n".join(blocks))


def junit_xml(result: ContractResult) -> bytes:
    """A JUnit XML document: one test case per check, failed when any response failed it."""
    failed = sum(1 for tally in result.tallies.values() if tally.failed)
    suite_attributes = {
        "name": SUITE_NAME,
        "tests": str(len(result.tallies) + len(result.disabled) + (1 if result.errors else 0)),
        "failures": str(failed),
        "errors": str(1 if result.errors else 0),
        "skipped": str(len(result.disabled)),
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
        ("cases", str(result.cases)),
        ("cases_per_second", f"{result.cases_per_second:.1f}"),
        *((f"cases.{operation}", str(count)) for operation, count in result.operations.items()),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": printable(value)})
    for name, tally in result.tallies.items():
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": name, "time": "0"})
        ET.SubElement(case, "system-out").text = f"passed {tally.passed}, failed {tally.failed}"
        if tally.failed:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": name, "message": f"{tally.failed} of {tally.passed + tally.failed} failed"},
            )
            failure.text = _failure_text(result.failures_of(name))
    for name, reason in result.disabled.items():
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": name, "time": "0"})
        ET.SubElement(case, "skipped", {"message": printable(reason)})
    if result.errors:
        case = ET.SubElement(suite, "testcase", {"classname": SUITE_NAME, "name": "run", "time": "0"})
        error = ET.SubElement(case, "error", {"message": "the run hit errors", "type": "error"})
        error.text = printable("\n".join(result.errors))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; } th, td { padding: .25rem .75rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #176b2c; } .fail { color: #b00020; font-weight: 600; } .skip { color: #777; }
pre { background: #f6f6f6; padding: .5rem .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.verdict { font-size: 1.1rem; }
"""


def _e(text: object) -> str:
    return html.escape(printable(str(text)))


def _check_row(name: str, tally: CheckTally) -> str:
    if tally.failed:
        verdict = '<span class="fail">failed</span>'
    elif tally.passed:
        verdict = '<span class="pass">passed</span>'
    else:  # a check that saw no response it applies to verified nothing
        verdict = '<span class="skip">not exercised: no response it applies to</span>'
    anchor = f'<a href="#check-{_e(name)}">{_e(name)}</a>' if tally.failed else _e(name)
    counts = f'<td class="n">{tally.passed}</td><td class="n">{tally.failed}</td>'
    return f"<tr><td>{anchor}</td>{counts}<td>{verdict}</td></tr>"


def _failure_section(name: str, failures: list[FailureRecord]) -> str:
    groups = group_failures(failures)
    parts = [f'<h3 id="check-{_e(name)}">{_e(name)}</h3>']
    for group in groups[:MAX_LISTED_GROUPS]:
        parts.append(f"<p><strong>{_e(_group_heading(group))}</strong></p><pre>{_e(group.message)}</pre>")
        parts += [f'<pre class="curl">{_e(curl)}</pre>' for curl in group.curls]
    if len(groups) > MAX_LISTED_GROUPS:
        parts.append(f"<p>... and {len(groups) - MAX_LISTED_GROUPS} more distinct failures</p>")
    return "\n".join(parts)


def html_report(result: ContractResult) -> str:
    """A single HTML page with no outside resources: verdict, per-check counts, failures with curl lines."""
    verdict = '<span class="pass">passed</span>' if result.ok else '<span class="fail">failed</span>'
    summary = [
        ("target", result.target),
        ("mode", result.mode),
        ("seed", result.seed),
        ("max examples", result.max_examples),
        ("cases", result.cases),
        ("pagination walk requests", result.walk_requests),
        ("lookup requests", result.lookup_requests),
        ("time", f"{result.elapsed:.1f} s"),
        ("cases per second", f"{result.cases_per_second:.1f}"),
    ]
    body = [
        f"<h1>Contract run: {_e(SUITE_NAME)}</h1>",
        f'<p class="verdict">Verdict: {verdict}</p>',
        "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in summary) + "</table>",
        "<h2>Operations</h2>",
        "<table><tr><th>operation</th><th>cases</th></tr>"
        + "".join(
            f'<tr><td>{_e(name)}</td><td class="n">{count}</td></tr>' for name, count in result.operations.items()
        )
        + "".join(
            f'<tr><td>{_e(name)}</td><td class="skip">not tested: {_e(reason)}</td></tr>'
            for name, reason in result.untested.items()
        )
        + "</table>",
        "<h2>Checks</h2>",
        "<table><tr><th>check</th><th>passed</th><th>failed</th><th></th></tr>"
        + "".join(_check_row(name, tally) for name, tally in result.tallies.items())
        + "".join(
            f'<tr><td>{_e(name)}</td><td class="n">-</td><td class="n">-</td>'
            f'<td class="skip">not run: {_e(reason)}</td></tr>'
            for name, reason in result.disabled.items()
        )
        + "</table>",
    ]
    if result.errors:
        body.append("<h2>Errors</h2>" + "".join(f"<pre>{_e(error)}</pre>" for error in result.errors))
    if result.blocked:
        body.append("<h2>Requests the safety policy blocked</h2>" + "<pre>" + _e("\n".join(result.blocked)) + "</pre>")
    failing = [name for name, tally in result.tallies.items() if tally.failed]
    if failing:
        body.append(
            "<h2>Failures</h2>"
            f"<p>Each curl line reproduces the request; set <code>{_e(TOKEN_VARIABLE[1:])}</code> first. "
            "Signed requests are shown with a token, since a signature expires within minutes.</p>"
        )
        body += [_failure_section(name, result.failures_of(name)) for name in failing]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(SUITE_NAME)} report</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_reports(result: ContractResult, directory: Path) -> list[Path]:
    """Write the JUnit XML and HTML reports into the directory (created if needed); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    junit = directory / JUNIT_FILE
    junit.write_bytes(junit_xml(result))
    page = directory / HTML_FILE
    page.write_text(html_report(result), encoding="utf-8")
    return [junit, page]
