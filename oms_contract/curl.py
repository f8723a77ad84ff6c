"""Curl lines that reproduce a request, with credentials replaced by a shell variable and generator noise left out.

A signed request is shown with a token instead of its expired signature; `oms-contract replay` re-signs recorded
requests for teams that have only AK/SK (see `oms_contract.replay`).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from urllib.parse import unquote_plus, urlsplit, urlunsplit

TOKEN_VARIABLE = "$OMS_AUTH_TOKEN"
REDACTED = "[redacted]"
# Shorter values are test stand-ins, not secrets; replacing them everywhere would garble the text around them.
MIN_REDACTED_LENGTH = 8
# Headers `requests` and schemathesis add on their own; a reproduction does not need them.
_TRANSPORT_HEADERS = frozenset({"user-agent", "accept-encoding", "accept", "connection", "content-length"})
# A signature expires within minutes, so a signed request is reproduced with a token instead.
_SIGNING_HEADERS = frozenset({"authorization", "x-sdk-date"})
# Query parameters schemathesis invents to see whether undeclared ones are tolerated.
GENERATOR_PREFIX = "x-schemathesis-"


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every occurrence of each secret (of at least MIN_REDACTED_LENGTH characters) replaced."""
    for secret in sorted((s for s in secrets if len(s) >= MIN_REDACTED_LENGTH), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def without_generator_noise(url: str) -> str:
    """The URL without the query parameters schemathesis invents (`x-schemathesis-unknown-property=42`)."""
    parts = urlsplit(url)
    if GENERATOR_PREFIX not in unquote_plus(parts.query).lower():
        return url
    kept = [
        pair
        for pair in parts.query.split("&")
        if not unquote_plus(pair.partition("=")[0]).lower().startswith(GENERATOR_PREFIX)
    ]
    return urlunsplit(parts._replace(query="&".join(kept)))


def _token_option(header: str) -> str:
    # Double quotes, so the shell expands the variable.
    return f'-H "{header}: {TOKEN_VARIABLE}"'


def curl_line(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    *,
    token_header: str | None,
    secrets: Sequence[str] = (),
    keep_generator_noise: bool = False,
    body: bytes | None = None,
) -> str:
    """A curl command sending the same method, URL and meaningful headers; the configured token becomes a variable.

    Query parameters schemathesis invents are left out unless `keep_generator_noise` (the request is about them).
    """
    headers = list(headers)
    if not keep_generator_noise:
        url = without_generator_noise(url)
    signed = any(name.lower() == "authorization" and value.startswith("SDK-HMAC-") for name, value in headers)
    netloc = urlsplit(url).netloc
    options = ["curl", "-X", shlex.quote(method)]
    for name, value in headers:
        lower = name.lower()
        if lower in _TRANSPORT_HEADERS or lower.startswith(GENERATOR_PREFIX):
            continue
        if (lower == "host" and value == netloc) or (signed and lower in _SIGNING_HEADERS):
            continue
        if token_header is not None and lower == token_header.lower() and value in secrets:
            options.append(_token_option(name))
        else:
            options += ["-H", shlex.quote(f"{name}: {value}")]
    if signed and token_header is not None:
        options.append(_token_option(token_header))
    if body:
        options += ["--data-binary", shlex.quote(body.decode("utf-8", "replace"))]
    options.append(shlex.quote(url))
    return redact(" ".join(options), secrets)
