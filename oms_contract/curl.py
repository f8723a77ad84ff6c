"""Curl lines that reproduce a request, with credentials replaced by a shell variable."""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

TOKEN_VARIABLE = "$OMS_AUTH_TOKEN"
REDACTED = "[redacted]"
# Shorter values are test stand-ins, not secrets; replacing them everywhere would garble the text around them.
MIN_REDACTED_LENGTH = 8
# Headers `requests` and schemathesis add on their own; a reproduction does not need them.
_TRANSPORT_HEADERS = frozenset({"user-agent", "accept-encoding", "accept", "connection", "content-length"})
# A signature expires within minutes, so a signed request is reproduced with a token instead.
_SIGNING_HEADERS = frozenset({"authorization", "x-sdk-date"})


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every occurrence of each secret (of at least MIN_REDACTED_LENGTH characters) replaced."""
    for secret in sorted((s for s in secrets if len(s) >= MIN_REDACTED_LENGTH), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


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
) -> str:
    """A curl command sending the same method, URL and meaningful headers; the configured token becomes a variable."""
    headers = list(headers)
    signed = any(name.lower() == "authorization" and value.startswith("SDK-HMAC-") for name, value in headers)
    netloc = urlsplit(url).netloc
    options = ["curl", "-X", shlex.quote(method)]
    for name, value in headers:
        lower = name.lower()
        if lower in _TRANSPORT_HEADERS or lower.startswith("x-schemathesis"):
            continue
        if (lower == "host" and value == netloc) or (signed and lower in _SIGNING_HEADERS):
            continue
        if token_header is not None and lower == token_header.lower() and value in secrets:
            options.append(_token_option(name))
        else:
            options += ["-H", shlex.quote(f"{name}: {value}")]
    if signed and token_header is not None:
        options.append(_token_option(token_header))
    options.append(shlex.quote(url))
    return redact(" ".join(options), secrets)
