"""Timeouts are on by default (connect 10 s, read/write/pool 30 s), configurable per client and per call."""

from __future__ import annotations

import socket

import httpx
import pytest
from oms_sync_client import DEFAULT_TIMEOUT, OmsClient, errors

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply


def timeouts_seen(fake: FakeOms) -> tuple[OmsClient, list[dict[str, float | None]]]:
    seen: list[dict[str, float | None]] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return fake.handle(request)

    http = httpx.Client(transport=httpx.MockTransport(recording))
    return OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, http_client=http), seen


def test_default_timeouts_are_10_seconds_to_connect_and_30_seconds_for_the_rest(fake: FakeOms) -> None:
    client, seen = timeouts_seen(fake)

    client.list_sync_tasks()

    assert seen == [{"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}]
    assert httpx.Timeout(30.0, connect=10.0) == DEFAULT_TIMEOUT


def test_a_number_sets_every_timeout_of_the_client(fake: FakeOms) -> None:
    client, seen = timeouts_seen(fake)
    client.timeout = httpx.Timeout(2.5)

    client.list_sync_tasks()

    assert seen == [{"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}]


def test_a_call_can_override_the_client_timeout(fake: FakeOms) -> None:
    client, seen = timeouts_seen(fake)

    client.list_sync_tasks(timeout=httpx.Timeout(5.0, read=1.0))
    client.list_sync_tasks()

    assert seen == [
        {"connect": 5.0, "read": 1.0, "write": 5.0, "pool": 5.0},
        {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0},
    ]


def test_none_disables_timeouts_for_a_call(fake: FakeOms) -> None:
    client, seen = timeouts_seen(fake)

    client.list_sync_tasks(timeout=None)

    assert seen == [{"connect": None, "read": None, "write": None, "pool": None}]


@pytest.mark.parametrize("timeout", [0, -1, "30", True])
def test_invalid_timeout_is_rejected(timeout: object) -> None:
    with pytest.raises(errors.ValidationError, match=r"^timeout must be a number of seconds > 0"):
        OmsClient(base_url="https://oms.test", token=TOKEN, timeout=timeout)  # type: ignore[arg-type]


def test_slow_server_raises_a_timeout_error_naming_the_read_timeout(
    local_server: LocalServer, live_fake: FakeOms
) -> None:
    live_fake.replies.append(Reply(200, {"tasks": [], "count": 0}, delay=1.0))

    with (
        OmsClient(
            base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN, timeout=0.2, max_retries=0
        ) as client,
        pytest.raises(errors.APITimeoutError) as caught,
    ):
        client.list_sync_tasks()

    assert str(caught.value).startswith("read timeout expired after 0.2 s (GET http://127.0.0.1:")


def test_refused_connection_raises_a_connection_error_after_retries(recorded_sleeps: list[float]) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed again before the client connects: nothing listens there

    with (
        OmsClient(base_url=f"http://127.0.0.1:{port}", project_id=PROJECT_ID, token=TOKEN) as client,
        pytest.raises(errors.APIConnectionError) as caught,
    ):
        client.list_sync_tasks()

    assert not isinstance(caught.value, errors.APITimeoutError)
    assert len(recorded_sleeps) == 2
