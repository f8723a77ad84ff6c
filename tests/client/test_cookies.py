"""Cookies: one the service sets is kept and sent back, as httpx does; a response that sets none skips the jar."""

from __future__ import annotations

import asyncio
import http.cookiejar

import httpx
import pytest
from oms_sync_client import AsyncOmsClient, OmsClient

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply

AFFINITY = "affinity=node-7"
EMPTY_PAGE = {"tasks": [], "count": 0}


def test_a_cookie_the_service_sets_is_sent_with_the_next_request(local_server: LocalServer, live_fake: FakeOms) -> None:
    live_fake.replies.append(Reply(200, EMPTY_PAGE, {"Set-Cookie": f"{AFFINITY}; Path=/"}))
    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
        client.list_sync_tasks()
        client.list_sync_tasks()
    assert "cookie" not in live_fake.requests[0].headers
    assert live_fake.requests[1].headers["cookie"] == AFFINITY


def test_the_async_client_sends_back_a_cookie_the_service_sets(local_server: LocalServer, live_fake: FakeOms) -> None:
    live_fake.replies.append(Reply(200, EMPTY_PAGE, {"Set-Cookie": f"{AFFINITY}; Path=/"}))

    async def two_calls() -> None:
        async with AsyncOmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
            await client.list_sync_tasks()
            await client.list_sync_tasks()

    asyncio.run(two_calls())
    assert live_fake.requests[1].headers["cookie"] == AFFINITY


def test_a_response_without_set_cookie_never_reaches_the_cookie_jar(
    monkeypatch: pytest.MonkeyPatch, live_client: OmsClient, live_fake: FakeOms
) -> None:
    handed: list[object] = []
    monkeypatch.setattr(
        http.cookiejar.CookieJar, "extract_cookies", lambda jar, response, request: handed.append(response)
    )
    live_client.list_sync_tasks()
    assert live_fake.requests and handed == []


def test_an_http_client_passed_in_keeps_its_own_cookie_handling(local_server: LocalServer) -> None:
    with httpx.Client() as http_client:
        OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN, http_client=http_client)
        assert type(http_client.cookies) is httpx.Cookies
