"""Versions: parsing `info.version`, the bump each class of change needs, and whether a bump was made."""

from __future__ import annotations

import pytest

from generator.compat import Bump, CompatError, Impact, Version
from generator.compat.semver import bump_made, bump_needed, judge_version

STABLE = Version(1, 4, 2)
INITIAL = Version(0, 4, 2)


def test_a_version_that_is_not_semver_is_refused_naming_the_field() -> None:
    with pytest.raises(CompatError, match=r"info\.version must be a semantic version MAJOR\.MINOR\.PATCH, got '1\.0'"):
        Version.parse("1.0")


def test_a_version_with_pre_release_and_build_is_parsed_and_printed_back() -> None:
    assert str(Version.parse("2.0.0-rc.1+build.5")) == "2.0.0-rc.1+build.5"


def test_pre_releases_sort_before_their_release_in_semver_order() -> None:
    spelled = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0",
    ]
    versions = [Version.parse(text) for text in spelled]

    assert sorted(versions, key=Version.precedence) == versions


def test_a_breaking_change_needs_a_major_bump_from_1_0_on() -> None:
    assert bump_needed(Impact.BREAKING, STABLE) is Bump.MAJOR


def test_a_breaking_change_needs_a_minor_bump_below_1_0() -> None:
    assert bump_needed(Impact.BREAKING, INITIAL) is Bump.MINOR


def test_additions_need_a_minor_bump_from_1_0_on() -> None:
    assert bump_needed(Impact.COMPATIBLE, STABLE) is Bump.MINOR


def test_additions_need_a_patch_bump_below_1_0() -> None:
    assert bump_needed(Impact.COMPATIBLE, INITIAL) is Bump.PATCH


def test_documentation_changes_need_a_patch_bump() -> None:
    assert (bump_needed(Impact.DOCUMENTATION, STABLE), bump_needed(Impact.DOCUMENTATION, INITIAL)) == (
        Bump.PATCH,
        Bump.PATCH,
    )


def test_no_change_needs_no_bump() -> None:
    assert bump_needed(None, STABLE) is Bump.NONE


def test_the_bump_made_is_the_first_number_that_grew() -> None:
    made = [bump_made(STABLE, STABLE.bumped(bump)) for bump in (Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE)]

    assert made == [Bump.MAJOR, Bump.MINOR, Bump.PATCH, Bump.NONE]


def test_a_version_going_backwards_is_no_bump_at_all() -> None:
    assert bump_made(STABLE, Version(1, 4, 1)) is None


def test_a_pre_release_becoming_its_release_is_a_patch_bump() -> None:
    assert bump_made(Version.parse("2.0.0-rc.1"), Version(2, 0, 0)) is Bump.PATCH


def test_a_larger_bump_than_needed_passes() -> None:
    assert judge_version(STABLE, STABLE.bumped(Bump.MAJOR), Impact.DOCUMENTATION).ok


def test_a_missing_bump_fails_and_says_which_bump_and_version_are_needed() -> None:
    verdict = judge_version(STABLE, STABLE, Impact.BREAKING)

    assert not verdict.ok
    assert f"need a major bump (at least {STABLE.bumped(Bump.MAJOR)})" in verdict.message()


def test_a_version_going_backwards_fails_even_without_changes() -> None:
    verdict = judge_version(STABLE, Version(1, 4, 1), None)

    assert not verdict.ok
    assert "went backwards" in verdict.message()
