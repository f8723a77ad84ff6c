"""`filter_honoured` on hand-made pages: every filter sent is judged, comparing the typed value the schema states."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_calls import NO_CONTEXT, page_exchange
from contract_spec_variants import (
    SHIPPED,
    listing,
    shipped_document,
    unfiltered_boolean_field,
    unfiltered_enum_field,
    unfiltered_integer_field,
    with_filter,
    write_spec,
)

from oms_contract.checks import NOT_APPLICABLE, filter_honoured
from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_spec import flatten

BOOLEAN, INTEGER, ENUM = unfiltered_boolean_field(), unfiltered_integer_field(), unfiltered_enum_field()
SHIPPED_FILTER = SHIPPED.filters(listing()[0])[0].name
SHIPPED_VALUES = flatten(SHIPPED.filters(listing()[0])[0].schema, SHIPPED.resolver).enum or ()


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped spec with three new filters: a boolean, an integer and an enum field of the items."""
    document = shipped_document()
    for field in (BOOLEAN, INTEGER, ENUM):
        document = with_filter(document, field)
    return write_spec(document, tmp_path_factory.mktemp("filters"))


def test_a_boolean_filter_passes_items_holding_that_boolean(spec: Path) -> None:
    case, response = page_exchange(spec, {BOOLEAN: "false"}, [{BOOLEAN: False}, {BOOLEAN: False}])

    assert filter_honoured(NO_CONTEXT, response, case) is None


def test_a_boolean_filter_fails_an_item_holding_the_string_spelling(spec: Path) -> None:
    case, response = page_exchange(spec, {BOOLEAN: "true"}, [{BOOLEAN: True}, {BOOLEAN: "true"}])

    with pytest.raises(
        AssertionError, match=rf'^{BOOLEAN}=true was asked for, but 1 of 2 .*\[1\]\.{BOOLEAN} = "true"\)'
    ):
        filter_honoured(NO_CONTEXT, response, case)


def test_an_integer_filter_passes_items_holding_that_integer(spec: Path) -> None:
    case, response = page_exchange(spec, {INTEGER: "7"}, [{INTEGER: 7}])

    assert filter_honoured(NO_CONTEXT, response, case) is None


def test_an_integer_filter_fails_an_item_holding_the_number_as_a_string(spec: Path) -> None:
    case, response = page_exchange(spec, {INTEGER: "7"}, [{INTEGER: "7"}])

    with pytest.raises(AssertionError, match=rf"^{INTEGER}=7 was asked for"):
        filter_honoured(NO_CONTEXT, response, case)


def test_an_item_missing_the_filtered_field_fails(spec: Path) -> None:
    values = flatten(listing()[1].item_properties[ENUM], SHIPPED.resolver).enum or ()
    case, response = page_exchange(spec, {ENUM: str(values[0])}, [{}])

    with pytest.raises(AssertionError, match=rf"\[0\]\.{ENUM} = missing"):
        filter_honoured(NO_CONTEXT, response, case)


def test_each_filter_sent_is_judged_and_the_one_ignored_is_named(spec: Path) -> None:
    item = {SHIPPED_FILTER: SHIPPED_VALUES[0], BOOLEAN: True}
    case, response = page_exchange(spec, {SHIPPED_FILTER: str(SHIPPED_VALUES[0]), BOOLEAN: "false"}, [item])

    with pytest.raises(AssertionError, match=rf"^{BOOLEAN}=false was asked for"):
        filter_honoured(NO_CONTEXT, response, case)


def test_a_page_asked_for_without_a_filter_is_not_judged() -> None:
    case, response = page_exchange(DEFAULT_SPEC_PATH, {}, [{SHIPPED_FILTER: SHIPPED_VALUES[0]}])

    assert filter_honoured(NO_CONTEXT, response, case) is NOT_APPLICABLE


def test_a_filter_value_outside_the_spec_is_not_judged() -> None:
    case, response = page_exchange(DEFAULT_SPEC_PATH, {SHIPPED_FILTER: f"{SHIPPED_VALUES[0]}-not-a-value"}, [{}])

    assert filter_honoured(NO_CONTEXT, response, case) is NOT_APPLICABLE
