"""Per-project policy: banned modules (IPS107) and relative imports (IPS108)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule


class BannedImport(Rule):
    """Some modules or names should not be used in a project (a deprecated
    compatibility layer, a function with a safer replacement). An entry bans
    the module and everything in it: ``six.moves`` bans
    ``from six.moves import range`` and ``from six import moves``;
    ``os.system`` bans ``from os import system``. Relative imports are
    checked too, once resolved against the file's package.
    """

    code = "IPS107"
    message = "{name!r} is banned: {reason}"
    sample = {"name": "six.moves", "reason": "use the standard library"}
    default = "when configured"
    options = ("importstyle-banned",)
    examples = (
        Example(
            bad="from six.moves import range\n",
            good="range(3)\n",
            options={"banned": "six.moves = use the standard library"},
        ),
    )

    def _hit(self, file: FileContext, name: str, line: int, col: int) -> Finding | None:
        entry = file.config.banned_entry(name)
        if entry is None:
            return None
        reason = file.config.banned[entry] or "listed in importstyle-banned"
        return self.finding(line, col, name=entry, reason=reason)

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not file.config.banned:
            return
        for record in file.records:
            if record.is_future:
                continue
            if not record.is_from:
                for name in record.names:
                    hit = self._hit(file, name.name, name.line, name.col)
                    if hit:
                        yield hit
                continue
            module = file.absolute(record)
            if module is None:
                continue
            hit = self._hit(file, module, record.line, record.col)
            if hit:  # the whole from-module is banned: once, at the statement
                yield hit
                continue
            for name in record.names:
                if name.name != "*":
                    hit = self._hit(file, f"{module}.{name.name}", name.line, name.col)
                    if hit:
                        yield hit


class RelativeImport(Rule):
    """Absolute imports say where a module lives wherever the file moves and
    read the same in every file. ``importstyle-relative = never`` flags every
    relative import; ``siblings`` allows ``from . import x`` and
    ``from .mod import x`` but flags imports that climb to a parent package.
    """

    code = "IPS108"
    message = "use an absolute import{replacement} instead of 'from {module} import ...'"
    sample = {"replacement": "", "module": ".."}
    default = "when configured"
    options = ("importstyle-relative",)
    examples = (
        Example(
            bad="from ..utils import slugify\n",
            good="from .helpers import slugify\n",
            options={"relative": "siblings"},
        ),
        Example(
            bad="from . import helpers\n",
            good="from mypkg import helpers\n",
            options={"relative": "never"},
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        policy = file.config.relative
        if policy == "allow":
            return
        lowest = 1 if policy == "never" else 2
        for record in file.records:
            if record.level < lowest:
                continue
            absolute = file.absolute(record)
            replacement = ""
            if absolute:
                names = ", ".join(
                    n.name if n.asname is None else f"{n.name} as {n.asname}" for n in record.names
                )
                replacement = f" ('from {absolute} import {names}')"
            yield self.finding(record.line, record.col, replacement=replacement, module=record.from_text)
