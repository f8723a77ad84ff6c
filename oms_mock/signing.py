"""SDK-HMAC-SHA256 request signatures, canonicalised exactly as huaweicloudsdkcore's signer does."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote, unquote_plus

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "x-sdk-date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
CONTENT_HASH_HEADER = "x-sdk-content-sha256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

_AUTHORIZATION = re.compile(
    r"SDK-HMAC-SHA256\s+Access=(?P<access>[^,\s]+)\s*,\s*SignedHeaders=(?P<signed>[^,\s]+)\s*,"
    r"\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*\Z"
)


class SignatureError(ValueError):
    """Raised when a signed request's Authorization header, date or signature does not check out."""


@dataclass(frozen=True)
class SignedAuthorization:
    """The parts of an `Authorization: SDK-HMAC-SHA256 ...` header."""

    access: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> SignedAuthorization:
    """Split an SDK-HMAC-SHA256 Authorization header; SignatureError when it is malformed."""
    match = _AUTHORIZATION.match(value.strip())
    if match is None:
        raise SignatureError(
            "the Authorization header must read 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>'"
        )
    return SignedAuthorization(
        access=match["access"],
        signed_headers=tuple(match["signed"].split(";")),
        signature=match["signature"].lower(),
    )


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """Each decoded path segment percent-encoded (only `~` kept), and a trailing `/`."""
    path = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return path if path.endswith("/") else path + "/"


def query_pairs(raw_query: str) -> list[tuple[str, str]]:
    """The decoded `name=value` pairs of a query string, in the order sent."""
    pairs = []
    for piece in raw_query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Pairs sorted by name then value, each side percent-encoded, joined by `&`."""
    return "&".join(f"{_encode(name)}={_encode(value)}" for name, value in sorted(pairs))


def canonical_headers(headers: Mapping[str, str], signed: Sequence[str]) -> str:
    """`name:trimmed-value` lines of the signed headers; SignatureError when one is missing."""
    lines = []
    for name in signed:
        if name not in headers:
            raise SignatureError(f"the signed header {name!r} is missing from the request")
        lines.append(f"{name}:{headers[name].strip()}\n")
    return "".join(lines)


def payload_hash(body: bytes, headers: Mapping[str, str]) -> str:
    """The hex SHA-256 of the body, or what `X-Sdk-Content-Sha256` says (e.g. UNSIGNED-PAYLOAD)."""
    if not body:
        return EMPTY_SHA256
    return headers.get(CONTENT_HASH_HEADER) or hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """The canonical request: method, URI, query, headers, signed header names and payload hash."""
    return "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(query_pairs(raw_query)),
            canonical_headers(headers, signed_headers),
            ";".join(signed_headers),
            payload_hash(body, headers),
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """`SDK-HMAC-SHA256`, the request's X-Sdk-Date and the hex SHA-256 of the canonical request."""
    return f"{ALGORITHM}\n{sdk_date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"


def signature(secret_key: str, to_sign: str) -> str:
    """The hex HMAC-SHA256 of the string to sign under the secret key."""
    return hmac.new(secret_key.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


def parse_sdk_date(value: str) -> datetime:
    """An X-Sdk-Date value (`YYYYMMDDTHHMMSSZ`, UTC) as an aware datetime; SignatureError if malformed."""
    try:
        return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureError(f"X-Sdk-Date must look like 20200608T023900Z, got {value[:40]!r}") from None


@dataclass(frozen=True)
class SignedRequest:
    """What a verifier needs of a request (header names lower-cased, values decoded)."""

    method: str
    raw_path: str
    raw_query: str
    headers: Mapping[str, str]
    body: bytes


def verify(request: SignedRequest, access_key: str, secret_key: str, now: datetime, max_skew_seconds: float) -> None:
    """Check a signed request: known AK, signed date within the skew, matching signature; SignatureError if not."""
    value = request.headers.get("authorization")
    if value is None:
        raise SignatureError("the request carries no Authorization header")
    auth = parse_authorization(value)
    if not hmac.compare_digest(auth.access.encode(), access_key.encode()):
        raise SignatureError("the AK is not known")
    if DATE_HEADER not in auth.signed_headers:
        raise SignatureError("X-Sdk-Date must be among the signed headers")
    sdk_date = request.headers.get(DATE_HEADER, "")
    skew = abs((now - parse_sdk_date(sdk_date)).total_seconds())
    if skew > max_skew_seconds:
        raise SignatureError(
            f"X-Sdk-Date {sdk_date} is {int(skew)} s off the server clock (at most {int(max_skew_seconds)} s allowed)"
        )
    canonical = canonical_request(
        request.method, request.raw_path, request.raw_query, request.headers, auth.signed_headers, request.body
    )
    expected = signature(secret_key, string_to_sign(canonical, sdk_date))
    if not hmac.compare_digest(expected, auth.signature):
        raise SignatureError("the signature does not match the request")
