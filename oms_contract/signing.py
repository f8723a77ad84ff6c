"""AK/SK request signing with the `SDK-HMAC-SHA256` algorithm the Huawei Cloud API gateway verifies."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import requests

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
PROJECT_HEADER = "X-Project-Id"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"

# Headers this suite signs when it can choose: the gateway needs `host` and `x-sdk-date`; the rest are optional,
# and signing only these keeps the signature independent of headers a transport adds after signing.
SIGNED_WHEN_PRESENT = ("content-type", "host", "x-project-id", "x-sdk-date")


@dataclass(frozen=True)
class Credentials:
    """An access key and its secret key; the secret never appears in `repr`."""

    ak: str
    sk: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.ak:
            raise ValueError("ak must not be empty")
        if not self.sk:
            raise ValueError("sk must not be empty")


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """Each path segment percent-encoded (only `~` kept), with a trailing `/` forced."""
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: str) -> str:
    """The query's decoded `key=value` pairs, sorted, each side percent-encoded."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in pairs)


def signed_header_names(headers: Mapping[str, str]) -> list[str]:
    """Lower-cased names of the headers to sign: every name without `_`, sorted."""
    return sorted({name.lower() for name in headers if "_" not in name})


def canonical_request(
    method: str, path: str, query: str, headers: Mapping[str, str], signed: list[str], body: bytes
) -> str:
    """The canonical request the string to sign hashes."""
    by_name = {name.lower(): value.strip() for name, value in headers.items()}
    canonical_headers = "".join(f"{name}:{by_name[name]}\n" for name in signed)
    return "\n".join(
        (
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            canonical_headers,
            ";".join(signed),
            hashlib.sha256(body).hexdigest(),
        )
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """Algorithm, request time and the hex SHA-256 of the canonical request, one per line."""
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(sk: str, to_sign: str) -> str:
    """Hex HMAC-SHA256 of the string to sign, keyed with the secret key."""
    return hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(ak: str, signed: list[str], sig: str) -> str:
    """The `Authorization` header value carrying the signature."""
    return f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed)}, Signature={sig}"


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    credentials: Credentials,
    *,
    now: datetime,
    body: bytes = b"",
    signed: list[str] | None = None,
) -> dict[str, str]:
    """Headers to add to a request so it carries a valid signature: `X-Sdk-Date`, `Host` and `Authorization`.

    `signed` names the headers to sign (lower-case); by default every header without `_`, as the official SDK does.
    """
    parts = urlsplit(url)
    added = {DATE_HEADER: now.astimezone(UTC).strftime(DATE_FORMAT)}
    if not any(name.lower() == "host" for name in headers):
        added["Host"] = parts.netloc
    all_headers = {**headers, **added}
    names = signed_header_names(all_headers) if signed is None else sorted(signed)
    canonical = canonical_request(method, parts.path or "/", parts.query, all_headers, names, body)
    added["Authorization"] = authorization(
        credentials.ak, names, signature(credentials.sk, string_to_sign(canonical, added[DATE_HEADER]))
    )
    return added


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AkSkAuth(requests.auth.AuthBase):
    """`requests` auth that signs the final prepared request (URL and headers as sent)."""

    def __init__(
        self, credentials: Credentials, *, project_id: str | None = None, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self.credentials = credentials
        self.project_id = project_id
        self.clock = clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.project_id is not None:
            request.headers[PROJECT_HEADER] = self.project_id
        request.headers.pop("Authorization", None)
        headers = {name: str(value) for name, value in request.headers.items()}
        present = {name.lower() for name in headers} | {"host", "x-sdk-date"}
        added = sign(
            request.method or "GET",
            request.url or "",
            headers,
            self.credentials,
            now=self.clock(),
            body=_body_bytes(request.body),
            signed=[name for name in SIGNED_WHEN_PRESENT if name in present],
        )
        request.headers.update(added)
        return request


def _body_bytes(body: bytes | str | object | None) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    raise TypeError("AK/SK signing needs the request body as bytes or str")
