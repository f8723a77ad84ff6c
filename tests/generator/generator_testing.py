"""Shared names of the generator tests (a uniquely named module: conftest.py is not importable by name)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.settings import DEFAULT_SPEC, TOOLKIT_ROOT

SPEC_PATH = TOOLKIT_ROOT / DEFAULT_SPEC

RunGenerator = Callable[..., subprocess.CompletedProcess[str]]
WriteSpec = Callable[[dict[str, Any]], Path]


def load_repo_spec() -> dict[str, Any]:
    """The repo's spec as a plain dict."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded
