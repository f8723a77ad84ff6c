"""Filters for false positives of schemathesis 4.32.5's built-in checks, each with the reason it is one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from schemathesis.core.failures import AcceptedNegativeData, Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario

from oms_contract.pages import operation_of, requested_page

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import HookContext, Response

    Case = GenericCase[Any]


def only_adds_undeclared_query_parameters(case: Case, response: Response) -> bool:
    """Whether a coverage case's only negation is an undeclared query parameter beside valid declared ones.

    schemathesis means not to flag these (servers commonly ignore unknown query parameters), but in a
    negative-only run it marks the path as negated even when the path parameter is fixed by configuration,
    and then reports the accepted request under `negative_data_rejection`.
    """
    meta = case.meta
    if meta is None or not isinstance(meta.phase.data, CoveragePhaseData):
        return False
    data = meta.phase.data
    if (
        data.scenario != CoverageScenario.OBJECT_UNEXPECTED_PROPERTIES
        or data.parameter_location != ParameterLocation.QUERY
    ):
        return False
    operation = operation_of(case.operation.schema.raw_schema)
    declared = {operation.limit.name, operation.offset.name, "status"}
    url = urlsplit(response.request.url or "")
    pairs = parse_qsl(url.query, keep_blank_values=True)
    if all(name in declared for name, _ in pairs):
        return False
    kept = urlencode([(name, value) for name, value in pairs if name in declared])
    return requested_page(url._replace(query=kept).geturl(), operation) is not None


def filter_failure(context: HookContext, failure: Failure, case: Case, response: Response) -> bool:
    """schemathesis `filter_failure` hook: keep every failure but the known false positives."""
    return not (isinstance(failure, AcceptedNegativeData) and only_adds_undeclared_query_parameters(case, response))
