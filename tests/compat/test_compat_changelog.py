"""The changelog: an entry per version, newest first, listing classified changes; deterministic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compat_variants import SpecParts, set_version, version_of, write_spec

from generator.compat import Bump, record_release, releases_beside, render_changelog
from generator.compat.schema_comparison import show

Doc = dict[str, Any]


def _released(folder: Path, document: Doc) -> Path:
    folder.mkdir(exist_ok=True)
    return write_spec(folder / f"{version_of(document)}.yaml", document)


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_the_first_release_has_an_entry_saying_so(tmp_path: Path, old: Doc) -> None:
    _released(tmp_path / "releases", old)
    spec = write_spec(tmp_path / "spec.yaml", old)

    text = render_changelog(tmp_path / "releases", spec)

    assert _headings(text) == [f"## {version_of(old)}"]
    assert "First release." in text


def _bumped_with_a_deprecation(new: Doc, old: Doc) -> None:
    SpecParts(new).operation_node["deprecated"] = True
    set_version(new, version_of(old).bumped(Bump.MINOR))


def test_a_bumped_spec_gets_an_entry_above_the_releases(tmp_path: Path, old: Doc, new: Doc) -> None:
    _released(tmp_path / "releases", old)
    _bumped_with_a_deprecation(new, old)
    spec = write_spec(tmp_path / "spec.yaml", new)

    text = render_changelog(tmp_path / "releases", spec)

    assert _headings(text) == [f"## {version_of(new)}", f"## {version_of(old)}"]


def test_recording_the_release_leaves_the_changelog_as_it_was(tmp_path: Path, old: Doc, new: Doc) -> None:
    _released(tmp_path / "releases", old)
    _bumped_with_a_deprecation(new, old)
    spec = write_spec(tmp_path / "spec.yaml", new)
    before = render_changelog(tmp_path / "releases", spec)

    record_release(spec, tmp_path / "releases")

    assert render_changelog(tmp_path / "releases", spec) == before


def test_a_spec_without_releases_is_its_own_first_release(tmp_path: Path, old: Doc) -> None:
    spec = write_spec(tmp_path / "spec.yaml", old)

    text = render_changelog(releases_beside(spec), spec)

    assert _headings(text) == [f"## {version_of(old)}"]


def test_each_release_lists_its_changes_by_class_against_its_predecessor(tmp_path: Path, old: Doc, new: Doc) -> None:
    _released(tmp_path / "releases", old)
    removed = SpecParts(new).schemas[SpecParts(new).filter_enum_component]["enum"].pop()
    set_version(new, version_of(old).bumped(Bump.MAJOR))
    spec = _released(tmp_path / "releases", new)

    text = render_changelog(tmp_path / "releases", spec)
    entry = text.split(f"\n## {version_of(new)}\n", 1)[1].split("\n## ", 1)[0]

    assert "### Breaking changes" in entry
    assert f"enum value {show(removed)} removed (enum-value-removed)" in entry
    assert "need a major bump" in entry


def test_an_unchanged_spec_adds_no_entry(tmp_path: Path, old: Doc) -> None:
    spec = _released(tmp_path / "releases", old)

    assert len(_headings(render_changelog(tmp_path / "releases", spec))) == 1


def test_changes_without_a_bump_are_listed_as_unreleased(tmp_path: Path, old: Doc, new: Doc) -> None:
    _released(tmp_path / "releases", old)
    new["info"]["description"] = "Edited."
    spec = write_spec(tmp_path / "spec.yaml", new)

    headings = _headings(render_changelog(tmp_path / "releases", spec))

    assert headings[0] == f"## Unreleased changes (info.version still {version_of(new)})"


def test_the_changelog_is_the_same_text_wherever_the_files_are(tmp_path: Path, old: Doc, new: Doc) -> None:
    new["info"]["description"] = "Edited."
    set_version(new, version_of(old).bumped(Bump.PATCH))
    texts = []
    for where in ("a", "b"):
        folder = tmp_path / where
        folder.mkdir()
        _released(folder / "releases", old)
        texts.append(render_changelog(folder / "releases", write_spec(folder / "spec.yaml", new)))

    assert texts[0] == texts[1]
    assert str(tmp_path) not in texts[0]
