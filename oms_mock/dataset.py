"""How each collection gets its items at start-up: served as found in a file, imported, or generated from a seed.

Every collection of the spec lives in the one database (`--db FILE`, or memory). `--import FILE` fills the
first listing's collection; `--import OPERATION_ID=FILE` the collection of that listing; every other collection
is seeded with `--tasks` items. A file database whose collection already holds items is served as it is.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from oms_mock.config import ConfigError, MockConfig
from oms_mock.items_file import ItemsFileError, read_items_file
from oms_mock.listings import ItemCollection
from oms_mock.schema_validators import SchemaValidators
from oms_mock.seed import checked_encoded
from oms_mock.spec import ServedSpec
from oms_mock.store import Database, ItemStore, StoreError, StoreLayout
from oms_spec import SpecError


@dataclass(frozen=True)
class Dataset:
    """The open stores by collection name, and how each was filled (for the start-up banner)."""

    database: Database
    stores: Mapping[str, ItemStore]
    sources: Mapping[str, str]


def layout_for(collection: ItemCollection) -> StoreLayout:
    """The store layout of a collection: its id, the fields it is filtered and looked up by, those counted."""
    return StoreLayout(collection.name, collection.id_field, collection.indexed_fields, collection.counted_fields)


def import_targets(config: MockConfig, collections: tuple[ItemCollection, ...]) -> dict[str, Path]:
    """The file to import into each collection that gets one; ConfigError for an unknown or repeated target."""
    targets: dict[str, Path] = {}
    if config.import_path is not None:
        if not collections:
            raise ConfigError("--import: the spec has no paginated operation to import items for")
        targets[collections[0].name] = Path(config.import_path)
    by_operation = {operation_id: c for c in collections for operation_id in c.operation_ids}
    for operation_id, path in config.imports:
        collection = by_operation.get(operation_id)
        if collection is None:
            known = ", ".join(by_operation) or "none"
            raise ConfigError(f"--import: {operation_id} is not a paginated operation of the spec (listings: {known})")
        if collection.name in targets:
            raise ConfigError(f"--import: the items of {operation_id} are imported twice")
        targets[collection.name] = Path(path)
    return targets


def open_dataset(
    config: MockConfig, served: ServedSpec, collections: tuple[ItemCollection, ...], validators: SchemaValidators
) -> Dataset:
    """Every collection's store, filled as configured; ConfigError naming what went wrong."""
    targets = import_targets(config, collections)
    try:
        database = Database(config.db)
    except StoreError as exc:
        raise ConfigError(str(exc)) from None
    stores: dict[str, ItemStore] = {}
    sources: dict[str, str] = {}
    try:
        for collection in collections:
            store = stores[collection.name] = ItemStore(layout_for(collection), database)
            sources[collection.name] = _fill(
                store, config, served, collection, validators, targets.get(collection.name)
            )
    except SpecError as exc:
        database.close()
        raise ConfigError(str(SpecError(served.path, exc.problems))) from None
    except (StoreError, ItemsFileError, ConfigError) as exc:
        database.close()
        raise ConfigError(str(exc)) from None
    _return_free_memory()
    return Dataset(database, stores, sources)


def _fill(
    store: ItemStore,
    config: MockConfig,
    served: ServedSpec,
    collection: ItemCollection,
    validators: SchemaValidators,
    import_path: Path | None,
) -> str:
    if len(store) > 0:
        if import_path is not None:
            noun = collection.items_name
            raise ConfigError(
                f"the database {config.db} already holds {len(store)} {noun}; --import needs an empty one"
            )
        return "reused as found; --tasks and --seed not applied"
    if import_path is not None:
        store.add(read_items_file(import_path, collection, validators))
        return f"imported from {import_path}"
    store.add_encoded(checked_encoded(served, validators, collection, store.layout, config.tasks, config.seed))
    return f"seed {config.seed}"


def _return_free_memory() -> None:
    """Hand the heap freed after a bulk load back to the OS (glibc keeps it otherwise: ~0.5 GB per million items)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
