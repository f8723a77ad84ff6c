"""What the mock's tests expect, read from the shipped spec through `oms_spec` (never retyped).

The first paginated operation is "the listing": its paging parameters, its first filter, its items and total,
the collection's id field, the path parameter a project id goes in, the token header and their limits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from oms_mock import ItemCollection, load_served_spec, read_collections
from oms_spec import Operation, Parameter, flatten

SERVED = load_served_spec()
API = SERVED.api
LISTING: Operation = next(operation for operation in API.operations if API.pagination(operation) is not None)
_PAGINATION = API.pagination(LISTING)
assert _PAGINATION is not None
PAGINATION = _PAGINATION
COLLECTION: ItemCollection = read_collections(API)[0]
ITEMS, TOTAL = PAGINATION.items, PAGINATION.total
ID_FIELD: str = COLLECTION.id_field or ""
FILTER: Parameter = API.filters(LISTING)[0]
TOKEN_HEADER: str = API.credentials.token_header or ""
TOKEN_PARAMETER: Parameter = next(p for p in LISTING.parameters if API.credentials.is_credential(p))
PATH_PARAMETER: Parameter = LISTING.parameters_in("path")[0]


def keywords(parameter: Parameter) -> Mapping[str, Any]:
    """The parameter's schema, flattened."""
    return flatten(parameter.schema, API.resolver).keywords


def stated(parameter: Parameter, keyword: str) -> int:
    """An integer keyword the shipped spec states for the parameter (the test needs it)."""
    value = keywords(parameter).get(keyword)
    assert isinstance(value, int), f"the shipped spec states {keyword} for {parameter.name}"
    return value


LIMIT, OFFSET = PAGINATION.limit.name, PAGINATION.offset.name
LIMIT_MIN, LIMIT_MAX = stated(PAGINATION.limit, "minimum"), stated(PAGINATION.limit, "maximum")
LIMIT_DEFAULT = stated(PAGINATION.limit, "default")
OFFSET_MIN, OFFSET_MAX = stated(PAGINATION.offset, "minimum"), stated(PAGINATION.offset, "maximum")
OFFSET_DEFAULT = stated(PAGINATION.offset, "default")
FILTER_NAME = FILTER.name
FILTER_VALUES: tuple[str, ...] = tuple(str(v) for v in flatten(FILTER.schema, API.resolver).enum or ())
FILTER_MAX_LENGTH = stated(FILTER, "maxLength")
PATH_NAME = PATH_PARAMETER.name
PATH_MIN_LENGTH, PATH_MAX_LENGTH = stated(PATH_PARAMETER, "minLength"), stated(PATH_PARAMETER, "maxLength")
TOKEN_MAX_LENGTH = stated(TOKEN_PARAMETER, "maxLength")
ITEM_PROPERTIES: Mapping[str, Any] = PAGINATION.item_properties


def listing_path(segment: str = "project", template: str = LISTING.path) -> str:
    """The listing's path with `segment` in every path parameter."""
    return re.sub(r"\{[^}]+\}", lambda _: segment, template)


PATH = listing_path()


def item_field(name: str) -> Any:
    """A property of the items, flattened."""
    return flatten(ITEM_PROPERTIES[name], API.resolver)


def fields_where(test: Any) -> list[str]:
    """The item properties whose flattened schema passes `test`, in spec order."""
    return [name for name in ITEM_PROPERTIES if test(item_field(name))]
