"""pytest fixtures for testing an application against the mock: the oms-mock distribution's `pytest11` plugin.

    @pytest.mark.oms_mock(tasks=25, seed=7)
    def test_my_report_counts_every_item(oms_mock, oms_client):
        assert my_report(oms_client).total == len(oms_mock.tasks)

- `oms_mock`: a mock served on 127.0.0.1 by a thread of the test process, one per test, configured by the
  `oms_mock` marker (`MockOptions`: tasks, seed, faults, spec, ak, sk). It is a `RunningMock`: `base_url`,
  `project_id`, `token`, `ak`, `sk`, and `tasks`, the first listing's items as dicts.
- `oms_mock_session`: one mock for the whole session (faster); override `oms_mock_session_options` to set it up.
- `oms_client`, `oms_async_client`: oms-sync-client's clients bound to `oms_mock` (AK/SK-signed when the marker
  gives `ak`/`sk`, else the mock's token). They need that package installed; the async one is an async fixture,
  run by anyio's pytest plugin or by pytest-asyncio.

The mock itself never imports the client package: only these two fixtures do, when a test asks for them.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from oms_mock.config import ConfigError, MockConfig
from oms_mock.faults import FaultConfig

if TYPE_CHECKING:  # the server (the web stack) is imported when a test first asks for a mock
    from oms_mock.server import RunningMock

MARKER = "oms_mock"
#: The generated client these fixtures build (oms-sync-client; see generator/settings.py).
CLIENT_DISTRIBUTION = "oms-sync-client"
CLIENT_PACKAGE = "oms_sync_client"
CLIENT_CLASS = "OmsClient"
ASYNC_CLIENT_CLASS = "AsyncOmsClient"


@dataclass(frozen=True)
class MockOptions:
    """How a fixture's mock is set up; the keywords of `@pytest.mark.oms_mock(...)`, every one optional.

    - `tasks`: how many items to generate into each listing's collection, or the first listing's items themselves
      (a list of dicts, each validated against the spec's item schema; other listings then get as many generated).
    - `seed`: the seed of the generated items. `faults`: a fault spec such as `"500=0.1,delay=0.2"`, or a
      FaultConfig. `spec`: another OpenAPI document to serve (default: the spec bundled with the mock).
    - `ak`, `sk`: also accept requests signed with this key pair (the client fixtures then sign with it).
    """

    tasks: int | Sequence[Mapping[str, Any]] = MockConfig.tasks
    seed: int = MockConfig.seed
    faults: FaultConfig | str | None = None
    spec: str | Path | None = None
    ak: str | None = None
    sk: str | None = None


_KEYWORDS = tuple(field.name for field in dataclasses.fields(MockOptions))


class OptionsError(ValueError):
    """Raised when the marker's (or the session options') values cannot set up a mock; the message says why."""


@contextmanager
def start_mock(options: MockOptions | None = None) -> Iterator[RunningMock]:
    """Serve a mock set up by `options` while the block runs (what the fixtures do); OptionsError if unusable."""
    from oms_mock.server import serve_mock

    options = options or MockOptions()
    with ExitStack() as stack:
        items_file = None
        try:
            if isinstance(options.tasks, int):
                config = _config(options, options.tasks)
            else:
                count, text = _items_json(options.tasks)
                # The mock imports items from a file, validating each; the file lives only until start-up ends.
                items_file = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="oms-mock-"))) / "tasks.json"
                items_file.write_text(text, encoding="utf-8")
                config = _config(options, count, items_file)
            mock = stack.enter_context(serve_mock(config))
        except ConfigError as exc:
            message = str(exc)
            if items_file is not None:  # the file is the plugin's, not the caller's: speak of what they gave
                message = message.replace(f" file {items_file} breaks ", " given break ").replace(f" {items_file}", "")
            raise OptionsError(message) from None
        yield mock


def _config(options: MockOptions, tasks: int, import_path: Path | None = None) -> MockConfig:
    return MockConfig(
        tasks=tasks,
        seed=options.seed,
        faults=options.faults,
        spec_path=options.spec,
        ak=options.ak,
        sk=options.sk,
        import_path=import_path,
    )


def _items_json(tasks: object) -> tuple[int, str]:
    """How many items were given and their JSON text; OptionsError unless they are a list of JSON objects."""
    if isinstance(tasks, str | bytes) or not isinstance(tasks, Sequence):
        raise OptionsError(f"tasks must be a whole number or a list of dicts, got {tasks!r}")
    for index, item in enumerate(tasks):
        if not isinstance(item, Mapping):
            raise OptionsError(f"tasks[{index}] must be a dict, got {type(item).__name__}")
    try:
        return len(tasks), json.dumps(list(tasks))
    except (TypeError, ValueError) as exc:
        raise OptionsError(f"tasks must hold only JSON values: {exc}") from None


def marker_options(item: pytest.Item) -> MockOptions:
    """The options the test's `oms_mock` markers give (function over class over module, keyword by keyword)."""
    merged: dict[str, Any] = {}
    for marker in reversed(list(item.iter_markers(MARKER))):
        if marker.args:
            raise OptionsError(f"it takes keywords only ({', '.join(_KEYWORDS)}), got {marker.args!r}")
        merged.update(marker.kwargs)
    unknown = sorted(set(merged) - set(_KEYWORDS))
    if unknown:
        raise OptionsError(f"unknown keyword {', '.join(unknown)}; it takes {', '.join(_KEYWORDS)}")
    return MockOptions(**merged)


@contextmanager
def _served_or_failed(options: MockOptions, source: str) -> Iterator[RunningMock]:
    """`start_mock`, turning bad options into a failed setup that names `source` (no traceback)."""
    with ExitStack() as stack:
        problem = None
        try:
            mock = stack.enter_context(start_mock(options))
        except OptionsError as exc:
            problem = str(exc)
        if problem is not None:
            pytest.fail(f"{source}: {problem}", pytrace=False)
        yield mock


@pytest.fixture
def oms_mock(request: pytest.FixtureRequest) -> Iterator[RunningMock]:
    """A mock for this test, on 127.0.0.1, set up by the `oms_mock` marker; stopped (thread and port) after it."""
    source = f"@pytest.mark.{MARKER}"
    problem = None
    try:
        options = marker_options(request.node)
    except OptionsError as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(f"{source}: {problem}", pytrace=False)
    with _served_or_failed(options, source) as mock:
        yield mock


@pytest.fixture(scope="session")
def oms_mock_session_options() -> MockOptions:
    """The options of `oms_mock_session`; override this session-scoped fixture to change them."""
    return MockOptions()


@pytest.fixture(scope="session")
def oms_mock_session(oms_mock_session_options: MockOptions) -> Iterator[RunningMock]:
    """One mock shared by every test of the session (the marker does not apply: see `oms_mock_session_options`)."""
    if not isinstance(oms_mock_session_options, MockOptions):  # an override may return anything at runtime
        given = type(oms_mock_session_options).__name__  # type: ignore[unreachable]
        pytest.fail(f"oms_mock_session_options must return a MockOptions, got {given}", pytrace=False)
    with _served_or_failed(oms_mock_session_options, "oms_mock_session_options") as mock:
        yield mock


@pytest.fixture
def oms_client(oms_mock: RunningMock) -> Iterator[Any]:
    """oms-sync-client's synchronous client, bound to `oms_mock` and closed after the test."""
    client_class = _client_class(CLIENT_CLASS, "oms_client")
    with client_class(**client_arguments(oms_mock)) as client:
        yield client


@pytest.fixture
async def oms_async_client(oms_mock: RunningMock) -> AsyncIterator[Any]:
    """oms-sync-client's asynchronous client, bound to `oms_mock` and closed in the test's event loop."""
    client_class = _client_class(ASYNC_CLIENT_CLASS, "oms_async_client")
    async with client_class(**client_arguments(oms_mock)) as client:
        yield client


def client_arguments(mock: RunningMock) -> dict[str, str]:
    """The client's keyword arguments for this mock: its URL, project, and AK/SK when it checks them, else its token."""
    arguments = {"base_url": mock.base_url}
    if mock.project_id is not None:
        arguments["project_id"] = mock.project_id
    if mock.ak is not None and mock.sk is not None:
        arguments.update(ak=mock.ak, sk=mock.sk)
    elif mock.token is not None:
        arguments["token"] = mock.token
    return arguments


def _client_class(name: str, fixture: str) -> Any:
    try:
        package = importlib.import_module(CLIENT_PACKAGE)
    except ModuleNotFoundError as exc:
        if exc.name != CLIENT_PACKAGE:
            raise
        pytest.fail(
            f"the {fixture} fixture needs the {CLIENT_DISTRIBUTION} package: pip install {CLIENT_DISTRIBUTION}",
            pytrace=False,
        )
    return getattr(package, name)


def pytest_configure(config: pytest.Config) -> None:
    keywords = ", ".join(f"{name}=..." for name in _KEYWORDS)
    config.addinivalue_line("markers", f"{MARKER}({keywords}): set up the test's oms_mock fixture (see oms_mock)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Refuse a marker that would be ignored: on a test that uses only the session's mock."""
    fixtures = getattr(item, "fixturenames", ())
    if item.get_closest_marker(MARKER) is not None and "oms_mock_session" in fixtures and "oms_mock" not in fixtures:
        pytest.fail(
            f"@pytest.mark.{MARKER} sets up the oms_mock fixture, but this test uses oms_mock_session: "
            "set that one up by overriding the oms_mock_session_options fixture",
            pytrace=False,
        )


@dataclass(frozen=True)
class StartStop:
    """How long a fixture's mock took to start (until it accepts connections) and to stop (thread joined)."""

    start_s: float
    stop_s: float


def time_start_and_stop(options: MockOptions | None = None) -> StartStop:
    """Start and stop one mock as the fixtures do and time both (for the benchmarks; default options)."""
    began = time.perf_counter()
    with start_mock(options):
        started = time.perf_counter()
    return StartStop(start_s=started - began, stop_s=time.perf_counter() - started)
