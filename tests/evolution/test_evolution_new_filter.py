"""A new optional query parameter named like an item field: a filter in the client, the CLI, the mock and the suite."""

from __future__ import annotations

from collections import Counter

import pytest
from evolution_contract import contract_run, failed_checks, failure_messages
from evolution_runs import Variant
from evolution_variants import LISTING, iterator_name, method_name

pytestmark = pytest.mark.slow

METHOD = method_name(LISTING.operation)
ITERATOR = iterator_name(LISTING.operation)
FIELD = LISTING.new_filter
VALUES = LISTING.new_filter_values


def test_both_clients_and_their_iterators_take_the_filter_as_a_keyword_argument(new_filter: Variant) -> None:
    for method in (METHOD, ITERATOR):
        found = new_filter.probe("signature", method=method)
        parameters = {parameter["name"]: parameter for parameter in found["parameters"]}
        assert parameters[FIELD]["keyword_only"] and not parameters[FIELD]["required"]
        assert FIELD in found["async_parameters"]
        assert FIELD in found["doc"]


def test_a_value_outside_the_enum_is_refused_before_anything_is_sent(new_filter: Variant) -> None:
    outcome = new_filter.probe("call", method=METHOD, kwargs={FIELD: "NOT-A-VALUE"})

    for client in ("sync", "async"):
        assert outcome[client]["error"] == "ValidationError"
        assert outcome[client]["field"] == FIELD
        assert ", ".join(VALUES) in outcome[client]["message"]
        assert outcome[client]["sent"] == []


def test_the_value_goes_on_the_wire_and_the_mock_filters_by_it(new_filter: Variant) -> None:
    everything = new_filter.probe("walk", iterator=ITERATOR, kwargs={})["sync"]
    value, expected = Counter(item[FIELD] for item in everything if FIELD in item).most_common(1)[0]

    outcome = new_filter.probe("call", method=METHOD, kwargs={FIELD: value, LISTING.pagination.limit.name: 100})

    for client in ("sync", "async"):
        page = outcome[client]["result"]
        assert outcome[client]["sent"][0]["query"][FIELD] == value
        assert {item[FIELD] for item in page[LISTING.pagination.items]} == {value}
        assert page[LISTING.pagination.total] == expected


def test_the_iterator_walks_only_the_matching_items(new_filter: Variant) -> None:
    value = VALUES[0]

    walked = new_filter.probe("walk", iterator=ITERATOR, kwargs={FIELD: value})

    assert walked["sync"] == walked["async"]
    assert {item[FIELD] for item in walked["sync"]} <= {value}
    assert walked["sent"][0]["query"][FIELD] == value


def test_the_command_line_has_an_option_for_it_with_the_enum_choices(new_filter: Variant) -> None:
    option = "--" + FIELD.replace("_", "-")

    helped = new_filter.cli("list", "--help")
    listed = new_filter.cli("list", option, VALUES[0], "--format", "jsonl")
    refused = new_filter.cli("list", option, "NOT-A-VALUE")

    assert option in helped.stdout and "{" + ",".join(VALUES) + "}" in helped.stdout
    assert listed.returncode == 0, listed.stderr
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


def test_the_contract_suite_passes_the_mock_serving_the_edited_spec(new_filter: Variant) -> None:
    result = contract_run(new_filter.spec, new_filter.base_url)

    assert result.ok, (failed_checks(result), result.errors)


def test_the_contract_suite_fails_a_server_that_ignores_the_new_filter(new_filter: Variant, shipped_mock: str) -> None:
    result = contract_run(new_filter.spec, shipped_mock)

    assert "filter_honoured" in failed_checks(result)
    assert any(FIELD in message for message in failure_messages(result, "filter_honoured"))
