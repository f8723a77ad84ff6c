"""The suite's semantic checks of the list operation, registered as schemathesis checks.

Each check raises AssertionError naming what it saw against what the spec promises, returns None when it
verified the response, and returns True when the response says nothing about its property (not counted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import schemathesis

from oms_contract.pages import Page, PageRequest, operation_of, parse_page, requested_page
from oms_contract.spec import REQUEST_ID_HEADER, ListOperation

if TYPE_CHECKING:
    from schemathesis import Case as GenericCase
    from schemathesis import CheckContext, Response

    Case = GenericCase[Any]

NOT_APPLICABLE = True
# A credential shorter than this is too likely to occur in a body by chance to be called an echo.
MIN_ECHO_LENGTH = 8


def _list_operation(case: Case) -> ListOperation | None:
    operation = operation_of(case.operation.schema.raw_schema)
    if case.operation.path != operation.path or case.operation.method.upper() != operation.method:
        return None
    return operation


def _page_exchange(response: Response, case: Case) -> tuple[ListOperation, PageRequest, Page] | None:
    """A 200 response of a valid list request, with what was asked and what came back."""
    operation = _list_operation(case)
    if operation is None or response.status_code != 200:
        return None
    request = requested_page(response.request.url or "", operation)
    page = parse_page(response.content)
    if request is None or page is None:
        return None
    return operation, request, page


def _describe_limit(request: PageRequest) -> str:
    return f"limit={request.limit}" if request.limit_sent else f"no limit (default {request.limit})"


@schemathesis.check
def page_size_within_limit(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """A page never holds more tasks than the limit asked for, or the default limit when none was sent."""
    exchange = _page_exchange(response, case)
    if exchange is None:
        return NOT_APPLICABLE
    _, request, page = exchange
    if page.size > request.limit:
        raise AssertionError(f"the page holds {page.size} tasks for {_describe_limit(request)}")
    return None


@schemathesis.check
def default_limit_honoured(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Without `limit`, a page holds the default number of tasks, or all that remain after `offset`."""
    exchange = _page_exchange(response, case)
    if exchange is None or exchange[1].limit_sent:
        return NOT_APPLICABLE
    _, request, page = exchange
    expected = min(request.limit, max(page.count - request.offset, 0))
    if page.size != expected:
        raise AssertionError(
            f"without limit the page should hold min(default {request.limit}, count {page.count} - offset "
            f"{request.offset}) = {expected} tasks, it holds {page.size}"
        )
    return None


@schemathesis.check
def status_filter_honoured(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """With a `status` filter, every task on the page has that status."""
    exchange = _page_exchange(response, case)
    if exchange is None or exchange[1].status is None:
        return NOT_APPLICABLE
    _, request, page = exchange
    wrong = [(index, status) for index, status in enumerate(page.statuses) if status != request.status]
    if wrong:
        index, status = wrong[0]
        raise AssertionError(
            f"status={request.status} was asked for, but {len(wrong)} of {page.size} tasks differ "
            f"(first: tasks[{index}].status = {status!r})"
        )
    return None


@schemathesis.check
def count_consistent_with_page(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """`count` covers the page (count >= offset + tasks), and a page before the end is not empty."""
    exchange = _page_exchange(response, case)
    if exchange is None:
        return NOT_APPLICABLE
    _, request, page = exchange
    if page.size and page.count < request.offset + page.size:
        raise AssertionError(
            f"count is {page.count}, but offset {request.offset} + {page.size} tasks on the page "
            f"= {request.offset + page.size}"
        )
    if not page.size and request.offset < page.count:
        raise AssertionError(f"count is {page.count}, yet the page at offset {request.offset} is empty")
    return None


def _header_values(response: Response, name: str) -> list[str]:
    return list(response.headers.get(name.lower(), []))


@schemathesis.check
def request_id_present(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Every response the spec documents with `X-Request-Id` carries a non-empty one."""
    operation = _list_operation(case)
    if operation is None or response.status_code not in operation.statuses_with_request_id:
        return NOT_APPLICABLE
    if not any(value.strip() for value in _header_values(response, REQUEST_ID_HEADER)):
        raise AssertionError(f"the {response.status_code} response has no {REQUEST_ID_HEADER} header")
    return None


@schemathesis.check
def error_body_has_code_and_message(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """An error response of a documented error status is a JSON object with the spec's error fields as strings."""
    operation = _list_operation(case)
    if operation is None or response.status_code not in operation.error_statuses:
        return NOT_APPLICABLE
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"the {response.status_code} error body is not JSON") from None
    if not isinstance(body, Mapping):
        raise AssertionError(f"the {response.status_code} error body is not a JSON object")
    problems = [
        f"{field} is {'missing' if field not in body else type(body[field]).__name__}"
        for field in operation.error_fields
        if not isinstance(body.get(field), str)
    ]
    if problems:
        raise AssertionError(f"the {response.status_code} error body: {', '.join(problems)}")
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
    if encoded in response.content or json.dumps(secret)[1:-1].encode() in response.content:
        return "the response body"
    for name, values in response.headers.items():
        if any(secret in value for value in values):
            return f"the {name} response header"
    return None


@schemathesis.check
class token_not_echoed:  # a check's name is its class name
    """No credential the suite sent (the configured token or secret, a request's signature) comes back."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(secret for secret in secrets if secret)

    def after_response(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        if _list_operation(case) is None:
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
    "status_filter_honoured",
    "count_consistent_with_page",
    "request_id_present",
    "error_body_has_code_and_message",
    "token_not_echoed",
)
