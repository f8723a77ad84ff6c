"""Recording a run in schemathesis' own cassette formats (VCR YAML, HAR), for `oms-contract replay` and for CI.

`--record vcr|har` writes every exchange of the run (schemathesis' cases and the suite's own follow-up requests)
to `cassette.yaml` or `cassette.har` in the report directory. Whenever there is a report directory the failing
exchanges also go to `failures.yaml` (VCR), so every failure a report lists can be replayed by its id. Credential
headers are sanitized by schemathesis' writers; the run's secrets are then redacted from the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from schemathesis.config import OutputConfig
from schemathesis.engine.recorder import RecordedScenario, ScenarioRecorder
from schemathesis.reporting.har import HarWriter
from schemathesis.reporting.vcr import VcrWriter

from oms_contract.curl import redact

RecordFormat = Literal["vcr", "har"]
RECORD_FORMATS: tuple[RecordFormat, ...] = ("vcr", "har")
CASSETTE_FILES: dict[RecordFormat, str] = {"vcr": "cassette.yaml", "har": "cassette.har"}
FAILURES_FILE = "failures.yaml"
COMMAND = "oms-contract"


def write_cassette(
    scenarios: Iterable[RecordedScenario],
    path: Path,
    record_format: RecordFormat,
    *,
    seed: int,
    secrets: Sequence[str] = (),
) -> Path:
    """Write the scenarios' exchanges to `path` in the format; return the path."""
    config = OutputConfig()
    if record_format == "vcr":
        with VcrWriter(path, config) as vcr:
            vcr.open(seed=seed, command=COMMAND)
            for scenario in scenarios:
                vcr.write(scenario)
    else:
        with HarWriter(path, config) as har:
            har.open(seed=seed)
            for scenario in scenarios:
                har.write(scenario)
    if secrets:
        text = path.read_text(encoding="utf-8")
        redacted = redact(text, secrets)
        if redacted != text:
            path.write_text(redacted, encoding="utf-8")
    return path


def failing_part(scenario: RecordedScenario, case_ids: Iterable[str] | None = None) -> ScenarioRecorder | None:
    """A copy of the scenario holding only its failing cases (or the given ones); None when there are none."""
    wanted = set(case_ids) if case_ids is not None else set(scenario.failing_case_ids())
    kept = [case_id for case_id in scenario.interactions if case_id in wanted]
    if not kept:
        return None
    part = ScenarioRecorder(label=scenario.label)
    for case_id in kept:
        if case_id in scenario.cases:
            part.record_case_node(case_id, scenario.cases[case_id])
        part.record_interaction(case_id, scenario.interactions[case_id])
        for node in scenario.checks.get(case_id, []):
            part.record_check_node(case_id, node)
    return part
