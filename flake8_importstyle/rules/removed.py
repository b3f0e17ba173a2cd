"""Modules the project's Python or its setuptools no longer has: IPS206, IPS207."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from flake8_importstyle.deprecations import (
    PKG_RESOURCES_APIS,
    PKG_RESOURCES_ENTRY_POINTS_OLD,
    PKG_RESOURCES_MODULE,
    PKG_RESOURCES_VERSION,
    REMOVED_MODULES,
    REMOVED_TOP_LEVEL,
    removal_for,
)
from flake8_importstyle.records import ImportRecord, Name
from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule
from flake8_importstyle.text import word

PKG_RESOURCES = frozenset({"pkg_resources"})


@lru_cache(maxsize=1)
def _pkg_words() -> tuple[re.Pattern[str], ...]:
    """The names of pkg_resources' APIs as words, compiled on first use: only files
    that import pkg_resources need them."""
    return tuple(word(name) for name in sorted(PKG_RESOURCES_APIS))


#: The minor versions a ``sys.version_info`` test is evaluated at.
_MINORS = range(0, 40)


# ------------------------------------------------------- sys.version_info guards


def _conditions(tree: ast.AST) -> dict[int, list[tuple[ast.expr, bool]]]:
    """For each import statement (by ``id``): the ``if`` tests around it, each with the
    outcome that runs the statement (True in the body, False in the ``else``)."""
    out: dict[int, list[tuple[ast.expr, bool]]] = {}

    def walk(body: Sequence[ast.stmt], conditions: list[tuple[ast.expr, bool]]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                out[id(stmt)] = conditions
            elif isinstance(stmt, ast.If):
                walk(stmt.body, [*conditions, (stmt.test, True)])
                walk(stmt.orelse, [*conditions, (stmt.test, False)])
            else:
                for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                    for child in getattr(stmt, field, ()):
                        if isinstance(child, ast.stmt):
                            walk([child], conditions)
                        else:  # a handler or a match case
                            walk(child.body, conditions)

    walk(getattr(tree, "body", []), [])
    return out


class _Versions:
    """Evaluates ``sys.version_info`` tests at a given Python version."""

    def __init__(self, file: FileContext) -> None:
        self.file = file

    def _version_info(self, node: ast.expr) -> bool:
        return self.file.bindings.qualify(node) == "sys.version_info"

    def _side(self, node: ast.expr, version: tuple[int, int, int, str, int]) -> object:
        """The value of one side of a comparison at *version*; raises LookupError if unknown."""
        if self._version_info(node):
            return version
        if isinstance(node, ast.Subscript) and self._version_info(node.value):
            index = node.slice
            if isinstance(index, ast.Slice) and index.lower is None and index.step is None:
                upper = index.upper
                if upper is None:
                    return version
                if isinstance(upper, ast.Constant) and isinstance(upper.value, int):
                    return version[: upper.value]
            if isinstance(index, ast.Constant) and isinstance(index.value, int) and 0 <= index.value < 5:
                return version[index.value]
        if isinstance(node, ast.Attribute) and self._version_info(node.value):
            fields = ("major", "minor", "micro", "releaselevel", "serial")
            if node.attr in fields:
                return version[fields.index(node.attr)]
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise LookupError from None

    def holds(self, test: ast.expr, version: tuple[int, int, int, str, int]) -> bool | None:
        """Whether *test* is true at *version*; None when it is no version test."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.holds(test.operand, version)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            values = [self.holds(v, version) for v in test.values]
            if any(v is None for v in values):
                return None
            return all(values) if isinstance(test.op, ast.And) else any(values)
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        left, right = test.left, test.comparators[0]
        if not any(self._mentions(side) for side in (left, right)):
            return None
        try:
            a, b = self._side(left, version), self._side(right, version)
            result = _compare(test.ops[0], a, b)
        except (LookupError, TypeError):
            return None
        return result

    def _mentions(self, node: ast.expr) -> bool:
        if isinstance(node, (ast.Subscript, ast.Attribute)):
            return self._version_info(node.value) or self._version_info(node)
        return self._version_info(node)

    def runs_from(self, conditions: list[tuple[ast.expr, bool]], minor: int) -> bool:
        """Whether a statement under *conditions* can run on any Python 3 at or after *minor*."""
        for m in _MINORS:
            if m < minor:
                continue
            for micro in (0, 99):
                version = (3, m, micro, "final", 0)
                if all(self.holds(test, version) in (None, outcome) for test, outcome in conditions):
                    return True
        return False


_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], object]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _compare(op: ast.cmpop, a: object, b: object) -> bool:
    """``a <op> b``; TypeError for an operator that compares no versions (``in``, ``is``)."""
    function = _COMPARISONS.get(type(op))
    if function is None:
        raise TypeError("not a comparison of versions")
    return bool(function(a, b))


# ------------------------------------------------------------------- IPS206


def _targets(record: ImportRecord) -> Iterator[tuple[Name, str]]:
    """Each imported name with the absolute dotted name it reaches."""
    for name in record.names:
        if record.is_from:
            yield name, record.module if name.name == "*" else f"{record.module}.{name.name}"
        else:
            yield name, name.name


class RemovedModule(Rule):
    """The Python the project targets has no such module, or deprecates it with its
    removal scheduled: the import fails with ``ModuleNotFoundError`` there (or warns
    until it does). The replacement is the one the Python documentation gives.

    The target is ``importstyle-target-python``; when it is not set, the lower bound
    of ``requires-python`` in the ``pyproject.toml`` (or ``python_requires`` in the
    ``setup.cfg``) next to the config file, and otherwise the Python that runs flake8.
    An import that can only run where the module still exists is not reported: inside
    ``try:`` with a handler that catches ``ImportError``, or under a ``sys.version_info``
    test that excludes the versions that removed it.

    ``flake8-importstyle fix`` rewrites ``pipes.quote``, which is ``shlex.quote`` under
    another name, when the file uses nothing else of ``pipes``; the other modules have
    no drop-in replacement, and it leaves them with that reason.
    """

    code = "IPS206"
    name = "removed-module"
    fix = "sometimes"
    fix_note = (
        "Only ``pipes.quote``, which is ``shlex.quote`` under another name, when the file uses nothing "
        "else of ``pipes``: ``import pipes`` becomes ``import shlex``, ``from pipes "
        "import quote`` becomes ``from shlex import quote``. The other modules have no drop-in "
        "replacement and are left with that reason."
    )
    limitations = (
        (
            "Only the modules and members in its table. A guard counts only as a ``try`` whose handler "
            "catches ``ImportError`` or a ``sys.version_info`` comparison around the import, not a "
            "``sys.platform`` test or a helper function."
        ),
        (
            "A project that sets neither ``importstyle-target-python`` nor ``requires-python`` is "
            "judged against the Python that runs flake8."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "pylint", ("W4901",), "deprecated-module", same=False,
            note=(
                "pylint's own list of deprecated modules for its ``py-version``, plus "
                "``deprecated-modules``"
            ),
        ),
    )
    message = "{name} {when}; {advice}"
    sample = {
        "name": "asyncore",
        "when": "was removed in Python 3.12 (deprecated since 3.6)",
        "advice": "use asyncio",
    }
    options = ("importstyle-target-python",)
    examples = (
        Example(
            bad="import asyncore\n",
            good="import asyncio\n",
            options={"target-python": "3.12"},
        ),
        Example(
            bad='import pipes\n\ncommand = "ls " + pipes.quote(folder)\n',
            good='import shlex\n\ncommand = "ls " + shlex.quote(folder)\n',
            options={"target-python": "3.11"},
            fixed='import shlex\n\ncommand = "ls " + shlex.quote(folder)\n',
        ),
        Example(
            bad="from pipes import quote\n\nprint(quote(name))\n",
            good="from shlex import quote\n\nprint(quote(name))\n",
            options={"target-python": "3.13"},
            fixed="from shlex import quote\n\nprint(quote(name))\n",
        ),
        Example(
            bad="from distutils.spawn import find_executable\n",
            good="from shutil import which\n",
            options={"target-python": "3.10"},
        ),
        Example(
            bad="import imghdr\n",
            good=(
                "import sys\n\nif sys.version_info < (3, 13):\n    import imghdr\n"
                "try:\n    import telnetlib\nexcept ImportError:\n    telnetlib = None\n"
            ),
            options={"target-python": "3.11"},
        ),
    )

    @classmethod
    def appendix(cls) -> str:
        from flake8_importstyle.docs import simple_table

        rows = [
            (f"``{name}``", removal.deprecated, removal.removed, removal.advice)
            for name, removal in sorted(
                REMOVED_MODULES.items(), key=lambda item: (item[1].removed_version, item[0])
            )
        ]
        table = simple_table(("Module", "Deprecated", "Removed", "Instead"), rows)
        said = "The modules and members it knows, and the releases that deprecated and removed them:"
        return f"{said}\n\n{table}"

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not REMOVED_TOP_LEVEL & file.imported_modules:
            return
        target = file.config.target()
        versions: _Versions | None = None
        conditions: dict[int, list[tuple[ast.expr, bool]]] | None = None
        statements: dict[tuple[int, int], ast.stmt] | None = None
        for record in file.records:
            if record.level or record.is_future or record.context.guarded:
                continue
            for name, full in _targets(record):
                entry = removal_for(full)
                if entry is None:
                    continue
                removal = REMOVED_MODULES[entry]
                if removal.deprecated_version > target:
                    continue
                if statements is None:
                    statements = {
                        (s.lineno, s.col_offset): s
                        for s in ast.walk(file.tree)
                        if isinstance(s, (ast.Import, ast.ImportFrom))
                    }
                    try:
                        conditions = _conditions(file.tree)
                    except RecursionError:  # nested past the interpreter's limit: no guard is read
                        conditions = {}
                    versions = _Versions(file)
                assert conditions is not None and versions is not None
                stmt = _statement_of(statements, record, file)
                guards = conditions.get(id(stmt), []) if stmt is not None else []
                if guards and not versions.runs_from(guards, removal.removed_version[1]):
                    continue
                if removal.removed_version <= target:
                    when = f"was removed in Python {removal.removed} (deprecated since {removal.deprecated})"
                else:
                    when = f"is deprecated since Python {removal.deprecated} and removed in {removal.removed}"
                yield self.finding(name.line, name.col, name=full, when=when, advice=removal.advice)


def _statement_of(
    statements: dict[tuple[int, int], ast.stmt], record: ImportRecord, file: FileContext
) -> ast.stmt | None:
    """The ``ast`` statement of *record* (records count columns in characters, ``ast`` in bytes)."""
    line = file.lines[record.line - 1] if 0 < record.line <= len(file.lines) else ""
    col = len(line[: record.col].encode("utf-8"))
    return statements.get((record.line, col))


# ------------------------------------------------------------------- IPS207


class PkgResources(Rule):
    """setuptools 82 removed ``pkg_resources`` (it warned on import since 67.5): with a
    current setuptools, or none, the import fails. ``importlib.metadata`` answers the
    questions about installed distributions and ``importlib.resources`` those about a
    package's files, without the cost of scanning every distribution at import time.

    Reported at the import, and at each use of one of its common APIs, with that API's
    replacement.

    ``flake8-importstyle fix`` rewrites ``get_distribution(name).version`` to
    ``importlib.metadata.version(name)`` where a ``try`` around it catches the
    missing distribution's exception (``DistributionNotFound`` becomes
    ``PackageNotFoundError``), when the file uses nothing else of ``pkg_resources``:
    elsewhere the exception would change from ``DistributionNotFound`` to an
    ``ImportError``. It leaves ``iter_entry_points``: ``importlib.metadata``'s entry
    points are other objects (``module`` for ``module_name``), and their ``load()`` does
    not check the distribution's requirements as ``pkg_resources`` does.
    """

    code = "IPS207"
    name = "pkg-resources"
    fix = "sometimes"
    fix_note = (
        "Only ``import pkg_resources`` read for nothing but "
        '``get_distribution("name").version`` alone in a ``try`` that catches ``DistributionNotFound`` '
        "(the name a string literal of a distribution): it becomes ``from importlib import metadata`` "
        'with ``metadata.version("name")`` and ``except metadata.PackageNotFoundError``. Any other use '
        "(``iter_entry_points``, ``resource_string``, ...) is left with its reason."
    )
    limitations = (
        (
            "Reported whatever setuptools the project pins: a project that keeps setuptools below 82 "
            "on purpose can ignore the code (``extend-ignore = IPS207``)."
        ),
        (
            "Uses are followed through the names the file imports: a ``pkg_resources`` API reached "
            "through ``getattr`` or another module is not seen."
        ),
    )
    added = "0.1.0"
    peers = ()
    message = "{name}: setuptools 82 removed pkg_resources; use {replacement}"
    sample = {"name": "pkg_resources.get_distribution(name).version", "replacement": PKG_RESOURCES_VERSION}
    examples = (
        Example(
            bad='import pkg_resources\n\n__version__ = pkg_resources.get_distribution("mypkg").version\n',
            good='from importlib import metadata\n\n__version__ = metadata.version("mypkg")\n',
        ),
        Example(
            bad=(
                "import pkg_resources\n\ntry:\n"
                '    __version__ = pkg_resources.get_distribution("mypkg").version\n'
                "except pkg_resources.DistributionNotFound:\n"
                '    __version__ = "unknown"\n'
            ),
            good=(
                "from importlib import metadata\n\ntry:\n"
                '    __version__ = metadata.version("mypkg")\n'
                "except metadata.PackageNotFoundError:\n"
                '    __version__ = "unknown"\n'
            ),
            fixed=(
                "from importlib import metadata\n\ntry:\n"
                '    __version__ = metadata.version("mypkg")\n'
                "except metadata.PackageNotFoundError:\n"
                '    __version__ = "unknown"\n'
            ),
        ),
        Example(
            bad='from pkg_resources import resource_string\n\ndata = resource_string("mypkg", "data.json")\n',
            good=(
                "from importlib import resources\n\n"
                'data = resources.files("mypkg").joinpath("data.json").read_bytes()\n'
            ),
        ),
    )

    @classmethod
    def appendix(cls) -> str:
        from flake8_importstyle.docs import simple_table

        rows = [(f"``pkg_resources.{api}``", text) for api, text in sorted(PKG_RESOURCES_APIS.items())]
        rows.insert(0, ("``pkg_resources.get_distribution(name).version``", PKG_RESOURCES_VERSION))
        rows.append(
            ("``pkg_resources.iter_entry_points`` (target before 3.10)", PKG_RESOURCES_ENTRY_POINTS_OLD)
        )
        table = simple_table(("API", "Instead"), rows)
        return f"The APIs it names a replacement for:\n\n{table}"

    def _replacement(self, api: str, file: FileContext) -> str:
        if api == "iter_entry_points" and file.config.target() < (3, 10):
            return PKG_RESOURCES_ENTRY_POINTS_OLD
        return PKG_RESOURCES_APIS[api]

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not PKG_RESOURCES & file.imported_modules:
            return
        for record in file.records:
            if record.level:
                continue
            for name, full in _targets(record):
                if full != "pkg_resources" and not full.startswith("pkg_resources."):
                    continue
                api = full.partition(".")[2]
                if api in PKG_RESOURCES_APIS:
                    yield self.finding(
                        name.line, name.col, name=full, replacement=self._replacement(api, file)
                    )
                else:
                    yield self.finding(name.line, name.col, name=full, replacement=PKG_RESOURCES_MODULE)
        if not file.may_use(None, *_pkg_words()):
            return
        versions: set[int] = set()
        for node in file.nodes_on(file.lines_matching(*_pkg_words(), word("version"))):
            # `get_distribution(name).version`: importlib.metadata.version(name)
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "version"
                and isinstance(node.value, ast.Call)
                and file.bindings.qualify(node.value.func) == "pkg_resources.get_distribution"
            ):
                versions.add(id(node.value.func))
                yield self.at(
                    file,
                    node.value.func,
                    name="pkg_resources.get_distribution(name).version",
                    replacement=PKG_RESOURCES_VERSION,
                )
        for node in file.nodes_on(file.lines_matching(*_pkg_words())):
            if not isinstance(node, (ast.Attribute, ast.Name)) or id(node) in versions:
                continue
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                continue
            qualified = file.bindings.qualify(node)
            if qualified is None or not qualified.startswith("pkg_resources."):
                continue
            api = qualified.partition(".")[2]
            if api in PKG_RESOURCES_APIS:
                yield self.at(file, node, name=qualified, replacement=self._replacement(api, file))
