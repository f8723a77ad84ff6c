"""Client settings from the environment: our variables, the vendor SDK's, and its credentials file.

Where each setting comes from, first match wins (an empty variable counts as unset):

- endpoint: `OMS_ENDPOINT` or `OMS_REGION` (not both);
- project: `OMS_PROJECT_ID`, `HUAWEICLOUD_SDK_PROJECT_ID`, the credentials file's `project_id`;
- credentials: `OMS_AUTH_TOKEN`; else `CLOUD_SDK_AK` + `CLOUD_SDK_SK` (the vendor's sample code); else
  `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK` (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`); else the credentials file.

The credentials file is the vendor SDK's INI file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, or
`~/.huaweicloud/credentials`; its section `basic` (or the profile asked for) holds `ak`, `sk`, optionally
`security_token` and `project_id`. Credentials are taken whole from one source: a source that has half a pair is
an error naming what is missing, never completed from another. Nothing here contacts any address (the vendor
SDK's instance-metadata provider has no counterpart).
"""

from __future__ import annotations

import configparser
import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from .errors import ValidationError

ENDPOINT = "OMS_ENDPOINT"
REGION = "OMS_REGION"
PROJECT_ID = "OMS_PROJECT_ID"
AUTH_TOKEN = "OMS_AUTH_TOKEN"
ACCESS_KEY = "CLOUD_SDK_AK"
SECRET_KEY = "CLOUD_SDK_SK"
VENDOR_ACCESS_KEY = "HUAWEICLOUD_SDK_AK"
VENDOR_SECRET_KEY = "HUAWEICLOUD_SDK_SK"
VENDOR_SECURITY_TOKEN = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
VENDOR_PROJECT_ID = "HUAWEICLOUD_SDK_PROJECT_ID"
CREDENTIALS_FILE = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
DEFAULT_CREDENTIALS_FILE = Path(".huaweicloud") / "credentials"
DEFAULT_PROFILE = "basic"


@dataclasses.dataclass(frozen=True)
class EnvSettings:
    """What the environment says about where to send requests and with which credentials (and from where)."""

    base_url: str | None
    region: str | None
    project_id: str | None
    token: str | None = dataclasses.field(repr=False)
    ak: str | None
    sk: str | None = dataclasses.field(repr=False)
    security_token: str | None = dataclasses.field(default=None, repr=False)
    credentials_source: str | None = None


@dataclasses.dataclass(frozen=True)
class _Credentials:
    token: str | None = None
    ak: str | None = None
    sk: str | None = None
    security_token: str | None = None
    project_id: str | None = None
    source: str | None = None


def read_env(environ: Mapping[str, str], *, profile: str | None = None, home: Path | None = None) -> EnvSettings:
    """The settings in `environ` (and the credentials file it points to); ValidationError for conflicts."""

    def get(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    base_url, region = get(ENDPOINT), get(REGION)
    if base_url and region:
        raise ValidationError(ENDPOINT, f"and {REGION} are both set: set one of them")
    credentials = _credentials(get, environ, profile, home)
    return EnvSettings(
        base_url=base_url,
        region=region,
        project_id=get(PROJECT_ID) or get(VENDOR_PROJECT_ID) or credentials.project_id,
        token=credentials.token,
        ak=credentials.ak,
        sk=credentials.sk,
        security_token=credentials.security_token,
        credentials_source=credentials.source,
    )


def _credentials(
    get: Callable[[str], str | None], environ: Mapping[str, str], profile: str | None, home: Path | None
) -> _Credentials:
    token, ak, sk = get(AUTH_TOKEN), get(ACCESS_KEY), get(SECRET_KEY)
    if token and (ak or sk):
        raise ValidationError(AUTH_TOKEN, f"and {ACCESS_KEY}/{SECRET_KEY} are both set: set one kind of credentials")
    if token:
        return _Credentials(token=token, source=AUTH_TOKEN)
    if ak or sk:
        _require_pair(ak, sk, ACCESS_KEY, SECRET_KEY)
        return _Credentials(ak=ak, sk=sk, source=f"{ACCESS_KEY}/{SECRET_KEY}")
    vendor_ak, vendor_sk = get(VENDOR_ACCESS_KEY), get(VENDOR_SECRET_KEY)
    if vendor_ak or vendor_sk:
        _require_pair(vendor_ak, vendor_sk, VENDOR_ACCESS_KEY, VENDOR_SECRET_KEY)
        return _Credentials(
            ak=vendor_ak,
            sk=vendor_sk,
            security_token=get(VENDOR_SECURITY_TOKEN),
            source=f"{VENDOR_ACCESS_KEY}/{VENDOR_SECRET_KEY}",
        )
    from_file = _credentials_file(get(CREDENTIALS_FILE), environ, profile or DEFAULT_PROFILE, home)
    if from_file is not None:
        return from_file
    raise ValidationError(
        AUTH_TOKEN,
        f"is not set, nor are {ACCESS_KEY} and {SECRET_KEY}, {VENDOR_ACCESS_KEY} and {VENDOR_SECRET_KEY}, or a "
        f"credentials file ({CREDENTIALS_FILE} or ~/{DEFAULT_CREDENTIALS_FILE}): set one kind",
    )


def _require_pair(ak: str | None, sk: str | None, ak_name: str, sk_name: str) -> None:
    if bool(ak) != bool(sk):
        missing, present = (sk_name, ak_name) if ak else (ak_name, sk_name)
        raise ValidationError(missing, f"is not set but {present} is: set both")


def _credentials_file(
    named: str | None, environ: Mapping[str, str], profile: str, home: Path | None
) -> _Credentials | None:
    """The credentials of `profile` in the vendor SDK's credentials file; None when there is no such file."""
    if named is not None:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ValidationError(CREDENTIALS_FILE, f"names {named!r}, which is not a readable file")
    else:
        base = home if home is not None else Path(environ.get("HOME") or os.path.expanduser("~"))
        path = base / DEFAULT_CREDENTIALS_FILE
        if not path.is_file():
            return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise ValidationError(str(path), f"is not a readable credentials file: {error}") from None
    where = f"{path} [{profile}]"
    if not parser.has_section(profile):
        if named is None and profile == DEFAULT_PROFILE:
            return None
        raise ValidationError(str(path), f"has no section [{profile}]")
    section = parser[profile]
    ak, sk = section.get("ak", "").strip() or None, section.get("sk", "").strip() or None
    if not ak and not sk:
        raise ValidationError(where, "has neither ak nor sk")
    _require_pair(ak, sk, f"{where} ak", f"{where} sk")
    return _Credentials(
        ak=ak,
        sk=sk,
        security_token=section.get("security_token", "").strip() or None,
        project_id=section.get("project_id", "").strip() or None,
        source=where,
    )
