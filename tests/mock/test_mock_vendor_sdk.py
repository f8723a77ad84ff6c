"""The vendor's own client (huaweicloudsdkoms, AK/SK signing) lists every task from the mock, signatures verified."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spec_facts import (
    FILTER_NAME,
    FILTER_VALUES,
    ID_FIELD,
    ITEMS,
    LIMIT,
    LIMIT_MAX,
    OFFSET,
    PATH_PARAMETER,
    TOTAL,
    fields_where,
)

from oms_mock import MockConfig, create_app, get_store, run_server

AK, SK = "VENDORSDKTESTAK", "vendor-sdk-test-secret"
PROJECT_ID = str(PATH_PARAMETER.example or "project")
NULLABLE_OBJECT = fields_where(lambda flat: flat.nullable and "object" in flat.types)[0]


@pytest.fixture(scope="module")
def signed_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    app = create_app(MockConfig(tasks=1000, seed=11, ak=AK, sk=SK))
    with run_server(app) as base_url:
        yield base_url, list(get_store(app).items())


def vendor_client(base_url: str, ak: str = AK, sk: str = SK) -> Any:
    credentials = importlib.import_module("huaweicloudsdkcore.auth.credentials")
    oms = importlib.import_module("huaweicloudsdkoms.v2")
    return (
        oms.OmsClient.new_builder()
        .with_credentials(credentials.BasicCredentials(ak, sk, PROJECT_ID))
        .with_endpoints([base_url])
        .build()
    )


def list_all(client: Any, value: str | None = None) -> list[Any]:
    """Every item, page by page, through the vendor client's own list call."""
    oms = importlib.import_module("huaweicloudsdkoms.v2")
    listed: list[Any] = []
    while True:
        arguments = {LIMIT: LIMIT_MAX, OFFSET: len(listed), FILTER_NAME: value}
        page = client.list_sync_tasks(oms.ListSyncTasksRequest(**arguments))
        items = getattr(page, ITEMS)
        listed += items
        if not items or len(listed) >= getattr(page, TOTAL):
            return listed


def test_vendor_client_lists_every_item_in_order(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    base_url, stored = signed_server
    listed = list_all(vendor_client(base_url))
    assert [getattr(item, ID_FIELD) for item in listed] == [item[ID_FIELD] for item in stored]
    assert [i.to_dict()[NULLABLE_OBJECT] is None for i in listed] == [i[NULLABLE_OBJECT] is None for i in stored]


def test_vendor_client_lists_every_item_with_a_filter_value(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    base_url, stored = signed_server
    value = FILTER_VALUES[-1]
    listed = list_all(vendor_client(base_url), value)
    assert [getattr(i, ID_FIELD) for i in listed] == [i[ID_FIELD] for i in stored if i[FILTER_NAME] == value]


def test_vendor_client_with_a_wrong_secret_key_is_refused(
    signed_server: tuple[str, list[dict[str, Any]]], vendor_home: Path
) -> None:
    exceptions = importlib.import_module("huaweicloudsdkcore.exceptions.exceptions")
    with pytest.raises(exceptions.ClientRequestException) as refused:
        list_all(vendor_client(signed_server[0], sk="not-the-secret"))
    assert refused.value.status_code == 401
    assert refused.value.error_code == "APIG.0301"
