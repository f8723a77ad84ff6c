"""Benchmark 2: bytes of a 100-task page to objects, ours (default and strict) against the anchors."""

from __future__ import annotations

import functools
import importlib
import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
import pydantic

from bench import anchors, ours, vendor_sdk
from bench.charts import bar_chart
from bench.profiling import function_calls_per_invocation, profile_calls
from bench.results import Profile, Section, Table, Target
from bench.sample_page import page_bytes
from bench.settings import RunSettings
from bench.stats import Summary, format_number, format_summary, per_call_sampler, ratio, run_interleaved

Parser = Callable[[bytes], object]

ORJSON = "orjson.loads"
JSON = "json.loads"
OURS_DEFAULT = "ours: model_validate_json (default, tolerant)"
OURS_STRICT = "ours: client response path, strict=True"
OURS_CLIENT_DEFAULT = "ours: client response path, default"
VENDOR = "huaweicloudsdkoms response handler"
ATTRS = "openapi-python-client attrs from_dict(json.loads)"
PYDANTIC_FLOOR = "pydantic floor: same fields, plain types, no constraints"


def attrs_parser(project: Path) -> Parser:
    """`ListSyncTasksResponse.from_dict(json.loads(...))` of bare openapi-python-client output."""
    package = next(p.parent.parent.name for p in project.glob("*/models/__init__.py"))
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    models = importlib.import_module(f"{package}.models")
    response_class: Any = models.ListSyncTasksResponse

    def parse(body: bytes) -> object:
        return response_class.from_dict(json.loads(body))

    return parse


def default_parser() -> Parser:
    """Our tolerant default: the generated model's `model_validate_json`."""
    response_class: Any = ours.client_models().ListSyncTasksResponse

    def parse(body: bytes) -> object:
        return response_class.model_validate_json(body)

    return parse


def _client_response(body: bytes) -> httpx.Response:
    """An httpx.Response for a 200 page, as the client's transport hands it over."""
    request = httpx.Request("GET", "http://127.0.0.1/v2/bench/sync-tasks?limit=100")
    return httpx.Response(200, content=body, headers={"Content-Type": "application/json"}, request=request)


def client_path_parser(*, strict: bool) -> Parser:
    """The client's own handling of a 200 response of the listing (`oms_sync_client._responses.read_result` with
    the first paginated endpoint of the generated package)."""
    read_result, endpoint = ours.read_result(), ours.first_paginated_endpoint()

    def parse(body: bytes) -> object:
        return read_result(endpoint, _client_response(body), strict=strict)

    return parse


def strict_parser() -> Parser:
    """What the client does for a 200 body with `strict=True`."""
    return client_path_parser(strict=True)


def _plain_type(values: list[Any]) -> Any:
    """The plainest annotation that accepts every value seen (str/int/bool, nested models, `| None`)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, dict) for v in present):
        nested = _plain_model("PlainNested", present)
        annotation: Any = nested
    elif present and all(isinstance(v, bool) for v in present):
        annotation = bool
    elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        annotation = int
    else:
        annotation = str
    return annotation | None if len(present) < len(values) else annotation


def _plain_model(name: str, objects: list[dict[str, Any]]) -> type[pydantic.BaseModel]:
    keys = list(dict.fromkeys(key for obj in objects for key in obj))
    fields: dict[str, Any] = {key: (_plain_type([obj.get(key) for obj in objects]), ...) for key in keys}
    return pydantic.create_model(name, **fields)


def pydantic_floor_parser(body: bytes) -> Parser:
    """pydantic with the page's fields as plain types and no constraints: what any pydantic model costs at least."""
    page = json.loads(body)
    task = _plain_model("PlainTask", page["tasks"])
    response: Any = pydantic.create_model("PlainPage", tasks=(list[task], ...), count=(int, ...))  # type: ignore[valid-type]

    def parse(data: bytes) -> object:
        return response.model_validate_json(data)

    return parse


def vendor_parser(body: bytes) -> Parser:
    """The vendor SDK's handler, bound to a canned response that holds `body` (the argument is ignored)."""
    handle = vendor_sdk.response_handler(body)

    def parse(_body: bytes) -> object:
        return handle()

    return parse


def collect_parsers(section: Section, body: bytes) -> dict[str, Parser]:
    """Every subject that can run here; the ones that cannot are noted in `section.not_measured`."""
    parsers: dict[str, Parser] = {ORJSON: orjson.loads, JSON: json.loads, PYDANTIC_FLOOR: pydantic_floor_parser(body)}
    candidates: list[tuple[str, Callable[[], Parser]]] = [
        (OURS_DEFAULT, default_parser),
        (OURS_CLIENT_DEFAULT, lambda: client_path_parser(strict=False)),
        (OURS_STRICT, strict_parser),
        (VENDOR, lambda: vendor_parser(body)),
        (ATTRS, lambda: attrs_parser(anchors.bare_client_project())),
    ]
    for name, build in candidates:
        try:
            parsers[name] = build()
        except ours.PartMissing as exc:
            section.not_measured.append(f"{name}: {exc}")
        except Exception as exc:  # an anchor that fails to build is reported, not fatal
            section.not_measured.append(f"{name}: could not be set up: {type(exc).__name__}: {exc}")
    return parsers


def run(settings: RunSettings, out_dir: Path) -> Section:
    """Time every parser on the same page, interleaved rounds of many back-to-back parses."""
    body = page_bytes()
    section = Section(
        key="parse",
        title="2. Parsing a 100-task page",
        method=(
            f"One {len(body) / 1000:.1f} KB page of 100 tasks (compact JSON; built deterministically from the spec's "
            "enums and limits by `bench/sample_page.py`, and validated against the spec's response schema). "
            f"Each sample times {settings.parse_loops} back-to-back parses of the same bytes; "
            f"{settings.parse_rounds} interleaved rounds (order rotated each round). "
            "Vendor SDK: `Client.sync_response_handler` on a `requests.Response` holding the page (what "
            "`list_sync_tasks` does after the HTTP call: simplejson with Decimal floats, then reflective model "
            "building). Client response path: `oms_sync_client._responses.read_result` on an `httpx.Response` (what "
            "`list_sync_tasks` does after the HTTP call), tolerant and with `strict=True` (which adds "
            "`find_deviations`, a walk over the parsed models)."
        ),
    )
    parsers = collect_parsers(section, body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for parse in parsers.values():
            for _ in range(3):
                parse(body)
        samplers = {
            name: per_call_sampler(functools.partial(parse, body), settings.parse_loops)
            for name, parse in parsers.items()
        }
        results = run_interleaved(settings.parse_rounds, samplers)
    micro = {name: summary.scaled(1e6) for name, summary in results.items()}
    baseline = micro[ORJSON]
    rows = tuple((name, format_summary(summary), f"{ratio(summary, baseline):.2f}×") for name, summary in micro.items())
    section.tables.append(Table(header=("parser", "µs per page, median (min–max)", "× orjson.loads"), rows=rows))
    _targets(section, micro, parsers, body)
    section.charts.append(
        bar_chart(
            out_dir / "parse.png",
            f"Parsing a {len(body) // 1000} KB, 100-task page (lower is better)",
            "µs per page (median, min–max whiskers)",
            [(name, summary, name.startswith("ours")) for name, summary in micro.items()],
        )
    )
    return section


def _targets(section: Section, micro: dict[str, Summary], parsers: dict[str, Parser], body: bytes) -> None:
    ours_default = micro.get(OURS_DEFAULT)
    vendor = micro.get(VENDOR)
    orjson_summary = micro[ORJSON]
    if ours_default is not None and vendor is not None:
        speedup = ratio(vendor, ours_default)
        needs = f"needs ≤ {format_number(vendor.median / 5)} µs per page; took {format_number(ours_default.median)} µs"
        measured = f"{format_number(speedup)}× faster"
        section.targets.append(Target("default parse ≥ 5× faster than the vendor SDK", measured, speedup >= 5, needs))
    else:
        section.targets.append(Target("default parse ≥ 5× faster than the vendor SDK", "—", None))
    if ours_default is not None:
        slowdown = ratio(ours_default, orjson_summary)
        measured = f"{format_number(slowdown)}× orjson.loads"
        section.targets.append(Target("default parse within 3× of orjson.loads", measured, slowdown <= 3))
    else:
        section.targets.append(Target("default parse within 3× of orjson.loads", "—", None))
    floor = micro.get(PYDANTIC_FLOOR)
    if floor is not None and ours_default is not None:
        section.notes.append(
            f"pydantic's own floor on this page (same fields as plain types, no constraints) is "
            f"{ratio(floor, orjson_summary):.2f}× orjson.loads; the generated models cost "
            f"{ratio(ours_default, floor):.2f}× that floor for the spec's constraints (lengths, ranges, the "
            "description pattern, open enums, nullability)."
        )
    if OURS_DEFAULT in parsers:
        parse_default = parsers[OURS_DEFAULT]
        per_parse = function_calls_per_invocation(lambda: parse_default(body), 50)
        section.notes.append(
            f"cProfile counts {per_parse:.0f} Python function calls per default parse of the 100-task page: the "
            "work is inside pydantic-core, not in Python validators."
        )
    if OURS_STRICT in micro and ours_default is not None:
        section.notes.append(
            f"Strict mode costs {ratio(micro[OURS_STRICT], ours_default):.2f}× the default path "
            "(no target; it is for contract testing)."
        )
    if section.missed_targets and OURS_DEFAULT in parsers:
        parse = parsers[OURS_DEFAULT]
        section.profiles.append(
            Profile("cProfile, 200 default parses (pydantic-core's Rust work shows as one call)",
                    profile_calls(lambda: parse(body), 200))
        )  # fmt: skip
