"""Logging: one line per request on the `oms_sync_client` logger, credentials redacted, retries at INFO."""

from __future__ import annotations

import logging

import pytest
from oms_sync_client import OmsClient

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply


def test_each_request_is_logged_with_method_url_status_request_id_and_elapsed_time(
    client: OmsClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="oms_sync_client"):
        client.list_sync_tasks(limit=5)

    [record] = [r for r in caplog.records if r.name == "oms_sync_client"]
    message = record.getMessage()
    assert record.levelno == logging.DEBUG
    assert message.startswith(
        f"GET https://oms.test/v2/{PROJECT_ID}/sync-tasks?limit=5&offset=0 -> 200 (request id req-1) in "
    )
    assert " ms; request headers " in message


def test_token_is_redacted_in_logs(client: OmsClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="oms_sync_client"):
        client.list_sync_tasks()

    assert TOKEN not in caplog.text
    assert "'x-auth-token': '[redacted]'" in caplog.text


def test_signature_is_redacted_in_logs(
    local_server: LocalServer, live_fake: FakeOms, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.DEBUG, logger="oms_sync_client"),
        OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, ak="AK-log", sk="SK-log-secret") as client,
    ):
        client.list_sync_tasks()

    signature = live_fake.requests[0].headers["authorization"].rsplit("Signature=", 1)[1]
    assert signature not in caplog.text and "SK-log-secret" not in caplog.text
    assert "'authorization': '[redacted]'" in caplog.text


def test_retries_are_logged_at_info_with_the_reason(
    client: OmsClient, fake: FakeOms, caplog: pytest.LogCaptureFixture
) -> None:
    fake.replies.append(Reply(503, {"error_code": "X", "error_msg": "busy"}, {"Retry-After": "2"}))

    with caplog.at_level(logging.INFO, logger="oms_sync_client"):
        client.list_sync_tasks()

    [record] = [r for r in caplog.records if r.levelno == logging.INFO]
    assert record.getMessage().endswith("failed (HTTP 503); retry 1 of 2 in 2.00 s")


def test_nothing_is_logged_below_the_configured_level(client: OmsClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="oms_sync_client"):
        client.list_sync_tasks()

    assert [r for r in caplog.records if r.name == "oms_sync_client"] == []
