"""pytest plugin: the contract suite inside a QA team's own pytest session, each check a test item of its own.

    pytest --oms-contract-url https://oms.cn-north-4.myhuaweicloud.com --oms-project-id P   # OMS_AUTH_TOKEN set

Credentials come from the environment (`OMS_AUTH_TOKEN`, or `CLOUD_SDK_AK` and `CLOUD_SDK_SK`), never from the
command line, where CI logs would keep them. The run happens once, on the first contract item, with the options
`oms-contract` takes (`--oms-contract-checks`, `--oms-contract-mode`, `--oms-contract-rate-limit`, ...; see
`pytest --help`), under the same live rules; then `oms-contract::run` fails on run errors and
`oms-contract::<check>` passes, fails with the failures and their exchanges, or is skipped with the reason it did not
run. The team's own tests run beside them, and can read the run through the `oms_contract_result` fixture.
Without `--oms-contract-url` the plugin does nothing (it imports nothing heavy either).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from oms_contract.cli import Plan
    from oms_contract.results import ContractResult

SUITE = "oms-contract"
RUN_ITEM = "run"
# pytest option (without the leading --) -> the oms-contract option it stands for; values pass through unchanged.
VALUE_OPTIONS = {
    "oms-contract-url": "--base-url",
    "oms-project-id": "--project-id",
    "oms-contract-spec": "--spec",
    "oms-contract-mode": "--mode",
    "oms-contract-max-examples": "--max-examples",
    "oms-contract-seed": "--seed",
    "oms-contract-checks": "--checks",
    "oms-contract-exclude-checks": "--exclude-checks",
    "oms-contract-rate-limit": "--rate-limit",
    "oms-contract-max-response-time": "--max-response-time",
    "oms-contract-request-timeout": "--request-timeout",
    "oms-contract-report-dir": "--report-dir",
    "oms-contract-record": "--record",
}
FLAG_OPTIONS = {"oms-contract-live": "--live"}
HELP = {
    "oms-contract-url": "run the OMS contract checks against this server (the plugin is inert without it)",
    "oms-project-id": "the project the operations' paths name",
    "oms-contract-spec": "the OpenAPI document (default: the suite's)",
    "oms-contract-mode": "positive, negative or all (default: positive under the live rules, else all)",
    "oms-contract-max-examples": "examples per generation phase",
    "oms-contract-seed": "generation seed (default 0, so the items are the same every session)",
    "oms-contract-checks": "run only these checks (comma-separated)",
    "oms-contract-exclude-checks": "leave these checks out (comma-separated)",
    "oms-contract-rate-limit": "requests per second, or auto",
    "oms-contract-max-response-time": "fail responses slower than this many milliseconds",
    "oms-contract-request-timeout": "abandon a request after this many seconds",
    "oms-contract-report-dir": "also write junit.xml, report.html and failures.yaml here",
    "oms-contract-record": "record every exchange (vcr or har) into the report directory",
    "oms-contract-live": "apply the live rules to a loopback URL too (a tunnel to a live service)",
}
DEFAULT_SEED = "0"


def _dest(option: str) -> str:
    return option.replace("-", "_")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(SUITE, "contract checks of an OMS endpoint (oms_contract)")
    for option in VALUE_OPTIONS:
        group.addoption(f"--{option}", dest=_dest(option), default=None, help=HELP[option])
    for option in FLAG_OPTIONS:
        group.addoption(f"--{option}", dest=_dest(option), action="store_true", default=False, help=HELP[option])


def contract_argv(config: pytest.Config) -> list[str]:
    """The `oms-contract` options the session's `--oms-*` options stand for."""
    argv: list[str] = []
    for option, flag in VALUE_OPTIONS.items():
        value = config.getoption(_dest(option))
        if value is not None:
            argv += [flag, str(value)]
    for option, flag in FLAG_OPTIONS.items():
        if config.getoption(_dest(option)):
            argv.append(flag)
    if config.getoption(_dest("oms-contract-seed")) is None:
        argv += ["--seed", DEFAULT_SEED]
    return argv


@dataclass
class SessionRun:
    """The session's contract plan, and its result once the first contract item ran it."""

    plan: Plan
    result: ContractResult | None = None

    def run(self) -> ContractResult:
        if self.result is None:
            from oms_contract.report import write_reports
            from oms_contract.runner import Target, run_contract

            plan = self.plan
            assert plan.base_url is not None and plan.auth is not None
            self.result = run_contract(Target(plan.base_url, plan.project_id), plan.auth, plan.settings)
            if plan.report_dir is not None:
                write_reports(self.result, plan.report_dir)
        return self.result


RUN_KEY = pytest.StashKey[SessionRun]()


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption(_dest("oms-contract-url")):
        return
    from oms_contract.cli import AK_ENV, SK_ENV, TOKEN_ENV, UsageError, build_parser, make_plan
    from oms_contract.runner import SetupError

    if not (os.environ.get(TOKEN_ENV) or (os.environ.get(AK_ENV) and os.environ.get(SK_ENV))):
        raise pytest.UsageError(f"{SUITE}: set {TOKEN_ENV}, or {AK_ENV} and {SK_ENV}, for --oms-contract-url")
    parser = build_parser()
    try:
        args = parser.parse_args(contract_argv(config))
    except SystemExit:
        raise pytest.UsageError(f"{SUITE}: the --oms-contract-* options do not fit (see the message above)") from None
    try:
        plan = make_plan(args, os.environ)
    except (UsageError, SetupError) as exc:
        raise pytest.UsageError(f"{SUITE}: {exc}") from None
    config.stash[RUN_KEY] = SessionRun(plan)


class ContractCheckFailed(Exception):
    """Raised by a contract item whose check failed; carries the failures as text."""


class ContractSuite(pytest.Collector):
    """The contract items of the session: the run itself, then one per check the run may do."""

    def collect(self) -> Iterator[pytest.Item]:
        from oms_contract.catalogue import ALL_CHECKS

        session_run = self.config.stash[RUN_KEY]
        settings = session_run.plan.settings
        chosen = settings.checks
        yield ContractItem.from_parent(self, name=RUN_ITEM, check=None)
        for name in ALL_CHECKS:
            if (chosen is None or name in chosen) and name not in settings.exclude_checks:
                yield ContractItem.from_parent(self, name=name, check=name)


class ContractItem(pytest.Item):
    """One check of the session's contract run (or, `check` None, the run itself)."""

    def __init__(self, *, check: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        if self.config.pluginmanager.hasplugin("xdist"):
            # One worker runs the whole contract run; `--dist loadgroup` keeps every item on it.
            self.add_marker(pytest.mark.xdist_group(SUITE))

    def runtest(self) -> None:
        from oms_contract.report import NOT_EXERCISED, failure_text

        result = self.config.stash[RUN_KEY].run()
        if self.check is None:
            if result.errors:
                raise ContractCheckFailed("the run hit errors:\n" + "\n".join(result.errors))
            return
        if self.check in result.disabled:
            pytest.skip(f"not run: {result.disabled[self.check]}")
        tally = result.tallies.get(self.check)
        if tally is None or not tally.exercised:
            pytest.skip(NOT_EXERCISED)
        if tally.failed:
            summary = f"{tally.failed} of {tally.passed + tally.failed} failed"
            raise ContractCheckFailed(f"{summary}\n\n{failure_text(result.failures_of(self.check))}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ContractCheckFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"{SUITE}::{self.name}"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Add the contract items before `-k` and `-m` choose among the items."""
    if RUN_KEY not in config.stash:
        return
    suite = ContractSuite.from_parent(session, name=SUITE, nodeid=SUITE)
    items.extend(suite.collect())


@pytest.fixture(scope="session")
def oms_contract_result(request: pytest.FixtureRequest) -> ContractResult:
    """The session's contract run (run now if no contract item ran it yet); skips without --oms-contract-url."""
    if RUN_KEY not in request.config.stash:
        pytest.skip("no --oms-contract-url was given")
    return request.config.stash[RUN_KEY].run()
