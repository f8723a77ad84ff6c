"""`DefaultAioHttpClient`'s connection pool: `limits` reach aiohttp, connections are reused and closed."""

from __future__ import annotations

import asyncio
import inspect

import aiohttp
import httpx
from oms_sync_client import DefaultAioHttpClient
from transport_servers import Record, answer_ok, delayed_ok, hold_until_open, scripted_server

ANSWER_WAIT_S = 5.0


async def parallel_gets(http_client: httpx.AsyncClient, url: str, count: int) -> list[int]:
    answers = await asyncio.wait_for(
        asyncio.gather(*(http_client.get(url) for _ in range(count))), timeout=ANSWER_WAIT_S
    )
    return [answer.status_code for answer in answers]


def test_max_connections_caps_the_connections_open_at_once() -> None:
    async def scenario() -> tuple[list[int], Record]:
        async with (
            scripted_server(delayed_ok(0.05)) as (url, record),
            DefaultAioHttpClient(limits=httpx.Limits(max_connections=2)) as http_client,
        ):
            return await parallel_gets(http_client, url, 6), record

    statuses, record = asyncio.run(scenario())
    assert statuses == [200] * 6
    assert record.most_open == 2


def test_default_limits_let_many_requests_be_in_flight_at_once() -> None:
    in_flight = 32  # well past the point where httpx's own async pool stops scaling

    async def scenario() -> list[int]:
        async with scripted_server(hold_until_open(in_flight)) as (url, _), DefaultAioHttpClient() as http_client:
            return await parallel_gets(http_client, url, in_flight)

    assert asyncio.run(scenario()) == [200] * in_flight


def test_max_connections_none_lifts_aiohttps_own_cap() -> None:
    aiohttp_default: int = inspect.signature(aiohttp.TCPConnector).parameters["limit"].default
    in_flight = aiohttp_default + 1

    async def scenario() -> list[int]:
        async with (
            scripted_server(hold_until_open(in_flight)) as (url, _),
            DefaultAioHttpClient(limits=httpx.Limits(max_connections=None)) as http_client,
        ):
            return await parallel_gets(http_client, url, in_flight)

    assert asyncio.run(scenario()) == [200] * in_flight


def test_connections_are_reused_between_requests() -> None:
    async def scenario() -> Record:
        async with scripted_server(answer_ok) as (url, record), DefaultAioHttpClient() as http_client:
            for _ in range(3):
                (await http_client.get(url)).raise_for_status()
            return record

    record = asyncio.run(scenario())
    assert len(record.heads) == 3
    assert record.opened == 1


def test_an_idle_connection_is_dropped_after_keepalive_expiry() -> None:
    expiry = 0.2

    async def scenario() -> Record:
        async with (
            scripted_server(answer_ok) as (url, record),
            DefaultAioHttpClient(limits=httpx.Limits(keepalive_expiry=expiry)) as http_client,
        ):
            (await http_client.get(url)).raise_for_status()
            await asyncio.sleep(expiry * 3)
            (await http_client.get(url)).raise_for_status()
            return record

    assert asyncio.run(scenario()).opened == 2


def test_closing_the_client_closes_its_connections() -> None:
    async def scenario() -> tuple[int, int]:
        async with scripted_server(answer_ok) as (url, record):
            http_client = DefaultAioHttpClient()
            (await http_client.get(url)).raise_for_status()
            open_before = record.open_now
            await http_client.aclose()
            for _ in range(100):  # the server sees the close a moment later
                if record.open_now == 0:
                    break
                await asyncio.sleep(0.01)
            return open_before, record.open_now

    assert asyncio.run(scenario()) == (1, 0)


def test_closing_a_client_that_sent_nothing_is_harmless() -> None:
    async def scenario() -> bool:
        http_client = DefaultAioHttpClient()
        await http_client.aclose()
        return http_client.is_closed

    assert asyncio.run(scenario())
