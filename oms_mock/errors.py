"""Error bodies in the service's shapes (OMS and API gateway) and the JSON response helpers every reply uses."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import orjson
from starlette.types import Send

JSON_CONTENT_TYPE = b"application/json"

#: OMS: a request parameter breaks the spec (400).
INVALID_PARAMETERS = ("OMS.0064", "Invalid request parameters.")
#: OMS: a lookup found nothing (404).
NOT_FOUND = ("OMS.1009", "No resources found.")
#: API gateway: missing or wrong IAM token or AK/SK signature (401).
BAD_CREDENTIALS = ("APIG.0301", "Incorrect IAM authentication information.")
#: API gateway: no such API (404).
NO_SUCH_API = ("APIG.0101", "The API does not exist or has not been published in the environment.")
#: API gateway: throttled (429), used by fault injection.
THROTTLED = ("APIG.0308", "The request is throttled.")
#: Mock-specific codes (the service documents none for these cases).
METHOD_NOT_ALLOWED = ("MOCK.0405", "Method not allowed.")
INJECTED_500 = ("MOCK.0500", "Internal server error (injected by oms-mock).")
INJECTED_503 = ("MOCK.0503", "Service unavailable (injected by oms-mock).")


def new_request_id() -> str:
    """A fresh request id: 32 hex digits, like the gateway's."""
    return secrets.token_hex(16)


def oms_error(code: tuple[str, str], detail: str | None = None) -> bytes:
    """An OMS error body: `error_code`, `error_msg` and, when given, `error_detail`."""
    body = {"error_code": code[0], "error_msg": code[1]}
    if detail is not None:
        body["error_detail"] = detail
    return orjson.dumps(body)


def gateway_error(code: tuple[str, str], request_id: str, detail: str | None = None) -> bytes:
    """An API gateway error body: `error_code`, `error_msg` (with detail appended) and `request_id`."""
    message = f"{code[1]} {detail}" if detail else code[1]
    return orjson.dumps({"error_code": code[0], "error_msg": message, "request_id": request_id})


async def send_json(
    send: Send,
    status: int,
    body: bytes,
    request_id: str,
    extra_headers: Iterable[tuple[bytes, bytes]] = (),
    *,
    head: bool = False,
    content_type: bytes | None = JSON_CONTENT_TYPE,
) -> None:
    """Send a complete response carrying `X-Request-Id` (headers only for HEAD; no content type for no body)."""
    headers = [(b"content-length", str(len(body)).encode()), (b"x-request-id", request_id.encode())]
    if content_type is not None:
        headers.append((b"content-type", content_type))
    if extra_headers:
        headers.extend(extra_headers)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
