"""The collections of items the mock keeps: one per distinct item schema of the spec's paginated operations.

Two listings of the same item component share a collection (and so their items and ids); a listing whose items
are an inline schema has a collection of its own, named after its operationId. A lookup reads the collection of
the listing it belongs to. Each collection knows its id field (the first lookup's field, else the first required
string property that is not an enum), and which fields the store must index (every filter and lookup field).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oms_spec import ApiSpec, Lookup, Operation, Pagination, Parameter, flatten, json_path
from oms_spec.operations import JSON_MEDIA_TYPE


@dataclass(frozen=True)
class Listing:
    """A paginated operation: its declaration and its filter parameters."""

    operation: Operation
    pagination: Pagination
    filters: tuple[Parameter, ...]


@dataclass(frozen=True)
class ItemCollection:
    """The items one or more listings page through."""

    name: str
    item_schema: Mapping[str, Any]
    where: str
    items_name: str
    id_field: str | None
    indexed_fields: tuple[str, ...]
    counted_fields: tuple[str, ...]
    listings: tuple[Listing, ...]
    lookups: tuple[Lookup, ...]

    @property
    def operation_ids(self) -> tuple[str, ...]:
        """The operationIds of the listings served from this collection."""
        return tuple(listing.operation.operation_id for listing in self.listings)


def read_collections(api: ApiSpec) -> tuple[ItemCollection, ...]:
    """Every collection of the spec, in the order their first listing appears."""
    grouped: dict[str, list[Listing]] = {}
    for operation in api.operations:
        pagination = api.pagination(operation)
        if pagination is None:
            continue
        name = pagination.item_component or operation.operation_id
        grouped.setdefault(name, []).append(Listing(operation, pagination, api.filters(operation)))
    lookups = [lookup for lookup in (api.lookup(operation) for operation in api.operations) if lookup is not None]
    return tuple(_collection(api, name, listings, lookups) for name, listings in grouped.items())


def _collection(api: ApiSpec, name: str, listings: list[Listing], all_lookups: list[Lookup]) -> ItemCollection:
    first = listings[0].pagination
    ids = {listing.operation.operation_id for listing in listings}
    lookups = tuple(lookup for lookup in all_lookups if lookup.collection.operation_id in ids)
    item = flatten(first.item_schema, api.resolver)
    properties = item.properties
    id_field = lookups[0].field if lookups else _first_identifying(api, item.keywords, properties)
    filter_fields = [parameter.name for listing in listings for parameter in listing.filters]
    indexed = dict.fromkeys([*([id_field] if id_field else []), *filter_fields, *(lookup.field for lookup in lookups)])
    counted = tuple(
        field for field in dict.fromkeys(filter_fields) if field != id_field and _few_values(api, properties[field])
    )
    return ItemCollection(
        name=name,
        item_schema=first.item_schema,
        where=_item_where(listings[0]),
        items_name=first.items,
        id_field=id_field,
        indexed_fields=tuple(indexed),
        counted_fields=counted,
        listings=tuple(listings),
        lookups=lookups,
    )


def _first_identifying(api: ApiSpec, keywords: Mapping[str, Any], properties: Mapping[str, Any]) -> str | None:
    required = set(keywords.get("required") or ())
    for name, node in properties.items():
        flat = flatten(node, api.resolver)
        fixed = flat.enum is not None or "const" in flat.keywords
        if name in required and "string" in flat.types and not flat.nullable and not fixed:
            return str(name)
    return None


def _few_values(api: ApiSpec, node: Any) -> bool:
    """Whether a field can only take a handful of values (an enum or a boolean), so counting each is cheap."""
    flat = flatten(node, api.resolver)
    return flat.enum is not None or flat.types == {"boolean"} or "const" in flat.keywords


def _item_where(listing: Listing) -> str:
    pagination = listing.pagination
    if pagination.item_component is not None:
        return json_path(("components", "schemas", pagination.item_component))
    response = listing.operation.response(pagination.status)
    base = response.where if response is not None else listing.operation.where
    return f"{base}.content['{JSON_MEDIA_TYPE}'].schema.properties.{pagination.items}.items"
