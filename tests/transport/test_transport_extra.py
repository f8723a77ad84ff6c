"""The `aiohttp` extra: optional, declared in the package's metadata, and missed with an error that says so."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import oms_sync_client
import pytest
from conftest import ListingNames
from oms_sync_client import DefaultAioHttpClient, OmsError
from oms_sync_client._aiohttp import EXTRA, _aiohttp_transport_class
from oms_sync_client.errors import MissingExtraError
from transport_servers import answer_ok, scripted_server

OPTIONAL_MODULES = ("aiohttp", "httpx_aiohttp")


@pytest.fixture
def fresh_import() -> Iterator[None]:
    """Forget the transport class found so far, before and after the test."""
    _aiohttp_transport_class.cache_clear()
    yield
    _aiohttp_transport_class.cache_clear()


def package_project() -> dict[str, object]:
    """The generated package's pyproject.toml, beside the package folder."""
    path = Path(oms_sync_client.__file__).resolve().parent.parent / "pyproject.toml"
    project: dict[str, object] = tomllib.loads(path.read_text())["project"]
    return project


@pytest.mark.parametrize("missing", OPTIONAL_MODULES)
def test_a_client_without_the_extra_raises_an_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, fresh_import: None, listing: ListingNames, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # `import missing` now fails as if it were not installed
    with pytest.raises(MissingExtraError) as caught:
        DefaultAioHttpClient()
    assert f"pip install '{listing.distribution}[{EXTRA}]'" in str(caught.value)
    assert isinstance(caught.value, ImportError)
    assert isinstance(caught.value, OmsError)


def test_the_client_works_once_the_extra_is_back(monkeypatch: pytest.MonkeyPatch, fresh_import: None) -> None:
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "httpx_aiohttp", None)
        with pytest.raises(MissingExtraError):
            DefaultAioHttpClient()

    async def scenario() -> int:
        async with scripted_server(answer_ok) as (url, _), DefaultAioHttpClient() as http_client:
            return (await http_client.get(url)).status_code

    assert asyncio.run(scenario()) == 200


def test_importing_the_package_imports_neither_aiohttp_nor_httpx_aiohttp() -> None:
    probe = f"import sys, oms_sync_client; print(sorted(m for m in {OPTIONAL_MODULES!r} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert found.stdout.strip() == "[]"


def test_the_extra_brings_aiohttp_and_httpx_aiohttp_and_the_base_dependencies_do_not() -> None:
    project = package_project()
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    required = {requirement.split(">")[0].split("=")[0].strip() for requirement in extras[EXTRA]}
    assert required == {"aiohttp", "httpx-aiohttp"}
    dependencies = project["dependencies"]
    assert isinstance(dependencies, list)
    assert not [requirement for requirement in dependencies if "aiohttp" in requirement]


def test_a_proxy_from_the_environment_is_reached_over_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    target = "http://oms.proxied.test/v1/probe"  # never contacted: the proxy on 127.0.0.1 answers for it

    async def scenario() -> tuple[int, bytes]:
        async with scripted_server(answer_ok) as (proxy_url, record):
            monkeypatch.setenv("HTTP_PROXY", proxy_url)
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            async with DefaultAioHttpClient() as http_client:
                answer = await http_client.get(target)
            return answer.status_code, record.heads[0]

    status, head = asyncio.run(scenario())
    assert status == 200
    assert head.startswith(f"GET {target} HTTP/1.1".encode())


def test_the_transport_of_a_proxy_is_the_aiohttp_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    client = DefaultAioHttpClient()
    transports = [transport for transport in client._mounts.values() if transport is not None]
    assert transports
    assert all(type(transport) is type(client._transport) for transport in transports)
    assert not isinstance(client._transport, httpx.AsyncHTTPTransport)
