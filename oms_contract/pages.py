"""What a list request asked for and what the page it got back holds, read from the wire."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from oms_contract.spec import (
    COUNT_FIELD,
    TASK_ID_FIELD,
    TASK_STATUS_FIELD,
    TASKS_FIELD,
    ListOperation,
    read_operation,
)


@dataclass(frozen=True)
class PageRequest:
    """The paging parameters of a request with the spec's defaults applied."""

    limit: int
    offset: int
    status: str | None
    limit_sent: bool
    offset_sent: bool


@dataclass(frozen=True)
class Page:
    """A 200 list response body: the tasks' ids and statuses, and `count`."""

    ids: tuple[object, ...]
    statuses: tuple[object, ...]
    count: int

    @property
    def size(self) -> int:
        return len(self.ids)


def requested_page(url: str, operation: ListOperation) -> PageRequest | None:
    """The paging a request URL asks for; None when a paging parameter is repeated or invalid per the spec."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    values: dict[str, int | None] = {}
    for parameter in (operation.limit, operation.offset):
        sent = query.get(parameter.name)
        if sent is None:
            values[parameter.name] = None
            continue
        if len(sent) != 1:
            return None
        parsed = parameter.parse(sent[0])
        if parsed is None:
            return None
        values[parameter.name] = parsed
    status_sent = query.get("status")
    status: str | None = None
    if status_sent is not None:
        if len(status_sent) != 1 or status_sent[0] not in operation.statuses:
            return None
        status = status_sent[0]
    limit, offset = values[operation.limit.name], values[operation.offset.name]
    return PageRequest(
        limit=operation.limit.default if limit is None else limit,
        offset=operation.offset.default if offset is None else offset,
        status=status,
        limit_sent=limit is not None,
        offset_sent=offset is not None,
    )


def parse_page(body: bytes) -> Page | None:
    """The page in a response body; None when it is not a list response (schema checks report that)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, Mapping):
        return None
    tasks, count = data.get(TASKS_FIELD), data.get(COUNT_FIELD)
    if not isinstance(tasks, list) or not isinstance(count, int) or isinstance(count, bool):
        return None
    if not all(isinstance(task, Mapping) for task in tasks):
        return None
    return Page(
        ids=tuple(task.get(TASK_ID_FIELD) for task in tasks),
        statuses=tuple(task.get(TASK_STATUS_FIELD) for task in tasks),
        count=count,
    )


# The specs of the last few runs, each kept beside its facts so its id cannot be reused by another object.
_RECENT_SPECS = 4
_OPERATIONS: OrderedDict[int, tuple[Mapping[str, Any], ListOperation]] = OrderedDict()
_OPERATIONS_LOCK = threading.Lock()


def operation_of(raw_schema: Mapping[str, Any]) -> ListOperation:
    """The list operation of a loaded spec, read once per spec object (checks call this for every response)."""
    key = id(raw_schema)
    with _OPERATIONS_LOCK:
        cached = _OPERATIONS.get(key)
        if cached is None or cached[0] is not raw_schema:
            cached = (raw_schema, read_operation(raw_schema))
            _OPERATIONS[key] = cached
            while len(_OPERATIONS) > _RECENT_SPECS:
                _OPERATIONS.popitem(last=False)
        else:
            _OPERATIONS.move_to_end(key)
        return cached[1]
