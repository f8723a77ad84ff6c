"""Fixtures of the compat tests: two copies of the repo's spec (the released one and one to edit)."""

from __future__ import annotations

from typing import Any

import pytest
from compat_variants import SpecParts, repo_document


@pytest.fixture
def old() -> dict[str, Any]:
    """The repo's spec, as the release a change is judged against (do not edit)."""
    return repo_document()


@pytest.fixture
def new() -> dict[str, Any]:
    """Another copy of the repo's spec, for the test to edit."""
    return repo_document()


@pytest.fixture
def parts(new: dict[str, Any]) -> SpecParts:
    """The parts of `new` that edits need."""
    return SpecParts(new)
