"""Fixtures of the aiohttp transport's tests: the listing's names as the spec gives them, and a mock server.

Names of operations, parameters and limits are read from the spec through `oms_spec` and derived the way the
generator derives them, never retyped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.naming import snake_case, without_first_word
from generator.settings import DISTRIBUTION_NAME
from oms_mock import DEFAULT_TOKEN, MockConfig, run_server
from oms_spec import load_api_spec

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "oms-sync-tasks.yaml"
PROJECT_ID = "transport-test-project"
ACCESS_KEY = "TRANSPORTTESTACCESSKEY"
SECRET_KEY = "transport-test-secret-key"
TOKEN = DEFAULT_TOKEN


@dataclass(frozen=True)
class ListingNames:
    """The first paginated operation as the generated clients name it, and its largest page."""

    method: str
    iterator: str
    limit: str
    page_size: int
    distribution: str


@pytest.fixture(scope="session")
def listing() -> ListingNames:
    spec = load_api_spec(SPEC_PATH)
    for operation in spec.operations:
        pagination = spec.pagination(operation)
        if pagination is not None:
            return ListingNames(
                method=snake_case(operation.operation_id),
                iterator=f"iter_{without_first_word(operation.operation_id)}",
                limit=pagination.limit.name,
                page_size=pagination.limit_maximum,
                distribution=DISTRIBUTION_NAME,
            )
    raise LookupError(f"{SPEC_PATH} declares no paginated operation")


@pytest.fixture(scope="session")
def mock_tasks(listing: ListingNames) -> int:
    """Enough tasks for several pages, the last one short."""
    return 4 * listing.page_size + 3


@pytest.fixture(scope="session")
def mock_url(mock_tasks: int) -> Iterator[str]:
    """The mock on 127.0.0.1 (in a thread), accepting the token and the AK/SK pair."""
    config = MockConfig(tasks=mock_tasks, seed=0, tokens=(TOKEN,), ak=ACCESS_KEY, sk=SECRET_KEY)
    with run_server(config) as base_url:
        yield base_url
