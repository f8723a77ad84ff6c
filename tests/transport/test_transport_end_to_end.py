"""`DefaultAioHttpClient` carries the async client's requests end to end against the mock."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx
from conftest import ACCESS_KEY, PROJECT_ID, SECRET_KEY, TOKEN, ListingNames
from oms_sync_client import DEFAULT_TIMEOUT, AsyncOmsClient, DefaultAioHttpClient, OmsClient
from oms_sync_client._base_client import USER_AGENT
from transport_servers import answer_ok, scripted_server


def sync_items(mock_url: str, listing: ListingNames) -> list[dict[str, Any]]:
    with OmsClient(base_url=mock_url, project_id=PROJECT_ID, token=TOKEN) as client:
        return [item.model_dump(mode="json") for item in getattr(client, listing.iterator)()]


async def async_items(
    mock_url: str,
    listing: ListingNames,
    max_concurrency: int,
    *,
    token: str | None = None,
    ak: str | None = None,
    sk: str | None = None,
) -> list[dict[str, Any]]:
    async with (
        DefaultAioHttpClient() as http_client,
        AsyncOmsClient(
            base_url=mock_url, project_id=PROJECT_ID, http_client=http_client, token=token, ak=ak, sk=sk
        ) as client,
    ):
        walk = getattr(client, listing.iterator)(page_size=listing.page_size, max_concurrency=max_concurrency)
        return [item.model_dump(mode="json") async for item in walk]


def test_async_walk_over_aiohttp_lists_what_the_sync_client_lists_in_order(
    mock_url: str, listing: ListingNames, mock_tasks: int
) -> None:
    expected = sync_items(mock_url, listing)
    listed = asyncio.run(async_items(mock_url, listing, max_concurrency=3, token=TOKEN))
    assert len(expected) == mock_tasks
    assert listed == expected


def test_requests_signed_with_aksk_over_aiohttp_are_accepted(
    mock_url: str, listing: ListingNames, mock_tasks: int
) -> None:
    listed = asyncio.run(async_items(mock_url, listing, max_concurrency=2, ak=ACCESS_KEY, sk=SECRET_KEY))
    assert len(listed) == mock_tasks


def test_user_agent_names_the_package_and_aiohttp() -> None:
    async def scenario() -> bytes:
        async with scripted_server(answer_ok) as (url, record), DefaultAioHttpClient() as http_client:
            (await http_client.get(url)).raise_for_status()
            return record.heads[0]

    head = asyncio.run(scenario()).decode("latin-1").lower()
    assert f"user-agent: {USER_AGENT} aiohttp/{aiohttp.__version__}".lower() in head


def test_timeouts_default_to_the_packages_timeouts() -> None:
    assert DefaultAioHttpClient().timeout == DEFAULT_TIMEOUT


def test_timeouts_and_headers_given_are_kept() -> None:
    client = DefaultAioHttpClient(timeout=httpx.Timeout(3.0), headers={"User-Agent": "mine"})
    assert client.timeout == httpx.Timeout(3.0)
    assert client.headers["User-Agent"] == "mine"
