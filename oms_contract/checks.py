"""The suite's semantic checks of each response, registered as schemathesis checks; they apply to every operation.

Each check raises AssertionError naming what it saw against what the spec promises, returns None when it
verified the response, and returns True when the response says nothing about its property (not counted).
The paging checks apply to each paginated operation, `filter_honoured` to each of its filter parameters; the
request-id, error-body and echo checks to every operation, by what its responses document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import schemathesis

from oms_contract.error_bodies import error_body_problem
from oms_contract.pages import Page, PageRequest, parse_page, requested_page
from oms_contract.query_values import same_value, to_wire
from oms_contract.spec import OperationFacts, Paging, contract_of

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

NOT_APPLICABLE = True
# A credential shorter than this is too likely to occur in a body by chance to be called an echo.
MIN_ECHO_LENGTH = 8
_MISSING = object()


def facts_of(case: Case) -> OperationFacts | None:
    """The spec's facts of the operation a case calls; None for a method or path the spec does not declare."""
    return contract_of(case.operation.schema.raw_schema).facts_for(case.method, case.operation.path)


def _page_exchange(response: Response, case: Case) -> tuple[Paging, PageRequest, Page] | None:
    """A success response of a valid request to a paginated operation, with what was asked and what came back."""
    facts = facts_of(case)
    if facts is None or facts.paging is None or not 200 <= response.status_code < 300:
        return None
    request = requested_page(response.request.url or "", facts.paging)
    page = parse_page(response.content, facts.paging)
    if request is None or page is None:
        return None
    return facts.paging, request, page


def _describe_limit(paging: Paging, request: PageRequest) -> str:
    if request.limit_sent:
        return f"{paging.limit}={request.limit}"
    return f"no {paging.limit} (default {request.limit})"


@schemathesis.check
def page_size_within_limit(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """A page never holds more items than the limit asked for, or the default limit when none was sent."""
    exchange = _page_exchange(response, case)
    if exchange is None:
        return NOT_APPLICABLE
    paging, request, page = exchange
    if page.size > request.limit:
        raise AssertionError(f"the page holds {page.size} {paging.items} for {_describe_limit(paging, request)}")
    return None


@schemathesis.check
def default_limit_honoured(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Without a limit, a page holds the default number of items, or all that remain after the offset."""
    exchange = _page_exchange(response, case)
    if exchange is None or exchange[1].limit_sent or exchange[0].limit_default is None:
        return NOT_APPLICABLE
    paging, request, page = exchange
    expected = min(request.limit, max(page.total - request.offset, 0))
    if page.size != expected:
        raise AssertionError(
            f"without {paging.limit} the page should hold min(default {request.limit}, {paging.total} {page.total} "
            f"- {paging.offset} {request.offset}) = {expected} {paging.items}, it holds {page.size}"
        )
    return None


@schemathesis.check
def filter_honoured(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """With a filter `<param>=<value>`, every item on the page has `<param>` equal to the value (typed)."""
    exchange = _page_exchange(response, case)
    if exchange is None or not exchange[1].filters:
        return NOT_APPLICABLE
    paging, request, page = exchange
    for name, value in request.filters:
        wrong = [
            (index, item.get(name, _MISSING))
            for index, item in enumerate(page.items)
            if not same_value(item.get(name, _MISSING), value)
        ]
        if wrong:
            index, found = wrong[0]
            shown = "missing" if found is _MISSING else json.dumps(found)
            raise AssertionError(
                f"{name}={to_wire(value)} was asked for, but {len(wrong)} of {page.size} {paging.items} differ "
                f"(first: {paging.items}[{index}].{name} = {shown})"
            )
    return None


@schemathesis.check
def count_consistent_with_page(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """The total covers the page (total >= offset + items), and a page before the end is not empty."""
    exchange = _page_exchange(response, case)
    if exchange is None:
        return NOT_APPLICABLE
    paging, request, page = exchange
    if page.size and page.total < request.offset + page.size:
        raise AssertionError(
            f"{paging.total} is {page.total}, but {paging.offset} {request.offset} + {page.size} {paging.items} "
            f"on the page = {request.offset + page.size}"
        )
    if not page.size and request.offset < page.total:
        raise AssertionError(
            f"{paging.total} is {page.total}, yet the page at {paging.offset} {request.offset} is empty"
        )
    return None


@schemathesis.check
def request_id_present(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every response whose documented status declares a request-id header carries a non-empty one."""
    facts = facts_of(case)
    header = facts.request_id_header(response.status_code) if facts is not None else None
    if header is None:
        return NOT_APPLICABLE
    if not any(value.strip() for value in response.headers.get(header.lower(), [])):
        raise AssertionError(f"the {response.status_code} response has no {header} header")
    return None


@schemathesis.check
def error_body_has_code_and_message(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """An error response of a documented error status is a JSON object with the error fields the status documents."""
    facts = facts_of(case)
    expected = facts.error_body(response.status_code) if facts is not None else None
    if expected is None:
        return NOT_APPLICABLE
    problem = error_body_problem(response.status_code, response.content, expected)
    if problem is not None:
        raise AssertionError(problem)
    return None


def _signature_of(authorization: str) -> str | None:
    _, found, rest = authorization.partition("Signature=")
    if not found:
        return None
    return rest.split(",")[0].strip() or None


def _request_signature(response: Response) -> str | None:
    """The signature a signed request carried, if any."""
    return _signature_of(str(response.request.headers.get("Authorization", "")))


def _echo_location(response: Response, secret: str) -> str | None:
    encoded = secret.encode()
    if encoded in response.content or _json_escaped(secret).encode() in response.content:
        return "the response body"
    for name, values in response.headers.items():
        if any(secret in value for value in values):
            return f"the {name} response header"
    return None


def _json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


@schemathesis.check
class token_not_echoed:  # a check's name is its class name
    """No credential the suite sent (the configured token or secret, a request's signature) comes back."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(secret for secret in secrets if secret)

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if facts_of(case) is None:
            return NOT_APPLICABLE
        candidates = [("a configured credential", secret) for secret in self.secrets]
        signature = _request_signature(response)
        if signature is not None:
            candidates.append(("the request signature", signature))
        for label, secret in candidates:
            if len(secret) < MIN_ECHO_LENGTH:
                continue
            where = _echo_location(response, secret)
            if where is not None:
                raise AssertionError(f"{label} ({len(secret)} characters) is echoed in {where}")
        return None


SEMANTIC_CHECKS = (
    "page_size_within_limit",
    "default_limit_honoured",
    "filter_honoured",
    "count_consistent_with_page",
    "request_id_present",
    "error_body_has_code_and_message",
    "token_not_echoed",
)
#: The checks that judge pages, and so apply only when the spec has a paginated operation.
PAGING_CHECKS = ("page_size_within_limit", "default_limit_honoured", "count_consistent_with_page")
