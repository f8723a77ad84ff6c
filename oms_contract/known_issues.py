"""Filters for false positives of schemathesis 4.32.5's built-in checks, each with the reason it is one.

Failures on throttling answers are dropped too: the run's transport waits those out (see
`oms_contract.transport`), and one that still reaches a check is a run error about throttling, not a contract
failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario

from oms_contract.query_values import rule_of
from oms_contract.spec import contract_of
from oms_contract.throttling import is_throttling

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import HookContext, Response

    Case = GenericCase[Any]


def declared_query_is_valid(case: Case, pairs: list[tuple[str, str]]) -> bool:
    """Whether the pairs naming the operation's declared query parameters are all valid, required ones included."""
    contract = contract_of(case.operation.schema.raw_schema)
    facts = contract.facts_for(case.method, case.operation.path)
    if facts is None:
        return False
    sent: dict[str, list[str]] = {}
    for name, value in pairs:
        sent.setdefault(name, []).append(value)
    for parameter in facts.operation.parameters_in("query"):
        values = sent.get(parameter.name)
        if values is None:
            if parameter.required:
                return False
            continue
        rule = rule_of(parameter, contract.api.resolver)
        if rule is None or len(values) != 1 or rule.parse(values[0]) is None:
            return False
    return True


def is_about_undeclared_query(case: Case) -> bool:
    """Whether the case is the coverage phase's try of an undeclared query parameter (the parameter is its point)."""
    meta = case.meta
    if meta is None or not isinstance(meta.phase.data, CoveragePhaseData):
        return False
    data = meta.phase.data
    return (
        data.scenario == CoverageScenario.OBJECT_UNEXPECTED_PROPERTIES
        and data.parameter_location == ParameterLocation.QUERY
    )


def only_adds_undeclared_query_parameters(case: Case, response: Response) -> bool:
    """Whether a coverage case's only negation is an undeclared query parameter beside valid declared ones.

    schemathesis means not to flag these (servers commonly ignore unknown query parameters), but in a
    negative-only run it marks the path as negated even when the path parameter is fixed by configuration,
    and then reports the accepted request under `negative_data_rejection`.
    """
    if not is_about_undeclared_query(case):
        return False
    facts = contract_of(case.operation.schema.raw_schema).facts_for(case.method, case.operation.path)
    if facts is None:
        return False
    declared = {parameter.name for parameter in facts.operation.parameters_in("query")}
    pairs = parse_qsl(urlsplit(response.request.url or "").query, keep_blank_values=True)
    if all(name in declared for name, _ in pairs):
        return False
    return declared_query_is_valid(case, [(name, value) for name, value in pairs if name in declared])


def filter_failure(context: HookContext, failure: Failure, case: Case, response: Response) -> bool:
    """schemathesis `filter_failure` hook: keep every failure but the known false positives."""
    headers = [(name, values[0]) for name, values in response.headers.items() if values]
    if is_throttling(response.status_code, headers):
        return False
    return not (isinstance(failure, AcceptedNegativeData) and only_adds_undeclared_query_parameters(case, response))
