"""`oms-contract`: run the contract suite against a server and write reports; `oms-contract replay CASSETTE`
sends recorded requests again. (`make contract` serves a mock for a run: see devtools/contract_on_mock.py.)

Exit status: 0 when every check passed (replay: every status as recorded), 1 when a check failed or the run hit
errors (replay: a status differs), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast
from urllib.parse import urlsplit

from oms_contract.catalogue import LATENCY_CHECK, CheckSelectionError, catalogue, deselected_checks, parse_names
from oms_contract.ratelimit import MAX_RATE
from oms_contract.recording import RECORD_FORMATS, RecordFormat
from oms_contract.report import write_reports
from oms_contract.results import ContractResult
from oms_contract.runner import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_REQUEST_TIMEOUT,
    MODES,
    Auth,
    Mode,
    RunSettings,
    SetupError,
    Target,
    check_credentials,
    resolve_mode,
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
#: The longest request timeout the option takes (seconds).
MAX_REQUEST_TIMEOUT = 600.0
AUTO_RATE = "auto"
REPLAY = "replay"
# The target a dry run without --base-url describes: the rules of any loopback target.
_LOOPBACK = "http://127.0.0.1"


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


def _positive_number(unit: str, maximum: float | None = None) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (number > 0 and math.isfinite(number)) or (maximum is not None and number > maximum):
            bound = "above 0" if maximum is None else f"above 0 and at most {maximum:g}"
            raise argparse.ArgumentTypeError(f"must be a number of {unit} {bound}, got {value!r}")
        return number

    return parse


def _rate(value: str) -> float | str:
    if value == AUTO_RATE:
        return AUTO_RATE
    try:
        return _positive_number("requests per second", MAX_RATE)(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"must be {AUTO_RATE!r} or a number of requests per second above 0 and at most {MAX_RATE:g}, got {value!r}"
        ) from None


def _non_empty(value: str) -> str:
    if not value:
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def _add_request_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--request-timeout",
        type=_positive_number("seconds", MAX_REQUEST_TIMEOUT),
        default=DEFAULT_REQUEST_TIMEOUT,
        metavar="SECONDS",
        help=f"abandon a request after this long (default {DEFAULT_REQUEST_TIMEOUT:g})",
    )


def _add_credentials(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", type=_non_empty, help=f"IAM token (default: ${TOKEN_ENV})")
    parser.add_argument("--ak", type=_non_empty, help=f"access key for AK/SK signing (default: ${AK_ENV})")
    parser.add_argument("--sk", type=_non_empty, help=f"secret key for AK/SK signing (default: ${SK_ENV})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oms-contract",
        description="Contract tests of every operation of the OpenAPI spec against any server (`oms-mock serve` "
        "runs a mock to try it on). Credentials default to $OMS_AUTH_TOKEN or $CLOUD_SDK_AK/$CLOUD_SDK_SK. "
        f"'oms-contract {REPLAY} --help' tells how to send recorded requests again.",
    )
    parser.add_argument(
        "--base-url", type=_base_url, help="server to test (required), e.g. https://oms.cn-north-4.myhuaweicloud.com"
    )
    parser.add_argument(
        "--project-id", type=_non_empty, help="project the operations' paths name (required with --base-url)"
    )
    _add_credentials(parser)
    parser.add_argument(
        "--live",
        action="store_true",
        help="apply the live rules to a loopback URL too (a tunnel or port-forward to a live service): only GETs, "
        "the default rate, valid input only unless --mode says otherwise; non-loopback hosts always get them",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        help="generate valid, invalid or both kinds of input (default: positive under the live rules, else all)",
    )
    parser.add_argument(
        "--max-examples",
        type=_whole_number(1),
        default=DEFAULT_MAX_EXAMPLES,
        help=f"examples per generation phase (default {DEFAULT_MAX_EXAMPLES})",
    )
    parser.add_argument("--seed", type=_whole_number(0, MAX_SEED), help="generation seed (default: random, printed)")
    parser.add_argument(
        "--checks",
        action="append",
        metavar="NAMES",
        help="run only these checks (comma-separated, repeatable; --list-checks lists them)",
    )
    parser.add_argument("--exclude-checks", action="append", default=[], metavar="NAMES", help="leave these checks out")
    parser.add_argument("--list-checks", action="store_true", help="list every check with what it verifies, and exit")
    parser.add_argument(
        "--rate-limit",
        type=_rate,
        help=f"requests per second, at most {MAX_RATE:g}, or '{AUTO_RATE}' to follow the server's throttling "
        "(default: 10 under the live rules, unlimited on loopback)",
    )
    parser.add_argument(
        "--max-response-time",
        type=_positive_number("milliseconds"),
        metavar="MS",
        help=f"fail responses slower than this through the {LATENCY_CHECK} check (default: no budget)",
    )
    _add_request_timeout(parser)
    parser.add_argument("--report-dir", type=Path, help="write junit.xml, report.html and failures.yaml here")
    parser.add_argument(
        "--record", choices=RECORD_FORMATS, help="record every exchange into the report directory (VCR or HAR)"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print what the run would send (operations, requests, rate); send nothing",
    )
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC_PATH, help="the OpenAPI document (default: ours)")
    return parser


def build_replay_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"oms-contract {REPLAY}",
        description="Send requests recorded in a cassette (failures.yaml, cassette.yaml or cassette.har) again with "
        "the credentials given now (a token, or AK/SK signing each request afresh), and compare each status with "
        "the recorded one. Only GETs are replayed to a non-loopback host or with --live.",
    )
    parser.add_argument("cassette", type=Path, help="a VCR (.yaml) or HAR (.har) cassette oms-contract wrote")
    parser.add_argument(
        "--id", action="append", default=[], dest="ids", help="replay this interaction only (repeatable; HAR: 1, 2...)"
    )
    parser.add_argument("--base-url", type=_base_url, help="send to this server instead of the recorded one")
    _add_credentials(parser)
    parser.add_argument("--live", action="store_true", help="apply the live rules to a loopback URL too")
    _add_request_timeout(parser)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC_PATH, help="the OpenAPI document (its token header)")
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
    """A validated run: the target (None only for a dry run), credentials and settings."""

    base_url: str | None
    project_id: str
    auth: Auth | None
    settings: RunSettings
    report_dir: Path | None

    @property
    def policy(self) -> SafetyPolicy:
        assert self.settings.safety is not None
        return self.settings.safety

    @property
    def mode(self) -> Mode:
        return resolve_mode(self.settings.mode, self.policy)


def _policy(args: argparse.Namespace) -> SafetyPolicy:
    rate = args.rate_limit
    auto = rate == AUTO_RATE
    fixed = None if auto else cast(float | None, rate)
    return SafetyPolicy.for_target(args.base_url or _LOOPBACK, fixed, live=args.live, auto_rate=auto)


def _check_choice(args: argparse.Namespace) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    checks = parse_names(args.checks) if args.checks is not None else None
    exclude = parse_names(args.exclude_checks)
    if checks is not None and LATENCY_CHECK in checks and args.max_response_time is None:
        raise UsageError(f"--checks: {LATENCY_CHECK} needs --max-response-time MS")
    try:
        deselected_checks(checks, exclude)
    except CheckSelectionError as error:
        raise UsageError(str(error)) from None
    return checks, exclude


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
        if auth is None and not args.dry_run:
            raise UsageError(
                f"credentials are required with --base-url: --token, --ak/--sk, ${TOKEN_ENV} or ${AK_ENV}/${SK_ENV}"
            )
    if args.record is not None and args.report_dir is None:
        raise UsageError("--record needs --report-dir to write the cassette into")
    limit = args.max_response_time
    if limit is not None and limit >= args.request_timeout * 1000:
        raise UsageError(
            f"--max-response-time {limit:g} ms must be below --request-timeout {args.request_timeout:g} s: "
            "a slower response times out before the check can judge it"
        )
    if args.report_dir is not None and not args.dry_run:
        try:
            args.report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--report-dir: cannot create {args.report_dir}: {exc.strerror or exc}") from None
    checks, exclude = _check_choice(args)
    if args.base_url is None and not args.dry_run:
        raise UsageError(
            "--base-url is required: the server to test (`oms-mock serve` runs a mock; `make contract` serves one "
            "for the run)"
        )
    try:
        settings = RunSettings(
            max_examples=args.max_examples,
            seed=args.seed if args.seed is not None else secrets.randbelow(2**32),
            mode=cast(Mode | None, args.mode),
            spec_path=args.spec,
            safety=_policy(args),
            checks=checks,
            exclude_checks=exclude,
            max_response_time_ms=limit,
            request_timeout=args.request_timeout,
            report_dir=args.report_dir,
            record=cast(RecordFormat | None, args.record),
        )
    except ValueError as error:  # the options were checked above; a setting the checks missed still names itself
        raise UsageError(str(error)) from None
    return Plan(
        base_url=args.base_url,
        project_id=args.project_id or contract.project_id_example,
        auth=auth,
        settings=settings,
        report_dir=args.report_dir,
    )


def print_checks(out: TextIO) -> None:
    entries = catalogue()
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        out.write(f"{entry.name:<{width}}  {entry.description}\n")


def _failure_line(text: str | None, exchange: str | None, title: str) -> str:
    if text:
        return text.splitlines()[0]
    status = next((line[2:] for line in (exchange or "").splitlines() if line.startswith("< ")), None)
    return f"{title}: got {status}" if status else title


def print_summary(result: ContractResult, out: TextIO, reports: Sequence[Path]) -> None:
    width = max(len(name) for name in (*result.tallies, "check"))
    out.write(f"{'check':<{width}}  passed  failed\n")
    for name, tally in result.tallies.items():
        note = "" if tally.exercised else "  (not exercised: no response it applies to)"
        out.write(f"{name:<{width}}  {tally.passed:>6}  {tally.failed:>6}{note}\n")
    for name, reason in result.disabled.items():
        out.write(f"not run: {name} ({reason})\n")
    out.write(
        f"{result.cases} cases in {result.elapsed:.1f} s ({result.cases_per_second:.1f} cases/s), "
        f"{result.walk_requests} pagination walk requests, {result.lookup_requests} lookup requests, "
        f"{result.variant_requests} enum variant requests, seed {result.seed}\n"
    )
    if result.operations:
        out.write("cases per operation: " + ", ".join(f"{name} {n}" for name, n in result.operations.items()) + "\n")
    for name, stats in result.latency.items():
        out.write(f"response times of {name}: {stats.describe()}\n")
    out.write(f"rate: {result.rate}; throttling: {result.throttling_summary()}\n")
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
        out.write(f"FAILED {failure.check}{where}: {_failure_line(failure.message, failure.exchange, failure.title)}\n")
        if failure.curl:
            out.write(f"  {failure.curl}\n")
    if reports:
        out.write("reports: " + ", ".join(str(path) for path in reports) + "\n")
    failed_checks = sum(1 for tally in result.tallies.values() if tally.failed)
    verdict = "PASSED" if result.ok else f"FAILED ({failed_checks} checks failed, {len(result.errors)} errors)"
    out.write(verdict + "\n")


def _describe_start(plan: Plan, url: str) -> str:
    rules = ", live rules: GETs only" if plan.policy.live else ""
    return (
        f"oms-contract: {url}, project {plan.project_id}, mode {plan.mode}, rate {plan.policy.describe_rate()}{rules}\n"
    )


def run_plan(plan: Plan, out: TextIO) -> ContractResult:
    assert plan.base_url is not None and plan.auth is not None  # make_plan requires both for a run
    out.write(_describe_start(plan, plan.base_url))
    return run_contract(Target(plan.base_url, plan.project_id), plan.auth, plan.settings)


def dry_run(plan: Plan, out: TextIO) -> None:
    """Print what the plan would send; nothing goes out (see `oms_contract.dry_run`)."""
    from oms_contract.dry_run import placeholder_auth, preview_run

    auth = plan.auth or placeholder_auth(load_contract_spec(plan.settings.spec_path))
    target = Target(plan.base_url or _LOOPBACK, plan.project_id)
    out.write("oms-contract --dry-run: nothing is sent\n")
    out.write(preview_run(target, auth, plan.settings).describe())


def replay_main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    from oms_contract.replay import CassetteError, choose, read_cassette, replay, replay_text

    parser = build_replay_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        auth = resolve_auth(args, env)
        if auth is None:
            raise UsageError(f"credentials are required: --token, --ak/--sk, ${TOKEN_ENV} or ${AK_ENV}/${SK_ENV}")
        contract = load_contract_spec(args.spec)
        recorded = choose(read_cassette(args.cassette), args.ids)
    except (UsageError, CassetteError) as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"oms-contract {REPLAY}: error: {exc}\n")
        return EXIT_USAGE
    except SpecError as error:
        sys.stderr.write(f"oms-contract {REPLAY}: error: --spec: {error}\n")
        return EXIT_USAGE
    token_header = contract.api.credentials.token_header
    replayed = replay(
        recorded,
        token_header=token_header,
        token=auth.token,
        credentials=auth.credentials,
        base_url=args.base_url,
        live=args.live,
        timeout=args.request_timeout,
    )
    for item in replayed:
        sys.stdout.write(replay_text(item, token_header=token_header, secrets=auth.secrets))
    differing = sum(1 for item in replayed if not item.same_status)
    sys.stdout.write(f"{len(replayed)} replayed, {differing} with a status other than recorded\n")
    return EXIT_CLEAN if not differing else EXIT_FAILURES


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    environment = os.environ if env is None else env
    if arguments[:1] == [REPLAY]:
        return replay_main(arguments[1:], environment)
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # argparse exits on usage errors (2) and --help (0)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.list_checks:
        print_checks(sys.stdout)
        return EXIT_CLEAN
    try:
        plan = make_plan(args, environment)
        if args.dry_run:
            dry_run(plan, sys.stdout)
            return EXIT_CLEAN
        result = run_plan(plan, sys.stdout)
    except (UsageError, SetupError) as exc:
        parser.print_usage(sys.stderr)
        sys.stderr.write(f"oms-contract: error: {exc}\n")
        return EXIT_USAGE
    reports = write_reports(result, plan.report_dir) if plan.report_dir is not None else []
    print_summary(result, sys.stdout, reports)
    return EXIT_CLEAN if result.ok else EXIT_FAILURES
