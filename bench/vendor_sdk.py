"""The vendor's huaweicloudsdkoms client, built for a loopback endpoint with HOME pointed at a temporary folder."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

import requests


@functools.cache
def _temporary_home() -> str:
    home = tempfile.mkdtemp(prefix="omsgen-bench-home-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home


@contextlib.contextmanager
def isolated_home() -> Iterator[None]:
    """Point HOME at a temporary folder: the SDK writes a tracking id under ~/.huaweicloud when it builds a client."""
    saved = os.environ.get("HOME")
    os.environ["HOME"] = _temporary_home()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved


def sdk_version() -> str:
    """The installed huaweicloudsdkoms version."""
    return version("huaweicloudsdkoms")


def vendor_client(base_url: str, project_id: str, ak: str, sk: str) -> Any:
    """An OmsClient of the vendor SDK that signs with AK/SK and talks to `base_url` (an endpoint override)."""
    with isolated_home():
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkcore.http.http_config import HttpConfig
        from huaweicloudsdkoms.v2 import OmsClient

        config = HttpConfig.get_default_config()
        return (
            OmsClient.new_builder()
            .with_http_config(config)
            .with_credentials(BasicCredentials(ak, sk, project_id))
            .with_endpoints([base_url])
            .build()
        )


def list_request(limit: int | None = None, offset: int | None = None, status: str | None = None) -> Any:
    """The SDK's ListSyncTasksRequest."""
    from huaweicloudsdkoms.v2 import ListSyncTasksRequest

    return ListSyncTasksRequest(limit=limit, offset=offset, status=status)


def offset_loop(client: Any, page_size: int, offset_max: int) -> list[Any]:
    """What a vendor SDK user writes to list everything (the SDK has no pagination helper): pages of `page_size`
    at growing offsets until a short page or the offset cap."""
    tasks: list[Any] = []
    for offset in range(0, offset_max + 1, page_size):
        page = client.list_sync_tasks(list_request(limit=page_size, offset=offset))
        tasks.extend(page.tasks or [])
        if len(page.tasks or []) < page_size:
            break
    return tasks


def canned_response(body: bytes) -> requests.Response:
    """A requests.Response as the SDK's HTTP layer hands it over for a 200 JSON page."""
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "application/json"
    response.headers["X-Request-Id"] = "bench"
    response._content = body
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response


def response_handler(body: bytes) -> Callable[[], Any]:
    """The SDK's own handling of a ListSyncTasks 200 response (`Client.sync_response_handler`), ready to call."""
    client = vendor_client("http://127.0.0.1:9", "bench-project", "bench-ak", "bench-sk")
    response = canned_response(body)

    def handle() -> Any:
        return client.sync_response_handler(response, "ListSyncTasksResponse", [], None)

    return handle
