"""Runtime templates are rendered (`*.jinja`) or copied into the package; a runtime file always wins."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from generator_testing import SPEC_PATH

from generator.errors import GenerationError
from generator.pipeline import project_files

PACKAGE = PurePosixPath("oms_sync_client")


def test_jinja_files_are_rendered_without_the_suffix_and_others_copied_keeping_folders(tmp_path: Path) -> None:
    (tmp_path / "signing").mkdir()
    (tmp_path / "signing" / "hmac.py").write_bytes(b"ALGORITHM = 'SDK-HMAC-SHA256'\n")
    (tmp_path / "_about.py.jinja").write_text(
        "VERSION = {{ version | py }}\nREGIONS = {{ regions | py }}\n"
        "OPERATION = {{ operations[0].operation_id | py }}\n",
        encoding="utf-8",
    )

    files = project_files(SPEC_PATH, runtime_dir=tmp_path)

    assert files[PACKAGE / "signing" / "hmac.py"] == b"ALGORITHM = 'SDK-HMAC-SHA256'\n"
    about = files[PACKAGE / "_about.py"].decode("utf-8")
    assert about.startswith("VERSION = '1.0.0'\nREGIONS = ('af-south-1', ")
    assert about.endswith("OPERATION = 'ListSyncTasks'\n")
    assert PACKAGE / "_about.py.jinja" not in files


def test_a_marked_all_is_derived_from_the_names_the_module_binds(tmp_path: Path) -> None:
    (tmp_path / "things.py").write_text(
        "from .models import A, B as C\n\nVALUE = 1\n_HIDDEN = 2\n\n\ndef f() -> None: ...\n\n\n"
        "# __all__: derived by the generator from the names defined here\n",
        encoding="utf-8",
    )

    source = project_files(SPEC_PATH, runtime_dir=tmp_path)[PACKAGE / "things.py"].decode("utf-8")

    assert source.endswith('__all__ = [\n    "A",\n    "C",\n    "VALUE",\n    "f",\n]\n')


def test_a_runtime_file_wins_over_a_generated_one_of_the_same_path(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text('"""The runtime\'s own package init."""\n', encoding="utf-8")
    (tmp_path / "models.py").write_text("# hand-written\n", encoding="utf-8")

    files = project_files(SPEC_PATH, runtime_dir=tmp_path)

    assert files[PACKAGE / "__init__.py"] == b'"""The runtime\'s own package init."""\n'
    assert files[PACKAGE / "models.py"] == b"# hand-written\n"


def test_an_undefined_template_variable_fails_naming_the_template(tmp_path: Path) -> None:
    (tmp_path / "broken.py.jinja").write_text("X = {{ no_such_value }}\n", encoding="utf-8")

    with pytest.raises(GenerationError, match=r"broken\.py\.jinja: UndefinedError: 'no_such_value' is undefined"):
        project_files(SPEC_PATH, runtime_dir=tmp_path)
