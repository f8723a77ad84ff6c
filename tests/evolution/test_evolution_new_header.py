"""A new optional request header with an inline enum: an argument of both clients, validated, sent, served."""

from __future__ import annotations

import httpx
import pytest
from evolution_contract import contract_run, failed_checks
from evolution_runs import Variant
from evolution_variants import LISTING, NEW_HEADER, NEW_HEADER_VALUES, method_name

from generator.naming import snake_case
from oms_mock import DEFAULT_TOKEN

pytestmark = pytest.mark.slow

METHOD = method_name(LISTING.operation)
ARGUMENT = snake_case(NEW_HEADER)


def test_both_clients_take_the_header_as_a_keyword_argument(new_header: Variant) -> None:
    found = new_header.probe("signature", method=METHOD)

    parameters = {parameter["name"]: parameter for parameter in found["parameters"]}
    assert parameters[ARGUMENT]["keyword_only"] and not parameters[ARGUMENT]["required"]
    assert ARGUMENT in found["async_parameters"]


def test_a_value_outside_the_inline_enum_is_refused_before_anything_is_sent(new_header: Variant) -> None:
    outcome = new_header.probe("call", method=METHOD, kwargs={ARGUMENT: "fr-fr"})

    for client in ("sync", "async"):
        assert (outcome[client]["error"], outcome[client]["field"], outcome[client]["sent"]) == (
            "ValidationError",
            ARGUMENT,
            [],
        )


def test_the_value_goes_on_the_wire_in_the_header_and_the_default_when_left_out(new_header: Variant) -> None:
    given = new_header.probe("call", method=METHOD, kwargs={ARGUMENT: NEW_HEADER_VALUES[1]})
    left_out = new_header.probe("call", method=METHOD, kwargs={})

    for client in ("sync", "async"):
        assert given[client]["sent"][0]["headers"][NEW_HEADER.lower()] == NEW_HEADER_VALUES[1]
        assert left_out[client]["sent"][0]["headers"][NEW_HEADER.lower()] == NEW_HEADER_VALUES[0]
        assert "result" in given[client]


def test_the_mock_validates_the_header(new_header: Variant) -> None:
    path = LISTING.operation.path.replace("{project_id}", "p1")

    with httpx.Client(base_url=new_header.base_url) as http:
        refused = http.get(path, headers={"X-Auth-Token": DEFAULT_TOKEN, NEW_HEADER: "fr-fr"})
        accepted = http.get(path, headers={"X-Auth-Token": DEFAULT_TOKEN, NEW_HEADER: NEW_HEADER_VALUES[1]})

    assert refused.status_code == 400 and NEW_HEADER in refused.text
    assert accepted.status_code == 200


def test_the_command_line_has_an_option_for_the_header(new_header: Variant) -> None:
    option = "--" + ARGUMENT.replace("_", "-")

    helped = new_header.cli("list", "--help")
    listed = new_header.cli("list", option, NEW_HEADER_VALUES[1])

    assert option in helped.stdout and "{" + ",".join(NEW_HEADER_VALUES) + "}" in helped.stdout
    assert listed.returncode == 0, listed.stderr


def test_the_contract_suite_covers_the_header_and_passes_the_mock(new_header: Variant) -> None:
    result = contract_run(new_header.spec, new_header.base_url)

    assert result.ok, (failed_checks(result), result.errors)
