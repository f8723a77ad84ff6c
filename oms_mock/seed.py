"""A deterministic data set per collection, generated from its item schema alone (`oms_mock.values`).

Item `i` of a data set is the same for the same spec and seed. The first `coverage_size` items show every enum
value and null and non-null of every nullable field, nested fields included; strings run from their shortest to
their longest fitting length; the id field is unique by construction (a version-4 UUID when the spec's
examples or `format` say so, else a counter in a form that fits the field). Realism comes from the spec's own
examples (the listing's example page anchors numbers and shapes strings), defaults and formats.

Before a data set is used, a sample of it is validated against the item schema with jsonschema-rs, so a schema
the generator cannot satisfy stops start-up with the field named rather than serving invalid items.
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

import orjson

from oms_mock.builders import Builder, Objects
from oms_mock.examples import ExampleValues
from oms_mock.listings import ItemCollection, read_collections
from oms_mock.messages import located
from oms_mock.schema_validators import SchemaValidators
from oms_mock.spec import ServedSpec
from oms_mock.store import EncodedItem, StoreLayout, column_value
from oms_mock.text import string_fits
from oms_mock.values import BuildContext, compile_schema, merged_properties, uuid4_text
from oms_spec import Response, SpecError, SpecProblem, flatten

#: Items are built this many at a time (see `oms_mock.builders.Builder`).
BATCH = 512
#: Items validated before a data set is used (at least its coverage).
SAMPLE_SIZE = 64
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# An odd multiplier makes `i * _SPREAD mod 2**62` a bijection: ids from distinct counters never collide.
_SPREAD = 0x9E3779B97F4A7C15
_LOW_62 = (1 << 62) - 1
_GENERATED_TRIES = 16


class UniqueIds(Builder):
    """The id field: a value from the occurrence number, distinct for every occurrence."""

    def __init__(self, make: Callable[[int], Any]) -> None:
        super().__init__()
        self.make = make

    def build(self, start: int, size: int) -> list[Any]:
        make = self.make
        return [make(occurrence) for occurrence in range(start, start + size)]


class ItemGenerator:
    """Builds the items of one collection for a seed, in order."""

    def __init__(self, served: ServedSpec, collection: ItemCollection, seed: int) -> None:
        self.collection = collection
        rng = random.Random(seed)
        context = BuildContext(served.api, rng, item_examples(served, collection))
        self._builder = compile_schema(context, collection.item_schema, collection.where)
        if collection.id_field is not None and isinstance(self._builder, Objects):
            self._builder.replace(collection.id_field, _unique_ids(served, collection, context, rng))
        self._ready: deque[dict[str, Any]] = deque()

    @property
    def cover(self) -> int:
        """How many items it takes to show every enum value, and null and non-null of every nullable field."""
        return self._builder.cover

    def peek(self, count: int) -> list[dict[str, Any]]:
        """The next `count` items, still to come from `items`."""
        while len(self._ready) < count:
            self._ready.extend(self._builder.batch(BATCH))
        return list(islice(self._ready, count))

    def items(self, count: int) -> Iterator[dict[str, Any]]:
        """The next `count` items (built BATCH at a time, so any count gives a prefix of the same data set)."""
        ready = self._ready
        for _ in range(count):
            if not ready:
                ready.extend(self._builder.batch(BATCH))
            yield ready.popleft()

    def check(self, validators: SchemaValidators) -> None:
        """Validate the first items (at least the coverage) against the item schema; SpecError naming the field."""
        collection = self.collection
        validator = validators.validator(collection.item_schema, collection.where)
        for item in self.peek(max(SAMPLE_SIZE, self.cover)):
            error = next(iter(validator.iter_errors(item)), None)
            if error is not None:
                path = "".join(f".properties.{p}" for p in error.instance_path if isinstance(p, str))
                detail = located(collection.items_name, error.instance_path)
                message = (
                    f"the seed generator built an item it cannot serve ({detail}: {error.message.splitlines()[0]})"
                )
                raise SpecError(None, [SpecProblem(collection.where + path, message)])


def item_examples(served: ServedSpec, collection: ItemCollection) -> ExampleValues:
    """The items shown in the example bodies of the collection's listings."""
    items: list[Any] = []
    for listing in collection.listings:
        response = listing.operation.response(listing.pagination.status)
        if response is None:
            continue
        for body in served.example_bodies(response, listing.operation):
            found = body.get(listing.pagination.items) if isinstance(body, Mapping) else None
            items.extend(found if isinstance(found, list) else ())
    return ExampleValues(items)


def _unique_ids(served: ServedSpec, collection: ItemCollection, context: BuildContext, rng: random.Random) -> Builder:
    name = collection.id_field
    assert name is not None
    properties = flatten(collection.item_schema, served.api.resolver).properties
    flat = flatten(properties[name], served.api.resolver)
    keywords = flat.keywords
    where = f"{collection.where}.properties.{name}"
    if "integer" in flat.types and "string" not in flat.types:
        low = keywords.get("minimum", 1)
        return UniqueIds(lambda i: int(low) + i)
    fits = string_fits(keywords)
    examples = [value for value in context.examples.at((name,)) if isinstance(value, str)]
    salt = rng.getrandbits(62)
    width = max(int(keywords.get("minLength") or 0), 8)
    strategies: list[Callable[[int], str]] = []
    if keywords.get("format") == "uuid" or (examples and all(_UUID.match(example) for example in examples)):
        strategies.append(lambda i: uuid4_text(rng.getrandbits(64) << 64 | (i * _SPREAD + salt) & _LOW_62))
    if examples:
        strategies.append(lambda i: f"{examples[0]}-{i:x}")
    strategies += [lambda i: f"{i:0{width}x}", lambda i: f"{i:0{width}d}"]
    probe = (0, 1, 2**20, 2**40)
    for make in strategies:
        if all(fits(make(i)) for i in probe):
            return UniqueIds(make)
    message = "the seed generator finds no unique ids that fit this field; give it an `example` (or `format: uuid`)"
    raise SpecError(None, [SpecProblem(where, message)])


def first_collection(served: ServedSpec) -> ItemCollection:
    """The collection of the spec's first listing; ValueError when the spec has no paginated operation."""
    collections = read_collections(served.api)
    if not collections:
        raise ValueError("the spec has no paginated operation, so there is no collection of items")
    return collections[0]


def coverage_size(served: ServedSpec, collection: ItemCollection | None = None) -> int:
    """How many items of the collection (default: the first listing's) it takes to cover every value."""
    return ItemGenerator(served, collection or first_collection(served), 0).cover


def generate_items(
    served: ServedSpec, count: int, seed: int = 0, collection: ItemCollection | None = None
) -> Iterator[dict[str, Any]]:
    """`count` items of the data set for `seed` (default: of the first listing's collection)."""
    return ItemGenerator(served, collection or first_collection(served), seed).items(count)


def checked_encoded(
    served: ServedSpec,
    validators: SchemaValidators,
    collection: ItemCollection,
    layout: StoreLayout,
    count: int,
    seed: int = 0,
) -> Iterator[EncodedItem]:
    """The items of `generate_items`, serialised for the store, once a sample of them proved valid (else SpecError)."""
    generator = ItemGenerator(served, collection, seed)
    generator.check(validators)
    return _encoded(generator.items(count), layout)


def _encoded(items: Iterator[dict[str, Any]], layout: StoreLayout) -> Iterator[EncodedItem]:
    dumps, fields = orjson.dumps, layout.indexed_fields
    for item in items:
        yield EncodedItem(tuple([column_value(item.get(name)) for name in fields]), dumps(item))


def generated_properties(served: ServedSpec, schema: Any, where: str, leave_out: Iterable[str], seed: int) -> Any:
    """Values for an object schema's properties other than `leave_out` (a listing body's fields beside its page)."""
    left_out = set(leave_out)
    context = BuildContext(served.api, random.Random(seed))
    properties = [
        (name, compile_schema(context, node, f"{where}.properties.{name}", (name,)))
        for name, node in merged_properties(served.api, schema).items()
        if name not in left_out
    ]
    return Objects(properties).batch(1)[0]


def generated_body(
    served: ServedSpec, validators: SchemaValidators, response: Response, examples: ExampleValues, seed: int
) -> Any:
    """A body valid against `response`'s schema (the first of a few tries); SpecError naming it if none is."""
    assert response.schema is not None
    where = f"{response.where}.content['application/json'].schema"
    builder = compile_schema(BuildContext(served.api, random.Random(seed), examples), response.schema, where)
    validator = validators.validator(response.schema, where)
    bodies = builder.batch(_GENERATED_TRIES)
    body = next((body for body in bodies if validator.is_valid(body)), bodies[-1])
    if validator.is_valid(body):
        return body
    error = next(iter(validator.iter_errors(body)))
    message = f"the mock cannot generate a valid body for this response ({located('body', error.instance_path)}: "
    raise SpecError(None, [SpecProblem(where, message + error.message.splitlines()[0] + ")")])
