"""A spec-driven mock of Huawei Cloud OMS `GET /v2/{project_id}/sync-tasks`, backed by an SQLite task store.

    from oms_mock import MockConfig, create_app, run_server
    app = create_app(MockConfig(tasks=1000, seed=0))            # an ASGI app, for in-process clients
    with run_server(MockConfig(), port=0) as base_url: ...       # uvicorn on 127.0.0.1, a free port

Every project id sees the same store. Accepted token by default: `oms-mock-token` (DEFAULT_TOKEN).
"""

from oms_mock.app import create_app, get_store
from oms_mock.config import DEFAULT_TOKEN, ConfigError, MockConfig
from oms_mock.faults import FaultConfig, FaultSpecError
from oms_mock.seed import coverage_size, generate_tasks
from oms_mock.server import run_server
from oms_mock.spec import DEFAULT_SPEC_PATH, MockSpec, SpecError, load_spec
from oms_mock.store import StoreError, TaskStore
from oms_mock.tasks_file import TasksFileError, read_tasks_file

__all__ = [
    "DEFAULT_SPEC_PATH",
    "DEFAULT_TOKEN",
    "ConfigError",
    "FaultConfig",
    "FaultSpecError",
    "MockConfig",
    "MockSpec",
    "SpecError",
    "StoreError",
    "TaskStore",
    "TasksFileError",
    "coverage_size",
    "create_app",
    "generate_tasks",
    "get_store",
    "load_spec",
    "read_tasks_file",
    "run_server",
]
