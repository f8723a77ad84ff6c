"""Run the contract suite against one target: schemathesis over every operation with the built-in checks and ours,
then the follow-up checks (pagination walks, lookups)."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from contextlib import nullcontext
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
from oms_contract.follow_ups import FollowUpLog
from oms_contract.lookups import LOOKUP_CHECK, LookupPlan
from oms_contract.pagination import WALK_CHECK, WalkPlan
from oms_contract.results import ContractResult, ResultCollector, check_names
from oms_contract.safety import RequestGate, SafetyPolicy, gated_requests, get_operation_patterns
from oms_contract.signing import AkSkAuth, Credentials
from oms_contract.spec import (
    DEFAULT_SPEC_PATH,
    PROJECT_PARAMETER,
    ContractSpec,
    load_contract_spec,
    without_header_parameter,
)

Mode = Literal["positive", "negative", "all"]
MODES: tuple[Mode, ...] = ("positive", "negative", "all")
DEFAULT_MAX_EXAMPLES = 100

# Every built-in check of schemathesis 4.32.5 except `max_response_time` (speed is measured in bench/, not here).
BUILTIN_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "ignored_auth",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "object_level_authorization",
)


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
    """How much to generate and how."""

    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int = 0
    mode: Mode = "all"
    spec_path: Path = DEFAULT_SPEC_PATH
    # None: decided from the target URL (see SafetyPolicy.for_target).
    safety: SafetyPolicy | None = None


def _generation_modes(mode: Mode) -> list[schemathesis.GenerationMode]:
    if mode == "positive":
        return [schemathesis.GenerationMode.POSITIVE]
    if mode == "negative":
        return [schemathesis.GenerationMode.NEGATIVE]
    return [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


class SetupError(ValueError):
    """The run's settings do not fit the spec (credentials of a kind the spec declares no scheme for)."""


#: The suite's checks that send requests of their own once schemathesis is done.
FOLLOW_UP_CHECKS = (WALK_CHECK, LOOKUP_CHECK)


def disabled_checks(contract: ContractSpec, policy: SafetyPolicy, mode: Mode = "all") -> dict[str, str]:
    """Checks that cannot apply to this spec or run, each with the reason."""
    methods = {method.lower() for method in contract.methods}
    disabled = {
        "object_level_authorization": "the suite runs with a single identity, so there is no other caller's object",
    }
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
        for name in (*semantic_checks.PAGING_CHECKS, "filter_honoured", WALK_CHECK):
            disabled[name] = "the spec declares no paginated operation (x-omsgen-pagination)"
    elif not any(facts.paging and facts.paging.filters for facts in contract.paginated):
        disabled["filter_honoured"] = "no paginated operation has a filter (a query parameter named like an item field)"
    if not contract.lookups:
        disabled[LOOKUP_CHECK] = "the spec declares no lookup (a GET of one listed item by a field of the items)"
    if not any(facts.request_id_headers for facts in contract.operations):
        disabled["request_id_present"] = "no documented response declares a request-id header"
    if not any(facts.error_bodies for facts in contract.operations):
        disabled["error_body_has_code_and_message"] = "no documented error response has a body with required fields"
    if mode == "negative":
        for name in FOLLOW_UP_CHECKS:
            disabled.setdefault(name, "negative mode sends no valid request for it to start from")
    return disabled


def _project_config(
    target: Target,
    auth: Auth,
    settings: RunSettings,
    contract: ContractSpec,
    checks: ChecksConfig,
    policy: SafetyPolicy,
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
        phases=PhasesConfig(coverage=coverage),
        generation=GenerationConfig(
            modes=_generation_modes(settings.mode), max_examples=settings.max_examples, database="none"
        ),
    )


def _check_sections(disabled: Mapping[str, str], auth: Auth, log: FollowUpLog) -> dict[str, dict[str, Any]]:
    """Per-check configuration: disabled checks off, ours given the run's secrets and where to log follow-ups."""
    sections: dict[str, dict[str, Any]] = {name: {"enabled": False} for name in disabled}
    sections["token_not_echoed"] = {"secrets": auth.secrets}
    if WALK_CHECK not in disabled:
        sections[WALK_CHECK] = {"plan": WalkPlan(log=log)}
    if LOOKUP_CHECK not in disabled:
        sections[LOOKUP_CHECK] = {"plan": LookupPlan(log=log)}
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
    disabled: dict[str, str]
    # operationId -> why schemathesis leaves the operation out.
    untested: dict[str, str]


def build_schema(
    target: Target, auth: Auth, settings: RunSettings, policy: SafetyPolicy, log: FollowUpLog
) -> PreparedRun:
    """The schemathesis schema of every operation the run may send, configured for the run.

    Raises `oms_spec.SpecError` for a spec that cannot be used, SetupError for credentials it has no scheme for.
    """
    contract = load_contract_spec(settings.spec_path)
    check_credentials(contract, auth)
    document: Mapping[str, Any] = contract.api.document
    token_header = contract.api.credentials.token_header
    if auth.credentials is not None and token_header is not None:
        document = without_header_parameter(document, token_header)
    disabled = disabled_checks(contract, policy, settings.mode)
    checks = ChecksConfig.from_dict(_check_sections(disabled, auth, log))
    project = _project_config(target, auth, settings, contract, checks, policy)
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
    return PreparedRun(schema, contract, disabled, untested)


def run_contract(target: Target, auth: Auth, settings: RunSettings | None = None) -> ContractResult:
    """Run every phase over every operation of the spec against the target and return the tallied outcome."""
    settings = settings or RunSettings()
    policy = settings.safety or SafetyPolicy.for_target(target.base_url)
    log = FollowUpLog()
    prepared = build_schema(target, auth, settings, policy, log)
    contract, disabled = prepared.contract, prepared.disabled
    all_checks = check_names(BUILTIN_CHECKS, semantic_checks.SEMANTIC_CHECKS, FOLLOW_UP_CHECKS)
    operations = contract.api.operations
    collector = ResultCollector(
        checks=[name for name in all_checks if name not in disabled],
        token_header=contract.api.credentials.token_header,
        secrets=auth.secrets,
        operation_ids={f"{operation.method} {operation.path}": operation.operation_id for operation in operations},
        follow_up_checks=FOLLOW_UP_CHECKS,
    )
    gets = [operation.path for operation in operations if operation.method == "GET"]
    gate = RequestGate(policy, get_operation_patterns(target.base_url, gets))
    # In-process runs send nothing over the network, so there is nothing to gate.
    guard = gated_requests(gate) if policy.restricts and target.app is None else nullcontext(gate)
    started = time.monotonic()
    with guard:
        for event in from_schema(prepared.schema).execute():
            collector.consume(event)
    collector.note_refused_credentials()
    elapsed = time.monotonic() - started
    active = [name for name in FOLLOW_UP_CHECKS if name not in disabled]
    walk_requests = collector.add_follow_ups(log, [name for name in active if name == WALK_CHECK])
    lookup_requests = collector.add_follow_ups(log, [name for name in active if name == LOOKUP_CHECK])
    return ContractResult(
        target=target.base_url,
        seed=settings.seed,
        mode=settings.mode,
        max_examples=settings.max_examples,
        tallies=collector.tallies,
        disabled=disabled,
        failures=collector.failures,
        errors=collector.errors,
        cases=collector.cases,
        walk_requests=walk_requests,
        elapsed=elapsed,
        blocked=list(gate.blocked),
        operations={name: n for name, n in collector.operations.items() if name not in prepared.untested},
        lookup_requests=lookup_requests,
        probes=list(log.probes),
        untested=prepared.untested,
    )
