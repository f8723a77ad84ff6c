"""Ways to list every item of a listing, each timed the same way: the vendor's loop, our clients, raw floors.

A lister is warmed up once (connections opened, first-call imports done), then `walk()` lists everything and
returns how many items (or, for the raw floors, pages) came back, which the caller checks against `expected`.
The async ones share one event loop (`LoopRunner`) that outlives the samples, as a user's application would.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncIterator, Coroutine, Iterator, Mapping
from typing import Any, Protocol, TypeVar

import httpx

from bench import ours, vendor_sdk
from bench.listing import Listing
from bench.settings import ACCESS_KEY, PROJECT_ID, SECRET_KEY, TOKEN

T = TypeVar("T")

AKSK = {"ak": ACCESS_KEY, "sk": SECRET_KEY}
TOKEN_HEADERS = {"X-Auth-Token": TOKEN}


class Lister(Protocol):
    """Lists everything once per `walk()`; `expected` is what a complete walk returns."""

    name: str
    expected: int

    def warm_up(self) -> None: ...

    def walk(self) -> int: ...

    def close(self) -> None: ...


class LoopRunner:
    """One event loop for every async lister, kept across samples (keep-alive connections survive)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()


def aiohttp_client_class() -> Any:
    """`DefaultAioHttpClient` of the generated package, or PartMissing when this package has none yet."""
    package: Any = ours.client_package()
    found = getattr(package, "DefaultAioHttpClient", None)
    if found is None:
        raise ours.PartMissing(
            f"the generated package at {package.__file__} has no DefaultAioHttpClient yet (regenerate it)"
        )
    return found


def default_max_concurrency() -> int:
    """The async iterators' default number of pages in flight, as the generated package sets it."""
    value: int = ours.client_package().DEFAULT_MAX_CONCURRENCY
    return value


class VendorLoop:
    """The vendor SDK (AK/SK) in the offset loop its users write."""

    def __init__(self, name: str, base_url: str, listing: Listing, expected: int) -> None:
        self.name, self.expected, self._listing = name, expected, listing
        self._client = vendor_sdk.vendor_client(base_url, PROJECT_ID, ACCESS_KEY, SECRET_KEY)

    def warm_up(self) -> None:
        self._client.list_sync_tasks(vendor_sdk.list_request(limit=self._listing.page_size))

    def walk(self) -> int:
        offset_max = self._listing.offsets(self.expected)[-1]
        return len(vendor_sdk.offset_loop(self._client, self._listing.page_size, offset_max))

    def close(self) -> None:
        self._client.close()


def count(items: Iterator[Any]) -> int:
    """How many items an iterator yields, holding none of them."""
    total = 0
    for _ in items:
        total += 1
    return total


async def acount(items: AsyncIterator[Any]) -> int:
    """How many items an async iterator yields, holding none of them."""
    total = 0
    async for _ in items:
        total += 1
    return total


class SyncWalk:
    """`OmsClient.iter_*` at the largest page size."""

    def __init__(self, name: str, base_url: str, listing: Listing, expected: int, **auth: str) -> None:
        self.name, self.expected, self._listing = name, expected, listing
        package: Any = ours.client_package()
        self.client = package.OmsClient(base_url=base_url, project_id=PROJECT_ID, **auth)

    def warm_up(self) -> None:
        getattr(self.client, self._listing.method)(**{self._listing.limit: self._listing.page_size})

    def items(self) -> Iterator[Any]:
        iterator: Iterator[Any] = getattr(self.client, self._listing.iterator)(page_size=self._listing.page_size)
        return iterator

    def walk(self) -> int:
        return count(self.items())

    def close(self) -> None:
        self.client.close()


class AsyncWalk:
    """`AsyncOmsClient.iter_*` at the largest page size, over httpx's pool or over `DefaultAioHttpClient`.

    `max_concurrency=None` leaves the iterator at its default.
    """

    def __init__(
        self,
        name: str,
        runner: LoopRunner,
        base_url: str,
        listing: Listing,
        expected: int,
        *,
        aiohttp: bool,
        auth: Mapping[str, str],
        max_concurrency: int | None = None,
    ) -> None:
        self.name, self.expected, self._listing, self._runner = name, expected, listing, runner
        package: Any = ours.client_package()
        self.http_client = aiohttp_client_class()() if aiohttp else None
        self.client = package.AsyncOmsClient(
            base_url=base_url, project_id=PROJECT_ID, http_client=self.http_client, **auth
        )
        self._options: dict[str, int] = {"page_size": listing.page_size}
        if max_concurrency is not None:
            self._options["max_concurrency"] = max_concurrency

    def warm_up(self) -> None:
        self._runner.run(getattr(self.client, self._listing.method)(**{self._listing.limit: self._listing.page_size}))

    def items(self) -> AsyncIterator[Any]:
        iterator: AsyncIterator[Any] = getattr(self.client, self._listing.iterator)(**self._options)
        return iterator

    def walk(self) -> int:
        return self._runner.run(acount(self.items()))

    def close(self) -> None:
        self._runner.run(self._aclose())

    async def _aclose(self) -> None:
        await self.client.aclose()
        if self.http_client is not None:
            await self.http_client.aclose()


def presigned_headers(url: str) -> dict[str, str]:
    """The AK/SK headers of a GET of `url`, signed now (the mock accepts them for 15 minutes of clock skew).

    Only the project header, the date and the host are signed, so whatever else a bare client adds (Accept,
    User-Agent ...) leaves the signature valid. Replaying them costs the server a verification and the client
    no signing: the floor for AK/SK requests.
    """
    package: Any = ours.client_package()
    request = httpx.Request("GET", url, headers={"X-Project-Id": PROJECT_ID})
    package.SdkHmacSha256Auth(ACCESS_KEY, SECRET_KEY).sign(request)
    return {name: value for name, value in request.headers.items() if name != "host"}


class RawFloor:
    """Every page fetched by a bare client with `in_flight` requests at once, bodies read but not parsed.

    Requests carry AK/SK headers signed beforehand (`presigned_headers`), so the server does the work it does for
    our signed requests while the floor's client does none.
    """

    def __init__(
        self,
        name: str,
        runner: LoopRunner,
        base_url: str,
        listing: Listing,
        tasks: int,
        *,
        aiohttp: bool,
        in_flight: int,
    ) -> None:
        self.name, self._runner, self._in_flight = name, runner, in_flight
        urls = [base_url + listing.page_path(PROJECT_ID, offset) for offset in listing.offsets(tasks)]
        self._requests = [(url, presigned_headers(url)) for url in urls]
        self.expected = len(self._requests)
        self._aiohttp = aiohttp
        self._session: Any = None
        self._httpx = httpx.AsyncClient(limits=httpx.Limits(max_connections=in_flight))

    async def _get(self, url: str, headers: dict[str, str]) -> int:
        """One GET; 1 when it answered 200 with a body."""
        if self._aiohttp:
            if self._session is None:
                aiohttp: Any = importlib.import_module("aiohttp")
                self._session = aiohttp.ClientSession()
            async with self._session.get(url, headers=headers) as response:
                body = await response.read()
                return int(response.status == 200 and bool(body))
        answer = await self._httpx.get(url, headers=headers)
        return int(answer.status_code == 200 and bool(answer.content))

    async def _walk(self) -> int:
        pending = iter(self._requests)  # shared by the workers: each takes the next request when it is free

        async def worker() -> int:
            return sum([await self._get(url, headers) for url, headers in pending])

        return sum(await asyncio.gather(*(worker() for _ in range(self._in_flight))))

    def warm_up(self) -> None:
        self._runner.run(self._get(*self._requests[0]))

    def walk(self) -> int:
        return self._runner.run(self._walk())

    def close(self) -> None:
        self._runner.run(self._aclose())

    async def _aclose(self) -> None:
        await self._httpx.aclose()
        if self._session is not None:
            await self._session.close()
