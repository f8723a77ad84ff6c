"""Failures over aiohttp reach the caller as the package's errors, meaning what they would over httpx's pool."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from conftest import PROJECT_ID, TOKEN, ListingNames
from oms_sync_client import APIConnectionError, APITimeoutError, AsyncOmsClient, DefaultAioHttpClient
from transport_servers import OK_HEAD, Script, free_port, replies_then_close, scripted_server


async def one_call(base_url: str, listing: ListingNames, timeout: float = 5.0) -> None:
    """One call of the listing's method with no retries, over `DefaultAioHttpClient`."""
    async with (
        DefaultAioHttpClient() as http_client,
        AsyncOmsClient(
            base_url=base_url,
            project_id=PROJECT_ID,
            token=TOKEN,
            http_client=http_client,
            max_retries=0,
            timeout=timeout,
        ) as client,
    ):
        await getattr(client, listing.method)()


def failure_against(script: Script, listing: ListingNames, timeout: float = 5.0) -> APIConnectionError:
    async def scenario() -> None:
        async with scripted_server(script) as (url, _):
            await one_call(url, listing, timeout)

    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(scenario())
    return caught.value


def test_a_connection_dropped_before_the_answer_is_a_connection_error_not_a_timeout(listing: ListingNames) -> None:
    error = failure_against(replies_then_close(b""), listing)
    assert not isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)


def test_a_malformed_answer_is_a_connection_error(listing: ListingNames) -> None:
    error = failure_against(replies_then_close(b"HTTP/1.1 banana\r\n\r\n"), listing)
    assert not isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)


def test_a_body_cut_short_is_a_connection_error(listing: ListingNames) -> None:
    cut = OK_HEAD.replace(b"Content-Length: 2", b"Content-Length: 1000") + b"{"
    error = failure_against(replies_then_close(cut), listing)
    assert not isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)


def test_an_answer_slower_than_the_read_timeout_is_a_read_timeout(listing: ListingNames) -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: object) -> None:
        await asyncio.sleep(60)

    error = failure_against(never_answer, listing, timeout=0.2)
    assert isinstance(error, APITimeoutError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert "read timeout" in str(error)


def test_a_refused_connection_is_a_connection_error(listing: ListingNames) -> None:
    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(one_call(f"http://127.0.0.1:{free_port()}", listing))
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
