"""Fixtures of the spec-evolution tests: each edit of the spec regenerated into a temporary folder, the mock
serving the same edited spec, and a way to use the regenerated package in a process of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import evolution_variants as variants
import pytest
from evolution_runs import Variant, generate

from oms_mock import MockConfig, run_server

MOCK_TASKS = 60


def _variant(
    factory: pytest.TempPathFactory, name: str, edit: Callable[[variants.Document], variants.Document]
) -> Iterator[Variant]:
    folder = factory.mktemp(name)
    spec = variants.write(edit(variants.shipped_document()), folder / "spec.yaml")
    generated = generate(spec, folder / "generated")
    assert generated.returncode == 0, generated.stderr
    with run_server(MockConfig(spec_path=spec, tasks=MOCK_TASKS, seed=3)) as base_url:
        yield Variant(spec, folder / "generated", base_url)


@pytest.fixture(scope="session")
def new_filter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "filter", variants.with_new_filter)


@pytest.fixture(scope="session")
def new_header(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "header", variants.with_new_header)


@pytest.fixture(scope="session")
def new_lookup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "lookup", variants.with_new_lookup)


@pytest.fixture(scope="session")
def new_writes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "writes", variants.with_new_writes)


@pytest.fixture(scope="session")
def renamed_component(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "renamed", variants.with_renamed_item_component)


@pytest.fixture(scope="session")
def deprecated_filter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Variant]:
    yield from _variant(tmp_path_factory, "deprecated", variants.with_deprecated_filter)


@pytest.fixture(scope="session")
def shipped_mock() -> Iterator[str]:
    """The mock serving the shipped spec: a server that knows none of the edits (and so ignores a new filter)."""
    with run_server(MockConfig(tasks=MOCK_TASKS, seed=3)) as base_url:
        yield base_url
