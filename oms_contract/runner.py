"""Run the contract suite against one target: schemathesis over every operation with the built-in checks and ours,
then the follow-up checks (pagination walks, lookups, enum variants), every request through the run's transport."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import schemathesis
from schemathesis.config import (
    CacheConfig,
    ChecksConfig,
    CoveragePhaseConfig,
    GenerationConfig,
    PhasesConfig,
    ProjectConfig,
    ProjectsConfig,
    SchemathesisConfig,
)
from schemathesis.config._auth import AuthConfig
from schemathesis.engine import from_schema
from schemathesis.schemas import BaseSchema

from oms_contract import checks as semantic_checks
from oms_contract import known_issues
from oms_contract.catalogue import ALL_CHECKS, FOLLOW_UP_CHECKS, LATENCY_CHECK, deselected_checks
from oms_contract.enum_variants import ENUM_CHECK, EnumPlan, enum_parameters
from oms_contract.follow_ups import FollowUpLog
from oms_contract.lookups import LOOKUP_CHECK, LookupPlan
from oms_contract.pagination import walk_page_sizes
from oms_contract.recording import CASSETTE_FILES, RecordFormat, write_cassette
from oms_contract.results import ContractResult, ResultCollector
from oms_contract.safety import RequestGate, SafetyPolicy, get_operation_patterns
from oms_contract.signing import AkSkAuth, Credentials
from oms_contract.spec import DEFAULT_SPEC_PATH, ContractSpec, load_contract_spec, without_header_parameter
from oms_contract.storage import database_dir_for, default_hypothesis_dir, hypothesis_home
from oms_contract.transport import RunTransport, routed_through
from oms_contract.walk_checks import PAGE_SIZES_CHECK, WALK_CHECK, WalkPlan
from oms_spec import PROJECT_PARAMETER

Mode = Literal["positive", "negative", "all"]
MODES: tuple[Mode, ...] = ("positive", "negative", "all")
DEFAULT_MAX_EXAMPLES = 100
#: Seconds a request may take before it is abandoned (schemathesis' own default).
DEFAULT_REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Target:
    """The server under test: its base URL and the project its paths name, or an ASGI app served in-process."""

    base_url: str
    project_id: str
    app: Any | None = None


@dataclass(frozen=True)
class Auth:
    """Exactly one way to authenticate: an IAM token, or AK/SK request signing."""

    token: str | None = None
    credentials: Credentials | None = None

    def __post_init__(self) -> None:
        if (self.token is None) == (self.credentials is None):
            raise ValueError("give exactly one of a token or AK/SK credentials")

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values no report may show."""
        if self.credentials is not None:
            return (self.credentials.sk,)
        return (self.token,) if self.token else ()


@dataclass(frozen=True)
class RunSettings:
    """How much to generate and how, which checks run, and where the run's files go.

    - `mode` None: valid input only (`positive`) when the live rules apply to the target, else `all`.
    - `safety` None: decided from the target URL (see `SafetyPolicy.for_target`).
    - `checks` None runs every check that applies; `exclude_checks` leaves the named ones out.
    - `max_response_time_ms`: turns on the `max_response_time` check; `request_timeout` in seconds.
    - `report_dir`: where recordings and Hypothesis' data go; `record` records the whole run there.
    - `hypothesis_dir`: Hypothesis' home, its caches (default: a user cache directory, see `oms_contract.storage`);
      `example_database`: where it keeps failing examples (default: under `report_dir`, else in its home).
    """

    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int = 0
    mode: Mode | None = None
    spec_path: Path = DEFAULT_SPEC_PATH
    safety: SafetyPolicy | None = None
    checks: tuple[str, ...] | None = None
    exclude_checks: tuple[str, ...] = ()
    max_response_time_ms: float | None = None
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    report_dir: Path | None = None
    record: RecordFormat | None = None
    hypothesis_dir: Path | None = None
    example_database: Path | None = None

    def __post_init__(self) -> None:
        if self.max_examples < 1:
            raise ValueError(f"max_examples must be at least 1, got {self.max_examples}")
        if self.mode is not None and self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if not (self.request_timeout > 0 and math.isfinite(self.request_timeout)):
            raise ValueError(f"request_timeout must be a number of seconds above 0, got {self.request_timeout}")
        limit = self.max_response_time_ms
        if limit is not None and not 0 < limit < self.request_timeout * 1000:
            raise ValueError(
                f"max_response_time_ms must be above 0 and below the request timeout ({self.request_timeout * 1000:g} "
                f"ms), got {limit:g}: a slower response times out first"
            )
        if self.record is not None and self.report_dir is None:
            raise ValueError("record needs a report_dir to write the cassette into")
        if self.checks is not None and LATENCY_CHECK in self.checks and limit is None:
            raise ValueError(f"the {LATENCY_CHECK} check needs max_response_time_ms (--max-response-time)")
        deselected_checks(self.checks, self.exclude_checks, option="checks", exclude_option="exclude_checks")


def resolve_mode(mode: Mode | None, policy: SafetyPolicy) -> Mode:
    """The mode a run uses: the one asked for, else valid input only under the live rules, else both kinds."""
    if mode is not None:
        return mode
    return "positive" if policy.live else "all"


def _generation_modes(mode: Mode) -> list[schemathesis.GenerationMode]:
    if mode == "positive":
        return [schemathesis.GenerationMode.POSITIVE]
    if mode == "negative":
        return [schemathesis.GenerationMode.NEGATIVE]
    return [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


class SetupError(ValueError):
    """The run's settings do not fit the spec (credentials of a kind the spec declares no scheme for)."""


def disabled_checks(
    contract: ContractSpec,
    policy: SafetyPolicy,
    mode: Mode = "all",
    *,
    deselected: Mapping[str, str] | None = None,
    max_response_time: bool = False,
) -> dict[str, str]:
    """Checks that cannot apply to this spec or run, or that the run's choice left out, each with the reason."""
    methods = {method.lower() for method in contract.methods}
    disabled = {
        "object_level_authorization": "the suite runs with a single identity, so there is no other caller's object",
    }
    if not max_response_time:
        disabled[LATENCY_CHECK] = "no response-time budget was given (--max-response-time)"
    if "delete" not in methods:
        disabled["use_after_free"] = "the spec declares no DELETE operation"
    if not methods & {"post", "put"}:
        disabled["ensure_resource_availability"] = "the spec declares no operation that creates resources"
    if policy.read_only:
        disabled["unsupported_method"] = "live-run safety sends only GET, so no undeclared method is tried"
        disabled["allow_header_conformance"] = "it judges OPTIONS responses, and live-run safety sends only GET"
        for name in ("use_after_free", "ensure_resource_availability"):
            disabled.setdefault(name, "it needs requests that change resources, and live-run safety sends only GET")
    if not contract.paginated:
        for name in (*semantic_checks.PAGING_CHECKS, "filter_honoured", WALK_CHECK, PAGE_SIZES_CHECK):
            disabled[name] = "the spec declares no paginated operation (x-omsgen-pagination)"
    else:
        if not any(facts.paging and facts.paging.filters for facts in contract.paginated):
            disabled["filter_honoured"] = (
                "no paginated operation has a filter (a query parameter named like an item field)"
            )
        if all(len(walk_page_sizes(facts.paging)) < 2 for facts in contract.paginated if facts.paging):
            disabled[PAGE_SIZES_CHECK] = "no paginated operation's limit allows more than one page size"
    if not contract.lookups:
        disabled[LOOKUP_CHECK] = "the spec declares no lookup (a GET of one listed item by a field of the items)"
    if not any(enum_parameters(contract, facts) for facts in contract.operations):
        disabled[ENUM_CHECK] = "no operation has a string enum parameter"
    if not any(facts.request_id_headers for facts in contract.operations):
        disabled["request_id_present"] = "no documented response declares a request-id header"
    if not any(facts.error_bodies for facts in contract.operations):
        disabled["error_body_has_code_and_message"] = "no documented error response has a body with required fields"
    if mode == "positive":
        positive_only = "positive mode sends valid input and credentials only (--mode all to send them)"
        disabled.setdefault("ignored_auth", f"it sends missing and invalid credentials; {positive_only}")
        disabled.setdefault(ENUM_CHECK, f"it sends invalid enum values; {positive_only}")
    if mode == "negative":
        for name in FOLLOW_UP_CHECKS:
            disabled.setdefault(name, "negative mode sends no valid request for it to start from")
    for name, reason in (deselected or {}).items():
        disabled.setdefault(name, reason)
    return disabled


def _project_config(
    target: Target,
    auth: Auth,
    settings: RunSettings,
    mode: Mode,
    contract: ContractSpec,
    checks: ChecksConfig,
    policy: SafetyPolicy,
    database: str,
) -> ProjectConfig:
    token_scheme = contract.api.credentials.token_scheme
    auth_config = AuthConfig(openapi={token_scheme: {"api_key": auth.token}}) if auth.token and token_scheme else None
    coverage = CoveragePhaseConfig(unexpected_methods=set()) if policy.read_only else CoveragePhaseConfig()
    parameters = {f"path.{PROJECT_PARAMETER}": target.project_id} if contract.has_project_parameter else {}
    return ProjectConfig(
        base_url=target.base_url,
        parameters=parameters,
        auth=auth_config,
        continue_on_failure=True,
        checks=checks,
        # The run's transport waits out throttling first; schemathesis' own auto mode is the backstop behind it.
        rate_limit="auto" if policy.auto_rate else None,
        request_timeout=settings.request_timeout,
        phases=PhasesConfig(coverage=coverage),
        generation=GenerationConfig(
            modes=_generation_modes(mode), max_examples=settings.max_examples, database=database
        ),
    )


def _check_sections(disabled: Mapping[str, str], auth: Auth, log: FollowUpLog, settings: RunSettings) -> dict[str, Any]:
    """Per-check configuration: disabled checks off, ours given the run's secrets and where to log follow-ups."""
    sections: dict[str, Any] = {name: {"enabled": False} for name in disabled if name != LATENCY_CHECK}
    if "token_not_echoed" not in disabled:
        sections["token_not_echoed"] = {"secrets": auth.secrets}
    walks = WalkPlan(log=log)
    for name in (WALK_CHECK, PAGE_SIZES_CHECK):
        if name not in disabled:
            sections[name] = {"plan": walks}
    if LOOKUP_CHECK not in disabled:
        sections[LOOKUP_CHECK] = {"plan": LookupPlan(log=log)}
    if ENUM_CHECK not in disabled:
        sections[ENUM_CHECK] = {"plan": EnumPlan(log=log)}
    if LATENCY_CHECK not in disabled and settings.max_response_time_ms is not None:
        sections[LATENCY_CHECK] = settings.max_response_time_ms / 1000
    return sections


def check_credentials(contract: ContractSpec, auth: Auth) -> None:
    """SetupError when the spec declares no security scheme for the kind of credentials given."""
    credentials = contract.api.credentials
    if auth.credentials is not None and credentials.signing_scheme is None:
        raise SetupError("AK/SK credentials were given, but the spec declares no signing scheme (x-omsgen-signing)")
    if auth.token is not None and credentials.token_scheme is None:
        raise SetupError(
            "a token was given, but the spec declares no token scheme (an apiKey security scheme in a header)"
        )


@dataclass(frozen=True)
class PreparedRun:
    """A run ready to execute: the schemathesis schema, the spec's facts, and what will not be tested and why."""

    schema: BaseSchema
    contract: ContractSpec
    mode: Mode
    disabled: dict[str, str]
    # operationId -> why schemathesis leaves the operation out.
    untested: dict[str, str]
    hypothesis_dir: Path


def build_schema(
    target: Target,
    auth: Auth,
    settings: RunSettings,
    policy: SafetyPolicy,
    log: FollowUpLog,
    *,
    all_checks_off: bool = False,
) -> PreparedRun:
    """The schemathesis schema of every operation the run may send, configured for the run.

    `all_checks_off` configures no check at all (the dry run counts the requests generation alone sends).
    Raises `oms_spec.SpecError` for a spec that cannot be used, SetupError for credentials it has no scheme for.
    """
    contract = load_contract_spec(settings.spec_path)
    check_credentials(contract, auth)
    mode = resolve_mode(settings.mode, policy)
    document: Mapping[str, Any] = contract.api.document
    token_header = contract.api.credentials.token_header
    if auth.credentials is not None and token_header is not None:
        document = without_header_parameter(document, token_header)
    deselected = deselected_checks(settings.checks, settings.exclude_checks)
    disabled = disabled_checks(
        contract, policy, mode, deselected=deselected, max_response_time=settings.max_response_time_ms is not None
    )
    if all_checks_off:
        checks = ChecksConfig.from_dict({"enabled": False, **{name: {"enabled": False} for name in ALL_CHECKS}})
    else:
        checks = ChecksConfig.from_dict(_check_sections(disabled, auth, log, settings))
    home = settings.hypothesis_dir or default_hypothesis_dir()
    database = settings.example_database or database_dir_for(settings.report_dir, home)
    project = _project_config(target, auth, settings, mode, contract, checks, policy, str(database))
    # No cache: replaying requests stored by an earlier run would make runs depend on each other.
    config = SchemathesisConfig(
        seed=settings.seed, cache=CacheConfig(enabled=False), projects=ProjectsConfig(default=project)
    )
    # A copy: the document may be the cached one of an earlier run, and schemathesis is free to annotate its own.
    schema: BaseSchema = schemathesis.openapi.from_dict(copy.deepcopy(dict(document)), config=config)
    schema.hook(known_issues.filter_failure)
    if target.app is not None:
        schema.app = target.app
    if auth.credentials is not None:
        schema.auth.set_from_requests(AkSkAuth(auth.credentials, project_id=target.project_id))
    untested: dict[str, str] = {}
    if policy.read_only:
        untested = {
            operation.operation_id: "live-run safety sends only GET"
            for operation in contract.api.operations
            if operation.method != "GET"
        }
        schema = schema.include(method="GET")
    return PreparedRun(schema, contract, mode, disabled, untested, home)


def request_gate(target: Target, contract: ContractSpec, policy: SafetyPolicy) -> RequestGate:
    """The gate of a run: the policy over the target's GET operations (an in-process app has no URL to guard)."""
    gets = [operation.path for operation in contract.api.operations if operation.method == "GET"]
    return RequestGate(policy, get_operation_patterns(target.base_url, gets), checks_urls=target.app is None)


def run_contract(target: Target, auth: Auth, settings: RunSettings | None = None) -> ContractResult:
    """Run every phase over every operation of the spec against the target and return the tallied outcome."""
    settings = settings or RunSettings()
    policy = settings.safety or SafetyPolicy.for_target(target.base_url)
    log = FollowUpLog()
    prepared = build_schema(target, auth, settings, policy, log)
    contract, disabled = prepared.contract, prepared.disabled
    operations = contract.api.operations
    collector = ResultCollector(
        checks=[name for name in ALL_CHECKS if name not in disabled],
        token_header=contract.api.credentials.token_header,
        secrets=auth.secrets,
        operation_ids={f"{operation.method} {operation.path}": operation.operation_id for operation in operations},
        follow_up_checks=FOLLOW_UP_CHECKS,
        keep_scenarios=settings.record is not None,
    )
    transport = RunTransport(request_gate(target, contract, policy))
    started = time.monotonic()
    with hypothesis_home(prepared.hypothesis_dir), routed_through(transport):
        for event in from_schema(prepared.schema).execute():
            collector.consume(event)
    elapsed = time.monotonic() - started
    collector.note_refused_credentials()
    collector.add_follow_ups(log, [name for name in FOLLOW_UP_CHECKS if name not in disabled])
    collector.add_errors(transport.throttle.errors())
    cassette = None
    if settings.record is not None and settings.report_dir is not None:
        settings.report_dir.mkdir(parents=True, exist_ok=True)
        cassette = write_cassette(
            collector.scenarios,
            settings.report_dir / CASSETTE_FILES[settings.record],
            settings.record,
            seed=settings.seed,
            secrets=auth.secrets,
        )
    gate = transport.gate
    return ContractResult(
        target=target.base_url,
        seed=settings.seed,
        mode=prepared.mode,
        max_examples=settings.max_examples,
        tallies=collector.tallies,
        disabled=disabled,
        failures=collector.failures,
        errors=collector.errors,
        cases=collector.cases,
        walk_requests=log.requests[WALK_CHECK],
        elapsed=elapsed,
        blocked=list(gate.blocked),
        operations={name: n for name, n in collector.operations.items() if name not in prepared.untested},
        lookup_requests=log.requests[LOOKUP_CHECK],
        probes=list(log.probes),
        untested=prepared.untested,
        variant_requests=log.requests[ENUM_CHECK],
        throttled=dict(transport.throttle.waited),
        throttle_seconds=transport.throttle.seconds,
        latency=collector.latency(),
        rate=gate.limiter.describe() if gate.limiter is not None else policy.describe_rate(),
        request_timeout=settings.request_timeout,
        max_response_time_ms=settings.max_response_time_ms,
        cassette=cassette,
        failing_scenarios=collector.failing_scenarios,
        secrets=auth.secrets,
    )
