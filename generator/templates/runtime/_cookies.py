"""Cookies read from a response only when it sets any.

httpx hands every response to `http.cookiejar`, which wraps it and its request in urllib objects before finding
no `Set-Cookie` header: about 8% of the client's CPU time in an async page walk (cProfile of bench 6). The
service sets no cookies; one that does still has them kept, exactly as httpx would.
"""

from __future__ import annotations

from typing import TypeVar

import httpx

HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


class ResponseCookies(httpx.Cookies):
    """httpx's cookies, skipping the cookie jar for a response without a `Set-Cookie` header."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


def cookies_read_only_when_set(client: HttpClientT) -> HttpClientT:
    """`client` (one the package creates) with its cookies kept in a `ResponseCookies`; returns it."""
    client._cookies = ResponseCookies(client.cookies)  # httpx's setter would wrap them back into plain Cookies
    return client
