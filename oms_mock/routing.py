"""Routing for the spec's paths, matched on the raw path: one entry per path template, one endpoint per method.

Starlette matches the decoded path with a regex, where `.` stops at a newline and an encoded `/` splits a
segment; here each `{parameter}` of a template takes one raw segment (anything but `/`, possibly empty), so
`a%2Fb` stays one value. A path that matches with a method it has no operation for is a 405 with a sorted
`Allow`; HEAD is answered by the GET operation (without the body) unless the spec has a HEAD operation.

As OpenAPI says, a concrete path wins over a templated one: `/tasks/batch-stop` belongs to that path (and GET on
it is a 405 if the path has no GET) even when `/tasks/{id}` would match it too. All the spec's paths are one
Starlette route, tried first (it is the hot path), which leaves the mock's own paths (the served spec) alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

from oms_mock.endpoints import PATH_SEGMENTS

_PARAMETER = re.compile(r"\{[^{}]+\}")
_ALLOW = "oms_mock.allow"


def template_pattern(template: str) -> re.Pattern[bytes]:
    """A regex over raw path bytes: the template's literal text, and one group per `{parameter}`."""
    pieces = _PARAMETER.split(template)
    return re.compile(b"([^/]*)".join(re.escape(piece).encode() for piece in pieces))


@dataclass(frozen=True)
class PathOperations:
    """The operations of one path template, by method (HEAD added for GET), and the `Allow` they make."""

    template: str
    pattern: re.Pattern[bytes]
    endpoints: Mapping[str, ASGIApp]
    allow: str

    @classmethod
    def of(cls, template: str, endpoints: Mapping[str, ASGIApp]) -> PathOperations:
        methods = dict(endpoints)
        if "GET" in methods:
            methods.setdefault("HEAD", methods["GET"])
        return cls(template, template_pattern(template), methods, ", ".join(sorted(methods)))

    @property
    def precedence(self) -> tuple[int, tuple[int, ...]]:
        """Sort key, most concrete first: fewer parameters, then literal segments before templated ones."""
        shape = tuple(0 if _PARAMETER.search(segment) is None else 1 for segment in self.template.split("/"))
        return self.pattern.groups, shape


class SpecRoutes(BaseRoute):
    """Every path of the spec; the most concrete template matching a path owns it, whatever the method."""

    def __init__(self, paths: Mapping[str, Mapping[str, ASGIApp]], reserved: Iterable[str] = ()) -> None:
        operations = (PathOperations.of(template, endpoints) for template, endpoints in paths.items())
        self.paths = sorted(operations, key=lambda path: path.precedence)
        self._reserved = frozenset(path.encode() for path in reserved)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        # Some clients (httpx's ASGI transport) leave the query in raw_path.
        raw_path = raw_path.partition(b"?")[0]
        if raw_path in self._reserved:
            return Match.NONE, {}
        for path in self.paths:
            found = path.pattern.fullmatch(raw_path)
            if found is not None:
                endpoint = path.endpoints.get(scope["method"])
                child: Scope = {
                    "endpoint": endpoint,
                    "path_params": {},
                    PATH_SEGMENTS: found.groups(),
                    _ALLOW: path.allow,
                }
                return (Match.FULL if endpoint is not None else Match.PARTIAL), child
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = scope["endpoint"]
        if endpoint is None:
            raise HTTPException(405, headers={"Allow": scope[_ALLOW]})
        await endpoint(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)
