"""The dynamic import API: IPS201–IPS205."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import lru_cache

from flake8_importstyle.analysis import (
    has_unpacking,
    literal_str,
    string_arg,
)
from flake8_importstyle.apis import REMOVED_APIS, removed_api
from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule
from flake8_importstyle.text import word

#: Words without which a rule cannot fire in a file (compiled here,
#: as this module is imported only for the files that its gate lets through).
# The patterns start with their literal, like text.word's: a leading \b or an
# alternation makes re try every position of the text, about 30 times slower.
IMPORT_CALL_WORD = re.compile(r"__import__\s*\(")
IMPORT_REPLACEMENT_WORDS = (
    re.compile(r"__import__\s*[-+*/|&^%@]?=(?!=)"),
    re.compile(r"__import__['\"]\s*\]\s*=(?!=)"),
    re.compile(r"setattr(?<!\wsetattr)\s*\("),
)
IMPORT_MODULE_WORD = word("import_module")


IMPORT_FUNCTIONS = frozenset({"builtins.__import__", "importlib.__import__"})


IMPORTLIB = frozenset({"importlib"})
IMPORT_MODULE = frozenset({"importlib.import_module"})
BUILTINS = frozenset({"builtins"})
BUILTINS_OR_IMPORTLIB = frozenset({"builtins", "importlib"})
REMOVED_API_MODULES = frozenset({"importlib", "pkgutil"})
SETATTR = frozenset({"builtins.setattr"})


def _from_imported(file: FileContext, modules: frozenset[str], name: str) -> bool:
    """Whether the file does ``from <one of modules> import <name>`` (under any alias)."""
    return any(
        r.module in modules and not r.level and n.name == name
        for r in file.records
        if r.is_from
        for n in r.names
    )


def import_calls(file: FileContext) -> Iterator[ast.Call]:
    """Calls of ``__import__`` (the builtin, ``builtins.`` or ``importlib.``)."""
    aliased = _from_imported(file, BUILTINS_OR_IMPORTLIB, "__import__")
    if not aliased and not file.may_use(None, IMPORT_CALL_WORD):
        return
    for call in file.nodes_on(file.lines_for(IMPORT_FUNCTIONS)):
        if isinstance(call, ast.Call) and file.bindings.qualify(call.func) in IMPORT_FUNCTIONS:
            yield call


class DunderImportCall(Rule):
    """``__import__`` is the hook the ``import`` statement calls, not an API
    for code: its result depends on ``fromlist`` (``__import__("a.b")``
    returns ``a``), and it skips nothing ``importlib.import_module`` does.
    ``importlib.import_module(name)`` returns the named module itself.
    """

    code = "IPS201"
    name = "dunder-import-call"
    fix = "sometimes"
    fix_note = (
        "A call whose name is a string literal of an absolute module, with no ``fromlist`` of "
        "submodules, becomes ``importlib.import_module(...)`` (adding ``import importlib``); "
        '``__import__("a.b").b`` becomes ``importlib.import_module("a.b")``. Left with the reason: a '
        "computed name, unpacked arguments, a ``level``, ``globals``/``locals`` arguments that do "
        "something, a result used as the top-level package, ``importlib`` bound to something else "
        "or imported below the top of the file. Each call is fixed or left on its own. ``import "
        "importlib`` goes where isort puts it, and is not added where the imports at the top bind it."
    )
    limitations = (
        (
            "The rewrite assumes no replacement ``builtins.__import__`` is installed, which "
            "``importlib.import_module`` would bypass (IPS203 reports installing one)."
        ),
        (
            "A call through a name the file binds some other way (``load = __import__``, then "
            '``load("x")``) is not seen.'
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "wemake-python-styleguide", ("WPS421",), "WrongFunctionCallViolation", same=False,
            note="forbids calling ``__import__`` among other built-ins, and names no replacement",
        ),
    )
    message = "use 'importlib.import_module(name)' instead of calling {function}"
    sample = {"function": "__import__"}
    examples = (
        Example(
            bad='plugin = __import__("plugins")\n',
            good='import importlib\n\nplugin = importlib.import_module("plugins")\nhook = __import__\n',
            fixed='import importlib\n\nplugin = importlib.import_module("plugins")\n',
        ),
        Example(
            bad='import sys\n\nsys.stdout.write(__import__("json").dumps([1]))\n',
            good=(
                'import importlib\nimport sys\n\n'
                'sys.stdout.write(importlib.import_module("json").dumps([1]))\n'
            ),
            fixed=(
                'import importlib\nimport sys\n\n'
                'sys.stdout.write(importlib.import_module("json").dumps([1]))\n'
            ),
        ),
        Example(
            bad='"""Docs."""\nimport os\n\njoin = __import__("os.path").path.join\n',
            good=(
                '"""Docs."""\nimport importlib\nimport os\n\n'
                'join = importlib.import_module("os.path").join\n'
            ),
            fixed=(
                '"""Docs."""\nimport importlib\nimport os\n\n'
                'join = importlib.import_module("os.path").join\n'
            ),
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for call in import_calls(file):
            function = ast.unparse(call.func)
            yield self.at(file, call, function=function)


def _empty_fromlist(node: ast.expr | None) -> bool:
    if node is None:
        return True
    if isinstance(node, ast.Constant):
        return node.value is None
    return isinstance(node, (ast.List, ast.Tuple)) and not node.elts


class DottedDunderImport(Rule):
    """``__import__("a.b")`` imports ``a.b`` but returns the top-level package
    ``a``: code that uses the result as ``a.b`` calls attributes of the wrong
    module. A team that keeps ``__import__`` on purpose (ignoring IPS201)
    still hears about this.

    Flagged: a result that is kept (assigned, passed, returned) or read
    through less than the whole dotted name. Not flagged, as correct code: a
    result thrown away (the call imports ``a.b`` for its side effect), one read
    through the whole name (``__import__("os.path").path.join``), and one
    assigned to the top-level name, as ``import a.b`` would bind it
    (``os = __import__("os.path")``).
    """

    code = "IPS202"
    name = "dunder-import-returns-package"
    fix = "never"
    fix_note = (
        "The code expects the leaf module but runs with the top-level package, so any "
        "rewrite changes what it does; which one was meant is for a person to say."
    )
    limitations = (
        "Only literal names: ``__import__(name)`` with a computed ``name`` is not checked.",
        (
            "A result bound to another name is reported even when it is then read through the whole "
            'dotted name (``pkg = __import__("a.b")``, then ``pkg.b.x``).'
        ),
    )
    added = "0.1.0"
    peers = ()
    message = (
        "{call} returns the top-level package {top!r}, not {name!r}; use importlib.import_module({name!r})"
    )
    sample = {"call": "__import__('a.b')", "top": "a", "name": "a.b"}
    examples = (
        Example(
            bad='path = __import__("os.path")\n',
            good=(
                'path = __import__("os.path", fromlist=["join"])\n'
                'join = __import__("os.path").path.join\n__import__("xml.dom")\n'
            ),
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        parents: dict[int, ast.AST] | None = None
        for call in import_calls(file):
            if has_unpacking(call):
                continue
            name = literal_str(string_arg(call, 0, "name"))
            if not name or "." not in name or name.startswith("."):
                continue
            if not _empty_fromlist(string_arg(call, 3, "fromlist")):
                continue
            if parents is None:
                parents = {}
                for node in file.nodes_on(file.lines_for(IMPORT_FUNCTIONS)):
                    for child in ast.iter_child_nodes(node):
                        parents[id(child)] = node
            top = name.partition(".")[0]
            if _used_as_the_package(call, name, parents):
                continue
            yield self.at(file, call, call=f"{ast.unparse(call.func)}({name!r})", top=top, name=name)


def _used_as_the_package(call: ast.Call, name: str, parents: dict[int, ast.AST]) -> bool:
    """Whether the result of ``__import__(name)`` is thrown away, read through the whole
    dotted name, or bound to the top-level name: each correct for the package it is."""
    parent = parents.get(id(call))
    if isinstance(parent, ast.Expr):
        return True
    if isinstance(parent, ast.Assign) and parent.value is call:
        top = name.partition(".")[0]
        return all(isinstance(t, ast.Name) and t.id == top for t in parent.targets)
    node: ast.AST = call
    for part in name.split(".")[1:]:
        up = parents.get(id(node))
        if not (isinstance(up, ast.Attribute) and up.value is node and up.attr == part):
            return False
        node = up
    return True


class ReplacedImportFunction(Rule):
    """Replacing ``builtins.__import__`` changes every import in the process,
    is skipped by ``importlib.import_module``, and is undone by the next
    library that does the same. The import system's extension point is a
    finder on ``sys.meta_path`` (or a path hook on ``sys.path_hooks``).
    """

    code = "IPS203"
    name = "replaced-import-function"
    fix = "never"
    fix_note = "A finder on ``sys.meta_path`` is new code that only the author can write."
    limitations = (
        (
            "Only assignments to ``builtins.__import__`` (also through ``builtins.__dict__`` or "
            '``setattr``) are seen; ``mock.patch("builtins.__import__")`` in a test is not reported.'
        ),
    )
    added = "0.1.0"
    peers = ()
    message = (
        "replacing {target} changes every import in the process; "
        "install a finder on sys.meta_path (or a path hook) instead"
    )
    sample = {"target": "builtins.__import__"}
    examples = (
        Example(
            bad="import builtins\n\nbuiltins.__import__ = my_import\n",
            good="import sys\n\nsys.meta_path.insert(0, MyFinder())\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        if "__import__" not in file.source:
            return
        aliased = _from_imported(file, BUILTINS, "setattr")
        if not aliased and not file.may_use(None, *IMPORT_REPLACEMENT_WORDS):
            return
        qualify = file.bindings.qualify
        for node in file.nodes_on(file.lines_for(IMPORT_FUNCTIONS | SETATTR)):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Call):
                yield from self._setattr(file, node)
                continue
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "__import__":
                    if qualify(target.value) == "builtins":
                        yield self.at(file, target, target=ast.unparse(target))
                elif isinstance(target, ast.Subscript) and literal_str(target.slice) == "__import__":
                    if qualify(target.value) in {"builtins", "builtins.__dict__"}:
                        yield self.at(file, target, target=ast.unparse(target))

    def _setattr(self, file: FileContext, call: ast.Call) -> Iterator[Finding]:
        qualify = file.bindings.qualify
        if qualify(call.func) != "builtins.setattr" or len(call.args) < 2 or has_unpacking(call):
            return
        if qualify(call.args[0]) == "builtins" and literal_str(call.args[1]) == "__import__":
            yield self.at(file, call, target=f"{ast.unparse(call.args[0])}.__import__")


class RelativeImportModuleWithoutPackage(Rule):
    """``importlib.import_module(".name")`` resolves a relative name against
    the ``package`` argument; without one it raises ``TypeError`` at run
    time. Pass ``package=__package__`` to import relative to this module's
    package.
    """

    code = "IPS204"
    name = "relative-name-without-package"
    fix = "unsafe"
    unsafe_because = "TypeError becomes an import"
    fix_note = (
        "With ``--unsafe-fixes``, ``package=__package__`` is added to a call whose only argument is "
        "the name, in a file that ``__init__.py`` files place in a package, where nothing in the file "
        "names ``__package__`` otherwise. It is right only when the name is meant relative to this "
        "module's own package, and a module run as a script (``python pkg/mod.py``) has no package, "
        "so the call still raises ``TypeError`` there; read the diff. A file in no package is not "
        "rewritten."
    )
    limitations = (
        'Only string literals that start with a dot: ``import_module(f".{name}")`` is not checked.',
    )
    added = "0.1.0"
    peers = ()
    message = "{call} without a package raises TypeError at run time; pass package=__package__"
    sample = {"call": "importlib.import_module('.plugins')"}
    examples = (
        Example(
            bad='import importlib\n\nimportlib.import_module(".plugins")\n',
            good='import importlib\n\nimportlib.import_module(".plugins", package=__package__)\n',
            filename="app/loader.py",
            fixed='import importlib\n\nimportlib.import_module(".plugins", package=__package__)\n',
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not file.may_use(IMPORTLIB, IMPORT_MODULE_WORD):
            return
        for call in file.nodes_on(file.lines_for(IMPORT_MODULE)):
            if not isinstance(call, ast.Call) or has_unpacking(call):
                continue
            if file.bindings.qualify(call.func) != "importlib.import_module":
                continue
            name = literal_str(string_arg(call, 0, "name"))
            if not name or not name.startswith("."):
                continue
            if len(call.args) >= 2 or any(k.arg == "package" for k in call.keywords):
                continue
            yield self.at(file, call, call=f"{ast.unparse(call.func)}({name!r})")


class RemovedImportApi(Rule):
    """These parts of the import system were deprecated for years and are
    gone from current Pythons: code that uses them fails with
    ``ImportError`` or ``AttributeError`` there. Each has a replacement in
    ``importlib``. An API counts from the release that deprecated it: a project
    whose target (``importstyle-target-python``, or its ``requires-python``) is
    3.11 may still use ``pkgutil.get_loader``, deprecated in 3.12.
    """

    code = "IPS205"
    name = "removed-import-api"
    fix = "sometimes"
    fix_note = (
        "Only ``imp.reload(m)``, when ``import imp`` is used for nothing else: it "
        "becomes ``importlib.reload(m)`` and ``import imp`` becomes ``import importlib``. The other "
        "APIs have no drop-in replacement and are left with that reason."
    )
    limitations = (
        (
            "A project that sets neither ``importstyle-target-python`` nor ``requires-python`` is "
            "judged against the Python that runs flake8."
        ),
        (
            "Uses are followed through the names the file imports: ``getattr(importlib, "
            '"find_loader")`` is not seen.'
        ),
    )
    added = "0.1.0"
    peers = (
        Peer("pylint", ("W4901",), "deprecated-module", same=False, note="reports ``import imp``"),
        Peer(
            "pylint", ("W4902",), "deprecated-method", same=False,
            note=(
                "reports ``importlib.find_loader`` and ``pkgutil.get_loader`` among every deprecated "
                "method"
            ),
        ),
    )
    message = "{name} was removed in Python {removed} (deprecated since {deprecated}); use {replacement}"
    sample = {
        "name": "importlib.find_loader",
        "removed": "3.12",
        "deprecated": "3.4",
        "replacement": "importlib.util.find_spec()",
    }
    options = ("importstyle-target-python",)
    examples = (
        Example(
            bad="import imp\n\nimp.reload(config)\n",
            good="import importlib\n\nimportlib.reload(config)\n",
            fixed="import importlib\n\nimportlib.reload(config)\n",
        ),
        Example(
            bad="import pkgutil\n\nloader = pkgutil.get_loader('json')\n",
            good="from importlib import util\n\nloader = util.find_spec('json').loader\n",
            options={"target-python": "3.12"},
        ),
    )

    def _due(self, file: FileContext, name: str) -> bool:
        """Whether the target Python has deprecated *name* (``importstyle-target-python``)."""
        major, minor = REMOVED_APIS[name].deprecated.split(".")
        return (int(major), int(minor)) <= file.config.target()

    def _finding(self, line: int, col: int, name: str) -> Finding:
        api = REMOVED_APIS[name]
        return self.finding(
            line, col, name=name, removed=api.removed, deprecated=api.deprecated, replacement=api.replacement
        )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for record in file.records:
            if record.level or record.is_future:
                continue
            if record.is_from:
                hit = removed_api(record.module)
                if hit and self._due(file, hit):
                    yield self._finding(record.line, record.col, hit)
                    continue
            for name in record.names:
                full = record.full_name(name)
                hit = removed_api(full) if full else None
                if hit and self._due(file, hit):
                    yield self._finding(name.line, name.col, hit)
        if not REMOVED_API_MODULES & file.imported_modules or not file.may_use(None, *_removed_api_words()):
            return
        for attribute in file.nodes_on(file.lines_matching(*_removed_api_words())):
            if not isinstance(attribute, ast.Attribute):
                continue
            qualified = file.bindings.qualify(attribute)
            if qualified is None or qualified not in REMOVED_APIS or qualified == "imp":
                continue
            if self._due(file, qualified):
                yield self._finding(*file.position(attribute), qualified)


@lru_cache(maxsize=1)
def _removed_api_words() -> tuple[re.Pattern[str], ...]:
    """The last words of the removed APIs used as attributes (``imp`` is flagged at its
    import), compiled on first use: only files that import importlib or pkgutil need them."""
    return tuple(word(name.rpartition(".")[2]) for name in sorted(REMOVED_APIS) if "." in name)
