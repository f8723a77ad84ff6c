"""The mock as the contract tests' correct server, and broken variants of it."""

from __future__ import annotations

import functools
from typing import Any

from contract_harness import MAX_EXAMPLES, run_in_process
from contract_variants import ASGIApp, Variant, variant

from oms_contract import Auth, ContractResult
from oms_contract.runner import Mode
from oms_mock import DEFAULT_TOKEN, MockConfig, create_app

TOKEN_AUTH = Auth(token=DEFAULT_TOKEN)


def mock_app(**config: Any) -> ASGIApp:
    """A fresh correct mock (its default data set unless told otherwise)."""
    app: ASGIApp = create_app(MockConfig(**config))
    return app


def broken_app(variant: Variant, **config: Any) -> ASGIApp:
    """A fresh mock wrapped in a broken variant."""
    return variant.wrap(mock_app(**config))


@functools.cache
def variant_run(name: str, mode: Mode = "all", max_examples: int = MAX_EXAMPLES) -> ContractResult:
    """The run against the named broken variant of the mock, done once per test process (several tests read it)."""
    return run_in_process(broken_app(variant(name)), TOKEN_AUTH, mode=mode, max_examples=max_examples)
