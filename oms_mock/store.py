"""The item store: per collection, one SQLite table of pre-serialised JSON items, indexed on the fields filtered by.

Each row holds an item's orjson bytes and, in columns of their own, the values of the fields the spec filters
or looks items up by (each indexed; the id field uniquely). Columns hold values as SQLite compares them: strings
and numbers as they are, booleans as 0/1, objects and arrays as JSON text.

**Listing order** is the row's `position`, which names no field: the items of one `add` keep the order they were
given in, and a later `add` puts its items before those already stored (the newest first, as the service lists
tasks). A seeded or imported data set is therefore listed in the order it was generated or written.

Counts of the fields with few values (enums, booleans) are kept in memory, so a filtered total costs nothing;
other counts are computed once per store version. Every write bumps `version`, which callers use to drop what
they derived from the contents (the app's page cache).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

_CHUNK = 50_000
#: Distinct filtered counts remembered per store version.
_COUNT_MEMO = 4096

Filters = tuple[tuple[str, Any], ...]


class StoreError(ValueError):
    """Raised when items cannot be stored (missing or duplicate id, unknown field, unreadable database)."""


@dataclass(frozen=True)
class StoreLayout:
    """What a collection's table holds besides the items: its name, id field, indexed and counted fields."""

    name: str
    id_field: str | None = None
    indexed_fields: tuple[str, ...] = ()
    counted_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.id_field is not None and self.id_field not in self.indexed_fields:
            object.__setattr__(self, "indexed_fields", (self.id_field, *self.indexed_fields))


@dataclass(frozen=True)
class EncodedItem:
    """An item ready for the store: the values of its indexed fields (layout order) and its JSON bytes."""

    columns: tuple[Any, ...]
    body: bytes


def column_value(value: Any) -> Any:
    """A field's value as its store column holds it (and as a filter value must be given to match it)."""
    if value is None or isinstance(value, str | float):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def encode_item(layout: StoreLayout, item: Mapping[str, Any], position: int = 0) -> EncodedItem:
    """Pre-serialise one item; StoreError when it lacks a string or integer id."""
    if layout.id_field is not None:
        identifier = item.get(layout.id_field)
        if isinstance(identifier, bool) or not isinstance(identifier, str | int):
            raise StoreError(f"item #{position} has no {layout.id_field} (a string or an integer)")
    return EncodedItem(tuple(column_value(item.get(name)) for name in layout.indexed_fields), orjson.dumps(item))


class Database:
    """One SQLite database (in memory, or a file that outlives the process) shared by every collection."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self.connection = sqlite3.connect(
                str(path) if path is not None else ":memory:", isolation_level=None, check_same_thread=False
            )
            self.connection.execute("PRAGMA cache_size = -65536")
            if path is not None:
                self.connection.execute("PRAGMA journal_mode = WAL")
                self.connection.execute("PRAGMA synchronous = NORMAL")
                self.connection.execute("PRAGMA mmap_size = 4294967296")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        # One connection shared by the server's loop and the caller's thread; the lock serialises them.
        self.lock = threading.Lock()

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self.connection.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class ItemStore:
    """The items of one collection."""

    def __init__(self, layout: StoreLayout, database: Database | str | Path | None = None) -> None:
        self.layout = layout
        self._owns_database = not isinstance(database, Database)
        self.database = database if isinstance(database, Database) else Database(database)
        self._db = self.database.connection
        self._lock = self.database.lock
        self._table = _quoted(f"items:{layout.name}")
        self._columns = {name: _quoted(f"field:{name}") for name in layout.indexed_fields}
        self._indexes = {name: _quoted(f"items:{layout.name}/by {name}") for name in layout.indexed_fields}
        self._page_sql: dict[tuple[str, ...], str] = {}
        try:
            with self._lock:
                self._create()
                self._total, self._first = self._db.execute(
                    f"SELECT COUNT(*), COALESCE(MIN(position), 0) FROM {self._table}"
                ).fetchone()
                self._counts = {name: self._count_values(name) for name in layout.counted_fields}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the item table of {layout.name} in {self.database.path}: {exc}") from exc
        self._count_memo: dict[Filters, int] = {}
        self._version = 0

    def _create(self) -> None:
        columns = "".join(f", {column}" for column in self._columns.values())
        self._db.execute(
            f"CREATE TABLE IF NOT EXISTS {self._table} (position INTEGER PRIMARY KEY, body BLOB NOT NULL{columns})"
        )
        present = {row[1] for row in self._db.execute(f"PRAGMA table_info({self._table})")}
        missing = [name for name in self.layout.indexed_fields if f"field:{name}" not in present]
        for name in missing:  # the spec gained a filter since the file was filled: add and backfill its column
            self._db.execute(f"ALTER TABLE {self._table} ADD COLUMN {self._columns[name]}")
        if missing:
            self._backfill(missing)
        self._create_indexes()

    def _backfill(self, names: Sequence[str]) -> None:
        assignments = ", ".join(f"{self._columns[name]} = ?" for name in names)
        rows = self._db.execute(f"SELECT position, body FROM {self._table}").fetchall()
        updates = []
        for position, body in rows:
            item = orjson.loads(body)
            updates.append((*(column_value(item.get(name)) for name in names), position))
        self._db.execute("BEGIN")
        self._db.executemany(f"UPDATE {self._table} SET {assignments} WHERE position = ?", updates)
        self._db.execute("COMMIT")

    def _create_indexes(self) -> None:
        for name, index in self._indexes.items():
            unique = "UNIQUE " if name == self.layout.id_field else ""
            self._db.execute(f"CREATE {unique}INDEX IF NOT EXISTS {index} ON {self._table} ({self._columns[name]})")

    def _drop_indexes(self) -> None:
        for index in self._indexes.values():
            self._db.execute(f"DROP INDEX IF EXISTS {index}")

    def _count_values(self, name: str) -> Counter[Any]:
        column = self._columns[name]
        rows = self._db.execute(f"SELECT {column}, COUNT(*) FROM {self._table} GROUP BY {column}").fetchall()
        return Counter({value: count for value, count in rows})

    @property
    def version(self) -> int:
        """Incremented after every write."""
        return self._version

    def __len__(self) -> int:
        return int(self._total)

    def normalised(self, filters: Mapping[str, Any] | None) -> Filters:
        """Filters as the store compares them: field names checked, values as their columns hold them."""
        if not filters:
            return ()
        unknown = sorted(name for name in filters if name not in self._columns)
        if unknown:
            raise StoreError(f"the store of {self.layout.name} has no index on {', '.join(unknown)}")
        return tuple(sorted((name, column_value(value)) for name, value in filters.items()))

    def count(self, filters: Mapping[str, Any] | None = None) -> int:
        """How many items match the equality filters (all items when there are none)."""
        with self._lock:
            return self._count(self.normalised(filters))

    def _count(self, filters: Filters) -> int:
        if not filters:
            return int(self._total)
        if len(filters) == 1 and filters[0][0] in self._counts:
            name, value = filters[0]
            return self._counts[name].get(value, 0)
        found = self._count_memo.get(filters)
        if found is None:
            where, args = self._where(filters)
            found = int(self._db.execute(f"SELECT COUNT(*) FROM {self._table}{where}", args).fetchone()[0])
            if len(self._count_memo) >= _COUNT_MEMO:
                self._count_memo.clear()
            self._count_memo[filters] = found
        return found

    def counts(self, field: str) -> dict[Any, int]:
        """Items per value of a counted field (values as their column holds them)."""
        if field not in self._counts:
            raise StoreError(f"the store of {self.layout.name} keeps no counts of {field}")
        return dict(self._counts[field])

    def add(self, items: Iterable[Mapping[str, Any]]) -> int:
        """Store items (serialised with orjson as given); all or none. Returns how many were added."""
        return self.add_encoded(encode_item(self.layout, item, index) for index, item in enumerate(items))

    def add_encoded(self, rows: Iterable[EncodedItem]) -> int:
        """Store pre-serialised items; all or none. Returns how many were added.

        Into an empty store the rows stream in and the indexes are built afterwards (several times faster);
        into a filled one the rows go in before those already stored.
        """
        with self._lock:
            bulk = self._total == 0
            if bulk:
                start = 0
                total, values = self._insert(rows, start, bulk=True)
            else:
                batch = list(rows)
                start = self._first - len(batch)
                total, values = self._insert(batch, start, bulk=False)
            for name, counter in self._counts.items():
                counter.update(values[name])
            self._total += total
            self._first = min(self._first, start) if total else self._first
            self._count_memo.clear()
            self._version += 1
        return total

    def _insert(self, rows: Iterable[EncodedItem], start: int, *, bulk: bool) -> tuple[int, dict[str, Counter[Any]]]:
        """Insert the rows from position `start` on; how many, and the values of each counted field, were added."""
        names = ", ".join(["position", "body", *self._columns.values()])
        marks = ", ".join("?" * (2 + len(self._columns)))
        insert = f"INSERT INTO {self._table} ({names}) VALUES ({marks})"
        counted = [(name, self.layout.indexed_fields.index(name)) for name in self._counts]
        values: dict[str, Counter[Any]] = {name: Counter() for name in self._counts}
        iterator = iter(rows)
        chunk: list[EncodedItem] = []
        position = start
        try:
            self._db.execute("BEGIN")
            if bulk:
                self._drop_indexes()
            while chunk := list(islice(iterator, _CHUNK)):
                self._db.executemany(insert, [(position + i, row.body, *row.columns) for i, row in enumerate(chunk)])
                position += len(chunk)
                for name, column in counted:
                    values[name].update(row.columns[column] for row in chunk)
            if bulk:
                self._create_indexes()
            self._db.execute("COMMIT")
            if bulk and self.database.path is not None:
                # A bulk load passes through the write-ahead log; fold it into the file and shrink it.
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.IntegrityError:
            duplicate = self._repeated_id()
            self._db.execute("ROLLBACK")
            duplicate = duplicate or self._clashing_id(chunk)
            if bulk:
                self._create_indexes()
            raise StoreError(f"{self.layout.id_field} {duplicate!r} is not unique") from None
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if bulk:
                self._create_indexes()
            raise
        return position - start, values

    def _repeated_id(self) -> Any:
        """An id stored twice; inside a bulk load, uniqueness is only checked when the index is built."""
        if self.layout.id_field is None:
            return None
        column = self._columns[self.layout.id_field]
        sql = f"SELECT {column} FROM {self._table} GROUP BY {column} HAVING COUNT(*) > 1"
        row = self._db.execute(sql).fetchone()
        return None if row is None else row[0]

    def _clashing_id(self, chunk: list[EncodedItem]) -> Any:
        """The first id of `chunk` already stored or repeated within it (after the failed insert was undone)."""
        if self.layout.id_field is None:
            return "?"
        column_index = self.layout.indexed_fields.index(self.layout.id_field)
        sql = f"SELECT 1 FROM {self._table} WHERE {self._columns[self.layout.id_field]} = ?"
        seen: set[Any] = set()
        for row in chunk:
            identifier = row.columns[column_index]
            if identifier in seen or self._db.execute(sql, (identifier,)).fetchone():
                return identifier
            seen.add(identifier)
        return "?"

    def clear(self) -> None:
        """Remove every item."""
        with self._lock:
            self._db.execute(f"DELETE FROM {self._table}")
            for counter in self._counts.values():
                counter.clear()
            self._total = self._first = 0
            self._count_memo.clear()
            self._version += 1

    def _where(self, filters: Filters) -> tuple[str, tuple[Any, ...]]:
        if not filters:
            return "", ()
        clauses = " AND ".join(f"{self._columns[name]} = ?" for name, _ in filters)
        return f" WHERE {clauses}", tuple(value for _, value in filters)

    def _page_statement(self, filters: Filters) -> tuple[str, tuple[Any, ...]]:
        names = tuple(name for name, _ in filters)
        sql = self._page_sql.get(names)
        where, args = self._where(filters)
        if sql is None:
            sql = self._page_sql[names] = f"SELECT body FROM {self._table}{where} ORDER BY position LIMIT ? OFFSET ?"
        return sql, args

    def page(self, limit: int, offset: int, filters: Mapping[str, Any] | None = None) -> list[bytes]:
        """The JSON bytes of the matching items at [offset, offset + limit) in listing order."""
        with self._lock:
            return self._page(limit, offset, self.normalised(filters))

    def _page(self, limit: int, offset: int, filters: Filters) -> list[bytes]:
        sql, args = self._page_statement(filters)
        return [row[0] for row in self._db.execute(sql, (*args, limit, offset)).fetchall()]

    def page_and_count(self, limit: int, offset: int, filters: Filters = ()) -> tuple[list[bytes], int]:
        """A page and the total of matching items, from the same state of the store (filters normalised)."""
        with self._lock:
            return self._page(limit, offset, filters), self._count(filters)

    def query_plan(self, filters: Mapping[str, Any] | None = None) -> str:
        """How SQLite runs a page query (EXPLAIN QUERY PLAN), to check that it walks an index instead of sorting."""
        sql, args = self._page_statement(self.normalised(filters))
        with self._lock:
            rows = self._db.execute(f"EXPLAIN QUERY PLAN {sql}", (*args, 10, 5)).fetchall()
        return "; ".join(str(row[-1]) for row in rows)

    def items(self, filters: Mapping[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every matching item in listing order, decoded."""
        offset = 0
        while batch := self.page(_CHUNK, offset, filters):
            yield from (orjson.loads(body) for body in batch)
            offset += len(batch)

    def body_of(self, value: Any, field: str | None = None) -> bytes | None:
        """The JSON bytes of the first item (in listing order) whose `field` (default: the id) equals `value`."""
        name = field or self.layout.id_field
        if name is None or name not in self._columns:
            raise StoreError(f"the store of {self.layout.name} has no index on {name or 'an id field'}")
        sql = f"SELECT body FROM {self._table} WHERE {self._columns[name]} = ? ORDER BY position LIMIT 1"
        with self._lock:
            row = self._db.execute(sql, (column_value(value),)).fetchone()
        return None if row is None else bytes(row[0])

    def get(self, value: Any, field: str | None = None) -> dict[str, Any] | None:
        """The first item whose `field` (default: the id) equals `value`, decoded; None when there is none."""
        body = self.body_of(value, field)
        return None if body is None else orjson.loads(body)

    def close(self) -> None:
        """Close the database, when this store opened it."""
        if self._owns_database:
            self.database.close()
