"""A realistic, deterministic 100-task response page built from the spec's enums and limits."""

from __future__ import annotations

import json
import random
import uuid
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema  # type: ignore[import-untyped]
import yaml

from bench.settings import SPEC_PATH

_WORDS = (
    "nightly archive of the media bucket",
    "replicate customer uploads to the backup region",
    "daily log shipping for the analytics platform",
    "migration of static web assets ahead of the cut-over",
    "keep the disaster recovery copy in step with production",
    "sync of research data sets between teams",
    "move cold objects to the cheaper storage class",
    "mirror the build artefacts used by the release pipeline",
)
_SOURCE_REGIONS = ("us-east-1", "eu-west-1", "cn-hangzhou", "ap-guangzhou", "cn-north-4", "ap-southeast-1")


@cache
def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The spec as a plain dict (cached: it is read by several benchmarks)."""
    return cast(dict[str, Any], yaml.safe_load(path.read_text()))


def _enum(spec: dict[str, Any], name: str) -> list[str]:
    return list(spec["components"]["schemas"][name]["enum"])


def _description(rng: random.Random, max_length: int) -> str:
    length = rng.randint(4, 40) if rng.random() < 0.95 else max_length
    text = rng.choice(_WORDS)
    while len(text) < length:
        text = f"{text}; {rng.choice(_WORDS)}"
    return text[:length].rstrip(" ;")


def build_task(spec: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    """One synchronization task with every field set, enums drawn from the spec, nullable fields sometimes null."""
    task_schema = spec["components"]["schemas"]["SyncTaskInfo"]["properties"]
    regions: list[str] = spec["servers"][0]["variables"]["region"]["enum"]
    cloud = rng.choice(_enum(spec, "SrcCloudType"))
    created = 1_690_000_000_000 + rng.randrange(0, 40_000_000_000)
    cdn: dict[str, Any] | None = None
    if rng.random() < 0.3:
        cdn = {
            "domain": f"cdn{index}.assets-{rng.randrange(1000)}.example.com",
            "protocol": rng.choice(_enum(spec, "CdnProtocol")),
            "authentication_type": rng.choice(_enum(spec, "CdnAuthenticationType")),
        }
    return {
        "sync_task_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "src_cloud_type": cloud,
        "src_region": rng.choice(_SOURCE_REGIONS),
        "src_bucket": f"oms-src-{cloud.lower()}-{index:05d}",
        "create_time": created,
        "last_start_time": created + rng.randrange(0, 3_000_000_000),
        "dst_bucket": f"oms-dst-{index:05d}",
        "dst_region": rng.choice(regions),
        "description": _description(rng, task_schema["description"]["maxLength"]),
        "status": rng.choice(_enum(spec, "SyncTaskStatus")),
        "enable_kms": rng.random() < 0.3,
        "enable_metadata_migration": rng.random() < 0.5,
        "enable_restore": rng.random() < 0.2,
        "app_id": f"125{rng.randrange(10**7):07d}" if cloud == "Tencent" else None,
        "source_cdn": cdn,
        "object_overwrite_mode": rng.choice(_enum(spec, "ObjectOverwriteMode")),
        "dst_storage_policy": rng.choice([*_enum(spec, "DstStoragePolicy"), None]),
        "consistency_check": rng.choice(_enum(spec, "ConsistencyCheck")),
    }


def build_page(tasks: int = 100, seed: int = 0, total: int = 10_100) -> dict[str, Any]:
    """A full page of `tasks` tasks from a store of `total` tasks."""
    spec = load_spec()
    rng = random.Random(seed)
    return {"tasks": [build_task(spec, rng, i) for i in range(tasks)], "count": total}


def page_bytes(tasks: int = 100, seed: int = 0) -> bytes:
    """The page as the wire carries it (compact JSON, UTF-8), checked against the spec's response schema."""
    page = build_page(tasks, seed)
    validate_page(page)
    return json.dumps(page, separators=(",", ":"), ensure_ascii=False).encode()


def validate_page(page: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless `page` conforms to the spec's ListSyncTasksResponse."""
    spec = load_spec()
    schema = {"$ref": "#/components/schemas/ListSyncTasksResponse", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(page)
