"""The record of releases under `spec/releases/`: reading it, finding the latest, recording a new release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from compat_variants import RELEASES_DIR, SPEC_PATH, set_version, write_spec

from generator.compat import CompatError, Version, latest_release, record_release
from generator.compat.releases import read_releases, spec_version

Doc = dict[str, Any]


def _release(folder: Path, document: Doc, version: str) -> Path:
    set_version(document, Version.parse(version))
    return write_spec(folder / f"{version}.yaml", document)


def test_the_latest_release_is_the_highest_version_not_the_last_name(tmp_path: Path, old: Doc) -> None:
    for version in ("1.9.0", "1.10.0", "1.2.0"):
        _release(tmp_path, old, version)

    latest = latest_release(tmp_path)

    assert latest is not None and str(latest.version) == "1.10.0"


def test_a_release_not_named_after_its_version_is_refused_naming_the_file(tmp_path: Path, old: Doc) -> None:
    misnamed = _release(tmp_path, old, "1.1.0").rename(tmp_path / "1.2.0.yaml")

    with pytest.raises(CompatError, match=str(misnamed)):
        read_releases(tmp_path)


def test_files_other_than_yaml_specs_are_not_releases(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")

    assert read_releases(tmp_path) == ()


def test_recording_a_release_copies_the_spec_under_its_version(tmp_path: Path, old: Doc) -> None:
    spec = write_spec(tmp_path / "spec.yaml", old)

    recorded = record_release(spec, tmp_path / "releases")

    assert recorded.name == f"{spec_version(spec)}.yaml"
    assert recorded.read_bytes() == spec.read_bytes()


def test_recording_the_same_spec_again_changes_nothing(tmp_path: Path, old: Doc) -> None:
    spec = write_spec(tmp_path / "spec.yaml", old)
    first = record_release(spec, tmp_path / "releases")

    assert record_release(spec, tmp_path / "releases") == first


def test_recording_another_spec_under_a_released_version_is_refused(tmp_path: Path, old: Doc) -> None:
    spec = write_spec(tmp_path / "spec.yaml", old)
    record_release(spec, tmp_path / "releases")
    old["info"]["description"] = "Edited."
    write_spec(spec, old)

    with pytest.raises(CompatError, match="already records another spec"):
        record_release(spec, tmp_path / "releases")


def test_the_repository_records_its_releases_each_under_its_own_version() -> None:
    releases = read_releases(RELEASES_DIR)

    assert releases, "spec/releases/ should record at least the first release"


def test_the_current_spec_is_not_older_than_the_last_release() -> None:
    latest = latest_release(RELEASES_DIR)

    assert latest is not None
    assert spec_version(SPEC_PATH).precedence() >= latest.version.precedence()
