"""The `oms-sync-tasks` command: formats, --all, exit codes 0/1/2, a progress bar only on a terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from oms_sync_client.cli import main

from oms_spec import SpecResolver, flatten

from .fake_oms import PROJECT_ID, TOKEN, FakeOms, LocalServer, make_task


class TerminalStderr(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, local_server: LocalServer, live_fake: FakeOms) -> FakeOms:
    """Environment pointing the command at the local server with a token; returns the fake behind it."""
    for name in ("OMS_REGION", "CLOUD_SDK_AK", "CLOUD_SDK_SK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMS_ENDPOINT", local_server.base_url)
    monkeypatch.setenv("OMS_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("OMS_AUTH_TOKEN", TOKEN)
    return live_fake


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse exits on usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_prints_the_page_as_json_by_default(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["list", "--limit", "3", "--status", "STOPPED"], capsys)

    page = json.loads(out)
    assert (code, err) == (0, "")
    assert page["count"] == 5
    assert [task["sync_task_id"] for task in page["tasks"]] == ["task-00000", "task-00005", "task-00010"]


def test_jsonl_prints_one_task_per_line(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--limit", "4", "--offset", "2", "--format", "jsonl"], capsys)

    assert code == 0
    assert [json.loads(line)["sync_task_id"] for line in out.splitlines()] == [f"task-0000{i}" for i in range(2, 6)]


def scalar_properties(spec: dict[str, Any], component: str) -> list[str]:
    """The properties of a schema component whose values are not objects or arrays, in spec order."""
    resolver = SpecResolver(spec)
    properties: dict[str, Any] = spec["components"]["schemas"][component]["properties"]
    return [name for name, schema in properties.items() if not flatten(schema, resolver).types & {"object", "array"}]


def test_table_columns_are_the_scalar_fields_of_the_item_schema(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str], spec: dict[str, Any]
) -> None:
    code, out, _ = run(["list", "--limit", "2", "--format", "table"], capsys)

    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == [name.upper() for name in scalar_properties(spec, "SyncTaskInfo")]
    assert lines[-1] == "2 of 25 tasks"


def test_table_columns_can_be_chosen_and_stay_aligned(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--limit", "2", "--format", "table", "--columns", "sync_task_id,status"], capsys)

    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["SYNC_TASK_ID", "STATUS"]
    assert lines[1].split() == ["task-00000", "STOPPED"]
    assert lines[1].index("STOPPED") == lines[0].index("STATUS")


class TerminalStdout(io.StringIO):
    """A stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_table_columns_stay_aligned_on_screen_when_a_cell_holds_wide_characters(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.tasks = [make_task(0, description="数据迁移"), make_task(1, description="nightly")]

    _, out, _ = run(["list", "--format", "table", "--columns", "description,sync_task_id"], capsys)

    header, wide, narrow = out.splitlines()[:3]
    on_screen = header.index("SYNC_TASK_ID")
    assert narrow.index("task-00001") == on_screen
    assert wide.index("task-00000") + len("数据迁移") == on_screen  # each of the four characters takes two columns


def test_a_table_wider_than_the_terminal_comes_with_a_hint_to_pick_columns(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    cli_env.tasks = [make_task(0)]
    out, err = TerminalStdout(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)

    code = main(["list", "--format", "table"])

    first_two = ",".join(scalar_properties(spec, "SyncTaskInfo")[:2])
    widest = max(len(line) for line in out.getvalue().splitlines())
    assert code == 0
    assert err.getvalue() == (
        f"note: the table is {widest} columns wide and the terminal 40; --columns picks fewer, "
        f"e.g. --columns {first_two}\n"
    )


def test_a_wide_table_piped_elsewhere_comes_without_a_hint(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    cli_env.tasks = [make_task(0)]

    _, _, err = run(["list", "--format", "table"], capsys)

    assert err == ""


def test_a_wide_table_of_chosen_columns_comes_without_a_hint(cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "8")
    cli_env.tasks = [make_task(0)]
    out, err = TerminalStdout(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)

    main(["list", "--format", "table", "--columns", "sync_task_id,status"])

    assert max(len(line) for line in out.getvalue().splitlines()) > 8
    assert err.getvalue() == ""


def test_unknown_table_column_exits_2_listing_the_fields(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["list", "--format", "table", "--columns", "sync_task_id,colour"], capsys)

    assert (code, out) == (2, "")
    assert err.startswith("error: --columns must name fields of SyncTaskInfo (sync_task_id, ")
    assert err.rstrip().endswith("got colour")


def test_all_walks_every_page(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["list", "--all", "--limit", "10"], capsys)

    listing = json.loads(out)
    assert (code, err) == (0, "")
    assert (listing["count"], listing["listed"]) == (25, 25)
    assert [task["sync_task_id"] for task in listing["tasks"]] == [task["sync_task_id"] for task in cli_env.tasks]


def test_all_with_an_offset_starts_the_walk_there(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--all", "--limit", "10", "--offset", "20", "--format", "jsonl"], capsys)

    assert code == 0
    assert [json.loads(line)["sync_task_id"] for line in out.splitlines()] == [
        task["sync_task_id"] for task in cli_env.tasks[20:]
    ]


def test_a_walk_that_fails_writes_no_half_json_and_says_how_far_it_came(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.fail_after = 2

    code, out, err = run(["list", "--all", "--limit", "10", "--max-retries", "0"], capsys)

    assert (code, out) == (1, "")
    assert "note: the walk failed after 20 tasks; nothing was written" in err
    assert "HTTP 500" in err


def test_a_jsonl_walk_that_fails_keeps_complete_lines_and_gives_the_offset_to_resume_from(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.fail_after = 2

    code, out, err = run(["list", "--all", "--limit", "10", "--max-retries", "0", "--format", "jsonl"], capsys)

    lines = out.splitlines()
    assert code == 1
    assert [json.loads(line)["sync_task_id"] for line in lines] == [t["sync_task_id"] for t in cli_env.tasks[:20]]
    assert out.endswith("\n")
    assert "resume with --offset 20" in err


def test_value_out_of_range_exits_2_naming_the_option(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["list", "--limit", "101"], capsys)

    assert (code, out) == (2, "")
    assert err == "error: --limit must be between 1 and 100, got 101\n"
    assert cli_env.requests == []


def test_status_outside_the_spec_enum_exits_2(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["list", "--status", "PAUSED"], capsys)

    assert code == 2
    assert "--status: invalid choice: 'PAUSED'" in err


def test_allow_incomplete_without_all_exits_2(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["list", "--allow-incomplete"], capsys)

    assert code == 2
    assert "--allow-incomplete applies to --all only" in err


def test_timeout_that_is_not_a_positive_number_is_reported_in_command_line_words(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["list", "--timeout", "-1"], capsys)

    assert code == 2
    assert "argument --timeout: must be a number of seconds > 0, got '-1'" in err
    assert "httpx" not in err


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str], spec: dict[str, Any]) -> None:
    code, out, _ = run(["--version"], capsys)

    assert (code, out) == (0, f"oms-sync-tasks {spec['info']['version']}\n")


def test_help_lists_the_regions_an_example_and_the_exit_codes(
    capsys: pytest.CaptureFixture[str], spec: dict[str, Any]
) -> None:
    code, out, _ = run(["list", "--help"], capsys)

    flat = " ".join(out.split())
    assert code == 0
    assert ", ".join(spec["servers"][0]["variables"]["region"]["enum"]) in flat
    assert "examples:" in out and "oms-sync-tasks list --all" in out
    assert "exit status: 0 success; 1 " in flat


def test_help_wraps_its_prose_to_a_narrow_pane_and_keeps_example_commands_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    monkeypatch.setenv("COLUMNS", "32")

    _, out, _ = run(["list", "--help"], capsys)

    epilog = out[out.index("\nexamples:\n") :].splitlines()
    regions_start = epilog.index(next(line for line in epilog if line.startswith("regions: ")))
    regions = epilog[regions_start : epilog.index("", regions_start)]
    assert all(len(line) <= 32 for line in regions)
    assert " ".join(line.strip() for line in regions).startswith(
        "regions: " + ", ".join(spec["servers"][0]["variables"]["region"]["enum"])
    )
    assert "  oms-sync-tasks list --all --format jsonl > items.jsonl" in epilog


def test_missing_credentials_exit_2_naming_the_variables(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OMS_AUTH_TOKEN")

    code, _, err = run(["list"], capsys)

    assert code == 2
    assert err.startswith("error: OMS_AUTH_TOKEN is not set")


def test_api_error_exits_1_printing_code_message_and_request_id(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OMS_AUTH_TOKEN", "wrong-token")

    code, out, err = run(["list"], capsys)

    assert (code, out) == (1, "")
    assert err == "error: HTTP 401 APIG.0301: Incorrect IAM authentication information. [request id req-1]\n"
    assert "wrong-token" not in err


def test_progress_bar_counts_items_as_they_are_listed(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = TerminalStderr()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "80")

    code, out, _ = run(["list", "--all", "--limit", "10", "--format", "jsonl"], capsys)

    drawn = [frame.rstrip() for frame in terminal.getvalue().split("\r")[1:]]
    assert code == 0 and len(out.splitlines()) == 25
    assert drawn[0].endswith("] 1/25 tasks")
    assert drawn[-1] == f"[{'#' * 30}] 25/25 tasks"
    assert terminal.getvalue().endswith("\n")


@pytest.mark.parametrize("columns", [30, 12])
def test_progress_bar_fits_a_narrow_pane_and_never_wraps(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], columns: int
) -> None:
    terminal = TerminalStderr()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", str(columns))

    code, _, _ = run(["list", "--all", "--limit", "10", "--format", "jsonl"], capsys)

    frames = terminal.getvalue().rstrip("\n").split("\r")[1:]
    assert code == 0 and frames
    assert all(len(frame) < columns for frame in frames)
    assert "\n" not in terminal.getvalue().rstrip("\n")


def test_progress_bar_ends_its_line_when_the_walk_is_interrupted(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = TerminalStderr()
    monkeypatch.setattr(sys, "stderr", terminal)
    real_write = sys.stdout.write
    written: list[str] = []

    def interrupting_write(text: str) -> int:
        written.append(text)
        if len(written) == 12:
            raise KeyboardInterrupt
        return real_write(text)

    monkeypatch.setattr(sys.stdout, "write", interrupting_write)

    code, _, _ = run(["list", "--all", "--limit", "10", "--format", "jsonl"], capsys)

    assert code == 130
    assert terminal.getvalue().split("\r")[-1].endswith("\n")
    assert "resume with --offset 11" in terminal.getvalue()


def test_no_progress_bar_when_stderr_is_not_a_terminal(cli_env: FakeOms, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["list", "--all", "--format", "jsonl"], capsys)

    assert (code, err) == (0, "")


def test_an_incomplete_listing_exits_1_before_writing_anything(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.count_override = 1_000_000

    code, out, err = run(["list", "--all", "--format", "json"], capsys)

    assert (code, out) == (1, "")
    assert err.startswith("error: incomplete listing: count says 1000000 tasks match, but offset stops at")
    assert "--allow-incomplete" in err


def test_allow_incomplete_lists_what_offsets_reach_with_the_service_count(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.count_override = 1_000_000

    code, out, err = run(["list", "--all", "--allow-incomplete"], capsys)

    listing = json.loads(out)
    assert code == 0
    assert (listing["count"], listing["listed"]) == (1_000_000, len(cli_env.tasks))
    assert err.startswith("warning: count says 1000000 tasks match, but offset stops at")


def test_module_runs_as_a_command_in_its_own_process(local_server: LocalServer, live_fake: FakeOms) -> None:
    live_fake.tasks = [make_task(i) for i in range(3)]
    env: dict[str, Any] = {**os.environ, "OMS_ENDPOINT": local_server.base_url, "OMS_PROJECT_ID": PROJECT_ID}
    env.update({"OMS_AUTH_TOKEN": TOKEN, "CLOUD_SDK_AK": "", "CLOUD_SDK_SK": "", "OMS_REGION": ""})

    completed = subprocess.run(
        [sys.executable, "-m", "oms_sync_client", "list", "--format", "jsonl"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (completed.returncode, completed.stderr) == (0, "")
    assert len(completed.stdout.splitlines()) == 3


def test_invalid_value_from_the_environment_is_reported_under_its_variable(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OMS_ENDPOINT")
    monkeypatch.setenv("OMS_REGION", "mars-north-1")

    code, _, err = run(["list"], capsys)

    assert code == 2
    assert err.startswith("error: OMS_REGION must be one of ")


def test_empty_project_id_option_exits_2_instead_of_falling_back_to_the_environment(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["list", "--project-id", ""], capsys)

    assert (code, out) == (2, "")
    assert err.startswith("error: --project-id must be between 1 and 1024 characters long, got 0 characters")
    assert cli_env.requests == []


def test_empty_base_url_option_exits_2_instead_of_falling_back_to_the_environment(
    cli_env: FakeOms, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["list", "--base-url", ""], capsys)

    assert (code, out) == (2, "")
    assert err.startswith("error: --base-url must be an http:// or https:// URL")
    assert cli_env.requests == []


def test_invalid_token_from_the_environment_is_reported_under_its_variable(
    cli_env: FakeOms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], spec: dict[str, Any]
) -> None:
    longest = spec["components"]["parameters"]["XAuthToken"]["schema"]["maxLength"]
    monkeypatch.setenv("OMS_AUTH_TOKEN", "x" * (longest + 1))

    code, _, err = run(["list"], capsys)

    assert code == 2
    assert err.startswith(f"error: OMS_AUTH_TOKEN must be between 1 and {longest} characters long")


def test_incomplete_listing_is_reported_once_by_a_command_in_its_own_process(
    local_server: LocalServer, live_fake: FakeOms
) -> None:
    live_fake.tasks = [make_task(i) for i in range(3)]
    live_fake.count_override = 1_000_000
    env: dict[str, Any] = {**os.environ, "OMS_ENDPOINT": local_server.base_url, "OMS_PROJECT_ID": PROJECT_ID}
    env.update({"OMS_AUTH_TOKEN": TOKEN, "CLOUD_SDK_AK": "", "CLOUD_SDK_SK": "", "OMS_REGION": ""})

    completed = subprocess.run(
        [sys.executable, "-m", "oms_sync_client", "list", "--all", "--format", "jsonl", "--allow-incomplete"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0
    assert completed.stderr.count("count says 1000000 tasks match") == 1
    assert completed.stderr.startswith("warning: count says 1000000 tasks match")
