"""Variants of the shipped spec, built as the platform team would edit it: a deep copy of the YAML, changed.

Each builder takes the document and returns what the test needs to find in it again; `written` saves a document
to a file for `MockConfig(spec_path=...)`. Names of new things (a header, an operation) are the test's own;
everything that exists already is found through `spec_facts` (the listing, its item component, its fields).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from spec_facts import API, FILTER, ID_FIELD, LISTING, PAGINATION, TOKEN_HEADER, fields_where, item_field

from oms_mock import DEFAULT_SPEC_PATH
from oms_spec import PAGINATION_EXTENSION

Document = dict[str, Any]
_SHIPPED: Document = yaml.safe_load(DEFAULT_SPEC_PATH.read_text(encoding="utf-8"))
ITEM_COMPONENT = PAGINATION.item_component or ""
ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
#: A header the tests add, with an inline enum.
CHANNEL_HEADER, CHANNELS = "X-Request-Channel", ["console", "sdk"]
#: An operation no convention covers, added by the tests.
POST_ID, POST_SUFFIX = "StopSyncTasksInBatch", "/batch-stop"
#: The lookup by id the tests add.
LOOKUP_ID = f"Show{ITEM_COMPONENT}"


def shipped() -> Document:
    """A fresh deep copy of the shipped spec."""
    return copy.deepcopy(_SHIPPED)


def written(tmp_path: Path, document: Document, name: str = "variant.yaml") -> Path:
    """`document` saved as YAML under `tmp_path`."""
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def listing_node(document: Document) -> dict[str, Any]:
    """The listing's operation object in `document`."""
    node: dict[str, Any] = document["paths"][LISTING.path][LISTING.method.lower()]
    return node


def new_filter_field() -> str:
    """An item field that is an enum component (written `allOf: [$ref]`) and not yet a filter of the listing."""
    taken = {parameter.name for parameter in API.filters(LISTING)}
    candidates = fields_where(lambda flat: flat.enum is not None and flat.component is not None)
    return next(name for name in candidates if name not in taken)


def add_filter_parameter(document: Document, field: str) -> None:
    """A new optional query parameter named like an item field, its schema `allOf: [$ref]` to the field's enum."""
    component = _field_component(field)
    parameter = {
        "name": field,
        "in": "query",
        "required": False,
        "description": f"Only items whose {field} is this value.",
        "schema": {"allOf": [{"$ref": f"#/components/schemas/{component}"}]},
    }
    listing_node(document)["parameters"].append(parameter)


def _field_component(field: str) -> str:
    component = item_field(field).component
    assert isinstance(component, str)
    return component


def add_header_parameter(document: Document) -> None:
    """A new optional header parameter of the listing with an inline enum."""
    parameter = {
        "name": CHANNEL_HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "enum": CHANNELS},
    }
    listing_node(document)["parameters"].append(parameter)


def shared_parameters(document: Document, operation: dict[str, Any], *, credentials: bool = True) -> list[Any]:
    """The operation's path parameters and (unless told not to) token header, as written, for a new operation."""
    kept = []
    for node in operation["parameters"]:
        resolved = node
        if "$ref" in node:
            resolved = document["components"]["parameters"][node["$ref"].rsplit("/", 1)[-1]]
        token = resolved["in"] == "header" and resolved["name"].lower() == TOKEN_HEADER.lower()
        if resolved["in"] == "path" or (token and credentials):
            kept.append(copy.deepcopy(node))
    return kept


def add_lookup(document: Document) -> str:
    """A GET `<listing path>/{<id field>}` returning the item schema, with 400/401/404 documented; its path."""
    path = f"{LISTING.path}/{{{ID_FIELD}}}"
    listing = listing_node(document)
    id_schema = copy.deepcopy(document["components"]["schemas"][ITEM_COMPONENT]["properties"][ID_FIELD])
    id_schema.pop("description", None)
    id_schema["minLength"] = max(1, int(id_schema.get("minLength", 0)))
    kept = shared_parameters(document, listing)
    document["paths"][path] = {
        "get": {
            "operationId": LOOKUP_ID,
            "tags": listing.get("tags", []),
            "summary": "Show one item",
            "parameters": [*kept, {"name": ID_FIELD, "in": "path", "required": True, "schema": id_schema}],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ITEM_COMPONENT}"}}},
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"description": "Not found", "content": {"application/json": {"schema": ERROR_REF}}},
            },
        }
    }
    return path


def add_post_operation(document: Document) -> str:
    """A POST no convention covers (JSON request body, 200 body with a date-time and a count); its path."""
    path = LISTING.path + POST_SUFFIX
    listing = listing_node(document)
    kept = shared_parameters(document, listing)
    id_schema = copy.deepcopy(document["components"]["schemas"][ITEM_COMPONENT]["properties"][ID_FIELD])
    document["paths"][path] = {
        "post": {
            "operationId": POST_ID,
            "parameters": kept,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["ids"],
                            "properties": {"ids": {"type": "array", "minItems": 1, "maxItems": 10, "items": id_schema}},
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Stopped",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["stopped", "at"],
                                "properties": {
                                    "stopped": {"type": "integer", "minimum": 0, "maximum": 10},
                                    "at": {"type": "string", "format": "date-time"},
                                    "note": {"type": ["string", "null"], "maxLength": 20, "pattern": "^[a-z ]*$"},
                                },
                            }
                        }
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
            },
        }
    }
    return path


def rename_component(document: Document, old: str, new: str) -> Document:
    """The document with schema component `old` renamed to `new`, every `$ref` to it rewritten."""
    schemas = document["components"]["schemas"]
    document["components"]["schemas"] = {(new if name == old else name): schema for name, schema in schemas.items()}
    before, after = f"#/components/schemas/{old}", f"#/components/schemas/{new}"

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (after if k == "$ref" and v == before else rewrite(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    rewritten: Document = rewrite(document)
    return rewritten


def deprecate_filter(document: Document) -> None:
    """The listing's first filter parameter marked `deprecated: true` (where it is defined)."""
    for node in document["components"]["parameters"].values():
        if node.get("name") == FILTER.name and node.get("in") == "query":
            node["deprecated"] = True
            return
    raise AssertionError("the filter parameter is not a component")


def drop_limit_maximum(document: Document) -> str:
    """The limit parameter's maximum removed; the JSON path the refusal should name."""
    limit = PAGINATION.limit.name
    for node in document["components"]["parameters"].values():
        if node.get("name") == limit and node.get("in") == "query":
            node["schema"].pop("maximum")
    return f"{LISTING.where}['{PAGINATION_EXTENSION}'].limit"


def add_second_listing(document: Document) -> tuple[str, str]:
    """A second paginated GET of the same items under another path; its operationId and path."""
    path = "/again" + LISTING.path
    node = copy.deepcopy(listing_node(document))
    node["operationId"] = f"{LISTING.operation_id}Again"
    document["paths"][path] = {LISTING.method.lower(): node}
    return node["operationId"], path
