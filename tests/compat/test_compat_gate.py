"""The gate as the platform team runs it: `python -m generator --diff OLD_SPEC`, and `make release`'s command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from compat_variants import SpecParts, set_version, version_of, write_spec

from generator.__main__ import main as generator_main
from generator.compat import Bump, Rule
from generator.compat.__main__ import main as compat_main
from generator.compat.schema_comparison import show
from generator.settings import TOOLKIT_ROOT

Doc = dict[str, Any]


def _gate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=TOOLKIT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _remove_an_enum_value(document: Doc) -> Any:
    parts = SpecParts(document)
    return parts.schemas[parts.filter_enum_component]["enum"].pop()


def test_removing_an_enum_value_without_a_major_bump_fails_naming_the_value_and_the_bump(
    tmp_path: Path, old: Doc, new: Doc
) -> None:
    removed = _remove_an_enum_value(new)
    released = write_spec(tmp_path / "old.yaml", old)

    run = _gate("--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released))

    assert run.returncode == 1
    assert f"enum value {show(removed)} removed — breaking (enum-value-removed)" in run.stdout
    assert f"need a major bump, to at least {version_of(old).bumped(Bump.MAJOR)}" in run.stderr
    assert "Traceback" not in run.stderr


def test_removing_an_enum_value_with_a_major_bump_passes(tmp_path: Path, old: Doc, new: Doc) -> None:
    _remove_an_enum_value(new)
    set_version(new, version_of(old).bumped(Bump.MAJOR))
    released = write_spec(tmp_path / "old.yaml", old)

    run = _gate("--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released))

    assert run.returncode == 0, run.stderr


def test_a_new_optional_query_parameter_with_a_minor_bump_passes_as_compatible(
    tmp_path: Path, old: Doc, new: Doc
) -> None:
    parts = SpecParts(new)
    parts.operation_node["parameters"].append({"name": "compat_test", "in": "query", "schema": {"type": "string"}})
    set_version(new, version_of(old).bumped(Bump.MINOR))
    released = write_spec(tmp_path / "old.yaml", old)

    run = _gate("--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released))

    assert run.returncode == 0, run.stderr
    assert 'query parameter "compat_test" added' in run.stdout
    assert "— compatible (optional-parameter-added)" in run.stdout


def test_an_unchanged_spec_passes_without_a_bump(tmp_path: Path, old: Doc, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec(tmp_path / "spec.yaml", old)

    assert generator_main(["--spec", str(spec), "--diff", str(spec)]) == 0
    assert "no changes; no bump needed" in capsys.readouterr().out


def test_a_releases_folder_means_its_latest_release(
    tmp_path: Path, old: Doc, new: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "releases").mkdir()
    write_spec(tmp_path / "releases" / f"{version_of(old)}.yaml", old)
    set_version(new, version_of(old).bumped(Bump.PATCH))
    latest = write_spec(tmp_path / "releases" / f"{version_of(new)}.yaml", new)

    assert generator_main(["--spec", str(latest), "--diff", str(tmp_path / "releases")]) == 0
    assert f"with {latest} ({version_of(new)})" in capsys.readouterr().out


def test_a_documentation_change_needs_a_patch_bump(
    tmp_path: Path, old: Doc, new: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    new["info"]["description"] = "Edited."
    released = write_spec(tmp_path / "old.yaml", old)

    assert generator_main(["--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released)]) == 1
    assert "need a patch bump" in capsys.readouterr().err


def test_the_summary_counts_each_class_of_change_once(
    tmp_path: Path, old: Doc, new: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    SpecParts(new).operation_node["parameters"].append(
        {"name": "compat_test", "in": "query", "schema": {"type": "string"}}
    )
    new["info"]["description"] = "Edited."
    set_version(new, version_of(old).bumped(Bump.MINOR))
    released = write_spec(tmp_path / "old.yaml", old)

    assert generator_main(["--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released)]) == 0
    assert "2 changes: 1 compatible, 1 documentation only; the changes need a minor bump" in capsys.readouterr().out


def test_a_version_going_backwards_fails(
    tmp_path: Path, old: Doc, new: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    set_version(old, version_of(old).bumped(Bump.MINOR))
    released = write_spec(tmp_path / "old.yaml", old)

    assert generator_main(["--spec", str(write_spec(tmp_path / "new.yaml", new)), "--diff", str(released)]) == 1
    assert "went backwards" in capsys.readouterr().err


def test_an_unreadable_old_spec_is_an_error_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"

    assert generator_main(["--diff", str(missing)]) == 1
    assert str(missing) in capsys.readouterr().err


def test_a_releases_folder_without_releases_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generator_main(["--diff", str(tmp_path)]) == 1
    assert "records no release yet" in capsys.readouterr().err


def test_diff_and_check_cannot_be_combined(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        generator_main(["--diff", str(tmp_path), "--check"])

    assert exited.value.code == 2


def test_release_records_the_spec_once_the_gate_passes(tmp_path: Path, old: Doc, new: Doc) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    write_spec(releases / f"{version_of(old)}.yaml", old)
    new["info"]["description"] = "Edited."
    set_version(new, version_of(old).bumped(Bump.PATCH))
    spec = write_spec(tmp_path / "spec.yaml", new)

    assert compat_main(["release", "--spec", str(spec), "--releases", str(releases)]) == 0
    assert (releases / f"{version_of(new)}.yaml").read_bytes() == spec.read_bytes()


def test_release_refuses_a_spec_the_gate_fails(tmp_path: Path, old: Doc, new: Doc) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    write_spec(releases / f"{version_of(old)}.yaml", old)
    _remove_an_enum_value(new)
    set_version(new, version_of(old).bumped(Bump.MINOR))
    spec = write_spec(tmp_path / "spec.yaml", new)

    assert compat_main(["release", "--spec", str(spec), "--releases", str(releases)]) == 1
    assert not (releases / f"{version_of(new)}.yaml").exists()


def test_releasing_an_already_recorded_spec_says_so(
    tmp_path: Path, old: Doc, capsys: pytest.CaptureFixture[str]
) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    spec = write_spec(releases / f"{version_of(old)}.yaml", old)

    assert compat_main(["release", "--spec", str(spec), "--releases", str(releases)]) == 0
    assert "already recorded" in capsys.readouterr().out


def test_a_spec_that_is_not_yaml_is_an_error_naming_the_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [\n", encoding="utf-8")

    assert generator_main(["--diff", str(broken)]) == 1
    assert "not valid YAML at line 2" in capsys.readouterr().err


def test_the_rules_command_lists_every_rule_with_its_class(capsys: pytest.CaptureFixture[str]) -> None:
    assert compat_main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert [line.split()[0] for line in lines] == [rule.id for rule in Rule]
