"""Calling a registered check on one exchange built by hand: a real schemathesis case and a response of our making."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import requests
import schemathesis
from contract_spec_variants import listing
from schemathesis.core.transport import Response
from schemathesis.schemas import BaseSchema

from oms_spec import PROJECT_PARAMETER, ApiSpec, load_api_spec

BASE_URL = "http://127.0.0.1:1"
NO_CONTEXT: Any = cast(Any, None)  # the suite's checks read nothing from the context


@functools.cache
def _schemas(spec: Path) -> tuple[ApiSpec, BaseSchema]:
    return load_api_spec(spec), schemathesis.openapi.from_path(spec)


def page_exchange(spec: Path, query: Mapping[str, str], items: list[dict[str, Any]]) -> tuple[Any, Response]:
    """A case of the spec's listing sent with `query`, and a success response holding `items` (total: their count)."""
    api, schema = _schemas(spec)
    operation, pagination = listing(api)
    case = schema[operation.path][operation.method].Case(path_parameters={PROJECT_PARAMETER: "p1"}, query=dict(query))
    path = re.sub(r"\{[^}]*\}", "p1", operation.path)
    request = requests.Request("GET", f"{BASE_URL}{path}?{urlencode(query)}").prepare()
    body = json.dumps({pagination.items: items, pagination.total: len(items)}).encode()
    response = Response(int(pagination.status), {"content-type": ["application/json"]}, body, request, 0.0, True)
    return case, response
