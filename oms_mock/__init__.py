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

from oms_mock.app import create_app, get_store
from oms_mock.config import DEFAULT_TOKEN, ConfigError, MockConfig
from oms_mock.faults import FaultConfig, FaultSpecError
from oms_mock.items_file import ItemsFileError, read_items_file
from oms_mock.listings import ItemCollection, read_collections
from oms_mock.seed import coverage_size, generate_items
from oms_mock.server import RunningMock, run_server, serve_mock
from oms_mock.spec import DEFAULT_SPEC_PATH, ServedSpec, SpecReadError, load_served_spec
from oms_mock.store import ItemStore, StoreError, StoreLayout

__all__ = [
    "DEFAULT_SPEC_PATH",
    "DEFAULT_TOKEN",
    "ConfigError",
    "FaultConfig",
    "FaultSpecError",
    "ItemCollection",
    "ItemStore",
    "ItemsFileError",
    "MockConfig",
    "RunningMock",
    "ServedSpec",
    "SpecReadError",
    "StoreError",
    "StoreLayout",
    "coverage_size",
    "create_app",
    "generate_items",
    "get_store",
    "load_served_spec",
    "read_collections",
    "read_items_file",
    "run_server",
    "serve_mock",
]
