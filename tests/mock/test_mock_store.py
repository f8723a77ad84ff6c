"""The SQLite item store: all-or-nothing writes, cheap counts, indexed listing, import from JSON files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from spec_facts import COLLECTION, FILTER_NAME, FILTER_VALUES, ID_FIELD, ITEMS, TOTAL, fields_where, item_field

from oms_mock import (
    ConfigError,
    ItemsFileError,
    ItemStore,
    MockConfig,
    ServedSpec,
    StoreError,
    StoreLayout,
    create_app,
    generate_items,
    get_store,
    read_items_file,
)
from oms_mock.dataset import layout_for
from oms_mock.schema_validators import SchemaValidators

LAYOUT = layout_for(COLLECTION)
FIRST, LAST = FILTER_VALUES[0], FILTER_VALUES[-1]


def item(identifier: str, value: str = LAST) -> dict[str, Any]:
    return {ID_FIELD: identifier, FILTER_NAME: value}


def ids(store: ItemStore) -> list[str]:
    return [found[ID_FIELD] for found in store.items()]


def validators(served: ServedSpec) -> SchemaValidators:
    return SchemaValidators(served.api.document)


def test_counts_follow_every_write() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b", FIRST)])
    store.add([item("c")])
    assert (store.count(), store.count({FILTER_NAME: LAST}), store.count({FILTER_NAME: FIRST})) == (3, 2, 1)


def test_counts_of_fields_with_few_values_are_kept_in_memory() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b", FIRST), item("c")])
    assert store.counts(FILTER_NAME) == {LAST: 2, FIRST: 1}


def test_a_count_filtered_on_several_fields_matches_the_items() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b", FIRST), item("c")])
    assert store.count({FILTER_NAME: LAST, ID_FIELD: "c"}) == 1
    assert store.count({FILTER_NAME: FIRST, ID_FIELD: "c"}) == 0


def test_a_batch_with_a_duplicate_id_is_refused_whole_naming_the_id() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a")])
    with pytest.raises(StoreError, match=f"{ID_FIELD} 'b' is not unique"):
        store.add([item("c"), item("b"), item("b")])
    assert ids(store) == ["a"]
    assert store.count() == 1


def test_a_first_batch_with_a_duplicate_id_is_refused_whole() -> None:
    store = ItemStore(LAYOUT)
    with pytest.raises(StoreError, match="'x' is not unique"):
        store.add([item("x"), item("y"), item("x")])
    assert store.count() == 0
    assert list(store.items()) == []


def test_an_item_without_an_id_is_refused_naming_the_item_and_the_field() -> None:
    with pytest.raises(StoreError, match=f"item #1 has no {ID_FIELD}"):
        ItemStore(LAYOUT).add([item("a"), {FILTER_NAME: LAST}])


def test_a_page_is_the_stored_bytes_of_the_items() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b")])
    assert [orjson.loads(body) for body in store.page(1, 1)] == [item("b")]


def test_a_later_batch_is_listed_before_the_items_already_stored() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b")])
    store.add([item("c"), item("d")])
    assert ids(store) == ["c", "d", "a", "b"]


def test_a_store_looks_items_up_by_their_id() -> None:
    store = ItemStore(LAYOUT)
    store.add([item("a"), item("b", FIRST)])
    assert store.get("b") == item("b", FIRST)
    assert store.get("zz") is None


def test_filtering_on_a_field_the_store_does_not_index_is_refused() -> None:
    with pytest.raises(StoreError, match="no index on unindexed"):
        ItemStore(LAYOUT).count({"unindexed": 1})


def test_listing_queries_walk_an_index_rather_than_sorting(served: ServedSpec) -> None:
    store = ItemStore(LAYOUT)
    store.add(generate_items(served, 100))
    unfiltered, filtered = store.query_plan(), store.query_plan({FILTER_NAME: LAST})
    assert f"by {FILTER_NAME}" in filtered
    assert "TEMP B-TREE" not in unfiltered + filtered


def test_a_file_database_is_served_as_found_on_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "items.sqlite"
    first = get_store(create_app(MockConfig(db=db, tasks=40, seed=1)))
    found = ids(first)
    first.database.close()
    again = get_store(create_app(MockConfig(db=db, tasks=5, seed=2)))
    assert ids(again) == found


def test_a_file_database_gains_the_index_of_a_field_filtered_by_since_it_was_filled(
    tmp_path: Path, served: ServedSpec
) -> None:
    db = tmp_path / "items.sqlite"
    old = ItemStore(StoreLayout(LAYOUT.name, ID_FIELD), db)
    old.add(generate_items(served, 30))
    old.close()
    reopened = ItemStore(LAYOUT, db)
    expected = sum(1 for found in reopened.items() if found[FILTER_NAME] == LAST)
    assert reopened.count({FILTER_NAME: LAST}) == expected > 0


def test_imported_items_replace_the_generated_ones(tmp_path: Path, served: ServedSpec) -> None:
    items = list(generate_items(served, 12, seed=9))
    path = tmp_path / "items.json"
    path.write_bytes(orjson.dumps(items))
    store = get_store(create_app(MockConfig(import_path=path, tasks=1000)))
    assert list(store.items()) == items


def test_a_saved_list_response_can_be_imported(tmp_path: Path, served: ServedSpec) -> None:
    items = list(generate_items(served, 3))
    path = tmp_path / "page.json"
    path.write_bytes(orjson.dumps({ITEMS: items, TOTAL: 3}))
    assert read_items_file(path, COLLECTION, validators(served)) == items


def test_an_imported_item_that_breaks_the_spec_is_refused_naming_the_item_and_field(
    tmp_path: Path, served: ServedSpec
) -> None:
    field = fields_where(lambda flat: "string" in flat.types and isinstance(flat.keywords.get("maxLength"), int))[0]
    items = list(generate_items(served, 3))
    items[2][field] = "x" * (item_field(field).keywords["maxLength"] + 1)
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(items))
    with pytest.raises(ItemsFileError, match=rf"{ITEMS}\[2\]\.{field}"):
        read_items_file(path, COLLECTION, validators(served))


def test_an_items_file_that_is_not_json_is_refused(tmp_path: Path, served: ServedSpec) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[{")
    with pytest.raises(ItemsFileError, match="not valid JSON"):
        read_items_file(path, COLLECTION, validators(served))


def test_an_import_with_duplicate_ids_is_refused_at_start_up(tmp_path: Path, served: ServedSpec) -> None:
    items = list(generate_items(served, 2))
    path = tmp_path / "dupes.json"
    path.write_bytes(orjson.dumps([*items, items[0]]))
    with pytest.raises(ConfigError, match="is not unique"):
        create_app(MockConfig(import_path=path))


def test_an_import_into_a_filled_database_is_refused(tmp_path: Path, served: ServedSpec) -> None:
    db = tmp_path / "items.sqlite"
    get_store(create_app(MockConfig(db=db, tasks=3))).database.close()
    path = tmp_path / "items.json"
    path.write_bytes(orjson.dumps(list(generate_items(served, 2))))
    with pytest.raises(ConfigError, match=f"already holds 3 {ITEMS}"):
        create_app(MockConfig(db=db, import_path=path))


def test_an_import_for_an_operation_that_is_not_a_listing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="NoSuchListing is not a paginated operation"):
        create_app(MockConfig(imports=(("NoSuchListing", tmp_path / "x.json"),)))
