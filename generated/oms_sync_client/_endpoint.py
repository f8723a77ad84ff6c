"""Where requests go: the base URL given, or the spec's server URL for a region the spec lists."""

from __future__ import annotations

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
        raise ValidationError("base_url", f"must be an http:// or https:// URL, got {str(base_url)!r} ({exc})") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValidationError("base_url", f"must be an http:// or https:// URL with a host, got {str(base_url)!r}")
    if url.query or url.fragment:
        raise ValidationError("base_url", f"must not carry a query or a fragment, got {str(base_url)!r}")
    return url


def request_url(base_url: httpx.URL, path: str, query: Mapping[str, str | int]) -> httpx.URL:
    """The URL of a request: `path` (already encoded, e.g. `/v2/p/sync-tasks`) under the base URL's path, with the
    query encoded as httpx encodes `params=`. Built as one string and parsed once (this is on every call's path)."""
    encoded_query = str(httpx.QueryParams(query))
    base = str(base_url).rstrip("/")
    return httpx.URL(f"{base}/{path.lstrip('/')}" + (f"?{encoded_query}" if encoded_query else ""))
