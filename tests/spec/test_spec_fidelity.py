"""The spec says what the vendor's page says: one test per fact of an independent transcription of the page."""

import pytest
from spec_document import JsonPath, format_path, load_spec
from spec_fact_check import check_fact
from spec_fact_coverage import unaccounted_constraints
from spec_instance_validation import instance_errors
from spec_mutations import delete_key, set_key
from vendor_page_facts import VENDOR_PAGE_FACTS, VendorFact

_TASK: JsonPath = ("components", "schemas", "SyncTaskInfo", "properties")
_DESCRIPTION: JsonPath = (*_TASK, "description")
_FORBIDDEN = next(
    str(fact.value)
    for fact in VENDOR_PAGE_FACTS
    if (fact.field, fact.kind) == ("SyncTaskInfo.description", "forbidden_chars")
)


@pytest.mark.parametrize("fact", VENDOR_PAGE_FACTS, ids=lambda fact: fact.label)
def test_spec_matches_vendor_page(fact: VendorFact) -> None:
    problem = check_fact(load_spec(), fact).problem
    assert problem is None, problem


def test_vendor_page_transcription_holds_at_least_forty_facts() -> None:
    assert len(VENDOR_PAGE_FACTS) >= 40


def test_vendor_page_fact_labels_are_unique() -> None:
    labels = [fact.label for fact in VENDOR_PAGE_FACTS]
    assert sorted(label for label in set(labels) if labels.count(label) > 1) == []


def test_every_constraint_in_the_spec_is_a_vendor_page_fact_or_marked_curated() -> None:
    assert unaccounted_constraints(load_spec(), VENDOR_PAGE_FACTS) == []


def test_a_constraint_the_page_does_not_state_is_reported_as_unaccounted() -> None:
    spec = load_spec()
    set_key((*_TASK, "status"), "maxLength", 64)(spec)
    assert unaccounted_constraints(spec, VENDOR_PAGE_FACTS) == [format_path((*_TASK, "status")) + ".maxLength"]


def test_a_curated_constraint_loses_its_exemption_without_the_curated_mark() -> None:
    spec = load_spec()
    error_code: JsonPath = ("components", "schemas", "ErrorResponse", "properties", "error_code")
    delete_key(error_code, "x-omsgen-curated")(spec)
    assert unaccounted_constraints(spec, VENDOR_PAGE_FACTS) == [
        f"{format_path(error_code)}.minLength",
        f"{format_path(error_code)}.maxLength",
    ]


# The description's forbidden characters, as behaviour of the spec's own schema (pattern and maxLength together).


@pytest.mark.parametrize("character", list(_FORBIDDEN))
def test_description_schema_rejects_the_forbidden_character(character: str) -> None:
    assert instance_errors(load_spec(), _DESCRIPTION, f"sync {character} task") != []


def test_description_schema_accepts_255_allowed_characters() -> None:
    allowed = "".join(chr(code) for code in range(32, 127) if chr(code) not in _FORBIDDEN) + "\u00e9\u4e2d"
    longest = (allowed * 3)[:255]
    assert instance_errors(load_spec(), _DESCRIPTION, longest) == []


def test_description_schema_rejects_256_allowed_characters() -> None:
    assert instance_errors(load_spec(), _DESCRIPTION, "a" * 256) != []
