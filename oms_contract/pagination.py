"""The stateful pagination walk: the pages of one filter cover `count` distinct tasks, with no duplicates or gaps."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
import schemathesis

from oms_contract.pages import Page, parse_page, requested_page
from oms_contract.spec import ListOperation

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

WALK_CHECK = "pages_cover_count_without_duplicates"
# Problems of one kind listed per walk before the rest are only counted.
MAX_REPORTED = 3


@dataclass(frozen=True)
class SentRequest:
    """A request as it went on the wire, kept to reproduce it."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, response: Response) -> SentRequest:
        request = response.request
        return cls(
            method=request.method or "GET",
            url=request.url or "",
            headers=tuple((name, str(value)) for name, value in request.headers.items()),
        )


@dataclass(frozen=True)
class PageVisit:
    """One page fetched during a walk: offset, status code, the page (None unless a list body), request or error."""

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


@dataclass(frozen=True)
class Walk:
    """The pages of one filter, in offset order, and what is wrong with them."""

    status: str | None
    limit: int
    visits: tuple[PageVisit, ...]
    problems: tuple[WalkProblem, ...]

    @property
    def label(self) -> str:
        return f"status={self.status}" if self.status is not None else "no status filter"


@dataclass
class WalkLog:
    """Walks done during a run, for the report; filled by the check, read by whoever started the run."""

    walks: list[Walk] = field(default_factory=list)
    # Why no walk could be done, when none could.
    skipped: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, walk: Walk) -> None:
        with self._lock:
            self.walks.append(walk)


def next_offsets(limit: int, count: int, offset_cap: int) -> list[int]:
    """Offsets of the pages that cover `count` tasks, stopping at the offset cap."""
    return list(range(0, min(count, offset_cap + 1), limit)) or [0]


def find_walk_problems(visits: Sequence[PageVisit], limit: int, offset_cap: int) -> list[WalkProblem]:
    """Duplicates, gaps and a changing `count` across the pages of one walk (visits in offset order).

    The pages must hold `count` distinct tasks, or as many as the offset cap lets a walk reach: every page but the
    last full, the last holding the rest. At most MAX_REPORTED problems of each kind are listed, then a tally.
    """
    for visit in visits:
        if visit.error is not None:
            return [WalkProblem(f"the page at offset {visit.offset} could not be fetched: {visit.error}", visit)]
        if visit.status_code != 200 or visit.page is None:
            message = f"the page at offset {visit.offset} answered {visit.status_code} without a list"
            return [WalkProblem(message, visit)]
    pages = [(visit, visit.page) for visit in visits if visit.page is not None]
    count = pages[0][1].count
    changes: list[WalkProblem] = []
    sizes: list[WalkProblem] = []
    duplicates: list[WalkProblem] = []
    seen: dict[object, int] = {}
    for visit, page in pages:
        if page.count != count:
            changes.append(WalkProblem(f"count changed from {count} to {page.count} at offset {visit.offset}", visit))
        expected = min(limit, max(count - visit.offset, 0))
        if page.size != expected:
            kind = "a gap" if page.size < expected else "an overflow"
            message = (
                f"{kind}: the page at offset {visit.offset} holds {page.size} tasks, expected {expected} "
                f"(limit {limit}, count {count})"
            )
            sizes.append(WalkProblem(message, visit))
        for index, task_id in enumerate(page.ids):
            position = visit.offset + index
            if task_id in seen:
                message = f"task {task_id!r} appears at position {seen[task_id]} and again at {position}"
                duplicates.append(WalkProblem(message, visit))
            else:
                seen[task_id] = position
    reachable = count if count <= offset_cap else min(count, visits[-1].offset + limit)
    problems: list[WalkProblem] = []
    if len(seen) != reachable:
        cap = "" if reachable == count else f" (the offset cap {offset_cap} lets a walk reach {reachable})"
        message = f"the pages hold {len(seen)} distinct tasks, but count is {count}{cap}"
        problems.append(WalkProblem(message, visits[-1]))
    for found in (changes, sizes, duplicates):
        problems += found[:MAX_REPORTED]
        if len(found) > MAX_REPORTED:
            problems.append(WalkProblem(f"... and {len(found) - MAX_REPORTED} more like the above", found[-1].visit))
    return problems


def walk_pages(
    fetch: Callable[[int], PageVisit], limit: int, offset_cap: int
) -> tuple[tuple[PageVisit, ...], list[WalkProblem]]:
    """Fetch the pages from offset 0 on, as many as the first page's `count` asks for, and judge them."""
    first = fetch(0)
    visits = [first]
    if first.error is None and first.status_code == 200 and first.page is not None:
        visits += [fetch(offset) for offset in next_offsets(limit, first.page.count, offset_cap)[1:]]
    return tuple(visits), find_walk_problems(visits, limit, offset_cap)


@dataclass(frozen=True)
class WalkPlan:
    """What the walk check should do in a run: the filters to walk with and where to log the walks."""

    operation: ListOperation
    filters: tuple[str | None, ...]
    log: WalkLog


@schemathesis.check
class pages_cover_count_without_duplicates:  # a check's name is its class name
    """Walking the pages of each filter at the largest page size yields `count` distinct tasks, no duplicates or gaps.

    Inert unless the run passes a `plan`; it starts from a request that succeeded during the run, so it carries
    the run's credentials and project.
    """

    def __init__(self, plan: WalkPlan | None = None) -> None:
        self.plan = plan
        self.template: Case | None = None

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        plan = self.plan
        if plan is None or self.template is not None or response.status_code != 200:
            return True
        if case.operation.path == plan.operation.path and requested_page(response.request.url or "", plan.operation):
            self.template = case
        return True

    def after_run(self, ctx: CheckContext) -> None:
        plan, template = self.plan, self.template
        if plan is None:
            return
        if template is None:
            plan.log.skipped = "no list request succeeded during the run, so there was no page to start from"
            raise AssertionError(plan.log.skipped)
        limit = plan.operation.limit.maximum
        failed: list[str] = []
        for status in plan.filters:
            visits, problems = walk_pages(self._fetcher(template, limit, status), limit, plan.operation.offset.maximum)
            walk = Walk(status=status, limit=limit, visits=visits, problems=tuple(problems))
            plan.log.add(walk)
            failed += [f"{walk.label}: {problem.message}" for problem in problems]
        if failed:
            raise AssertionError("; ".join(failed))

    def _fetcher(self, template: Case, limit: int, status: str | None) -> Callable[[int], PageVisit]:
        assert self.plan is not None
        operation = self.plan.operation

        def fetch(offset: int) -> PageVisit:
            query: dict[str, object] = {operation.limit.name: limit, operation.offset.name: offset}
            if status is not None:
                query["status"] = status
            try:
                response = template.derive(query=query, keep_auth=True).call()
            except requests.RequestException as exc:
                return PageVisit(offset=offset, status_code=0, page=None, error=f"{type(exc).__name__}: {exc}")
            page = parse_page(response.content) if response.status_code == 200 else None
            return PageVisit(
                offset=offset, status_code=response.status_code, page=page, request=SentRequest.of(response)
            )

        return fetch
