"""Per-project policy: banned modules (IPS107) and relative imports (IPS108)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule


class BannedImport(Rule):
    """Some modules or names should not be used in a project (a deprecated
    compatibility layer, a function with a safer replacement). An entry bans
    the module and everything in it: ``six.moves`` bans
    ``from six.moves import range`` and ``from six import moves``;
    ``os.system`` bans ``from os import system``. Relative imports are
    checked too, once resolved against the file's package.

    The imports are reported, and so is every use that reaches a banned name
    through an imported one, under any alias: ``import os`` then
    ``os.system("ls")``, ``import typing as t`` then ``t.TypedDict``, once per
    use, at the start of the chain. The most specific entry gives the reason:
    with ``foo`` and ``foo.bar`` both banned, ``from foo import bar`` is
    ``foo.bar``'s.
    """

    code = "IPS107"
    name = "banned-import"
    fix = "never"
    fix_note = "A ban's reason is words for a person, not a replacement the fixer could write."
    limitations = (
        (
            "Entries are dotted names, no patterns (flake8-tidy-imports' ``example.*.truck``); an "
            "entry covers everything inside it, so ``mock`` does what ``mock.*`` does there."
        ),
        (
            "Uses are followed through the names the file imports: a banned name reached through "
            "``getattr``, ``importlib.import_module`` or another module's re-export is not seen."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer("ruff", ("TID251",), "banned-api", note="ruff's ``msg`` is the reason here"),
        Peer(
            "flake8-tidy-imports", ("I251",), same=False,
            note=(
                "reports the imports only; an entry bans exactly that name, and ``mock.*`` what is in "
                "it"
            ),
        ),
        Peer(
            "pylint", ("W0407",), "preferred-module", same=False,
            note="``preferred-modules = old:new`` names a module instead of a reason",
        ),
        Peer(
            "pylint", ("W4901",), "deprecated-module", same=False,
            note="``deprecated-modules`` lists whole modules, without a reason",
        ),
    )
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
        Example(
            bad='import os\n\nos.system("ls")\n',
            good='import subprocess\n\nsubprocess.run(["ls"])\n',
            options={"banned": "os.system = use subprocess.run"},
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
            whole = file.config.banned_entry(module)
            rest = False  # a name that only the whole module's entry bans
            for name in record.names:
                if name.name == "*":
                    rest = rest or whole is not None
                    continue
                full = f"{module}.{name.name}"
                entry = file.config.banned_entry(full)
                if entry is not None and entry != whole:  # a more specific entry: its reason, at the name
                    hit = self._hit(file, full, name.line, name.col)
                    if hit:
                        yield hit
                elif entry is not None:
                    rest = True
            if rest:  # the whole from-module is banned: once, at the statement
                hit = self._hit(file, module, record.line, record.col)
                if hit:
                    yield hit
        yield from self._uses(file)

    def _uses(self, file: FileContext) -> Iterator[Finding]:
        """Each read of a banned name through an imported one: at the innermost node of
        the chain that the ban covers, once per chain. A name the file also binds some
        other way is not trusted (as for the import-system rules)."""
        lines = file.lines_for(file.config.banned)
        hits: dict[int, tuple[ast.expr, str]] = {}
        for node in file.nodes_on(lines):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                continue
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
                continue
            qualified = file.bindings.qualify(node)
            if qualified is None or file.config.banned_entry(qualified) is None:
                continue
            hits[id(node)] = (node, qualified)
        for node, qualified in hits.values():
            if any(id(child) in hits for child in _chain_below(node)):
                continue  # a shorter chain inside it is banned already: reported there
            line, col = file.position(node)
            hit = self._hit(file, qualified, line, col)
            if hit:
                yield hit


def _chain_below(node: ast.expr) -> Iterator[ast.expr]:
    """The shorter chains inside an attribute chain (``a.b`` and ``a`` in ``a.b.c``)."""
    while isinstance(node, ast.Attribute):
        node = node.value
        yield node


class RelativeImport(Rule):
    """Absolute imports say where a module lives wherever the file moves and
    read the same in every file. ``importstyle-relative = never`` flags every
    relative import; ``siblings`` allows ``from . import x`` and
    ``from .mod import x`` but flags imports that climb to a parent package.
    """

    code = "IPS108"
    name = "relative-import"
    fix = "sometimes"
    fix_note = (
        "``from ..a import b`` becomes ``from pkg.a import b`` (aliases, comments, parentheses and "
        "layout kept) where the file's package follows from the ``__init__.py`` files above it and "
        "an absolute import of its top-level name, looked up from the folder the fixer runs in and "
        "``sys.path`` as ``python -m`` looks it up, finds that very package. Left, with the reason: "
        "stdin without a display name, a file in no regular package, a package folder that is no "
        "name an absolute import can spell (a keyword, or a folder with ``__init__.py`` above it "
        "that is no identifier), the folder above the package listed in "
        "``importstyle-namespace-packages``, a run from inside the package, a top-level name that "
        "finds something else first (another copy on the path, a built-in module, or nothing: a "
        "``src/`` folder or a vendored copy that is not on ``sys.path``), dots that climb above the "
        "top-level package, and a file that names ``__package__`` or ``__spec__`` or binds "
        "``__name__``. No mode asks for relative imports, so none is written."
    )
    limitations = (
        (
            "The absolute import is named only where the file's package follows from the "
            "``__init__.py`` files above it; stdin and files outside a package get the message without "
            "it."
        ),
        (
            "Two strictnesses only: ``siblings`` (``from .. import x`` and deeper are reported) and "
            "``never``."
        ),
        (
            "The rewrite assumes the file is imported under the name its folders give it (``python -m "
            "pkg.mod``, or an import of ``pkg.mod``) with the ``sys.path`` the fixer runs with: a "
            "relative import finds its package through ``__package__``, an absolute one through "
            "``sys.path``."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "ruff", ("TID252",), "relative-imports",
            note='``ban-relative-imports = "parents"`` is ``siblings`` here, ``"all"`` is ``never``',
        ),
        Peer(
            "flake8-tidy-imports", ("I252",),
            note="``ban-relative-imports = parents`` is ``siblings`` here, ``true`` is ``never``",
        ),
        Peer(
            "wemake-python-styleguide", ("WPS300",), "LocalFolderImportViolation", same=False,
            note="always reports every relative import, as ``importstyle-relative = never`` does",
        ),
    )
    message = "use an absolute import{replacement} instead of 'from {module} import ...'"
    sample = {"replacement": "", "module": ".."}
    default = "when configured"
    options = ("importstyle-relative",)
    examples = (
        Example(
            bad="from ..utils import slugify\n",
            good="from .helpers import slugify\n",
            options={"relative": "siblings"},
            filename="mypkg/views/pages.py",
            fixed="from mypkg.utils import slugify\n",
        ),
        Example(
            bad="from . import helpers\n",
            good="from mypkg import helpers\n",
            options={"relative": "never"},
            filename="mypkg/views.py",
            fixed="from mypkg import helpers\n",
        ),
        Example(
            bad="from .models import (\n    User as U,  # the account\n    Group,\n)\n",
            good="from mypkg.models import (\n    User as U,  # the account\n    Group,\n)\n",
            options={"relative": "never"},
            filename="mypkg/views.py",
            fixed="from mypkg.models import (\n    User as U,  # the account\n    Group,\n)\n",
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
