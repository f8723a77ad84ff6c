"""`oms-contract replay`: send requests recorded in a cassette again, with fresh credentials, and compare statuses.

A cassette is schemathesis' VCR YAML (`cassette.yaml`, `failures.yaml`; interactions chosen by their `id`) or HAR
(`cassette.har`; entries chosen by their position, from 1). Recorded credentials were sanitized, so each request
is sent with the credentials given now: the token in the spec's token header, or signed again with AK/SK
(`SDK-HMAC-SHA256`, a fresh `X-Sdk-Date`), which a curl line cannot do. `--base-url` sends to another server
than the recorded one. The live rules hold here as in a run: to a non-loopback host, or with `--live`, only GETs
are replayed, at the default live rate.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import yaml

from oms_contract.exchanges import Exchange, ReceivedResponse, SentRequest, exchange_text
from oms_contract.ratelimit import RateLimiter
from oms_contract.safety import SafetyPolicy
from oms_contract.signing import DATE_HEADER, AkSkAuth, Credentials

# Headers not replayed as recorded: credentials (sanitized anyway), signing, and what the transport sets itself.
_DROPPED = frozenset({"authorization", "host", "content-length", "cookie", DATE_HEADER.lower()})


class CassetteError(ValueError):
    """Raised for a cassette that cannot be read or does not hold the asked-for interactions; names the file."""


@dataclass(frozen=True)
class RecordedRequest:
    """A request as a cassette holds it, and the status it got then (None: no response was recorded)."""

    id: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status_code: int | None


@dataclass(frozen=True)
class Replayed:
    """What replaying one recorded request got: the exchange now (None: not sent, see `note`), and whether the
    status matches the recorded one."""

    recorded: RecordedRequest
    exchange: Exchange | None
    note: str = ""

    @property
    def same_status(self) -> bool:
        response = self.exchange.response if self.exchange else None
        return response is not None and response.status_code == self.recorded.status_code


def read_cassette(path: Path) -> list[RecordedRequest]:
    """The requests of a VCR or HAR cassette, in recorded order; CassetteError naming the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CassetteError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".har":
            return _har_requests(json.loads(text))
        return _vcr_requests(yaml.load(text, Loader=yaml.CSafeLoader))
    except (ValueError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise CassetteError(
            f"{path}: not a VCR or HAR cassette schemathesis wrote ({type(exc).__name__}: {exc})"
        ) from None


def _vcr_requests(document: Mapping[str, Any]) -> list[RecordedRequest]:
    found = []
    for interaction in document.get("http_interactions") or []:
        request = interaction["request"]
        headers = tuple(
            (str(name), str(value)) for name, values in (request.get("headers") or {}).items() for value in values
        )
        body_node = request.get("body") or {}
        if "base64_string" in body_node:
            body: bytes | None = base64.b64decode(body_node["base64_string"])
        elif "string" in body_node:
            body = str(body_node["string"]).encode()
        else:
            body = None
        response = interaction.get("response")
        status = int(response["status"]["code"]) if response else None
        found.append(RecordedRequest(str(interaction["id"]), request["method"], request["uri"], headers, body, status))
    return found


def _har_requests(document: Mapping[str, Any]) -> list[RecordedRequest]:
    found = []
    for position, entry in enumerate(document["log"]["entries"], start=1):
        request = entry["request"]
        headers = tuple((str(header["name"]), str(header["value"])) for header in request.get("headers") or [])
        text = (request.get("postData") or {}).get("text")
        status = int(entry["response"]["status"]) or None
        found.append(
            RecordedRequest(
                str(position), request["method"], request["url"], headers, text.encode() if text else None, status
            )
        )
    return found


def choose(recorded: Sequence[RecordedRequest], ids: Iterable[str]) -> list[RecordedRequest]:
    """The recorded requests with the given ids (all when none is given); CassetteError naming an unknown id."""
    wanted = list(ids)
    if not wanted:
        return list(recorded)
    by_id = {request.id: request for request in recorded}
    unknown = [name for name in wanted if name not in by_id]
    if unknown:
        raise CassetteError(f"no interaction with id {', '.join(map(repr, unknown))} in the cassette")
    return [by_id[name] for name in wanted]


def retargeted(url: str, base_url: str | None) -> str:
    """The URL with the scheme and host of `base_url` (its path kept as recorded); unchanged without one."""
    if base_url is None:
        return url
    target, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit(parts._replace(scheme=target.scheme, netloc=target.netloc))


def replay_headers(headers: Iterable[tuple[str, str]], token_header: str | None, token: str | None) -> dict[str, str]:
    """The headers to send again: the recorded ones without credentials and signing, and the token when given."""
    dropped = _DROPPED | ({token_header.lower()} if token_header else set())
    sent = {name: value for name, value in headers if name.lower() not in dropped}
    if token is not None and token_header is not None:
        sent[token_header] = token
    return sent


def replay(
    recorded: Sequence[RecordedRequest],
    *,
    token_header: str | None,
    token: str | None = None,
    credentials: Credentials | None = None,
    base_url: str | None = None,
    live: bool = False,
    timeout: float = 10.0,
) -> list[Replayed]:
    """Send each recorded request again with the given credentials (see the module docstring)."""
    results = []
    limiter: RateLimiter | None = None
    with requests.Session() as session:
        for request in recorded:
            url = retargeted(request.url, base_url)
            policy = SafetyPolicy.for_target(url, live=live)
            if policy.read_only and request.method.upper() != "GET":
                results.append(
                    Replayed(request, None, f"not sent: live-run safety replays only GET, not {request.method}")
                )
                continue
            if policy.rate_per_second is not None:
                limiter = limiter or RateLimiter(policy.rate_per_second)
                limiter.acquire()
            auth = AkSkAuth(credentials) if credentials is not None else None
            headers = replay_headers(request.headers, token_header, token)
            try:
                answer = session.request(
                    request.method, url, headers=headers, data=request.body, auth=auth, timeout=timeout
                )
            except requests.RequestException as exc:
                sent = SentRequest(request.method, url, tuple(headers.items()), request.body)
                results.append(Replayed(request, Exchange(sent, None, request.id), f"no answer: {exc}"))
                continue
            response = ReceivedResponse(
                status_code=answer.status_code,
                message=answer.reason or "",
                headers=tuple(answer.headers.items()),
                body=answer.content,
                elapsed=answer.elapsed.total_seconds(),
            )
            results.append(Replayed(request, Exchange(SentRequest.of_prepared(answer.request), response, request.id)))
    return results


def replay_text(replayed: Replayed, *, token_header: str | None, secrets: Sequence[str]) -> str:
    """One replayed request for people: the exchange now and how its status compares with the recorded one."""
    recorded = replayed.recorded
    lines = [f"replay {recorded.id}: {recorded.method} {recorded.url}"]
    if replayed.exchange is not None:
        lines.append(exchange_text(replayed.exchange, token_header=token_header, secrets=secrets))
    if replayed.note:
        lines.append(replayed.note)
    response = replayed.exchange.response if replayed.exchange else None
    if response is not None:
        then = recorded.status_code if recorded.status_code is not None else "no response"
        verdict = "same status as recorded" if replayed.same_status else "a different status from the recording"
        lines.append(f"recorded {then}, now {response.status_code}: {verdict}")
    return "\n".join(lines) + "\n"
