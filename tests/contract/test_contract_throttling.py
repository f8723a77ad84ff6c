"""Throttling: 429/503 answers with Retry-After are waited out and retried within a bound, counted as throttling and
never reported as a contract failure; the automatic rate follows the server's throttling."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
from contract_harness import REFERENCE_AUTH, run_in_process
from planted_bugs import GATEWAY_THROTTLE
from reference_server import ReferenceServer
from schemathesis.core.transport import Response

from oms_contract import SafetyPolicy
from oms_contract.known_issues import filter_failure
from oms_contract.ratelimit import MIN_AUTO_RATE, RECOVERY_ANSWERS, RECOVERY_FACTOR, AdaptiveRateLimiter
from oms_contract.safety import RequestGate
from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_contract.throttling import (
    MAX_THROTTLE_RETRIES,
    MAX_THROTTLE_WAIT,
    retry_after_seconds,
    throttle_delay,
)
from oms_contract.transport import RunTransport

NOW = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
URL = "http://127.0.0.1:1/items"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1", 1.0), (" 2.5 ", 2.5), ("0", 0.0), (format_datetime(NOW + timedelta(seconds=7), usegmt=True), 7.0)],
)
def test_retry_after_is_read_as_seconds_or_as_an_http_date(value: str, seconds: float) -> None:
    assert retry_after_seconds(value, NOW) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["soon", "-1", "nan", ""])
def test_a_retry_after_that_is_neither_form_is_not_a_delay(value: str) -> None:
    assert retry_after_seconds(value, NOW) is None


@pytest.mark.parametrize(
    ("status", "headers", "throttling"),
    [
        (429, [("Retry-After", "1")], True),
        (503, [("retry-after", "1")], True),
        (429, [], False),
        (500, [("Retry-After", "1")], False),
        (200, [("Retry-After", "1")], False),
    ],
)
def test_only_a_429_or_503_with_retry_after_is_throttling(
    status: int, headers: list[tuple[str, str]], throttling: bool
) -> None:
    assert (throttle_delay(status, headers) is not None) is throttling


def _answer(status: int, retry_after: str | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    response._content = b"{}"
    response.raw = io.BytesIO(b"")
    return response


def _transport(sleeps: list[float]) -> RunTransport:
    gate = RequestGate(SafetyPolicy(read_only=False, rate_per_second=None), ())
    return RunTransport(gate, sleep=sleeps.append)


def _sender(answers: list[requests.Response]) -> Callable[..., requests.Response]:
    def original(session: Any, request: Any, **kwargs: Any) -> requests.Response:
        return answers.pop(0)

    return original


def _request() -> requests.PreparedRequest:
    return requests.Request("GET", URL).prepare()


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_answers_are_waited_out_and_the_request_sent_again(status: int) -> None:
    sleeps: list[float] = []
    transport = _transport(sleeps)
    answers = [_answer(status, "1"), _answer(status, "2"), _answer(200)]

    response = transport.send(_sender(answers), requests.Session(), _request())

    assert response.status_code == 200
    assert sleeps == [1.0, 2.0]
    assert transport.throttle.waited == {status: 2} and transport.throttle.seconds == 3.0
    assert transport.throttle.errors() == []


def test_a_request_still_throttled_past_the_bound_is_a_run_error_not_a_retry_forever() -> None:
    sleeps: list[float] = []
    transport = _transport(sleeps)
    answers = [_answer(429, "0") for _ in range(MAX_THROTTLE_RETRIES + 1)]

    response = transport.send(_sender(answers), requests.Session(), _request())

    assert response.status_code == 429 and not answers
    assert len(sleeps) == MAX_THROTTLE_RETRIES
    (error,) = transport.throttle.errors()
    assert error.startswith("the server kept throttling: 1 requests got no answer") and URL in error


def test_a_retry_after_beyond_the_longest_wait_is_not_waited_out() -> None:
    sleeps: list[float] = []
    transport = _transport(sleeps)

    response = transport.send(_sender([_answer(429, str(MAX_THROTTLE_WAIT * 10))]), requests.Session(), _request())

    assert response.status_code == 429 and sleeps == []
    assert "asking for" in transport.throttle.gave_up[0]


def test_a_failure_on_a_throttling_answer_is_dropped_not_reported() -> None:
    request = _request()
    throttled = Response(429, {"retry-after": ["1"]}, b"{}", request, 0.0, True)
    refused = Response(401, {}, b"{}", request, 0.0, True)

    assert filter_failure(None, None, None, throttled) is False  # type: ignore[arg-type]
    assert filter_failure(None, None, None, refused) is True  # type: ignore[arg-type]


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_automatic_rate_halves_on_throttling_and_recovers_after_answers_in_a_row() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(8.0, clock=clock, sleep=clock.sleep)

    limiter.throttled(1.0)
    halved = limiter.per_second
    for _ in range(RECOVERY_ANSWERS):
        limiter.answered()

    assert halved == 4.0
    assert limiter.per_second == pytest.approx(4.0 * RECOVERY_FACTOR)


def test_an_unpaced_automatic_rate_starts_from_half_the_rate_it_ran_at() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(None, clock=clock, sleep=clock.sleep)
    for _ in range(11):
        limiter.acquire()
        clock.now += 0.05  # 20 requests/s

    limiter.throttled(0.0)

    assert limiter.per_second == pytest.approx(10.0)


def test_the_automatic_rate_never_goes_below_its_floor() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(MIN_AUTO_RATE, clock=clock, sleep=clock.sleep)

    limiter.throttled(0.0)

    assert limiter.per_second == MIN_AUTO_RATE


def test_nothing_starts_before_a_throttling_wait_is_over() -> None:
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(50.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()

    limiter.throttled(1.0)
    waited = limiter.acquire()

    assert waited == pytest.approx(1.0)


def test_a_correct_server_that_throttles_like_the_gateway_passes_and_the_waits_are_reported() -> None:
    # The gateway's answer, to every 25th request: the same waits however fast the machine is.
    throttle = dataclasses.replace(GATEWAY_THROTTLE, per_second=None, every=25)
    server = ReferenceServer(DEFAULT_SPEC_PATH, throttle=throttle)

    result = run_in_process(server, REFERENCE_AUTH, max_examples=2, mode="positive")

    assert result.failures == [] and result.errors == []
    assert server.throttled > 0
    assert result.throttled == {throttle.status: server.throttled}
    assert result.throttle_seconds >= server.throttled * float(throttle.retry_after)
