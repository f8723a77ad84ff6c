"""Open enums publish what they accept (the spec's values, or any string); `Closed[...]` is the strict form."""

from __future__ import annotations

import warnings
from typing import Any

import pydantic
import pytest
from oms_sync_client import Closed, SyncTaskInfo, SyncTaskStatus, UnknownEnumValueWarning


def test_the_published_schema_of_an_open_enum_admits_any_string_besides_the_spec_values(
    spec: dict[str, Any],
) -> None:
    published = SyncTaskInfo.model_json_schema()["$defs"]["SyncTaskStatus"]

    listed, anything = published["anyOf"]
    assert listed == {"enum": spec["components"]["schemas"]["SyncTaskStatus"]["enum"]}
    assert anything["type"] == "string" and "enum" not in anything


def test_the_published_schema_validates_what_the_model_accepts() -> None:
    import jsonschema_rs

    schema = SyncTaskInfo.model_json_schema()
    body = {"sync_task_id": "t", "status": "NOT_IN_THE_SPEC_YET"}

    with pytest.warns(UnknownEnumValueWarning):
        SyncTaskInfo.model_validate(body)
    assert jsonschema_rs.validator_for(schema).is_valid(body)


def test_the_closed_form_accepts_only_the_spec_values(spec: dict[str, Any]) -> None:
    closed = pydantic.TypeAdapter(Closed[SyncTaskStatus])
    first = spec["components"]["schemas"]["SyncTaskStatus"]["enum"][0]

    assert closed.validate_python(first) is SyncTaskStatus(first)
    with pytest.raises(pydantic.ValidationError, match="must be one of"):
        closed.validate_python("NOT_IN_THE_SPEC")


def test_the_closed_form_publishes_a_closed_enum(spec: dict[str, Any]) -> None:
    published = pydantic.TypeAdapter(Closed[SyncTaskStatus]).json_schema()

    assert published["enum"] == spec["components"]["schemas"]["SyncTaskStatus"]["enum"]


def test_the_closed_form_does_not_warn_that_it_kept_a_value_it_rejects() -> None:
    closed = pydantic.TypeAdapter(Closed[SyncTaskStatus])

    with warnings.catch_warnings(record=True) as caught, pytest.raises(pydantic.ValidationError):
        warnings.simplefilter("always")
        closed.validate_python("REJECTED_NOT_KEPT")

    assert [w for w in caught if issubclass(w.category, UnknownEnumValueWarning)] == []


def test_the_closed_form_works_as_a_model_field_for_input_validation() -> None:
    class Query(pydantic.BaseModel):
        status: Closed[SyncTaskStatus]

    with pytest.raises(pydantic.ValidationError):
        Query(status="NOT_IN_THE_SPEC")  # type: ignore[arg-type]
    assert Query.model_json_schema()["properties"]["status"]["enum"]
