"""AK/SK request signing (`SDK-HMAC-SHA256`, the algorithm of Huawei Cloud's API gateway) as an `httpx.Auth`."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, unquote

import httpx

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
SECURITY_TOKEN_HEADER = "X-Security-Token"
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()
_ALGORITHM_BYTES = ALGORITHM.encode("ascii")

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


# The same sets as bytes, for the fast path (header names in `httpx.Headers.raw` compare lower-cased).
_UNSIGNED_HEADER_BYTES = frozenset(name.encode("ascii") for name in UNSIGNED_HEADERS)
# What `str.strip()` removes from ASCII text (the trimming the text path does, byte for byte).
_ASCII_WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# A query component `k=v` that percent-decoding and re-encoding (`_encode`) leave unchanged.
_PLAIN_QUERY_COMPONENT = re.compile(rb"[A-Za-z0-9._~-]*=[A-Za-z0-9._~-]*").fullmatch
_SIGNED_PAYLOAD_TYPES = (b"application/json", b"application/bson")


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


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """The decoded pairs of an encoded query string, read as `httpx.URL.params` reads them (blank values kept)."""
    return parse_qsl(raw_query, keep_blank_values=True)


@functools.lru_cache(maxsize=256)
def _canonical_uri_bytes(raw_path: bytes) -> bytes:
    """`canonical_uri` of an encoded path, cached: a client sends to few distinct paths."""
    return canonical_uri(raw_path.decode("ascii")).encode("ascii")


def _canonical_query_bytes(raw_query: bytes) -> bytes:
    """`canonical_query` of an encoded query, without decoding when no component needs it (the usual case)."""
    if not raw_query:
        return b""
    components = raw_query.split(b"&")
    for component in components:
        if _PLAIN_QUERY_COMPONENT(component) is None:
            return canonical_query(query_pairs(raw_query.decode("ascii"))).encode("ascii")
    # Every component is `key=value` in unreserved characters: decoded and re-encoded they stay as they are, and
    # sorting the (key, "=", value) triples sorts by (key, value) as the algorithm wants.
    return b"&".join([b"".join(triple) for triple in sorted([component.partition(b"=") for component in components])])


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
    """Signs each request with an access key / secret key pair; a retried request is signed afresh.

    Temporary credentials (STS) add a `security_token`: it travels in `X-Security-Token`, signed with the other
    headers, as the vendor SDK's `BasicCredentials(..., security_token=...)` sends it.
    """

    requires_request_body = True

    def __init__(
        self, ak: str, sk: str, *, security_token: str | None = None, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._ak = ak
        self._sk = sk
        self._security_token = security_token
        self._clock = clock
        # Constant per signer, so prepared once: the HMAC key and the start of every Authorization value.
        self._key = sk.encode()
        self._authorization_prefix = f"{ALGORITHM} Access={ak}, SignedHeaders="
        self._date_cache: tuple[int, str] = (-1, "")

    @property
    def access_key(self) -> str:
        """The access key id (not a secret: it travels in every signed request)."""
        return self._ak

    def __repr__(self) -> str:
        token = ", security_token='***'" if self._security_token is not None else ""
        return f"SdkHmacSha256Auth(ak={self._ak!r}, sk='***'{token})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request

    def _sdk_date(self) -> str:
        """The current time in the algorithm's format, formatted once per second with the default clock."""
        if self._clock is not _utc_now:
            return self._clock().strftime(DATE_FORMAT)
        second = int(time.time())
        cached = self._date_cache
        if cached[0] != second:
            cached = (second, time.strftime(DATE_FORMAT, time.gmtime(second)))
            self._date_cache = cached  # one tuple, replaced whole: safe to share between threads
        return cached[1]

    def sign(self, request: httpx.Request) -> None:
        """Add `X-Sdk-Date` (unless present), `X-Security-Token` (with temporary credentials) and `Authorization`
        to the request in place."""
        headers = request.headers
        if self._security_token is not None:
            headers[SECURITY_TOKEN_HEADER] = self._security_token
        if headers.encoding != "ascii":  # rare: header text beyond ASCII is signed as decoded text
            self._sign_text(request)
            return
        # Works on the raw header bytes: with ASCII headers, bytes and text give the same canonical request.
        values: dict[bytes, bytes] = {}  # lower-case name -> value, repeated names joined as `Headers.items()` does
        for name, value in headers.raw:
            key = name.lower()
            values[key] = values[key] + b", " + value if key in values else value
        if b"authorization" in values:  # a previous signature is replaced, never signed over
            del headers["Authorization"]
            del values[b"authorization"]
        content_type = values.get(b"content-type")
        if content_type and not content_type.startswith(_SIGNED_PAYLOAD_TYPES):
            headers[CONTENT_HASH_HEADER] = "UNSIGNED-PAYLOAD"
            values[b"x-sdk-content-sha256"] = b"UNSIGNED-PAYLOAD"
        if b"x-sdk-date" not in values:
            sdk_date = self._sdk_date()
            headers[DATE_HEADER] = sdk_date
            values[b"x-sdk-date"] = sdk_date.encode("ascii")
        signed: dict[bytes, bytes] = {}
        for key, value in values.items():
            trimmed = value.strip(_ASCII_WHITESPACE)
            if len(trimmed) != len(value):  # what is signed must be what is sent
                headers[key.decode("ascii")] = trimmed.decode("ascii")
                values[key] = trimmed
            if key not in _UNSIGNED_HEADER_BYTES and b"_" not in key:
                signed[key] = trimmed
        body = request.content
        payload_hash = values.get(b"x-sdk-content-sha256") or (
            hashlib.sha256(body).hexdigest() if body else _EMPTY_BODY_HASH
        ).encode("ascii")
        raw_path, _, raw_query = request.url.raw_path.partition(b"?")
        names = sorted(signed)
        signed_names = b";".join(names)
        canonical = b"\n".join(
            [
                request.method.upper().encode(),
                _canonical_uri_bytes(raw_path),
                _canonical_query_bytes(raw_query),
                b"".join([name + b":" + signed[name] + b"\n" for name in names]),
                signed_names,
                payload_hash,
            ]
        )
        to_sign = b"%s\n%s\n%s" % (
            _ALGORITHM_BYTES,
            signed[b"x-sdk-date"],
            hashlib.sha256(canonical).hexdigest().encode(),
        )
        signature_hex = hmac.digest(self._key, to_sign, "sha256").hex()
        headers["Authorization"] = f"{self._authorization_prefix}{signed_names.decode()}, Signature={signature_hex}"

    def _sign_text(self, request: httpx.Request) -> None:
        """`sign` for headers that are not all ASCII: works on the header text as `httpx.Headers` decodes it."""
        request.headers.pop("Authorization", None)  # a previous signature is replaced, never signed over
        content_type = request.headers.get("Content-Type")
        if content_type and not content_type.startswith(("application/json", "application/bson")):
            request.headers[CONTENT_HASH_HEADER] = "UNSIGNED-PAYLOAD"
        if DATE_HEADER not in request.headers:
            request.headers[DATE_HEADER] = self._sdk_date()
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
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        canonical = canonical_request(request.method, raw_path, query_pairs(raw_query), headers, payload_hash)
        to_sign = string_to_sign(canonical, headers[DATE_HEADER.lower()])
        names = signed_header_names(headers)
        request.headers["Authorization"] = authorization_header(self._ak, names, signature(self._sk, to_sign))
