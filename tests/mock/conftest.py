"""Fixtures for the mock server's tests: apps over small data sets, raw ASGI calls, the vendor's signer.

What the tests expect of the spec (names, limits, enums) comes from `spec_facts`, read through `oms_spec`.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from spec_facts import SERVED, TOKEN_HEADER
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, MockConfig, ServedSpec, create_app


@pytest.fixture(scope="session")
def served() -> ServedSpec:
    """The repository's spec as the mock reads it."""
    return SERVED


@pytest.fixture(scope="session")
def app_1000() -> Starlette:
    """A mock over 1000 seeded tasks (seed 0), shared by read-only tests."""
    return create_app(MockConfig(tasks=1000, seed=0))


class InProcessTransport(httpx.BaseTransport):
    """A synchronous httpx transport that hands each request to an ASGI app on a fresh event loop."""

    def __init__(self, app: Starlette) -> None:
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def roundtrip() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

        return asyncio.run(roundtrip())


@pytest.fixture
def client_for() -> Iterator[Callable[[Starlette], httpx.Client]]:
    """Make in-process HTTP clients for apps; closed after the test."""
    clients: list[httpx.Client] = []

    def make(app: Starlette) -> httpx.Client:
        client = httpx.Client(transport=InProcessTransport(app), base_url="http://testserver")
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(app_1000: Starlette, client_for: Callable[[Starlette], httpx.Client]) -> httpx.Client:
    """An in-process client of the 1000-task mock, sending the default token."""
    made = client_for(app_1000)
    made.headers[TOKEN_HEADER] = DEFAULT_TOKEN
    return made


@pytest.fixture
def authorised(client_for: Callable[[Starlette], httpx.Client]) -> Callable[[Starlette], httpx.Client]:
    """Make in-process clients that send the default token."""

    def make(app: Starlette) -> httpx.Client:
        made = client_for(app)
        made.headers[TOKEN_HEADER] = DEFAULT_TOKEN
        return made

    return make


def call_asgi(
    app: Starlette,
    raw_path: bytes,
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    method: str = "GET",
    body: bytes = b"",
) -> httpx.Response:
    """Send one request with exactly these bytes (no client-side encoding or checks) to an ASGI app."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path.decode("latin-1"),
        "raw_path": raw_path,
        "query_string": query_string,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return httpx.Response(start["status"], headers=start["headers"], content=body)


@pytest.fixture
def raw_call() -> Callable[..., httpx.Response]:
    """`call_asgi`, as a fixture."""
    return call_asgi


@pytest.fixture
def vendor_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME pointed at a temporary directory: huaweicloudsdkcore writes under ~/.huaweicloud."""
    home = tmp_path_factory.mktemp("vendor-home")
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def vendor_signer(vendor_home: Path) -> Callable[..., tuple[str, dict[str, str]]]:
    """Sign a request with huaweicloudsdkcore's own SDK-HMAC-SHA256 signer; returns the URI and headers to send."""
    credentials_module: ModuleType = importlib.import_module("huaweicloudsdkcore.auth.credentials")
    signer_module: ModuleType = importlib.import_module("huaweicloudsdkcore.signer.signer")
    request_module: ModuleType = importlib.import_module("huaweicloudsdkcore.sdk_request")

    def sign(
        ak: str,
        sk: str,
        host: str,
        resource_path: str,
        query: list[tuple[str, object]] | None = None,
        headers: dict[str, str] | None = None,
        method: str = "GET",
    ) -> tuple[str, dict[str, str]]:
        request = request_module.SdkRequest(
            method=method,
            schema="http",
            host=host,
            resource_path=resource_path,
            query_params=list(query or []),
            header_params=dict(headers or {}),
            body="",
        )
        credentials = credentials_module.BasicCredentials(ak, sk, "project")
        signed = signer_module.Signer(credentials).sign(request)
        return str(signed.uri), dict(signed.header_params)

    return sign
