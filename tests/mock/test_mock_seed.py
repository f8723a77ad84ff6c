"""The seeded data set: deterministic, valid against the spec, covering every enum value and null."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from oms_mock import MockSpec, coverage_size, generate_tasks


@pytest.fixture(scope="module")
def tasks(spec: MockSpec) -> list[dict[str, Any]]:
    return list(generate_tasks(spec, 2000, seed=0))


def test_the_same_seed_gives_the_same_tasks(spec: MockSpec) -> None:
    assert list(generate_tasks(spec, 50, seed=7)) == list(generate_tasks(spec, 50, seed=7))


def test_different_seeds_give_different_tasks(spec: MockSpec) -> None:
    first = {t["sync_task_id"] for t in generate_tasks(spec, 50, seed=1)}
    second = {t["sync_task_id"] for t in generate_tasks(spec, 50, seed=2)}
    assert not first & second


def test_every_seeded_task_conforms_to_the_spec_schema(spec: MockSpec, tasks: list[dict[str, Any]]) -> None:
    validator = jsonschema_rs.validator_for(spec.schema_for("SyncTaskInfo"))
    invalid = [(i, e.message) for i, task in enumerate(tasks) for e in validator.iter_errors(task)]
    assert invalid == []


def test_every_property_of_the_spec_is_present_in_every_task(spec: MockSpec, tasks: list[dict[str, Any]]) -> None:
    assert all(list(task) == list(spec.task_fields) for task in tasks)


def test_sync_task_ids_are_unique(tasks: list[dict[str, Any]]) -> None:
    assert len({t["sync_task_id"] for t in tasks}) == len(tasks)


def test_every_enum_value_appears_within_the_coverage_size(spec: MockSpec) -> None:
    covered = list(generate_tasks(spec, coverage_size(spec), seed=3))
    for name, facts in spec.task_fields.items():
        if facts.enum:
            assert {t[name] for t in covered} >= set(facts.enum), name
    cdns = [t["source_cdn"] for t in covered if t["source_cdn"] is not None]
    for name, facts in spec.cdn_fields.items():
        if facts.enum:
            assert {cdn[name] for cdn in cdns} == set(facts.enum), name


def test_every_nullable_field_is_both_null_and_set(spec: MockSpec, tasks: list[dict[str, Any]]) -> None:
    nullable = [name for name, facts in spec.task_fields.items() if facts.nullable]
    assert nullable, "the spec has nullable fields"
    for name in nullable:
        values = [t[name] for t in tasks]
        assert None in values, name
        assert any(v is not None for v in values), name


def test_descriptions_reach_the_spec_maximum_without_forbidden_characters(
    spec: MockSpec, tasks: list[dict[str, Any]]
) -> None:
    facts = spec.task_fields["description"]
    lengths = {len(t["description"]) for t in tasks}
    assert max(lengths) == facts.max_length
    assert 0 in lengths
    assert not any(re.search(r"[<>()\"'&]", t["description"]) for t in tasks)
    assert any(not t["description"].isascii() for t in tasks)


def test_source_cdn_objects_carry_domain_protocol_and_authentication_type(tasks: list[dict[str, Any]]) -> None:
    cdns = [t["source_cdn"] for t in tasks if t["source_cdn"] is not None]
    assert cdns
    assert all(set(cdn) == {"domain", "protocol", "authentication_type"} for cdn in cdns)


def test_only_tencent_sources_carry_an_app_id(tasks: list[dict[str, Any]]) -> None:
    assert all((t["app_id"] is not None) == (t["src_cloud_type"] == "Tencent") for t in tasks)


def test_some_tasks_share_a_create_time(tasks: list[dict[str, Any]]) -> None:
    create_times = [t["create_time"] for t in tasks]
    assert len(set(create_times)) < len(create_times)


def test_last_start_time_is_never_before_create_time(tasks: list[dict[str, Any]]) -> None:
    assert all(t["last_start_time"] >= t["create_time"] for t in tasks)


def test_both_statuses_are_common(spec: MockSpec, tasks: list[dict[str, Any]]) -> None:
    for status in spec.task_fields["status"].enum or ():
        assert sum(t["status"] == status for t in tasks) > len(tasks) // 4
