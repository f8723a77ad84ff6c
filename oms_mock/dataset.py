"""How the store gets its tasks at start-up: served as found, imported from a file, or generated from a seed."""

from __future__ import annotations

import contextlib
import ctypes
import gc

from oms_mock.config import ConfigError, MockConfig
from oms_mock.seed import generate_encoded
from oms_mock.spec import MockSpec
from oms_mock.store import StoreError, TaskStore
from oms_mock.tasks_file import TasksFileError, read_tasks_file


def open_store(config: MockConfig, spec: MockSpec) -> TaskStore:
    """The configured store: a file store that already holds tasks as it is, else filled by import or by seed."""
    try:
        store = TaskStore(config.db)
    except StoreError as exc:
        raise ConfigError(str(exc)) from None
    if len(store) > 0:
        if config.import_path is not None:
            store.close()
            raise ConfigError(f"the database {config.db} already holds {len(store)} tasks; --import needs an empty one")
        return store
    try:
        if config.import_path is not None:
            store.add(read_tasks_file(config.import_path, spec))
        else:
            store.add_encoded(generate_encoded(spec, config.tasks, config.seed))
    except (TasksFileError, StoreError) as exc:
        store.close()
        raise ConfigError(str(exc)) from None
    _return_free_memory()
    return store


def _return_free_memory() -> None:
    """Hand the heap freed after a bulk load back to the OS (glibc keeps it otherwise: ~0.5 GB per million tasks)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
