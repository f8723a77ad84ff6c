"""The walk checks, registered with schemathesis: every paginated operation walked after the run.

Each listing (no filter, then each value of each short-listed filter, see `pagination.walk_filters`) is walked at
each page size of `pagination.walk_page_sizes`. `pages_cover_count_without_duplicates` judges each walk on its own;
`page_sizes_agree` judges the walks of one listing against each other. Both share one `WalkPlan`, so the pages are
fetched once whichever of them run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import schemathesis

from oms_contract.follow_ups import Finding, FollowUpLog, Probe, ProbeRun, raise_failures
from oms_contract.pages import parse_page, requested_page
from oms_contract.pagination import (
    FilterValue,
    PageVisit,
    Walk,
    WalkProblem,
    compare_walks,
    find_walk_problems,
    next_offsets,
    offset_cap,
    walk_budget,
    walk_filters,
    walk_label,
    walk_page_sizes,
)
from oms_contract.query_values import to_wire
from oms_contract.spec import OperationFacts, Paging, contract_of

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

WALK_CHECK = "pages_cover_count_without_duplicates"
PAGE_SIZES_CHECK = "page_sizes_agree"
NO_TEMPLATE = "no request got a page during the run, so there was no page to start from"
NO_RESPONSE = "no response came back during the run, so there was no page to start from"


@dataclass(frozen=True)
class ListingWalks:
    """The walks of one listing of one operation, largest page size first, with the runs that fetched them."""

    operation: str
    filter_value: FilterValue
    walks: tuple[tuple[Walk, ProbeRun], ...]


@dataclass
class WalkPlan:
    """What the walk checks do in a run: where to log, the first page-getting request of each paginated operation
    (to derive the walks from), and the walks, fetched once on first use."""

    log: FollowUpLog
    templates: dict[str, Case] = field(default_factory=dict)
    operations: list[OperationFacts] = field(default_factory=list)
    _walked: list[ListingWalks] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def note(self, response: Response, case: Case) -> None:
        contract = contract_of(case.operation.schema.raw_schema)
        with self._lock:
            if not self.operations:
                self.operations = list(contract.paginated)
            facts = contract.facts_for(case.method, case.operation.path)
            if facts is None or facts.paging is None or facts.operation_id in self.templates:
                return
            if 200 <= response.status_code < 300 and requested_page(response.request.url or "", facts.paging):
                self.templates[facts.operation_id] = case

    def walked(self) -> list[ListingWalks]:
        """Every listing walked at every page size (done on the first call)."""
        with self._lock:
            if self._walked is None:
                self._walked = [
                    listing
                    for facts in self.operations
                    if facts.operation_id in self.templates
                    for listing in _walk_operation(facts, self.templates[facts.operation_id], self.log)
                ]
            return self._walked

    def missing(self) -> list[str]:
        """Paginated operations no request of which got a page (nothing to walk from)."""
        return [facts.operation_id for facts in self.operations if facts.operation_id not in self.templates]


def _judge(plan: WalkPlan | None, check: str, judge: Callable[[WalkPlan], list[str]]) -> None:
    """The common after-run of both walk checks: nothing to do without a plan; fail loudly with nothing to walk."""
    if plan is None:
        return
    if not plan.operations:
        plan.log.fail_unprobed(check, NO_RESPONSE)
    failed = [plan.log.unprobed_operation(check, operation, "no walk", NO_TEMPLATE) for operation in plan.missing()]
    raise_failures(failed + judge(plan))


class _PlanNoting:
    """What both walk checks do during the run: hand every response to the shared `plan` (inert without one)."""

    def __init__(self, plan: WalkPlan | None = None) -> None:
        self.plan = plan

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if self.plan is not None:
            self.plan.note(response, case)
        return True


@schemathesis.check
class pages_cover_count_without_duplicates(_PlanNoting):  # a check's name is its class name
    """Each walk of each listing at each page size yields `total` distinct items, with no duplicates or gaps.

    Inert unless the run passes a `plan`.
    """

    def after_run(self, ctx: CheckContext) -> None:
        _judge(self.plan, WALK_CHECK, _judge_each_walk)


@schemathesis.check
class page_sizes_agree(_PlanNoting):  # a check's name is its class name
    """Walks of one listing at the largest, the default and a small odd page size yield the same ids, in order,
    under the same total.

    Inert unless the run passes a `plan`.
    """

    def after_run(self, ctx: CheckContext) -> None:
        _judge(self.plan, PAGE_SIZES_CHECK, _judge_page_sizes)


def _findings(problems: list[WalkProblem]) -> list[Finding]:
    return [Finding(p.message, p.visit.status_code, p.visit.exchange) for p in problems]


def _judge_each_walk(plan: WalkPlan) -> list[str]:
    failed = []
    for listing in plan.walked():
        facts = next(f for f in plan.operations if f.operation_id == listing.operation)
        assert facts.paging is not None
        for walk, run in listing.walks:
            problems = find_walk_problems(walk.visits, facts.paging, walk.size, offset_cap(facts.paging))
            incomplete = _throttled(walk)
            plan.log.add(run.finish(_findings(problems), check=WALK_CHECK, incomplete=incomplete))
            failed += [f"{listing.operation} {run.label}: {problem.message}" for problem in problems]
    return failed


def _judge_page_sizes(plan: WalkPlan) -> list[str]:
    failed = []
    for listing in plan.walked():
        facts = next(f for f in plan.operations if f.operation_id == listing.operation)
        assert facts.paging is not None
        (reference, _), *others = listing.walks
        if not others:
            continue
        sizes = ", ".join(str(walk.size) for walk, _ in listing.walks)
        label = f"walks with {walk_label(listing.filter_value)} at {facts.paging.limit} {sizes}"
        problems = [problem for walk, _ in others for problem in compare_walks(reference, walk, facts.paging)]
        incomplete = next((reason for walk, _ in listing.walks if (reason := _throttled(walk))), None)
        seconds = sum(run.seconds for _, run in listing.walks)
        requests = sum(run.requests for _, run in listing.walks)
        probe = Probe(
            PAGE_SIZES_CHECK, listing.operation, label, requests, tuple(_findings(problems)), seconds, incomplete
        )
        plan.log.add(probe)
        failed += [f"{listing.operation} {label}: {problem.message}" for problem in problems]
    return failed


def _throttled(walk: Walk) -> str | None:
    if any(visit.throttled for visit in walk.visits):
        return "the server kept throttling, so the walk could not be finished"
    return None


def _walk_operation(facts: OperationFacts, template: Case, log: FollowUpLog) -> list[ListingWalks]:
    paging = facts.paging
    assert paging is not None
    listings = []
    for filter_value in walk_filters(paging):
        walks = []
        for size in walk_page_sizes(paging):
            label = f"walk with {walk_label(filter_value)} ({paging.limit} {size})"
            run = log.start(WALK_CHECK, facts.operation_id, label)
            budget = walk_budget(paging, size)
            walks.append((walk_pages(_fetcher(template, facts, filter_value, size, run), size, paging, budget), run))
        listings.append(ListingWalks(facts.operation_id, filter_value, tuple(walks)))
    return listings


def walk_pages(fetch: Callable[[int], PageVisit], size: int, paging: Paging, max_pages: int | None) -> Walk:
    """Fetch the pages from offset 0 on at `size`, as many as the first page's total asks for (within the budget)."""
    first = fetch(0)
    visits = [first]
    if first.error is None and first.page is not None and 200 <= first.status_code < 300:
        for offset in next_offsets(size, first.page.total, offset_cap(paging), max_pages)[1:]:
            visit = fetch(offset)
            visits.append(visit)
            if visit.throttled:
                break
    return Walk(size, tuple(visits))


def _fetcher(
    template: Case, facts: OperationFacts, filter_value: FilterValue, size: int, run: ProbeRun
) -> Callable[[int], PageVisit]:
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
        query: dict[str, object] = {**kept, paging.limit: str(size), paging.offset: str(offset)}
        if filter_value is not None:
            query[filter_value[0]] = to_wire(filter_value[1])
        fetched = run.fetch(template.derive(query=query, keep_auth=True))
        response = fetched.response
        if response is None:
            return PageVisit(offset, 0, None, fetched.exchange, error=fetched.error)
        page = parse_page(response.content, paging) if 200 <= response.status_code < 300 else None
        return PageVisit(offset, response.status_code, page, fetched.exchange, throttled=fetched.throttled)

    return fetch
