"""Strict parsing reports unknown enum values as errors, without also warning that they were kept."""

from __future__ import annotations

import warnings

import httpx
import pytest
from oms_sync_client import ListSyncTasksResponse, ResponseValidationError, UnknownEnumValueWarning
from oms_sync_client._responses import read_model

PAGE_WITH_UNKNOWN_STATUS = b'{"tasks": [{"sync_task_id": "t1", "status": "PAUSED_FOR_TEST"}], "count": 1}'


def _response(content: bytes) -> httpx.Response:
    return httpx.Response(200, content=content, request=httpx.Request("GET", "http://127.0.0.1/v2/p/sync-tasks"))


def test_strict_parsing_of_an_unknown_enum_value_raises_without_a_kept_value_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ResponseValidationError):
            read_model(ListSyncTasksResponse, _response(PAGE_WITH_UNKNOWN_STATUS), strict=True)

    assert [w for w in caught if issubclass(w.category, UnknownEnumValueWarning)] == []


def test_tolerant_parsing_after_strict_parsing_still_warns_once_about_the_unknown_value() -> None:
    with pytest.raises(ResponseValidationError):
        read_model(
            ListSyncTasksResponse,
            _response(PAGE_WITH_UNKNOWN_STATUS.replace(b"PAUSED_FOR_TEST", b"PAUSED_AFTER_STRICT")),
            strict=True,
        )

    with pytest.warns(UnknownEnumValueWarning, match="PAUSED_AFTER_STRICT"):
        page = read_model(
            ListSyncTasksResponse,
            _response(PAGE_WITH_UNKNOWN_STATUS.replace(b"PAUSED_FOR_TEST", b"PAUSED_AFTER_STRICT")),
            strict=False,
        )

    assert page.tasks[0].status == "PAUSED_AFTER_STRICT"
