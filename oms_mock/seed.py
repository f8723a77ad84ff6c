"""A deterministic, realistic task data set built from the spec's enums and string limits.

The first `coverage_size(spec)` tasks walk every enum value, and null and non-null for every nullable field, in
turn; later tasks draw at random from the seed. Descriptions run from empty to the spec's maximum length and never
contain the characters its pattern forbids. Ties on `create_time` are deliberate: they exercise the order's
`sync_task_id` tie-break.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import orjson

from oms_mock.spec import FieldFacts, MockSpec, SpecError
from oms_mock.store import EncodedTask

#: The newest seeded `create_time` (2025-01-01T00:00:00Z in ms); older tasks spread over the year before it.
NEWEST_CREATE_TIME_MS = 1_735_689_600_000
_YEAR_MS = 365 * 24 * 3600 * 1000
_MONTH_MS = 30 * 24 * 3600 * 1000
#: Every this-many tasks shares the previous task's create_time.
_TIE_EVERY = 37
#: Every this-many tasks has a description of exactly the spec's maximum length (and the next one an empty one).
_LONGEST_EVERY = 53
#: Distinct descriptions per data set; tasks draw from this pool, which keeps a million tasks quick to build.
_DESCRIPTION_POOL = 2048

_SOURCE_REGIONS: Mapping[str, tuple[str, ...]] = {
    "AWS": ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-northeast-1"),
    "Azure": ("eastus", "westeurope", "chinanorth2", "southeastasia"),
    "Aliyun": ("cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "ap-southeast-1"),
    "Tencent": ("ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu"),
    "QingCloud": ("pek3", "sh1a", "gd2"),
    "KingsoftCloud": ("cn-beijing-6", "cn-shanghai-2", "cn-guangzhou-1"),
    "Baidu": ("bj", "gz", "su", "fwh"),
    "Qiniu": ("z0", "z1", "z2", "na0", "as0"),
    "UCloud": ("cn-bj2", "cn-sh2", "hk", "us-ca"),
}
_WORDS = (
    "nightly", "sync", "of", "the", "archive", "bucket", "to", "OBS", "media", "logs", "backup", "assets",
    "migration", "team", "data", "lake", "replica", "photos", "video", "batch", "weekly", "project", "phase",
    "2", "prod", "staging", "incremental", "full", "copy", "-", "/", "@", "#", "50%", "v1.2", "数据", "迁移",
    "同步任务", "données", "größe", "naïve", "ü", "→", "✓",
)  # fmt: skip
_BUCKET_PARTS = ("media", "logs", "backup", "assets", "photos", "web", "data", "archive", "static", "video", "docs")


def coverage_size(spec: MockSpec) -> int:
    """How many tasks it takes for every enum value, and null and non-null of every nullable field, to appear."""
    sizes = [len(_cover_values(facts)) for facts in spec.task_fields.values()]
    sizes += [len(facts.enum) for facts in spec.cdn_fields.values() if facts.enum]
    sizes.append(len(_cdn_cover(spec)) + 1 if "source_cdn" in spec.task_fields else 1)
    return max(sizes)


def _cover_values(facts: FieldFacts) -> tuple[Any, ...]:
    values: tuple[Any, ...] = facts.enum or ()
    return (*values, None) if facts.nullable and values else values


def _cdn_cover(spec: MockSpec) -> list[tuple[str, str]]:
    """(protocol, authentication_type) pairs covering both enums."""
    protocols = spec.cdn_fields["protocol"].enum or ("HTTPS",) if "protocol" in spec.cdn_fields else ("HTTPS",)
    auth_facts = spec.cdn_fields.get("authentication_type")
    auth_types = auth_facts.enum if auth_facts and auth_facts.enum else ("NONE",)
    count = max(len(protocols), len(auth_types))
    return [(protocols[i % len(protocols)], auth_types[i % len(auth_types)]) for i in range(count)]


class TaskGenerator:
    """Builds task `i` of the data set for a seed; the same (spec, seed) always yields the same tasks."""

    def __init__(self, spec: MockSpec, seed: int) -> None:
        self._spec = spec
        self._fields = spec.task_fields
        for required in ("sync_task_id", "status"):
            if required not in self._fields:
                raise SpecError(f"SyncTaskInfo has no {required!r} property; the seed generator needs it")
        self._rng = random.Random(seed)
        self._cover = coverage_size(spec)
        self._cdn_cover = _cdn_cover(spec)
        description = self._fields.get("description")
        self._description_max = (description.max_length if description and description.max_length else 255) or 0
        self._description_pattern = re.compile(description.pattern) if description and description.pattern else None
        self._descriptions = [self._make_description(target) for target in self._description_lengths()]
        self._regions = spec.regions or ("cn-north-4",)
        self._previous_create_time = NEWEST_CREATE_TIME_MS
        self._builders: list[tuple[str, Callable[[int], Any]]] = [
            (name, self._builder_for(facts)) for name, facts in self._fields.items()
        ]

    def _builder_for(self, facts: FieldFacts) -> Callable[[int], Any]:
        special: Mapping[str, Callable[[int], Any]] = {
            "sync_task_id": self._task_id,
            "src_region": self._src_region,
            "src_bucket": lambda i: self._bucket(i, "src", facts),
            "dst_bucket": lambda i: self._bucket(i, "dst", facts),
            "dst_region": _cycle_then_draw(self._regions, 0, self._rng.random),
            "create_time": self._create_time,
            "last_start_time": self._last_start_time,
            "description": self._description,
            "app_id": self._app_id,
            "source_cdn": self._source_cdn,
        }
        if facts.name in special:
            return special[facts.name]
        values = _cover_values(facts)
        if values:
            return _cycle_then_draw(values, self._cover, self._rng.random)
        if "boolean" in facts.types:
            return _cycle_then_draw((False, True, False), self._cover, self._rng.random)
        if "integer" in facts.types:
            low = facts.minimum or 0
            high = min(facts.maximum if facts.maximum is not None else 2**31, low + 2**31)
            return lambda i: self._rng.randint(low, high)
        if "string" in facts.types:
            return lambda i: _clip(f"{facts.name}-{i}", facts.max_length)
        return lambda i: None

    def _pick(self, values: Sequence[Any]) -> Any:
        return values[int(self._rng.random() * len(values))]

    def task(self, i: int) -> dict[str, Any]:
        """Task number `i` (tasks must be built in order 0, 1, 2, ...)."""
        current: dict[str, Any] = {}
        self._current = current
        for name, build in self._builders:
            current[name] = build(i)
        return current

    def _task_id(self, i: int) -> str:
        # A version-4 UUID from the seeded generator (uuid.uuid4 would read the OS's randomness).
        h = f"{self._rng.getrandbits(122):031x}"
        return f"{h[:8]}-{h[8:12]}-4{h[12:15]}-{'89ab'[int(h[15], 16) & 3]}{h[16:19]}-{h[19:31]}"

    def _src_region(self, i: int) -> str:
        cloud = self._current.get("src_cloud_type")
        regions = self._regions if cloud == "HuaweiCloud" else _SOURCE_REGIONS.get(str(cloud), ("region-1",))
        return _clip(self._pick(regions), self._fields["src_region"].max_length)

    def _bucket(self, i: int, side: str, facts: FieldFacts) -> str:
        bits = self._rng.getrandbits(28)
        return _clip(f"{_BUCKET_PARTS[bits % len(_BUCKET_PARTS)]}-{side}-{bits >> 4:06x}", facts.max_length)

    def _create_time(self, i: int) -> int:
        if i % _TIE_EVERY != _TIE_EVERY - 1:
            self._previous_create_time = NEWEST_CREATE_TIME_MS - int(self._rng.random() * _YEAR_MS)
        return self._previous_create_time

    def _last_start_time(self, i: int) -> int:
        return self._previous_create_time + int(self._rng.random() * _MONTH_MS)

    def _description_lengths(self) -> Iterator[int]:
        yield self._description_max
        yield 0
        for _ in range(_DESCRIPTION_POOL - 2):
            yield min(self._description_max, 8 + int(self._rng.random() * 60))

    def _make_description(self, target: int) -> str:
        words: list[str] = []
        length = -1
        while length < target:
            word = self._pick(_WORDS)
            words.append(word)
            length += len(word) + 1
        text = " ".join(words)[:target].rstrip().ljust(target, ".")
        if self._description_pattern is not None and not self._description_pattern.search(text):
            raise SpecError(f"the seed description {text!r} breaks the spec's pattern; update the seed word list")
        return text

    def _description(self, i: int) -> str:
        slot = i % _LONGEST_EVERY
        if slot < 2:
            return self._descriptions[slot]
        return self._descriptions[2 + int(self._rng.random() * (len(self._descriptions) - 2))]

    def _app_id(self, i: int) -> str | None:
        # The service requires an app_id only for Tencent sources, so only they carry one.
        if self._current.get("src_cloud_type") != "Tencent":
            return None
        return _clip(str(1250000000 + int(self._rng.random() * 10_000_000)), self._fields["app_id"].max_length)

    def _source_cdn(self, i: int) -> dict[str, Any] | None:
        cover = self._cdn_cover
        if i < len(cover) + 1:
            pair = None if i == 0 else cover[i - 1]
        else:
            pair = self._pick(cover) if self._rng.random() < 0.2 else None
        if pair is None:
            return None
        protocol, authentication_type = pair
        domain = f"cdn-{self._rng.getrandbits(20):05x}.{self._pick(_BUCKET_PARTS)}.example.com"
        return {
            "domain": _clip(domain, self._spec.cdn_fields["domain"].max_length),
            "protocol": protocol,
            "authentication_type": authentication_type,
        }


def _cycle_then_draw(values: Sequence[Any], cover: int, random: Callable[[], float]) -> Callable[[int], Any]:
    """Value `i % len` for the first `cover` tasks, then a random one."""
    n = len(values)

    def build(i: int) -> Any:
        return values[i % n] if i < cover else values[int(random() * n)]

    return build


def _clip(text: str, max_length: int | None) -> str:
    return text if max_length is None else text[:max_length]


def generate_tasks(spec: MockSpec, count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """`count` tasks of the data set for `seed`."""
    generator = TaskGenerator(spec, seed)
    for i in range(count):
        yield generator.task(i)


def generate_encoded(spec: MockSpec, count: int, seed: int = 0) -> Iterator[EncodedTask]:
    """The same tasks as `generate_tasks`, serialised for the store."""
    dumps = orjson.dumps
    for task in generate_tasks(spec, count, seed):
        yield EncodedTask(task["sync_task_id"], task["status"], task.get("create_time"), dumps(task))
