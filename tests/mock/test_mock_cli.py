"""The `oms-mock serve` command line: what it prints, where it binds, and how it refuses bad input."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from spec_facts import ITEMS, LISTING, PATH, TOKEN_HEADER, TOKEN_MAX_LENGTH, TOTAL

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
        (["--import", "/nonexistent/items.json"], f"cannot read the {ITEMS} file /nonexistent/items.json"),
        (
            ["--token", "t" * (TOKEN_MAX_LENGTH + 1)],
            f"{TOKEN_HEADER} must be at most {TOKEN_MAX_LENGTH} characters long",
        ),
        (["--import", "a.json", "--import", "b.json"], "--import FILE is for the first listing"),
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


def banner(*args: str) -> list[str]:
    """What `oms-mock serve` prints up to and including its listening line."""
    with subprocess.Popen(
        [sys.executable, "-m", "oms_mock", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    ) as process:
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not lines or (lines[-1] and not lines[-1].startswith("oms-mock: listening on ")):
                lines.append(process.stdout.readline())
        finally:
            process.terminate()
            process.wait(timeout=10)
    return lines


def test_serve_prints_where_it_listens_and_the_accepted_token() -> None:
    lines = banner("--tasks", "5")
    assert f"oms-mock: accepted {TOKEN_HEADER}: {DEFAULT_TOKEN}\n" in lines
    assert lines[-1].startswith("oms-mock: listening on http://127.0.0.1:")


def test_serve_prints_every_operation_and_the_convention_it_follows() -> None:
    lines = banner("--tasks", "5")
    assert f"oms-mock: {LISTING.method} {LISTING.path} ({LISTING.operation_id}, lists {ITEMS})\n" in lines


def test_an_import_option_may_name_the_listing_it_is_for() -> None:
    args = build_parser().parse_args(["serve", "--import", "ListOthers=others.json", "--import", "mine.json"])
    assert args.imports == [("ListOthers", "others.json"), (None, "mine.json")]


def test_the_server_binds_to_loopback_by_default() -> None:
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_run_server_in_a_subprocess_serves_the_configured_tasks() -> None:
    with run_server(MockConfig(tasks=7, seed=3, tokens=("sub-token",)), subprocess_mode=True) as base_url:
        response = httpx.get(f"{base_url}{PATH}", headers={TOKEN_HEADER: "sub-token"})
    assert response.json()[TOTAL] == 7


def test_serving_a_filled_db_file_says_it_was_reused_not_seeded(tmp_path: Path) -> None:
    db = tmp_path / "tasks.db"
    get_store(create_app(MockConfig(db=db, tasks=5, seed=1))).database.close()
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
    assert first.startswith(f"oms-mock: 5 {ITEMS} in file {db} (reused as found")
    assert "seed 9" not in first
