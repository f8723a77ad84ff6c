"""The SQLite task store: all-or-nothing writes, cached counts, indexed listing, import from JSON files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from oms_mock import (
    ConfigError,
    MockConfig,
    MockSpec,
    StoreError,
    TasksFileError,
    TaskStore,
    create_app,
    generate_tasks,
    get_store,
    read_tasks_file,
)


def task(task_id: str, status: str = "STOPPED", create_time: int = 1) -> dict[str, Any]:
    return {"sync_task_id": task_id, "status": status, "create_time": create_time}


def test_counts_follow_every_write() -> None:
    store = TaskStore()
    store.add([task("a"), task("b", "SYNCHRONIZING")])
    store.add([task("c")])
    assert (store.count(), store.count("STOPPED"), store.count("SYNCHRONIZING")) == (3, 2, 1)


def test_a_batch_with_a_duplicate_id_is_refused_whole_naming_the_id() -> None:
    store = TaskStore()
    store.add([task("a")])
    with pytest.raises(StoreError, match="'b' is not unique"):
        store.add([task("c"), task("b"), task("b")])
    assert [t["sync_task_id"] for t in store.tasks()] == ["a"]
    assert store.count() == 1


def test_a_first_batch_with_a_duplicate_id_is_refused_whole() -> None:
    store = TaskStore()
    with pytest.raises(StoreError, match="'x' is not unique"):
        store.add([task("x"), task("y"), task("x")])
    assert store.count() == 0
    assert list(store.tasks()) == []


def test_a_task_without_an_id_is_refused() -> None:
    with pytest.raises(StoreError, match="task #1 has no string sync_task_id"):
        TaskStore().add([task("a"), {"status": "STOPPED"}])


def test_a_page_body_is_the_stored_bytes_with_the_count() -> None:
    store = TaskStore()
    store.add([task("a", create_time=2), task("b", create_time=1)])
    assert orjson.loads(store.page_body(1, 1)) == {"tasks": [task("b", create_time=1)], "count": 2}


def test_listing_queries_walk_an_index_rather_than_sorting(spec: MockSpec) -> None:
    store = TaskStore()
    store.add(generate_tasks(spec, 100))
    unfiltered, filtered = store.query_plan(), store.query_plan("STOPPED")
    assert "tasks_in_order" in unfiltered
    assert "tasks_by_status_in_order" in filtered
    assert "TEMP B-TREE" not in unfiltered + filtered


def test_a_file_database_is_served_as_found_on_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "tasks.sqlite"
    first = get_store(create_app(MockConfig(db=db, tasks=40, seed=1)))
    ids = [t["sync_task_id"] for t in first.tasks()]
    first.close()
    again = get_store(create_app(MockConfig(db=db, tasks=5, seed=2)))
    assert [t["sync_task_id"] for t in again.tasks()] == ids


def test_imported_tasks_replace_the_generated_ones(tmp_path: Path, spec: MockSpec) -> None:
    tasks = list(generate_tasks(spec, 12, seed=9))
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps(tasks))
    store = get_store(create_app(MockConfig(import_path=path, tasks=1000)))
    assert sorted(store.tasks(), key=lambda t: t["sync_task_id"]) == sorted(tasks, key=lambda t: t["sync_task_id"])


def test_a_saved_list_response_can_be_imported(tmp_path: Path, spec: MockSpec) -> None:
    tasks = list(generate_tasks(spec, 3))
    path = tmp_path / "page.json"
    path.write_bytes(orjson.dumps({"tasks": tasks, "count": 3}))
    assert read_tasks_file(path, spec) == tasks


def test_an_imported_task_that_breaks_the_spec_is_refused_naming_the_task_and_field(
    tmp_path: Path, spec: MockSpec
) -> None:
    tasks = list(generate_tasks(spec, 3))
    tasks[2]["description"] = "<script>"
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(tasks))
    with pytest.raises(TasksFileError, match=r"tasks\[2\]\.description"):
        read_tasks_file(path, spec)


def test_a_tasks_file_that_is_not_json_is_refused(tmp_path: Path, spec: MockSpec) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[{")
    with pytest.raises(TasksFileError, match="not valid JSON"):
        read_tasks_file(path, spec)


def test_an_import_with_duplicate_ids_is_refused_at_start_up(tmp_path: Path, spec: MockSpec) -> None:
    tasks = list(generate_tasks(spec, 2))
    path = tmp_path / "dupes.json"
    path.write_bytes(orjson.dumps([*tasks, tasks[0]]))
    with pytest.raises(ConfigError, match="is not unique"):
        create_app(MockConfig(import_path=path))


def test_an_import_into_a_filled_database_is_refused(tmp_path: Path, spec: MockSpec) -> None:
    db = tmp_path / "tasks.sqlite"
    get_store(create_app(MockConfig(db=db, tasks=3))).close()
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps(list(generate_tasks(spec, 2))))
    with pytest.raises(ConfigError, match="already holds 3 tasks"):
        create_app(MockConfig(db=db, import_path=path))
