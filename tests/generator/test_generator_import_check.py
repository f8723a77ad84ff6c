"""A generated package replaces the previous one only if it and its command line import from the new folder."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import GenerationError
from generator.import_check import check_importable

PACKAGE = "omsgen_import_probe"


def _package(folder: Path, init: str = "VALUE = 1\n", cli: str | None = "def main() -> None: ...\n") -> Path:
    (folder / PACKAGE).mkdir(parents=True)
    (folder / PACKAGE / "__init__.py").write_text(init, encoding="utf-8")
    if cli is not None:
        (folder / PACKAGE / "cli.py").write_text(cli, encoding="utf-8")
    return folder


def test_a_package_and_command_line_that_import_pass(tmp_path: Path) -> None:
    check_importable(_package(tmp_path), PACKAGE)


def test_a_package_that_raises_on_import_is_refused_with_the_error_and_no_traceback_of_the_generator(
    tmp_path: Path,
) -> None:
    folder = _package(tmp_path, init="raise RuntimeError('models.py names a missing class')\n")

    with pytest.raises(GenerationError) as refused:
        check_importable(folder, PACKAGE)

    assert refused.value.step == "import"
    assert f"the generated package {PACKAGE} cannot be imported" in refused.value.message
    assert "RuntimeError: models.py names a missing class" in refused.value.message


def test_a_package_whose_command_line_is_missing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match=rf"No module named '{PACKAGE}\.cli'"):
        check_importable(_package(tmp_path, cli=None), PACKAGE)


@pytest.fixture
def forgets_the_probe() -> Iterator[None]:
    yield
    sys.modules.pop(PACKAGE, None)


@pytest.mark.usefixtures("forgets_the_probe")
def test_a_copy_already_imported_by_the_generator_does_not_hide_the_new_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(_package(tmp_path / "previous")))
    importlib.import_module(PACKAGE)
    broken = _package(tmp_path / "new", init="raise ImportError('the new package is broken')\n")

    with pytest.raises(GenerationError, match="the new package is broken"):
        check_importable(broken, PACKAGE)


def test_what_the_import_does_stays_in_the_child(tmp_path: Path) -> None:
    folder = _package(tmp_path, init="import warnings\nwarnings.simplefilter('error')\n")

    check_importable(folder, PACKAGE)

    assert PACKAGE not in sys.modules
    assert str(folder) not in sys.path
