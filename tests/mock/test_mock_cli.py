"""The `oms-mock serve` command line: what it prints, where it binds, and how it refuses bad input."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from oms_mock import DEFAULT_TOKEN, MockConfig, create_app, get_store, run_server
from oms_mock.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oms_mock", "serve", *args], capture_output=True, text=True, timeout=60, cwd=REPO
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "-1"], "--tasks: must be at least 0, got -1"),
        (["--tasks", "many"], "--tasks: must be a whole number, got 'many'"),
        (["--port", "70000"], "--port: must be between 0 and 65535, got 70000"),
        (["--ak", "AK"], "ak and sk must be given together"),
        (["--faults", "500=3"], "500 must be a rate between 0 and 1, got '3'"),
        (["--spec", "/nonexistent/spec.yaml"], "cannot read the spec /nonexistent/spec.yaml"),
        (["--import", "/nonexistent/tasks.json"], "cannot read the tasks file /nonexistent/tasks.json"),
        (["--token", "t" * 16385], "X-Auth-Token must be at most 16384 characters long"),
    ],
)
def test_bad_input_exits_2_with_a_message_naming_the_problem(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *args])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_port_in_use_exits_1_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--tasks", "1", "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_serve_prints_where_it_listens_and_the_accepted_token() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "oms_mock", "serve", "--port", "0", "--tasks", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(6)]
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert f"accepted X-Auth-Token: {DEFAULT_TOKEN}" in "".join(lines)
    assert lines[-1].startswith("oms-mock: listening on http://127.0.0.1:")


def test_the_server_binds_to_loopback_by_default() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_run_server_in_a_subprocess_serves_the_configured_tasks() -> None:
    with run_server(MockConfig(tasks=7, seed=3, tokens=("sub-token",)), subprocess_mode=True) as base_url:
        response = httpx.get(f"{base_url}/v2/p/sync-tasks", headers={"X-Auth-Token": "sub-token"})
    assert response.json()["count"] == 7


def test_serving_a_filled_db_file_says_it_was_reused_not_seeded(tmp_path: Path) -> None:
    db = tmp_path / "tasks.db"
    get_store(create_app(MockConfig(db=db, tasks=5, seed=1))).close()
    with subprocess.Popen(
        [sys.executable, "-m", "oms_mock", "serve", "--port", "0", "--db", str(db), "--tasks", "50", "--seed", "9"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    ) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert first.startswith(f"oms-mock: 5 tasks in file {db} (reused as found")
    assert "seed 9" not in first
