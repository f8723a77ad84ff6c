"""What a request to a paginated operation asked for, and what the page it got back holds, read from the wire."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from oms_contract.spec import Paging


@dataclass(frozen=True)
class PageRequest:
    """The paging of a request with the spec's defaults applied, and the filters it sent (typed values)."""

    limit: int
    offset: int
    filters: tuple[tuple[str, Any], ...]
    limit_sent: bool
    offset_sent: bool

    def describe_filters(self) -> str:
        return ", ".join(f"{name}={value!r}" for name, value in self.filters) or "no filter"


@dataclass(frozen=True)
class Page:
    """A success body of a paginated operation: its items (objects) and its total."""

    items: tuple[Mapping[str, Any], ...]
    total: int

    @property
    def size(self) -> int:
        return len(self.items)


def requested_page(url: str, paging: Paging) -> PageRequest | None:
    """The paging a request URL asks for; None when a paging or filter parameter is repeated or invalid per the spec."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    sent: dict[str, int] = {}
    for name, rule in ((paging.limit, paging.limit_rule), (paging.offset, paging.offset_rule)):
        values = query.get(name)
        if values is None:
            continue
        parsed = rule.parse(values[0]) if len(values) == 1 else None
        if parsed is None:
            return None
        sent[name] = parsed
    filters: list[tuple[str, Any]] = []
    for found in paging.filters:
        values = query.get(found.name)
        if values is None:
            continue
        parsed = found.rule.parse(values[0]) if len(values) == 1 else None
        if parsed is None:
            return None
        filters.append((found.name, parsed))
    limit = sent.get(paging.limit, paging.limit_default if paging.limit_default is not None else paging.limit_maximum)
    return PageRequest(
        limit=limit,
        offset=sent.get(paging.offset, paging.offset_default),
        filters=tuple(filters),
        limit_sent=paging.limit in sent,
        offset_sent=paging.offset in sent,
    )


def parse_page(body: bytes, paging: Paging) -> Page | None:
    """The page in a response body; None when it is not a page (the schema checks report that)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, Mapping):
        return None
    items, total = data.get(paging.items), data.get(paging.total)
    if not isinstance(items, list) or not isinstance(total, int) or isinstance(total, bool):
        return None
    if not all(isinstance(item, Mapping) for item in items):
        return None
    return Page(items=tuple(items), total=total)


def item_identity(item: Mapping[str, Any], paging: Paging) -> object:
    """What tells this item apart from the others: its id field (see `oms_contract.spec`), else the whole item."""
    if paging.id_field is not None:
        value = item.get(paging.id_field)
        return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value
    return json.dumps(item, sort_keys=True)
