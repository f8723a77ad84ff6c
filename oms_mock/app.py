"""The ASGI application: every operation of the spec over the item stores, the spec itself, and error answers."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from oms_mock import errors
from oms_mock.auth import Authenticator
from oms_mock.config import ConfigError, MockConfig
from oms_mock.credentials import check_tokens, operation_auth
from oms_mock.dataset import Dataset, open_dataset
from oms_mock.endpoints import OperationEndpoint
from oms_mock.faults import FaultPlan
from oms_mock.listings import ItemCollection, read_collections
from oms_mock.plans import answer_for, plan_operations
from oms_mock.routing import SpecRoutes
from oms_mock.schema_validators import SchemaValidators
from oms_mock.spec import SpecReadError, load_served_spec
from oms_mock.store import ItemStore
from oms_spec import SpecError


def create_app(config: MockConfig | None = None) -> Starlette:
    """The mock as a Starlette app; `app.state` holds `config`, `spec`, `collections` and `dataset`."""
    config = config or MockConfig()
    try:
        served = load_served_spec(config.spec_path)
        validators = SchemaValidators(served.api.document)
        collections = read_collections(served.api)
        plans = plan_operations(served, validators, config.seed)
        check_tokens(served.api, validators, config.tokens)
    except (SpecReadError, SpecError) as exc:
        raise ConfigError(str(exc)) from None
    dataset = open_dataset(config, served, collections, validators)
    token_header = served.api.credentials.token_header or "token"
    authenticator = Authenticator(config.tokens, config.ak, config.sk, token_header=token_header)
    faults = FaultPlan(config.fault_config) if config.fault_config is not None else None
    by_template: dict[str, dict[str, ASGIApp]] = {}
    for plan in plans:
        answer = answer_for(plan, collections, dataset.stores, config.page_cache_size)
        auth = operation_auth(served.api, plan.operation, authenticator)
        endpoint = OperationEndpoint(plan.parameters, answer, auth, faults, plan.body)
        by_template.setdefault(plan.operation.path, {})[plan.operation.method] = endpoint
    documents = {
        "/openapi.yaml": _document(served.yaml_bytes, "application/yaml"),
        "/openapi.json": _document(served.json_bytes, "application/json"),
    }
    routes: list[BaseRoute] = [
        SpecRoutes(by_template, reserved=documents),
        *(Route(path, endpoint, methods=["GET"]) for path, endpoint in documents.items()),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.router.redirect_slashes = False
    app.state.config = config
    app.state.spec = served
    app.state.collections = collections
    app.state.dataset = dataset
    return app


def get_store(app: Starlette, operation_id: str | None = None) -> ItemStore:
    """The item store behind an app made by `create_app`: the first listing's, or that of `operation_id`."""
    collections: tuple[ItemCollection, ...] = app.state.collections
    dataset: Dataset = app.state.dataset
    if not collections:
        raise LookupError("the spec has no paginated operation, so the mock keeps no items")
    if operation_id is None:
        return dataset.stores[collections[0].name]
    for collection in collections:
        lookup_ids = {lookup.operation.operation_id for lookup in collection.lookups}
        if operation_id in collection.operation_ids or operation_id in lookup_ids:
            return dataset.stores[collection.name]
    raise LookupError(f"{operation_id} is neither a listing nor a lookup of the spec")


async def _http_error(request: Request, exc: Exception) -> Response:
    """404 and 405 (and any other routing error) in the gateway's error shape, with X-Request-Id."""
    assert isinstance(exc, HTTPException)
    request_id = errors.new_request_id()
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        detail = f"{request.method} is not allowed here; allowed: {allowed}."
        body = errors.gateway_error(errors.METHOD_NOT_ALLOWED, request_id, detail)
    elif exc.status_code == 404:
        body = errors.gateway_error(errors.NO_SUCH_API, request_id)
    else:
        body = errors.gateway_error((f"MOCK.0{exc.status_code}", str(exc.detail)), request_id)
    headers = {**(exc.headers or {}), "X-Request-Id": request_id}
    if "Allow" in headers:  # Starlette joins a set for its own routes: give it a stable order
        headers["Allow"] = ", ".join(sorted(headers["Allow"].split(", ")))
    return Response(body, status_code=exc.status_code, headers=headers, media_type="application/json")


def _document(content: bytes, media_type: str) -> Any:
    async def endpoint(request: Request) -> Response:
        return Response(content, media_type=media_type, headers={"X-Request-Id": errors.new_request_id()})

    return endpoint
