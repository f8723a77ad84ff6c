"""The seeded data set: deterministic, valid against the item schema, covering every enum value, null and length.

Every expectation is read from the item schema (walked here, independently of the generator): which fields are
enums, nullable, bounded strings, nested objects, and what the listing's example page shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs
import mock_spec_variants as spec_variants
import pytest
from spec_facts import API, COLLECTION, ID_FIELD, ITEM_PROPERTIES, ITEMS, LISTING, SERVED, item_field

from oms_mock import ConfigError, MockConfig, coverage_size, create_app, generate_items, get_store
from oms_spec import flatten

COUNT = 2000


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return list(generate_items(SERVED, COUNT, seed=0))


@dataclass(frozen=True)
class Field:
    """A leaf or object of the item schema at a location (property names from the item's root)."""

    location: tuple[str, ...]
    keywords: Mapping[str, Any]
    types: frozenset[str]
    nullable: bool


def schema_fields(schema: Any, location: tuple[str, ...] = ()) -> Iterator[Field]:
    """Every property of the schema, nested objects' properties included."""
    for name, node in flatten(schema, API.resolver).properties.items():
        flat = flatten(node, API.resolver)
        yield Field((*location, name), flat.keywords, flat.types, flat.nullable)
        if "object" in flat.types:
            yield from schema_fields(node, (*location, name))


FIELDS = list(schema_fields(COLLECTION.item_schema))


def values_at(items: list[dict[str, Any]], location: tuple[str, ...]) -> list[Any]:
    """The values at `location` in every item where the path exists (null parents skipped)."""
    found = []
    for item in items:
        value: Any = item
        for name in location:
            if not isinstance(value, dict):
                break
            value = value.get(name)
        else:
            found.append(value)
    return found


def test_the_same_seed_gives_the_same_items() -> None:
    assert list(generate_items(SERVED, 50, seed=7)) == list(generate_items(SERVED, 50, seed=7))


def test_different_seeds_give_different_items() -> None:
    first = {item[ID_FIELD] for item in generate_items(SERVED, 50, seed=1)}
    second = {item[ID_FIELD] for item in generate_items(SERVED, 50, seed=2)}
    assert not first & second


def test_every_seeded_item_conforms_to_the_item_schema(items: list[dict[str, Any]]) -> None:
    component = COLLECTION.name
    schema = {"$ref": f"#/components/schemas/{component}", "components": API.document["components"]}
    validator = jsonschema_rs.validator_for(schema)
    assert [(i, e.message) for i, item in enumerate(items) for e in validator.iter_errors(item)] == []


def test_every_property_of_the_item_schema_is_present_in_every_item(items: list[dict[str, Any]]) -> None:
    assert all(list(item) == list(ITEM_PROPERTIES) for item in items)


def test_ids_are_unique(items: list[dict[str, Any]]) -> None:
    assert len({item[ID_FIELD] for item in items}) == len(items)


def test_every_enum_value_of_every_field_appears_within_the_coverage_size() -> None:
    covered = list(generate_items(SERVED, coverage_size(SERVED), seed=3))
    enums = [field for field in FIELDS if isinstance(field.keywords.get("enum"), list)]
    assert any(len(field.location) > 1 for field in enums), "the spec has nested enums"
    for field in enums:
        assert set(values_at(covered, field.location)) >= set(field.keywords["enum"]), field.location


def test_every_nullable_field_is_both_null_and_set_within_the_coverage_size() -> None:
    covered = list(generate_items(SERVED, coverage_size(SERVED), seed=3))
    nullable = [field for field in FIELDS if field.nullable]
    assert nullable, "the spec has nullable fields"
    for field in nullable:
        values = values_at(covered, field.location)
        assert None in values, field.location
        assert any(value is not None for value in values), field.location


def test_strings_run_from_their_shortest_to_their_longest_length(items: list[dict[str, Any]]) -> None:
    bounded = [
        field
        for field in FIELDS
        if "string" in field.types and "enum" not in field.keywords and "maxLength" in field.keywords
    ]
    bounded = [field for field in bounded if field.location != (ID_FIELD,)]
    assert bounded
    for field in bounded:
        lengths = {len(value) for value in values_at(items, field.location) if isinstance(value, str)}
        assert max(lengths) == field.keywords["maxLength"], field.location
        assert min(lengths) == field.keywords.get("minLength", 0), field.location


def test_free_text_includes_non_ascii_characters(items: list[dict[str, Any]]) -> None:
    strings = [value for item in items for value in item.values() if isinstance(value, str)]
    assert any(not value.isascii() for value in strings)


def test_every_value_of_an_enum_without_a_default_is_common(items: list[dict[str, Any]]) -> None:
    for field in FIELDS:
        enum = field.keywords.get("enum")
        if len(field.location) == 1 and isinstance(enum, list) and "default" not in field.keywords:
            values = values_at(items, field.location)
            for value in enum:
                assert values.count(value) > len(items) / (2 * len(enum) + 2), (field.location, value)


def test_a_field_with_a_default_takes_it_most_often(items: list[dict[str, Any]]) -> None:
    defaulted = [f for f in FIELDS if "default" in f.keywords and len(f.location) == 1 and not f.nullable]
    assert defaulted, "the spec gives fields defaults"
    for field in defaulted:
        values = values_at(items, field.location)
        assert max(set(values), key=values.count) == field.keywords["default"], field.location


def test_the_first_item_shows_the_example_pages_strings(items: list[dict[str, Any]]) -> None:
    listing_examples = SERVED.example_bodies(LISTING.responses[0], LISTING)
    example = listing_examples[0][ITEMS][0]
    strings = [
        name
        for name, value in example.items()
        if isinstance(value, str) and "string" in item_field(name).types and item_field(name).enum is None
    ]
    strings = [name for name in strings if name != ID_FIELD]
    assert strings
    assert {name: items[0][name] for name in strings} == {name: example[name] for name in strings}


def test_integers_lie_near_the_example_pages_values(items: list[dict[str, Any]]) -> None:
    example = SERVED.example_bodies(LISTING.responses[0], LISTING)[0][ITEMS][0]
    integers = [name for name, value in example.items() if isinstance(value, int) and not isinstance(value, bool)]
    assert integers
    for name in integers:
        values = values_at(items, (name,))
        assert all(abs(value - example[name]) <= abs(example[name]) // 25 for value in values), name


def test_a_string_pattern_nothing_can_fit_refuses_start_up_naming_the_field(tmp_path: Path) -> None:
    field = next(f for f in FIELDS if len(f.location) == 1 and "pattern" in f.keywords)
    document = spec_variants.shipped()
    node = document["components"]["schemas"][COLLECTION.name]["properties"][field.location[0]]
    node["pattern"] = "^[A-Z]{3}-[0-9]{4}-[a-z]{5}$"
    with pytest.raises(
        ConfigError, match=rf"{COLLECTION.name}\.properties\.{field.location[0]}: .*no string that fits"
    ):
        create_app(MockConfig(spec_path=spec_variants.written(tmp_path, document), tasks=5))


def test_a_pattern_plain_digits_fit_is_honoured(tmp_path: Path) -> None:
    field = next(f for f in FIELDS if len(f.location) == 1 and "pattern" in f.keywords)
    document = spec_variants.shipped()
    node = document["components"]["schemas"][COLLECTION.name]["properties"][field.location[0]]
    node["pattern"] = "^[0-9]{6}$"
    store = get_store(create_app(MockConfig(spec_path=spec_variants.written(tmp_path, document), tasks=50)))
    assert all(len(item[field.location[0]]) == 6 and item[field.location[0]].isdigit() for item in store.items())
