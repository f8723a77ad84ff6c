"""Retries: transient failures are retried with exponential backoff and jitter, honouring Retry-After up to a cap."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from oms_sync_client import AsyncOmsClient, Backoff, OmsClient, errors
from oms_sync_client._retries import delay_after_error, delay_after_response, parse_retry_after

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
ERROR_BODY = {"error_code": "APIG.0308", "error_msg": "The request is throttled."}


def fail_then_succeed(fake: FakeOms, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
    for _ in range(times):
        fake.replies.append(Reply(status, ERROR_BODY, headers or {}))


def test_backoff_doubles_with_each_retry_up_to_the_maximum() -> None:
    backoff = Backoff(initial_delay=0.5, max_delay=3.0, jitter=0.25)

    assert [backoff.backoff(n, random_fraction=0.0) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_jitter_shortens_a_wait_by_at_most_the_jitter_fraction() -> None:
    backoff = Backoff(initial_delay=1.0, jitter=0.25)

    assert backoff.backoff(0, random_fraction=0.999999) == pytest.approx(0.75, abs=1e-5)
    assert backoff.backoff(0, random_fraction=0.5) == pytest.approx(0.875)


def test_retry_after_in_seconds_is_used_as_the_wait() -> None:
    assert Backoff().delay_for_response(0, "7", NOW, random_fraction=0.5) == 7.0


def test_retry_after_as_an_http_date_is_used_as_the_wait() -> None:
    header = format_datetime(NOW + timedelta(seconds=12), usegmt=True)

    assert Backoff().delay_for_response(0, header, NOW, random_fraction=0.5) == 12.0


def test_retry_after_in_the_past_means_retry_at_once() -> None:
    assert parse_retry_after(format_datetime(NOW - timedelta(minutes=1), usegmt=True), NOW) == 0.0


def test_retry_after_beyond_the_cap_is_not_waited_for() -> None:
    assert Backoff(max_retry_after=60).delay_for_response(0, "61", NOW, random_fraction=0.5) is None


def test_unreadable_retry_after_falls_back_to_backoff() -> None:
    backoff = Backoff(initial_delay=0.5, jitter=0.0)

    assert backoff.delay_for_response(1, "soon", NOW, random_fraction=0.5) == 1.0


def test_backoff_settings_out_of_range_are_rejected() -> None:
    with pytest.raises(errors.ValidationError, match="jitter must be between 0 and 1, got 2"):
        Backoff(jitter=2)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_until_success(
    client: OmsClient, fake: FakeOms, recorded_sleeps: list[float], status: int
) -> None:
    fail_then_succeed(fake, status, times=2)

    page = client.list_sync_tasks()

    assert page.count == 25
    assert len(fake.requests) == 3
    assert len(recorded_sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403])
def test_client_errors_are_never_retried(client: OmsClient, fake: FakeOms, status: int) -> None:
    fail_then_succeed(fake, status)

    with pytest.raises(errors.APIError):
        client.list_sync_tasks(max_retries=5)

    assert len(fake.requests) == 1


def test_retries_stop_after_max_retries_and_raise_the_last_error(client: OmsClient, fake: FakeOms) -> None:
    fail_then_succeed(fake, 503, times=3, headers={"X-Request-Id": "last"})

    with pytest.raises(errors.ServerError):
        client.list_sync_tasks()

    assert len(fake.requests) == 3  # the first attempt and the default 2 retries


def test_max_retries_set_on_the_client_applies_to_every_call(fake: FakeOms) -> None:
    fail_then_succeed(fake, 503, times=5)
    http = httpx.Client(transport=fake.client_transport())
    client = OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, max_retries=4, http_client=http)

    with pytest.raises(errors.ServerError):
        client.list_sync_tasks()

    assert len(fake.requests) == 5


def test_max_retries_can_be_overridden_for_one_call(client: OmsClient, fake: FakeOms) -> None:
    fail_then_succeed(fake, 503, times=1)

    with pytest.raises(errors.ServerError):
        client.list_sync_tasks(max_retries=0)

    assert len(fake.requests) == 1


def test_invalid_max_retries_is_rejected(client: OmsClient) -> None:
    with pytest.raises(errors.ValidationError, match="max_retries must be an integer >= 0, got -1"):
        client.list_sync_tasks(max_retries=-1)


def test_waits_grow_exponentially_between_attempts(
    client: OmsClient, fake: FakeOms, recorded_sleeps: list[float]
) -> None:
    client.backoff = Backoff(initial_delay=0.5, jitter=0.25)
    fail_then_succeed(fake, 502, times=2)

    client.list_sync_tasks()

    assert 0.375 <= recorded_sleeps[0] <= 0.5
    assert 0.75 <= recorded_sleeps[1] <= 1.0


def test_retry_after_from_the_server_sets_the_wait(
    client: OmsClient, fake: FakeOms, recorded_sleeps: list[float]
) -> None:
    fail_then_succeed(fake, 429, headers={"Retry-After": "3"})

    client.list_sync_tasks()

    assert recorded_sleeps == [3.0]


def test_retry_after_beyond_the_cap_raises_at_once_carrying_the_wait(
    client: OmsClient, fake: FakeOms, recorded_sleeps: list[float]
) -> None:
    fail_then_succeed(fake, 429, headers={"Retry-After": "3600"})

    with pytest.raises(errors.RateLimitError) as caught:
        client.list_sync_tasks()

    assert caught.value.retry_after == 3600.0
    assert (len(fake.requests), recorded_sleeps) == (1, [])


def test_connection_errors_are_retried() -> None:
    attempts: list[httpx.Request] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        if len(attempts) == 1:
            raise httpx.ConnectError("connection refused")
        return httpx.Response(200, json={"tasks": [], "count": 0})

    client = OmsClient(
        base_url="https://oms.test",
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(flaky)),
    )

    assert client.list_sync_tasks().count == 0
    assert len(attempts) == 2


def test_timeouts_are_retried_then_raised() -> None:
    attempts: list[httpx.Request] = []

    def slow(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ReadTimeout("read timed out", request=request)

    client = OmsClient(
        base_url="https://oms.test",
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(slow)),
    )

    with pytest.raises(errors.APITimeoutError):
        client.list_sync_tasks()
    assert len(attempts) == 3


def test_local_protocol_errors_are_not_retried() -> None:
    attempts: list[httpx.Request] = []

    def broken(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.LocalProtocolError("illegal request")

    client = OmsClient(
        base_url="https://oms.test",
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(broken)),
    )

    with pytest.raises(errors.APIConnectionError):
        client.list_sync_tasks()
    assert len(attempts) == 1


def test_async_client_retries_transient_statuses(
    async_client: AsyncOmsClient, fake: FakeOms, recorded_sleeps: list[float]
) -> None:
    fail_then_succeed(fake, 503, headers={"Retry-After": "1"})

    page = asyncio.run(async_client.list_sync_tasks())

    assert page.count == 25
    assert recorded_sleeps == [1.0]


def test_real_server_503_is_retried(local_server: LocalServer, live_fake: FakeOms) -> None:
    fail_then_succeed(live_fake, 503, headers={"Retry-After": "0"})

    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
        page = client.list_sync_tasks()

    assert page.count == 25
    assert len(live_fake.requests) == 2


def _failure(cause: Exception, request: httpx.Request) -> errors.APIConnectionError:
    error = errors.APIConnectionError("connection failed", method=request.method, url=str(request.url))
    error.__cause__ = cause
    return error


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_request_that_must_not_be_repeated_is_retried_only_when_it_surely_never_reached_the_server(
    method: str,
) -> None:
    request = httpx.Request(method, "https://oms.test/v2/p/items")
    backoff = Backoff(jitter=0)

    refused = delay_after_error(
        backoff, _failure(httpx.ConnectError("refused", request=request), request), 0, 2, method
    )
    lost = delay_after_error(backoff, _failure(httpx.ReadError("reset", request=request), request), 0, 2, method)
    read_timeout = errors.APITimeoutError("read timeout", method=method)
    read_timeout.__cause__ = httpx.ReadTimeout("slow", request=request)

    assert refused is not None
    assert lost is None
    assert delay_after_error(backoff, read_timeout, 0, 2, method) is None


@pytest.mark.parametrize(("status", "retried"), [(429, True), (503, True), (500, False), (502, False), (504, False)])
def test_a_request_that_must_not_be_repeated_is_retried_only_when_the_gateway_turned_it_away(
    status: int, retried: bool
) -> None:
    response = httpx.Response(status, request=httpx.Request("POST", "https://oms.test/v2/p/items"))

    assert (delay_after_response(Backoff(jitter=0), response, 0, 2) is not None) == retried


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_idempotent_request_is_retried_after_a_lost_answer_and_a_server_error(method: str) -> None:
    request = httpx.Request(method, "https://oms.test/v2/p/items")
    lost = _failure(httpx.ReadError("reset", request=request), request)

    assert delay_after_error(Backoff(jitter=0), lost, 0, 2, method) is not None
    assert delay_after_response(Backoff(jitter=0), httpx.Response(502, request=request), 0, 2) is not None
