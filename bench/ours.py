"""Our own parts (generated client, mock server, contract suite), or the reason one has not landed yet."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.settings import GENERATED_DIR, REPO_ROOT, VENV_BIN


class PartMissing(Exception):
    """Raised when one of our parts cannot be imported or run yet; the message says why."""


def _import(module: str, part: str) -> ModuleType:
    for folder in (REPO_ROOT, GENERATED_DIR):
        if folder.is_dir() and str(folder) not in sys.path:
            sys.path.append(str(folder))
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise PartMissing(f"{part} is not available: cannot import {module} ({exc})") from exc


def client_package() -> ModuleType:
    """The generated `oms_sync_client` package."""
    return _import("oms_sync_client", "the generated client (issues 3 and 6)")


def client_models() -> ModuleType:
    """The generated `oms_sync_client.models` module."""
    client_package()
    return _import("oms_sync_client.models", "the generated models (issue 3)")


def first_paginated_endpoint() -> Any:
    """The generated package's first paginated endpoint (the listing the benchmarks walk), as its module describes
    it; `PartMissing` when the package has none."""
    package = client_package().__name__
    endpoints: Any = _import(f"{package}.api", "the generated endpoints (issue 10)").ENDPOINTS
    found = next((endpoint for endpoint in endpoints if endpoint.pagination is not None), None)
    if found is None:
        raise PartMissing("the generated package has no paginated endpoint")
    return found


def read_result() -> Any:
    """The client's own reading of a response (`_responses.read_result(endpoint, response, strict=...)`)."""
    return _import(f"{client_package().__name__}._responses", "the client's response path (issue 10)").read_result


def mock_package() -> ModuleType:
    """The `oms_mock` package (issue 4)."""
    return _import("oms_mock", "the mock server (issue 4)")


def generator_package() -> ModuleType:
    """The `generator` package (issue 3): importable means `python -m generator` can run."""
    module = _import("generator", "the generator (issue 3)")
    if not (Path(module.__file__ or "").parent / "__main__.py").exists():
        raise PartMissing("the generator (issue 3) has no __main__.py yet, so `python -m generator` cannot run")
    return module


def script(name: str, module: str, part: str) -> Path:
    """A console script of the omsgen project whose module imports."""
    _import(module, part)
    path = VENV_BIN / name
    if not path.exists():
        raise PartMissing(f"{part}: console script {path} is missing (re-run `make bootstrap`)")
    return path
