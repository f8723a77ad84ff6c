"""Who may call: an accepted token (in the spec's token header), or a valid SDK-HMAC-SHA256 signature (AK/SK)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from oms_mock.signing import ALGORITHM, SignatureError, SignedRequest, verify

#: The API gateway rejects an X-Sdk-Date further than this from its clock.
MAX_CLOCK_SKEW_SECONDS = 15 * 60


class AuthError(Exception):
    """Raised when a request is not authenticated; the message says why."""


@dataclass(frozen=True)
class RequestCredentials:
    """The credential headers of a request, as raw bytes (None when absent)."""

    token: bytes | None
    authorization: bytes | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Authenticator:
    """Accepts a configured token, or (with an AK/SK pair) a request signed with it."""

    def __init__(
        self,
        tokens: Iterable[str],
        access_key: str | None = None,
        secret_key: str | None = None,
        clock: Callable[[], datetime] = _utc_now,
        token_header: str = "token",
    ) -> None:
        self.token_header = token_header
        self._tokens = frozenset(token.encode() for token in tokens)
        self._access_key = access_key
        self._secret_key = secret_key
        self._clock = clock

    @property
    def signing_enabled(self) -> bool:
        """Whether signed requests are verified (an AK/SK pair is configured)."""
        return self._access_key is not None and self._secret_key is not None

    def token_accepted(self, token: bytes | None) -> bool:
        """Whether `token` is one of the accepted token values."""
        return token is not None and token in self._tokens

    def wants_signature_check(self, credentials: RequestCredentials) -> bool:
        """Whether the request must be checked as a signed request (no accepted token, SDK-HMAC-SHA256 present)."""
        return (
            not self.token_accepted(credentials.token)
            and credentials.authorization is not None
            and credentials.authorization.lstrip().startswith(ALGORITHM.encode())
        )

    def check_token(self, credentials: RequestCredentials) -> None:
        """Pass when the token is accepted; AuthError naming the problem otherwise."""
        if self.token_accepted(credentials.token):
            return
        if credentials.token is None:
            raise AuthError(f"The {self.token_header} header is missing.")
        raise AuthError(f"The {self.token_header} is not valid.")

    def check_signature(self, request: SignedRequest) -> None:
        """Pass when the signature verifies under the configured AK/SK; AuthError naming the problem otherwise."""
        if self._access_key is None or self._secret_key is None:
            raise AuthError(f"AK/SK signing is not enabled on this server; send an {self.token_header}.")
        try:
            verify(request, self._access_key, self._secret_key, self._clock(), MAX_CLOCK_SKEW_SECONDS)
        except SignatureError as exc:
            raise AuthError(f"Signature verification failed: {exc}.") from None
