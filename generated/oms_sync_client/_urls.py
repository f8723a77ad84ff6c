"""Where requests go: the base URL given, or the spec's server URL for a region the spec lists."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import httpx

from ._spec import DEFAULT_REGION, REGIONS, SERVER_URL_TEMPLATE
from .errors import ValidationError


def resolve_base_url(base_url: str | httpx.URL | None, region: str | None) -> httpx.URL:
    """The base URL to send requests to; without either argument, the spec's default region."""
    if base_url is not None and region is not None:
        raise ValidationError("base_url", "and region are mutually exclusive: pass one of them")
    if base_url is not None:
        return _checked_base_url(base_url)
    chosen = DEFAULT_REGION if region is None else region
    if chosen not in REGIONS:
        raise ValidationError("region", f"must be one of {', '.join(REGIONS)}, got {chosen!r}", limit=tuple(REGIONS))
    return httpx.URL(SERVER_URL_TEMPLATE.replace("{region}", chosen))


def _checked_base_url(base_url: str | httpx.URL) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValidationError(
            "base_url", f"must be an http:// or https:// URL, got {_shown(base_url)!r} ({exc})"
        ) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValidationError("base_url", f"must be an http:// or https:// URL with a host, got {redacted_url(url)!r}")
    if url.query or url.fragment:
        raise ValidationError("base_url", f"must not carry a query or a fragment, got {redacted_url(url)!r}")
    return url


def _shown(base_url: object) -> str:
    """A base URL that did not parse, as a message may show it: anything before an `@` hidden."""
    text = str(base_url)
    scheme, separator, rest = text.partition("://")
    if "@" in rest.split("/", 1)[0]:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}{separator}{rest}" if separator else text


def request_url(base_url: httpx.URL, path: str, query: Mapping[str, str | int | float]) -> httpx.URL:
    """The URL of a request: `path` (already encoded, e.g. `/v2/p/sync-tasks`) under the base URL's path, with the
    query encoded as httpx encodes `params=`. Built as one string and parsed once (this is on every call's path)."""
    encoded_query = encode_query(query)
    base = str(base_url).rstrip("/")
    return _parsed_url(f"{base}/{path.lstrip('/')}" + (f"?{encoded_query}" if encoded_query else ""))


# Text that httpx's percent-encoding of query keys and values leaves as it is (its unreserved characters).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*").fullmatch


def encode_query(query: Mapping[str, str | int | float]) -> str:
    """`str(httpx.QueryParams(query))`, without its encoding machinery when no key or value needs escaping."""
    parts: list[str] = []
    for key, value in query.items():
        if type(value) is int:
            text = str(value)
        elif type(value) is str and _UNRESERVED(value):
            text = value
        else:
            return str(httpx.QueryParams(query))
        if not _UNRESERVED(key):
            return str(httpx.QueryParams(query))
        parts.append(f"{key}={text}")
    return "&".join(parts)


@functools.lru_cache(maxsize=512)
def _parsed_url(text: str) -> httpx.URL:
    """`httpx.URL(text)`, remembered: parsing costs more than the rest of building a request, and calls repeat
    (polling one page, walking the same pages again). `httpx.URL` is immutable, so sharing one is safe."""
    return httpx.URL(text)


def redacted_url(url: httpx.URL | str) -> str:
    """The URL as messages, reprs and logs show it: credentials in it (`user:password@`) replaced by `***`."""
    parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
    if not parsed.userinfo:
        return str(parsed)
    return str(parsed.copy_with(userinfo=b"***"))  # (username= would be percent-encoded by httpx < 0.28)
