"""Limits, defaults and enums come from the spec the mock is given: change the spec, and the mock follows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import yaml
from starlette.applications import Starlette

from oms_mock import DEFAULT_SPEC_PATH, DEFAULT_TOKEN, ConfigError, MockConfig, create_app, get_store

PATH = "/v2/project/sync-tasks"


def spec_copy(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = yaml.safe_load(DEFAULT_SPEC_PATH.read_text())
    change(document)
    path = tmp_path / "changed-spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def app_for(spec_path: Path, tasks: int = 200) -> Starlette:
    return create_app(MockConfig(spec_path=spec_path, tasks=tasks))


@pytest.fixture
def authorised(client_for: Callable[[Starlette], httpx.Client]) -> Callable[[Starlette], httpx.Client]:
    def make(app: Starlette) -> httpx.Client:
        http = client_for(app)
        http.headers["X-Auth-Token"] = DEFAULT_TOKEN
        return http

    return make


def test_lowered_limit_maximum_in_the_spec_is_enforced(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def lower(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["Limit"]["schema"]["maximum"] = 50

    http = authorised(app_for(spec_copy(tmp_path, lower)))
    rejected = http.get(PATH, params={"limit": 51})
    assert rejected.status_code == 400
    assert rejected.json()["error_detail"] == "limit must be between 1 and 50, got 51"
    assert len(http.get(PATH, params={"limit": 50}).json()["tasks"]) == 50


def test_raised_offset_maximum_in_the_spec_is_enforced(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def raise_it(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["Offset"]["schema"]["maximum"] = 20000

    http = authorised(app_for(spec_copy(tmp_path, raise_it)))
    assert http.get(PATH, params={"offset": 20000}).status_code == 200
    assert http.get(PATH, params={"offset": 20001}).json()["error_detail"] == (
        "offset must be between 0 and 20000, got 20001"
    )


def test_changed_default_limit_in_the_spec_sizes_the_default_page(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["Limit"]["schema"]["default"] = 25

    http = authorised(app_for(spec_copy(tmp_path, change)))
    assert len(http.get(PATH).json()["tasks"]) == 25


def test_status_value_added_to_the_spec_is_seeded_and_filterable(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def add(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["SyncTaskStatus"]["enum"].append("PAUSED")

    app = app_for(spec_copy(tmp_path, add))
    paused = authorised(app).get(PATH, params={"status": "PAUSED"}).json()
    assert paused["count"] == get_store(app).count("PAUSED") > 0
    assert {t["status"] for t in paused["tasks"]} == {"PAUSED"}


def test_shorter_token_limit_in_the_spec_refuses_a_longer_configured_token(tmp_path: Path) -> None:
    def shorten(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["XAuthToken"]["schema"]["maxLength"] = 8

    with pytest.raises(ConfigError, match="X-Auth-Token must be at most 8 characters long"):
        create_app(MockConfig(spec_path=spec_copy(tmp_path, shorten), tokens=("nine-char",)))


def test_spec_keyword_the_mock_cannot_enforce_is_refused_at_start_up(tmp_path: Path) -> None:
    def add_multiple_of(document: dict[str, Any]) -> None:
        document["components"]["parameters"]["Limit"]["schema"]["multipleOf"] = 5

    with pytest.raises(ConfigError, match="multipleOf"):
        app_for(spec_copy(tmp_path, add_multiple_of))


def test_spec_without_the_list_operation_is_refused_at_start_up(tmp_path: Path) -> None:
    def drop(document: dict[str, Any]) -> None:
        document["paths"] = {}

    with pytest.raises(ConfigError, match="no operation ListSyncTasks"):
        app_for(spec_copy(tmp_path, drop))


def test_spec_is_served_as_yaml_exactly_as_given(client: httpx.Client) -> None:
    response = client.get("/openapi.yaml")
    assert response.content == DEFAULT_SPEC_PATH.read_bytes()
    assert response.headers["content-type"].startswith("application/yaml")


def test_spec_is_served_as_json_with_the_same_content(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert orjson.loads(response.content) == yaml.safe_load(DEFAULT_SPEC_PATH.read_text())
    assert response.headers["content-type"] == "application/json"


def test_spec_documents_need_no_token(client: httpx.Client) -> None:
    del client.headers["X-Auth-Token"]
    assert client.get("/openapi.json").status_code == 200
