"""Fixed names and paths of the pipeline: what the generated project is called and where templates live."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from oms_spec import PROJECT_PARAMETER

TOOLKIT_ROOT: Final = Path(__file__).resolve().parent.parent
TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
DATAMODEL_TEMPLATES_DIR: Final = TEMPLATES_DIR / "datamodel"
CLIENT_TEMPLATES_DIR: Final = TEMPLATES_DIR / "client"
PROJECT_TEMPLATES_DIR: Final = TEMPLATES_DIR / "project"
RUNTIME_TEMPLATES_DIR: Final = TEMPLATES_DIR / "runtime"

DEFAULT_SPEC: Final = Path("spec/oms-sync-tasks.yaml")
DEFAULT_OUT: Final = Path("generated")

DISTRIBUTION_NAME: Final = "oms-sync-client"
PACKAGE_NAME: Final = "oms_sync_client"
CONSOLE_SCRIPT: Final = "oms-sync-tasks"
CONSOLE_SCRIPT_TARGET: Final = f"{PACKAGE_NAME}.cli:main"

MODEL_BASE_CLASS: Final = f"{PACKAGE_NAME}._model_base.OmsModel"
PARAMS_MODEL_SUFFIX: Final = "Params"

PROJECT_ARGUMENT: Final = PROJECT_PARAMETER
"""The path parameter filled from the client's default project (the convention of `oms_spec.conventions`)."""

RESERVED_ARGUMENT_NAMES: Final = frozenset(
    {"self", "body", "timeout", "max_retries", "strict", "page_size", "start_offset", "max_concurrency"}
)
"""Keywords of the generated methods themselves; an argument of the same name gets a trailing `_`."""

CLIENT_METHOD_NAMES: Final = frozenset(
    {"close", "aclose", "from_env", "timeout", "max_retries", "strict", "settings", "auth", "base_url", "project_id"}
)
"""Attributes of the clients that no operation's method may hide."""

CLIENT_CLASS: Final = "OmsClient"
ASYNC_CLIENT_CLASS: Final = "AsyncOmsClient"
OPERATION_TEMPLATES_DIR: Final = TEMPLATES_DIR / "operations"
