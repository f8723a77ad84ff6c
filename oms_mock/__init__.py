"""A spec-driven mock of the OMS API: every operation of the OpenAPI document, over SQLite item stores.

    from oms_mock import MockConfig, create_app, run_server, serve_mock
    app = create_app(MockConfig(tasks=1000, seed=0))            # an ASGI app, for in-process clients
    with run_server(MockConfig(), port=0) as base_url: ...       # uvicorn on 127.0.0.1, a free port
    with serve_mock(MockConfig(tasks=50)) as mock: ...           # the same, with mock.project_id, .token, .tasks

Operations, parameters, limits and the conventions they follow (pagination, filters, lookups, credentials) are
read from the spec through `oms_spec`; nothing here names an operation or a field of the API. Every project id
sees the same stores. Accepted token by default: `oms-mock-token` (DEFAULT_TOKEN). Under pytest, the plugin
`oms_mock.pytest_plugin` (registered by the oms-mock distribution) gives each test a mock: the `oms_mock` fixture.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Each public name and the module that defines it. They are imported on first use, so that importing the package
# (as pytest does for the plugin, in every test process) does not load the web stack before a mock is needed.
_EXPORTS = {
    "create_app": "oms_mock.app",
    "get_store": "oms_mock.app",
    "DEFAULT_TOKEN": "oms_mock.config",
    "ConfigError": "oms_mock.config",
    "MockConfig": "oms_mock.config",
    "FaultConfig": "oms_mock.faults",
    "FaultSpecError": "oms_mock.faults",
    "ItemsFileError": "oms_mock.items_file",
    "read_items_file": "oms_mock.items_file",
    "ItemCollection": "oms_mock.listings",
    "read_collections": "oms_mock.listings",
    "coverage_size": "oms_mock.seed",
    "generate_items": "oms_mock.seed",
    "RunningMock": "oms_mock.server",
    "run_server": "oms_mock.server",
    "serve_mock": "oms_mock.server",
    "DEFAULT_SPEC_PATH": "oms_mock.spec",
    "ServedSpec": "oms_mock.spec",
    "SpecReadError": "oms_mock.spec",
    "load_served_spec": "oms_mock.spec",
    "ItemStore": "oms_mock.store",
    "StoreError": "oms_mock.store",
    "StoreLayout": "oms_mock.store",
}

if TYPE_CHECKING:
    from oms_mock.app import create_app as create_app
    from oms_mock.app import get_store as get_store
    from oms_mock.config import DEFAULT_TOKEN as DEFAULT_TOKEN
    from oms_mock.config import ConfigError as ConfigError
    from oms_mock.config import MockConfig as MockConfig
    from oms_mock.faults import FaultConfig as FaultConfig
    from oms_mock.faults import FaultSpecError as FaultSpecError
    from oms_mock.items_file import ItemsFileError as ItemsFileError
    from oms_mock.items_file import read_items_file as read_items_file
    from oms_mock.listings import ItemCollection as ItemCollection
    from oms_mock.listings import read_collections as read_collections
    from oms_mock.seed import coverage_size as coverage_size
    from oms_mock.seed import generate_items as generate_items
    from oms_mock.server import RunningMock as RunningMock
    from oms_mock.server import run_server as run_server
    from oms_mock.server import serve_mock as serve_mock
    from oms_mock.spec import DEFAULT_SPEC_PATH as DEFAULT_SPEC_PATH
    from oms_mock.spec import ServedSpec as ServedSpec
    from oms_mock.spec import SpecReadError as SpecReadError
    from oms_mock.spec import load_served_spec as load_served_spec
    from oms_mock.store import ItemStore as ItemStore
    from oms_mock.store import StoreError as StoreError
    from oms_mock.store import StoreLayout as StoreLayout

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'oms_mock' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
