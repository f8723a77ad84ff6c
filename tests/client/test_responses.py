"""Responses become typed models: tolerant by default (unknown values and fields kept), strict on request."""

from __future__ import annotations

import asyncio
import uuid
import warnings
from typing import Any

import pytest
from oms_sync_client import (
    AsyncOmsClient,
    OmsClient,
    OutOfSpecValueWarning,
    SrcCloudType,
    SyncTaskStatus,
    UnknownEnumValueWarning,
    errors,
)

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, Reply, make_task


def serve(fake: FakeOms, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> None:
    fake.replies.append(Reply(status, body, headers or {}))


def test_page_is_parsed_into_typed_models(client: OmsClient) -> None:
    page = client.list_sync_tasks(limit=5, status="STOPPED")

    assert page.count == 5
    assert [task.sync_task_id for task in page.tasks] == [
        "task-00000",
        "task-00005",
        "task-00010",
        "task-00015",
        "task-00020",
    ]
    assert all(task.status is SyncTaskStatus.STOPPED for task in page.tasks)
    assert page.tasks[0].src_cloud_type is SrcCloudType.ALIYUN


def test_unknown_enum_value_is_kept_as_its_raw_string_and_warned_about_once(client: OmsClient, fake: FakeOms) -> None:
    novel = f"Cloud{uuid.uuid4().hex[:8]}"
    serve(fake, {"tasks": [make_task(1, src_cloud_type=novel), make_task(2, src_cloud_type=novel)], "count": 2})

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = client.list_sync_tasks()

    assert [task.src_cloud_type for task in page.tasks] == [novel, novel]
    assert page.tasks[0].src_cloud_type is not None and page.tasks[0].src_cloud_type.is_unknown
    assert [w.category for w in caught if novel in str(w.message)] == [UnknownEnumValueWarning]


def test_unknown_fields_are_kept(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1, bandwidth_limit=42)], "count": 1, "next_marker": "abc"})

    page = client.list_sync_tasks()

    assert page.model_extra == {"next_marker": "abc"}
    assert page.tasks[0].model_extra == {"bandwidth_limit": 42}


def test_nulls_are_accepted_where_the_spec_allows_them(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1, app_id=None, source_cdn=None, dst_storage_policy=None)], "count": 1})

    task = client.list_sync_tasks().tasks[0]

    assert (task.app_id, task.source_cdn, task.dst_storage_policy) == (None, None, None)


def test_null_where_the_spec_forbids_it_is_rejected_naming_the_path(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1), make_task(2, status=None)], "count": 2}, headers={"X-Request-Id": "rid-null"})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks()

    assert caught.value.path == "$.tasks[1].status"
    assert (caught.value.status_code, caught.value.request_id) == (200, "rid-null")


def test_value_breaking_a_spec_limit_is_kept_with_a_warning_in_tolerant_mode(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1, create_time=-1), make_task(2, create_time=-2)], "count": 2})

    with pytest.warns(OutOfSpecValueWarning, match=r"\$\.tasks\[0\]\.create_time") as caught:
        page = client.list_sync_tasks()

    assert [task.create_time for task in page.tasks] == [-1, -2]
    assert len([w for w in caught if issubclass(w.category, OutOfSpecValueWarning)]) <= 1  # once per field


def test_value_breaking_a_spec_limit_is_rejected_in_strict_mode_naming_its_path(
    client: OmsClient, fake: FakeOms
) -> None:
    serve(fake, {"tasks": [make_task(1, create_time=-1)], "count": 1})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks(strict=True)

    assert caught.value.path == "$.tasks[0].create_time"
    assert "got -1" in str(caught.value)


def test_one_description_breaking_the_pattern_does_not_cost_the_page(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    serve(fake, {"tasks": [make_task(1, description="<b>old</b>"), make_task(2)], "count": 2})

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        page = client.list_sync_tasks()

    assert [task.sync_task_id for task in page.tasks] == ["task-00001", "task-00002"]
    assert page.tasks[0].description == "<b>old</b>"


def test_too_long_nullable_string_is_rejected_in_strict_mode_naming_its_path(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1, app_id="a" * 256)], "count": 1})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks(strict=True)

    assert caught.value.path == "$.tasks[0].app_id"


def test_an_absent_optional_field_reads_as_none_and_is_not_in_the_fields_set(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [{"sync_task_id": "t1", "status": "STOPPED"}], "count": 1})

    task = client.list_sync_tasks().tasks[0]

    assert (task.src_region, task.src_cloud_type, task.create_time) == (None, None, None)
    assert task.model_fields_set == {"sync_task_id", "status"}


def test_an_explicit_null_for_a_non_nullable_field_is_read_as_none_but_rejected_in_strict_mode(
    client: OmsClient, fake: FakeOms
) -> None:
    body = {"tasks": [{"sync_task_id": "t1", "status": "STOPPED", "src_region": None}], "count": 1}
    serve(fake, body)
    serve(fake, body)

    assert client.list_sync_tasks().tasks[0].src_region is None
    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks(strict=True)
    assert caught.value.path == "$.tasks[0].src_region"


def test_missing_required_field_is_rejected_naming_its_path(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": [make_task(1)]})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks()

    assert caught.value.path == "$.count"


def test_strict_mode_rejects_an_unknown_enum_value_naming_its_path(fake: FakeOms, client: OmsClient) -> None:
    serve(fake, {"tasks": [make_task(1), make_task(2, status="ARCHIVED")], "count": 2})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        with pytest.raises(errors.ResponseValidationError) as caught:
            client.list_sync_tasks(strict=True)

    assert caught.value.path == "$.tasks[1].status"
    assert "ARCHIVED" in caught.value.problem


def test_strict_mode_rejects_an_unknown_field_naming_its_path(fake: FakeOms, client: OmsClient) -> None:
    serve(fake, {"tasks": [make_task(1, bandwidth_limit=42)], "count": 1})

    with pytest.raises(errors.ResponseValidationError) as caught:
        client.list_sync_tasks(strict=True)

    assert caught.value.path == "$.tasks[0].bandwidth_limit"


def test_strict_mode_set_on_the_client_applies_to_every_call(fake: FakeOms, client: OmsClient) -> None:
    client.strict = True
    serve(fake, {"tasks": [], "count": 0, "marker": None})

    with pytest.raises(errors.ResponseValidationError):
        client.list_sync_tasks()


def test_strict_mode_accepts_a_page_that_matches_the_spec(fake: FakeOms, client: OmsClient) -> None:
    page = client.list_sync_tasks(strict=True, limit=3)

    assert len(page.tasks) == 3


def test_body_that_is_not_json_raises_a_parse_error_with_status_request_id_and_first_bytes(
    client: OmsClient, fake: FakeOms
) -> None:
    serve(fake, b"<html>gateway maintenance</html>", headers={"X-Request-Id": "rid-html", "Content-Type": "text/html"})

    with pytest.raises(errors.ResponseParseError) as caught:
        client.list_sync_tasks(max_retries=0)

    error = caught.value
    assert (error.status_code, error.request_id, error.snippet) == (
        200,
        "rid-html",
        b"<html>gateway maintenance</html>",
    )
    assert "not valid JSON" in str(error) and "rid-html" in str(error)
    assert not isinstance(error, errors.ResponseValidationError)


def test_a_success_whose_body_is_not_json_is_retried_like_a_server_error(
    client: OmsClient, fake: FakeOms, recorded_sleeps: list[float]
) -> None:
    serve(fake, b'{"tasks": [{"sync_task_id": "a", "sta')

    page = client.list_sync_tasks()

    assert page.count == len(fake.tasks)
    assert len(fake.requests) == 2
    assert len(recorded_sleeps) == 1


def test_a_success_whose_body_stays_unreadable_raises_a_parse_error_once_retries_run_out(
    client: OmsClient, fake: FakeOms
) -> None:
    for _ in range(3):
        serve(fake, b"<html>maintenance</html>")

    with pytest.raises(errors.ResponseParseError):
        client.list_sync_tasks(max_retries=2)

    assert len(fake.requests) == 3


def test_a_body_that_is_json_but_breaks_the_spec_is_not_retried(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, {"tasks": "not a list", "count": 1})

    with pytest.raises(errors.ResponseValidationError):
        client.list_sync_tasks()

    assert len(fake.requests) == 1


def test_truncated_body_raises_a_parse_error(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, b'{"tasks": [{"sync_task_id": "a", "sta')

    with pytest.raises(errors.ResponseParseError) as caught:
        client.list_sync_tasks(max_retries=0)

    assert caught.value.snippet == b'{"tasks": [{"sync_task_id": "a", "sta'


def test_empty_body_raises_a_parse_error_saying_it_is_empty(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, b"")

    with pytest.raises(errors.ResponseParseError) as caught:
        client.list_sync_tasks(max_retries=0)

    assert caught.value.reason == "response body is empty"


def test_parse_error_keeps_only_the_first_bytes_of_a_large_body(client: OmsClient, fake: FakeOms) -> None:
    serve(fake, b"x" * 10_000)

    with pytest.raises(errors.ResponseParseError) as caught:
        client.list_sync_tasks(max_retries=0)

    assert len(caught.value.snippet) == errors.ResponseParseError.SNIPPET_BYTES


# Over a real connection (httpx.MockTransport decodes bodies before the client sees the response).
def test_body_that_cannot_be_decoded_raises_a_parse_error_with_status_and_request_id(
    live_client: OmsClient, live_fake: FakeOms
) -> None:
    serve(live_fake, b"not gzip at all", headers={"Content-Encoding": "gzip", "X-Request-Id": "rid-gzip"})

    with pytest.raises(errors.ResponseParseError) as caught:
        live_client.list_sync_tasks()

    assert (caught.value.status_code, caught.value.request_id) == (200, "rid-gzip")
    assert "could not be decoded" in str(caught.value)


def test_async_body_that_cannot_be_decoded_raises_a_parse_error_with_status_and_request_id(
    local_server: LocalServer, live_fake: FakeOms
) -> None:
    serve(live_fake, b"not gzip at all", headers={"Content-Encoding": "gzip", "X-Request-Id": "rid-gzip"})

    async def list_page() -> None:
        async with AsyncOmsClient(base_url=local_server.base_url, project_id=PROJECT_ID, token=TOKEN) as client:
            await client.list_sync_tasks()

    with pytest.raises(errors.ResponseParseError) as caught:
        asyncio.run(list_page())

    assert (caught.value.status_code, caught.value.request_id) == (200, "rid-gzip")
