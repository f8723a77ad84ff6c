"""`DefaultAioHttpClient`: an `httpx.AsyncClient` that sends over aiohttp, for many requests in flight at once.

httpx's own async connection pool (httpcore) stops scaling past a few requests in flight (encode/httpx#3215);
aiohttp's does not, so an async walk with many pages in flight at cloud latency finishes sooner over it. Like
openai-python's class of the same name it is built on httpx-aiohttp: httpx still builds the request, runs auth,
applies timeouts and decodes the response; aiohttp only moves the bytes. Both come with the package's `aiohttp`
extra, and importing this module imports neither: only creating a client does.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Final

import httpx

from ._base_client import DEFAULT_TIMEOUT, USER_AGENT
from ._cookies import cookies_read_only_when_set
from ._spec import DISTRIBUTION_NAME
from .errors import MissingExtraError

EXTRA: Final = "aiohttp"
"""The optional-dependency group that brings aiohttp and httpx-aiohttp."""

INSTALL_HINT: Final = f"pip install '{DISTRIBUTION_NAME}[{EXTRA}]'"

DEFAULT_CONNECTION_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""httpx's own default: at most 100 connections (aiohttp's connector limit); idle ones expire after 5 s."""

TransportFactory = Callable[..., httpx.AsyncBaseTransport]


@functools.cache
def _aiohttp_transport_class() -> TransportFactory:
    """httpx-aiohttp's transport class, imported on first use (not cached when the import fails)."""
    try:
        module = importlib.import_module("httpx_aiohttp")
        importlib.import_module("aiohttp")
    except ImportError as exc:
        raise MissingExtraError(
            f"DefaultAioHttpClient needs the '{EXTRA}' extra, which is not installed ({exc}): {INSTALL_HINT}",
            name=exc.name,
        ) from exc
    transport_class: TransportFactory = module.AiohttpTransport
    return transport_class


def _aiohttp_limits(limits: httpx.Limits) -> httpx.Limits:
    """`limits` as httpx-aiohttp hands them to aiohttp: there `max_connections=None` would mean 100, 0 means none."""
    if limits.max_connections is not None:
        return limits
    return httpx.Limits(
        max_connections=0,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
    )


class DefaultAioHttpClient(httpx.AsyncClient):
    """An `httpx.AsyncClient` whose transport is aiohttp; pass it as `http_client=` to the async client.

    Takes `httpx.AsyncClient`'s arguments; defaults: the package's User-Agent and timeouts, and
    `DEFAULT_CONNECTION_LIMITS` (`limits.max_connections` caps aiohttp's connections; `keepalive_expiry` is how
    long an idle one is kept). Proxies from the environment are honoured, through aiohttp too. Create and close it
    in the event loop that uses it (`async with DefaultAioHttpClient() as http_client:`): the async client leaves
    an `http_client` it was given open. Raises `MissingExtraError` when the `aiohttp` extra is not installed.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._transport_class = _aiohttp_transport_class()
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        kwargs.setdefault("limits", DEFAULT_CONNECTION_LIMITS)
        kwargs.setdefault("headers", {"User-Agent": _user_agent()})
        super().__init__(**kwargs)
        cookies_read_only_when_set(self)

    def _init_transport(
        self,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_CONNECTION_LIMITS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> httpx.AsyncBaseTransport:
        if transport is not None:
            return transport
        return self._aiohttp_transport(limits, verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2)

    def _init_proxy_transport(
        self,
        proxy: httpx.Proxy,
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: httpx.Limits = DEFAULT_CONNECTION_LIMITS,
    ) -> httpx.AsyncBaseTransport:
        return self._aiohttp_transport(
            limits, verify=verify, cert=cert, trust_env=trust_env, http1=http1, http2=http2, proxy=proxy
        )

    def _aiohttp_transport(self, limits: httpx.Limits, **options: Any) -> httpx.AsyncBaseTransport:
        """httpx-aiohttp's transport with `options` (as httpx passes them), its errors translated."""
        return AioHttpTransport(self._transport_class(limits=_aiohttp_limits(limits), **options))


def _user_agent() -> str:
    aiohttp = importlib.import_module("aiohttp")
    return f"{USER_AGENT} aiohttp/{aiohttp.__version__}"


class AioHttpTransport(httpx.AsyncBaseTransport):
    """httpx-aiohttp's transport with every aiohttp error raised as the httpx error that means the same.

    httpx-aiohttp reports a refused or dropped connection as a connect timeout and lets a malformed response's
    aiohttp error through; here each becomes what httpx itself would raise, so the client's errors and retries
    mean the same over either transport.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with aiohttp_errors_translated(request):
            response = await self.inner.handle_async_request(request)
        response.stream = _TranslatedStream(response.stream, request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _TranslatedStream(httpx.AsyncByteStream):
    """A response body whose aiohttp errors (a connection dropped mid-body) are raised as httpx errors."""

    def __init__(self, stream: httpx.SyncByteStream | httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._stream, httpx.AsyncByteStream):  # pragma: no cover - the inner transport is async
            raise TypeError("the aiohttp transport returned a synchronous stream")
        with aiohttp_errors_translated(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        if isinstance(self._stream, httpx.AsyncByteStream):
            with aiohttp_errors_translated(self._request):
                await self._stream.aclose()


@functools.cache
def _error_table() -> tuple[tuple[type[BaseException], type[httpx.TransportError]], ...]:
    """aiohttp's errors, most specific first, with the httpx error each stands for."""
    aiohttp = importlib.import_module("aiohttp")
    return (
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
        (TimeoutError, httpx.ReadTimeout),
        (aiohttp.ClientProxyConnectionError, httpx.ProxyError),
        (aiohttp.ClientHttpProxyError, httpx.ProxyError),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.ClientConnectionError, httpx.ReadError),
        (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
        (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
        (aiohttp.ClientError, httpx.TransportError),
    )


@contextlib.contextmanager
def aiohttp_errors_translated(request: httpx.Request) -> Iterator[None]:
    """Raise an error of the aiohttp transport as the httpx error that means the same; any other error as it is.

    httpx-aiohttp translates some aiohttp errors itself, keeping the original as the cause: the original decides.
    """
    try:
        yield
    except Exception as exc:
        original = exc.__cause__ if isinstance(exc, httpx.TransportError) and exc.__cause__ is not None else exc
        for aiohttp_error, httpx_error in _error_table():
            if isinstance(original, aiohttp_error):
                raise httpx_error(str(original) or type(original).__name__, request=request) from original
        raise
