"""Variants of the shipped spec, as the platform team might edit it; every name they touch is read from the spec.

Each function takes the YAML document and returns an edited deep copy; `write_spec` puts one into a file for a
run. The facts they start from (the listing, its items, its filters) come from `oms_spec`, never retyped.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_spec import SIGNING_EXTENSION, ApiSpec, FlatSchema, Operation, Pagination, flatten, load_api_spec

Document = dict[str, Any]

#: The operationIds of the operations `with_lookup` and `with_create` add (names of the tests' own, not the spec's).
ADDED_LOOKUP = "GetListedItem"
ADDED_CREATE = "CreateListedItem"


@functools.cache
def _shipped_document() -> Document:
    loaded: Document = yaml.load(DEFAULT_SPEC_PATH.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return loaded


def shipped_document() -> Document:
    """A fresh copy of the shipped spec's YAML."""
    return copy.deepcopy(_shipped_document())


SHIPPED = load_api_spec(DEFAULT_SPEC_PATH)


def listing(api: ApiSpec = SHIPPED) -> tuple[Operation, Pagination]:
    """The spec's first paginated operation and its pagination."""
    for operation in api.operations:
        pagination = api.pagination(operation)
        if pagination is not None:
            return operation, pagination
    raise AssertionError("the spec has no paginated operation")


def write_spec(document: Document, directory: Path, name: str = "variant.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    return path


def _operation_node(document: Document, operation: Operation) -> dict[str, Any]:
    node: dict[str, Any] = document["paths"][operation.path][operation.method.lower()]
    return node


def _item_fields_where(predicate: Callable[[Any], bool]) -> list[str]:
    operation, pagination = listing()
    taken = {parameter.name for parameter in operation.parameters}
    return [
        name
        for name, schema in pagination.item_properties.items()
        if name not in taken and predicate(flatten(schema, SHIPPED.resolver))
    ]


def unfiltered_enum_field() -> str:
    """The first enum field of the items that no query parameter filters yet."""
    return _item_fields_where(lambda flat: bool(flat.enum) and not flat.nullable)[0]


def unfiltered_boolean_field() -> str:
    """The first boolean field of the items that no query parameter filters yet."""
    return _item_fields_where(lambda flat: flat.types == {"boolean"} and not flat.nullable)[0]


def unfiltered_integer_field() -> str:
    """The first integer field of the items that no query parameter filters yet."""
    return _item_fields_where(lambda flat: flat.types == {"integer"} and not flat.nullable)[0]


def with_filter(document: Document, field: str) -> Document:
    """The listing gains an optional query parameter named like the item field, with that field's schema."""
    edited = copy.deepcopy(document)
    operation, pagination = listing()
    schema = copy.deepcopy(dict(pagination.item_properties[field]))
    schema.pop("default", None)  # a filter left out filters nothing, whatever the field's default
    schema.pop("description", None)
    parameter = {
        "name": field,
        "in": "query",
        "required": False,
        "description": f"Only items with this {field}.",
        "schema": schema,
    }
    _operation_node(edited, operation).setdefault("parameters", []).append(parameter)
    return edited


def id_field() -> str:
    """The first required string field of the items (the one a GET-by-id would take)."""
    _, pagination = listing()
    required = flatten(pagination.item_schema, SHIPPED.resolver).keywords.get("required") or ()
    return next(
        str(name)
        for name in required
        if flatten(pagination.item_properties[name], SHIPPED.resolver).types == {"string"}
    )


def plain_string_fields() -> list[str]:
    """The item fields that are plain strings (no enum, pattern or format), in spec order."""

    def plain(flat: FlatSchema) -> bool:
        keywords = flat.keywords
        return flat.types == {"string"} and not flat.enum and "pattern" not in keywords and "format" not in keywords

    _, pagination = listing()
    return [name for name, node in pagination.item_properties.items() if plain(flatten(node, SHIPPED.resolver))]


def with_lookup(document: Document, field: str | None = None) -> Document:
    """A GET of one listed item by a field (the id field by default): the listing's path plus `/{<field>}`."""
    edited = copy.deepcopy(document)
    operation, pagination = listing()
    field = field or id_field()
    source = _operation_node(edited, operation)
    id_schema = copy.deepcopy(dict(flatten(pagination.item_properties[field], SHIPPED.resolver).keywords))
    id_schema.pop("description", None)
    id_schema["minLength"] = max(1, int(id_schema.get("minLength", 1)))  # a path segment is never empty
    parameters = [node for node in source["parameters"] if SHIPPED.resolve(node).get("in") != "query"]
    parameters.insert(1, {"name": field, "in": "path", "required": True, "schema": id_schema})
    success = source["responses"][pagination.status]
    item_ref = {"$ref": f"#/components/schemas/{pagination.item_component}"}
    errors = {status: node for status, node in source["responses"].items() if not str(status).startswith("2")}
    not_found = copy.deepcopy(dict(SHIPPED.resolve(next(iter(errors.values())))))
    not_found["description"] = "No such item"
    edited["paths"][f"{operation.path}/{{{field}}}"] = {
        "get": {
            "operationId": ADDED_LOOKUP,
            "summary": "Show one listed item",
            "parameters": parameters,
            "responses": {
                pagination.status: {
                    "description": "The item",
                    "headers": copy.deepcopy(success.get("headers") or {}),
                    "content": {"application/json": {"schema": item_ref}},
                },
                **errors,
                "404": not_found,
            },
        }
    }
    return edited


def without_lookups(document: Document) -> Document:
    """The document without the operations the conventions read as lookups of a listed item."""
    edited = copy.deepcopy(document)
    api = ApiSpec.from_document(copy.deepcopy(document))
    for operation in api.operations:
        if api.lookup(operation) is not None:
            path_item = edited["paths"][operation.path]
            del path_item[operation.method.lower()]
            if not any(key in path_item for key in ("get", "put", "post", "delete", "patch", "head", "options")):
                del edited["paths"][operation.path]
    return edited


def with_create(document: Document) -> Document:
    """A POST on the listing's path that creates an item (a request body of the item schema, 201 with the item)."""
    edited = copy.deepcopy(document)
    operation, pagination = listing()
    source = _operation_node(edited, operation)
    item = {"$ref": f"#/components/schemas/{pagination.item_component}"}
    errors = {status: node for status, node in source["responses"].items() if not str(status).startswith("2")}
    edited["paths"][operation.path]["post"] = {
        "operationId": ADDED_CREATE,
        "summary": "Create an item",
        "parameters": [node for node in source["parameters"] if SHIPPED.resolve(node).get("in") != "query"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": item}}},
        "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": item}}}, **errors},
    }
    return edited


def with_renamed_item_component(document: Document, new_name: str) -> Document:
    """The listing's item schema component renamed, and every reference to it rewritten."""
    _, pagination = listing()
    old = pagination.item_component
    assert old is not None
    edited = copy.deepcopy(document)
    schemas = edited["components"]["schemas"]
    edited["components"]["schemas"] = {(new_name if name == old else name): node for name, node in schemas.items()}
    rewritten: Document = _rewrite_refs(edited, f"#/components/schemas/{old}", f"#/components/schemas/{new_name}")
    return rewritten


def with_deprecated_listing(document: Document) -> Document:
    """The listing operation marked `deprecated: true`."""
    edited = copy.deepcopy(document)
    _operation_node(edited, listing()[0])["deprecated"] = True
    return edited


def with_deprecated_parameter(document: Document, name: str) -> Document:
    """The listing's parameter `name` marked `deprecated: true` (where it is defined, when it is a `$ref`)."""
    edited = copy.deepcopy(document)
    parameter_node(edited, name)["deprecated"] = True
    return edited


def without_signing_scheme(document: Document) -> Document:
    """No AK/SK: the security scheme marked with the signing extension is gone, and so are requirements of it."""
    edited = copy.deepcopy(document)
    schemes = edited["components"]["securitySchemes"]
    signing = [name for name, scheme in schemes.items() if SIGNING_EXTENSION in scheme]
    for name in signing:
        del schemes[name]
    edited["security"] = [
        requirement for requirement in edited.get("security", []) if not set(requirement) & set(signing)
    ]
    return edited


def parameter_node(document: Document, name: str) -> dict[str, Any]:
    """The definition of the listing's parameter `name` inside `document` (followed through its `$ref`)."""
    operation, _ = listing()
    for node in _operation_node(document, operation)["parameters"]:
        target = _resolved(document, node)
        if target.get("name") == name:
            found: dict[str, Any] = target
            return found
    raise AssertionError(f"the listing has no parameter {name!r}")


def without_parameter(document: Document, name: str) -> Document:
    """The listing no longer declares the parameter `name`."""
    edited = copy.deepcopy(document)
    operation, _ = listing()
    node = _operation_node(edited, operation)
    definition = parameter_node(edited, name)
    node["parameters"] = [
        p for p in node["parameters"] if p is not definition and _resolved(edited, p) is not definition
    ]
    return edited


def _resolved(document: Document, node: dict[str, Any]) -> Any:
    if "$ref" in node:
        return document["components"]["parameters"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _rewrite_refs(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {
            key: (new if key == "$ref" and value == old else _rewrite_refs(value, old, new))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(value, old, new) for value in node]
    return node
