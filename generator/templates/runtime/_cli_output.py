"""What the command line prints: any result as JSON, JSON lines, or a table whose columns come from the schema."""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import pydantic

from ._endpoint import Endpoint, Pagination
from ._pagination import ItemIterator
from .errors import ValidationError

_SCALARS = (str, int, float, bool)
_MAX_CELL = 40  # terminal columns
_WIDE = frozenset({"W", "F"})


def write_result(
    result: object,
    endpoint: Endpoint[Any, Any],
    output_format: str,
    columns: Sequence[str] | None,
    out: TextIO,
    written: Written,
) -> None:
    """Print one call's result: the whole document as JSON, or its rows (a page's items, or the one object)."""
    if result is None:
        return  # the operation answers without a body
    if output_format == "json":
        out.write(_json(result, indent=2) + "\n")
        return
    pagination = endpoint.pagination
    rows: list[Any] = pagination.items(result) if pagination is not None else [result]
    if output_format == "jsonl":
        for row in rows:
            out.write(_json(row) + "\n")
        return
    model = pagination.item_model if pagination is not None else type(result)
    written.table_width, written.table_columns = write_table(rows, model, columns, out)
    if pagination is not None:
        out.write(f"{len(rows)} of {pagination.total(result)} {pagination.items_name}\n")


@dataclasses.dataclass
class Written:
    """What the output holds: how many items of a walk so far (complete JSON lines; 0 until a document is written
    whole), and how many terminal columns wide a table is (0 for no table), with the fields it shows."""

    items: int = 0
    table_width: int = 0
    table_columns: tuple[str, ...] = ()


def write_walk(
    walk: ItemIterator[Any],
    pagination: Pagination[Any, Any],
    output_format: str,
    columns: Sequence[str] | None,
    out: TextIO,
    written: Written,
    on_item: Callable[[int, int | None], None] | None = None,
) -> None:
    """Print the items of a whole walk: one JSON document (the total the service gave, and how many were listed)
    or one table, written only once the walk is complete; or one JSON line per item as it arrives.

    `written` counts what the output holds, whatever stops the walk; `on_item(listed, count)` is called after each
    item (for a progress bar).
    """
    progress = walk.progress
    items: list[Any] = []
    for item in walk:
        if output_format == "jsonl":
            out.write(_json(item) + "\n")
            written.items += 1
        else:
            items.append(item)
        if on_item is not None:
            on_item(progress.listed, progress.count)
    if output_format == "json":
        document = ",\n    ".join(_json(item) for item in items)
        body = f"\n    {document}\n  " if items else ""
        total = progress.count if progress.count is not None else 0
        out.write(
            f'{{\n  "{pagination.items_name}": [{body}],\n  "{pagination.total_name}": {total},\n'
            f'  "listed": {progress.listed}\n}}\n'
        )
        written.items = len(items)
    elif output_format == "table":
        written.table_width, written.table_columns = write_table(items, pagination.item_model, columns, out)
        out.write(f"{progress.listed} of {progress.count} {pagination.items_name}\n")
        written.items = len(items)


def write_table(
    rows: Sequence[Any], model: type[Any], columns: Sequence[str] | None, out: TextIO
) -> tuple[int, tuple[str, ...]]:
    """Aligned columns, one per scalar field of `model` (or the `columns` asked for), one line per row; returns
    the width of the widest line in terminal columns (a CJK character takes two) and the columns shown."""
    available = scalar_fields(model)
    chosen = tuple(columns) if columns is not None else available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        fields = ", ".join(available)
        raise ValidationError("--columns", f"must name fields of {model.__name__} ({fields}), got {', '.join(unknown)}")
    header = tuple(name.upper() for name in chosen)
    cells = [_cells(_dumped(row), chosen) for row in rows]
    widths = [max(display_width(cell) for cell in column) for column in zip(header, *cells, strict=False)]
    widest = 0
    for line in (header, *cells):
        text = "  ".join(_padded(cell, width) for cell, width in zip(line, widths, strict=True)).rstrip()
        widest = max(widest, display_width(text))
        out.write(text + "\n")
    return widest, chosen


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: two for a wide (CJK) character, none for a combining mark."""
    return sum(0 if unicodedata.combining(char) else 2 if _is_wide(char) else 1 for char in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in _WIDE


def _padded(cell: str, width: int) -> str:
    return cell + " " * (width - display_width(cell))


def scalar_fields(model: type[Any]) -> tuple[str, ...]:
    """The fields of a model whose values are scalars (strings, numbers, booleans, enums), in schema order."""
    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
        return ()
    return tuple(name for name, field in model.model_fields.items() if _is_scalar(field.annotation))


def _is_scalar(annotation: object) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_scalar(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None) and _is_type(arg)]
        return bool(members) and all(_is_scalar(member) for member in members)
    return isinstance(annotation, type) and issubclass(annotation, (*_SCALARS, enum.Enum))


def _is_type(candidate: object) -> bool:
    """Whether a union member is a type (pydantic's MISSING sentinel is not)."""
    return isinstance(candidate, type) or typing.get_origin(candidate) is not None


def _dumped(row: Any) -> dict[str, Any]:
    if isinstance(row, pydantic.BaseModel):
        dumped: dict[str, Any] = row.model_dump(mode="json")
        return dumped
    return row if isinstance(row, dict) else {}


def _cells(dumped: dict[str, Any], chosen: Sequence[str]) -> tuple[str, ...]:
    return tuple(_cell(dumped.get(name)) for name in chosen)


def _cell(value: object) -> str:
    if value is None:
        text = ""
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())
    if display_width(text) <= _MAX_CELL:
        return text
    kept: list[str] = []
    used = 0
    for char in text:
        used += display_width(char)
        if used > _MAX_CELL - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _json(value: Any, indent: int | None = None) -> str:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(indent=indent)
    return json.dumps(value, indent=indent, ensure_ascii=False)
