"""Client settings read from environment variables (the vendor SDK's names for the AK/SK pair)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from .errors import ValidationError

ENDPOINT = "OMS_ENDPOINT"
REGION = "OMS_REGION"
PROJECT_ID = "OMS_PROJECT_ID"
AUTH_TOKEN = "OMS_AUTH_TOKEN"
ACCESS_KEY = "CLOUD_SDK_AK"
SECRET_KEY = "CLOUD_SDK_SK"


@dataclasses.dataclass(frozen=True)
class EnvSettings:
    """What the environment says about where to send requests and with which credentials."""

    base_url: str | None
    region: str | None
    project_id: str | None
    token: str | None = dataclasses.field(repr=False)
    ak: str | None
    sk: str | None = dataclasses.field(repr=False)


def read_env(environ: Mapping[str, str]) -> EnvSettings:
    """The settings in `environ`; an empty variable counts as unset. Conflicting variables are an error."""

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    settings = EnvSettings(
        base_url=get(ENDPOINT),
        region=get(REGION),
        project_id=get(PROJECT_ID),
        token=get(AUTH_TOKEN),
        ak=get(ACCESS_KEY),
        sk=get(SECRET_KEY),
    )
    if settings.base_url and settings.region:
        raise ValidationError(ENDPOINT, f"and {REGION} are both set: set one of them")
    if settings.token and (settings.ak or settings.sk):
        raise ValidationError(AUTH_TOKEN, f"and {ACCESS_KEY}/{SECRET_KEY} are both set: set one kind of credentials")
    if not settings.token and not (settings.ak or settings.sk):
        raise ValidationError(AUTH_TOKEN, f"is not set, nor are {ACCESS_KEY} and {SECRET_KEY}: set one kind")
    if bool(settings.ak) != bool(settings.sk):
        missing, present = (SECRET_KEY, ACCESS_KEY) if settings.ak else (ACCESS_KEY, SECRET_KEY)
        raise ValidationError(missing, f"is not set but {present} is: set both")
    return settings
