"""Responses turned into models or errors: tolerant by default, strict on request."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from ._endpoint import Endpoint, ResultT
from ._exceptions import REQUEST_ID_HEADER, map_exceptions
from ._model_base import OmsModel, find_deviations, unknown_values_unwarned
from ._retries import parse_retry_after
from ._tolerance import validate_json_tolerantly
from ._urls import redacted_url
from .errors import (
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ResponseValidationError,
    ServerError,
)

ModelT = TypeVar("ModelT", bound=OmsModel)

ERROR_BODY_FIELDS = ("error_code", "error_msg", "error_detail", "request_id")
"""The fields of the service's error bodies (OMS and its API gateway) an `APIError` carries."""

_ERROR_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """The APIError subclass that stands for an error status."""
    if 500 <= status_code <= 599:
        return ServerError
    return _ERROR_CLASSES.get(status_code, APIStatusError)


def read_result(endpoint: Endpoint[Any, ResultT], response: httpx.Response, *, strict: bool) -> ResultT:
    """What a successful response carries, as the operation's generated parser reads it; any other response is
    raised as the error that stands for it."""
    if response.status_code in endpoint.success_statuses:
        return endpoint.parse_success(response, strict)
    raise api_error(endpoint, response, strict=strict)


def read_model(model: type[ModelT], response: httpx.Response, *, strict: bool) -> ModelT:
    """The body of `response` as `model`.

    Tolerant (default): unknown fields and enum values are kept, a null where the spec allows none reads as
    None, JSON strings holding a number or a boolean where the spec wants one ("5", "false") are read as that
    value, and a value breaking a length, pattern or range limit is kept with a warning (`_tolerance`); a wrong
    JSON type or a missing required field is an error. Strict: any deviation from the spec is an error naming
    its JSON path.
    """
    with map_exceptions(response.request, response):
        if not strict:
            return validate_json_tolerantly(model, response.content)
        with unknown_values_unwarned():  # an unknown value is an error here, found by find_deviations
            parsed = model.model_validate_json(response.content, strict=True)
    _reject_deviations(parsed, response)
    return parsed


def api_error(endpoint: Endpoint[Any, Any], response: httpx.Response, *, strict: bool) -> APIError | ResponseParseError:
    """The error for a response that is not a success, carrying what its body says (read best effort unless strict).

    In strict mode the body of a status the spec documents must match its model; a mismatch is the error instead.
    """
    model = endpoint.error_models.get(response.status_code)
    if strict and model is not None:
        fields = read_model(model, response, strict=True).model_dump(mode="json")
    else:
        fields = _lenient_error_fields(response.content)
    retry_after = response.headers.get("Retry-After")
    error_class = error_class_for_status(response.status_code)
    return error_class(
        response.status_code,
        error_code=_text(fields, "error_code"),
        error_msg=_text(fields, "error_msg"),
        error_detail=_text(fields, "error_detail"),
        request_id=response.headers.get(REQUEST_ID_HEADER) or _text(fields, "request_id"),
        body=response.content,
        method=response.request.method,
        url=redacted_url(response.request.url),
        retry_after=parse_retry_after(retry_after, datetime.now(UTC)) if retry_after is not None else None,
    )


def _lenient_error_fields(content: bytes) -> dict[str, Any]:
    """The error body's fields as well as they can be read; empty for anything else, e.g. a proxy's HTML page."""
    try:
        document = json.loads(content)
    except ValueError:
        return {}
    if not isinstance(document, dict):
        return {}
    return {key: document[key] for key in ERROR_BODY_FIELDS if key in document}


def _text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    return value if isinstance(value, str) and value else None


def _reject_deviations(model: OmsModel, response: httpx.Response) -> None:
    deviations = find_deviations(model)
    if deviations:
        first = deviations[0]
        more = f" (and {len(deviations) - 1} more)" if len(deviations) > 1 else ""
        raise ResponseValidationError(
            first.path,
            first.message + more,
            status_code=response.status_code,
            request_id=response.headers.get(REQUEST_ID_HEADER),
            body=response.content,
        )
