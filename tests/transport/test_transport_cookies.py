"""Cookies over `DefaultAioHttpClient`: one the server sets is sent back, as over httpx's own transport."""

from __future__ import annotations

import asyncio
import http.cookiejar

import pytest
from oms_sync_client import DefaultAioHttpClient
from transport_servers import Record, answer_ok, read_head, scripted_server

AFFINITY = b"affinity=node-7"


async def answer_setting_a_cookie(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Record) -> None:
    """Answer every request with `{}` and a Set-Cookie header."""
    while await read_head(reader, record):
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nSet-Cookie: " + AFFINITY + b"; Path=/\r\n"
            b"Content-Length: 2\r\n\r\n{}"
        )
        await writer.drain()


def test_a_cookie_the_server_sets_is_sent_with_the_next_request() -> None:
    async def two_gets() -> list[bytes]:
        async with scripted_server(answer_setting_a_cookie) as (url, record), DefaultAioHttpClient() as http_client:
            await http_client.get(url)
            await http_client.get(url)
            return record.heads

    first, second = asyncio.run(two_gets())
    assert b"cookie:" not in first.lower()
    assert b"cookie: " + AFFINITY in second.lower()


def test_a_response_without_set_cookie_never_reaches_the_cookie_jar(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[object] = []
    monkeypatch.setattr(http.cookiejar.CookieJar, "extract_cookies", lambda jar, response, request: handed.append(1))

    async def one_get() -> int:
        async with scripted_server(answer_ok) as (url, _), DefaultAioHttpClient() as http_client:
            return (await http_client.get(url)).status_code

    assert asyncio.run(one_get()) == 200
    assert handed == []
