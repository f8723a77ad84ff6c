"""The task store: SQLite rows holding each task's pre-serialised JSON, indexed for the listing order and filter.

Listing order: `create_time` descending (newest first; tasks without one last), then `sync_task_id` ascending.
Counts per status are kept in memory, so `count` costs nothing; every write bumps `version`, which callers use to
invalidate anything they derived from the contents (the app's page cache).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    sync_task_id TEXT NOT NULL,
    status TEXT NOT NULL,
    create_time INTEGER,
    body BLOB NOT NULL
)
"""
_INDEXES = (
    "CREATE UNIQUE INDEX IF NOT EXISTS tasks_by_id ON tasks (sync_task_id)",
    "CREATE INDEX IF NOT EXISTS tasks_in_order ON tasks (create_time DESC, sync_task_id)",
    "CREATE INDEX IF NOT EXISTS tasks_by_status_in_order ON tasks (status, create_time DESC, sync_task_id)",
)
_DROP_INDEXES = tuple(
    f"DROP INDEX IF EXISTS {name}" for name in ("tasks_by_id", "tasks_in_order", "tasks_by_status_in_order")
)
_ORDER = "ORDER BY create_time DESC, sync_task_id"
_PAGE_ALL = f"SELECT body FROM tasks {_ORDER} LIMIT ? OFFSET ?"
_PAGE_BY_STATUS = f"SELECT body FROM tasks WHERE status = ? {_ORDER} LIMIT ? OFFSET ?"
_INSERT = "INSERT INTO tasks (sync_task_id, status, create_time, body) VALUES (?, ?, ?, ?)"
_CHUNK = 50_000


class StoreError(ValueError):
    """Raised when tasks cannot be stored (missing id or status, duplicate id, unreadable database)."""


@dataclass(frozen=True)
class EncodedTask:
    """A task ready for the store: the indexed columns and the task's JSON bytes."""

    sync_task_id: str
    status: str
    create_time: int | None
    body: bytes


def encode_task(task: Mapping[str, Any], position: int = 0) -> EncodedTask:
    """Pre-serialise one task; StoreError when it lacks a string `sync_task_id`/`status` or has a bad create_time."""
    task_id, status, create_time = task.get("sync_task_id"), task.get("status"), task.get("create_time")
    if not isinstance(task_id, str):
        raise StoreError(f"task #{position} has no string sync_task_id")
    if not isinstance(status, str):
        raise StoreError(f"task #{position} ({task_id}) has no string status")
    if create_time is not None and (isinstance(create_time, bool) or not isinstance(create_time, int)):
        raise StoreError(f"task #{position} ({task_id}) has a non-integer create_time")
    return EncodedTask(task_id, status, create_time, orjson.dumps(task))


class TaskStore:
    """Synchronisation tasks in SQLite (in memory, or in a file that outlives the process)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self._db = sqlite3.connect(
                str(path) if path is not None else ":memory:", isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA cache_size = -65536")
            if path is not None:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute("PRAGMA mmap_size = 4294967296")
            self._db.execute(_SCHEMA)
            for statement in _INDEXES:
                self._db.execute(statement)
            counts = self._db.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status").fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the task database {path}: {exc}") from exc
        # One connection shared by the server's loop and the caller's thread; the lock serialises them.
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter({status: count for status, count in counts})
        self._total = sum(self._counts.values())
        self._version = 0

    @property
    def version(self) -> int:
        """Incremented after every write."""
        return self._version

    def __len__(self) -> int:
        return self._total

    def count(self, status: str | None = None) -> int:
        """How many tasks match (all tasks when `status` is None)."""
        return self._total if status is None else self._counts.get(status, 0)

    def counts(self) -> dict[str, int]:
        """Tasks per status."""
        return dict(self._counts)

    def add(self, tasks: Iterable[Mapping[str, Any]]) -> int:
        """Store tasks (serialised with orjson as given); all or none. Returns how many were added."""
        return self.add_encoded(encode_task(task, i) for i, task in enumerate(tasks))

    def add_encoded(self, rows: Iterable[EncodedTask]) -> int:
        """Store pre-serialised tasks; all or none. Returns how many were added.

        Into an empty store the indexes are built after the rows go in, which is several times faster.
        """
        added: Counter[str] = Counter()
        iterator = iter(rows)
        chunk: list[EncodedTask] = []
        with self._lock:
            bulk = self._total == 0
            try:
                self._db.execute("BEGIN")
                if bulk:
                    for statement in _DROP_INDEXES:
                        self._db.execute(statement)
                while chunk := list(islice(iterator, _CHUNK)):
                    added.update(row.status for row in chunk)
                    self._db.executemany(
                        _INSERT, [(row.sync_task_id, row.status, row.create_time, row.body) for row in chunk]
                    )
                if bulk:
                    for statement in _INDEXES:
                        self._db.execute(statement)
                self._db.execute("COMMIT")
                if bulk and self.path is not None:
                    # A bulk load passes through the write-ahead log; fold it into the file and shrink it.
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.IntegrityError:
                duplicate = self._repeated_id()
                self._db.execute("ROLLBACK")
                duplicate = duplicate or self._clashing_id(chunk)
                raise StoreError(f"sync_task_id {duplicate!r} is not unique") from None
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._counts.update(added)
            self._total += sum(added.values())
            self._version += 1
        return sum(added.values())

    def _repeated_id(self) -> str | None:
        """An id stored twice; inside a bulk load, uniqueness is only checked when the index is built."""
        row = self._db.execute("SELECT sync_task_id FROM tasks GROUP BY sync_task_id HAVING COUNT(*) > 1").fetchone()
        return None if row is None else str(row[0])

    def _clashing_id(self, chunk: list[EncodedTask]) -> str:
        """The first id of `chunk` already stored or repeated within it (after the failed insert was undone)."""
        seen: set[str] = set()
        for task in chunk:
            if (
                task.sync_task_id in seen
                or self._db.execute("SELECT 1 FROM tasks WHERE sync_task_id = ?", (task.sync_task_id,)).fetchone()
            ):
                return task.sync_task_id
            seen.add(task.sync_task_id)
        return "?"

    def clear(self) -> None:
        """Remove every task."""
        with self._lock:
            self._db.execute("DELETE FROM tasks")
            self._counts.clear()
            self._total = 0
            self._version += 1

    def page(self, limit: int, offset: int, status: str | None = None) -> list[bytes]:
        """The JSON bytes of the tasks at [offset, offset + limit) in listing order."""
        with self._lock:
            return self._page(limit, offset, status)

    def _page(self, limit: int, offset: int, status: str | None) -> list[bytes]:
        if status is None:
            rows = self._db.execute(_PAGE_ALL, (limit, offset)).fetchall()
        else:
            rows = self._db.execute(_PAGE_BY_STATUS, (status, limit, offset)).fetchall()
        return [row[0] for row in rows]

    def query_plan(self, status: str | None = None) -> str:
        """How SQLite runs a page query (EXPLAIN QUERY PLAN), to check that it walks an index instead of sorting."""
        sql, args = (_PAGE_ALL, (10, 5)) if status is None else (_PAGE_BY_STATUS, (status, 10, 5))
        with self._lock:
            rows = self._db.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()
        return "; ".join(str(row[-1]) for row in rows)

    def page_body(self, limit: int, offset: int, status: str | None = None) -> bytes:
        """A complete list response body, `{"tasks": [...], "count": N}`, assembled from the stored bytes."""
        with self._lock:  # the page and its count from the same state of the store
            tasks, count = self._page(limit, offset, status), self.count(status)
        return b'{"tasks":[' + b",".join(tasks) + b'],"count":' + str(count).encode() + b"}"

    def tasks(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        """Every task (or every task with `status`) in listing order, decoded."""
        offset = 0
        while batch := self.page(_CHUNK, offset, status):
            yield from (orjson.loads(body) for body in batch)
            offset += len(batch)

    def get(self, sync_task_id: str) -> dict[str, Any] | None:
        """The task with this id, or None."""
        with self._lock:
            row = self._db.execute("SELECT body FROM tasks WHERE sync_task_id = ?", (sync_task_id,)).fetchone()
        return None if row is None else orjson.loads(row[0])

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
