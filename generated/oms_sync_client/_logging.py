"""The package's logger (`oms_sync_client`) and what it says about requests, with credentials redacted."""

from __future__ import annotations

import logging

import httpx

from ._urls import redacted_url

logger = logging.getLogger("oms_sync_client")
# The library's one handler, as the logging docs advise for libraries: with logging unconfigured, records are
# dropped instead of reaching Python's last-resort stderr handler; configured logging still receives them.
logger.addHandler(logging.NullHandler())

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "x-security-token", "proxy-authorization", "cookie"})


def redact_headers(headers: httpx.Headers) -> dict[str, str]:
    """The headers as a dict, with the values of credential-bearing headers replaced by a marker."""
    return {name: REDACTED if name in SECRET_HEADERS else value for name, value in headers.items()}


def log_exchange(request: httpx.Request, response: httpx.Response, elapsed: float) -> None:
    """One DEBUG line per answered request: method, URL, status, request id, elapsed time, redacted headers."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "%s %s -> %d (request id %s) in %.1f ms; request headers %s",
        request.method,
        redacted_url(request.url),
        response.status_code,
        response.headers.get("X-Request-Id", "unknown"),
        elapsed * 1000.0,
        redact_headers(request.headers),
    )


def log_retry(request: httpx.Request, reason: str, delay: float, retry: int, max_retries: int) -> None:
    """One INFO line per retry: why, after how long, and which retry of how many."""
    logger.info(
        "%s %s failed (%s); retry %d of %d in %.2f s",
        request.method,
        redacted_url(request.url),
        reason,
        retry,
        max_retries,
        delay,
    )
