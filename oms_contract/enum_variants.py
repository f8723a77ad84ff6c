"""The enum-variant check: near-misses of an enum parameter's values are rejected, not read as the value.

A server that lower-cases or trims what it is sent accepts `active` for `ACTIVE`; schemathesis'
negative data seldom tries those spellings. For every string enum parameter of every operation (query, path or
header, credentials aside), this check sends case variants of a valid value and near-misses (a leading or trailing
space, the last character dropped), each one the parameter's schema rejects, and expects the status the operation
documents for invalid input (400, else its other documented client errors) with that status's error body. Header
values get case variants only: HTTP trims the spaces around a header value before any server sees it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import schemathesis

from oms_contract.error_bodies import error_body_problem
from oms_contract.follow_ups import Finding, FollowUpLog, Probe, raise_failures
from oms_contract.query_values import ScalarRule, rule_of
from oms_contract.spec import ContractSpec, OperationFacts, contract_of
from oms_spec import Parameter

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

ENUM_CHECK = "enum_variants_rejected"
NO_TEMPLATE = "no request got a 2xx answer during the run, so there was none to vary"
LOCATIONS = ("query", "path", "header")
# Statuses about the caller or the rate, not about what the request asked for.
_NOT_ABOUT_THE_INPUT = frozenset({401, 403, 404, 407, 429})


@dataclass(frozen=True)
class EnumPlan:
    """What the enum-variant check should do in a run: where to log its probes."""

    log: FollowUpLog


@dataclass(frozen=True)
class EnumParameter:
    """A string enum parameter of an operation, with its rule and the value its variants start from."""

    parameter: Parameter
    rule: ScalarRule
    value: str


@dataclass(frozen=True)
class Variant:
    """One spelling a server must reject, and how it differs from the valid value."""

    kind: str
    text: str


def enum_parameters(contract: ContractSpec, facts: OperationFacts) -> list[EnumParameter]:
    """The operation's string enum parameters (credential headers aside), each with its first string value."""
    found = []
    credentials = contract.api.credentials
    for location in LOCATIONS:
        for parameter in facts.operation.parameters_in(location):
            if credentials.is_credential(parameter):
                continue
            rule = rule_of(parameter, contract.api.resolver)
            if rule is None or rule.kind != "string" or not rule.enum:
                continue
            value = next((value for value in rule.enum if isinstance(value, str) and value), None)
            if value is not None:
                found.append(EnumParameter(parameter, rule, value))
    return found


def variants(value: str, rule: ScalarRule, *, location: str) -> list[Variant]:
    """Case variants of the value and near-misses, each differing from the value and rejected by the rule."""
    candidates = [
        Variant("lower case", value.lower()),
        Variant("upper case", value.upper()),
        Variant("title case", value.title()),
        Variant("swapped case", value.swapcase()),
    ]
    if location != "header":
        candidates += [
            Variant("a trailing space", f"{value} "),
            Variant("a leading space", f" {value}"),
            Variant("its last character dropped", value[:-1]),
        ]
    seen = {value}
    chosen = []
    for candidate in candidates:
        if not candidate.text or candidate.text in seen or rule.parse(candidate.text) is not None:
            continue
        seen.add(candidate.text)
        chosen.append(candidate)
    return chosen


def invalid_input_statuses(facts: OperationFacts) -> tuple[int, ...]:
    """What invalid input gets: 400 when documented, else the other documented client errors (empty: any 4xx)."""
    documented = [response.status_code for response in facts.operation.responses if response.status_code is not None]
    if 400 in documented:
        return (400,)
    return tuple(status for status in documented if 400 <= status < 500 and status not in _NOT_ABOUT_THE_INPUT)


def _with_value(template: Case, parameter: Parameter, text: str) -> Case:
    case = template.derive(keep_auth=True)
    if parameter.location == "query":
        case.query = {**(case.query or {}), parameter.name: text}
    elif parameter.location == "path":
        case.path_parameters = {**(case.path_parameters or {}), parameter.name: text}
    else:
        case.headers[parameter.name] = text
    return case


@schemathesis.check
class enum_variants_rejected:  # a check's name is its class name
    """Case variants and near-misses of an enum parameter's values (`active`, `ACTIVE ` for `ACTIVE`) get the
    documented client error, not an answer as if the value were valid.

    Inert unless the run passes a `plan`.
    """

    def __init__(self, plan: EnumPlan | None = None) -> None:
        self.plan = plan
        self.contract: ContractSpec | None = None
        # Operation id -> the first request of it that got a 2xx answer.
        self.templates: dict[str, Case] = {}

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if self.plan is None or not 200 <= response.status_code < 300:
            return True
        contract = self.contract = self.contract or contract_of(case.operation.schema.raw_schema)
        facts = contract.facts_for(case.method, case.operation.path)
        if facts is not None:
            self.templates.setdefault(facts.operation_id, case)
        return True

    def after_run(self, ctx: CheckContext) -> None:
        plan, contract = self.plan, self.contract
        if plan is None:
            return
        if contract is None:
            plan.log.fail_unprobed(ENUM_CHECK, NO_TEMPLATE)
        failed: list[str] = []
        for facts in contract.operations:
            parameters = enum_parameters(contract, facts)
            if not parameters:
                continue
            template = self.templates.get(facts.operation_id)
            if template is None:
                failed.append(plan.log.unprobed_operation(ENUM_CHECK, facts.operation_id, "no variants", NO_TEMPLATE))
                continue
            for found in parameters:
                probe = self._probe(plan.log, facts, template, found)
                plan.log.add(probe)
                failed += [f"{facts.operation_id} {probe.label}: {finding.message}" for finding in probe.findings]
        raise_failures(failed)

    def _probe(self, log: FollowUpLog, facts: OperationFacts, template: Case, found: EnumParameter) -> Probe:
        parameter = found.parameter
        run = log.start(ENUM_CHECK, facts.operation_id, f"variants of {parameter.name}={found.value}")
        expected = invalid_input_statuses(facts)
        wanted = " or ".join(map(str, expected)) or "a client error"
        findings = []
        for variant in variants(found.value, found.rule, location=parameter.location):
            fetched = run.fetch(_with_value(template, parameter, variant.text))
            response = fetched.response
            shown = f"{parameter.name}={json.dumps(variant.text)} ({variant.kind} of {found.value})"
            if response is None:
                findings.append(Finding(f"{shown} got no answer: {fetched.error}", 0, fetched.exchange))
                continue
            if fetched.throttled:
                return run.finish(
                    findings, incomplete="the server kept throttling, so the variants could not be judged"
                )
            status = response.status_code
            rejected = status in expected if expected else 400 <= status < 500 and status not in _NOT_ABOUT_THE_INPUT
            if not rejected:
                findings.append(Finding(f"{shown} got {status}, not {wanted}", status, fetched.exchange))
                continue
            body = facts.error_body(status)
            problem = error_body_problem(status, response.content, body) if body is not None else None
            if problem is not None:
                findings.append(Finding(f"{shown}: {problem}", status, fetched.exchange))
        return run.finish(findings)
