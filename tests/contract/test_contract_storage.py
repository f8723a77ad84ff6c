"""Hypothesis' database and caches go under the report directory or a user cache directory, never the current one."""

from __future__ import annotations

from pathlib import Path

import pytest
from contract_harness import REFERENCE_AUTH, run_in_process
from hypothesis import configuration
from planted_bugs import planted
from reference_server import ReferenceServer

from oms_contract.spec import DEFAULT_SPEC_PATH
from oms_contract.storage import (
    CACHE_SUBDIRECTORY,
    DATABASE_SUBDIRECTORY,
    REPORT_SUBDIRECTORY,
    database_dir_for,
    default_hypothesis_dir,
    hypothesis_home,
)


def test_the_examples_of_a_failing_run_go_under_the_report_directory_and_nothing_into_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, reports = tmp_path / "work", tmp_path / "reports"
    work.mkdir()
    monkeypatch.chdir(work)
    server = ReferenceServer(DEFAULT_SPEC_PATH, faults=planted("zero_limit_accepted").faults)

    result = run_in_process(server, REFERENCE_AUTH, max_examples=1, report_dir=reports, example_database=None)

    assert not result.ok
    assert list(work.iterdir()) == []
    assert any((reports / REPORT_SUBDIRECTORY).iterdir())


def test_hypothesis_caches_go_to_the_user_cache_directory() -> None:
    assert default_hypothesis_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache") / CACHE_SUBDIRECTORY
    assert default_hypothesis_dir({"HOME": "/home/qa"}) == Path("/home/qa/.cache") / CACHE_SUBDIRECTORY


def test_without_a_report_directory_the_examples_stay_in_hypothesis_home() -> None:
    home = Path("/x/cache") / CACHE_SUBDIRECTORY

    assert database_dir_for(None, home) == home / DATABASE_SUBDIRECTORY
    assert database_dir_for(Path("/r"), home) == Path("/r") / REPORT_SUBDIRECTORY


def test_the_previous_hypothesis_directory_is_put_back_after_a_run(tmp_path: Path) -> None:
    before = configuration.storage_directory("x", intent_to_write=False).home_directory

    with hypothesis_home(tmp_path):
        during = configuration.storage_directory("x", intent_to_write=False).home_directory

    assert during == tmp_path
    assert configuration.storage_directory("x", intent_to_write=False).home_directory == before
