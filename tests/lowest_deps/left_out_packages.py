"""pytest plugin for the lowest-deps venv: a test that needs a heavy test-only package left out of it is skipped.

Only the packages named here count: any other missing module (say, one the client needs and its floors lack)
still fails the run. Loaded with `-p left_out_packages` in the inner run only.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

import pytest

LEFT_OUT = frozenset({"huaweicloudsdkcore", "huaweicloudsdkoms", "schemathesis"})
"""The vendor SDK (pymongo, requests, ...) and schemathesis: test-only, heavy, not what a client user installs."""


class _SkipLeftOut(importlib.abc.MetaPathFinder):
    """Last on `sys.meta_path`: asked only about modules no other finder has, it skips on a left-out one."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        top = fullname.partition(".")[0]
        if top in LEFT_OUT:
            pytest.skip(f"needs {top}, left out of the lowest-deps venv", allow_module_level=True)
        return None


def pytest_configure(config: pytest.Config) -> None:
    """Install the finder before any test module is imported."""
    sys.meta_path.append(_SkipLeftOut())
