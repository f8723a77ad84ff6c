"""Responses turned into models or errors: tolerant by default, strict on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx

from ._exceptions import REQUEST_ID_HEADER, map_exceptions
from ._model_base import OmsModel, find_deviations, unknown_values_unwarned
from ._retries import parse_retry_after
from .api.sync_tasks.list_sync_tasks import RESPONSE_MODELS, parse_response
from .errors import APIError, ResponseParseError, ResponseValidationError, error_class_for_status
from .models import ErrorResponse, ListSyncTasksResponse


def read_page(response: httpx.Response, *, strict: bool) -> ListSyncTasksResponse:
    """The page a successful response carries, or the error that stands for any other response.

    Tolerant (default): unknown fields and enum values are kept, and JSON strings holding a number or a boolean
    where the spec wants one ("5", "false") are read as that value; every other rule of the spec is enforced.
    Strict: any deviation from the spec, those included, is an error naming its JSON path.
    """
    if response.status_code != 200:
        raise api_error(response, strict=strict)
    with map_exceptions(response.request, response):
        page = _parse_strictly(200, response.content) if strict else parse_response(200, response.content)
    if not isinstance(page, ListSyncTasksResponse):  # only if the endpoint module and this one disagree
        raise ResponseParseError(
            "no model for HTTP 200", status_code=200, request_id=_request_id(response), body=response.content
        )
    if strict:
        _reject_deviations(page, response)
    return page


def api_error(response: httpx.Response, *, strict: bool) -> APIError | ResponseParseError:
    """The error for a non-200 response, carrying what its body says (read best effort unless strict).

    In strict mode the body of a status the spec documents must match its model; a mismatch is the error instead.
    """
    body: ErrorResponse | None = None
    if strict and response.status_code in RESPONSE_MODELS:
        with map_exceptions(response.request, response):
            parsed = _parse_strictly(response.status_code, response.content)
        if isinstance(parsed, ErrorResponse):
            _reject_deviations(parsed, response)
            body = parsed
    else:
        body = _lenient_error_body(response.content)
    retry_after = response.headers.get("Retry-After")
    error_class = error_class_for_status(response.status_code)
    return error_class(
        response.status_code,
        error_code=(body.error_code or None) if body else None,
        error_msg=(body.error_msg or None) if body else None,
        error_detail=_optional_str(body, "error_detail"),
        request_id=_request_id(response) or _optional_str(body, "request_id"),
        body=response.content,
        method=response.request.method,
        url=str(response.request.url),
        retry_after=parse_retry_after(retry_after, datetime.now(UTC)) if retry_after is not None else None,
    )


def _parse_strictly(status_code: int, content: bytes) -> OmsModel:
    """The body parsed into the model documented for the status, without coercing any JSON type."""
    with unknown_values_unwarned():  # an unknown value is an error here, found by find_deviations
        return RESPONSE_MODELS[status_code].model_validate_json(content, strict=True)


def _lenient_error_body(content: bytes) -> ErrorResponse | None:
    """The error body as well as it can be read; None for anything else, e.g. a proxy's HTML page."""
    try:
        return ErrorResponse.model_validate_json(content)
    except ValueError:  # pydantic.ValidationError is a ValueError
        pass
    try:  # an error body breaking the spec (say, an overlong message) still says what went wrong
        document = json.loads(content)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    known = ErrorResponse.model_fields
    fields = {key: value for key, value in document.items() if key in known and isinstance(value, str)}
    return ErrorResponse.model_construct(None, **{"error_code": "", "error_msg": "", **fields})


def _optional_str(body: ErrorResponse | None, field: str) -> str | None:
    value: object = getattr(body, field, None) if body is not None else None
    return value if isinstance(value, str) else None


def _request_id(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get(REQUEST_ID_HEADER)
    return value


def _reject_deviations(model: OmsModel, response: httpx.Response) -> None:
    deviations = find_deviations(model)
    if deviations:
        first = deviations[0]
        more = f" (and {len(deviations) - 1} more)" if len(deviations) > 1 else ""
        raise ResponseValidationError(
            first.path,
            first.message + more,
            status_code=response.status_code,
            request_id=_request_id(response),
            body=response.content,
        )
