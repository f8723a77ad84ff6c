"""The platform team's everyday edits of the spec, applied to a copy of the shipped one.

Each edit reads what it builds on from the spec (the listing and its items, an enum field that is not a filter
yet, the id field) through `oms_spec`; the names it invents (a header, an operation) are the test's own.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.naming import first_word, kebab_case, snake_case, without_first_word
from oms_spec import ApiSpec, Operation, Pagination, flatten, load_api_spec

REPO = Path(__file__).resolve().parents[2]
SHIPPED_PATH = REPO / "spec" / "oms-sync-tasks.yaml"
SHIPPED = load_api_spec(SHIPPED_PATH)

#: Names the edits invent (not the spec's).
NEW_HEADER = "X-Omsgen-Test-Language"
NEW_HEADER_VALUES = ("en-us", "zh-cn")
NEW_LOOKUP = "ShowListedItem"
NEW_CREATE = "CreateListedItem"
NEW_ACTION = "StopListedItem"
NEW_BODY_FIELD = "name"
NEW_BODY_FIELD_MAX = 63
RENAMED_SUFFIX = "Renamed"

Document = dict[str, Any]


@dataclass(frozen=True)
class Listing:
    """The spec's first paginated operation, its pagination, and the facts the edits and probes need."""

    operation: Operation
    pagination: Pagination
    id_field: str
    new_filter: str
    new_filter_values: tuple[str, ...]


def shipped_document() -> Document:
    loaded: Document = yaml.safe_load(SHIPPED_PATH.read_text(encoding="utf-8"))
    return loaded


def listing(api: ApiSpec = SHIPPED) -> Listing:
    operation = next(op for op in api.operations if api.pagination(op) is not None)
    pagination = api.pagination(operation)
    assert pagination is not None
    item = flatten(pagination.item_schema, api.resolver)
    required = item.keywords.get("required", [])
    id_field = next(name for name in required if "string" in flatten(item.properties[name], api.resolver).types)
    filters = {parameter.name for parameter in api.filters(operation)}
    for name, prop in item.properties.items():
        flat = flatten(prop, api.resolver)
        if flat.enum and flat.component and name not in filters and not flat.nullable:
            return Listing(operation, pagination, id_field, name, tuple(str(value) for value in flat.enum))
    raise AssertionError("the items have no enum field that is not a filter yet")


LISTING = listing()


def method_name(operation: Operation) -> str:
    """The clients' method for an operation, by the naming convention (docs/design.md)."""
    return snake_case(operation.operation_id)


def iterator_name(operation: Operation) -> str:
    """The clients' iterator for a paginated operation, by the naming convention."""
    return f"iter_{without_first_word(operation.operation_id)}"


def command_name(operation_id: str, operation_ids: list[str]) -> str:
    """The CLI subcommand of an operation: its first word when no other operation starts with it."""
    words = [first_word(other) for other in operation_ids]
    return first_word(operation_id) if words.count(first_word(operation_id)) == 1 else kebab_case(operation_id)


def _operation_node(document: Document, operation: Operation) -> dict[str, Any]:
    node: dict[str, Any] = document["paths"][operation.path][operation.method.lower()]
    return node


def with_new_filter(document: Document) -> Document:
    """An optional query parameter named like an item field: a filter by the conventions."""
    edited = copy.deepcopy(document)
    item = flatten(LISTING.pagination.item_schema, SHIPPED.resolver)
    component = flatten(item.properties[LISTING.new_filter], SHIPPED.resolver).component
    _operation_node(edited, LISTING.operation)["parameters"].append(
        {
            "name": LISTING.new_filter,
            "in": "query",
            "required": False,
            "description": "Only the items with this value.",
            "schema": {"allOf": [{"$ref": f"#/components/schemas/{component}"}]},
        }
    )
    return edited


def with_new_header(document: Document) -> Document:
    """An optional request header whose enum is written inline, with a default."""
    edited = copy.deepcopy(document)
    _operation_node(edited, LISTING.operation)["parameters"].append(
        {
            "name": NEW_HEADER,
            "in": "header",
            "required": False,
            "description": "The language of messages.",
            "schema": {"type": "string", "enum": list(NEW_HEADER_VALUES), "default": NEW_HEADER_VALUES[0]},
        }
    )
    return edited


def with_new_lookup(document: Document) -> Document:
    """A GET of one listed item by its id field, answering the item schema or a documented 404."""
    edited = copy.deepcopy(document)
    listed = _operation_node(edited, LISTING.operation)
    kept = [parameter for parameter in listed["parameters"] if _resolved(edited, parameter).get("in") != "query"]
    items_ref = LISTING.pagination.item_schema
    error_ref = next(
        response.schema
        for response in LISTING.operation.responses
        if response.status.startswith("4") and response.schema is not None
    )
    edited["paths"][f"{LISTING.operation.path}/{{{LISTING.id_field}}}"] = {
        "get": {
            "operationId": NEW_LOOKUP,
            "tags": listed.get("tags", []),
            "summary": "Show one listed item",
            "description": "The item whose id is the last path segment.",
            "parameters": [
                *kept,
                {
                    "name": LISTING.id_field,
                    "in": "path",
                    "required": True,
                    "description": "The item's id.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                },
            ],
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": dict(items_ref)}}},
                **{status: response for status, response in listed["responses"].items() if not status.startswith("2")},
                "404": {"description": "Not found", "content": {"application/json": {"schema": dict(error_ref)}}},
            },
        }
    }
    return edited


def with_new_writes(document: Document) -> Document:
    """A POST creating an item from a JSON body (an inline schema), and a POST action answering 204."""
    edited = copy.deepcopy(document)
    listed = _operation_node(edited, LISTING.operation)
    kept = [parameter for parameter in listed["parameters"] if _resolved(edited, parameter).get("in") != "query"]
    error = next(response for response in LISTING.operation.responses if response.status.startswith("4"))
    edited["paths"][LISTING.operation.path]["post"] = {
        "operationId": NEW_CREATE,
        "tags": listed.get("tags", []),
        "summary": "Create an item",
        "parameters": kept,
        "requestBody": {
            "required": True,
            "description": "What to create.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": [NEW_BODY_FIELD],
                        "additionalProperties": False,
                        "properties": {
                            NEW_BODY_FIELD: {"type": "string", "minLength": 1, "maxLength": NEW_BODY_FIELD_MAX},
                            "priority": {"type": "integer", "minimum": 0, "maximum": 9},
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "Created",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["id"],
                            "properties": {"id": {"type": "string", "minLength": 1, "maxLength": 64}},
                        }
                    }
                },
            },
            error.status: {
                "description": "Bad request",
                "content": {"application/json": {"schema": dict(error.schema or {})}},
            },
        },
    }
    edited["paths"][f"{LISTING.operation.path}/{{{LISTING.id_field}}}/stop"] = {
        "post": {
            "operationId": NEW_ACTION,
            "tags": listed.get("tags", []),
            "summary": "Stop an item",
            "parameters": [
                *kept,
                {
                    "name": LISTING.id_field,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "maxLength": 255},
                },
            ],
            "responses": {"204": {"description": "Stopped"}},
        }
    }
    return edited


def with_renamed_item_component(document: Document) -> Document:
    """The items' schema component renamed everywhere it is named."""
    component = LISTING.pagination.item_component
    assert component is not None
    old, new = f'"#/components/schemas/{component}"', f'"#/components/schemas/{component}{RENAMED_SUFFIX}"'
    text = json.dumps(document).replace(old, new)
    edited: Document = json.loads(text)
    schemas = edited["components"]["schemas"]
    schemas[f"{component}{RENAMED_SUFFIX}"] = schemas.pop(component)
    return edited


def with_deprecated_filter(document: Document) -> Document:
    """The listing's first filter parameter marked `deprecated: true`."""
    edited = copy.deepcopy(document)
    first = SHIPPED.filters(LISTING.operation)[0]
    for node in _operation_node(edited, LISTING.operation)["parameters"]:
        resolved = _resolved(edited, node)
        if resolved.get("name") == first.name and resolved.get("in") == "query":
            resolved["deprecated"] = True
    return edited


def with_contradictory_limit(document: Document) -> Document:
    """The limit parameter's minimum raised above its maximum."""
    edited = copy.deepcopy(document)
    limit = LISTING.pagination.limit
    for node in _operation_node(edited, LISTING.operation)["parameters"]:
        resolved = _resolved(edited, node)
        if resolved.get("name") == limit.name:
            schema = resolved["schema"]
            schema["minimum"] = schema["maximum"] + 1
    return edited


def _resolved(document: Document, node: dict[str, Any]) -> dict[str, Any]:
    """`node`, or the component of the same document it references (to edit it in place)."""
    if "$ref" not in node:
        return node
    target: Any = document
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    assert isinstance(target, dict)
    return target


def write(document: Document, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
