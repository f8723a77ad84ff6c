"""The enum-variant check's choice of spellings, and what it expects for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_spec_variants import shipped_document, write_spec

from oms_contract.enum_variants import enum_parameters, invalid_input_statuses, variants
from oms_contract.query_values import ScalarRule
from oms_contract.spec import load_contract_spec

CONTRACT = load_contract_spec()
LISTING = CONTRACT.paginated[0]
FOUND = enum_parameters(CONTRACT, LISTING)[0]  # the first; a spec may grow more


def test_the_string_enum_parameters_of_an_operation_are_found_and_credentials_are_not() -> None:
    header = CONTRACT.api.credentials.token_header

    assert FOUND.rule.enum and FOUND.value == FOUND.rule.enum[0]
    assert all(found.parameter.name != header for found in enum_parameters(CONTRACT, LISTING))


def test_variants_are_case_variants_and_near_misses_none_of_them_valid() -> None:
    found = variants(FOUND.value, FOUND.rule, location="query")
    texts = [variant.text for variant in found]

    assert FOUND.value.lower() in texts and f"{FOUND.value} " in texts and f" {FOUND.value}" in texts
    assert FOUND.value[:-1] in texts
    assert all(FOUND.rule.parse(text) is None for text in texts)
    assert len(set(texts)) == len(texts) and FOUND.value not in texts


def test_a_variant_that_is_itself_a_valid_value_is_not_sent() -> None:
    rule = ScalarRule(kind="string", enum=("On", "on", "ON"))

    assert "on" not in [variant.text for variant in variants("On", rule, location="query")]


def test_header_values_get_case_variants_only() -> None:
    kinds = {variant.kind for variant in variants(FOUND.value, FOUND.rule, location="header")}

    assert kinds and all("case" in kind for kind in kinds)


def test_invalid_input_expects_400_when_the_operation_documents_it() -> None:
    assert invalid_input_statuses(LISTING) == (400,)


def test_without_a_documented_400_the_other_client_errors_are_expected(tmp_path: Path) -> None:
    document = shipped_document()
    operation = document["paths"][LISTING.operation.path][LISTING.operation.method.lower()]
    operation["responses"]["422"] = operation["responses"].pop("400")

    facts = load_contract_spec(write_spec(document, tmp_path)).paginated[0]

    assert invalid_input_statuses(facts) == (422,)


@pytest.mark.parametrize("location", ["query", "path"])
def test_a_one_letter_value_gets_no_empty_near_miss(location: str) -> None:
    rule = ScalarRule(kind="string", enum=("A", "B"))

    assert "" not in [variant.text for variant in variants("A", rule, location=location)]
