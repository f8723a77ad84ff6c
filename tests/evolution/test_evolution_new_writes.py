"""New POST operations (one taking a JSON body, one answering 204): methods, validation, the wire, the CLI."""

from __future__ import annotations

import json

import pytest
from evolution_runs import Variant
from evolution_variants import (
    LISTING,
    NEW_ACTION,
    NEW_BODY_FIELD,
    NEW_BODY_FIELD_MAX,
    NEW_CREATE,
    SHIPPED,
    command_name,
)

from generator.naming import snake_case

pytestmark = pytest.mark.slow

CREATE = snake_case(NEW_CREATE)
ACTION = snake_case(NEW_ACTION)
OPERATION_IDS = [operation.operation_id for operation in SHIPPED.operations] + [NEW_CREATE, NEW_ACTION]


def test_the_create_method_takes_a_required_body(new_writes: Variant) -> None:
    found = new_writes.probe("signature", method=CREATE)

    parameters = {parameter["name"]: parameter for parameter in found["parameters"]}
    assert parameters["body"]["keyword_only"] and parameters["body"]["required"]


def test_a_body_breaking_its_schema_is_refused_before_anything_is_sent(new_writes: Variant) -> None:
    too_long = {NEW_BODY_FIELD: "x" * (NEW_BODY_FIELD_MAX + 1)}
    unknown = {NEW_BODY_FIELD: "ok", "colour": "red"}

    for body, field in ((too_long, f"body.{NEW_BODY_FIELD}"), (unknown, "body.colour"), ({}, f"body.{NEW_BODY_FIELD}")):
        outcome = new_writes.probe("call", method=CREATE, kwargs={"body": body})
        for client in ("sync", "async"):
            assert (outcome[client]["error"], outcome[client]["field"], outcome[client]["sent"]) == (
                "ValidationError",
                field,
                [],
            )


def test_a_valid_body_is_sent_as_json_and_the_answer_parsed(new_writes: Variant) -> None:
    outcome = new_writes.probe("call", method=CREATE, kwargs={"body": {NEW_BODY_FIELD: "new item"}})

    for client in ("sync", "async"):
        assert outcome[client]["result"]["id"]
        assert outcome[client]["sent"][0]["headers"]["content-type"] == "application/json"


def test_an_operation_answering_no_content_returns_none(new_writes: Variant) -> None:
    outcome = new_writes.probe("call", method=ACTION, kwargs={LISTING.id_field: "any-id"})

    assert outcome["sync"] == {"result": None, "sent": outcome["sync"]["sent"]}
    assert outcome["async"]["result"] is None


def test_the_command_line_takes_the_body_as_json(new_writes: Variant) -> None:
    command = command_name(NEW_CREATE, OPERATION_IDS)

    created = new_writes.cli(command, "--body", json.dumps({NEW_BODY_FIELD: "from the cli"}))
    refused = new_writes.cli(command, "--body", "{not json")
    missing = new_writes.cli(command)

    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["id"]
    assert refused.returncode == 2 and "--body must be a JSON object" in refused.stderr
    assert missing.returncode == 2 and "--body" in missing.stderr
