"""A new GET-by-id operation: a method of both clients, a subcommand, served by the mock from its store."""

from __future__ import annotations

import json

import pytest
from evolution_contract import contract_run, failed_checks
from evolution_runs import Variant
from evolution_variants import (
    LISTING,
    NEW_LOOKUP,
    command_name,
    iterator_name,
    shipped_document,
    with_new_lookup,
)

from generator.naming import snake_case
from oms_spec import ApiSpec, Operation, load_api_spec

pytestmark = pytest.mark.slow

LOOKUP = snake_case(NEW_LOOKUP)
ID = LISTING.id_field
# Named among the edited spec's operations: the edit may replace a lookup the spec already has at that path.
EDITED = ApiSpec.from_document(with_new_lookup(shipped_document()))
COMMAND = command_name(NEW_LOOKUP, [operation.operation_id for operation in EDITED.operations])


def listed_items(variant: Variant) -> list[dict[str, object]]:
    walked: list[dict[str, object]] = variant.probe("walk", iterator=iterator_name(LISTING.operation), kwargs={})[
        "sync"
    ]
    return walked


def test_both_clients_have_the_lookup_with_a_required_id_argument(new_lookup: Variant) -> None:
    found = new_lookup.probe("signature", method=LOOKUP)

    parameters = {parameter["name"]: parameter for parameter in found["parameters"]}
    assert parameters[ID]["keyword_only"] and parameters[ID]["required"]
    assert ID in found["async_parameters"]


def test_the_lookup_returns_the_item_as_listed(new_lookup: Variant) -> None:
    listed = listed_items(new_lookup)[3]

    outcome = new_lookup.probe("call", method=LOOKUP, kwargs={ID: listed[ID]})

    for client in ("sync", "async"):
        assert outcome[client]["result"] == listed
        assert outcome[client]["sent"][0]["path"].endswith(f"/{listed[ID]}")


def test_an_unknown_id_raises_not_found_error(new_lookup: Variant) -> None:
    outcome = new_lookup.probe("call", method=LOOKUP, kwargs={ID: "no-such-item"})

    for client in ("sync", "async"):
        assert outcome[client]["error"] == "NotFoundError"
        assert "HTTP 404" in outcome[client]["message"]


def test_an_id_breaking_its_limits_is_refused_before_sending(new_lookup: Variant) -> None:
    outcome = new_lookup.probe("call", method=LOOKUP, kwargs={ID: ""})

    assert (outcome["sync"]["error"], outcome["sync"]["field"], outcome["sync"]["sent"]) == ("ValidationError", ID, [])


def test_the_command_line_has_a_subcommand_taking_the_id_as_a_positional(new_lookup: Variant) -> None:
    listed = listed_items(new_lookup)[0]

    shown = new_lookup.cli(COMMAND, str(listed[ID]))
    missing = new_lookup.cli(COMMAND, "no-such-item")

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)[ID] == listed[ID]
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr


def test_the_contract_suite_covers_the_lookup_and_passes_the_mock(new_lookup: Variant) -> None:
    result = contract_run(new_lookup.spec, new_lookup.base_url)

    assert result.ok, (failed_checks(result), result.errors)
    assert result.operations.get(NEW_LOOKUP, 0) > 0
    assert result.lookup_requests > 0


def test_the_lookup_operation_is_what_the_conventions_call_a_lookup(new_lookup: Variant) -> None:
    api = load_api_spec(new_lookup.spec)
    operation: Operation = api.operation(NEW_LOOKUP)

    found = api.lookup(operation)
    assert found is not None and (found.field, found.collection.operation_id) == (ID, LISTING.operation.operation_id)
