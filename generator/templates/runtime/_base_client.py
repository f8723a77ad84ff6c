"""The clients' shared machinery: settings, credentials, validated arguments, the send loops and page walks.

`BaseClient` holds what both clients share (construction, `from_env`, per-call settings, turning arguments into
a request); only the send loop exists twice, in `SyncAPIClient` and `AsyncAPIClient`. The generated
`OmsClient` and `AsyncOmsClient` add one method per operation of the spec on top; nothing here knows one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar

import httpx

from ._auth import credentials_auth
from ._cookies import cookies_read_only_when_set
from ._deprecation import warn_if_deprecated
from ._endpoint import Endpoint, ItemT, PageT, Pagination, ParamsT, ResultT
from ._environment import read_env
from ._exceptions import map_exceptions
from ._httpcore_workaround import skip_repeated_sniffio_imports
from ._logging import log_exchange, log_retry
from ._pagination import AsyncItemIterator, ItemIterator, WalkProgress, aiterate_items, checked_start, iterate_items
from ._responses import read_result
from ._retries import (
    DEFAULT_MAX_RETRIES,
    Backoff,
    checked_max_retries,
    delay_after_bad_body,
    delay_after_error,
    delay_after_response,
)
from ._signing import SdkHmacSha256Auth
from ._spec import DISTRIBUTION_NAME, SPEC_VERSION
from ._urls import redacted_url, request_url, resolve_base_url
from ._validation import JSON_CONTENT_TYPE, body_content, validate_params
from .errors import APIConnectionError, ClientClosedError, EventLoopError, ResponseParseError, ValidationError

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
"""Connect within 10 s; each read, each write and waiting for a pooled connection within 30 s."""

DEFAULT_MAX_CONCURRENCY: Final = 16
"""Pages the async iterators fetch at once after the first page (chosen by measurement: bench/RESULTS.md, 6)."""

USER_AGENT: Final = f"{DISTRIBUTION_NAME}/{SPEC_VERSION} httpx/{httpx.__version__}"

PROJECT_HEADER: Final = "X-Project-Id"
"""The API gateway scopes AK/SK calls by this (signed) header."""

# Indirections the tests replace to observe waits without waiting.
_sleep = time.sleep
_async_sleep = asyncio.sleep

_SPENT_STREAM: Final = httpx.ByteStream(b"")
"""A read response's stream: httpx's own refers back to its response, a reference cycle that keeps every body
alive until the cyclic garbage collector runs (a walk would hold ten pages where it needs one)."""

HttpxClientT = TypeVar("HttpxClientT", httpx.Client, httpx.AsyncClient)


class NotGiven:
    """The type of `NOT_GIVEN`: "use the client's setting" where None has a meaning of its own."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutArg = float | httpx.Timeout | None


@dataclasses.dataclass(frozen=True, slots=True)
class CallSettings:
    """The settings one call runs with: the client's, or the call's overrides."""

    timeout: httpx.Timeout
    max_retries: int
    strict: bool


class BaseClient(Generic[HttpxClientT]):
    """Settings, credentials and request building shared by the synchronous and the asynchronous client.

    Pass `base_url=` or `region=` (default: the spec's default region), a default `project_id`, and
    credentials: `token=` (an IAM token), `ak=` and `sk=` (AK/SK signing), or any `httpx.Auth` as `auth=`.
    Timeouts default to `DEFAULT_TIMEOUT`; failed attempts are retried `max_retries` times (see `Backoff`);
    `strict=True` rejects any deviation of a response from the spec.
    """

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        region: str | None = None,
        project_id: str | None = None,
        token: str | None = None,
        ak: str | None = None,
        sk: str | None = None,
        security_token: str | None = None,
        auth: httpx.Auth | None = None,
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: HttpxClientT | None = None,
    ) -> None:
        self.base_url: httpx.URL = resolve_base_url(base_url, region)
        self.project_id = project_id
        self.settings = CallSettings(
            _checked_timeout(timeout), checked_max_retries(max_retries), _checked_strict(strict)
        )
        self.backoff = backoff if backoff is not None else Backoff()
        self.auth: httpx.Auth = credentials_auth(token, ak, sk, security_token, auth)
        # Headers an auth object wants on every request are set when the request is built (no auth flow to run).
        self._static_headers: Mapping[str, str] | None = getattr(self.auth, "static_headers", None)
        self._signs = isinstance(self.auth, SdkHmacSha256Auth)
        self._owns_http = http_client is None
        self._closed = False
        self._http: HttpxClientT = http_client if http_client is not None else self._default_http_client()

    @classmethod
    def from_env(
        cls,
        *,
        project_id: str | None = None,
        base_url: str | httpx.URL | None = None,
        region: str | None = None,
        profile: str | None = None,
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: HttpxClientT | None = None,
    ) -> Self:
        """A client configured by the environment (see `_environment` for every source and its order).

        The endpoint comes from OMS_ENDPOINT or OMS_REGION, the project from OMS_PROJECT_ID (or the vendor SDK's
        HUAWEICLOUD_SDK_PROJECT_ID), credentials from OMS_AUTH_TOKEN, CLOUD_SDK_AK/SK, HUAWEICLOUD_SDK_AK/SK
        (with HUAWEICLOUD_SDK_SECURITY_TOKEN) or the vendor's credentials file (its `profile` section, default
        `basic`). `project_id`, `base_url` and `region` given here win over the environment.
        """
        env = read_env(os.environ, profile=profile)
        if base_url is not None or region is not None:
            env = dataclasses.replace(env, base_url=None, region=None)
        return cls(
            base_url=base_url if base_url is not None else env.base_url,
            region=region if region is not None else env.region,
            project_id=project_id if project_id is not None else env.project_id,
            token=env.token,
            ak=env.ak,
            sk=env.sk,
            security_token=env.security_token,
            timeout=timeout,
            max_retries=max_retries,
            strict=strict,
            backoff=backoff,
            http_client=http_client,
        )

    def _default_http_client(self) -> HttpxClientT:
        raise NotImplementedError

    @property
    def timeout(self) -> httpx.Timeout:
        """The timeout of every call that does not set its own."""
        return self.settings.timeout

    @timeout.setter
    def timeout(self, timeout: TimeoutArg) -> None:
        self.settings = dataclasses.replace(self.settings, timeout=_checked_timeout(timeout))

    @property
    def max_retries(self) -> int:
        """Retries after a failed attempt, for every call that does not set its own."""
        return self.settings.max_retries

    @max_retries.setter
    def max_retries(self, max_retries: int) -> None:
        self.settings = dataclasses.replace(self.settings, max_retries=checked_max_retries(max_retries))

    @property
    def strict(self) -> bool:
        """Whether responses must match the spec exactly, for every call that does not say otherwise."""
        return self.settings.strict

    @strict.setter
    def strict(self, strict: bool) -> None:
        self.settings = dataclasses.replace(self.settings, strict=_checked_strict(strict))

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(base_url={redacted_url(self.base_url)!r}, project_id={self.project_id!r}, auth={self.auth!r})"

    def _call_settings(
        self, timeout: TimeoutArg | NotGiven, max_retries: int | None, strict: bool | None
    ) -> CallSettings:
        """The client's settings with the call's overrides."""
        if isinstance(timeout, NotGiven) and max_retries is None and strict is None:
            return self.settings
        return CallSettings(
            self.settings.timeout if isinstance(timeout, NotGiven) else _checked_timeout(timeout),
            self.settings.max_retries if max_retries is None else checked_max_retries(max_retries),
            self.settings.strict if strict is None else _checked_strict(strict),
        )

    def _params(
        self, endpoint: Endpoint[ParamsT, Any], values: dict[str, object], names: Mapping[str, str] | None = None
    ) -> ParamsT:
        """The validated arguments of a call (None means "not given"); the project defaults to the client's."""
        warn_if_deprecated(endpoint, values)
        project = endpoint.project_argument
        if project is not None and values.get(project.name) is None:
            if self.project_id is None:
                raise ValidationError(
                    project.name, "is required: pass it to the call or to the client (or set OMS_PROJECT_ID)"
                )
            values[project.name] = self.project_id
        return validate_params(endpoint.params_model, values, names)

    def _request_kwargs(
        self, endpoint: Endpoint[ParamsT, Any], params: ParamsT, content: bytes | None = None
    ) -> dict[str, Any]:
        """The arguments of `build_request` for validated arguments (and body): the URL absolute and complete."""
        parts = endpoint.build_request(params)
        headers = parts.headers
        for name, value in headers.items():
            if not (value.isascii() and value.isprintable()):
                argument = next((a.name for a in endpoint.arguments if a.wire_name == name), name)
                raise ValidationError(argument, f"must contain only printable ASCII characters to be sent in {name}")
        if self._static_headers is not None:
            headers.update(self._static_headers)
        project = endpoint.project_argument
        if self._signs and project is not None:
            headers[PROJECT_HEADER] = getattr(params, project.name)
        url = request_url(self.base_url, parts.path, parts.query)
        if content is None:
            return {"method": parts.method, "url": url, "headers": headers}
        headers["Content-Type"] = JSON_CONTENT_TYPE
        return {"method": parts.method, "url": url, "headers": headers, "content": content}

    def _walk_start(
        self,
        endpoint: Endpoint[ParamsT, Any],
        pagination: Pagination[Any, Any],
        values: dict[str, object],
        page_size: int | None,
        start_offset: int,
    ) -> tuple[ParamsT, WalkProgress]:
        """The arguments of a walk's requests (`page_size`, default the largest page, is the limit) and its progress.

        Everything is checked now, before the first request, header values included.
        """
        values[pagination.limit] = page_size if page_size is not None else pagination.limit_maximum
        values[pagination.offset] = 0
        params = self._params(endpoint, values, names={pagination.limit: "page_size"})
        self._request_kwargs(endpoint, params)
        size: int = getattr(params, pagination.limit)
        return params, WalkProgress(start=checked_start(start_offset, size, pagination))

    def _send_auth(self) -> httpx.Auth | None:
        """The auth the transport runs per request (None when its headers are already on the request)."""
        return None if self._static_headers is not None else self.auth


class SyncAPIClient(BaseClient[httpx.Client]):
    """The synchronous send loop and page walk; use as a context manager, or call `close()`."""

    def _default_http_client(self) -> httpx.Client:
        return cookies_read_only_when_set(httpx.Client(headers={"User-Agent": USER_AGENT}))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`); later calls raise
        ClientClosedError."""
        self._closed = True
        if self._owns_http:
            self._http.close()

    def _call(
        self,
        endpoint: Endpoint[ParamsT, ResultT],
        values: dict[str, object],
        timeout: TimeoutArg | NotGiven,
        max_retries: int | None,
        strict: bool | None,
        body: object = None,
    ) -> ResultT:
        settings = self._call_settings(timeout, max_retries, strict)
        params = self._params(endpoint, values)
        return self._send(endpoint, params, settings, body_content(endpoint, body))

    def _send(
        self,
        endpoint: Endpoint[ParamsT, ResultT],
        params: ParamsT,
        settings: CallSettings,
        content: bytes | None = None,
    ) -> ResultT:
        if self._closed or self._http.is_closed:
            raise ClientClosedError(f"{type(self).__name__} was closed; create a new client to send requests")
        kwargs = self._request_kwargs(endpoint, params, content)
        auth = self._send_auth()
        retries_taken = 0
        while True:
            request = self._http.build_request(**kwargs, timeout=settings.timeout)
            started = time.perf_counter()
            try:
                with map_exceptions(request):
                    response = self._http.send(request, auth=auth, stream=True)
                with map_exceptions(request, response):  # a body that cannot be decoded is the response's fault
                    try:
                        response.read()
                    finally:
                        response.close()
                        response.stream = _SPENT_STREAM
            except APIConnectionError as error:
                delay = delay_after_error(self.backoff, error, retries_taken, settings.max_retries, request.method)
                if delay is None:
                    raise
                reason = str(error)
            else:
                log_exchange(request, response, time.perf_counter() - started)
                delay = delay_after_response(self.backoff, response, retries_taken, settings.max_retries)
                reason = f"HTTP {response.status_code}"
                if delay is None:
                    try:
                        return read_result(endpoint, response, strict=settings.strict)
                    except ResponseParseError as error:
                        delay = delay_after_bad_body(
                            self.backoff, request, response, error, retries_taken, settings.max_retries
                        )
                        if delay is None:
                            raise
                        reason = f"HTTP {response.status_code} with an unreadable body"
            retries_taken += 1
            log_retry(request, reason, delay, retries_taken, settings.max_retries)
            _sleep(delay)

    def _paginate(
        self,
        endpoint: Endpoint[ParamsT, PageT],
        pagination: Pagination[PageT, ItemT],
        values: dict[str, object],
        page_size: int | None,
        start_offset: int,
        timeout: TimeoutArg | NotGiven,
        max_retries: int | None,
        strict: bool | None,
    ) -> ItemIterator[ItemT]:
        settings = self._call_settings(timeout, max_retries, strict)
        params, progress = self._walk_start(endpoint, pagination, values, page_size, start_offset)

        def fetch(offset: int, limit: int) -> PageT:
            page_params = params.model_copy(update={pagination.offset: offset, pagination.limit: limit})
            return self._send(endpoint, page_params, settings)

        size: int = getattr(params, pagination.limit)
        return ItemIterator(iterate_items(fetch, pagination, size, progress), progress)


class AsyncAPIClient(BaseClient[httpx.AsyncClient]):
    """The asynchronous send loop and page walk (pages fetched concurrently); use `async with` or `aclose()`."""

    _loop: asyncio.AbstractEventLoop | None = None

    def _default_http_client(self) -> httpx.AsyncClient:
        skip_repeated_sniffio_imports()
        return cookies_read_only_when_set(httpx.AsyncClient(headers={"User-Agent": USER_AGENT}))

    def _check_event_loop(self) -> None:
        """Pin the client to the event loop it first runs in: its pooled connections belong to that loop."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise EventLoopError(
                f"{type(self).__name__} was first used in another event loop, and its connections belong to that "
                "loop; create one client per event loop (e.g. per asyncio.run)"
            )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`); later calls raise
        ClientClosedError."""
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    async def _call(
        self,
        endpoint: Endpoint[ParamsT, ResultT],
        values: dict[str, object],
        timeout: TimeoutArg | NotGiven,
        max_retries: int | None,
        strict: bool | None,
        body: object = None,
    ) -> ResultT:
        settings = self._call_settings(timeout, max_retries, strict)
        params = self._params(endpoint, values)
        return await self._send(endpoint, params, settings, body_content(endpoint, body))

    async def _send(
        self,
        endpoint: Endpoint[ParamsT, ResultT],
        params: ParamsT,
        settings: CallSettings,
        content: bytes | None = None,
    ) -> ResultT:
        if self._closed or self._http.is_closed:
            raise ClientClosedError(f"{type(self).__name__} was closed; create a new client to send requests")
        self._check_event_loop()
        kwargs = self._request_kwargs(endpoint, params, content)
        auth = self._send_auth()
        retries_taken = 0
        while True:
            request = self._http.build_request(**kwargs, timeout=settings.timeout)
            started = time.perf_counter()
            try:
                with map_exceptions(request):
                    response = await self._http.send(request, auth=auth, stream=True)
                with map_exceptions(request, response):  # a body that cannot be decoded is the response's fault
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
                        response.stream = _SPENT_STREAM
            except APIConnectionError as error:
                delay = delay_after_error(self.backoff, error, retries_taken, settings.max_retries, request.method)
                if delay is None:
                    raise
                reason = str(error)
            else:
                log_exchange(request, response, time.perf_counter() - started)
                delay = delay_after_response(self.backoff, response, retries_taken, settings.max_retries)
                reason = f"HTTP {response.status_code}"
                if delay is None:
                    try:
                        return read_result(endpoint, response, strict=settings.strict)
                    except ResponseParseError as error:
                        delay = delay_after_bad_body(
                            self.backoff, request, response, error, retries_taken, settings.max_retries
                        )
                        if delay is None:
                            raise
                        reason = f"HTTP {response.status_code} with an unreadable body"
            retries_taken += 1
            log_retry(request, reason, delay, retries_taken, settings.max_retries)
            await _async_sleep(delay)

    def _paginate(
        self,
        endpoint: Endpoint[ParamsT, PageT],
        pagination: Pagination[PageT, ItemT],
        values: dict[str, object],
        page_size: int | None,
        start_offset: int,
        max_concurrency: int,
        timeout: TimeoutArg | NotGiven,
        max_retries: int | None,
        strict: bool | None,
    ) -> AsyncItemIterator[ItemT]:
        settings = self._call_settings(timeout, max_retries, strict)
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ValidationError("max_concurrency", f"must be an integer >= 1, got {max_concurrency!r}", limit=1)
        params, progress = self._walk_start(endpoint, pagination, values, page_size, start_offset)

        async def fetch(offset: int, limit: int) -> PageT:
            page_params = params.model_copy(update={pagination.offset: offset, pagination.limit: limit})
            return await self._send(endpoint, page_params, settings)

        size: int = getattr(params, pagination.limit)
        walk = aiterate_items(fetch, pagination, size, max_concurrency, progress)
        return AsyncItemIterator(walk, progress)


def _checked_timeout(timeout: object) -> httpx.Timeout:
    """A timeout as httpx wants it: seconds (> 0) for every phase, an `httpx.Timeout`, or None for none."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < float("inf"):
        raise ValidationError("timeout", f"must be a number of seconds > 0, an httpx.Timeout or None, got {timeout!r}")
    return httpx.Timeout(float(timeout))


def _checked_strict(strict: object) -> bool:
    if not isinstance(strict, bool):
        raise ValidationError("strict", f"must be True or False, got {strict!r}")
    return strict
