"""Strings for the seed generator: pools of candidates that fit a string schema's lengths and pattern.

Candidates come from the field's documented examples (as they are, with their digits redrawn, with a word
swapped) and from a word pool joined in the examples' style (their separator, their case); a field with no
examples gets free text with non-ASCII words in it. Every candidate is checked against the field's own length
and pattern keywords with jsonschema-rs (the engine the mock validates with), and only those that fit are kept.
If none fits, plain alphabets are tried; if still none fits, the spec is refused, naming the field.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from oms_spec import SpecError, SpecProblem

_WORDS = (
    "nightly", "sync", "of", "the", "archive", "bucket", "to", "OBS", "media", "logs", "backup", "assets",
    "migration", "team", "data", "lake", "replica", "photos", "video", "batch", "weekly", "project", "phase",
    "2", "prod", "staging", "incremental", "full", "copy", "-", "/", "@", "#", "50%", "v1.2", "数据", "迁移",
    "同步任务", "données", "größe", "naïve", "ü", "→", "✓",
)  # fmt: skip
_PLAIN_WORDS = tuple(word.lower() for word in _WORDS if word.isascii() and word.isalnum())
_SEPARATORS = (" ", "-", "_", ".", "/", ":")
_ALPHABETS = (
    string.ascii_lowercase,
    string.digits,
    string.hexdigits[:16],
    string.ascii_uppercase,
    string.ascii_letters + string.digits,
)
#: Candidates kept per string field; items draw from this pool, which keeps a million items quick to build.
POOL_SIZE = 256
#: A longest-length candidate is only built for a maxLength up to this.
_LONGEST_BUILT = 65_536
_TRIES = 4
#: Of a documented field's candidates, this share are variants of its examples (the rest: words in their style),
_VARIANT_SHARE = 0.8
#: and of those variants this share have one word swapped (all have their numbers redrawn).
_SWAP_SHARE = 0.3


@dataclass(frozen=True)
class TextPool:
    """The candidates of one string field, and its shortest and longest fitting ones (when they could be built)."""

    candidates: tuple[str, ...]
    extremes: tuple[str, ...]


def string_fits(keywords: Mapping[str, Any]) -> Callable[[str], bool]:
    """Whether a string meets the length and pattern keywords of `keywords` (as jsonschema-rs reads them)."""
    schema: dict[str, Any] = {"type": "string"}
    schema.update({key: keywords[key] for key in ("minLength", "maxLength", "pattern") if key in keywords})
    return jsonschema_rs.validator_for(schema).is_valid


def text_pool(keywords: Mapping[str, Any], examples: Sequence[Any], rng: random.Random, where: str) -> TextPool:
    """The pool of one string field; SpecError naming `where` when nothing fits its pattern and lengths."""
    fits = string_fits(keywords)
    low = int(keywords.get("minLength") or 0)
    stated_high = keywords.get("maxLength")
    high = int(stated_high) if isinstance(stated_high, int) else None
    texts = [example for example in examples if isinstance(example, str)]
    style = _Style.of(texts)
    candidates = [text for text in texts if fits(text)]
    for _ in range(POOL_SIZE * _TRIES):
        if len(candidates) >= POOL_SIZE:
            break
        text = style.variant(rng.choice(texts), rng) if texts and rng.random() < _VARIANT_SHARE else None
        if text is None:
            text = style.joined(_target_length(texts, low, high, rng), rng)
        if fits(text):
            candidates.append(text)
    built = (_exactly(style, length, fits, rng) for length in _extreme_lengths(low, high))
    extremes = [text for text in built if text is not None]
    if not candidates:
        candidates = _from_alphabets(low, high, fits, rng)
    if not candidates:
        pattern = keywords.get("pattern")
        lengths = f"{low}..{high if high is not None else ''}"
        message = (
            f"the seed generator finds no string that fits this field (pattern {pattern!r}, length {lengths}); "
            "give it an `example` that does"
        )
        raise SpecError(None, [SpecProblem(where, message)])
    return TextPool(tuple(candidates), tuple(extremes))


@dataclass(frozen=True)
class _Style:
    """How a field's examples look: the words they use, what joins them, whether they are lower case."""

    separator: str
    words: tuple[str, ...]
    lower: bool

    @classmethod
    def of(cls, examples: Sequence[str]) -> _Style:
        if not examples:
            return cls(" ", _WORDS, lower=False)
        separator = next((s for s in _SEPARATORS if any(s in example for example in examples)), "")
        tokens = [token for example in examples for token in re.split(r"[^\w]+", example) if token]
        lower = all(example == example.lower() for example in examples)
        pool = _WORDS if separator == " " else _PLAIN_WORDS
        words = tuple(dict.fromkeys([*tokens, *(word.lower() if lower else word for word in pool)]))
        return cls(separator, words, lower)

    def joined(self, length: int, rng: random.Random, *, exact: bool = False) -> str:
        """Words joined by the separator, cut to `length` (and, unless `exact`, with no separator left dangling)."""
        parts: list[str] = []
        total = -len(self.separator)
        while total < length:
            word = rng.choice(self.words)
            parts.append(word)
            total += len(word) + len(self.separator)
        text = self.separator.join(parts)[:length]
        return text if exact or not self.separator else text.rstrip(self.separator)

    def variant(self, example: str, rng: random.Random) -> str:
        """The example with its numbers redrawn (or one added) and, now and then, one of its words swapped."""
        text = re.sub(r"[0-9]+", lambda digits: _redrawn(digits.group(), rng), example)
        if text == example and self.separator and rng.random() < 0.5:  # no numbers to redraw: number it
            text = f"{text}{self.separator}{rng.randrange(1000)}"
        if self.separator and rng.random() < _SWAP_SHARE:
            parts = text.split(self.separator)
            parts[rng.randrange(len(parts))] = rng.choice(self.words)
            text = self.separator.join(parts)
        return text


def _redrawn(digits: str, rng: random.Random) -> str:
    return str(rng.randrange(10 ** len(digits))).zfill(len(digits))


def _target_length(examples: Sequence[str], low: int, high: int | None, rng: random.Random) -> int:
    if examples:
        typical = sum(len(example) for example in examples) // len(examples)
        length = int(typical * (0.5 + rng.random()))
    else:
        length = 8 + int(rng.random() * 60)
    length = max(low, length)
    return min(high, length) if high is not None else length


def _extreme_lengths(low: int, high: int | None) -> list[int]:
    lengths = [high] if high is not None and high <= _LONGEST_BUILT and high != low else []
    return [*lengths, low]


def _exactly(style: _Style, length: int, fits: Callable[[str], bool], rng: random.Random) -> str | None:
    """A string of exactly `length` characters in the field's style, if one fits within a few tries."""
    for _ in range(8 * _TRIES):
        text = style.joined(length, rng, exact=True)
        if text and not text[-1].isalnum():
            text = text[:-1] + rng.choice(string.ascii_lowercase)
        if len(text) == length and fits(text):
            return text
    return None


def _from_alphabets(low: int, high: int | None, fits: Callable[[str], bool], rng: random.Random) -> list[str]:
    top = high if high is not None else max(low, 16)
    for alphabet in _ALPHABETS:
        found = []
        for _ in range(POOL_SIZE):
            length = rng.randint(low, max(low, min(top, low + 32)))
            text = "".join(rng.choice(alphabet) for _ in range(length))
            if fits(text):
                found.append(text)
        if found:
            return found
    return []
