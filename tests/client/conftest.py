"""Fixtures of the client's tests: a fake OMS over MockTransport or a real local server, clients, recorded waits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import oms_sync_client._base_client as client_module
import oms_sync_client._tolerance as tolerance_module
import pytest
import yaml
from oms_sync_client import AsyncOmsClient, OmsClient

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, FakeOmsApp, LocalServer, make_task, serving

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "oms-sync-tasks.yaml"


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The spec, as loaded from the YAML (the tests' independent source of limits)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def fake() -> FakeOms:
    """A fake OMS with 25 tasks (every fifth one STOPPED)."""
    return FakeOms([make_task(i, "STOPPED" if i % 5 == 0 else "SYNCHRONIZING") for i in range(25)])


@pytest.fixture
def client(fake: FakeOms) -> Iterator[OmsClient]:
    """A token client talking to `fake` through httpx.MockTransport."""
    with OmsClient(
        base_url="https://oms.test",
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=fake.client_transport()),
    ) as made:
        yield made


@pytest.fixture
def async_client(fake: FakeOms) -> AsyncOmsClient:
    """A token async client talking to `fake` through httpx.MockTransport."""
    return AsyncOmsClient(
        base_url="https://oms.test",
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.AsyncClient(transport=fake.client_transport()),
    )


CREDENTIAL_VARIABLE_PREFIXES = ("OMS_", "CLOUD_SDK_", "HUAWEICLOUD_SDK_")


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting of the machine reaches a test: credential variables removed, HOME (and its credentials file)
    moved to an empty folder."""
    for name in list(os.environ):
        if name.startswith(CREDENTIAL_VARIABLE_PREFIXES):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(autouse=True)
def fresh_out_of_spec_warnings() -> None:
    """Each test sees the once-per-field OutOfSpecValueWarning afresh (the package warns once per process)."""
    tolerance_module._warned.clear()


@pytest.fixture(autouse=True)
def recorded_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits, recorded instead of slept (so retry tests take no time)."""
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(client_module, "_sleep", waits.append)
    monkeypatch.setattr(client_module, "_async_sleep", async_sleep)
    return waits


@pytest.fixture(scope="session")
def local_app() -> FakeOmsApp:
    """The ASGI app of the local server; `live_fake` puts a fresh fake behind it for each test."""
    return FakeOmsApp()


@pytest.fixture(scope="session")
def local_server(local_app: FakeOmsApp) -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 (free port), shared by the session's tests."""
    with serving(local_app) as server:
        yield server


@pytest.fixture
def live_fake(local_app: FakeOmsApp, local_server: LocalServer, fake: FakeOms) -> FakeOms:
    """`fake`, served by the local server for this test."""
    local_app.fake = fake
    return fake


@pytest.fixture
def live_client(local_server: LocalServer, live_fake: FakeOms) -> Iterator[OmsClient]:
    """A token client talking to the local server."""
    with OmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as made:
        yield made
