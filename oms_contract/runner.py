"""Run the contract suite against one target: schemathesis with the built-in checks, ours, and the pagination walk."""

from __future__ import annotations

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
from oms_contract.pagination import WALK_CHECK, WalkLog, WalkPlan
from oms_contract.results import ContractResult, ResultCollector, check_names
from oms_contract.safety import RequestGate, SafetyPolicy, gated_requests, operation_url_pattern
from oms_contract.signing import AkSkAuth, Credentials
from oms_contract.spec import (
    DEFAULT_SPEC_PATH,
    OPERATION_ID,
    ListOperation,
    load_spec,
    read_operation,
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
    """The server under test: its base URL and the project to list, or an ASGI app served in-process."""

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


def disabled_checks(raw: Mapping[str, Any], policy: SafetyPolicy) -> dict[str, str]:
    """Built-in checks that cannot apply to this spec or run, each with the reason."""
    methods = {method.lower() for item in raw.get("paths", {}).values() for method in item}
    disabled = {
        "object_level_authorization": "the suite runs with a single identity, so there is no other caller's object",
    }
    if "delete" not in methods:
        disabled["use_after_free"] = "the spec declares no DELETE operation"
    if not methods & {"post", "put"}:
        disabled["ensure_resource_availability"] = "the spec declares no operation that creates resources"
    if policy.list_operation_only:
        disabled["unsupported_method"] = "live-run safety sends only GET, so no undeclared method is tried"
        disabled["allow_header_conformance"] = "it judges OPTIONS responses, and live-run safety sends only GET"
    return disabled


def _project_config(
    target: Target,
    auth: Auth,
    settings: RunSettings,
    operation: ListOperation,
    checks: ChecksConfig,
    policy: SafetyPolicy,
) -> ProjectConfig:
    auth_config = AuthConfig(openapi={operation.token_scheme: {"api_key": auth.token}}) if auth.token else None
    coverage = CoveragePhaseConfig(unexpected_methods=set()) if policy.list_operation_only else CoveragePhaseConfig()
    return ProjectConfig(
        base_url=target.base_url,
        parameters={"path.project_id": target.project_id},
        auth=auth_config,
        continue_on_failure=True,
        checks=checks,
        phases=PhasesConfig(coverage=coverage),
        generation=GenerationConfig(
            modes=_generation_modes(settings.mode), max_examples=settings.max_examples, database="none"
        ),
    )


def _check_sections(
    disabled: Mapping[str, str], auth: Auth, operation: ListOperation, walk_log: WalkLog
) -> dict[str, dict[str, Any]]:
    """Per-check configuration: disabled checks off, our checks given the run's secrets and walk plan."""
    sections: dict[str, dict[str, Any]] = {name: {"enabled": False} for name in disabled}
    sections["token_not_echoed"] = {"secrets": auth.secrets}
    if WALK_CHECK not in disabled:
        # The walk is done without a filter and with each status of the spec's enum.
        filters = (None, *operation.statuses)
        sections[WALK_CHECK] = {"plan": WalkPlan(operation=operation, filters=filters, log=walk_log)}
    return sections


def build_schema(
    target: Target, auth: Auth, settings: RunSettings, policy: SafetyPolicy, walk_log: WalkLog
) -> tuple[BaseSchema, ListOperation, dict[str, str]]:
    """The schemathesis schema of the list operation, configured for the run; with its facts and disabled checks."""
    raw = load_spec(settings.spec_path)
    operation = read_operation(raw)
    if auth.credentials is not None:
        raw = without_header_parameter(raw, operation.token_header)
    disabled = disabled_checks(raw, policy)
    if settings.mode == "negative":
        disabled[WALK_CHECK] = "negative mode sends no valid request for the walk to start from"
    checks = ChecksConfig.from_dict(_check_sections(disabled, auth, operation, walk_log))
    project = _project_config(target, auth, settings, operation, checks, policy)
    # No cache: replaying requests stored by an earlier run would make runs depend on each other.
    config = SchemathesisConfig(
        seed=settings.seed, cache=CacheConfig(enabled=False), projects=ProjectsConfig(default=project)
    )
    schema = schemathesis.openapi.from_dict(raw, config=config).include(operation_id=OPERATION_ID)
    schema.hook(known_issues.filter_failure)
    if target.app is not None:
        schema.app = target.app
    if auth.credentials is not None:
        schema.auth.set_from_requests(AkSkAuth(auth.credentials, project_id=target.project_id))
    return schema, operation, disabled


def run_contract(target: Target, auth: Auth, settings: RunSettings | None = None) -> ContractResult:
    """Run every phase against the target and return the tallied outcome."""
    settings = settings or RunSettings()
    policy = settings.safety or SafetyPolicy.for_target(target.base_url)
    walk_log = WalkLog()
    schema, operation, disabled = build_schema(target, auth, settings, policy, walk_log)
    all_checks = check_names(BUILTIN_CHECKS, semantic_checks.SEMANTIC_CHECKS, [WALK_CHECK])
    collector = ResultCollector(
        checks=[name for name in all_checks if name not in disabled],
        token_header=operation.token_header,
        secrets=auth.secrets,
    )
    gate = RequestGate(policy, operation_url_pattern(target.base_url, operation.path))
    # In-process runs send nothing over the network, so there is nothing to gate.
    guard = gated_requests(gate) if policy.restricts and target.app is None else nullcontext(gate)
    started = time.monotonic()
    with guard:
        for event in from_schema(schema).execute():
            collector.consume(event)
    collector.note_refused_credentials()
    elapsed = time.monotonic() - started
    walk_requests = 0 if WALK_CHECK in disabled else collector.add_walks(walk_log)
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
    )
