"""The conventions the spec carries beyond OpenAPI: declared pagination, filters by item field, lookups by id.

- **Pagination** is declared on an operation with `x-omsgen-pagination`, naming the offset and limit query
  parameters and the items array and the total of the success response:

      x-omsgen-pagination: {offset: offset, limit: limit, items: tasks, total: count}

  The limit must have a maximum, and the items array's `maxItems` (if stated) must be at least that maximum.
- **Filters**: on a paginated operation, a query parameter (other than offset and limit) named like a property
  of the items filters the listing by equality.
- **Lookups**: a GET whose path is a paginated GET's path plus one last segment `{name}`, where `name` is a
  property of that listing's items, returns the item whose `name` equals the segment (or a 404).
- **The project**: a path parameter called `PROJECT_PARAMETER` is the caller's project (a Huawei Cloud
  convention): clients fill it from their default project, the mock accepts any well-formed value, and the
  contract suite sends the project it was given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oms_spec.errors import SpecError, SpecProblem
from oms_spec.operations import Operation, Parameter
from oms_spec.references import SpecResolver
from oms_spec.schemas import flatten

PAGINATION_EXTENSION = "x-omsgen-pagination"
PROJECT_PARAMETER = "project_id"
PAGINATION_KEYS = ("offset", "limit", "items", "total")


@dataclass(frozen=True)
class Pagination:
    """A paginated operation's declaration, checked against its parameters and success response."""

    offset: Parameter
    limit: Parameter
    items: str
    total: str
    status: str
    item_schema: Mapping[str, Any]
    item_component: str | None
    item_properties: Mapping[str, Any]
    limit_maximum: int
    limit_minimum: int | None
    limit_default: int | None
    offset_maximum: int | None
    offset_default: int | None


@dataclass(frozen=True)
class Lookup:
    """A GET of one item by the field its last path segment names, and the listing the item belongs to."""

    operation: Operation
    collection: Operation
    parameter: Parameter
    field: str


def read_pagination(operation: Operation, resolver: SpecResolver) -> Pagination | None:
    """The operation's pagination, or None when it declares none; SpecError naming the path of any mistake."""
    declared = operation.extensions.get(PAGINATION_EXTENSION)
    if declared is None:
        return None
    where = f"{operation.where}['{PAGINATION_EXTENSION}']"
    if not isinstance(declared, Mapping):
        raise _refused(where, f"must be a mapping with the keys {', '.join(PAGINATION_KEYS)}")
    problems = [
        SpecProblem(f"{where}.{key}", "is required and must name a parameter or property")
        for key in PAGINATION_KEYS
        if not isinstance(declared.get(key), str) or not declared.get(key)
    ]
    problems += [
        SpecProblem(f"{where}.{key}", f"is not a key of the extension (known: {', '.join(PAGINATION_KEYS)})")
        for key in declared
        if key not in PAGINATION_KEYS
    ]
    if problems:
        raise SpecError(None, problems)
    offset = _integer_query_parameter(operation, resolver, str(declared["offset"]), f"{where}.offset")
    limit = _integer_query_parameter(operation, resolver, str(declared["limit"]), f"{where}.limit")
    limit_schema = flatten(limit.schema, resolver).keywords
    offset_schema = flatten(offset.schema, resolver).keywords
    limit_maximum = _optional_integer(limit_schema.get("maximum"))
    if limit_maximum is None:
        raise _refused(f"{where}.limit", f"the limit parameter {limit.name!r} needs an integer maximum (the page size)")
    response = next(iter(operation.success_responses), None)
    if response is None or response.schema is None:
        raise _refused(where, "the operation needs a 2xx response with a JSON body to paginate")
    body = flatten(response.schema, resolver)
    items_name, total_name = str(declared["items"]), str(declared["total"])
    items = flatten(body.properties.get(items_name), resolver)
    if items_name not in body.properties or "array" not in items.types:
        raise _refused(f"{where}.items", f"{items_name!r} must be an array property of the {response.status} body")
    max_items = _optional_integer(items.keywords.get("maxItems"))
    if max_items is not None and max_items < limit_maximum:
        message = f"the {items_name!r} array holds at most {max_items} items, less than the limit's maximum"
        raise _refused(f"{where}.items", f"{message} {limit_maximum}")
    if total_name not in body.properties or "integer" not in flatten(body.properties[total_name], resolver).types:
        raise _refused(f"{where}.total", f"{total_name!r} must be an integer property of the {response.status} body")
    item_schema = items.keywords.get("items")
    item_schema = item_schema if isinstance(item_schema, Mapping) else {}
    item = flatten(item_schema, resolver)
    offset_maximum = offset_schema.get("maximum")
    return Pagination(
        offset=offset,
        limit=limit,
        items=items_name,
        total=total_name,
        status=response.status,
        item_schema=item_schema,
        item_component=item.component,
        item_properties=item.properties,
        limit_maximum=limit_maximum,
        limit_minimum=_optional_integer(limit_schema.get("minimum")),
        limit_default=_optional_integer(limit_schema.get("default")),
        offset_maximum=_optional_integer(offset_maximum),
        offset_default=_optional_integer(offset_schema.get("default")),
    )


def filter_parameters(operation: Operation, pagination: Pagination | None) -> tuple[Parameter, ...]:
    """The query parameters of a paginated operation that filter its items by equality (spec order)."""
    if pagination is None:
        return ()
    paging = {pagination.offset.name, pagination.limit.name}
    return tuple(
        parameter
        for parameter in operation.parameters_in("query")
        if parameter.name not in paging and parameter.name in pagination.item_properties
    )


def find_lookups(operations: Sequence[Operation], paginations: Mapping[str, Pagination]) -> dict[str, Lookup]:
    """Every lookup operation (by operationId) with its listing; see the module docstring."""
    listings = {
        operation.path: operation
        for operation in operations
        if operation.method == "GET" and operation.operation_id in paginations
    }
    found: dict[str, Lookup] = {}
    for operation in operations:
        if operation.method != "GET" or operation.operation_id in paginations:
            continue
        parent, _, last = operation.path.rstrip("/").rpartition("/")
        if not (last.startswith("{") and last.endswith("}")) or parent not in listings:
            continue
        name = last[1:-1]
        collection = listings[parent]
        parameter = operation.parameter(name, "path")
        if parameter is not None and name in paginations[collection.operation_id].item_properties:
            found[operation.operation_id] = Lookup(operation, collection, parameter, name)
    return found


def _integer_query_parameter(operation: Operation, resolver: SpecResolver, name: str, where: str) -> Parameter:
    parameter = operation.parameter(name, "query")
    if parameter is None:
        raise _refused(where, f"{operation.operation_id} has no query parameter {name!r}")
    if "integer" not in flatten(parameter.schema, resolver).types:
        raise _refused(where, f"the query parameter {name!r} must be an integer")
    return parameter


def _optional_integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _refused(where: str, message: str) -> SpecError:
    return SpecError(None, [SpecProblem(where, message)])
