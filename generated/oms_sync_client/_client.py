"""`OmsClient` and `AsyncOmsClient`: validated calls, auth, retries, timeouts and pagination over one pool."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final, Self

import httpx

from ._endpoint import request_url, resolve_base_url
from ._environment import read_env
from ._exceptions import map_exceptions
from ._httpcore_workaround import skip_repeated_sniffio_imports
from ._logging import log_exchange, log_retry
from ._pagination import AsyncTaskIterator, TaskIterator, WalkProgress, aiterate_tasks, iterate_tasks
from ._responses import read_page
from ._retries import DEFAULT_MAX_RETRIES, Backoff, checked_max_retries, delay_after_error, delay_after_response
from ._signing import SdkHmacSha256Auth
from ._spec import SPEC_VERSION
from ._validation import field_limits, validate_params
from .api.sync_tasks.list_sync_tasks import request_kwargs
from .errors import APIConnectionError, ValidationError
from .models import ListSyncTasksParams, ListSyncTasksResponse, SyncTaskStatus

__all__ = ["DEFAULT_MAX_CONCURRENCY", "DEFAULT_TIMEOUT", "NOT_GIVEN", "AsyncOmsClient", "NotGiven", "OmsClient"]

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
"""Connect within 10 s; each read, each write and waiting for a pooled connection within 30 s."""

DEFAULT_MAX_CONCURRENCY: Final = 4
"""Pages the async iterator fetches at once after the first page."""

USER_AGENT: Final = f"oms-sync-client/{SPEC_VERSION} httpx/{httpx.__version__}"

# Header a request carries -> the client keyword its value comes from (for messages about unsendable values).
_HEADER_SOURCES: Final = {"x-auth-token": "token", "x-project-id": "project_id"}

# Indirections the tests replace to observe waits without waiting.
_sleep = time.sleep
_async_sleep = asyncio.sleep


class NotGiven:
    """The type of `NOT_GIVEN`: "use the client's setting" where None has a meaning of its own."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

TimeoutArg = float | httpx.Timeout | None


class _ClientCore:
    """What both clients share: settings, credentials, request building, per-call overrides."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        region: str | None,
        project_id: str | None,
        token: str | None,
        ak: str | None,
        sk: str | None,
        timeout: TimeoutArg,
        max_retries: int,
        strict: bool,
        backoff: Backoff | None,
    ) -> None:
        self.base_url: httpx.URL = resolve_base_url(base_url, region)
        self.project_id = project_id
        self.timeout = _checked_timeout(timeout)
        self.max_retries = checked_max_retries(max_retries)
        self.strict = _checked_strict(strict)
        self.backoff = backoff if backoff is not None else Backoff()
        self._token, self._auth = _credentials(token, ak, sk)

    def __repr__(self) -> str:
        auth = "token" if self._token is not None else f"ak/sk (ak={self._auth.access_key if self._auth else ''!r})"
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, project_id={self.project_id!r}, auth={auth})"

    def _params(
        self,
        project_id: str | None,
        limit: int | None,
        offset: int | None,
        status: SyncTaskStatus | str | None,
        names: Mapping[str, str] | None = None,
    ) -> ListSyncTasksParams:
        chosen = project_id if project_id is not None else self.project_id
        if chosen is None:
            raise ValidationError(
                "project_id", "is required: pass it to the call or to the client (or set OMS_PROJECT_ID)"
            )
        values = {"project_id": chosen, "limit": limit, "offset": offset, "status": status, "x_auth_token": self._token}
        return validate_params(values, names)

    def _request_kwargs(self, params: ListSyncTasksParams) -> dict[str, Any]:
        """The arguments of `build_request` for `params`: the URL absolute and complete (parsed once)."""
        kwargs = request_kwargs(params)
        kwargs["url"] = request_url(self.base_url, kwargs["url"], kwargs.pop("params"))
        headers: dict[str, str] = kwargs["headers"]
        if self._auth is not None:
            headers["X-Project-Id"] = params.project_id  # the gateway scopes AK/SK calls by this (signed) header
        for name, value in headers.items():
            if not (value.isascii() and value.isprintable()):
                field = _HEADER_SOURCES.get(name.lower(), name)
                raise ValidationError(field, f"must contain only printable ASCII characters to be sent in {name}")
        return kwargs

    def _call_settings(
        self, timeout: TimeoutArg | NotGiven, max_retries: int | None, strict: bool | None
    ) -> tuple[httpx.Timeout, int, bool]:
        return (
            self.timeout if isinstance(timeout, NotGiven) else _checked_timeout(timeout),
            self.max_retries if max_retries is None else checked_max_retries(max_retries),
            self.strict if strict is None else _checked_strict(strict),
        )

    def _page_params(
        self, project_id: str | None, status: SyncTaskStatus | str | None, page_size: int | None
    ) -> ListSyncTasksParams:
        """The params of the first page of a walk; `page_size` (default: the largest page allowed) is `limit`."""
        size = page_size if page_size is not None else _spec_maximum("limit")
        return self._params(project_id, size, 0, status, names={"limit": "page_size"})


class OmsClient(_ClientCore):
    """A synchronous client of the OMS List Synchronization Tasks API.

    Pass `base_url=` or `region=` (default: the spec's default region), a default `project_id`, and either
    `token=` (IAM token, sent as `X-Auth-Token`) or `ak=` and `sk=` (AK/SK signing). Timeouts default to
    `DEFAULT_TIMEOUT`; failed attempts are retried `max_retries` times (see `Backoff`); `strict=True` rejects any
    deviation of a response from the spec. Use it as a context manager, or call `close()`.
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
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            region=region,
            project_id=project_id,
            token=token,
            ak=ak,
            sk=sk,
            timeout=timeout,
            max_retries=max_retries,
            strict=strict,
            backoff=backoff,
        )
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(headers={"User-Agent": USER_AGENT})

    @classmethod
    def from_env(
        cls,
        *,
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: httpx.Client | None = None,
    ) -> Self:
        """A client configured by OMS_ENDPOINT or OMS_REGION, OMS_PROJECT_ID, and OMS_AUTH_TOKEN or CLOUD_SDK_AK/SK."""
        env = read_env(os.environ)
        return cls(
            base_url=env.base_url,
            region=env.region,
            project_id=env.project_id,
            token=env.token,
            ak=env.ak,
            sk=env.sk,
            timeout=timeout,
            max_retries=max_retries,
            strict=strict,
            backoff=backoff,
            http_client=http_client,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            self._http.close()

    def list_sync_tasks(
        self,
        project_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        status: SyncTaskStatus | str | None = None,
        *,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        strict: bool | None = None,
    ) -> ListSyncTasksResponse:
        """List one page of synchronization tasks, optionally filtered by status.

        `limit`, `offset` and `status` follow the spec (None: the spec's default); every argument is checked
        before the request is sent. `timeout`, `max_retries` and `strict` override the client's for this call.
        """
        params = self._params(project_id, limit, offset, status)
        return self._send(params, *self._call_settings(timeout, max_retries, strict))

    def iter_sync_tasks(
        self,
        project_id: str | None = None,
        status: SyncTaskStatus | str | None = None,
        page_size: int | None = None,
        *,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        strict: bool | None = None,
    ) -> TaskIterator:
        """Every synchronization task, page after page (`page_size` defaults to the largest page the spec allows).

        Arguments are checked now, before the first request. If more tasks match than offsets can reach, the
        reachable ones are listed and `IncompleteListingWarning` is issued.
        """
        settings = self._call_settings(timeout, max_retries, strict)
        params = self._page_params(project_id, status, page_size)
        self._request_kwargs(params)  # header values are checked now too, not at the first page

        def fetch(offset: int, limit: int) -> ListSyncTasksResponse:
            return self._send(params.model_copy(update={"offset": offset, "limit": limit}), *settings)

        progress = WalkProgress()
        return TaskIterator(iterate_tasks(fetch, params.limit, _spec_maximum("offset"), progress), progress)

    def _send(
        self, params: ListSyncTasksParams, timeout: httpx.Timeout, max_retries: int, strict: bool
    ) -> ListSyncTasksResponse:
        kwargs = self._request_kwargs(params)
        retries_taken = 0
        while True:
            request = self._http.build_request(**kwargs, timeout=timeout)
            started = time.perf_counter()
            try:
                with map_exceptions(request):
                    response = self._http.send(request, auth=self._auth, stream=True)
                with map_exceptions(request, response):  # a body that cannot be decoded is the response's fault
                    try:
                        response.read()
                    finally:
                        response.close()
            except APIConnectionError as error:
                delay = delay_after_error(self.backoff, error, retries_taken, max_retries)
                if delay is None:
                    raise
                reason = str(error)
            else:
                log_exchange(request, response, time.perf_counter() - started)
                delay = delay_after_response(self.backoff, response, retries_taken, max_retries)
                if delay is None:
                    return read_page(response, strict=strict)
                reason = f"HTTP {response.status_code}"
            retries_taken += 1
            log_retry(request, reason, delay, retries_taken, max_retries)
            _sleep(delay)


class AsyncOmsClient(_ClientCore):
    """The asynchronous twin of `OmsClient` (same arguments); its iterator fetches pages concurrently."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        region: str | None = None,
        project_id: str | None = None,
        token: str | None = None,
        ak: str | None = None,
        sk: str | None = None,
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            region=region,
            project_id=project_id,
            token=token,
            ak=ak,
            sk=sk,
            timeout=timeout,
            max_retries=max_retries,
            strict=strict,
            backoff=backoff,
        )
        skip_repeated_sniffio_imports()
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(headers={"User-Agent": USER_AGENT})

    @classmethod
    def from_env(
        cls,
        *,
        timeout: TimeoutArg = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        strict: bool = False,
        backoff: Backoff | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> Self:
        """A client configured by OMS_ENDPOINT or OMS_REGION, OMS_PROJECT_ID, and OMS_AUTH_TOKEN or CLOUD_SDK_AK/SK."""
        env = read_env(os.environ)
        return cls(
            base_url=env.base_url,
            region=env.region,
            project_id=env.project_id,
            token=env.token,
            ak=env.ak,
            sk=env.sk,
            timeout=timeout,
            max_retries=max_retries,
            strict=strict,
            backoff=backoff,
            http_client=http_client,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            await self._http.aclose()

    async def list_sync_tasks(
        self,
        project_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        status: SyncTaskStatus | str | None = None,
        *,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        strict: bool | None = None,
    ) -> ListSyncTasksResponse:
        """List one page of synchronization tasks, optionally filtered by status (see `OmsClient.list_sync_tasks`)."""
        params = self._params(project_id, limit, offset, status)
        return await self._send(params, *self._call_settings(timeout, max_retries, strict))

    def iter_sync_tasks(
        self,
        project_id: str | None = None,
        status: SyncTaskStatus | str | None = None,
        page_size: int | None = None,
        *,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        timeout: TimeoutArg | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        strict: bool | None = None,
    ) -> AsyncTaskIterator:
        """Every synchronization task, in order; after the first page, up to `max_concurrency` pages in flight.

        Use with `async for`. Arguments are checked now, before the first request. If more tasks match than
        offsets can reach, the reachable ones are listed and `IncompleteListingWarning` is issued.
        """
        settings = self._call_settings(timeout, max_retries, strict)
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
            raise ValidationError("max_concurrency", f"must be an integer >= 1, got {max_concurrency!r}", limit=1)
        params = self._page_params(project_id, status, page_size)
        self._request_kwargs(params)  # header values are checked now too, not at the first page

        async def fetch(offset: int, limit: int) -> ListSyncTasksResponse:
            return await self._send(params.model_copy(update={"offset": offset, "limit": limit}), *settings)

        progress = WalkProgress()
        walk = aiterate_tasks(fetch, params.limit, _spec_maximum("offset"), max_concurrency, progress)
        return AsyncTaskIterator(walk, progress)

    async def _send(
        self, params: ListSyncTasksParams, timeout: httpx.Timeout, max_retries: int, strict: bool
    ) -> ListSyncTasksResponse:
        kwargs = self._request_kwargs(params)
        retries_taken = 0
        while True:
            request = self._http.build_request(**kwargs, timeout=timeout)
            started = time.perf_counter()
            try:
                with map_exceptions(request):
                    response = await self._http.send(request, auth=self._auth, stream=True)
                with map_exceptions(request, response):  # a body that cannot be decoded is the response's fault
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except APIConnectionError as error:
                delay = delay_after_error(self.backoff, error, retries_taken, max_retries)
                if delay is None:
                    raise
                reason = str(error)
            else:
                log_exchange(request, response, time.perf_counter() - started)
                delay = delay_after_response(self.backoff, response, retries_taken, max_retries)
                if delay is None:
                    return read_page(response, strict=strict)
                reason = f"HTTP {response.status_code}"
            retries_taken += 1
            log_retry(request, reason, delay, retries_taken, max_retries)
            await _async_sleep(delay)


def _credentials(token: str | None, ak: str | None, sk: str | None) -> tuple[str | None, SdkHmacSha256Auth | None]:
    """The token to send, or the signer to sign with; exactly one kind of credentials must be given."""
    if token is not None and (ak is not None or sk is not None):
        raise ValidationError("token", "and ak/sk are mutually exclusive: pass one kind of credentials")
    if token is not None:
        if not isinstance(token, str):
            raise ValidationError("token", f"must be a string, got {type(token).__name__}")
        return token, None
    if ak is None and sk is None:
        raise ValidationError(
            "token",
            "or ak and sk are required (or use from_env() with OMS_AUTH_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK)",
        )
    if not isinstance(ak, str) or not ak:
        raise ValidationError("ak", "must be a non-empty string when sk is given")
    if not isinstance(sk, str) or not sk:
        raise ValidationError("sk", "must be a non-empty string when ak is given")
    return None, SdkHmacSha256Auth(ak, sk)


def _spec_maximum(field: str) -> int:
    """The maximum the spec sets for an integer parameter (page size, offset)."""
    maximum = field_limits(field).maximum
    if maximum is None:
        raise ValidationError(field, "has no maximum in the spec, so pages cannot be walked safely")
    return int(maximum)


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
