"""Running the contract suite of a variant spec against a server, small and fixed (the same cases every run)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from oms_mock import DEFAULT_TOKEN

if TYPE_CHECKING:
    from oms_contract import ContractResult

PROJECT_ID = "p1"
MAX_EXAMPLES = 5
SEED = 1


def contract_run(spec: Path, base_url: str) -> ContractResult:
    """The suite, with the variant spec, against `base_url` (the mock's token; positive and negative inputs)."""
    from oms_contract import Auth, RunSettings, Target, run_contract

    settings = RunSettings(max_examples=MAX_EXAMPLES, seed=SEED, spec_path=spec)
    return run_contract(Target(base_url, PROJECT_ID), Auth(token=DEFAULT_TOKEN), settings)


def failed_checks(result: ContractResult) -> set[str]:
    return {name for name, tally in result.tallies.items() if tally.failed}


def failure_messages(result: ContractResult, check: str) -> list[str]:
    return [failure.message for failure in result.failures if failure.check == check]
