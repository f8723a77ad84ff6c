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
        "VERSION = {{ version | py }}\nREGIONS = {{ regions | py }}\nOPERATION = {{ operation.operation_id | py }}\n",
        encoding="utf-8",
    )

    files = project_files(SPEC_PATH, runtime_dir=tmp_path)

    assert files[PACKAGE / "signing" / "hmac.py"] == b"ALGORITHM = 'SDK-HMAC-SHA256'\n"
    about = files[PACKAGE / "_about.py"].decode("utf-8")
    assert about.startswith("VERSION = '1.0.0'\nREGIONS = ('af-south-1', ")
    assert about.endswith("OPERATION = 'ListSyncTasks'\n")
    assert PACKAGE / "_about.py.jinja" not in files


def test_without_a_runtime_init_the_package_init_re_exports_the_models(tmp_path: Path) -> None:
    init = project_files(SPEC_PATH, runtime_dir=tmp_path)[PACKAGE / "__init__.py"].decode("utf-8")

    assert "ListSyncTasksParams" in init
    assert "ListSyncTasksResponse" in init
    assert "__all__ = [" in init


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
