"""Fixtures of the lowest-deps tests: a project freshly generated from the repo's spec and templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.settings import DEFAULT_SPEC, TOOLKIT_ROOT


@pytest.fixture(scope="session")
def generated_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client project generated once per session into a temporary folder (`generated/` may lag the templates)."""
    out = tmp_path_factory.mktemp("lowest-deps") / "generated"
    generate(TOOLKIT_ROOT / DEFAULT_SPEC, out)
    return out
