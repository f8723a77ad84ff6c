"""An invalid spec stops the pipeline with exit code 1 and a message naming where (JSON path) and what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator_testing import RunGenerator, WriteSpec

from generator.spec_loading import SpecProblem, find_spec_problems

LIMIT_SCHEMA = ("components", "parameters", "Limit", "schema")


def _output_with_marker(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "oms_sync_client").mkdir(parents=True)
    (out / "oms_sync_client" / "models.py").write_text("# previous output\n", encoding="utf-8")
    return out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _set(document: dict[str, Any], location: tuple[str, ...], key: str, value: object) -> None:
    node = document
    for segment in location:
        node = node[segment]
    node[key] = value


def test_a_wrongly_typed_limit_exits_1_naming_its_json_path_and_the_problem(
    spec_copy: dict[str, Any], write_spec: WriteSpec, run_generator: RunGenerator, tmp_path: Path
) -> None:
    _set(spec_copy, LIMIT_SCHEMA, "maximum", "lots")

    result = run_generator("--spec", str(write_spec(spec_copy)), "--out", str(tmp_path / "out"))

    assert result.returncode == 1
    assert "$.components.parameters.Limit.schema.maximum: 'lots' is not of type 'number'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_spec_leaves_the_previous_output_untouched(
    spec_copy: dict[str, Any], write_spec: WriteSpec, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _output_with_marker(tmp_path)
    before = _snapshot(out)
    del spec_copy["info"]["title"]

    result = run_generator("--spec", str(write_spec(spec_copy)), "--out", str(out))

    assert result.returncode == 1
    assert '$.info: "title" is a required property' in result.stderr
    assert _snapshot(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "spec.yaml"]  # no build folder left behind


def test_a_dangling_reference_is_reported_at_the_ref_that_dangles(spec_copy: dict[str, Any]) -> None:
    spec_copy["components"]["schemas"]["ListSyncTasksResponse"]["properties"]["tasks"]["items"]["$ref"] = (
        "#/components/schemas/Nope"
    )

    problems = find_spec_problems(spec_copy)

    path = "$.components.schemas.ListSyncTasksResponse.properties.tasks.items['$ref']"
    assert problems == [SpecProblem(path, "reference '#/components/schemas/Nope' points to nothing in the document")]


def test_an_invalid_schema_keyword_is_reported_with_its_full_location(spec_copy: dict[str, Any]) -> None:
    spec_copy["components"]["schemas"]["SyncTaskInfo"]["properties"]["sync_task_id"]["maxLength"] = -3

    problems = find_spec_problems(spec_copy)

    assert problems == [
        SpecProblem(
            "$.components.schemas.SyncTaskInfo.properties.sync_task_id.maxLength", "-3 is less than the minimum of 0"
        )
    ]


def test_a_structural_openapi_error_is_reported_with_its_location(spec_copy: dict[str, Any]) -> None:
    parameters = spec_copy["paths"]["/v2/{project_id}/sync-tasks"]["get"]["parameters"]
    parameters.append({"name": "x", "in": "nowhere"})

    problems = find_spec_problems(spec_copy)

    assert problems[0] == SpecProblem(
        f"$.paths['/v2/{{project_id}}/sync-tasks'].get.parameters[{len(parameters) - 1}].in",
        '"nowhere" is not one of "query", "header" or 2 other candidates',
    )


def test_malformed_yaml_is_reported_with_its_line(tmp_path: Path, run_generator: RunGenerator) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")

    result = run_generator("--spec", str(broken), "--out", str(tmp_path / "out"))

    assert result.returncode == 1
    assert "not valid YAML at line 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_spec_file_is_reported_without_a_traceback(tmp_path: Path, run_generator: RunGenerator) -> None:
    result = run_generator("--spec", str(tmp_path / "absent.yaml"), "--out", str(tmp_path / "out"))

    assert result.returncode == 1
    assert "cannot read the file" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_repo_spec_has_no_problems(spec: dict[str, Any]) -> None:
    assert find_spec_problems(spec) == []


def test_a_failing_later_step_leaves_the_previous_output_untouched(
    spec_copy: dict[str, Any], write_spec: WriteSpec, run_generator: RunGenerator, tmp_path: Path
) -> None:
    out = _output_with_marker(tmp_path)
    before = _snapshot(out)
    # Valid OpenAPI, but an enum member longer than the field's maxLength: the models step refuses it.
    spec_copy["components"]["schemas"]["DstStoragePolicy"]["enum"].append("X" * 129)

    result = run_generator("--spec", str(write_spec(spec_copy)), "--out", str(out))

    assert result.returncode == 1
    assert "generation step 'models' failed" in result.stderr
    assert "breaks the length limits 0..128" in result.stderr
    assert _snapshot(out) == before
