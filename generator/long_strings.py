"""Split long one-line string literals (spec descriptions) into implicitly concatenated parts at word boundaries.

The formatter does not split strings, so a description copied verbatim from the spec would leave lines
over the length limit; as `("part one " "part two")` ruff lays the parts out one per line. The value of
every literal is unchanged.
"""

from __future__ import annotations

import io
import tokenize

PART_WIDTH = 80


def split_long_strings(source: str, width: int = PART_WIDTH) -> str:
    """`source` with every single-line, non-f, non-triple-quoted string literal longer than `width` split."""
    lines = source.splitlines(keepends=True)
    replacements: list[tuple[int, int, int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING or token.start[0] != token.end[0] or len(token.string) <= width:
            continue
        parts = _split_literal(token.string, width)
        if len(parts) > 1:
            replacements.append((token.start[0], token.start[1], token.end[1], f"({' '.join(parts)})"))
    for row, start, end, text in reversed(replacements):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + text + line[end:]
    return "".join(lines)


def _split_literal(literal: str, width: int) -> list[str]:
    prefix_length = len(literal) - len(literal.lstrip("rRbBuU"))
    prefix, quoted = literal[:prefix_length], literal[prefix_length:]
    quote = quoted[0]
    if quoted.startswith(quote * 3) or quoted[-1] != quote:
        return [literal]
    body = quoted[1:-1]
    parts: list[str] = []
    current = ""
    for word in _words(body):
        if current and len(current) + len(word) > width:
            parts.append(current)
            current = ""
        current += word
    if current:
        parts.append(current)
    return [f"{prefix}{quote}{part}{quote}" for part in parts]


def _words(body: str) -> list[str]:
    """The body cut after each space that is not escaped, so that joining the words gives the body back."""
    words: list[str] = []
    start = 0
    for index, character in enumerate(body):
        if character == " " and not _escaped(body, index):
            words.append(body[start : index + 1])
            start = index + 1
    if start < len(body):
        words.append(body[start:])
    return words


def _escaped(body: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and body[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
