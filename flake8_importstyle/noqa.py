"""``# noqa`` for the fixer, decided exactly as flake8 decides it.

The fixer must leave alone what flake8 would not report, and fix what it
would, so this module asks flake8's own code rather than copying its rules:

* which text a line's ``# noqa`` is searched in:
  :meth:`flake8.processor.FileProcessor.noqa_line_for`. A token that spans
  lines (a multi-line string, a backslash continuation) shares one text with
  every line it covers; the lines of a parenthesised statement do not (the
  tokenizer ends each of them with an ``NL``), so ``)  # noqa`` does not
  excuse a finding on an earlier line of the statement. Where the file does
  not tokenize, flake8 searches the flagged physical line alone, and so does
  this module.
* whether that text excuses a code: :meth:`flake8.violation.Violation.is_inline_ignored`.
  ``noqa`` is matched in any case and anywhere on the line (even inside a
  string), but the codes are compared as written: ``# noqa:ips101`` does not
  excuse IPS101; ``# noqa : IPS101`` (a space before the colon) and
  ``# noqa:  IPS101`` (two spaces after it) are blanket ``# noqa`` comments;
  ``#noqa`` is no ``noqa`` at all; a listed code excuses every code it starts.
* a line ``# flake8: noqa`` anywhere makes flake8 skip the whole file:
  :meth:`flake8.processor.FileProcessor.should_ignore_file`.

Only the fixer imports this module: flake8's lint path never pays for it.
"""

from __future__ import annotations

import argparse
import io
import re
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8.processor import FileProcessor

#: Every ``# noqa`` and ``# flake8: noqa`` holds the word, in some case; a file without it is
#: decided without tokenizing it. (The same flag as flake8's patterns, so the same letters match.)
_WORD = re.compile("noqa", re.IGNORECASE)


def _flake8_lines(text: str) -> list[str]:
    """*text*'s lines as flake8 reads a file (``tokenize.open``, universal newlines): every
    ``\\r\\n`` and lone ``\\r`` becomes ``\\n``, so the line numbers are the ``ast``'s."""
    lines = io.StringIO(text, newline=None).readlines()
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    return lines


def _options(disable_noqa: bool) -> argparse.Namespace:
    """The options :class:`FileProcessor` reads in its constructor and ``should_ignore_file``
    (none of the others affects ``noqa``)."""
    return argparse.Namespace(
        hang_closing=False,
        indent_size=4,
        max_line_length=79,
        max_doc_length=None,
        verbose=0,
        disable_noqa=disable_noqa,
        stdin_display_name="stdin",
    )


class Noqa:
    """The ``# noqa`` comments of one file's text (decoded, as the fixer reads it).

    Build one per text and ask :meth:`allows` for each finding; the file is
    tokenized once, on the first question about a file that holds the word ``noqa``.
    ``disable_noqa`` is flake8's ``--disable-noqa``.
    """

    def __init__(self, text: str, *, disable_noqa: bool = False) -> None:
        self.text = text
        self.disable_noqa = disable_noqa
        self._quiet = disable_noqa or _WORD.search(text) is None

    @cached_property
    def _processor(self) -> FileProcessor:
        from flake8.processor import FileProcessor

        return FileProcessor("-", _options(self.disable_noqa), lines=_flake8_lines(self.text))

    @cached_property
    def ignores_file(self) -> bool:
        """Whether a ``# flake8: noqa`` line makes flake8 skip the whole file."""
        return not self._quiet and bool(self._processor.should_ignore_file())

    def line_for(self, line: int) -> str:
        """The text flake8 searches for the ``# noqa`` of a finding on 1-based *line*: the lines
        of the tokens that span it, or, where the file does not tokenize, the line alone ("" for
        a line the file does not have, as ``linecache`` gives flake8)."""
        processor = self._processor
        try:
            joined: str | None = processor.noqa_line_for(line)
        except Exception:  # flake8 itself catches what tokenize raises; whatever else, never fail
            joined = None
        if joined is not None:
            return joined
        lines = processor.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def allows(self, line: int, code: str) -> bool:
        """True when flake8 would report *code* on 1-based *line* (its ``# noqa`` does not
        excuse it), so the fixer may fix it. *code* is compared as flake8 compares it: exactly,
        in its case (the plugin's codes are upper case)."""
        if self._quiet:
            return True
        if self.ignores_file:
            return False
        from flake8.violation import Violation

        finding = Violation(code, "-", line, 1, "", self.line_for(line))
        return not finding.is_inline_ignored(disable_noqa=False)


__all__ = ["Noqa"]
