"""Credentials as `httpx.Auth` objects: an IAM token in the spec's token header, or AK/SK request signing.

`OmsClient(token=...)` and `OmsClient(ak=..., sk=...)` are shortcuts that build these; any other `httpx.Auth`
can be passed as `auth=`. The token header and its length limits come from the spec (`_spec.py`).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping

import httpx

from ._signing import SdkHmacSha256Auth
from ._spec import SIGNING_ALGORITHM, TOKEN_HEADER, TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH
from .errors import ValidationError


class TokenAuth(httpx.Auth):
    """Sends an IAM token in the spec's token header (`X-Auth-Token` for OMS) with every request."""

    def __init__(self, token: str) -> None:
        header = TOKEN_HEADER
        if header is None:
            raise ValidationError("token", "cannot be used: the spec declares no token security scheme")
        self._token = checked_token(token)
        self.static_headers: Mapping[str, str] = {header: self._token}

    def __repr__(self) -> str:
        return f"TokenAuth(header={TOKEN_HEADER!r}, token='***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.static_headers)
        yield request


def checked_token(token: object) -> str:
    """`token` if it can be sent as the token header; ValidationError naming the problem (never the token)."""
    if not isinstance(token, str):
        raise ValidationError("token", f"must be a string, got {type(token).__name__}")
    shortest = max(TOKEN_MIN_LENGTH or 0, 1)  # an empty token is never a credential
    longest = TOKEN_MAX_LENGTH
    if len(token) < shortest or (longest is not None and len(token) > longest):
        limits = f"between {shortest} and {longest}" if longest is not None else f"at least {shortest}"
        raise ValidationError(
            "token", f"must be {limits} characters long, got {len(token)} characters", limit=(shortest, longest)
        )
    if not (token.isascii() and token.isprintable()):
        raise ValidationError("token", f"must contain only printable ASCII characters to be sent in {TOKEN_HEADER}")
    return token


def credentials_auth(
    token: str | None, ak: str | None, sk: str | None, security_token: str | None, auth: httpx.Auth | None
) -> httpx.Auth:
    """The auth object for the credentials given: exactly one of `token`, `ak` with `sk` (and, for temporary
    credentials, `security_token`), or `auth`."""
    given = [name for name, value in (("token", token), ("ak/sk", ak or sk), ("auth", auth)) if value is not None]
    if len(given) > 1:
        raise ValidationError(given[0], f"and {given[1]} are mutually exclusive: pass one kind of credentials")
    if auth is not None:
        if not isinstance(auth, httpx.Auth):
            raise ValidationError("auth", f"must be an httpx.Auth, got {type(auth).__name__}")
        return auth
    if token is not None:
        if security_token is not None:
            raise ValidationError("security_token", "goes with ak and sk (temporary credentials), not with a token")
        return TokenAuth(token)
    if ak is None and sk is None:
        raise ValidationError(
            "token",
            "or ak and sk are required (or use from_env() with OMS_AUTH_TOKEN, or CLOUD_SDK_AK and CLOUD_SDK_SK)",
        )
    if SIGNING_ALGORITHM is None:
        raise ValidationError("ak", "cannot be used: the spec declares no request-signing security scheme")
    if not isinstance(ak, str) or not ak:
        raise ValidationError("ak", "must be a non-empty string when sk is given")
    if not isinstance(sk, str) or not sk:
        raise ValidationError("sk", "must be a non-empty string when ak is given")
    if security_token is not None and not (
        isinstance(security_token, str) and security_token and security_token.isascii() and security_token.isprintable()
    ):
        raise ValidationError("security_token", "must be a non-empty string of printable ASCII characters")
    return SdkHmacSha256Auth(ak, sk, security_token=security_token)
