"""The items' schema component renamed: the package, the CLI, the mock and the suite follow with no other edit."""

from __future__ import annotations

import pytest
from evolution_contract import contract_run, failed_checks
from evolution_runs import Variant
from evolution_variants import LISTING, RENAMED_SUFFIX, iterator_name

pytestmark = pytest.mark.slow

RENAMED = f"{LISTING.pagination.item_component}{RENAMED_SUFFIX}"


def test_the_package_exports_the_renamed_model_and_not_the_old_one(renamed_component: Variant) -> None:
    exported = renamed_component.probe("exports")["all"]

    assert RENAMED in exported
    assert LISTING.pagination.item_component not in exported


def test_the_iterator_yields_the_renamed_model(renamed_component: Variant) -> None:
    walked = renamed_component.probe("walk", iterator=iterator_name(LISTING.operation), kwargs={})

    assert walked["item_class"] == RENAMED
    assert walked["sync"] == walked["async"] and walked["sync"]


def test_the_command_line_lists_as_before(renamed_component: Variant) -> None:
    listed = renamed_component.cli("list", "--format", "table")

    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].split()[0] == LISTING.id_field.upper()


def test_the_contract_suite_passes_the_mock_serving_the_renamed_spec(renamed_component: Variant) -> None:
    result = contract_run(renamed_component.spec, renamed_component.base_url)

    assert result.ok, (failed_checks(result), result.errors)
