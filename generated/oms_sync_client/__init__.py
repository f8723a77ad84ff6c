"""Typed client for the Huawei Cloud OMS List Synchronization Tasks API, generated from its OpenAPI spec.

```python
from oms_sync_client import OmsClient

with OmsClient.from_env() as client:
    for task in client.iter_sync_tasks(status="SYNCHRONIZING"):
        print(task.sync_task_id)
```
Importing the package has no side effects: no files, no network, no logging configuration.
"""

from . import errors
from ._client import DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT, NOT_GIVEN, AsyncOmsClient, NotGiven, OmsClient
from ._model_base import UnknownEnumValueWarning
from ._pagination import IncompleteListingWarning
from ._retries import DEFAULT_MAX_RETRIES, Backoff
from ._signing import SdkHmacSha256Auth
from ._spec import SPEC_VERSION
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
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
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncOmsClient",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "CdnAuthenticationType",
    "CdnProtocol",
    "ConsistencyCheck",
    "DstStoragePolicy",
    "ErrorResponse",
    "IncompleteListingWarning",
    "ListSyncTasksParams",
    "ListSyncTasksResponse",
    "NotGiven",
    "ObjectOverwriteMode",
    "OmsClient",
    "OmsError",
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
    "UnknownEnumValueWarning",
    "ValidationError",
    "__version__",
    "errors",
]
