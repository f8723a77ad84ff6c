"""Spec evolution: the platform team edits the spec, and the suite covers the change with no code edit.

Each test writes a variant of the shipped spec (see `contract_spec_variants`) and runs the suite with it against the
reference server serving the same variant, correct or with one deliberate bug.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from contract_harness import REFERENCE_AUTH, failed_checks, run_in_process
from contract_spec_variants import (
    ADDED_LOOKUP,
    SHIPPED,
    listing,
    shipped_document,
    unfiltered_enum_field,
    with_deprecated_listing,
    with_deprecated_parameter,
    with_filter,
    with_lookup,
    with_renamed_item_component,
    write_spec,
)
from reference_server import Faults, ReferenceServer

from oms_contract import LOOKUP_CHECK, WALK_CHECK, ContractResult
from oms_contract.cli import print_summary
from oms_spec import flatten, load_api_spec

# The operations are few and the reference server quick; a handful of examples per phase applies every check.
EXAMPLES = 3
NEW_FILTER = unfiltered_enum_field()


def _run(spec: Path, faults: Faults | None = None) -> ContractResult:
    server = ReferenceServer(spec, faults=faults or Faults())
    return run_in_process(server, REFERENCE_AUTH, max_examples=EXAMPLES, spec_path=spec)


@pytest.fixture(scope="module")
def filter_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(with_filter(shipped_document(), NEW_FILTER), tmp_path_factory.mktemp("filter"))


@pytest.fixture(scope="module")
def lookup_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(with_lookup(shipped_document()), tmp_path_factory.mktemp("lookup"))


@pytest.fixture(scope="module")
def lookup_run(lookup_spec: Path) -> ContractResult:
    return _run(lookup_spec)


def test_a_new_filter_parameter_is_walked_with_each_of_its_values(filter_spec: Path) -> None:
    values = flatten(listing()[1].item_properties[NEW_FILTER], SHIPPED.resolver).enum
    assert values

    result = _run(filter_spec)

    assert result.ok, result.failures[:3]
    walked = {probe.label for probe in result.probes if probe.check == WALK_CHECK}
    assert all(any(f"walk with {NEW_FILTER}={value} " in label for label in walked) for value in values)


def test_a_server_ignoring_a_new_filter_fails_filter_honoured_naming_the_parameter(filter_spec: Path) -> None:
    result = _run(filter_spec, Faults(ignored_filters=frozenset({NEW_FILTER})))

    assert failed_checks(result) == {"filter_honoured"}
    assert all(failure.message.startswith(f"{NEW_FILTER}=") for failure in result.failures_of("filter_honoured"))


def test_an_added_lookup_operation_is_tested_by_schemathesis(lookup_spec: Path, lookup_run: ContractResult) -> None:
    edited = {operation.operation_id for operation in load_api_spec(lookup_spec).operations}

    assert ADDED_LOOKUP in edited
    assert set(lookup_run.operations) == edited
    assert all(cases > 0 for cases in lookup_run.operations.values())
    assert lookup_run.ok, lookup_run.failures[:3]


def test_an_added_lookup_is_checked_against_the_listing_and_for_an_unknown_id(lookup_run: ContractResult) -> None:
    probes = [probe for probe in lookup_run.probes if probe.check == LOOKUP_CHECK]

    assert probes and all(probe.passed and probe.operation == ADDED_LOOKUP for probe in probes)
    assert sum(probe.label.startswith("lookup of unknown ") for probe in probes) == 1
    assert len(probes) > 1


def test_a_lookup_returning_another_item_fails_the_lookup_check_naming_the_operation(lookup_spec: Path) -> None:
    result = _run(lookup_spec, Faults(lookup_returns_another_item=True))
    summary = io.StringIO()
    print_summary(result, summary, [])

    assert failed_checks(result) == {LOOKUP_CHECK}
    failures = result.failures_of(LOOKUP_CHECK, ADDED_LOOKUP)
    assert failures and all("differs from the listed one" in failure.message for failure in failures)
    assert all(failure.curl for failure in failures)
    assert f"FAILED {LOOKUP_CHECK} ({ADDED_LOOKUP}): " in summary.getvalue()


def test_a_renamed_item_component_changes_nothing(tmp_path: Path) -> None:
    _, pagination = listing()
    renamed = f"{pagination.item_component}Renamed"
    spec = write_spec(with_renamed_item_component(shipped_document(), renamed), tmp_path)
    assert listing(load_api_spec(spec))[1].item_component == renamed

    result = _run(spec)

    assert result.ok, result.failures[:3]
    assert all(result.tallies[name].passed for name in ("page_size_within_limit", "filter_honoured", WALK_CHECK))


def test_a_deprecated_listing_and_filter_are_still_checked(tmp_path: Path) -> None:
    operation, _ = listing()
    name = SHIPPED.filters(operation)[0].name
    spec = write_spec(with_deprecated_listing(with_deprecated_parameter(shipped_document(), name)), tmp_path)
    edited = load_api_spec(spec)
    assert listing(edited)[0].deprecated and edited.filters(listing(edited)[0])[0].deprecated

    result = _run(spec, Faults(ignored_filters=frozenset({name})))

    assert result.operations[operation.operation_id] > 0
    assert "filter_honoured" in failed_checks(result)
    assert all(failure.message.startswith(f"{name}=") for failure in result.failures_of("filter_honoured"))
