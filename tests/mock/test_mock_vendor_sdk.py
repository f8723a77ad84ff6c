"""The vendor's own client (huaweicloudsdkoms, AK/SK signing) lists every task from the mock, signatures verified."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oms_mock import MockConfig, create_app, get_store, run_server

AK, SK = "VENDORSDKTESTAK", "vendor-sdk-test-secret"
PROJECT_ID = "2c0689c860ad4728a497c91ec0844383"


@pytest.fixture(scope="module")
def signed_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    app = create_app(MockConfig(tasks=1000, seed=11, ak=AK, sk=SK))
    with run_server(app) as base_url:
        yield base_url, list(get_store(app).tasks())


def vendor_client(base_url: str, ak: str = AK, sk: str = SK) -> Any:
    credentials = importlib.import_module("huaweicloudsdkcore.auth.credentials")
    oms = importlib.import_module("huaweicloudsdkoms.v2")
    return (
        oms.OmsClient.new_builder()
        .with_credentials(credentials.BasicCredentials(ak, sk, PROJECT_ID))
        .with_endpoints([base_url])
        .build()
    )


def list_all(client: Any, status: str | None = None) -> list[Any]:
    oms = importlib.import_module("huaweicloudsdkoms.v2")
    tasks: list[Any] = []
    while True:
        page = client.list_sync_tasks(oms.ListSyncTasksRequest(limit=100, offset=len(tasks), status=status))
        tasks += page.tasks
        if not page.tasks or len(tasks) >= page.count:
            return tasks


def test_vendor_client_lists_every_task_in_order(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    base_url, stored = signed_server
    listed = list_all(vendor_client(base_url))
    assert [t.sync_task_id for t in listed] == [t["sync_task_id"] for t in stored]
    assert [t.to_dict()["source_cdn"] is None for t in listed] == [t["source_cdn"] is None for t in stored]


def test_vendor_client_lists_every_stopped_task(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    base_url, stored = signed_server
    listed = list_all(vendor_client(base_url), status="STOPPED")
    assert [t.sync_task_id for t in listed] == [t["sync_task_id"] for t in stored if t["status"] == "STOPPED"]


def test_vendor_client_with_a_wrong_secret_key_is_refused(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    exceptions = importlib.import_module("huaweicloudsdkcore.exceptions.exceptions")
    with pytest.raises(exceptions.ClientRequestException) as refused:
        list_all(vendor_client(signed_server[0], sk="not-the-secret"))
    assert refused.value.status_code == 401
    assert refused.value.error_code == "APIG.0301"
