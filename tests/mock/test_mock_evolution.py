"""Spec evolution: the platform team edits the spec, and the mock serves the edited spec with no code change.

Each test builds a variant of the shipped spec (`mock_spec_variants`), serves it with `MockConfig(spec_path=...)`
and uses it end to end, in process or over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import mock_spec_variants as variants
import orjson
import pytest
from spec_facts import (
    FILTER_NAME,
    FILTER_VALUES,
    ID_FIELD,
    ITEMS,
    LIMIT,
    LIMIT_MAX,
    LISTING,
    PATH,
    TOKEN_HEADER,
    TOTAL,
    item_field,
    listing_path,
)
from starlette.applications import Starlette

from oms_mock import DEFAULT_TOKEN, ConfigError, MockConfig, create_app, get_store, run_server

NEW_FIELD = variants.new_filter_field()
NEW_VALUES: tuple[Any, ...] = item_field(NEW_FIELD).enum or ()


def served_variant(tmp_path: Path, change: Callable[[variants.Document], Any], tasks: int = 300) -> Starlette:
    document = variants.shipped()
    changed = change(document)
    if isinstance(changed, dict) and "paths" in changed:
        document = changed
    return create_app(MockConfig(spec_path=variants.written(tmp_path, document), tasks=tasks))


@pytest.fixture(scope="module")
def with_new_filter(tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    return served_variant(tmp_path_factory.mktemp("filter"), lambda d: variants.add_filter_parameter(d, NEW_FIELD))


def test_a_new_query_parameter_named_like_an_item_field_filters_by_it(
    with_new_filter: Starlette, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    http = authorised(with_new_filter)
    for value in NEW_VALUES:
        page = http.get(PATH, params={NEW_FIELD: value, LIMIT: LIMIT_MAX}).json()
        expected = [item for item in get_store(with_new_filter).items() if item[NEW_FIELD] == value]
        assert page[TOTAL] == len(expected) > 0
        assert page[ITEMS] == expected[:LIMIT_MAX]


def test_a_new_filter_combines_with_the_existing_one(
    with_new_filter: Starlette, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    value, other = NEW_VALUES[0], FILTER_VALUES[-1]
    page = authorised(with_new_filter).get(PATH, params={NEW_FIELD: value, FILTER_NAME: other}).json()
    expected = [i for i in get_store(with_new_filter).items() if i[NEW_FIELD] == value and i[FILTER_NAME] == other]
    assert page[TOTAL] == len(expected)
    assert all(item[NEW_FIELD] == value and item[FILTER_NAME] == other for item in page[ITEMS])


def test_a_new_filter_parameter_is_validated_against_its_ref_schema(
    with_new_filter: Starlette, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    response = authorised(with_new_filter).get(PATH, params={NEW_FIELD: "Nowhere"})
    assert response.status_code == 400
    choices = ", ".join(str(value) for value in NEW_VALUES)
    assert response.json()["error_detail"] == f"{NEW_FIELD} must be one of {choices}, got 'Nowhere'"


def test_a_new_header_parameter_with_an_inline_enum_is_validated(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    http = authorised(served_variant(tmp_path, variants.add_header_parameter, tasks=20))
    header, channels = variants.CHANNEL_HEADER, variants.CHANNELS
    rejected = http.get(PATH, headers={header.lower(): "fax"})
    assert rejected.status_code == 400
    assert rejected.json()["error_detail"] == f"{header} must be one of {', '.join(channels)}, got 'fax'"
    assert http.get(PATH, headers={header: channels[0]}).status_code == 200
    assert http.get(PATH).status_code == 200


@pytest.fixture(scope="module")
def lookup_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    app = served_variant(tmp_path_factory.mktemp("lookup"), variants.add_lookup, tasks=50)
    with run_server(app) as base_url:
        yield app, base_url


def lookup_url(base_url: str, identifier: str) -> str:
    return base_url + listing_path("project", f"{LISTING.path}/{{{ID_FIELD}}}").rsplit("/", 1)[0] + "/" + identifier


def test_a_new_get_by_id_operation_serves_the_stored_item_over_http(lookup_server: Any) -> None:
    app, base_url = lookup_server
    stored = list(get_store(app).items())[7]
    response = httpx.get(lookup_url(base_url, stored[ID_FIELD]), headers={TOKEN_HEADER: DEFAULT_TOKEN})
    assert response.status_code == 200
    assert response.json() == stored


def test_a_new_get_by_id_operation_answers_404_for_an_unknown_id(lookup_server: Any) -> None:
    _, base_url = lookup_server
    response = httpx.get(lookup_url(base_url, "no-such-id"), headers={TOKEN_HEADER: DEFAULT_TOKEN})
    assert response.status_code == 404
    body = response.json()
    assert (body["error_code"], body["error_msg"]) == ("OMS.1009", "No resources found.")
    assert "'no-such-id'" in body["error_detail"]
    assert len(response.headers["x-request-id"]) == 32


def test_a_new_get_by_id_operation_checks_credentials_first(lookup_server: Any) -> None:
    _, base_url = lookup_server
    assert httpx.get(lookup_url(base_url, "no-such-id")).status_code == 401


def test_the_listing_still_serves_beside_a_new_get_by_id_operation(lookup_server: Any) -> None:
    _, base_url = lookup_server
    assert httpx.get(base_url + PATH, headers={TOKEN_HEADER: DEFAULT_TOKEN}).json()[TOTAL] == 50


def test_a_renamed_item_component_still_serves(tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]) -> None:
    old = variants.ITEM_COMPONENT
    app = served_variant(tmp_path, lambda d: variants.rename_component(d, old, old + "Renamed"), tasks=40)
    page = authorised(app).get(PATH, params={LIMIT: LIMIT_MAX}).json()
    assert page[TOTAL] == 40
    assert [item[ID_FIELD] for item in page[ITEMS]] == [item[ID_FIELD] for item in get_store(app).items()]
    assert "Renamed" in app.state.collections[0].name


def test_a_deprecated_parameter_is_still_accepted_and_honoured(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    http = authorised(served_variant(tmp_path, variants.deprecate_filter, tasks=60))
    value = FILTER_VALUES[0]
    page = http.get(PATH, params={FILTER_NAME: value, LIMIT: LIMIT_MAX}).json()
    assert page[ITEMS]
    assert {item[FILTER_NAME] for item in page[ITEMS]} == {value}


@pytest.fixture(scope="module")
def with_post(tmp_path_factory: pytest.TempPathFactory) -> tuple[Starlette, str]:
    holder: dict[str, str] = {}

    def add(document: variants.Document) -> None:
        holder["path"] = variants.add_post_operation(document)

    app = served_variant(tmp_path_factory.mktemp("post"), add, tasks=10)
    return app, listing_path("project", holder["path"])


def post_response_schema(app: Starlette) -> dict[str, Any]:
    operation = app.state.spec.api.operation(variants.POST_ID)
    schema: dict[str, Any] = operation.success_responses[0].schema
    return schema


def test_a_new_operation_no_convention_covers_answers_a_body_valid_against_its_schema(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    response = authorised(app).post(path, json={"ids": ["a", "b"]})
    assert response.status_code == 200
    validator = jsonschema_rs.validator_for(post_response_schema(app))
    assert [error.message for error in validator.iter_errors(response.json())] == []


def test_a_new_operation_answers_the_same_body_every_time(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    http = authorised(app)
    assert http.post(path, json={"ids": ["a"]}).content == http.post(path, json={"ids": ["b"]}).content


def test_a_request_body_that_breaks_its_schema_is_refused_naming_where(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    response = authorised(app).post(path, json={"ids": []})
    assert response.status_code == 400
    assert response.json()["error_detail"] == "body.ids must hold at least 1 items, got 0"


def test_a_required_request_body_that_is_missing_is_refused(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    response = authorised(app).post(path)
    assert response.status_code == 400
    assert response.json()["error_detail"].startswith("body is required")


def test_a_request_body_that_is_not_json_is_refused(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    response = authorised(app).post(path, content=b"{", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error_detail"].startswith("body must be a JSON document")


def test_a_new_operation_is_405_for_other_methods_with_its_allow_header(
    with_post: tuple[Starlette, str], authorised: Callable[[Starlette], httpx.Client]
) -> None:
    app, path = with_post
    response = authorised(app).put(path)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_a_new_operation_without_content_answers_its_status_with_no_body(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    def add_delete(document: variants.Document) -> None:
        node = variants.listing_node(document)
        document["paths"][LISTING.path]["delete"] = {
            "operationId": "DeleteEverything",
            "parameters": variants.shared_parameters(document, node),
            "responses": {"204": {"description": "Deleted"}},
        }

    http = authorised(served_variant(tmp_path, add_delete, tasks=3))
    response = http.delete(PATH)
    assert (response.status_code, response.content) == (204, b"")
    assert "content-type" not in response.headers
    assert http.request("PUT", PATH).headers["allow"] == ", ".join(sorted({"DELETE", LISTING.method, "HEAD"}))


def test_a_second_listing_of_the_same_items_serves_the_same_store(
    tmp_path: Path, authorised: Callable[[Starlette], httpx.Client]
) -> None:
    found: dict[str, str] = {}

    def add(document: variants.Document) -> None:
        found["id"], found["path"] = variants.add_second_listing(document)

    app = served_variant(tmp_path, add, tasks=30)
    http = authorised(app)
    assert http.get(listing_path("p", found["path"])).json() == http.get(PATH).json()
    assert get_store(app, found["id"]) is get_store(app)


def test_items_can_be_imported_for_a_listing_named_by_its_operation_id(tmp_path: Path) -> None:
    found: dict[str, str] = {}

    def add(document: variants.Document) -> None:
        found["id"], found["path"] = variants.add_second_listing(document)

    document = variants.shipped()
    add(document)
    items = list(get_store(create_app(MockConfig(tasks=4, seed=8))).items())
    path = tmp_path / "items.json"
    path.write_bytes(orjson.dumps(items))
    app = create_app(MockConfig(spec_path=variants.written(tmp_path, document), imports=((found["id"], path),)))
    assert list(get_store(app).items()) == items


def test_a_paginated_operation_whose_limit_has_no_maximum_is_refused_naming_the_json_path(tmp_path: Path) -> None:
    document = variants.shipped()
    where = variants.drop_limit_maximum(document)
    with pytest.raises(ConfigError, match="needs an integer maximum") as refused:
        create_app(MockConfig(spec_path=variants.written(tmp_path, document)))
    assert where in str(refused.value)


def test_an_object_query_parameter_is_refused_naming_its_json_path(tmp_path: Path) -> None:
    document = variants.shipped()
    variants.listing_node(document)["parameters"].append(
        {"name": "shape", "in": "query", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
    )
    with pytest.raises(ConfigError, match="only string, integer, number and boolean parameters") as refused:
        create_app(MockConfig(spec_path=variants.written(tmp_path, document)))
    assert f"{LISTING.where}.parameters[" in str(refused.value)


def test_an_operation_anyone_may_call_needs_no_credentials(
    tmp_path: Path, client_for: Callable[[Starlette], httpx.Client]
) -> None:
    def open_up(document: variants.Document) -> None:
        node = variants.listing_node(document)
        node["security"] = []
        shared = variants.shared_parameters(document, node, credentials=False)
        with_token = variants.shared_parameters(document, node)
        node["parameters"] = [p for p in node["parameters"] if p in shared or p not in with_token]

    assert client_for(served_variant(tmp_path, open_up, tasks=3)).get(PATH).status_code == 200
