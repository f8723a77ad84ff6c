"""The test folders share one pytest process (and its module cache): their helper modules need distinct names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SHARED_NAMES = {"conftest.py", "__init__.py"}


def test_no_two_test_folders_hold_a_module_of_the_same_name() -> None:
    names = Counter(path.name for path in TESTS.glob("*/*.py") if path.name not in SHARED_NAMES)

    assert [name for name, seen in names.items() if seen > 1] == []
