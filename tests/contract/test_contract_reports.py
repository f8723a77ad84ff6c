"""Reports: JUnit XML and HTML written and well-formed, credentials kept out, curl lines that reproduce."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from contract_spec_variants import SHIPPED
from contract_variants import LISTING, PAGINATION, TOKEN_HEADER
from mock_server import variant_run

from oms_contract import CheckTally, ContractResult, FailureRecord, write_reports
from oms_contract.curl import TOKEN_VARIABLE, curl_line
from oms_contract.recording import FAILURES_FILE
from oms_contract.report import HTML_FILE, JUNIT_FILE, NOT_EXERCISED, html_report, junit_xml
from oms_mock import DEFAULT_TOKEN

LISTING_STATUS = PAGINATION.status


@pytest.fixture(scope="module")
def echoing_run() -> ContractResult:
    """A run against the variant that echoes the caller's token: failures whose requests carry the token."""
    return variant_run("token_echoed")


@pytest.fixture(scope="module")
def written(echoing_run: ContractResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("reports") / "nested" / "contract"
    write_reports(echoing_run, directory)
    return directory


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.sources += [value or "" for name, value in attrs if name in ("src", "href") and value]


def test_reports_are_written_into_a_new_directory(written: Path) -> None:
    assert (written / JUNIT_FILE).is_file()
    assert (written / HTML_FILE).is_file()


def test_junit_has_one_test_case_per_check_with_failures_where_checks_failed(
    written: Path, echoing_run: ContractResult
) -> None:
    root = ET.parse(written / JUNIT_FILE).getroot()
    cases = {case.get("name"): case for case in root.iter("testcase")}

    assert set(echoing_run.tallies) | set(echoing_run.disabled) <= set(cases)
    failed = {name for name, case in cases.items() if case.find("failure") is not None}
    assert failed == {name for name, tally in echoing_run.tallies.items() if tally.failed}
    assert "token_not_echoed" in failed
    assert {name for name, case in cases.items() if case.find("skipped") is not None} == set(echoing_run.disabled)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == str(len(failed))


def test_reports_never_contain_the_token(written: Path) -> None:
    for name in (JUNIT_FILE, HTML_FILE):
        assert DEFAULT_TOKEN not in (written / name).read_text(encoding="utf-8")


def test_failures_carry_curl_lines_with_the_token_as_a_variable(echoing_run: ContractResult, written: Path) -> None:
    curls = [failure.curl or "" for failure in echoing_run.failures_of("token_not_echoed")]

    assert curls and all(curl.startswith("curl ") for curl in curls)
    assert any(f'"{TOKEN_HEADER}: {TOKEN_VARIABLE}"' in curl for curl in curls)
    assert not any(DEFAULT_TOKEN in curl for curl in curls)
    junit = (written / JUNIT_FILE).read_text(encoding="utf-8")
    assert TOKEN_VARIABLE in junit


def test_html_report_is_self_contained_and_lists_each_check_with_counts(
    written: Path, echoing_run: ContractResult
) -> None:
    page = (written / HTML_FILE).read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)

    assert parser.tags[0] == "html" and "style" in parser.tags
    assert all(source.startswith("#") for source in parser.sources)
    for name, tally in echoing_run.tallies.items():
        assert f'<td class="n">{tally.passed}</td><td class="n">{tally.failed}</td>' in page.split(name, 1)[1]
    assert 'Verdict: <span class="fail">failed</span>' in page


def test_reports_name_the_operation_of_each_failure(written: Path, echoing_run: ContractResult) -> None:
    junit = ET.parse(written / JUNIT_FILE).getroot()
    failure = next(case for case in junit.iter("testcase") if case.get("name") == "token_not_echoed").find("failure")
    page = (written / HTML_FILE).read_text(encoding="utf-8")

    failed = {record.operation for record in echoing_run.failures_of("token_not_echoed")}
    assert LISTING.operation_id in failed and failed <= {operation.operation_id for operation in SHIPPED.operations}
    assert failure is not None and (failure.text or "").startswith(tuple(f"{operation}: " for operation in failed))
    assert all(f"<strong>{operation}: " in page for operation in failed)


def _result_with(message: str, curl: str) -> ContractResult:
    return ContractResult(
        target="http://127.0.0.1:1",
        seed=1,
        mode="all",
        max_examples=1,
        tallies={"some_check": CheckTally(passed=1, failed=1)},
        disabled={},
        failures=[FailureRecord("some_check", "<b>title</b>", message, 400, curl)],
        errors=["an error with \x01 in it"],
        cases=2,
        walk_requests=0,
        elapsed=0.5,
    )


def test_reports_stay_well_formed_with_control_characters_and_markup() -> None:
    result = _result_with("a NUL \x00 and <script>alert(1)</script>", "curl -X GET 'http://x/?q=%00'")

    root = ET.fromstring(junit_xml(result))
    page = html_report(result)

    failure = root.find(".//failure")
    assert failure is not None and "\\x00" in (failure.text or "")
    assert "<script>" not in page and "&lt;script&gt;" in page and "\\x00" in page


def test_curl_line_replaces_the_configured_token_with_a_variable() -> None:
    line = curl_line(
        "GET",
        "http://127.0.0.1:1/items?size=5",
        [(TOKEN_HEADER, "secret-token-value"), ("User-Agent", "schemathesis")],
        token_header=TOKEN_HEADER,
        secrets=["secret-token-value"],
    )

    assert "secret-token-value" not in line
    assert shlex.split(line) == [
        "curl",
        "-X",
        "GET",
        "-H",
        f"{TOKEN_HEADER}: {TOKEN_VARIABLE}",
        "http://127.0.0.1:1/items?size=5",
    ]


def test_curl_line_keeps_a_generated_token_and_quotes_shell_characters() -> None:
    url = "http://127.0.0.1:1/items?name=a'b&size=$(x)"
    line = curl_line("GET", url, [(TOKEN_HEADER, "it's $HOME")], token_header=TOKEN_HEADER)

    assert shlex.split(line) == ["curl", "-X", "GET", "-H", f"{TOKEN_HEADER}: it's $HOME", url]


def test_a_signed_request_is_reproduced_with_a_token_instead_of_the_expired_signature() -> None:
    line = curl_line(
        "GET",
        "https://api.example.com/items",
        [
            ("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc"),
            ("X-Sdk-Date", "20200608T023900Z"),
            ("Host", "api.example.com"),
            ("X-Project-Id", "p"),
        ],
        token_header=TOKEN_HEADER,
    )

    assert shlex.split(line) == [
        "curl",
        "-X",
        "GET",
        "-H",
        "X-Project-Id: p",
        "-H",
        f"{TOKEN_HEADER}: {TOKEN_VARIABLE}",
        "https://api.example.com/items",
    ]


def test_a_check_no_response_applied_to_is_reported_as_not_exercised_not_passed() -> None:
    result = _result_with("m", "curl -X GET 'http://x/'")
    result.tallies["filter_honoured"] = CheckTally(passed=0, failed=0)

    page = html_report(result)
    row = page.split("<td>filter_honoured</td>", 1)[1].split("</tr>", 1)[0]

    assert "passed" not in row and "no response it applies to" in row


def test_junit_marks_a_check_that_saw_nothing_it_applies_to_as_skipped_not_passed() -> None:
    result = _result_with("m", "curl -X GET 'http://x/'")
    result.tallies["filter_honoured"] = CheckTally(passed=0, failed=0)

    case = next(
        case for case in ET.fromstring(junit_xml(result)).iter("testcase") if case.get("name") == "filter_honoured"
    )

    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == NOT_EXERCISED


def test_junit_gives_each_check_the_time_of_the_exchanges_it_judged(written: Path, echoing_run: ContractResult) -> None:
    cases = {case.get("name"): case for case in ET.parse(written / JUNIT_FILE).getroot().iter("testcase")}

    times = {name: float(cases[name].get("time") or 0) for name in echoing_run.tallies}

    assert all(times[name] > 0 for name, tally in echoing_run.tallies.items() if tally.exercised)
    assert times["token_not_echoed"] == pytest.approx(echoing_run.tallies["token_not_echoed"].seconds, abs=1e-3)


def test_reports_show_the_response_of_each_failure(written: Path) -> None:
    junit = ET.parse(written / JUNIT_FILE).getroot()
    failure = next(case for case in junit.iter("testcase") if case.get("name") == "token_not_echoed").find("failure")
    page = (written / HTML_FILE).read_text(encoding="utf-8")

    assert failure is not None and f"\n< {LISTING_STATUS} " in (failure.text or "")
    assert '<pre class="exchange">&gt; GET ' in page and f"&lt; {LISTING_STATUS} " in page


def test_reports_give_each_failure_a_replay_command_for_the_failures_cassette(written: Path) -> None:
    junit = (written / JUNIT_FILE).read_text(encoding="utf-8")
    page = (written / HTML_FILE).read_text(encoding="utf-8")

    command = f"oms-contract replay {written / FAILURES_FILE} --id "
    assert (written / FAILURES_FILE).is_file()
    assert command in junit and command in page
    assert DEFAULT_TOKEN not in (written / FAILURES_FILE).read_text(encoding="utf-8")
