"""Long string literals are split into implicitly concatenated parts with exactly the same value."""

from __future__ import annotations

import ast
import io
import tokenize

from generator.long_strings import split_long_strings


def _values(source: str) -> list[object]:
    return [node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)]


def _string_tokens(source: str) -> int:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return sum(1 for token in tokens if token.type == tokenize.STRING)


def test_a_long_description_is_split_into_parts_of_the_same_value() -> None:
    text = "The task description, which cannot exceed 255 characters. " * 4 + "Special: <>()\"'&"
    source = f"x = Field(description={text!r}, max_length=255)\n"

    split = split_long_strings(source, width=40)

    assert split != source
    assert _values(split) == _values(source)
    assert _string_tokens(split) > 3


def test_escapes_are_never_cut() -> None:
    text = "a\\ b " * 30 + "tab\tquote' backslash\\\\ end"
    source = f"x = {text!r}\n"

    assert _values(split_long_strings(source, width=10)) == _values(source)


def test_short_strings_docstrings_and_f_strings_are_left_alone() -> None:
    source = 'def f():\n    """' + "word " * 40 + '"""\n    return f"' + "{1} " * 40 + '" + "short"\n'

    assert split_long_strings(source, width=20) == source
