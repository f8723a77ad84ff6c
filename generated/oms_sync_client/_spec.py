"""Facts of the OpenAPI spec the runtime needs that are not models or operations (generated; do not edit)."""

from typing import Final

SPEC_TITLE: Final = "Huawei Cloud OMS - List Synchronization Tasks"
"""`info.title` of the spec this package was generated from."""

SPEC_VERSION: Final = "1.0.0"
"""`info.version` of the spec this package was generated from."""

CONSOLE_SCRIPT: Final = "oms-sync-tasks"
"""The name of the package's command."""

SERVER_URL_TEMPLATE: Final = "https://oms.{region}.myhuaweicloud.com"
"""The server URL; `{region}` is one of REGIONS."""

REGIONS: Final[tuple[str, ...]] = (
    "af-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "cn-east-2",
    "cn-east-3",
    "cn-east-4",
    "cn-north-1",
    "cn-north-4",
    "cn-north-9",
    "cn-north-12",
    "cn-south-1",
    "cn-south-4",
    "cn-southwest-2",
    "la-north-2",
    "la-south-2",
    "me-east-1",
    "sa-brazil-1",
    "tr-west-1",
)
"""The regions the server URL accepts, in spec order."""

DEFAULT_REGION: Final = "cn-north-4"
"""The region used when none is given."""

TOKEN_HEADER: Final[str | None] = "X-Auth-Token"
"""The header an IAM token travels in (its `apiKey` security scheme); None when the spec declares none."""

TOKEN_MIN_LENGTH: Final[int | None] = 1
TOKEN_MAX_LENGTH: Final[int | None] = 16384
"""The token's length limits, from the spec's parameter for the token header (None where it states none)."""

SIGNING_ALGORITHM: Final[str | None] = "SDK-HMAC-SHA256"
"""The request-signing algorithm of the spec's `x-omsgen-signing` scheme; None when it declares none."""
