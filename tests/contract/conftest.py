"""Every contract test sees the tests' own user cache directory, so no run writes into the user's."""

from __future__ import annotations

import pytest
from contract_harness import TEST_CACHE_HOME


@pytest.fixture(autouse=True)
def tests_cache_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(TEST_CACHE_HOME))
