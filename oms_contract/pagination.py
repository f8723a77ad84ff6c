"""The pagination walk: for every paginated operation, the pages of each filter cover the total, no duplicates or gaps.

A walk fetches the pages at the largest page size from offset 0 on, as many as the first page's total asks for
(up to the offset maximum, or MAX_WALK_PAGES pages when the spec states none). Each operation is walked without
a filter and with each value of each filter that has a short list of values (an enum, a boolean). Items are told
apart by the listing's id field (see `oms_contract.spec`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests
import schemathesis

from oms_contract.follow_ups import Finding, FollowUpLog, Probe, SentRequest
from oms_contract.pages import Page, item_identity, parse_page, requested_page
from oms_contract.query_values import to_wire
from oms_contract.spec import OperationFacts, Paging, contract_of

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

WALK_CHECK = "pages_cover_count_without_duplicates"
# Problems of one kind listed per walk before the rest are only counted.
MAX_REPORTED = 3
# Pages one walk may fetch when the spec caps no offset: enough to judge, not a crawl of a live service.
MAX_WALK_PAGES = 200

FilterValue = tuple[str, Any] | None


@dataclass(frozen=True)
class PageVisit:
    """One page fetched during a walk: offset, status code, the page (None unless a page body), request or error."""

    offset: int
    status_code: int
    page: Page | None
    request: SentRequest | None = None
    # Why the page could not be fetched at all (then status_code is 0).
    error: str | None = None


@dataclass(frozen=True)
class WalkProblem:
    """What is wrong with a walk, and the page visit that shows it."""

    message: str
    visit: PageVisit


def walk_label(filter_value: FilterValue) -> str:
    return "no filter" if filter_value is None else f"{filter_value[0]}={to_wire(filter_value[1])}"


def walk_filters(paging: Paging) -> tuple[FilterValue, ...]:
    """No filter, then each value of each filter whose values are few enough to list."""
    values: list[FilterValue] = [None]
    for found in paging.filters:
        values += [(found.name, value) for value in found.rule.values or ()]
    return tuple(values)


def offset_cap(paging: Paging) -> int:
    """The largest offset a walk asks for: the spec's offset maximum, else what MAX_WALK_PAGES pages reach."""
    if paging.offset_maximum is not None:
        return paging.offset_maximum
    return paging.limit_maximum * (MAX_WALK_PAGES - 1)


def next_offsets(limit: int, count: int, cap: int) -> list[int]:
    """Offsets of the pages that cover `count` items, stopping at the offset cap."""
    return list(range(0, min(count, cap + 1), limit)) or [0]


def find_walk_problems(visits: Sequence[PageVisit], paging: Paging, limit: int, cap: int) -> list[WalkProblem]:
    """Duplicates, gaps and a changing total across the pages of one walk (visits in offset order).

    The pages must hold `total` distinct items, or as many as the offset cap lets a walk reach: every page but the
    last full, the last holding the rest. At most MAX_REPORTED problems of each kind are listed, then a tally.
    """
    for visit in visits:
        if visit.error is not None:
            return [WalkProblem(f"the page at offset {visit.offset} could not be fetched: {visit.error}", visit)]
        if visit.page is None or not 200 <= visit.status_code < 300:
            message = f"the page at offset {visit.offset} answered {visit.status_code} without a page"
            return [WalkProblem(message, visit)]
    pages = [(visit, visit.page) for visit in visits if visit.page is not None]
    total = pages[0][1].total
    changes: list[WalkProblem] = []
    sizes: list[WalkProblem] = []
    duplicates: list[WalkProblem] = []
    seen: dict[object, int] = {}
    for visit, page in pages:
        if page.total != total:
            message = f"{paging.total} changed from {total} to {page.total} at offset {visit.offset}"
            changes.append(WalkProblem(message, visit))
        expected = min(limit, max(total - visit.offset, 0))
        if page.size != expected:
            kind = "a gap" if page.size < expected else "an overflow"
            message = (
                f"{kind}: the page at offset {visit.offset} holds {page.size} items, expected {expected} "
                f"(limit {limit}, {paging.total} {total})"
            )
            sizes.append(WalkProblem(message, visit))
        for index, item in enumerate(page.items):
            identity = item_identity(item, paging)
            position = visit.offset + index
            if identity in seen:
                message = f"item {identity!r} appears at position {seen[identity]} and again at {position}"
                duplicates.append(WalkProblem(message, visit))
            else:
                seen[identity] = position
    reachable = total if total <= cap else min(total, visits[-1].offset + limit)
    problems: list[WalkProblem] = []
    if len(seen) != reachable:
        capped = "" if reachable == total else f" (the offset cap {cap} lets a walk reach {reachable})"
        message = f"the pages hold {len(seen)} distinct items, but {paging.total} is {total}{capped}"
        problems.append(WalkProblem(message, visits[-1]))
    for found in (changes, sizes, duplicates):
        problems += found[:MAX_REPORTED]
        if len(found) > MAX_REPORTED:
            problems.append(WalkProblem(f"... and {len(found) - MAX_REPORTED} more like the above", found[-1].visit))
    return problems


def walk_pages(fetch: Callable[[int], PageVisit], paging: Paging) -> tuple[tuple[PageVisit, ...], list[WalkProblem]]:
    """Fetch the pages from offset 0 on at the largest page size, as many as the first page's total asks for."""
    limit, cap = paging.limit_maximum, offset_cap(paging)
    first = fetch(0)
    visits = [first]
    if first.error is None and first.page is not None and 200 <= first.status_code < 300:
        visits += [fetch(offset) for offset in next_offsets(limit, first.page.total, cap)[1:]]
    return tuple(visits), find_walk_problems(visits, paging, limit, cap)


@dataclass(frozen=True)
class WalkPlan:
    """What the walk check should do in a run: where to log its walks (every paginated operation is walked)."""

    log: FollowUpLog


@schemathesis.check
class pages_cover_count_without_duplicates:  # a check's name is its class name
    """Walking the pages of each filter at the largest page size yields `total` distinct items, no duplicates or gaps.

    Inert unless the run passes a `plan`.
    """

    def __init__(self, plan: WalkPlan | None = None) -> None:
        self.plan = plan
        # Operation id -> the first request of it that got a page, to derive the walk's requests from.
        self.templates: dict[str, Case] = {}
        self.operations: list[OperationFacts] = []

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if self.plan is None:
            return True
        contract = contract_of(case.operation.schema.raw_schema)
        if not self.operations:
            self.operations = list(contract.paginated)
        facts = contract.facts_for(case.method, case.operation.path)
        if facts is None or facts.paging is None or facts.operation_id in self.templates:
            return True
        if not 200 <= response.status_code < 300:
            return True
        if requested_page(response.request.url or "", facts.paging) is not None:
            self.templates[facts.operation_id] = case
        return True

    def after_run(self, ctx: CheckContext) -> None:
        plan = self.plan
        if plan is None:
            return
        if not self.operations:
            plan.log.skip(WALK_CHECK, "no response came back during the run, so there was no page to start from")
            raise AssertionError(plan.log.skipped[WALK_CHECK])
        failed: list[str] = []
        for facts in self.operations:
            template = self.templates.get(facts.operation_id)
            if template is None:
                reason = "no request got a page during the run, so there was no page to start from"
                plan.log.add(Probe(WALK_CHECK, facts.operation_id, "no walk", 0, (Finding(reason, 0),)))
                failed.append(f"{facts.operation_id}: {reason}")
                continue
            failed += self._walk_operation(facts, template, plan.log)
        if failed:
            raise AssertionError("; ".join(failed))

    def _walk_operation(self, facts: OperationFacts, template: Case, log: FollowUpLog) -> list[str]:
        paging = facts.paging
        assert paging is not None
        failed: list[str] = []
        for filter_value in walk_filters(paging):
            visits, problems = walk_pages(_fetcher(template, facts, filter_value), paging)
            label = f"walk with {walk_label(filter_value)} (limit {paging.limit_maximum})"
            findings = tuple(Finding(p.message, p.visit.status_code, p.visit.request) for p in problems)
            log.add(Probe(WALK_CHECK, facts.operation_id, label, len(visits), findings))
            failed += [f"{facts.operation_id} {label}: {problem.message}" for problem in problems]
        return failed


def _fetcher(template: Case, facts: OperationFacts, filter_value: FilterValue) -> Callable[[int], PageVisit]:
    paging = facts.paging
    assert paging is not None
    # Declared parameters other than paging and filters (a required one, say) are kept as the template sent them.
    declared = {parameter.name for parameter in facts.operation.parameters_in("query")}
    kept = {
        name: value
        for name, value in template.query.items()
        if name in declared and name not in (paging.limit, paging.offset) and paging.filter(name) is None
    }

    def fetch(offset: int) -> PageVisit:
        query: dict[str, object] = {**kept, paging.limit: str(paging.limit_maximum), paging.offset: str(offset)}
        if filter_value is not None:
            query[filter_value[0]] = to_wire(filter_value[1])
        try:
            response = template.derive(query=query, keep_auth=True).call()
        except requests.RequestException as exc:
            return PageVisit(offset=offset, status_code=0, page=None, error=f"{type(exc).__name__}: {exc}")
        page = parse_page(response.content, paging) if 200 <= response.status_code < 300 else None
        return PageVisit(offset=offset, status_code=response.status_code, page=page, request=SentRequest.of(response))

    return fetch
