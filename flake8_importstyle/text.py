"""The file's text: its lines as Python counts them, and fast word searches.

Everything here runs on every file flake8 checks, so it stays at string-search
speed: no per-character Python loops.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# Every pattern here starts with a literal and checks the word boundary
# before it with a lookbehind *after* the literal: CPython's ``re`` then
# scans for the literal at string-search speed. A leading ``\b`` or an
# alternation makes it try every position, about 30 times slower, and these
# searches run on every file flake8 checks.


@lru_cache(maxsize=4096)
def word(name: str) -> re.Pattern[str]:
    """*name* as a whole word (not part of a longer identifier)."""
    escaped = re.escape(name)
    return re.compile(rf"{escaped}(?<!\w{escaped})(?!\w)")


def source_text(lines: Sequence[str]) -> str:
    """The text of *lines* with every line ending as ``\\n``, so that counting
    ``\\n`` gives the lines of flake8's ``ast`` tree (which also ends lines at a
    lone ``\\r``, as flake8's lines from stdin may hold)."""
    text = "".join(lines)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def source_lines(text: str) -> list[str]:
    """*text*'s lines as the tokenizer and ``ast`` count them: split at ``\\r\\n``,
    ``\\r`` and ``\\n`` only (``str.splitlines`` also splits at form feeds and
    other separators, and its line numbers then drift from the tree's)."""
    return io.StringIO(text, newline="").readlines()


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """The 1-based lines of *offsets* in *text*, counting ``\\n`` as ``ast`` does;
    one pass over the text however many offsets there are."""
    numbers: list[int] = []
    line, previous = 1, 0
    for offset in sorted(offsets):
        line += text.count("\n", previous, offset)
        previous = offset
        numbers.append(line)
    return numbers


def match_lines(text: str, patterns: Iterable[re.Pattern[str]]) -> list[int]:
    """The sorted, distinct lines on which one of *patterns* matches."""
    offsets = [m.start() for p in patterns for m in p.finditer(text)]
    return sorted(set(line_numbers(text, offsets)))


def char_col(lines: Sequence[str], lineno: int, col: int) -> int:
    """Turn an ``ast`` column (UTF-8 bytes) into characters of ``lines[lineno - 1]``."""
    if col <= 0 or not 0 < lineno <= len(lines):
        return col
    line = lines[lineno - 1]
    if line.isascii():
        return col
    return len(line.encode("utf-8", "surrogatepass")[:col].decode("utf-8", "ignore"))
