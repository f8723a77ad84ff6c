"""AK/SK request signing (`SDK-HMAC-SHA256`, the algorithm of Huawei Cloud's API gateway) as an `httpx.Auth`."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from urllib.parse import quote, unquote

import httpx

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()

# Hop-by-hop headers belong to one connection, not to the request: proxies may rewrite or drop them, so a
# signature over them could break in transit. Everything else the request carries is signed.
UNSIGNED_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """Percent-encode each segment of the (already encoded) path afresh and force a trailing slash."""
    encoded = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(pairs: list[tuple[str, str]]) -> str:
    """Sort the decoded query pairs and join them percent-encoded as `k=v&...`."""
    return "&".join(f"{_encode(key)}={_encode(value)}" for key, value in sorted(pairs))


def signed_header_names(headers: dict[str, str]) -> list[str]:
    """Names of the headers to sign: lower-cased, without `_`, sorted."""
    return sorted(name for name in headers if "_" not in name)


def canonical_request(
    method: str, raw_path: str, query: list[tuple[str, str]], headers: dict[str, str], payload_hash: str
) -> str:
    """The canonical request of the algorithm; `headers` maps lower-case names to trimmed values."""
    names = signed_header_names(headers)
    header_lines = "".join(f"{name}:{headers[name]}\n" for name in names)
    return "\n".join(
        [method.upper(), canonical_uri(raw_path), canonical_query(query), header_lines, ";".join(names), payload_hash]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """The string the secret key signs: algorithm, date and the hash of the canonical request."""
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(secret_key: str, to_sign: str) -> str:
    """Hex HMAC-SHA256 of `to_sign` keyed with the secret key."""
    return hmac.new(secret_key.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def authorization_header(access_key: str, names: list[str], signature_hex: str) -> str:
    """The `Authorization` header value carrying the access key, the signed header names and the signature."""
    return f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, Signature={signature_hex}"


class SdkHmacSha256Auth(httpx.Auth):
    """Signs each request with an access key / secret key pair; a retried request is signed afresh."""

    requires_request_body = True

    def __init__(self, ak: str, sk: str, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self._ak = ak
        self._sk = sk
        self._clock = clock

    @property
    def access_key(self) -> str:
        """The access key id (not a secret: it travels in every signed request)."""
        return self._ak

    def __repr__(self) -> str:
        return f"SdkHmacSha256Auth(ak={self._ak!r}, sk='***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request

    def sign(self, request: httpx.Request) -> None:
        """Add `X-Sdk-Date` (unless present) and `Authorization` to the request in place."""
        request.headers.pop("Authorization", None)  # a previous signature is replaced, never signed over
        content_type = request.headers.get("Content-Type")
        if content_type and not content_type.startswith(("application/json", "application/bson")):
            request.headers[CONTENT_HASH_HEADER] = "UNSIGNED-PAYLOAD"
        if DATE_HEADER not in request.headers:
            request.headers[DATE_HEADER] = self._clock().strftime(DATE_FORMAT)
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            trimmed = value.strip()
            if trimmed != value:  # what is signed must be what is sent
                request.headers[name] = trimmed
            if name not in UNSIGNED_HEADERS:
                headers[name] = trimmed
        body = request.content
        payload_hash = request.headers.get(CONTENT_HASH_HEADER) or (
            hashlib.sha256(body).hexdigest() if body else _EMPTY_BODY_HASH
        )
        raw_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        canonical = canonical_request(request.method, raw_path, request.url.params.multi_items(), headers, payload_hash)
        to_sign = string_to_sign(canonical, headers[DATE_HEADER.lower()])
        names = signed_header_names(headers)
        request.headers["Authorization"] = authorization_header(self._ak, names, signature(self._sk, to_sign))
