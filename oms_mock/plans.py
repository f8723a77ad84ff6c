"""What start-up decides for each operation: its checks, and the convention its answer follows.

Planning reads only the spec (no store exists yet), so a spec the mock cannot serve is refused before any item
is generated; every problem of every operation is reported at once, each at its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

from oms_mock.answers import Answer, FixedAnswer, ListingAnswer, LookupAnswer, success_status
from oms_mock.examples import ExampleValues
from oms_mock.listings import ItemCollection
from oms_mock.parameters import OperationParameters
from oms_mock.request_bodies import BodyCheck, body_check
from oms_mock.schema_validators import SchemaValidators
from oms_mock.seed import generated_body, generated_properties
from oms_mock.spec import JSON_MEDIA_TYPE, ServedSpec
from oms_mock.store import ItemStore
from oms_spec import Operation, SpecError, SpecProblem


class Convention(StrEnum):
    """Which answer an operation gets (see `oms_mock.answers`)."""

    LISTING = "listing"
    LOOKUP = "lookup"
    GENERATED = "generated"


@dataclass(frozen=True)
class OperationPlan:
    """One operation's checks and answer, as decided at start-up."""

    operation: Operation
    parameters: OperationParameters
    body: BodyCheck | None
    convention: Convention
    status: int = 200
    content: bytes | None = None
    extras: Mapping[str, Any] = field(default_factory=dict)


def plan_operations(served: ServedSpec, validators: SchemaValidators, seed: int) -> list[OperationPlan]:
    """Every operation's plan; SpecError listing every operation the mock cannot serve."""
    plans: list[OperationPlan] = []
    problems: list[SpecProblem] = []
    for operation in served.api.operations:
        try:
            plans.append(_plan(served, validators, operation, seed))
        except SpecError as error:
            problems.extend(error.problems)
    if problems:
        raise SpecError(served.path, problems)
    return plans


def _plan(served: ServedSpec, validators: SchemaValidators, operation: Operation, seed: int) -> OperationPlan:
    api = served.api
    parameters = OperationParameters(api, validators, operation)
    body = body_check(served, validators, operation)
    pagination = api.pagination(operation)
    response = next(iter(operation.success_responses), None)
    if pagination is not None:
        assert response is not None and response.schema is not None  # oms_spec refuses a listing without a body
        where = f"{response.where}.content['{JSON_MEDIA_TYPE}'].schema"
        page_fields = (pagination.items, pagination.total)
        extras = generated_properties(served, response.schema, where, page_fields, seed)
        return OperationPlan(operation, parameters, body, Convention.LISTING, extras=extras)
    if api.lookup(operation) is not None:
        return OperationPlan(operation, parameters, body, Convention.LOOKUP)
    if response is None:
        message = "the mock answers an operation with its first documented 2xx response, and this one has none"
        raise SpecError(None, [SpecProblem(f"{operation.where}.responses", message)])
    content: bytes | None = None
    if response.schema is not None:
        examples = ExampleValues(served.example_bodies(response, operation))
        content = orjson.dumps(generated_body(served, validators, response, examples, seed))
    return OperationPlan(operation, parameters, body, Convention.GENERATED, success_status(response.status), content)


def answer_for(
    plan: OperationPlan,
    collections: tuple[ItemCollection, ...],
    stores: Mapping[str, ItemStore],
    page_cache_size: int,
) -> Answer:
    """The answer of a planned operation, over the store of its collection."""
    operation_id = plan.operation.operation_id
    if plan.convention is Convention.GENERATED:
        return FixedAnswer(plan.status, plan.content)
    for collection in collections:
        store = stores[collection.name]
        for listing in collection.listings:
            if plan.convention is Convention.LISTING and listing.operation.operation_id == operation_id:
                return ListingAnswer(listing, store, page_cache_size, plan.extras)
        for lookup in collection.lookups:
            if plan.convention is Convention.LOOKUP and lookup.operation.operation_id == operation_id:
                return LookupAnswer(lookup, collection, store)
    raise AssertionError(f"no collection serves {operation_id}")  # read_collections covers every listing and lookup
