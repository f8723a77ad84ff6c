"""Tolerant parsing: unknown enum values become marked pseudo-members (warned once), unknown fields are kept,
and `find_deviations` names every deviation by its JSON path."""

from __future__ import annotations

import json
import uuid
import warnings
from typing import Annotated

import pydantic
import pytest
from generator_testing import load_repo_spec
from oms_sync_client._model_base import Deviation, OmsModel, OpenEnum, UnknownEnumValueWarning, find_deviations
from oms_sync_client.models import (
    DstStoragePolicy,
    ListSyncTasksParams,
    ListSyncTasksResponse,
    SrcCloudType,
    SyncTaskInfo,
    SyncTaskStatus,
)

SCHEMAS = load_repo_spec()["components"]["schemas"]


def _unseen(prefix: str) -> str:
    """An enum value no other test has used in this process (the warning is issued once per value)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _task(**fields: object) -> dict[str, object]:
    return {"sync_task_id": "t-1", "status": "SYNCHRONIZING", **fields}


def test_every_generated_enum_is_open() -> None:
    from oms_sync_client import models

    enums = [name for name, schema in SCHEMAS.items() if "enum" in schema]

    assert enums
    assert all(issubclass(getattr(models, name), OpenEnum) for name in enums)


def test_an_unknown_value_becomes_a_pseudo_member_equal_to_its_raw_string() -> None:
    raw = _unseen("Google")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        member = SrcCloudType(raw)

    assert isinstance(member, SrcCloudType)
    assert member == raw
    assert member.value == raw
    assert str(member) == raw
    assert member.is_unknown


def test_declared_members_are_not_unknown() -> None:
    assert not any(member.is_unknown for member in SrcCloudType)


def test_an_unknown_value_warns_once_per_enum_and_value() -> None:
    raw = _unseen("PAUSED")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = SyncTaskStatus(raw)
        again = SyncTaskStatus(raw)
        other_enum = DstStoragePolicy(raw)

    assert first is again
    unknown_warnings = [warning for warning in caught if issubclass(warning.category, UnknownEnumValueWarning)]
    assert [str(warning.message).split(" has no")[0] for warning in unknown_warnings] == [
        "SyncTaskStatus",
        "DstStoragePolicy",
    ]
    assert raw in str(unknown_warnings[0].message)
    assert other_enum.is_unknown


def test_the_warning_is_a_user_warning() -> None:
    assert issubclass(UnknownEnumValueWarning, UserWarning)


def test_a_non_string_is_still_rejected_by_an_open_enum() -> None:
    with pytest.raises(ValueError):
        SyncTaskStatus(42)  # type: ignore[arg-type]


def test_a_response_with_unknown_values_and_fields_parses_and_keeps_them() -> None:
    raw_cloud = _unseen("Google")
    body = json.dumps({"tasks": [_task(src_cloud_type=raw_cloud, new_field={"a": 1})], "count": 1, "next": "x"})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        page = ListSyncTasksResponse.model_validate_json(body)

    task = page.tasks[0]
    assert task.src_cloud_type == raw_cloud
    assert task.model_extra == {"new_field": {"a": 1}}
    assert page.model_extra == {"next": "x"}
    dumped = json.loads(page.model_dump_json())
    assert dumped["next"] == "x"
    assert dumped["tasks"][0]["src_cloud_type"] == raw_cloud
    assert dumped["tasks"][0]["new_field"] == {"a": 1}


def test_find_deviations_names_every_unknown_field_and_value_by_json_path() -> None:
    raw_status = _unseen("PAUSED")
    raw_protocol = _unseen("FTP")
    body = {
        "tasks": [
            _task(),
            _task(status=raw_status, source_cdn={"protocol": raw_protocol, "port": 21}, **{"x-extra": True}),
        ],
        "count": 2,
        "marker": None,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        page = ListSyncTasksResponse.model_validate(body)

    deviations = find_deviations(page)

    assert [deviation.path for deviation in deviations] == [
        "$.tasks[1].status",
        "$.tasks[1].source_cdn.protocol",
        "$.tasks[1].source_cdn.port",
        "$.tasks[1]['x-extra']",
        "$.marker",
    ]
    assert (
        deviations[0].message == f"unknown SyncTaskStatus value {raw_status!r} (the spec lists SYNCHRONIZING, STOPPED)"
    )
    assert deviations[2].message == "unknown field 'port' (not in the spec)"


def test_find_deviations_is_empty_for_data_the_spec_describes() -> None:
    example = load_repo_spec()["paths"]["/v2/{project_id}/sync-tasks"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]["synchronizing"]["value"]

    assert find_deviations(ListSyncTasksResponse.model_validate(example)) == []


def test_find_deviations_reports_an_unknown_enum_value_of_an_argument() -> None:
    raw = _unseen("x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        params = ListSyncTasksParams(project_id="p", status=raw)  # type: ignore[arg-type]

    allowed = ", ".join(SCHEMAS["SyncTaskStatus"]["enum"])
    assert find_deviations(params) == [
        Deviation("$.status", f"unknown SyncTaskStatus value {raw!r} (the spec lists {allowed})")
    ]


def test_find_deviations_uses_the_wire_name_of_an_aliased_field() -> None:
    class Aliased(OmsModel):
        wire_field: Annotated[SyncTaskStatus, pydantic.Field(alias="Wire-Field")]

    raw = _unseen("y")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        model = Aliased.model_validate({"Wire-Field": raw})

    assert [deviation.path for deviation in find_deviations(model)] == ["$['Wire-Field']"]


def test_the_enum_length_limit_of_the_spec_applies_to_unknown_values() -> None:
    limit = SCHEMAS["SyncTaskInfo"]["properties"]["dst_storage_policy"]["maxLength"]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        kept = SyncTaskInfo.model_validate(_task(dst_storage_policy="N" * limit))
        with pytest.raises(pydantic.ValidationError, match=f"at most {limit} characters"):
            SyncTaskInfo.model_validate(_task(dst_storage_policy="N" * (limit + 1)))

    assert kept.dst_storage_policy == "N" * limit


def test_other_constraints_stay_enforced_in_tolerant_parsing() -> None:
    with pytest.raises(pydantic.ValidationError, match="description"):
        SyncTaskInfo.model_validate(_task(description="<script>"))


def test_a_null_is_read_as_none_but_reported_as_a_deviation_where_the_spec_forbids_it() -> None:
    allowed = SyncTaskInfo.model_validate(_task(app_id=None, source_cdn=None, dst_storage_policy=None))
    forbidden = SyncTaskInfo.model_validate(_task(src_region=None))

    assert (allowed.app_id, forbidden.src_region) == (None, None)
    assert find_deviations(allowed) == []
    assert [deviation.path for deviation in find_deviations(forbidden)] == ["$.src_region"]
