"""The raw parts of a request as sent: the query string split into names and values, path segments decoded.

Everything is decoded strictly (percent-decoding, then UTF-8): text that is not UTF-8 is refused, naming the
parameter, rather than replaced.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes


class ParamError(ValueError):
    """Raised when request parameters break the spec; the message names each parameter and its limit."""


def parse_query(raw: bytes) -> dict[str, list[str]]:
    """Split an `application/x-www-form-urlencoded` query into names and their values, strictly UTF-8."""
    values: dict[str, list[str]] = {}
    problems: list[str] = []
    for piece in raw.split(b"&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition(b"=")
        name = _decode(raw_name.replace(b"+", b" "))
        if name is None:
            problems.append("query parameter names must be valid UTF-8 once percent-decoded")
            continue
        value = _decode(raw_value.replace(b"+", b" "))
        if value is None:
            problems.append(f"{name} must be valid UTF-8 once percent-decoded")
            continue
        values.setdefault(name, []).append(value)
    if problems:
        raise ParamError("; ".join(dict.fromkeys(problems)))
    return values


def decode_path_segment(raw: bytes, name: str) -> str:
    """Percent-decode one path segment, strictly UTF-8."""
    decoded = _decode(raw)
    if decoded is None:
        raise ParamError(f"{name} must be valid UTF-8 once percent-decoded")
    return decoded


def decode_header(raw: bytes, name: str) -> str:
    """A header value as text, strictly UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ParamError(f"{name} must be valid UTF-8") from None


def _decode(raw: bytes) -> str | None:
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None
