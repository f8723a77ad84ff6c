"""Every parameter constraint of the spec is checked before any I/O, with a message naming field, problem and limit."""

from __future__ import annotations

import uuid
import warnings
from typing import Any

import httpx
import pytest
from oms_sync_client import OmsClient, SyncTaskStatus, UnknownEnumValueWarning, errors

from .fake_oms import PROJECT_ID, TOKEN, FakeOms


def parameter_schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["parameters"][name]["schema"]
    return schema


def status_values(spec: dict[str, Any]) -> list[str]:
    values: list[str] = spec["components"]["schemas"]["SyncTaskStatus"]["enum"]
    return values


def rejected(call: Any) -> errors.ValidationError:
    with pytest.raises(errors.ValidationError) as caught:
        call()
    return caught.value


def test_limit_above_the_spec_maximum_is_rejected_before_sending(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    limit = parameter_schema(spec, "Limit")

    error = rejected(lambda: client.list_sync_tasks(limit=limit["maximum"] + 1))

    assert str(error) == f"limit must be between {limit['minimum']} and {limit['maximum']}, got {limit['maximum'] + 1}"
    assert (error.field, error.limit) == ("limit", (limit["minimum"], limit["maximum"]))
    assert fake.requests == []


def test_limit_below_the_spec_minimum_is_rejected_before_sending(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    limit = parameter_schema(spec, "Limit")

    error = rejected(lambda: client.list_sync_tasks(limit=limit["minimum"] - 1))

    assert str(error) == f"limit must be between {limit['minimum']} and {limit['maximum']}, got {limit['minimum'] - 1}"
    assert fake.requests == []


def test_offset_above_the_spec_maximum_is_rejected_before_sending(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    offset = parameter_schema(spec, "Offset")

    error = rejected(lambda: client.list_sync_tasks(offset=offset["maximum"] + 1))

    assert (
        str(error) == f"offset must be between {offset['minimum']} and {offset['maximum']}, got {offset['maximum'] + 1}"
    )
    assert fake.requests == []


def test_negative_offset_is_rejected_before_sending(client: OmsClient, fake: FakeOms) -> None:
    error = rejected(lambda: client.list_sync_tasks(offset=-1))

    assert error.field == "offset"
    assert fake.requests == []


def test_status_outside_the_spec_enum_is_rejected_listing_the_allowed_values(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    error = rejected(lambda: client.list_sync_tasks(status="PAUSED"))

    assert str(error) == f"status must be one of {', '.join(status_values(spec))}, got 'PAUSED'"
    assert fake.requests == []


def test_unknown_status_value_kept_from_a_response_is_rejected_before_sending(client: OmsClient, fake: FakeOms) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        unknown = SyncTaskStatus(f"PAUSED_{uuid.uuid4().hex}")

    error = rejected(lambda: client.list_sync_tasks(status=unknown))

    assert error.field == "status"
    assert fake.requests == []


@pytest.mark.parametrize("limit", ["5", True, 5.0])
def test_limit_that_is_not_an_integer_is_rejected_before_sending(client: OmsClient, fake: FakeOms, limit: Any) -> None:
    error = rejected(lambda: client.list_sync_tasks(limit=limit))

    assert str(error) == f"limit must be an integer, got {limit!r}"
    assert fake.requests == []


def test_empty_project_id_is_rejected_before_sending(client: OmsClient, fake: FakeOms, spec: dict[str, Any]) -> None:
    project = parameter_schema(spec, "ProjectId")

    error = rejected(lambda: client.list_sync_tasks(project_id=""))

    assert str(error) == (
        f"project_id must be between {project['minLength']} and {project['maxLength']} characters long, "
        "got 0 characters"
    )
    assert fake.requests == []


def test_project_id_longer_than_the_spec_allows_is_rejected_before_sending(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    too_long = "p" * (parameter_schema(spec, "ProjectId")["maxLength"] + 1)

    error = rejected(lambda: client.list_sync_tasks(project_id=too_long))

    assert error.field == "project_id"
    assert f"got {len(too_long)} characters" in str(error)
    assert fake.requests == []


def test_missing_project_id_is_rejected_before_sending(fake: FakeOms) -> None:
    with OmsClient(
        base_url="https://oms.test", token=TOKEN, http_client=httpx.Client(transport=fake.client_transport())
    ) as client:
        error = rejected(client.list_sync_tasks)

    assert error.field == "project_id"
    assert "is required" in str(error)
    assert fake.requests == []


def test_token_longer_than_the_spec_allows_is_rejected_at_construction_without_echoing_it(
    spec: dict[str, Any],
) -> None:
    token = "t" * (parameter_schema(spec, "XAuthToken")["maxLength"] + 1)
    error = rejected(lambda: OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=token))

    assert str(error) == (
        f"token must be between 1 and {parameter_schema(spec, 'XAuthToken')['maxLength']} characters long, "
        f"got {len(token)} characters"
    )
    assert (error.__cause__ is None and error.__context__ is None) or token not in str(error.__context__)


def test_empty_token_is_rejected_at_construction() -> None:
    error = rejected(lambda: OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=""))

    assert error.field == "token"


def test_token_that_cannot_be_sent_in_a_header_is_rejected_at_construction(spec: dict[str, Any]) -> None:
    error = rejected(lambda: OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token="tök\n"))

    header = spec["components"]["securitySchemes"]["token"]["name"]
    assert str(error) == f"token must contain only printable ASCII characters to be sent in {header}"


def test_values_at_the_spec_limits_are_sent(client: OmsClient, fake: FakeOms, spec: dict[str, Any]) -> None:
    limit, offset = parameter_schema(spec, "Limit"), parameter_schema(spec, "Offset")

    client.list_sync_tasks(limit=limit["maximum"], offset=offset["maximum"], status=status_values(spec)[-1])
    client.list_sync_tasks(limit=limit["minimum"], offset=offset["minimum"])

    sent = [request.params for request in fake.requests]
    assert sent == [
        {"limit": str(limit["maximum"]), "offset": str(offset["maximum"]), "status": status_values(spec)[-1]},
        {"limit": str(limit["minimum"]), "offset": str(offset["minimum"])},
    ]


def test_omitted_limit_and_offset_are_sent_as_the_spec_defaults(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    client.list_sync_tasks()

    assert fake.requests[0].params == {
        "limit": str(parameter_schema(spec, "Limit")["default"]),
        "offset": str(parameter_schema(spec, "Offset")["default"]),
    }


def test_page_size_outside_the_limit_range_is_rejected_when_iteration_is_requested(
    client: OmsClient, fake: FakeOms, spec: dict[str, Any]
) -> None:
    maximum = parameter_schema(spec, "Limit")["maximum"]

    error = rejected(lambda: client.iter_sync_tasks(page_size=maximum + 1))

    assert str(error).startswith(f"page_size must be between 1 and {maximum}")
    assert fake.requests == []


def test_validation_error_is_both_an_oms_error_and_a_value_error() -> None:
    assert issubclass(errors.ValidationError, errors.OmsError)
    assert issubclass(errors.ValidationError, ValueError)
