"""The pytest plugin the oms-mock distribution ships: the `oms_mock` fixture, its marker, the session mock and the
client fixtures, used here as an application's tests would use them (the repository's install registers it)."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from oms_sync_client import SdkHmacSha256Auth, TokenAuth, errors

from generator.naming import snake_case, without_first_word
from oms_mock import generate_items, load_served_spec
from oms_mock.pytest_plugin import CLIENT_DISTRIBUTION, MockOptions, start_mock, time_start_and_stop
from oms_mock.server import RunningMock, accepted_project_id
from oms_spec import PROJECT_PARAMETER
from oms_spec import flatten

SERVED = load_served_spec()
API = SERVED.api
PAGINATION, LISTING = next((found, op) for op in API.operations if (found := API.pagination(op)) is not None)
ITERATOR = f"iter_{snake_case(without_first_word(LISTING.operation_id))}"
GIVEN_SEED = 11
GIVEN_ITEMS = list(generate_items(SERVED, 3, seed=GIVEN_SEED))
REQUIRED_ITEM_FIELD = next(iter(flatten(PAGINATION.item_schema, API.resolver).keywords["required"]))
SERVER_THREAD = "oms-mock-server"


def _inner_outcomes(pytester: pytest.Pytester, source: str, **outcomes: int) -> pytest.RunResult:
    """Run `source` as a test file in a fresh pytest session of this process and check its outcomes."""
    pytester.makepyfile(source)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(**outcomes)
    return result


@pytest.mark.oms_mock(tasks=7)
def test_the_mock_generates_as_many_items_as_the_marker_asks(oms_mock: RunningMock, oms_client: Any) -> None:
    assert len(oms_mock.tasks) == 7
    assert len(list(getattr(oms_client, ITERATOR)())) == 7


@pytest.mark.oms_mock(tasks=GIVEN_ITEMS)
def test_the_mock_serves_the_items_the_marker_gives_in_their_order(oms_mock: RunningMock, oms_client: Any) -> None:
    assert oms_mock.tasks == GIVEN_ITEMS
    listed = [item.model_dump(mode="json", exclude_unset=True) for item in getattr(oms_client, ITERATOR)()]
    assert listed == GIVEN_ITEMS


def test_the_mock_offers_the_project_id_its_spec_gives_as_an_example(oms_mock: RunningMock) -> None:
    parameter = LISTING.parameter(PROJECT_PARAMETER, "path")
    assert parameter is not None
    assert oms_mock.project_id == parameter.example


@pytest.mark.oms_mock(tasks=1)
def test_the_client_fixture_calls_the_mock_with_its_token(oms_mock: RunningMock, oms_client: Any) -> None:
    assert isinstance(oms_client.auth, TokenAuth)
    assert len(list(getattr(oms_client, ITERATOR)())) == len(oms_mock.tasks)


@pytest.mark.oms_mock(tasks=1, ak="fixture-access-key", sk="fixture-secret-key")
def test_the_client_fixture_signs_with_the_key_pair_the_marker_gives(oms_mock: RunningMock, oms_client: Any) -> None:
    assert isinstance(oms_client.auth, SdkHmacSha256Auth)
    assert len(list(getattr(oms_client, ITERATOR)())) == len(oms_mock.tasks)


@pytest.mark.oms_mock(tasks=1, faults="503=1.0")
def test_the_faults_the_marker_gives_reach_the_client(oms_client: Any) -> None:
    with pytest.raises(errors.ServerError):
        getattr(oms_client, snake_case(LISTING.operation_id))(max_retries=0)


@pytest.mark.anyio
@pytest.mark.oms_mock(tasks=4)
async def test_the_async_client_fixture_answers_in_the_tests_event_loop(oms_async_client: Any) -> None:
    listed = [item async for item in getattr(oms_async_client, ITERATOR)()]
    assert len(listed) == 4


def test_a_mock_leaves_no_thread_and_no_listening_port_behind() -> None:
    with start_mock(MockOptions(tasks=1)) as mock:
        address = urlsplit(mock.base_url)
        assert SERVER_THREAD in {thread.name for thread in threading.enumerate()}
    assert SERVER_THREAD not in {thread.name for thread in threading.enumerate()}
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address.hostname, address.port), timeout=5).close()


def test_timing_a_start_and_stop_for_the_benchmarks_starts_and_stops_a_mock() -> None:
    timing = time_start_and_stop(MockOptions(tasks=1))
    assert timing.start_s > 0 and timing.stop_s > 0
    assert SERVER_THREAD not in {thread.name for thread in threading.enumerate()}


def test_an_unknown_marker_keyword_fails_the_setup_naming_it_and_the_accepted_ones(pytester: pytest.Pytester) -> None:
    source = "import pytest\n@pytest.mark.oms_mock(tasks_count=3)\ndef test_it(oms_mock): pass\n"
    result = _inner_outcomes(pytester, source, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.oms_mock: unknown keyword tasks_count; it takes tasks, seed*"])


def test_a_positional_marker_argument_fails_the_setup(pytester: pytest.Pytester) -> None:
    source = "import pytest\n@pytest.mark.oms_mock(3)\ndef test_it(oms_mock): pass\n"
    result = _inner_outcomes(pytester, source, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.oms_mock: it takes keywords only*got (3,)*"])


def test_a_negative_item_count_fails_the_setup_naming_the_limit(pytester: pytest.Pytester) -> None:
    source = "import pytest\n@pytest.mark.oms_mock(tasks=-1)\ndef test_it(oms_mock): pass\n"
    result = _inner_outcomes(pytester, source, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.oms_mock: tasks must be a whole number of at least 0, got -1*"])


def test_given_items_that_break_the_spec_fail_the_setup_naming_the_field(pytester: pytest.Pytester) -> None:
    broken = [{key: value for key, value in GIVEN_ITEMS[0].items() if key != REQUIRED_ITEM_FIELD}]
    source = f"import pytest\n@pytest.mark.oms_mock(tasks={broken!r})\ndef test_it(oms_mock): pass\n"
    result = _inner_outcomes(pytester, source, errors=1)
    result.stdout.fnmatch_lines([f"*{PAGINATION.items}[[]0[]]*{REQUIRED_ITEM_FIELD}*is a required property*"])
    assert ".json" not in result.stdout.str()


def test_markers_of_a_module_and_of_a_test_combine_keyword_by_keyword(pytester: pytest.Pytester) -> None:
    expected = list(generate_items(SERVED, 2, seed=GIVEN_SEED))
    source = (
        "import pytest\n"
        f"pytestmark = pytest.mark.oms_mock(tasks=5, seed={GIVEN_SEED})\n"
        "@pytest.mark.oms_mock(tasks=2)\n"
        f"def test_it(oms_mock): assert oms_mock.tasks == {expected!r}\n"
    )
    _inner_outcomes(pytester, source, passed=1)


def test_the_session_mock_is_one_mock_for_every_test_of_the_session(pytester: pytest.Pytester) -> None:
    source = (
        "seen = set()\n"
        "def test_first(oms_mock_session): seen.add(oms_mock_session.base_url)\n"
        "def test_second(oms_mock_session): seen.add(oms_mock_session.base_url); assert len(seen) == 1\n"
    )
    _inner_outcomes(pytester, source, passed=2)


def test_overriding_the_session_options_sets_up_the_session_mock(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        "import pytest\nfrom oms_mock.pytest_plugin import MockOptions\n"
        "@pytest.fixture(scope='session')\ndef oms_mock_session_options(): return MockOptions(tasks=3)\n"
    )
    _inner_outcomes(pytester, "def test_it(oms_mock_session): assert len(oms_mock_session.tasks) == 3\n", passed=1)


def test_a_marker_on_a_test_using_only_the_session_mock_fails_its_setup(pytester: pytest.Pytester) -> None:
    source = "import pytest\n@pytest.mark.oms_mock(tasks=3)\ndef test_it(oms_mock_session): pass\n"
    result = _inner_outcomes(pytester, source, errors=1)
    result.stdout.fnmatch_lines(["*this test uses oms_mock_session*oms_mock_session_options*"])


def test_the_client_fixture_names_the_package_it_needs_when_that_is_missing(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        "import pytest\nimport oms_mock.pytest_plugin as plugin\n"
        "@pytest.fixture(autouse=True)\n"
        "def no_client_package(monkeypatch): monkeypatch.setattr(plugin, 'CLIENT_PACKAGE', 'no_such_client_package')\n"
    )
    result = _inner_outcomes(pytester, "def test_it(oms_client): pass\n", errors=1)
    result.stdout.fnmatch_lines([f"*the oms_client fixture needs the {CLIENT_DISTRIBUTION} package: pip install*"])


def test_without_an_example_the_project_id_is_generated_to_fit_the_parameters_schema(tmp_path: Path) -> None:
    document = yaml.safe_load(SERVED.yaml_bytes)
    hex_digits = "^[0-9a-f]{32}$"
    for node in document["components"]["parameters"].values():
        if node.get("name") == PROJECT_PARAMETER and node.get("in") == "path":
            node.pop("example", None)
            node["schema"] = {"type": "string", "pattern": hex_digits}
    variant = tmp_path / "variant.yaml"
    variant.write_text(yaml.safe_dump(document), encoding="utf-8")
    project_id = accepted_project_id(load_served_spec(variant))
    assert project_id is not None and re.fullmatch(hex_digits, project_id)
