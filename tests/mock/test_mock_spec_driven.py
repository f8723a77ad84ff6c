"""Limits, defaults and enums come from the spec the mock is given: change the spec, and the mock follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import yaml
from mock_spec_variants import Document, shipped, written
from spec_facts import (
    API,
    FILTER,
    FILTER_NAME,
    ITEMS,
    LIMIT,
    LIMIT_MIN,
    OFFSET,
    OFFSET_MIN,
    PAGINATION,
    PATH,
    TOKEN_HEADER,
    TOKEN_PARAMETER,
    TOTAL,
)
from starlette.applications import Starlette

from oms_mock import DEFAULT_SPEC_PATH, ConfigError, MockConfig, create_app, get_store
from oms_spec import flatten
from oms_spec.references import component_name


def spec_copy(tmp_path: Path, change: Callable[[Document], None]) -> Path:
    document = shipped()
    change(document)
    return written(tmp_path, document)


def app_for(spec_path: Path, tasks: int = 200) -> Starlette:
    return create_app(MockConfig(spec_path=spec_path, tasks=tasks))


def parameter_schema(document: Document, name: str) -> dict[str, Any]:
    """The schema of the component parameter called `name` in `document`."""
    for node in document["components"]["parameters"].values():
        if node["name"] == name:
            schema: dict[str, Any] = node["schema"]
            return schema
    raise AssertionError(f"no component parameter {name}")


def test_lowered_limit_maximum_in_the_spec_is_enforced(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    lowered = PAGINATION.limit_maximum // 2

    def lower(document: Document) -> None:
        parameter_schema(document, LIMIT)["maximum"] = lowered

    http = authorised(app_for(spec_copy(tmp_path, lower)))
    rejected = http.get(PATH, params={LIMIT: lowered + 1})
    assert rejected.status_code == 400
    assert rejected.json()["error_detail"] == f"{LIMIT} must be between {LIMIT_MIN} and {lowered}, got {lowered + 1}"
    assert len(http.get(PATH, params={LIMIT: lowered}).json()[ITEMS]) == lowered


def test_raised_offset_maximum_in_the_spec_is_enforced(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    raised = (PAGINATION.offset_maximum or 0) * 2

    def raise_it(document: Document) -> None:
        parameter_schema(document, OFFSET)["maximum"] = raised

    http = authorised(app_for(spec_copy(tmp_path, raise_it)))
    assert http.get(PATH, params={OFFSET: raised}).status_code == 200
    assert http.get(PATH, params={OFFSET: raised + 1}).json()["error_detail"] == (
        f"{OFFSET} must be between {OFFSET_MIN} and {raised}, got {raised + 1}"
    )


def test_changed_default_limit_in_the_spec_sizes_the_default_page(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    changed = (PAGINATION.limit_default or 0) + 15

    def change(document: Document) -> None:
        parameter_schema(document, LIMIT)["default"] = changed

    http = authorised(app_for(spec_copy(tmp_path, change)))
    assert len(http.get(PATH).json()[ITEMS]) == changed


def test_filter_value_added_to_the_spec_is_seeded_and_filterable(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    component = _filter_component()

    def add(document: Document) -> None:
        document["components"]["schemas"][component]["enum"].append("PAUSED")

    app = app_for(spec_copy(tmp_path, add))
    paused = authorised(app).get(PATH, params={FILTER_NAME: "PAUSED"}).json()
    assert paused[TOTAL] == get_store(app).count({FILTER_NAME: "PAUSED"}) > 0
    assert {item[FILTER_NAME] for item in paused[ITEMS]} == {"PAUSED"}


def _filter_component() -> str:
    for member in FILTER.schema.get("allOf", ()):
        name = component_name(member.get("$ref"))
        if name is not None:
            return name
    raise AssertionError("the filter's schema is allOf: [$ref] to its enum")


def test_shorter_token_limit_in_the_spec_refuses_a_longer_configured_token(tmp_path: Path) -> None:
    def shorten(document: Document) -> None:
        parameter_schema(document, TOKEN_PARAMETER.name)["maxLength"] = 8

    with pytest.raises(ConfigError, match=f"{TOKEN_HEADER} must be at most 8 characters long"):
        create_app(MockConfig(spec_path=spec_copy(tmp_path, shorten), tokens=("nine-char",)))


def test_schema_keyword_jsonschema_enforces_is_enforced_on_a_parameter(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def add_multiple_of(document: Document) -> None:
        parameter_schema(document, LIMIT)["multipleOf"] = 5

    http = authorised(app_for(spec_copy(tmp_path, add_multiple_of)))
    assert http.get(PATH, params={LIMIT: 7}).json()["error_detail"] == f"{LIMIT} must be a multiple of 5, got 7"
    assert http.get(PATH, params={LIMIT: 5}).status_code == 200


def test_parameter_schema_that_is_a_plain_ref_is_validated(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def bare_ref(document: Document) -> None:
        parameter_schema(document, FILTER_NAME).clear()
        parameter_schema(document, FILTER_NAME)["$ref"] = f"#/components/schemas/{_filter_component()}"

    http = authorised(app_for(spec_copy(tmp_path, bare_ref)))
    assert http.get(PATH, params={FILTER_NAME: "NOT-A-VALUE"}).status_code == 400
    assert http.get(PATH, params={FILTER_NAME: _first_filter_value()}).status_code == 200


def _first_filter_value() -> str:
    values = flatten(FILTER.schema, API.resolver).enum or ()
    return str(values[0])


def test_spec_without_any_operation_serves_only_the_spec_itself(
    tmp_path: Path, client_for: Callable[[Starlette], httpx.Client]
) -> None:
    def drop(document: Document) -> None:
        document["paths"] = {}

    http = client_for(app_for(spec_copy(tmp_path, drop)))
    assert http.get(PATH).status_code == 404
    assert http.get("/openapi.json").status_code == 200


def test_unreadable_spec_is_refused_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError, match=f"cannot read the spec {missing}"):
        create_app(MockConfig(spec_path=missing))


def test_spec_is_served_as_yaml_exactly_as_given(client: httpx.Client) -> None:
    response = client.get("/openapi.yaml")
    assert response.content == DEFAULT_SPEC_PATH.read_bytes()
    assert response.headers["content-type"].startswith("application/yaml")


def test_spec_is_served_as_json_with_the_same_content(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert orjson.loads(response.content) == yaml.safe_load(DEFAULT_SPEC_PATH.read_text())
    assert response.headers["content-type"] == "application/json"


def test_spec_documents_need_no_token(client: httpx.Client) -> None:
    del client.headers[TOKEN_HEADER]
    assert client.get("/openapi.json").status_code == 200
