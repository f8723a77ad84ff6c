"""`oms-contract`: run the contract suite against a server, or the embedded mock, and write reports.

Exit status: 0 when every check passed, 1 when a check failed or the run hit errors, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast
from urllib.parse import urlsplit

from oms_contract.report import write_reports
from oms_contract.results import ContractResult
from oms_contract.runner import (
    DEFAULT_MAX_EXAMPLES,
    MODES,
    Auth,
    Mode,
    RunSettings,
    SetupError,
    Target,
    check_credentials,
    run_contract,
)
from oms_contract.safety import SafetyPolicy
from oms_contract.signing import Credentials
from oms_contract.spec import DEFAULT_SPEC_PATH, load_contract_spec
from oms_spec import SpecError

EXIT_CLEAN = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2

TOKEN_ENV = "OMS_AUTH_TOKEN"
AK_ENV = "CLOUD_SDK_AK"
SK_ENV = "CLOUD_SDK_SK"
MAX_SEED = 2**63 - 1


class UsageError(Exception):
    """Raised when options are missing, conflicting or invalid; the message names the option."""


def _base_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"must be an http(s) URL, got {value!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"must be an http:// or https:// URL with a host, got {value!r}")
    if parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"must not carry a query or fragment, got {value!r}")
    return value.rstrip("/")


def _whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < minimum or (maximum is not None and number > maximum):
            bound = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
            raise argparse.ArgumentTypeError(f"must be a whole number {bound}, got {value!r}")
        return number

    return parse


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        rate = float("nan")
    if not rate > 0 or rate == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of requests per second above 0, got {value!r}")
    return rate


def _non_empty(value: str) -> str:
    if not value:
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oms-contract",
        description="Contract tests of every operation of the OpenAPI spec against any server (default: the "
        "embedded mock on 127.0.0.1). Credentials default to $OMS_AUTH_TOKEN or $CLOUD_SDK_AK/$CLOUD_SDK_SK.",
    )
    parser.add_argument(
        "--base-url", type=_base_url, help="server to test, e.g. https://oms.cn-north-4.myhuaweicloud.com"
    )
    parser.add_argument(
        "--project-id", type=_non_empty, help="project the operations' paths name (required with --base-url)"
    )
    parser.add_argument("--token", type=_non_empty, help=f"IAM token (default: ${TOKEN_ENV})")
    parser.add_argument("--ak", type=_non_empty, help=f"access key for AK/SK signing (default: ${AK_ENV})")
    parser.add_argument("--sk", type=_non_empty, help=f"secret key for AK/SK signing (default: ${SK_ENV})")
    parser.add_argument(
        "--max-examples",
        type=_whole_number(1),
        default=DEFAULT_MAX_EXAMPLES,
        help=f"examples per generation phase (default {DEFAULT_MAX_EXAMPLES})",
    )
    parser.add_argument("--seed", type=_whole_number(0, MAX_SEED), help="generation seed (default: random, printed)")
    parser.add_argument("--mode", choices=MODES, default="all", help="generate valid, invalid or both kinds of input")
    parser.add_argument("--report-dir", type=Path, help="write junit.xml and report.html here")
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        help="requests per second (default: 10 to remote hosts, unlimited on loopback)",
    )
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC_PATH, help="the OpenAPI document (default: ours)")
    return parser


def resolve_auth(args: argparse.Namespace, env: Mapping[str, str]) -> Auth | None:
    """Credentials from the options, else from the environment; None when there are none."""
    if args.token is not None and (args.ak is not None or args.sk is not None):
        raise UsageError("--token cannot be combined with --ak/--sk: choose one way to authenticate")
    if (args.ak is None) != (args.sk is None):
        raise UsageError("--ak and --sk must be given together")
    if args.token is not None:
        return Auth(token=args.token)
    if args.ak is not None:
        return Auth(credentials=Credentials(args.ak, args.sk))
    token, ak, sk = env.get(TOKEN_ENV) or None, env.get(AK_ENV) or None, env.get(SK_ENV) or None
    if (ak is None) != (sk is None):
        raise UsageError(f"${AK_ENV} and ${SK_ENV} must be set together")
    if token is not None and ak is not None:
        raise UsageError(f"both ${TOKEN_ENV} and ${AK_ENV}/${SK_ENV} are set: pass --token or --ak/--sk to choose")
    if token is not None:
        return Auth(token=token)
    if ak is not None and sk is not None:
        return Auth(credentials=Credentials(ak, sk))
    return None


@dataclass(frozen=True)
class Plan:
    """A validated run: the target (None: the embedded mock), credentials and settings."""

    base_url: str | None
    project_id: str
    auth: Auth | None
    settings: RunSettings
    report_dir: Path | None


def make_plan(args: argparse.Namespace, env: Mapping[str, str]) -> Plan:
    """Check the options together; UsageError naming the option when they do not fit."""
    auth = resolve_auth(args, env)
    try:
        contract = load_contract_spec(args.spec)
    except SpecError as error:
        raise UsageError(f"--spec: {error}") from None
    if auth is not None:
        check_credentials(contract, auth)
    if args.base_url is not None:
        if args.project_id is None:
            raise UsageError("--project-id is required with --base-url")
        if auth is None:
            raise UsageError(
                f"credentials are required with --base-url: --token, --ak/--sk, ${TOKEN_ENV} or ${AK_ENV}/${SK_ENV}"
            )
    if args.report_dir is not None:
        try:
            args.report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--report-dir: cannot create {args.report_dir}: {exc.strerror or exc}") from None
    safety = SafetyPolicy.for_target(args.base_url, args.rate_limit) if args.base_url else None
    if safety is None and args.rate_limit is not None:
        safety = SafetyPolicy(read_only=False, rate_per_second=args.rate_limit)
    settings = RunSettings(
        max_examples=args.max_examples,
        seed=args.seed if args.seed is not None else secrets.randbelow(2**32),
        mode=cast(Mode, args.mode),
        spec_path=args.spec,
        safety=safety,
    )
    return Plan(
        base_url=args.base_url,
        project_id=args.project_id or contract.project_id_example,
        auth=auth,
        settings=settings,
        report_dir=args.report_dir,
    )


@contextmanager
def embedded_mock(auth: Auth | None, spec_path: Path) -> Iterator[tuple[str, Auth]]:
    """Serve the mock on a free loopback port, accepting the given credentials (default: the mock's token).

    UsageError when the mock cannot serve the spec.
    """
    from oms_mock import DEFAULT_TOKEN, ConfigError, MockConfig, run_server

    auth = auth or Auth(token=DEFAULT_TOKEN)
    credentials = auth.credentials
    config = MockConfig(
        spec_path=spec_path,
        tokens=(auth.token,) if auth.token else (),
        ak=credentials.ak if credentials else None,
        sk=credentials.sk if credentials else None,
    )
    # The mock's warnings (e.g. on the malformed probe requests schemathesis sends first) are not the suite's output.
    with ExitStack() as stack:
        try:
            url = stack.enter_context(run_server(config, host="127.0.0.1", port=0, log_level="error"))
        except ConfigError as error:
            raise UsageError(f"the embedded mock cannot serve {spec_path}: {error}") from None
        yield url, auth


def print_summary(result: ContractResult, out: TextIO, reports: Sequence[Path]) -> None:
    width = max(len(name) for name in (*result.tallies, "check"))
    out.write(f"{'check':<{width}}  passed  failed\n")
    for name, tally in result.tallies.items():
        out.write(f"{name:<{width}}  {tally.passed:>6}  {tally.failed:>6}\n")
    for name, reason in result.disabled.items():
        out.write(f"not run: {name} ({reason})\n")
    out.write(
        f"{result.cases} cases in {result.elapsed:.1f} s ({result.cases_per_second:.1f} cases/s), "
        f"{result.walk_requests} pagination walk requests, {result.lookup_requests} lookup requests, "
        f"seed {result.seed}\n"
    )
    if result.operations:
        out.write("cases per operation: " + ", ".join(f"{name} {n}" for name, n in result.operations.items()) + "\n")
    for name, reason in result.untested.items():
        out.write(f"not tested: {name} ({reason})\n")
    for error in result.errors:
        out.write(f"error: {error}\n")
    shown: set[tuple[str, str | None]] = set()
    for failure in result.failures:
        if (failure.check, failure.operation) in shown:
            continue
        shown.add((failure.check, failure.operation))
        where = f" ({failure.operation})" if failure.operation else ""
        text = failure.message.splitlines()[0] if failure.message else failure.title
        out.write(f"FAILED {failure.check}{where}: {text}\n")
        if failure.curl:
            out.write(f"  {failure.curl}\n")
    if reports:
        out.write("reports: " + ", ".join(str(path) for path in reports) + "\n")
    failed_checks = sum(1 for tally in result.tallies.values() if tally.failed)
    verdict = "PASSED" if result.ok else f"FAILED ({failed_checks} checks failed, {len(result.errors)} errors)"
    out.write(verdict + "\n")


def run_plan(plan: Plan, out: TextIO) -> ContractResult:
    if plan.base_url is not None:
        assert plan.auth is not None
        out.write(f"oms-contract: {plan.base_url}, project {plan.project_id}, mode {plan.settings.mode}\n")
        return run_contract(Target(plan.base_url, plan.project_id), plan.auth, plan.settings)
    with embedded_mock(plan.auth, plan.settings.spec_path) as (url, auth):
        out.write(f"oms-contract: embedded mock at {url}, project {plan.project_id}, mode {plan.settings.mode}\n")
        return run_contract(Target(url, plan.project_id), auth, plan.settings)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on usage errors (2) and --help (0)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        plan = make_plan(args, os.environ if env is None else env)
        result = run_plan(plan, sys.stdout)
    except (UsageError, SetupError) as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"oms-contract: error: {exc}\n")
        return EXIT_USAGE
    reports = write_reports(result, plan.report_dir) if plan.report_dir is not None else []
    print_summary(result, sys.stdout, reports)
    return EXIT_CLEAN if result.ok else EXIT_FAILURES
