"""Typed client for Huawei Cloud OMS - List Synchronization Tasks.

Generated from its OpenAPI spec by omsgen; do not edit.

```python
from oms_sync_client import OmsClient

with OmsClient.from_env() as client:
    for item in client.iter_sync_tasks():
        print(item)
```
Importing the package has no side effects: no files, no network, no logging configuration.
"""

from . import errors
from ._auth import TokenAuth
from ._base_client import DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven
from ._client import AsyncOmsClient, OmsClient
from ._model_base import Closed, UnknownEnumValueWarning
from ._pagination import AsyncItemIterator, IncompleteListingWarning, ItemIterator, WalkProgress
from ._retries import DEFAULT_MAX_RETRIES, Backoff
from ._signing import SdkHmacSha256Auth
from ._spec import SPEC_VERSION
from ._tolerance import OutOfSpecValueWarning
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    EventLoopError,
    NotFoundError,
    OmsError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ResponseValidationError,
    ServerError,
    ValidationError,
)
from .models import (
    CdnAuthenticationType,
    CdnProtocol,
    ConsistencyCheck,
    DstStoragePolicy,
    ErrorResponse,
    ListSyncTasksParams,
    ListSyncTasksResponse,
    ObjectOverwriteMode,
    SourceCdnResp,
    SrcCloudType,
    SyncTaskInfo,
    SyncTaskStatus,
)

__version__ = SPEC_VERSION

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "SPEC_VERSION",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncItemIterator",
    "AsyncOmsClient",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "CdnAuthenticationType",
    "CdnProtocol",
    "ClientClosedError",
    "Closed",
    "ConsistencyCheck",
    "DstStoragePolicy",
    "ErrorResponse",
    "EventLoopError",
    "IncompleteListingWarning",
    "ItemIterator",
    "ListSyncTasksParams",
    "ListSyncTasksResponse",
    "NotFoundError",
    "NotGiven",
    "ObjectOverwriteMode",
    "OmsClient",
    "OmsError",
    "OutOfSpecValueWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseParseError",
    "ResponseValidationError",
    "SdkHmacSha256Auth",
    "ServerError",
    "SourceCdnResp",
    "SrcCloudType",
    "SyncTaskInfo",
    "SyncTaskStatus",
    "TokenAuth",
    "UnknownEnumValueWarning",
    "ValidationError",
    "WalkProgress",
    "__version__",
    "errors",
]
