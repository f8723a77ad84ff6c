"""Property tests of the client against the spec itself (issue 5): bodies and parameter sets generated from the spec.

- valid 200 bodies (schemathesis' JSON Schema builder, plus explicit 100-task and maximum-length examples) parse
  and re-serialize to equal JSON (bodies carry only fields the spec names; unknown fields are one of the breaks);
- bodies breaking one constraint are rejected in strict mode with the JSON path named; in tolerant mode they are
  rejected too, except unknown enum values and fields (kept) and JSON strings holding a number or a boolean
  (read as that value), as documented in `_responses.read_page`;
- parameter sets are sent exactly when the spec's parameter schemas accept them, and rejected before sending
  otherwise (Python floats are left out: JSON Schema calls 5.0 an integer, but "5.0" is no integer on the wire).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import warnings
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import httpx
import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from oms_sync_client import OmsClient, OutOfSpecValueWarning, UnknownEnumValueWarning, errors
from schemathesis.generation.jsonschema.builder import build

from .fake_oms import PROJECT_ID, TOKEN

SPEC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "spec" / "oms-sync-tasks.yaml").read_text(encoding="utf-8")
)
DRAFT_2020_12 = 20  # schemathesis' builder takes jsonschema_rs' draft number
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def resolved(node: Any) -> Any:
    """`node` with every `$ref` into the spec replaced by its target (siblings of a `$ref` kept)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = SPEC
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            return resolved({**target, **siblings})
        return {key: resolved(value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(item) for item in node]
    return node


def closed(node: Any) -> Any:
    """The schema with `additionalProperties: false` on every object: bodies without fields the spec lacks."""
    if isinstance(node, dict):
        result = {key: closed(value) for key, value in node.items()}
        if "properties" in node:
            result["additionalProperties"] = False
        return result
    if isinstance(node, list):
        return [closed(item) for item in node]
    return node


PAGE_SCHEMA = resolved(SPEC["components"]["schemas"]["ListSyncTasksResponse"])
TASK_SCHEMA = resolved(SPEC["components"]["schemas"]["SyncTaskInfo"])
CDN_SCHEMA = resolved(SPEC["components"]["schemas"]["SourceCdnResp"])


def enum_of(schema: dict[str, Any]) -> list[str] | None:
    """The enum a property schema admits, looking through allOf/anyOf."""
    if "enum" in schema:
        values: list[str] = schema["enum"]
        return values
    for branch in schema.get("allOf", []) + schema.get("anyOf", []):
        found = enum_of(branch)
        if found is not None:
            return found
    return None


def json_type_of(schema: dict[str, Any]) -> str | None:
    """The non-null JSON type a property schema admits."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return next((k for k in kinds if k not in (None, "null")), None)


def admits_null(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return (isinstance(kind, list) and "null" in kind) or any(b.get("type") == "null" for b in schema.get("anyOf", []))


def longest_string(schema: dict[str, Any]) -> str:
    """A string of exactly the schema's maxLength that its pattern (if any) accepts."""
    length: int = schema["maxLength"]
    return "a" * length


def maximal_task(index: int) -> dict[str, Any]:
    """A task with every string at its maximum length and every integer at its maximum."""
    task: dict[str, Any] = {}
    for name, schema in TASK_SCHEMA["properties"].items():
        values = enum_of(schema)
        if values is not None:
            task[name] = max(values, key=len)
        elif json_type_of(schema) == "string":
            task[name] = longest_string(schema)
        elif json_type_of(schema) == "integer":
            task[name] = schema["maximum"]
        elif json_type_of(schema) == "boolean":
            task[name] = True
    task["sync_task_id"] = f"{index:03d}".ljust(TASK_SCHEMA["properties"]["sync_task_id"]["maxLength"], "x")
    task["source_cdn"] = {
        "domain": longest_string(CDN_SCHEMA["properties"]["domain"]),
        "protocol": enum_of(CDN_SCHEMA["properties"]["protocol"])[-1],  # type: ignore[index]
        "authentication_type": enum_of(CDN_SCHEMA["properties"]["authentication_type"])[-1],  # type: ignore[index]
    }
    return task


FULL_PAGE = {
    "tasks": [maximal_task(i) for i in range(PAGE_SCHEMA["properties"]["tasks"]["maxItems"])],
    "count": PAGE_SCHEMA["properties"]["count"]["maximum"],
}


class Wire:
    """A MockTransport whose next 200 body a test sets; it keeps the requests it saw."""

    def __init__(self) -> None:
        self.body = b"{}"
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, content=self.body, headers={"X-Request-Id": "prop"})


@pytest.fixture(scope="module")
def wire() -> Wire:
    return Wire()


@pytest.fixture(scope="module")
def wired_client(wire: Wire) -> OmsClient:
    http = httpx.Client(transport=httpx.MockTransport(wire.handle))
    return OmsClient(base_url="https://oms.test", project_id=PROJECT_ID, token=TOKEN, max_retries=0, http_client=http)


@PROPERTY_SETTINGS
@given(body=build(closed(PAGE_SCHEMA), draft=DRAFT_2020_12, formats={}))
@example(body=FULL_PAGE)
@example(body={"tasks": [], "count": 0})
def test_valid_bodies_generated_from_the_spec_parse_and_reserialize_to_equal_json(
    wired_client: OmsClient, wire: Wire, body: dict[str, Any]
) -> None:
    wire.body = json.dumps(body).encode()

    for strict in (False, True):
        page = wired_client.list_sync_tasks(strict=strict)
        assert page.model_dump(mode="json", by_alias=True, exclude_unset=True) == body


@dataclasses.dataclass(frozen=True)
class Break:
    """One constraint broken at `path` (keys into the body); `tolerated` says how tolerant mode handles it."""

    path: tuple[str | int, ...]
    value: Any  # the new value; DELETE removes the key
    # "rejected"; "kept" (an unknown enum value or field, a value breaking a limit); "coerced" (a number or boolean
    # sent as a string); "null" (a null where the spec allows none, on an optional field: read as None)
    tolerated: str

    @property
    def json_path(self) -> str:
        return "$" + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in self.path)


DELETE = object()


def breaks_of_object(schema: dict[str, Any], prefix: tuple[str | int, ...]) -> list[Break]:
    """Every single-constraint break the schema of an object allows, at `prefix`."""
    found = [Break((*prefix, "x_not_in_spec"), 1, "kept")]
    for name in schema.get("required", []):
        found.append(Break((*prefix, name), DELETE, "rejected"))
    required = set(schema.get("required", []))
    for name, prop in schema["properties"].items():
        at = (*prefix, name)
        if not admits_null(prop):
            found.append(Break(at, None, "rejected" if name in required else "null"))
        values = enum_of(prop)
        kind = json_type_of(prop)
        if values is not None:
            found.append(Break(at, "NOT_IN_THE_SPEC", "kept"))
            found.append(Break(at, 7, "rejected"))
        elif kind == "string":
            found.append(Break(at, 12345, "rejected"))
        elif kind == "integer":
            found.extend([Break(at, "12", "coerced"), Break(at, 1.5, "rejected")])
        elif kind == "boolean":
            found.extend([Break(at, "true", "coerced"), Break(at, "maybe", "rejected")])
        if "maxLength" in prop:
            found.append(Break(at, "a" * (prop["maxLength"] + 1), "kept"))
        if "minimum" in prop:
            found.append(Break(at, prop["minimum"] - 1, "kept"))
        if "maximum" in prop:
            found.append(Break(at, prop["maximum"] + 1, "kept"))
        if "pattern" in prop:
            found.append(Break(at, "not <allowed>", "kept"))
    return found


TASK_STATUSES: list[str] = SPEC["components"]["schemas"]["SyncTaskStatus"]["enum"]


def all_breaks() -> list[Break]:
    """Breaks of the page, of its first task, and of that task's CDN object."""
    page_breaks = [b for b in breaks_of_object(PAGE_SCHEMA, ()) if b.path != ("tasks",) or b.value is DELETE]
    too_many = PAGE_SCHEMA["properties"]["tasks"]["maxItems"] + 1
    a_task = {"sync_task_id": "t", "status": TASK_STATUSES[0]}
    page_breaks.append(Break(("tasks",), [a_task] * too_many, "kept"))
    task_breaks = breaks_of_object(TASK_SCHEMA, ("tasks", 0))
    cdn_breaks = breaks_of_object(CDN_SCHEMA, ("tasks", 0, "source_cdn"))
    return page_breaks + task_breaks + cdn_breaks


BREAKS = all_breaks()


def applied(body: dict[str, Any], broken: Break) -> dict[str, Any]:
    mutated = copy.deepcopy(body)
    node: Any = mutated
    for key in broken.path[:-1]:
        node = node[key]
    if broken.value is DELETE:
        node.pop(broken.path[-1], None)
    else:
        node[broken.path[-1]] = broken.value
    return mutated


valid_cdns = build(closed(CDN_SCHEMA), draft=DRAFT_2020_12, formats={})
valid_tasks = build(closed(TASK_SCHEMA), draft=DRAFT_2020_12, formats={})


@st.composite
def pages_with_a_cdn_task(draw: st.DrawFn) -> dict[str, Any]:
    """A valid page whose first task has a CDN object (so that nested breaks have somewhere to go)."""
    first = {**cast(dict[str, Any], draw(valid_tasks)), "source_cdn": draw(valid_cdns)}
    rest = draw(st.lists(valid_tasks, max_size=2))
    return {"tasks": [first, *rest], "count": draw(st.integers(0, 2**63 - 1))}


def test_every_kind_of_break_is_exercised() -> None:
    assert {b.tolerated for b in BREAKS} == {"rejected", "kept", "coerced", "null"}
    assert len(BREAKS) > 60


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=pages_with_a_cdn_task(), broken=st.sampled_from(BREAKS))
def test_bodies_breaking_one_constraint_are_rejected_in_strict_mode_naming_the_path(
    wired_client: OmsClient, wire: Wire, body: dict[str, Any], broken: Break
) -> None:
    wire.body = json.dumps(applied(body, broken)).encode()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        with pytest.raises(errors.ResponseValidationError) as caught:
            wired_client.list_sync_tasks(strict=True)

    assert caught.value.path == broken.json_path


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=pages_with_a_cdn_task(), broken=st.sampled_from(BREAKS))
def test_bodies_breaking_one_constraint_are_handled_as_documented_in_tolerant_mode(
    wired_client: OmsClient, wire: Wire, body: dict[str, Any], broken: Break
) -> None:
    wire.body = json.dumps(applied(body, broken)).encode()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownEnumValueWarning)
        warnings.simplefilter("ignore", OutOfSpecValueWarning)
        if broken.tolerated == "rejected":
            with pytest.raises(errors.ResponseValidationError) as caught:
                wired_client.list_sync_tasks()
            assert caught.value.path == broken.json_path
            return
        page = wired_client.list_sync_tasks()

    reread: Any = page.model_dump(mode="json", by_alias=True, exclude_unset=True)
    for key in broken.path:
        reread = reread[key]
    expected = (
        {"12": 12, "true": True}.get(broken.value, broken.value) if broken.tolerated == "coerced" else broken.value
    )
    assert reread == expected
    if broken.tolerated in ("null", "kept"):
        with pytest.raises(errors.ResponseValidationError) as caught, warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownEnumValueWarning)
            wired_client.list_sync_tasks(strict=True)
        assert caught.value.path == broken.json_path


PARAMETER_SCHEMAS = {
    "project_id": resolved(SPEC["components"]["parameters"]["ProjectId"]["schema"]),
    "limit": resolved(SPEC["components"]["parameters"]["Limit"]["schema"]),
    "offset": resolved(SPEC["components"]["parameters"]["Offset"]["schema"]),
    "status": resolved(SPEC["components"]["parameters"]["Status"]["schema"]),
}
VALIDATORS = {name: jsonschema_rs.validator_for(schema) for name, schema in PARAMETER_SCHEMAS.items()}
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)


def near(schema: dict[str, Any]) -> st.SearchStrategy[int]:
    return st.integers(schema["minimum"] - 3, schema["maximum"] + 3)


parameter_values = st.fixed_dictionaries(
    {},
    optional={
        "limit": st.one_of(st.none(), near(PARAMETER_SCHEMAS["limit"]), st.booleans(), text),
        "offset": st.one_of(st.none(), near(PARAMETER_SCHEMAS["offset"]), st.booleans(), text),
        "status": st.one_of(
            st.none(), st.sampled_from(enum_of(PARAMETER_SCHEMAS["status"]) or []), text, st.integers()
        ),
        "project_id": st.one_of(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
            st.sampled_from(["", "p" * PARAMETER_SCHEMAS["project_id"]["maxLength"]]),
            st.just("p" * (PARAMETER_SCHEMAS["project_id"]["maxLength"] + 1)),
        ),
    },
)


def spec_allows(values: dict[str, Any]) -> bool:
    return all(value is None or VALIDATORS[name].is_valid(value) for name, value in values.items())


@settings(max_examples=300, deadline=None)
@given(values=parameter_values)
def test_generated_parameter_sets_are_sent_exactly_when_the_spec_allows_them(
    wired_client: OmsClient, wire: Wire, values: dict[str, Any]
) -> None:
    wire.body = b'{"tasks": [], "count": 0}'
    wire.requests.clear()

    if not spec_allows(values):
        with pytest.raises(errors.ValidationError):
            wired_client.list_sync_tasks(**values)
        assert wire.requests == []
        return

    wired_client.list_sync_tasks(**values)

    [sent] = wire.requests
    expected_query = {
        "limit": str(values.get("limit") if values.get("limit") is not None else PARAMETER_SCHEMAS["limit"]["default"]),
        "offset": str(
            values.get("offset") if values.get("offset") is not None else PARAMETER_SCHEMAS["offset"]["default"]
        ),
    }
    if values.get("status") is not None:
        expected_query["status"] = values["status"]
    project_id: str = values["project_id"] if values.get("project_id") is not None else PROJECT_ID
    assert dict(sent.url.params) == expected_query
    assert sent.url.raw_path.split(b"?")[0].decode() == f"/v2/{quote(project_id, safe='')}/sync-tasks"
