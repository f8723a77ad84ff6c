"""What reports show of an exchange: the request and the response with headers and a readable body, secrets
redacted; curl lines without generator noise and without repeats."""

from __future__ import annotations

import json
import shlex

from contract_variants import TOKEN_HEADER

from oms_contract import FailureRecord
from oms_contract.curl import REDACTED, curl_line, without_generator_noise
from oms_contract.exchanges import MAX_BODY_CHARS, Exchange, ReceivedResponse, SentRequest, body_excerpt, exchange_text
from oms_contract.report import group_failures

SECRET = "secret-token-value"
URL = "http://127.0.0.1:1/items?size=5"


def _exchange(body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> Exchange:
    request = SentRequest("GET", URL, ((TOKEN_HEADER, SECRET), ("User-Agent", "schemathesis/4"), ("X-Trace", "t1")))
    response = ReceivedResponse(
        500, "Internal Server Error", (("content-type", "application/json"), *headers), body, 0.0123
    )
    return Exchange(request, response, "case-1")


def test_the_exchange_shows_the_request_and_the_status_headers_and_body_of_the_response() -> None:
    text = exchange_text(_exchange(b'{"a": 1}', (("x-request-id", "r-9"),)), token_header=TOKEN_HEADER)

    assert text.splitlines()[0] == f"> GET {URL}"
    assert "> X-Trace: t1" in text and "User-Agent" not in text
    assert "< 500 Internal Server Error (12.3 ms)" in text
    assert "< x-request-id: r-9" in text
    assert text.endswith(json.dumps({"a": 1}, indent=2))


def test_credentials_in_the_exchange_are_redacted_wherever_they_appear() -> None:
    exchange = _exchange(json.dumps({"echo": SECRET}).encode(), (("x-debug", f"caller {SECRET}"),))

    text = exchange_text(exchange, token_header=TOKEN_HEADER, secrets=[SECRET])

    assert SECRET not in text
    assert f"> {TOKEN_HEADER}: {REDACTED}" in text and f"caller {REDACTED}" in text


def test_an_empty_body_says_so() -> None:
    assert exchange_text(_exchange(b""), token_header=TOKEN_HEADER).endswith("(empty body)")


def test_a_long_body_is_cut_to_a_readable_length_with_the_rest_counted() -> None:
    body = b"x" * (MAX_BODY_CHARS + 50)

    excerpt = body_excerpt(body)

    assert excerpt.startswith("x" * MAX_BODY_CHARS) and excerpt.endswith("... (50 more characters)")


def test_a_request_that_got_no_answer_says_so() -> None:
    exchange = Exchange(SentRequest("GET", URL, ()), None)

    assert exchange_text(exchange, token_header=TOKEN_HEADER).endswith("< (no response)")


def test_generator_noise_is_left_out_of_the_url_and_other_parameters_stay_as_sent() -> None:
    noisy = "http://127.0.0.1:1/items?size=5&x-schemathesis-unknown-property=42&name=a%20b"

    assert without_generator_noise(noisy) == "http://127.0.0.1:1/items?size=5&name=a%20b"
    assert without_generator_noise(URL) == URL


def test_a_curl_line_about_an_undeclared_parameter_keeps_it() -> None:
    noisy = f"{URL}&x-schemathesis-unknown-property=42"

    kept = shlex.split(curl_line("GET", noisy, [], token_header=TOKEN_HEADER, keep_generator_noise=True))
    dropped = shlex.split(curl_line("GET", noisy, [], token_header=TOKEN_HEADER))

    assert kept[-1] == noisy and dropped[-1] == URL


def test_curl_lines_repeated_within_a_failure_group_are_shown_once() -> None:
    curl = f"curl -X GET '{URL}'"
    failures = [FailureRecord("c", "t", "m", 400, curl) for _ in range(3)] + [FailureRecord("c", "t", "m", 400, "o")]

    (group,) = group_failures(failures)

    assert group.curls == [curl, "o"] and group.occurrences == 4
