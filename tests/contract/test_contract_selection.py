"""Choosing checks by name: --list-checks, --checks, --exclude-checks, and the same choices in the Python API."""

from __future__ import annotations

import functools

import pytest
from contract_harness import REFERENCE_AUTH, run_in_process
from reference_server import ReferenceServer

from oms_contract import ALL_CHECKS, PAGE_SIZES_CHECK, WALK_CHECK, CheckSelectionError, ContractResult, catalogue
from oms_contract.catalogue import deselected_checks, parse_names
from oms_contract.cli import EXIT_CLEAN, main
from oms_contract.spec import DEFAULT_SPEC_PATH

CHOSEN = ("page_size_within_limit", "filter_honoured")


@functools.cache
def chosen_run() -> ContractResult:
    return run_in_process(ReferenceServer(DEFAULT_SPEC_PATH), REFERENCE_AUTH, max_examples=2, checks=CHOSEN)


def test_list_checks_prints_every_check_with_what_it_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--list-checks"], env={})

    lines = capsys.readouterr().out.splitlines()
    assert status == EXIT_CLEAN
    assert [line.split()[0] for line in lines] == list(ALL_CHECKS)
    assert all(entry.description and entry.description in line for entry, line in zip(catalogue(), lines, strict=True))


def test_only_the_chosen_checks_run_and_the_others_say_why_not() -> None:
    result = chosen_run()

    assert set(result.tallies) == set(CHOSEN)
    assert all(result.tallies[name].passed for name in CHOSEN)
    assert result.disabled[WALK_CHECK] == "not among the checks chosen"


def test_checks_left_out_send_none_of_their_own_requests() -> None:
    assert chosen_run().walk_requests == chosen_run().variant_requests == 0


def test_excluded_checks_are_left_out_and_the_rest_run() -> None:
    left_out = deselected_checks(None, (WALK_CHECK, PAGE_SIZES_CHECK))

    assert left_out == dict.fromkeys((WALK_CHECK, PAGE_SIZES_CHECK), "left out by the choice of checks")


def test_an_unknown_check_name_is_refused_naming_it_and_the_option() -> None:
    with pytest.raises(CheckSelectionError, match=r"^--exclude-checks: unknown check 'page_size'"):
        deselected_checks(None, ("page_size",))


def test_names_come_repeated_or_comma_separated_and_repeats_count_once() -> None:
    assert parse_names(["a,b", " c ", "a", ""]) == ("a", "b", "c")
