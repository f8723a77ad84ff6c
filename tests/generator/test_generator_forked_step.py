"""The models step runs in a forked worker: its value, its failures and its death reach the parent cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from generator_testing import SPEC_PATH, RunGenerator, WriteSpec

from generator import pipeline
from generator.errors import GenerationError
from generator.forked import ForkedStep
from generator.settings import TOOLKIT_ROOT


def _double(value: int) -> int:
    return value * 2


def _refuse() -> None:
    raise GenerationError("models", "$.components.schemas.X: refused")


def _crash() -> None:
    raise KeyError("properties")


def _die(code: int) -> None:
    os._exit(code)


def _sleep() -> None:
    time.sleep(60)


def _assert_no_child_left() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_the_value_of_the_function_comes_back() -> None:
    with ForkedStep.start("models", _double, 21) as step:
        assert step.result() == 42
    _assert_no_child_left()


def test_a_generation_error_in_the_worker_is_raised_in_the_parent_with_its_step_and_message() -> None:
    with ForkedStep.start("models", _refuse) as step, pytest.raises(GenerationError) as raised:
        step.result()

    assert (raised.value.step, raised.value.message) == ("models", "$.components.schemas.X: refused")


def test_an_unexpected_exception_in_the_worker_becomes_a_failure_of_the_step() -> None:
    with ForkedStep.start("models", _crash) as step, pytest.raises(GenerationError) as raised:
        step.result()

    assert raised.value.step == "models"
    assert raised.value.message == "unexpected KeyError in the worker process: 'properties'"


def test_a_worker_that_exits_without_a_result_is_a_failure_of_the_step() -> None:
    with ForkedStep.start("models", _die, 3) as step, pytest.raises(GenerationError) as raised:
        step.result()

    assert raised.value.step == "models"
    assert raised.value.message == "the worker process exited with code 3 before reporting a result"
    _assert_no_child_left()


def test_a_killed_worker_is_a_failure_of_the_step() -> None:
    with ForkedStep.start("models", _sleep) as step:
        assert step.pid is not None
        os.kill(step.pid, signal.SIGTERM)
        with pytest.raises(GenerationError, match=r"^models: the worker process was killed by signal 15 before"):
            step.result()


def test_leaving_the_block_without_the_result_kills_and_reaps_the_worker() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError), ForkedStep.start("models", _sleep):
        raise RuntimeError("the parent failed first")

    assert time.monotonic() - started < 10
    _assert_no_child_left()


def test_an_unexpected_worker_failure_in_the_pipeline_names_the_models_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: dict[str, Any]) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "models_source", broken)

    with pytest.raises(GenerationError) as raised:
        pipeline.project_files(SPEC_PATH)

    assert raised.value.step == "models"
    assert raised.value.message == "unexpected RuntimeError in the worker process: boom"
    _assert_no_child_left()


def test_an_invalid_spec_stops_the_worker(spec_copy: dict[str, Any], write_spec: WriteSpec) -> None:
    del spec_copy["info"]["title"]

    with pytest.raises(Exception, match=r'\$\.info: "title" is a required property'):
        pipeline.project_files(write_spec(spec_copy))

    _assert_no_child_left()


def test_when_models_and_endpoints_both_fail_the_models_step_is_reported_as_in_a_sequential_run(
    spec_copy: dict[str, Any], write_spec: WriteSpec, run_generator: RunGenerator
) -> None:
    spec_copy["components"]["schemas"]["DstStoragePolicy"]["enum"].append("X" * 129)  # the models step refuses it
    operation = spec_copy["paths"]["/v2/{project_id}/sync-tasks"]["get"]
    del operation["x-omsgen-pagination"]
    del operation["responses"]["200"]  # the endpoints step refuses an operation without a success response

    both = run_generator("--spec", str(write_spec(spec_copy)), "--check")
    del spec_copy["components"]["schemas"]["DstStoragePolicy"]["enum"][-1]
    endpoints_only = run_generator("--spec", str(write_spec(spec_copy)), "--check")

    assert both.returncode == 1
    assert "generation step 'models' failed" in both.stderr
    assert endpoints_only.returncode == 1
    assert "generation step 'endpoints' failed" in endpoints_only.stderr
    assert "the operation documents no 2xx response" in endpoints_only.stderr


def test_the_pipeline_imports_the_heavy_libraries_only_after_the_fork() -> None:
    probe = (
        "import sys, generator.__main__, generator.pipeline\n"
        "heavy = ('datamodel_code_generator', 'openapi_python_client', 'openapi_spec_validator', 'jsonschema')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=TOOLKIT_ROOT, capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == "[]"
