"""What an operation answers once its request is valid, chosen by the convention it follows.

- A **listing** (paginated operation) pages its collection: offset and limit slice the listing order, every
  filter parameter sent is an equality filter on the item field of its name, and the total counts every
  matching item. Assembled page bodies are cached until the store changes.
- A **lookup** returns the item of its listing's collection whose field equals the last path segment, or a 404
  with the error body `OMS.1009`.
- **Any other operation** answers its first documented 2xx status with a body generated from that response's
  schema at start-up (deterministic, validated), or with no body when the response has none.

An answer splits in two steps so the endpoint can cache the first: `prepare` turns checked parameters into a
small hashable key, `respond` turns the key into a status and body.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Protocol, cast

import orjson

from oms_mock import errors
from oms_mock.listings import ItemCollection, Listing
from oms_mock.messages import echo
from oms_mock.parameters import ParsedRequest
from oms_mock.store import Filters, ItemStore
from oms_spec import Lookup

#: A status, a body and its content type (None for no body).
Reply = tuple[int, bytes, bytes | None]


class Answer(Protocol):
    """How an operation answers a valid request."""

    def prepare(self, request: ParsedRequest) -> Hashable:
        """The key of the answer to `request` (computed once per distinct request)."""

    def respond(self, key: Hashable) -> Reply:
        """The answer for a key made by `prepare`."""


def success_status(status: str) -> int:
    """The status code to answer for a documented 2xx key (`2XX` reads as 200)."""
    return int(status) if status.isdigit() else 200


class ListingAnswer:
    """A page of the collection, as the listing's 2xx body."""

    def __init__(self, listing: Listing, store: ItemStore, cache_size: int, extras: Mapping[str, Any]) -> None:
        pagination = listing.pagination
        self._store = store
        self._status = success_status(pagination.status)
        self._offset, self._limit = pagination.offset.name, pagination.limit.name
        # No default in the spec: the first page, as large as the spec allows.
        self._default_limit = pagination.limit_default or pagination.limit_maximum
        self._default_offset = pagination.offset_default or 0
        self._filters = tuple(parameter.name for parameter in listing.filters)
        self._head = b"{" + orjson.dumps(pagination.items) + b":["
        self._middle = b"]," + orjson.dumps(pagination.total) + b":"
        extra = orjson.dumps(dict(extras))[1:-1]
        self._tail = (b"," + extra if extra else b"") + b"}"
        self._cache: dict[Hashable, bytes] = {}
        self._cache_size = cache_size
        self._cache_version = -1

    def prepare(self, request: ParsedRequest) -> Hashable:
        query = request.query
        filters = {name: query[name] for name in self._filters if name in query}
        limit = query.get(self._limit, self._default_limit)
        offset = query.get(self._offset, self._default_offset)
        return (self._store.normalised(filters), limit, offset)

    def respond(self, key: Hashable) -> Reply:
        version = self._store.version
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        body = self._cache.get(key)
        if body is None:
            filters, limit, offset = cast(tuple[Filters, int, int], key)
            rows, total = self._store.page_and_count(limit, offset, filters)
            body = self._head + b",".join(rows) + self._middle + str(total).encode() + self._tail
            if self._cache_size:
                if len(self._cache) >= self._cache_size:
                    del self._cache[next(iter(self._cache))]
                self._cache[key] = body
        return self._status, body, errors.JSON_CONTENT_TYPE


class LookupAnswer:
    """The item whose field equals the path segment, or 404 `OMS.1009`."""

    def __init__(self, lookup: Lookup, collection: ItemCollection, store: ItemStore) -> None:
        response = next(iter(lookup.operation.success_responses), None)
        self._status = success_status(response.status) if response is not None else 200
        self._parameter, self._field = lookup.parameter.name, lookup.field
        self._noun = collection.items_name
        self._store = store

    def prepare(self, request: ParsedRequest) -> Hashable:
        value: Hashable = request.path[self._parameter]
        return value

    def respond(self, key: Hashable) -> Reply:
        body = self._store.body_of(key, self._field)
        if body is None:
            detail = f"{self._field} {echo(key)} was not found among the {self._noun}."
            return 404, errors.oms_error(errors.NOT_FOUND, detail), errors.JSON_CONTENT_TYPE
        return self._status, body, errors.JSON_CONTENT_TYPE


class FixedAnswer:
    """The same status and body (JSON bytes, or None for no body) for every valid request."""

    def __init__(self, status: int, body: bytes | None) -> None:
        self._reply: Reply = (status, body, errors.JSON_CONTENT_TYPE) if body is not None else (status, b"", None)

    def prepare(self, request: ParsedRequest) -> Hashable:
        return None

    def respond(self, key: Hashable) -> Reply:
        return self._reply
