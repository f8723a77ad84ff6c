"""An edit that makes the spec contradict itself is refused at its JSON path, and the previous package stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from evolution_runs import generate
from evolution_variants import LISTING, shipped_document, with_contradictory_limit, write

pytestmark = pytest.mark.slow


def test_a_minimum_above_the_maximum_is_refused_naming_its_path_and_the_output_is_left_as_it_was(
    tmp_path: Path,
) -> None:
    out = tmp_path / "generated"
    out.mkdir()
    (out / "marker.txt").write_text("the previous package", encoding="utf-8")

    refused = generate(write(with_contradictory_limit(shipped_document()), tmp_path / "spec.yaml"), out)

    where = LISTING.pagination.limit.where
    assert refused.returncode == 1
    assert f"{where}.schema.minimum: minimum" in refused.stderr and "is greater than maximum" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert [path.name for path in out.iterdir()] == ["marker.txt"]
