"""What the contract suite needs to know of each operation, read from the spec through `oms_spec`.

Nothing here names an operation, parameter or field of a particular API: paging, filters and lookups are the
conventions `oms_spec.conventions` reads (`x-omsgen-pagination`, query parameters named like item fields, GETs
of one item by a field); the rest comes from each operation's documented responses:

- **The request-id header** of a response is any header it documents whose name ends in `request-id`
  (`X-Request-Id`, `Request-Id`; `-`, `_` or nothing between the words, any case).
- **The error body** of a documented status of 400 or above is its JSON schema's required properties.
- **The id of a listing's items** (what tells two items apart in a walk) is the lookup field when a lookup
  of the listing exists, else the first required string property of the items, else the whole item.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oms_contract.query_values import ScalarRule, rule_of
from oms_spec import PROJECT_PARAMETER, ApiSpec, Operation, Response, flatten, load_api_spec

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED_SPEC = _PACKAGE_DIR / "bundled_spec" / "oms-sync-tasks.yaml"
#: The spec the suite tests against unless told otherwise: the copy an installed package bundles (`make dist`
#: copies it in), else the repository's.
DEFAULT_SPEC_PATH = _BUNDLED_SPEC if _BUNDLED_SPEC.is_file() else _PACKAGE_DIR.parent / "spec" / _BUNDLED_SPEC.name

REQUEST_ID_HEADER = re.compile(r"(^|[-_])request[-_]?id\Z", re.IGNORECASE)
# Answers about the caller or the rate, not about the resource asked for: never what an unknown id should get.
_NOT_ABOUT_THE_RESOURCE = frozenset({401, 403, 407, 429})
# Specs read lately: by file (path, modification time, size), and by the document object schemathesis holds.
_RECENT_SPECS = 8
_LOADED: OrderedDict[tuple[str, int, int], ContractSpec] = OrderedDict()
_CACHE: OrderedDict[int, tuple[Mapping[str, Any], ContractSpec]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


@dataclass(frozen=True)
class ErrorBody:
    """The properties an error body must carry, with the JSON types the schema allows for each."""

    fields: tuple[str, ...]
    types: Mapping[str, frozenset[str]]
    nullable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Filter:
    """A query parameter that filters a listing by equality on the item field of the same name."""

    name: str
    rule: ScalarRule
    deprecated: bool


@dataclass(frozen=True)
class Paging:
    """How a paginated operation pages: its parameters and their limits, the body's names, its filters."""

    offset: str
    limit: str
    offset_rule: ScalarRule
    limit_rule: ScalarRule
    items: str
    total: str
    limit_maximum: int
    limit_default: int | None
    offset_maximum: int | None
    offset_default: int
    id_field: str | None
    item_fields: tuple[str, ...]
    filters: tuple[Filter, ...]

    def filter(self, name: str) -> Filter | None:
        return next((found for found in self.filters if found.name == name), None)


@dataclass(frozen=True)
class LookupFacts:
    """A GET of one listed item by a field: the path parameter carrying it and what an unknown value gets."""

    listing: str
    parameter: str
    field: str
    rule: ScalarRule | None
    not_found_statuses: tuple[int, ...]


@dataclass(frozen=True)
class OperationFacts:
    """One operation of the spec as the checks see it."""

    operation: Operation
    paging: Paging | None
    lookup: LookupFacts | None
    request_id_headers: Mapping[str, str]
    error_bodies: Mapping[str, ErrorBody]

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    def request_id_header(self, status: int) -> str | None:
        """The request-id header the response documented for `status` declares, if any."""
        key = _documented_key(status, self.request_id_headers)
        return None if key is None else self.request_id_headers[key]

    def error_body(self, status: int) -> ErrorBody | None:
        """The error body documented for `status` (exactly, by range such as `4XX`, or `default`), if any."""
        if status < 400:
            return None
        key = _documented_key(status, self.error_bodies)
        return None if key is None else self.error_bodies[key]


@dataclass(frozen=True)
class ContractSpec:
    """The spec read for a contract run: the `oms_spec` view and the facts of every operation in spec order."""

    api: ApiSpec
    operations: tuple[OperationFacts, ...]

    def facts_for(self, method: str, path: str) -> OperationFacts | None:
        """The operation at this method and path template; None when the spec has none there."""
        method = method.upper()
        return next((f for f in self.operations if f.operation.method == method and f.operation.path == path), None)

    def by_id(self, operation_id: str) -> OperationFacts:
        return next(facts for facts in self.operations if facts.operation_id == operation_id)

    @property
    def paginated(self) -> tuple[OperationFacts, ...]:
        return tuple(facts for facts in self.operations if facts.paging is not None)

    @property
    def lookups(self) -> tuple[OperationFacts, ...]:
        return tuple(facts for facts in self.operations if facts.lookup is not None)

    def lookups_of(self, listing: str) -> tuple[LookupFacts, ...]:
        """The lookups of the items of the listing operation `listing`."""
        return tuple(f.lookup for f in self.operations if f.lookup is not None and f.lookup.listing == listing)

    @property
    def methods(self) -> frozenset[str]:
        return frozenset(facts.operation.method for facts in self.operations)

    @property
    def has_project_parameter(self) -> bool:
        return any(facts.operation.parameter(PROJECT_PARAMETER, "path") for facts in self.operations)

    @property
    def project_id_example(self) -> str:
        """The example value the spec gives the project path parameter ("" when it gives none)."""
        for facts in self.operations:
            parameter = facts.operation.parameter(PROJECT_PARAMETER, "path")
            if parameter is not None and parameter.example is not None:
                return str(parameter.example)
        return ""


def load_contract_spec(path: Path | str = DEFAULT_SPEC_PATH) -> ContractSpec:
    """The spec at `path` read for a run; `oms_spec.SpecError` naming the problem when it cannot be used.

    A file read before and unchanged since (same size and modification time) is not parsed again.
    """
    source = Path(path)
    try:
        stat = source.stat()
    except OSError:
        return read_contract_spec(load_api_spec(source))  # oms_spec names the reason
    key = (str(source.resolve()), stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        loaded = _LOADED.get(key)
    if loaded is None:
        loaded = read_contract_spec(load_api_spec(source))
        with _CACHE_LOCK:
            _LOADED[key] = loaded
            while len(_LOADED) > _RECENT_SPECS:
                _LOADED.popitem(last=False)
    return loaded


def read_contract_spec(api: ApiSpec) -> ContractSpec:
    """The facts of every operation of an already loaded spec."""
    id_fields = {facts.collection.operation_id: facts.field for facts in api.lookups.values()}
    operations = []
    for operation in api.operations:
        operations.append(
            OperationFacts(
                operation=operation,
                paging=_paging(api, operation, id_fields.get(operation.operation_id)),
                lookup=_lookup(api, operation),
                request_id_headers={
                    response.status: header
                    for response in operation.responses
                    if (header := _request_id_header(response)) is not None
                },
                error_bodies={
                    response.status: body
                    for response in operation.responses
                    if _may_be_error(response.status) and (body := _error_body(api, response)) is not None
                },
            )
        )
    return ContractSpec(api=api, operations=tuple(operations))


def without_header_parameter(document: Mapping[str, Any], header: str) -> dict[str, Any]:
    """A copy of the document in which no operation or path item declares the header parameter `header`.

    Under AK/SK signing the token header is not sent: the spec's `security` accepts either scheme, and keeping the
    parameter would make schemathesis send a random token beside the signature and expect its absence rejected.
    """
    copied: dict[str, Any] = copy.deepcopy(dict(document))
    api = ApiSpec.from_document(copied)
    for item in (copied.get("paths") or {}).values():
        item = api.resolve(item)
        if not isinstance(item, dict):
            continue
        holders = [item, *(value for value in item.values() if isinstance(value, dict))]
        for holder in holders:
            if isinstance(holder.get("parameters"), list):
                holder["parameters"] = [
                    node for node in holder["parameters"] if not _is_header(api.resolve(node), header)
                ]
    return copied


def contract_of(raw_schema: Mapping[str, Any]) -> ContractSpec:
    """The facts of a spec schemathesis loaded, read once per document object (checks ask on every response)."""
    key = id(raw_schema)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached[0] is not raw_schema:
            cached = (raw_schema, read_contract_spec(ApiSpec.from_document(dict(raw_schema))))
            _CACHE[key] = cached
            while len(_CACHE) > _RECENT_SPECS:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
        return cached[1]


def _paging(api: ApiSpec, operation: Operation, lookup_field: str | None) -> Paging | None:
    pagination = api.pagination(operation)
    if pagination is None:
        return None
    # oms_spec checked both are integers; a schema admitting another type as well is read as a plain integer.
    offset_rule = rule_of(pagination.offset, api.resolver) or ScalarRule(kind="integer")
    limit_rule = rule_of(pagination.limit, api.resolver) or ScalarRule(kind="integer")
    filters = []
    for parameter in api.filters(operation):
        rule = rule_of(parameter, api.resolver)
        if rule is not None:  # a filter that is not one scalar has no single value to compare
            filters.append(Filter(parameter.name, rule, parameter.deprecated))
    return Paging(
        offset=pagination.offset.name,
        limit=pagination.limit.name,
        offset_rule=offset_rule,
        limit_rule=limit_rule,
        items=pagination.items,
        total=pagination.total,
        limit_maximum=pagination.limit_maximum,
        limit_default=pagination.limit_default,
        offset_maximum=pagination.offset_maximum,
        offset_default=pagination.offset_default or 0,
        id_field=lookup_field or _first_required_string(api, pagination.item_schema, pagination.item_properties),
        item_fields=tuple(pagination.item_properties),
        filters=tuple(filters),
    )


def _first_required_string(api: ApiSpec, item_schema: Mapping[str, Any], properties: Mapping[str, Any]) -> str | None:
    required = flatten(item_schema, api.resolver).keywords.get("required") or ()
    for name in required:
        if name in properties and flatten(properties[name], api.resolver).types == {"string"}:
            return str(name)
    return None


def _lookup(api: ApiSpec, operation: Operation) -> LookupFacts | None:
    lookup = api.lookup(operation)
    if lookup is None:
        return None
    documented = [response.status_code for response in operation.responses if response.status_code is not None]
    if 404 in documented:
        not_found: tuple[int, ...] = (404,)
    else:
        not_found = tuple(s for s in documented if 400 <= s < 500 and s not in _NOT_ABOUT_THE_RESOURCE)
    return LookupFacts(
        listing=lookup.collection.operation_id,
        parameter=lookup.parameter.name,
        field=lookup.field,
        rule=rule_of(lookup.parameter, api.resolver),
        not_found_statuses=not_found,
    )


def _request_id_header(response: Response) -> str | None:
    return next((str(name) for name in response.headers if REQUEST_ID_HEADER.search(str(name))), None)


def _may_be_error(status: str) -> bool:
    return status == "default" or status[:1] in ("4", "5")


def _error_body(api: ApiSpec, response: Response) -> ErrorBody | None:
    if response.schema is None:
        return None
    flat = flatten(response.schema, api.resolver)
    required = tuple(str(name) for name in flat.keywords.get("required") or ())
    if not required:
        return None
    flats = {name: flatten(flat.properties.get(name), api.resolver) for name in required}
    return ErrorBody(
        fields=required,
        types={name: found.types for name, found in flats.items()},
        nullable=frozenset(name for name, found in flats.items() if found.nullable),
    )


def _documented_key(status: int, documented: Mapping[str, Any]) -> str | None:
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in documented:
            return key
    return None


def _is_header(node: Any, header: str) -> bool:
    return isinstance(node, Mapping) and node.get("in") == "header" and str(node.get("name")).lower() == header.lower()
