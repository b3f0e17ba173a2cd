"""The check before the fixer writes: the rewritten file behaves as the original did.

:func:`prove` reads the original and the rewritten text and nothing else: not
the plan that produced the rewrite, so a planning bug is caught here and
reported, never written. It builds the :mod:`~flake8_importstyle.names` model
of both files and proves:

1. **Same statements.** Every statement other than an import is the same in
   both files, node for node, except where an expression reads an import in
   another spelling (``os.path.join`` and ``path.join``).
2. **Same reads.** Every name the rewrite could touch (those some import
   binds, in either file) is served at each read by bindings of equal value:
   ``os.path.join`` through ``import os.path`` and ``path.join`` through
   ``from os import path`` both reach the attribute ``join`` of the module
   ``os.path``. Where one binding always serves the read, its value decides;
   where several may, they must be the same bindings in the same places,
   and a read that may find the name unbound must find it unbound in both.
   ``__import__("a.b").b`` and ``importlib.import_module("a.b")`` are the same
   module; ``imp.reload`` is ``importlib.reload``.
3. **Same imports.** Each run of import statements loads the same modules in
   the same order; where a handler of the enclosing ``try`` could tell a
   ``ModuleNotFoundError`` from an ``ImportError`` (or reads the exception),
   a failed import raises the same exception in both.
4. **Same namespace for others.** A name the module stops binding (or starts
   binding) is not read by other code: not in ``__all__``, not answered for
   by a module ``__getattr__``, not read by the module's doctests, not read
   from this module by the other files of the run (:class:`Readers`); a
   class body's names, which are attributes, are read by nothing else
   (:func:`class_problem`); and a name that ``eval``/``exec``, ``globals()``,
   ``locals()``... may read by its string, in a scope they reach
   (:class:`Namespace`), is bound to the same in both. A ``del`` finds what
   it deletes, and a ``nonlocal`` its binding, in both.
5. **Nothing newly unused.** pyflakes reports no import unused or redefined
   that it did not report before.

An unsafe rewrite (``fix --unsafe-fixes``) declares each change of behaviour it
makes as an :class:`Intent`: at that node only, the proof checks the declared
change instead of sameness (a call that gains ``package=__package__`` and
nothing else; a read of ``x`` that becomes ``m.x``, the old read served by the
from-import of ``m.x`` alone and the new one by ``m`` bound to that module
alone), refuses a declared change that is not made, and proves the rest of
the file as above.

What it assumes is written in README.rst ("What the fixer assumes"): that
``package.name`` is the submodule once imported unless the package's source,
which :mod:`~flake8_importstyle.resolve` reads, says otherwise; that module
attributes do not change after import (so a file that edits
``sys.modules``, reloads or replaces ``__import__`` gets no rewrite that
depends on it); and that code outside the files of the run does not read the
names a rewrite removes.
"""

from __future__ import annotations

import ast
import doctest
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from flake8_importstyle.analysis import bound_names, dunder_all
from flake8_importstyle.names import (
    BUILTIN,
    BUILTIN_NAMES,
    IMPORT,
    UNBOUND,
    ImportFacts,
    Model,
    Binding,
    from_module,
    import_loads,
)
from flake8_importstyle.names import Scope as NameScope
from flake8_importstyle.resolve import absolute_module

#: Calls that read a namespace by the names' strings (``vars()`` and ``dir()`` without an argument).
DYNAMIC_CALLS = frozenset({"eval", "exec", "globals", "locals", "vars", "dir"})
#: Of those, the ones that read no namespace of this file when given an object.
_OF_AN_OBJECT = frozenset({"vars", "dir"})
#: Two spellings of one function (the removed alias and its replacement).
SAME_PATHS = {"imp.reload": "importlib.reload", "pipes.quote": "shlex.quote"}
#: A removed module and its replacement, whose loading (the one's for the other) a
#: rewrite may swap: ``imp`` imports ``importlib``, ``pipes`` imports ``shlex``; what
#: ``pkg_resources`` does at import time beyond that (scanning the installed
#: distributions) is what README's fixer section says the rewrite stops doing.
SAME_LOADS = {"imp": "importlib", "pipes": "shlex", "pkg_resources": "importlib.metadata"}
#: Of those, the modules that are no packages: ``from pipes import quote`` loads no
#: ``pipes.quote`` submodule, even where (Python 3.13) the resolver finds no ``pipes``.
PLAIN_MODULES = frozenset({"imp", "pipes"})
#: Paths that behave the same whichever object of the module a name holds (the
#: import machinery's own functions): a reload does not change what a rewrite to
#: them does. Exact paths: ``importlib.machinery`` is a module like any other.
IDENTITY_FREE = frozenset({"imp", "importlib", "imp.reload", "importlib.reload", "importlib.import_module"})
#: Modules that a rewrite may start or stop importing, or import in another order:
#: the standard library's import machinery, whose import a program cannot tell from
#: its absence (beyond the key in ``sys.modules``), and ``sys`` and ``builtins``, which
#: the interpreter has loaded before any program runs, on every Python and under
#: ``-S``/``-I`` (``import sys`` only binds it).
INERT_LOADS = frozenset({"importlib", "sys", "builtins"})
#: ``pkg_resources.get_distribution(name).version`` and ``importlib.metadata.version(name)``
#: give one string for an installed distribution; they differ in the exception for a
#: missing one, so the proof accepts the pair only where a handler catches both alike.
DISTRIBUTION = "pkg_resources.get_distribution"
METADATA_VERSION = frozenset({"importlib.metadata.version", "from:importlib.metadata.version"})
NOT_FOUND = "pkg_resources.DistributionNotFound"
PACKAGE_NOT_FOUND = frozenset(
    {"importlib.metadata.PackageNotFoundError", "from:importlib.metadata.PackageNotFoundError"}
)
#: What catches each of the two (its bases), as import paths and as builtin names.
_CATCH_NOT_FOUND = (
    frozenset({NOT_FOUND, "pkg_resources.ResolutionError", "builtins.Exception", "builtins.BaseException"}),
    frozenset({"Exception", "BaseException"}),
)
_CATCH_PACKAGE_NOT_FOUND = (
    PACKAGE_NOT_FOUND
    | frozenset({"builtins.ImportError", "builtins.ModuleNotFoundError"})
    | frozenset({"builtins.Exception", "builtins.BaseException"}),
    frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}),
)
#: Calls that show the exception being handled (its type and message).
_SHOW_EXCEPTION = frozenset(
    {"exc_info", "exception", "print_exc", "format_exc", "print_exception", "format_exception", "exc"}
)
#: A distribution's name (``get_distribution`` also takes a requirement), without the dots
#: that PEP 508 allows: ``pkg_resources`` keeps a dot where ``importlib.metadata`` reads
#: it as ``-`` or ``_``, so ``foo.bar`` would find ``foo-bar`` in one and not the other.
DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?")
#: The paths of ``__import__`` and ``import_module``.
DUNDER_IMPORT = frozenset({"builtins.__import__", "importlib.__import__", "builtin:__import__"})
IMPORT_MODULE = "importlib.import_module"
#: pyflakes messages a rewrite must not add.
IMPORT_MESSAGES = frozenset(
    {"UnusedImport", "RedefinedWhileUnused", "ImportShadowedByLoopVar", "UndefinedName"}
)

#: Calls that set the attribute a dotted string names (``mock.patch("a.b")``).
_PATCHERS = frozenset({"patch", "setattr", "delattr"})
_MUTATORS = frozenset({"pop", "popitem", "clear", "update", "setdefault", "__delitem__", "__setitem__"})


class Readers(NamedTuple):
    """What the other files of the run read from one module: its names, and where
    (``tests/test_x.py:12``) for the message; ``star`` where one imports ``*`` from it."""

    names: dict[str, str]
    star: str | None = None


NO_READERS = Readers({})


class Intent(NamedTuple):
    """A change of behaviour an unsafe rewrite makes on purpose, at the old node that
    starts at (*line*, *col*) (``ast``'s own positions): ``package``, a call of
    ``importlib.import_module`` that gains ``package=__package__``; ``attribute``,
    a read of the name *member* that becomes *module*'s attribute (``settings.DEBUG``
    for a stale ``DEBUG``). The proof holds every other part of the file to the
    usual checks, and refuses a declared change that is not made, or not as declared."""

    kind: str
    line: int
    col: int
    module: str = ""
    member: str = ""


class Refusal(Exception):
    """The rewrite is not proved; ``str()`` says why."""


def prove(
    old_text: str,
    new_text: str,
    *,
    facts: ImportFacts,
    readers: Readers = NO_READERS,
    old_tree: ast.Module | None = None,
    new_tree: ast.Module | None = None,
    intended: Collection[Intent] = (),
) -> str | None:
    """None when *new_text* provably behaves as *old_text*; else the reason it is not proved.

    *old_tree*, *new_tree*: the texts' ``ast``, when the caller has parsed them already
    (the proof only reads them). *intended*: the changes of behaviour an unsafe rewrite
    declares (:class:`Intent`); nothing else may change."""
    if new_tree is None:
        try:
            new_tree = ast.parse(new_text)
        except (SyntaxError, ValueError) as exc:
            return f"the rewritten file does not parse ({exc})"
    if old_tree is None:
        old_tree = ast.parse(old_text)
    try:
        _Proof(old_tree, new_tree, old_text, new_text, facts, readers, intended).run()
    except Refusal as exc:
        return str(exc)
    except RecursionError:
        return "the file is too deeply nested to prove the rewrite"
    return None


@lru_cache(maxsize=4)
def walk(tree: ast.AST) -> list[ast.AST]:
    """Every node of *tree*, in :func:`ast.walk`'s order, listed once for the last few
    trees (``ast`` nodes hash by identity): a proof reads each whole tree a dozen times,
    and a list is read several times faster than :func:`ast.walk` generates it (nothing
    changes a tree once it is parsed)."""
    return list(ast.walk(tree))


@lru_cache(maxsize=4)
def parents(tree: ast.AST) -> dict[int, ast.AST]:
    """Each node's parent, by the child's ``id``, built once for the last few trees."""
    return {id(child): node for node in walk(tree) for child in ast.iter_child_nodes(node)}


#: The model the newest proof built of its rewritten tree (tree, model): the fixer
#: asks for the module-level names of the version it keeps, which that proof accepted.
_LAST_NEW: list[tuple[ast.Module, Model]] = []


def module_names(tree: ast.Module) -> set[str]:
    """The names *tree*'s module namespace may hold (:meth:`Model.module_names`, which
    the tracked names and the facts do not change), from the newest proof's model of
    it where it is that tree."""
    if _LAST_NEW and _LAST_NEW[0][0] is tree:
        return _LAST_NEW[0][1].module_names()
    return Model(tree, ()).module_names()


def imported_names(tree: ast.AST) -> set[str]:
    out: set[str] = set()
    for node in walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    out.add(alias.asname or alias.name.partition(".")[0])
    return out


def _literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


#: A value: (kind, position, path or name, attributes read after it). Kind
#: ``path``: an import's module or attribute path (position: the binding's);
#: ``now``: a module returned by a call; anything else: that binding itself.
Value = tuple[str, object, str, tuple[str, ...]]


def _normal(path: str) -> str:
    if path.startswith("from:"):  # a from-import's attribute: the same object, the same path
        return "from:" + SAME_PATHS.get(path[5:], path[5:])
    return SAME_PATHS.get(path, path)


class _Proof:
    def __init__(
        self,
        old_tree: ast.Module,
        new_tree: ast.Module,
        old_text: str,
        new_text: str,
        facts: ImportFacts,
        readers: Readers,
        intended: Collection[Intent] = (),
    ) -> None:
        self.old_tree, self.new_tree = old_tree, new_tree
        #: the declared changes by the old node's position, and those found made
        self.intended = {(i.line, i.col): i for i in intended}
        self.made: set[tuple[int, int]] = set()
        self.old_text, self.new_text = old_text, new_text
        self.facts = facts
        self.readers = readers
        # __import__ too: the builtin that IPS201's rewrite replaces
        tracked = imported_names(old_tree) | imported_names(new_tree) | {"__import__"}
        self.old = Model(old_tree, tracked, facts)
        self.new = Model(new_tree, tracked, facts)
        _LAST_NEW[:] = [(new_tree, self.new)]
        self.old_eval, self.new_eval = Evaluator(self.old, facts), Evaluator(self.new, facts)
        private = sorted((self.old.mangled | self.new.mangled) & tracked)
        if private:
            raise Refusal(f"{private[0]!r} is a private name inside a class, which the compiler mangles")
        #: module paths that an equivalence (not identity) relied on, and the first line
        self.assumed: set[str] = set()
        self.assumed_line: int | None = None
        #: the ``try`` statements (old, new) whose body is being compared, innermost last
        self.tries: list[tuple[ast.Try, ast.Try]] = []

    def run(self) -> None:
        self.relative_imports()
        self.block(self.old_tree.body, self.new_tree.body, ())
        missing = sorted(set(self.intended) - self.made)
        if missing:
            raise Refusal(f"line {missing[0][0]}: the rewrite does not make the change it declares")
        self.dynamic_imports()
        self.namespace()
        self.nothing_left_unbound()
        self.pyflakes()

    def relative_imports(self) -> None:
        """A relative import finds its package through ``__package__`` (or ``__spec__``,
        or ``__name__``), an absolute one by name: where the rewrite makes one absolute
        (the model reads both as the same module only where the file's package is known,
        :meth:`~flake8_importstyle.names.ImportFacts.relative_package`), the file must not
        set or read those."""
        if _relative_count(self.new_tree) >= _relative_count(self.old_tree):
            return
        problem = package_problem(self.old_tree)
        if problem is not None:
            raise Refusal(problem)

    def nothing_left_unbound(self) -> None:
        """A name still read somewhere keeps something that binds it: a rewrite that
        removes the last binding of a name read elsewhere (``imp`` read above ``import
        imp``) changes nothing at run time, but leaves code that reads as broken."""

        def global_reads(model: Model) -> Iterator[ast.Name]:
            """The reads served by the module's namespace (or the builtins)."""
            for read in model.reads:
                if model.resolve(model.scope_of[id(read)], read.id)[0] is model.module:
                    yield read

        def orphans(model: Model) -> set[str]:
            """Names read from the module's namespace that nothing there binds."""
            bound = model.module.locals | BUILTIN_NAMES
            return {read.id for read in global_reads(model) if read.id not in bound}

        left = sorted(orphans(self.new) - orphans(self.old))
        if left:
            name = left[0]
            line = next((r.lineno for r in global_reads(self.old) if r.id == name), None)  # the original's
            where = f" at line {line}" if line is not None else ""
            raise Refusal(f"{name!r}{where} would be read with nothing left in the file to bind it")

    # -- 1 and 3: statements, and runs of imports
    def block(
        self, old: Sequence[ast.stmt], new: Sequence[ast.stmt], handlers: tuple[ast.ExceptHandler, ...]
    ) -> None:
        old_parts, new_parts = _runs(old), _runs(new)
        if len(old_parts) != len(new_parts):
            raise Refusal("the rewritten code is not the original with its imports respelled")
        for o, n in zip(old_parts, new_parts):
            if isinstance(o, list) and isinstance(n, list):
                self.run_of_imports(o, n, handlers)
            elif isinstance(o, ast.stmt) and isinstance(n, ast.stmt):
                self.statement(o, n, handlers)
            else:
                raise Refusal("the rewritten code is not the original with its imports respelled")

    def statement(self, old: ast.stmt, new: ast.stmt, handlers: tuple[ast.ExceptHandler, ...]) -> None:
        if type(old) is not type(new):
            raise Refusal(f"line {old.lineno} is not the original statement")
        inner = handlers
        if isinstance(old, (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))):
            inner = (*handlers, *old.handlers)  # type: ignore[attr-defined]
        if isinstance(old, ast.Try) and isinstance(new, ast.Try):
            self.try_statement(old, new, handlers, inner)
            return
        for field in old._fields:
            o, n = getattr(old, field, None), getattr(new, field, None)
            if (
                isinstance(o, list)
                and o
                and isinstance(o[0], ast.stmt)
                or (isinstance(n, list) and n and isinstance(n[0], ast.stmt))
            ):
                self.block(o, n, inner if field == "body" else handlers)  # type: ignore[arg-type]
            else:
                self.same(o, n, old)

    def try_statement(
        self,
        old: ast.Try,
        new: ast.Try,
        handlers: tuple[ast.ExceptHandler, ...],
        inner: tuple[ast.ExceptHandler, ...],
    ) -> None:
        self.tries.append((old, new))
        try:
            self.block(old.body, new.body, inner)
        finally:
            self.tries.pop()
        if len(old.handlers) != len(new.handlers):
            raise Refusal(f"line {old.lineno} is not the original statement")
        for o, n in zip(old.handlers, new.handlers):
            if not self.not_found_handler(old, o, n):
                self.same(o.type, n.type, o)
            if o.name != n.name:
                raise Refusal(f"line {o.lineno} is not the original code")
            self.block(o.body, n.body, handlers)
        self.block(old.orelse, new.orelse, handlers)
        self.block(old.finalbody, new.finalbody, handlers)

    # -- pkg_resources.get_distribution(name).version -> importlib.metadata.version(name)
    def distribution_version(self, old: ast.expr, new: ast.expr) -> bool:
        """Whether *old* is ``get_distribution(name).version`` and *new* the
        ``importlib.metadata.version(name)`` that gives the same string, where a handler
        catches what either raises for a missing distribution alike."""
        call = self.version_call(old)
        if call is None or not isinstance(new, ast.Call):
            return False
        if not _within(self.new_eval.value(new.func), METADATA_VERSION):
            return False
        if call.keywords or new.keywords or len(call.args) != 1 or len(new.args) != 1:
            raise Refusal(f"line {old.lineno}: get_distribution() is called with other arguments")
        # a literal only: `__name__` may be "__main__" or "_private", which pkg_resources
        # refuses as a requirement (ValueError) where importlib finds no package
        name = call.args[0]
        literal = _literal_str(name)
        if literal is None or not DISTRIBUTION_NAME.fullmatch(literal):
            raise Refusal(
                f"line {old.lineno}: get_distribution() may be given a requirement, not a distribution's name"
            )
        self.same(name, new.args[0], old)
        self.not_found_caught(old)
        self.assume(old, {"pkg_resources", "importlib.metadata"})
        return True

    def not_found_caught(self, node: ast.expr) -> None:
        """Refused unless the innermost ``try`` around *node* holds nothing else that could
        raise, and its first handler that catches a missing distribution's exception in the
        old code is the first that catches it in the new, without showing it."""
        line = node.lineno
        why = (
            f"line {line}: a missing distribution raises DistributionNotFound before the rewrite and"
            " PackageNotFoundError (an ImportError) after it, so only a get_distribution(name).version"
            " inside try/except DistributionNotFound is rewritten"
        )
        if not self.tries:
            raise Refusal(why)
        old_try, new_try = self.tries[-1]
        if not self.only_versions(old_try.body):
            raise Refusal(f"{why}, alone in the try's body")
        for o, n in zip(old_try.handlers, new_try.handlers):
            before = self.catches(self.old_eval, o.type, _CATCH_NOT_FOUND)
            after = self.catches(self.new_eval, n.type, _CATCH_PACKAGE_NOT_FOUND)
            if before is None or after is None or before != after:
                raise Refusal(f"the handler at line {o.lineno} may not catch both exceptions alike")
            if before:
                if o.name is not None or _shows_exception(o.body):
                    raise Refusal(
                        f"the handler at line {o.lineno} reads the exception, whose type and text differ"
                    )
                return
        raise Refusal(why)

    def not_found_handler(self, old_try: ast.Try, old: ast.ExceptHandler, new: ast.ExceptHandler) -> bool:
        """``except pkg_resources.DistributionNotFound`` ->
        ``except importlib.metadata.PackageNotFoundError``: the same handler where the
        try's body can raise either only from the rewritten calls."""
        if old.type is None or new.type is None:
            return False
        if not _within(self.old_eval.value(old.type), frozenset({NOT_FOUND})):
            return False
        if not _within(self.new_eval.value(new.type), PACKAGE_NOT_FOUND):
            return False
        if not self.only_versions(old_try.body) or not any(
            isinstance(n, ast.Call) for s in old_try.body for n in ast.walk(s)
        ):
            raise Refusal(
                f"the handler at line {old.lineno} would catch PackageNotFoundError where the try's body may"
                " raise DistributionNotFound otherwise"
            )
        self.assume(old, {"pkg_resources", "importlib.metadata"})
        return True

    def version_call(self, node: ast.expr) -> ast.Call | None:
        """The ``get_distribution(...)`` call of an old ``get_distribution(...).version``."""
        call = node.value if isinstance(node, ast.Attribute) and node.attr == "version" else None
        if isinstance(call, ast.Call) and _within(self.old_eval.value(call.func), frozenset({DISTRIBUTION})):
            return call
        return None

    def only_versions(self, body: Sequence[ast.stmt]) -> bool:
        """Statements (of the old code) that can raise nothing but what a
        ``get_distribution(name).version`` raises: assignments to names of constants,
        names and those expressions, and expressions of them."""

        def plain(node: ast.expr) -> bool:
            if isinstance(node, (ast.Constant, ast.Name)):
                return True
            call = self.version_call(node)
            return (
                call is not None
                and not call.keywords
                and len(call.args) == 1
                and isinstance(call.args[0], (ast.Constant, ast.Name))
            )

        for stmt in body:
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
                value: ast.expr | None = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.simple:
                value = stmt.value
            elif isinstance(stmt, ast.Expr):
                value = stmt.value
            else:
                return False
            if value is not None and not plain(value):
                return False
        return True

    def catches(
        self, evaluator: Evaluator, node: ast.expr | None, targets: tuple[frozenset[str], frozenset[str]]
    ) -> bool | None:
        """Whether an ``except`` of *node* catches the exception whose bases are *targets*;
        None when the file does not say what *node* is."""
        paths, names = targets
        if node is None:
            return True
        if isinstance(node, ast.Tuple):
            answers = [self.catches(evaluator, e, targets) for e in node.elts]
            return True if True in answers else (None if None in answers else False)
        bound = evaluator.model.bound_anywhere()
        if isinstance(node, ast.Name) and node.id in BUILTIN_NAMES and node.id not in bound:
            return node.id in names
        value = evaluator.value(node)
        found = _paths(value) if value else set()
        if found and found <= paths:
            return True
        return None

    def same(self, old: object, new: object, where: ast.AST) -> None:
        """Node for node, except where an expression reads the same thing another way."""
        if isinstance(old, ast.expr) and isinstance(new, ast.expr):
            self.expression(old, new)
            return
        if isinstance(old, list) and isinstance(new, list):
            if len(old) != len(new):
                raise Refusal(f"line {getattr(where, 'lineno', '?')} is not the original code")
            for o, n in zip(old, new):
                self.same(o, n, where)
            return
        if isinstance(old, ast.AST) and isinstance(new, ast.AST):
            if type(old) is not type(new):
                raise Refusal(f"line {getattr(where, 'lineno', '?')} is not the original code")
            for field in old._fields:
                o, n = getattr(old, field, None), getattr(new, field, None)
                if isinstance(o, list) and o and isinstance(o[0], ast.stmt):
                    self.block(o, n, ())  # type: ignore[arg-type]
                else:
                    self.same(o, n, old if hasattr(old, "lineno") else where)
            return
        if type(old) is not type(new) or repr(old) != repr(new):
            raise Refusal(f"line {getattr(where, 'lineno', '?')} is not the original code")

    def expression(self, old: ast.expr, new: ast.expr) -> None:
        if self.distribution_version(old, new):
            return
        intent = self.intended.get((old.lineno, old.col_offset))
        if intent is not None and self.intended_change(intent, old, new):
            return
        if intent is not None and intent.kind == "attribute" and isinstance(old, ast.Attribute):
            pass  # a chain on a read that changes on purpose: compared part by part below
        elif isinstance(old, (ast.Name, ast.Attribute, ast.Call)) and isinstance(
            new, (ast.Name, ast.Attribute, ast.Call)
        ):
            old_value = self.old_eval.value(old)
            new_value = self.new_eval.value(new)
            if old_value is not None and new_value is not None:
                if _equal(old_value, new_value):
                    old_roots, new_roots = self.old_eval.root_values(old), self.new_eval.root_values(new)
                    if _dump(old) != _dump(new) and not (old_roots and old_roots == new_roots):
                        # not one binding under another name: the two are read at other times
                        self.assume(old, self.old_eval.bound_paths(old) | self.new_eval.bound_paths(new))
                    return
                if _dump(old) != _dump(new) or isinstance(old, ast.Name):
                    raise Refusal(self.differs(old))
        if type(old) is not type(new):
            raise Refusal(f"line {old.lineno} is not the original code")
        if isinstance(old, ast.Constant):
            self.same(old.value, new.value, old)  # type: ignore[attr-defined]
            self.strings(old, new)
            return
        if isinstance(old, ast.Name):
            assert isinstance(new, ast.Name)
            if old.id != new.id or type(old.ctx) is not type(new.ctx):
                raise Refusal(f"line {old.lineno} is not the original code")
            if isinstance(old.ctx, (ast.Load, ast.Del)) and old.id in self.old.tracked:
                if not _equal(self.old_eval.name_values(old), self.new_eval.name_values(new)):
                    raise Refusal(self.differs(old))
            return
        for field in old._fields:
            self.same(getattr(old, field, None), getattr(new, field, None), old)

    # -- the changes an unsafe rewrite declares
    def intended_change(self, intent: Intent, old: ast.expr, new: ast.expr) -> bool:
        """Whether *old* is the node *intent* declares a change of (then the change is
        checked: exactly as declared, or refused)."""
        if intent.kind == "package" and isinstance(old, ast.Call):
            self.package_argument(old, new)
        elif intent.kind == "attribute" and isinstance(old, ast.Name):
            self.fresh_read(intent, old, new)
        else:
            return False
        self.made.add((old.lineno, old.col_offset))
        return True

    def package_argument(self, old: ast.Call, new: ast.expr) -> None:
        """``import_module(".m")`` -> ``import_module(".m", package=__package__)``, where
        nothing in the file binds ``__package__`` (so it is the module's own)."""
        last = new.keywords[-1] if isinstance(new, ast.Call) and new.keywords else None
        if not (
            isinstance(new, ast.Call)
            and last is not None
            and last.arg == "package"
            and isinstance(last.value, ast.Name)
            and last.value.id == "__package__"
        ):
            raise Refusal(f"line {old.lineno}: the call does not gain package=__package__ as declared")
        if "__package__" in bound_names(self.new_tree) | imported_names(self.new_tree):
            raise Refusal(f"line {old.lineno}: '__package__' is bound in this file")
        self.same(old.func, new.func, old)
        self.same(old.args, new.args, old)
        self.same(old.keywords, new.keywords[:-1], old)

    def fresh_read(self, intent: Intent, old: ast.Name, new: ast.expr) -> None:
        """``x`` -> ``m.x`` (a stale ``x`` after ``reload(m)``, IPS302; a name read through
        its module, IPS105 and IPS403): the old read is served by nothing but a from-import
        of ``m.x``, and the new one reads the attribute of that module, through a name
        nothing else binds there."""
        spelled = f"{intent.module}.{intent.member}"
        if not (
            isinstance(new, ast.Attribute) and isinstance(new.ctx, ast.Load) and ast.unparse(new) == spelled
        ):
            raise Refusal(f"line {old.lineno}: {old.id!r} does not become {spelled!r} as declared")
        before = self.old_eval.name_values(old)
        after = self.new_eval.value(new)
        paths = {path.removeprefix("from:") for kind, _, path, _ in before if kind == "path"}
        if len(before) != 1 or len(paths) != 1:
            raise Refusal(f"{old.id!r} at line {old.lineno} is not served by its from-import alone")
        (path,) = paths
        if after is None or len(after) != 1 or _paths(after) != {path}:
            root = spelled.partition(".")[0]
            raise Refusal(
                f"{spelled!r} at line {old.lineno} would not read {path!r}:"
                f" {root!r} is not bound to the module there alone"
            )

    def strings(self, old: ast.Constant, new: ast.expr) -> None:
        """A string annotation reads names later, in the module's namespace: the same ones."""
        for o, n in zip(self.old.scopes_of(old), self.new.scopes_of(new)):
            if o.kind == "annotation" and o.expr is not None and o.expr is not old and n.expr is not None:
                self.expression(o.expr, n.expr)

    def differs(self, old: ast.expr) -> str:
        text = ast.unparse(old)
        if len(text) > 40:
            text = text[:37] + "..."
        return f"{text!r} at line {old.lineno} would not read the same object after the rewrite"

    def assume(self, node: ast.AST, paths: set[str]) -> None:
        """The proof relied on these module paths keeping their identity."""
        self.assumed |= paths
        if self.assumed_line is None:
            self.assumed_line = getattr(node, "lineno", 0)

    def run_of_imports(
        self, old: list[ast.stmt], new: list[ast.stmt], handlers: tuple[ast.ExceptHandler, ...]
    ) -> None:
        old_loads = _loads(old, self.facts)
        new_loads = _loads(new, self.facts)
        if old_loads != new_loads and not self.same_effects(old_loads, new_loads):
            line = old[0].lineno if old else new[0].lineno
            raise Refusal(f"the imports at line {line} would not load the same modules in the same order")
        stars = [_star(s, self.facts) for s in old if _is_star(s)], [
            _star(s, self.facts) for s in new if _is_star(s)
        ]
        future = [ast.dump(s) for s in old if _is_future(s)], [ast.dump(s) for s in new if _is_future(s)]
        if stars[0] != stars[1] or future[0] != future[1]:
            raise Refusal(f"the imports at line {old[0].lineno} would not be the same")
        old_forms, new_forms = _forms(old, self.facts), _forms(new, self.facts)
        if [f[:2] for f in old_forms] == [f[:2] for f in new_forms]:
            return  # the same imports, binding the same or other names (`import numpy as np`)
        changed = (set(old_forms) ^ set(new_forms)) - self.refreshed(old_forms)
        self.assume(old[0] if old else new[0], {m.replace(":", ".") for _, m, _ in changed})
        old_failures, new_failures = _failures(old, self.facts), _failures(new, self.facts)
        if old_failures != new_failures:
            for module in sorted(set(old_failures) ^ set(new_failures)):
                if self.facts.missing(module[0]):
                    raise Refusal(
                        f"{module[0]!r} does not exist: the import at line {old[0].lineno} would raise"
                        " ImportError instead of ModuleNotFoundError"
                    )
            for handler in handlers:
                names = set(handler_names(handler))
                if handler.name or (
                    "ModuleNotFoundError" in names
                    and not names & {"ImportError", "Exception", "BaseException"}
                ):
                    raise Refusal(
                        f"the handler at line {handler.lineno} could tell the exception of a failed import"
                        " (ModuleNotFoundError or ImportError, and its message) apart"
                    )

    def refreshed(self, forms: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        """The from-imports an unsafe rewrite drops because it reads each of their names
        from the module instead (:class:`Intent` ``attribute``): nothing reads what they
        bound, so no read rests on the identity of what they imported."""
        members = {i.member for i in self.intended.values() if i.kind == "attribute"}
        if not members:
            return set()
        read = self.new.read_anywhere()
        return {
            form
            for form in forms
            if form[0] == "from" and form[1].rpartition(":")[2] in members and form[2] not in read
        }

    def same_effects(self, old_loads: list[str], new_loads: list[str]) -> bool:
        """Whether two runs that load other modules do the same: the modules with effects
        of their own that they load are the same, in the same order, where the resolver
        proves that importing the others only loads those (IPS404's rewrite, which stops
        loading a module that only re-imports a name); each module the rewrite loads, the
        original loads too, through the ones it stops loading, or importing it provably
        does nothing (IPS402's rewrite, which imports the submodule a chain reaches). A
        module no longer loaded must not be read in the file: not its name in a chain of
        attributes, nor in a string."""
        if self.facts.effective_loads(old_loads) != self.facts.effective_loads(new_loads):
            return False
        added = [m for m in new_loads if m not in old_loads and self.facts.may_be_module(m)]
        fresh = [m for m in added if not self.facts.also_loads(old_loads, m)]
        if not all(self.facts.inert(m) for m in fresh):
            return False  # a module the original does not load at all, which may do something
        caught = attribute_error_caught(self.old_tree, {m.rpartition(".")[2] for m in fresh})
        if caught is not None:
            attribute, handler = caught
            raise Refusal(
                f"the handler at line {handler.lineno} may catch the AttributeError of {attribute.attr!r}"
                f" at line {attribute.lineno}, which the new import would prevent"
            )
        gone = [m for m in old_loads if m not in new_loads and self.facts.may_be_module(m)]
        dropped = {m.rpartition(".")[2] for m in gone}
        node = first_naming(self.new_tree, dropped)
        if node is not None:
            raise Refusal(
                f"line {getattr(node, 'lineno', '?')} may read a module"
                " that the rewrite would no longer load"
            )
        return True

    # -- what the whole file does
    def dynamic_imports(self) -> None:
        """Where the file edits sys.modules, reloads, replaces __import__ or sets a module's
        attribute, a module (or attribute) can be two objects in turn: no equivalence may
        rest on those."""
        if self.assumed:
            problem = identity_problem(self.old_eval.identity_changes(self.old_tree), self.assumed)
            if problem is not None:
                raise Refusal(problem)

    def namespace(self) -> None:
        old_names, new_names = self.old.module_names(), self.new.module_names()
        if len(self.old.scopes) != len(self.new.scopes):
            raise Refusal("the rewritten code is not the original with its imports respelled")
        changed: set[tuple[int, str]] = set()
        removed, added = old_names - new_names, new_names - old_names
        for o, n in zip(self.old.scopes, self.new.scopes):
            # a name bound by other imports is another object at some time, even where some
            # statement binds it in both files (one under `if TYPE_CHECKING:`)
            rebound = {name for name, _ in _import_sites(o) ^ _import_sites(n)}
            names = (o.locals ^ n.locals) | rebound
            changed |= {(id(o.node), name) for name in names}
            if o.kind == "module":
                removed |= rebound - added
            if names and o.kind == "class":
                assert isinstance(o.node, ast.ClassDef)
                problem = class_problem(self.old, o.node, names, self.readers)
                if problem is not None:
                    raise Refusal(problem)
            for name in sorted(n.nonlocals):
                if self.new._enclosing(n.parent, name) is None:
                    raise Refusal(f"a 'nonlocal {name}' would find no enclosing function binding {name!r}")
        namespace = namespace_of(self.old_tree, self.old_text)
        problem = namespace_problem(namespace, removed, added, self.readers, changed)
        if problem is not None:
            raise Refusal(problem)

    def pyflakes(self) -> None:
        before = self.absolute(_by_tree(self.old_tree, "pyflakes", lambda: _pyflakes(self.old_tree)))
        after = self.absolute(_by_tree(self.new_tree, "pyflakes", lambda: _pyflakes(self.new_tree)))
        for key, count in after.items():
            if count > before.get(key, 0):
                kind, name = key
                what = {
                    "UnusedImport": "imported but unused",
                    "RedefinedWhileUnused": "redefined while unused",
                    "ImportShadowedByLoopVar": "shadowed by a loop variable",
                    "UndefinedName": "undefined",
                }[kind]
                raise Refusal(f"the rewrite would leave {name!r} {what} (pyflakes)")

    def absolute(self, found: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
        """pyflakes' names of relative imports (``..a.b``) as absolute ones, where the facts
        know the file's package: the same import, respelled by IPS108's rewrite."""
        package = self.facts.relative_package()
        if package is None:
            return found
        out: Counter[tuple[str, str]] = Counter()
        for (kind, name), count in found.items():
            dotted = name.lstrip(".")
            level = len(name) - len(dotted)
            out[(kind, (absolute_module(level, dotted, package) or name) if level else name)] += count
        return out


class Evaluator:
    """What expressions that read imports evaluate to, in one file's model."""

    def __init__(self, model: Model, facts: ImportFacts) -> None:
        self.model = model
        self.facts = facts

    def name_values(self, node: ast.Name) -> frozenset[Value]:
        return frozenset(_defined_where(_binding_value(b), self.facts) for b in self.model.meaning(node))

    def value(self, node: ast.expr) -> frozenset[Value] | None:
        """What a name, an attribute chain or an import call evaluates to, when it
        reads an import (else None: compare it node for node)."""
        attrs: list[str] = []
        inner = node
        while isinstance(inner, ast.Attribute):
            if not isinstance(inner.ctx, ast.Load):
                return None
            attrs.append(inner.attr)
            inner = inner.value
        attrs.reverse()
        if isinstance(inner, ast.Name):
            if not isinstance(inner.ctx, ast.Load) or inner.id not in self.model.tracked:
                return None
            base = self.name_values(inner)
        elif isinstance(inner, ast.Call):
            called = self.import_call(inner)
            if called is None:
                return None
            base = called
        else:
            return None
        if not base:
            return None
        return frozenset(_extend(v, attrs) for v in base)

    def import_call(self, call: ast.Call) -> frozenset[Value] | None:
        """``__import__("a.b")`` is the module ``a`` (``a.b`` with a fromlist);
        ``importlib.import_module("a.b")`` is ``a.b``."""
        func = self.value(call.func)
        if not func or len(func) != 1:
            return None
        kind, _, path, _ = next(iter(func))
        if kind not in ("path", "builtin"):
            return None
        if kind == "builtin":
            path = "builtin:" + path
        name = _literal_str(call.args[0]) if call.args and not isinstance(call.args[0], ast.Starred) else None
        if name is None or not all(p.isidentifier() for p in name.split(".")):
            return None
        if path in DUNDER_IMPORT:
            if any(k.arg not in ("globals", "locals", "fromlist", "level") for k in call.keywords):
                return None
            extra = [*call.args[1:], *(k.value for k in call.keywords)]
            args = {k.arg: k.value for k in call.keywords}
            positional = dict(zip(("globals", "locals", "fromlist", "level"), call.args[1:]))
            args.update(positional)
            level = args.get("level")
            if level is not None and not (isinstance(level, ast.Constant) and level.value == 0):
                return None
            fromlist = args.get("fromlist")
            if not all(self._harmless(e) for e in extra):
                return None
            if (
                fromlist is None
                or (isinstance(fromlist, ast.Constant) and fromlist.value is None)
                or (isinstance(fromlist, (ast.List, ast.Tuple)) and not fromlist.elts)
            ):
                return frozenset({("now", (), name.partition(".")[0], ())})
            if isinstance(fromlist, (ast.List, ast.Tuple)) and all(
                (_literal_str(e) or "x").startswith("__") or _literal_str(e) == "" for e in fromlist.elts
            ):
                return frozenset({("now", (), self.module_path(name), ())})
            return None
        if path == IMPORT_MODULE and len(call.args) == 1 and not call.keywords:
            return frozenset({("now", (), self.module_path(name), ())})
        return None

    def module_path(self, name: str) -> str:
        """``sys.modules[name]`` as a path: the attribute chain ``a.b.c`` where each
        package binds its submodule under its name, else ``module:a.b.c``."""
        parts = name.split(".")
        prefixes = [".".join(parts[: i + 1]) for i in range(1, len(parts))]
        if all(self.facts.from_binds_submodule(p) for p in prefixes):
            return name
        return "module:" + name

    @staticmethod
    def _harmless(node: ast.expr) -> bool:
        """An argument of ``__import__`` whose evaluation has no effect: a literal, a
        list of literals, or ``globals()``/``locals()``."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(isinstance(e, ast.Constant) for e in node.elts)
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("globals", "locals")
            and not node.args
            and not node.keywords
        )

    def identity_changes(self, tree: ast.Module) -> Iterator[tuple[int, str, str]]:
        """(line, path, how) for each statement that may give a module, or a module's
        attribute, another object: a ``sys.modules`` edit, a reload, a replaced
        ``__import__`` (path ``*``: any module), an attribute set on a module
        (``json.decoder = x``, ``setattr(json, "decoder", x)``,
        ``mock.patch.object(json, "decoder")``, ``mock.patch("json.decoder")``)."""
        yield from SysModules(self, tree).changes()
        for node in walk(tree):
            if isinstance(node, ast.Call):
                yield from self._call_changes(node)
            elif isinstance(node, (ast.Subscript, ast.Attribute, ast.Name)) and isinstance(
                node.ctx, (ast.Store, ast.Del)
            ):
                line = node.lineno
                if isinstance(node, ast.Subscript) and _literal_str(node.slice) == "__import__":
                    yield line, "*", "replaces __import__"
                elif isinstance(node, ast.Attribute) and node.attr == "__import__":
                    yield line, "*", "replaces __import__"
                elif isinstance(node, ast.Attribute) and node.attr != "modules":
                    yield from ((line, f"{p}.{node.attr}", "sets") for p in self.module_paths(node.value))
                elif isinstance(node, ast.Name) and node.id == "__import__":
                    yield line, "*", "replaces __import__"

    def _call_changes(self, node: ast.Call) -> Iterator[tuple[int, str, str]]:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        line = node.lineno
        if name == "reload":
            arg = node.args[0] if node.args else None
            paths = self.module_paths(arg) if isinstance(arg, ast.expr) else set()
            yield from ((line, p, "reloads a module") for p in (paths or {"*"}))
            return
        if name in _MUTATORS and isinstance(func, ast.Attribute) and _last_name(func.value) == "modules":
            return  # sys.modules.pop(...) and the like: SysModules reads them
        args = list(node.args)
        for first, second in zip(
            args, args[1:]
        ):  # setattr(json, "decoder", x), patch.object(json, "decoder")
            attr = _literal_str(second)
            if attr == "__import__":
                yield line, "*", "replaces __import__"
            elif attr is not None and attr.isidentifier():
                yield from ((line, f"{p}.{attr}", "sets") for p in self.module_paths(first))
        for arg in [*args, *(k.value for k in node.keywords)] if name in _PATCHERS else ():
            text = _literal_str(arg)  # mock.patch("json.decoder"), monkeypatch.setattr("json.decoder", x)
            if text is not None and "." in text and all(part.isidentifier() for part in text.split(".")):
                yield line, text, "sets"

    def root_values(self, node: ast.expr) -> frozenset[tuple[object, str]]:
        """(position, path) of the import bindings an attribute chain's root name reads."""
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name):
            return frozenset()
        return frozenset((pos, path) for kind, pos, path, _ in self.name_values(node) if kind == "path")

    def bound_paths(self, node: ast.expr) -> set[str]:
        """The module paths an expression's root was bound to: ``os`` for ``os.path.join``
        read through ``import os``, ``a.b`` for ``importlib.import_module("a.b").x``."""
        inner = node
        attrs: list[str] = []
        while isinstance(inner, ast.Attribute):
            attrs.append(inner.attr)
            inner = inner.value
        if isinstance(inner, ast.Name):
            return _paths(self.name_values(inner))
        if isinstance(inner, ast.Call):
            called = self.import_call(inner)
            if called is not None:  # the call and the attributes after it run at one time
                return _paths(frozenset(_extend(v, list(reversed(attrs))) for v in called))
        return set()

    def module_paths(self, node: ast.expr) -> set[str]:
        """The module paths *node* may evaluate to."""
        return _paths(self.value(node) or frozenset())


#: Methods of ``sys.modules`` that only read it.
_DICT_READS = frozenset(
    {"get", "keys", "values", "items", "copy", "__contains__", "__getitem__", "__len__", "__iter__"}
)
#: Builtins that read the dict they are given and keep no hold on it.
_DICT_VIEWS = frozenset(
    {"list", "len", "sorted", "set", "tuple", "dict", "frozenset", "iter", "repr", "str", "bool"}
)
_SYS_CHANGE = "changes sys.modules"
_SYS_LOST = "may change sys.modules where the fixer cannot follow it"


def _last_name(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None


def _sys_part(values: frozenset[Value]) -> str | None:
    """``sys`` where a value may be the sys module (``sys``, ``_sys``, ``os.sys``),
    ``modules`` where it may be ``sys.modules``, else None."""
    found = None
    for path in _paths(values):
        parts = path.partition(":")[2].split(".") if ":" in path else path.split(".")
        tail = parts[parts.index("sys") + 1:] if "sys" in parts else None
        if tail == []:
            return "sys"
        if tail == ["modules"]:
            found = "modules"
    return found


class SysModules:
    """The statements of one file that change ``sys.modules``, as (line, key, how).

    Every expression that evaluates to the sys module (through any import of it) must
    be the object of an attribute read other than ``__dict__``, and every one that
    evaluates to ``sys.modules`` must be read (a key, ``get``, ``in``, a loop,
    ``list()``...) or changed in place: a change yields its key (``*`` where it is not a
    literal), and any other use (``getattr(sys, "modules")``, ``vars(sys)``, sys or
    the dict bound to another name or passed to a call) yields ``*``, as the file
    could change the dict where its uses cannot be read. ``x.modules`` where the
    value of ``x`` is unknown (``self.modules``, a local dict) changes nothing unless
    the file holds an object that may be the sys module without reading which:
    ``sys.modules[key]`` with a computed key, ``import_module(name)``, a ``*`` import.
    """

    def __init__(self, evaluator: Evaluator, tree: ast.Module) -> None:
        self.evaluator = evaluator
        self.tree = tree
        self.parent = parents(tree)
        self.star = any(
            isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
            for node in walk(tree)
        )
        self.loose = self.star  # the file holds a value that may be the sys module, unread

    def changes(self) -> Iterator[tuple[int, str, str]]:
        unknown: list[tuple[int, str, str]] = []
        for node in walk(self.tree):
            if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
                part = self._part(node)
                if part == "sys":
                    yield from self._sys_use(node)
                elif part == "modules":
                    yield from self._dict_use(node)
                elif _last_name(node) == "modules" and part is None:
                    unknown.extend(self._dict_use(node, sure=False))
        if self.loose:
            yield from ((line, key, _SYS_LOST) for line, key, _ in unknown)

    def _part(self, node: ast.expr) -> str | None:
        """``sys``/``modules`` (see :func:`_sys_part`), ``other`` for a known value,
        None for a value the evaluator does not know."""
        if isinstance(node, (ast.Name, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            return "other"
        if isinstance(node, ast.Call):
            self._note_import_call(node)
        value = self.evaluator.value(node)
        if value is None or any(v[0] not in ("path", "now") for v in value):
            return (_sys_part(value) if value else None) or self._unknown_part(node)
        return _sys_part(value) or "other"

    def _unknown_part(self, node: ast.expr) -> str | None:
        """A name ``sys`` no import binds may be the module all the same (a parameter,
        ``sys = __import__("sys")``), and its ``modules`` the dict."""
        if isinstance(node, ast.Name):
            return "sys" if node.id == "sys" else None
        if isinstance(node, ast.Attribute) and node.attr == "modules" and self._part(node.value) == "sys":
            return "modules"
        return None

    def _note_import_call(self, call: ast.Call) -> None:
        """An import of a module the fixer cannot name: ``importlib.import_module(name)``,
        ``__import__(name)`` (``self.import_module(name)`` is some other method)."""
        func = call.func
        value = self.evaluator.value(func)
        importer = (
            bool({p.removeprefix("from:") for p in _paths(value)} & {*DUNDER_IMPORT, IMPORT_MODULE})
            if value
            else isinstance(func, ast.Name) and func.id in ("__import__", "import_module")
        )
        if importer and self.evaluator.import_call(call) is None:
            self.loose = True

    def _sys_use(self, node: ast.expr) -> Iterator[tuple[int, str, str]]:
        parent = self.parent.get(id(node))
        if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr != "__dict__":
            if parent.attr == "modules" and not isinstance(parent.ctx, ast.Load):
                yield parent.lineno, "*", _SYS_CHANGE  # sys.modules = {...}
            return
        yield node.lineno, "*", _SYS_LOST  # the module, bound or passed where the fixer cannot follow it

    def _dict_use(self, node: ast.expr, sure: bool = True) -> Iterator[tuple[int, str, str]]:
        """The changes one use of the dict makes; *sure*: that it is ``sys.modules``
        (else what it reads tells nothing of the sys module)."""
        parent = self.parent.get(id(node))
        line = node.lineno
        if isinstance(node, (ast.Name, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            if isinstance(node, ast.Attribute) and self._part(node.value) in ("sys", None):
                yield line, "*", _SYS_CHANGE  # sys.modules = {...}, self.modules = {} where self may be sys
            return
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = _literal_str(parent.slice)
            if not isinstance(parent.ctx, ast.Load):
                yield line, key or "*", _SYS_CHANGE
            else:
                yield from self._entry_use(parent, key, sure)
        elif isinstance(parent, ast.Attribute) and parent.value is node:
            yield from self._method_use(parent, sure)
        elif not self._read_only(node, parent):
            yield line, "*", _SYS_LOST  # the dict, bound or passed where the fixer cannot follow it

    def _method_use(self, method: ast.Attribute, sure: bool) -> Iterator[tuple[int, str, str]]:
        call = self.parent.get(id(method))
        called = isinstance(call, ast.Call) and call.func is method
        args = call.args if isinstance(call, ast.Call) and called else []
        first = _literal_str(args[0]) if args and not isinstance(args[0], ast.Starred) else None
        if called and method.attr in _MUTATORS:
            keyed = method.attr in ("pop", "__delitem__", "__setitem__", "setdefault")
            yield method.lineno, (first if keyed else None) or "*", _SYS_CHANGE
        elif called and method.attr in ("get", "__getitem__"):
            assert isinstance(call, ast.Call)
            yield from self._entry_use(call, first, sure)
        elif called and method.attr in _DICT_READS:
            self.loose = self.loose or (sure and method.attr in ("values", "items"))
        else:
            yield method.lineno, "*", _SYS_LOST

    def _entry_use(self, node: ast.expr, key: str | None, sure: bool) -> Iterator[tuple[int, str, str]]:
        """A module read from ``sys.modules``: the sys module itself for the key ``sys``;
        any module, so perhaps sys, for a computed key."""
        if not sure:
            return
        if key == "sys":  # its .modules is the dict, though the evaluator cannot tell
            self.loose = True
            yield from self._sys_use(node)
        elif key is None:
            parent = self.parent.get(id(node))
            held = isinstance(parent, ast.Attribute) and parent.attr not in ("modules", "__dict__")
            self.loose = self.loose or not held

    def _read_only(self, node: ast.expr, parent: ast.AST | None) -> bool:
        if isinstance(parent, ast.Compare) and node in parent.comparators:
            index = parent.comparators.index(node)
            return isinstance(parent.ops[index], (ast.In, ast.NotIn))
        if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
            return True
        if isinstance(parent, ast.Call) and parent.args == [node] and not parent.keywords:
            func = parent.func
            return isinstance(func, ast.Name) and func.id in _DICT_VIEWS and not self._bound(func.id)
        return False

    def _bound(self, name: str) -> bool:
        """Whether the file may bind *name* (else it is the builtin)."""
        return self.star or any(name in scope.locals for scope in self.evaluator.model.scopes)


def identity_problem(changes: Iterable[tuple[int, str, str]], assumed: Collection[str]) -> str | None:
    """Why a rewrite that holds the module paths *assumed* the same object over time could
    read another one, given what the file changes (:meth:`Evaluator.identity_changes`)."""
    kept = {p for p in assumed if p not in IDENTITY_FREE}  # importlib.machinery is not exempt
    if not kept:
        return None
    for line, path, how in changes:
        if path == "*" or any(p == path or p.startswith(path + ".") for p in kept):
            if how == "sets":
                return f"line {line} sets {path!r}, which the rewrite would read once, at the import"
            what = "any module" if path == "*" else repr(path)
            return (
                f"line {line} {how}, so {what} may be another object by the time the rewritten code reads it"
            )
    return None


def _paths(values: frozenset[Value]) -> set[str]:
    return {path for kind, _, path, _ in values if kind in ("path", "now")}


def _binding_value(binding: Binding) -> Value:
    if binding.kind == IMPORT:
        value = binding.value
        if value.rpartition(".")[0] in PLAIN_MODULES:  # `from pipes import quote`: an attribute
            value = "from:" + value
        return ("path", binding.pos, _normal(value), ())
    if binding.kind == BUILTIN:
        return ("builtin", (), binding.name, ())
    if binding.kind == UNBOUND:
        return ("unbound", binding.scope, binding.name, ())
    return (binding.kind, (binding.scope, binding.pos), binding.name or binding.value, ())


def _defined_where(value: Value, facts: ImportFacts) -> Value:
    """An import's value at the path of the module that defines the object (``m.x`` is
    ``d.x`` where ``m`` only re-imports ``x`` from ``d``, as :mod:`~flake8_importstyle.resolve`
    reads ``m``), so that IPS404's rewrite reads the same object."""
    kind, pos, path, more = value
    if kind != "path":
        return value
    prefix = "from:" if path.startswith("from:") else ""
    origin = facts.origin(path[len(prefix):])
    return value if origin == path[len(prefix):] else (kind, pos, prefix + origin, more)


def _extend(value: Value, attrs: list[str]) -> Value:
    kind, pos, path, more = value
    if not attrs:
        return value
    if kind in ("path", "now"):
        return (kind, pos, _normal(".".join([path, *attrs])), ())
    if kind == "builtin" and path == "__import__":
        return value  # pragma: no cover - not an attribute chain anyone writes
    return (kind, pos, path, (*more, *attrs))


def _equal(old: frozenset[Value], new: frozenset[Value]) -> bool:
    """One binding always serves both reads: their paths decide. Else the same bindings."""
    if len(old) == 1 and len(new) == 1:
        (ok, _, op, oa), (nk, _, np_, na) = next(iter(old)), next(iter(new))
        if ok in ("path", "now") and nk in ("path", "now"):
            return op == np_ and oa == na
    return old == new


def _within(values: frozenset[Value] | None, allowed: frozenset[str]) -> bool:
    """Whether *values* are import paths, all of them in *allowed*."""
    paths = _paths(values) if values else set()
    return bool(paths) and paths <= allowed


def _shows_exception(body: Sequence[ast.stmt]) -> bool:
    """Whether a handler re-raises, or calls something that shows the exception
    (``logging.exception``, ``traceback.print_exc``, ``sys.exc_info``)."""
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Raise) and node.exc is None:
                return True
            if isinstance(node, ast.Call):
                func = node.func
                last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if last in _SHOW_EXCEPTION:
                    return True
    return False


def _dump(node: ast.AST) -> str:
    return ast.dump(node, annotate_fields=False)


def _runs(statements: Sequence[ast.stmt]) -> list[ast.stmt | list[ast.stmt]]:
    """Statements, with each run of import statements (between the others) as one list;
    every gap between two other statements holds a (maybe empty) run."""
    out: list[ast.stmt | list[ast.stmt]] = [[]]
    for stmt in statements:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            last = out[-1]
            assert isinstance(last, list)
            last.append(stmt)
        else:
            out += [stmt, []]
    return out


def _loads(statements: list[ast.stmt], facts: ImportFacts) -> list[str]:
    out: list[str] = []
    for stmt in statements:
        assert isinstance(stmt, (ast.Import, ast.ImportFrom))
        loads = [m for m in import_loads(stmt, facts) if m.rpartition(".")[0] not in PLAIN_MODULES]
        out += [SAME_LOADS.get(m, m) for m in loads]
    return [m for m in dict.fromkeys(out) if m not in INERT_LOADS]


def _failures(statements: list[ast.stmt], facts: ImportFacts) -> list[tuple[str, str]]:
    """For each module a run loads, how its absence shows: ``import a.b`` raises
    ModuleNotFoundError, ``from a import b`` (``a`` found) ImportError."""
    out: dict[str, str] = {}
    for stmt in statements:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                for module in import_loads(ast.Import(names=[alias]), facts):
                    out.setdefault(module, "ModuleNotFoundError")
        elif isinstance(stmt, ast.ImportFrom):
            module = from_module(stmt, facts)
            for loaded in import_loads(stmt, facts):
                out.setdefault(loaded, "ModuleNotFoundError" if len(loaded) <= len(module) else "ImportError")
    return sorted(out.items())


def _forms(statements: list[ast.stmt], facts: ImportFacts) -> list[tuple[str, str, str]]:
    """Each alias of a run as (statement kind, what it imports, the name it binds); a
    relative module as absolute where *facts* know the file's package."""
    out = []
    for stmt in statements:
        if isinstance(stmt, ast.Import):
            out += [("import", a.name, a.asname or a.name.partition(".")[0]) for a in stmt.names]
        elif isinstance(stmt, ast.ImportFrom):
            module = from_module(stmt, facts)
            out += [("from", f"{module}:{a.name}", a.asname or a.name) for a in stmt.names]
    return out


def _is_star(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names)


def _star(stmt: ast.stmt, facts: ImportFacts) -> str:
    """A star import by the module it names (a relative one as absolute where *facts* know
    the file's package)."""
    assert isinstance(stmt, ast.ImportFrom)
    return from_module(stmt, facts)


def _is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" and not stmt.level


def handler_names(handler: ast.ExceptHandler) -> Iterator[str]:
    """The names of the exceptions *handler* catches (``BaseException`` for what may be any)."""
    if handler.type is None:
        yield "BaseException"
        return
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        if isinstance(t, ast.Name):
            yield t.id
        elif isinstance(t, ast.Attribute):
            yield t.attr
        else:
            yield "BaseException"  # computed: it may be anything


#: What was read of the last few trees, by their identity (the tree is kept, so its id is
#: not reused): the fixer proves several rewrites against one version of a file, and the
#: version each proves is the old text of the next step.
_READ: dict[tuple[int, str], tuple[ast.AST, Any]] = {}
_READ_KEPT = 4


def _by_tree(tree: ast.AST, what: str, compute: Callable[[], Any]) -> Any:
    entry = _READ.get((id(tree), what))
    if entry is not None and entry[0] is tree:
        return entry[1]
    value = compute()
    if len(_READ) >= _READ_KEPT:
        del _READ[next(iter(_READ))]
    _READ[(id(tree), what)] = (tree, value)
    return value


def namespace_of(tree: ast.Module, text: str) -> Namespace:
    """The :class:`Namespace` of *tree* (whose text is *text*), read once."""
    found: Namespace = _by_tree(tree, "namespace", lambda: Namespace(tree, text))
    return found


class Dynamic(NamedTuple):
    """One read of a namespace by strings: the reason it gives, the names it may read
    (None: any), and the scopes whose names it may reach (ids of their nodes; None: any);
    *prefixes*: besides *keys*, any name that starts with one of them (``d["CO_" + v]``)."""

    reason: str
    keys: frozenset[str] | None
    reach: frozenset[int] | None
    prefixes: frozenset[str] = frozenset()

    def may_read(self, scope: int, name: str) -> bool:
        """Whether this read may reach *name* in the scope whose node's id is *scope*."""
        if self.reach is not None and scope not in self.reach:
            return False
        return self.keys is None or name in self.keys or name.startswith(tuple(self.prefixes))


#: The nodes that make a scope whose names a dynamic read can reach.
_SCOPE_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
_COMPREHENSION_NODES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
#: Words that, in a string given to ``eval``/``exec``, read names the fixer cannot list.
_DYNAMIC_WORDS = frozenset(
    {*DYNAMIC_CALLS, "__dict__", "f_globals", "f_locals", "modules", "__builtins__", "builtins", "getattr"}
)
_WORD = re.compile(r"[^\W\d]\w*")


def _local_reach(chain: tuple[ast.AST, ...]) -> frozenset[int]:
    """The scopes whose names ``locals()`` in the innermost scope of *chain* may hold: a
    class body's or the module's own; a function's own and those of the functions
    around it, whose names it may read as free variables (not a class body's, which
    the functions inside it do not see, nor the module's); a comprehension's, those
    and the scope it stands in (since 3.12 it runs inline there)."""
    inner = chain[-1]
    if isinstance(inner, (ast.Module, ast.ClassDef)):
        return frozenset({id(inner)})
    reach = {id(n) for n in chain if not isinstance(n, (ast.Module, ast.ClassDef))}
    index = len(chain) - 1
    while index > 0 and isinstance(chain[index], _COMPREHENSION_NODES):
        index -= 1
        reach.add(id(chain[index]))
    return frozenset(reach)


class Namespace:
    """What in one file reads a namespace by strings, found once and asked per rewrite."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.tree = tree
        self.text = text

    @cached_property
    def dynamic(self) -> list[Dynamic]:
        """Each read of a namespace by strings (``eval``/``exec``, ``globals()``,
        ``locals()``, ``vars()``, ``dir()``, ``sys.modules[__name__].__dict__``, a
        frame's ``f_globals``), with the names it may read where the fixer can read
        them (literal keys such as ``globals()["x"]``, the names in a literal string
        given to ``eval``/``exec``), and the scopes it can reach: ``globals()`` the
        module's, ``locals()`` the scope it stands in and the functions around it,
        ``eval``/``exec`` those and the module's, a frame's ``f_locals`` any."""
        parents: dict[int, ast.AST] = {}
        reads: list[tuple[ast.AST, str, frozenset[int]]] = []
        stack: list[tuple[ast.AST, tuple[ast.AST, ...]]] = [(self.tree, ())]
        while stack:
            node, chain = stack.pop()
            inner = (*chain, node) if isinstance(node, _SCOPE_NODES) else chain
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
                stack.append((child, inner))
            what = _namespace_read(node)
            if what is not None:
                line = node.lineno  # type: ignore[attr-defined]
                reads.append((node, f"line {line} {what}", _local_reach(inner)))
        context = _Reads(self.tree, parents)
        found = [d for d in (context.dynamic(*read) for read in reads) if d is not None]
        found.sort(key=lambda d: int(d.reason.split()[1]))
        return found

    def dynamic_access(self, changed: Collection[tuple[int, str]]) -> str | None:
        """Where the file may read one of the *changed* names (``(id of the scope's
        node, name)``) by its string, as a reason."""
        for dynamic in self.dynamic:
            if any(dynamic.may_read(scope, name) for scope, name in changed):
                return dynamic.reason
        return None

    @cached_property
    def getattr_line(self) -> int | None:
        return module_getattr(self.tree)

    @cached_property
    def listed(self) -> set[str] | None:
        return dunder_all(self.tree)

    @cached_property
    def doctest(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for name, line in doctest_reads(self.tree, self.text):
            found.setdefault(name, line)
        return found


def _called(node: ast.AST) -> str | None:
    """The name of the namespace-reading builtin *node* calls (``eval``, ``builtins.exec``...)."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id in DYNAMIC_CALLS:
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and func.attr in DYNAMIC_CALLS
        and isinstance(func.value, ast.Name)
        and func.value.id in ("builtins", "__builtins__")
    ):
        return func.attr
    return None


def _namespace_read(node: ast.AST) -> str | None:
    """How *node* reads a namespace by strings, if it does."""
    called = _called(node)
    if called is not None:
        assert isinstance(node, ast.Call)
        plain = bool(node.args) and isinstance(node.args[0], (ast.Name, ast.Attribute))
        if called in _OF_AN_OBJECT and plain:
            return None  # vars(obj), dir(obj): the object's names
        return f"calls {called}()"
    if isinstance(node, ast.Attribute) and node.attr in ("f_globals", "f_locals"):
        return f"reads {node.attr}"
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        if not isinstance(node.value, (ast.Name, ast.Attribute)):  # sys.modules[__name__].__dict__
            return "reads __dict__"  # (self.__dict__ is an instance's, os.__dict__ another module's)
    return None


#: What ``__import__(name, globals(), locals())`` reads of the namespaces it is given.
_IMPORT_READS = frozenset({"__name__", "__package__", "__spec__", "__path__"})


def _literal_names(node: ast.expr | None) -> frozenset[str] | None:
    """Every name a literal string given to ``eval``/``exec`` may read or bind (each
    identifier-like word in it: more than it reads, never less); None where it is no
    literal, or reads names by strings again, or imports ``*``."""
    text = _literal_str(node)
    if text is None:
        return None
    words = {unicodedata.normalize("NFKC", w) for w in _WORD.findall(text)}
    if words & _DYNAMIC_WORDS or ("import" in words and "*" in text):
        return None
    return frozenset(words)


#: A key pattern: the exact keys a lookup may use, and the prefixes of the others.
Keys = tuple[frozenset[str], frozenset[str]]
#: Attributes and words through which code can get hold of a namespace's dict without
#: a read :func:`_namespace_read` reports (``f.__globals__``, ``getattr(m, "__dict__")``).
_LEAK_WORDS = frozenset(
    {*DYNAMIC_CALLS - {"eval", "exec", "dir"}, "__dict__", "__globals__", "f_globals", "f_locals"}
    | {"get_referrers", "get_referents", "get_objects"}  # gc's: every dict that holds an object
)
#: The statements an ``eval`` narrowed by the test of the ``if`` around it may stand in.
_NARROW_STATEMENTS = (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)
_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


class _Reads:
    """The reads of one file's namespaces by strings, with what deciding their reach needs:
    the file's tree and each node's parent."""

    def __init__(self, tree: ast.Module, parents: dict[int, ast.AST]) -> None:
        self.tree = tree
        self.parents = parents
        self.module = frozenset({id(tree)})

    def dynamic(self, node: ast.AST, reason: str, chain: frozenset[int]) -> Dynamic | None:
        """What the namespace read *node* may read (:class:`Dynamic`), or None when it
        reads none of this file's names (``exec(code, {})``) or another read answers for
        it (the ``globals()`` of ``exec("x = 1", globals())``). *chain*: the scopes
        ``locals()`` there holds (:func:`_local_reach`)."""
        called = _called(node)
        if called in ("eval", "exec"):
            assert isinstance(node, ast.Call)
            return self.evaluated(node, reason, chain)
        parent = self.parents.get(id(node))
        spaces = parent.args[1:3] if isinstance(parent, ast.Call) else []
        if called in ("globals", "locals", "vars") and isinstance(parent, ast.Call) and node in spaces:
            if _called(parent) in ("eval", "exec"):
                return None
            if _is_dunder_import(parent):
                return Dynamic(reason, _IMPORT_READS, chain | self.module)
        keys = _literal_keys(node, self.parents)
        if keys is None and called == "globals" and chain == self.module:
            keys = self.held_keys(node)
        exact, prefixes = keys if keys is not None else (None, frozenset[str]())
        if called == "globals" or (isinstance(node, ast.Attribute) and node.attr == "f_globals"):
            return Dynamic(reason, exact, self.module, prefixes)
        if called is not None and not (isinstance(node, ast.Call) and node.args):
            return Dynamic(reason, exact, chain, prefixes)  # locals(), vars(), dir(): the scope they stand in
        return Dynamic(reason, exact, None, prefixes)  # a frame's f_locals, a computed __dict__: any scope

    def evaluated(self, node: ast.Call, reason: str, chain: frozenset[int]) -> Dynamic | None:
        """What ``eval``/``exec`` *node* may read: the names of its literal string (or of
        the literal strings an ``if`` around it narrowed its name to, :meth:`narrowed`),
        in the namespaces it is given (:meth:`space_reach`), by default the module's and
        those ``locals()`` there holds."""
        given = dict(zip(("globals", "locals"), node.args[1:3]))
        given.update((k.arg, k.value) for k in node.keywords if k.arg in ("globals", "locals"))
        if not given:
            reach = chain | self.module
        else:
            reach = self.space_reach(given.get("globals"), chain)
            if "locals" in given:
                reach |= self.space_reach(given["locals"], chain)
        if not reach:
            return None  # namespaces of its own
        first = node.args[0] if node.args else None
        keys = _literal_names(first)
        if keys is None and isinstance(first, ast.Name):
            keys = self.narrowed(node, first.id)
        return Dynamic(reason, keys, reach)

    def space_reach(self, space: ast.expr | None, chain: frozenset[int]) -> frozenset[int]:
        """The scopes of this file whose names the namespace *space* given to
        ``eval``/``exec`` may hold (None: not given, so the module's)."""
        if space is None:
            return self.module
        if isinstance(space, ast.Dict):
            return frozenset()
        called = _called(space)
        if called is not None and isinstance(space, ast.Call) and not space.args:
            return self.module if called == "globals" else chain
        if isinstance(space, ast.Name) and not self.leaks:
            return frozenset()  # no dict of this file's can be in a name: another namespace
        return chain | self.module

    @cached_property
    def leaks(self) -> bool:
        """Whether any value of this file may be one of its namespaces' dicts: a
        ``globals()``, ``locals()`` or ``vars()`` stored or passed on, any ``__dict__``,
        ``__globals__``, ``f_globals`` or ``f_locals``, ``vars(x)``, those functions named
        without a call (``g = globals``), or a string that names one of them
        (``getattr(f, "__globals__")``) or a computed ``getattr``."""
        for node in walk(self.tree):
            if isinstance(node, ast.Attribute) and node.attr in _LEAK_WORDS:
                return True
            if _LEAK_WORDS & _string_words(node):
                return True
            if isinstance(node, ast.alias) and node.name.rpartition(".")[2] in _LEAK_WORDS:
                return True
            if isinstance(node, ast.Name) and node.id in _LEAK_WORDS and not self.consumed(node):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
                if len(node.args) < 2 or _literal_str(node.args[1]) is None:
                    return True
        return False

    def consumed(self, name: ast.Name) -> bool:
        """Whether the ``globals``/``locals``/``vars`` *name* is called without arguments
        and its dict used where it goes no further: looked up by literal keys, or given
        to ``eval``/``exec``/``__import__``."""
        call = self.parents.get(id(name))
        if not (isinstance(call, ast.Call) and call.func is name and not call.args and not call.keywords):
            return False
        parent = self.parents.get(id(call))
        if isinstance(parent, ast.Call) and call in parent.args[1:3]:
            if _called(parent) in ("eval", "exec") or _is_dunder_import(parent):
                return True
        return _literal_keys(call, self.parents) is not None

    def narrowed(self, call: ast.Call, name: str) -> frozenset[str] | None:
        """The names ``eval(name)`` may read where the ``if`` it stands first in narrowed
        *name* to literal strings (``if name in ["True", "None"]: x = eval(name)``), or
        None. Strict, so that nothing can rebind *name* between the test and the call:
        *name* is a local of the function around the ``if`` (no ``global`` or
        ``nonlocal`` of it there), the call stands in the first statement of the branch,
        and only names and constants are evaluated before it there."""
        child: ast.AST = call
        parent = self.parents.get(id(call))
        while isinstance(parent, (ast.Call, ast.keyword)):
            if not _first_after_inert(parent, child):
                return None
            child, parent = parent, self.parents.get(id(parent))
        if not isinstance(parent, _NARROW_STATEMENTS) or parent.value is not child:
            return None
        branch = self.parents.get(id(parent))
        if not isinstance(branch, ast.If) or branch.body[0] is not parent:
            return None
        scope = self.parents.get(id(branch))
        while scope is not None and not isinstance(scope, _SCOPE_NODES):
            scope = self.parents.get(id(scope))
        if not isinstance(scope, _FUNCTION_NODES) or not _local(scope, name):
            return None
        if any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(scope)):
            return None
        return _test_strings(branch.test, name)

    def held_keys(self, call: ast.AST) -> Keys | None:
        """The keys through which the module's code reads ``globals()`` where *call* is
        ``name = globals()`` at module level and *name* is used only to look keys up by
        literal patterns (``name["CO_" + v] = k``) and deleted by a module-level ``del``
        (so no other module reads it after the import); None otherwise."""
        assign = self.parents.get(id(call))
        if not (isinstance(assign, ast.Assign) and assign.value is call and len(assign.targets) == 1):
            return None
        target = assign.targets[0]
        if not isinstance(target, ast.Name) or assign not in self.tree.body:
            return None
        name = target.id
        after = self.tree.body[self.tree.body.index(assign) + 1:]
        deleted = any(
            isinstance(s, ast.Delete) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
            for s in after
        )
        if not deleted:
            return None
        exact: set[str] = set()
        prefixes: set[str] = set()
        for node in walk(self.tree):
            if node is target or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del)):
                continue
            if isinstance(node, ast.Name) and node.id == name:
                keys = _literal_keys(node, self.parents, subscript_only=True)
                if keys is None:
                    return None
                exact |= keys[0]
                prefixes |= keys[1]
            elif name in _bound_names(node) or name in _string_words(node):
                return None  # bound otherwise, or named in a string (eval, getattr)
        return frozenset(exact), frozenset(prefixes)


def _is_dunder_import(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == "__import__"


def _string_words(node: ast.AST) -> set[str]:
    """The identifier-like words of *node* where it is a string constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return set(_WORD.findall(node.value))
    return set()


def _local(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether *name* is a parameter of *function* or assigned in its own body (not only
    in the functions, lambdas and comprehensions inside it)."""
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    if any(a is not None and a.arg == name for a in every):
        return True
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if not isinstance(node, (*_SCOPE_NODES, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _first_after_inert(parent: ast.Call | ast.keyword, child: ast.AST) -> bool:
    """Whether *child* of the call *parent* (or of its keyword) is evaluated after only
    names and constants: ``doc(eval(x))``, not ``f(g(), eval(x))``."""
    if isinstance(parent, ast.keyword):
        return True
    if child in parent.args:
        before: list[ast.expr] = [parent.func, *parent.args[: parent.args.index(child)]]
    elif child in parent.keywords:
        index = parent.keywords.index(child)
        before = [parent.func, *parent.args, *(k.value for k in parent.keywords[:index])]
    else:
        return False  # the called function itself
    if any(k.arg is None for k in parent.keywords):
        return False  # f(**kw, x=eval(v)) calls kw.keys() first
    return all(isinstance(n, (ast.Name, ast.Constant)) for n in before)


def _test_strings(test: ast.expr, name: str) -> frozenset[str] | None:
    """The names in the literal strings *test* narrows *name* to when true (``name in
    ["a", "b"]``, ``name == "a"``, ``... or ...`` of those), or None."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        parts = [_test_strings(v, name) for v in test.values]
        return None if any(p is None for p in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(op, ast.Eq) and isinstance(right, ast.Name):
        left, right = right, left
    if not (isinstance(left, ast.Name) and left.id == name):
        return None
    if isinstance(op, ast.Eq):
        literals: list[ast.expr] = [right]
    elif isinstance(op, ast.In) and isinstance(right, (ast.List, ast.Tuple, ast.Set)):
        literals = right.elts
    else:
        return None
    found: set[str] = set()
    for literal in literals:
        names = _literal_names(literal)
        if names is None:
            return None
        found |= names
    return frozenset(found)


def _bound_names(node: ast.AST) -> set[str]:
    """The names *node* binds or declares other than by an :class:`ast.Name`."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.alias):
        return {node.asname or node.name.partition(".")[0]}
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return set(node.names)
    if isinstance(node, ast.arg):
        return {node.arg}
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        return {node.name}
    if isinstance(node, ast.MatchMapping) and node.rest:
        return {node.rest}
    return set()


def _key(node: ast.expr) -> Keys | None:
    """The keys a subscript or lookup by *node* may use: a literal string's own; the
    prefix of ``"CO_" + name`` or of ``f"CO_{name}"``; None where it may be any."""
    literal = _literal_str(node)
    if literal is not None:
        return frozenset({literal}), frozenset()
    prefix = _prefix(node)
    return (frozenset(), frozenset({prefix})) if prefix else None


def _prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_str(node.left) or _prefix(node.left)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _literal_str(node.values[0])
    return None


def _literal_keys(node: ast.AST, parents: dict[int, ast.AST], subscript_only: bool = False) -> Keys | None:
    """The keys a namespace read looks up when they are all literals (or literal
    prefixes, :func:`_key`): ``globals()["x"]``, ``globals().get("x")``, ``"x" in
    globals()``; None when it may read any. *subscript_only*: only ``d[...]``."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return _key(parent.slice)
    if subscript_only:
        return None
    if isinstance(parent, ast.Attribute) and parent.value is node and parent.attr in ("get", "pop"):
        call = parents.get(id(parent))
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            key = _literal_str(call.args[0])
            return (frozenset({key}), frozenset()) if key is not None else None
    if isinstance(parent, ast.Compare) and node in parent.comparators and len(parent.ops) == 1:
        if isinstance(parent.ops[0], (ast.In, ast.NotIn)):
            key = _literal_str(parent.left)
            return (frozenset({key}), frozenset()) if key is not None else None
    return None


def module_getattr(tree: ast.Module) -> int | None:
    """The line of a module ``__getattr__``, which answers for names the module lacks."""
    return next(
        (
            s.lineno
            for s in tree.body
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__getattr__"
        ),
        None,
    )


def namespace_problem(
    namespace: Namespace,
    removed: Collection[str],
    added: Collection[str],
    readers: Readers,
    changed: Collection[tuple[int, str]] = (),
) -> str | None:
    """Why a rewrite that takes *removed* out of the module's namespace and puts *added*
    in could change what other code reads; None when nothing can tell. *changed*: the
    names the rewrite binds or unbinds in other scopes, as ``(id of the scope's node,
    name)`` (which ``eval``, ``exec`` and ``locals()`` there see)."""
    module = id(namespace.tree)
    scoped = {*changed, *((module, n) for n in removed), *((module, n) for n in added)}
    if scoped:
        dynamic = namespace.dynamic_access(sorted(scoped, key=lambda s: s[1]))
        if dynamic is not None:
            return f"{dynamic}, which can read the names this rewrite changes by their strings"
    if not removed and not added:
        return None
    names = sorted({*removed, *added})
    first_removed = sorted(removed)[0] if removed else None
    getattr_line = namespace.getattr_line
    if first_removed and getattr_line is not None:
        return (
            f"{first_removed!r} would leave the module's namespace, where its __getattr__"
            f" (line {getattr_line}) would answer instead"
        )
    listed = namespace.listed
    if listed is None and first_removed:
        return f"__all__ is computed, so it may list {first_removed!r}"
    for name in names:
        if listed and name in listed:
            return f"{name!r} is listed in __all__"
    for name in sorted(removed):
        if name in namespace.doctest:
            return f"the doctest at line {namespace.doctest[name]} reads {name!r}"
    for name in sorted(removed):
        where = readers.names.get(name)
        if where is not None:
            return f"{where} reads {name!r} from this module"
    public = [n for n in names if not n.startswith("_")]
    if readers.star is not None and public and not listed:  # no __all__: * is every public name
        return f"{readers.star} imports * from this module, so it would bind {public[0]!r} differently"
    return None


#: Calls that read an object's attributes by their strings (or all of them).
_ATTRIBUTE_READERS = frozenset(
    {
        *("getattr", "hasattr", "setattr", "delattr", "vars", "dir"),
        *("getmembers", "getmembers_static", "getattr_static", "attrgetter"),
    }
)


def class_problem(model: Model, cls: ast.ClassDef, names: Collection[str], readers: Readers) -> str | None:
    """Why taking *names* out of the body of the class *cls* (or putting them in) could
    change what code reads: a name a class body binds is an attribute of the class and
    of its instances, so the rewrite is proved only where nothing can read them but the
    body itself: no bases, metaclass or decorators (which see the namespace), no other
    file of the run reading the class, and nowhere in this file an attribute of one of
    those names, a string equal to one, ``__dict__`` or a call that reads attributes
    by their strings (``getattr``, ``vars``, ``dir``, ``inspect.getmembers``...)."""
    what = f"the class at line {cls.lineno}"
    if cls.bases or cls.keywords or cls.decorator_list:
        return f"{what} has bases, a metaclass or decorators, which can read the names its body binds"
    where = readers.names.get(cls.name)
    if where is not None:
        return f"{where} reads {cls.name!r}, whose attributes the rewrite changes"
    if readers.star is not None and not cls.name.startswith("_"):
        return f"{readers.star} imports * from this module, so it may read {cls.name!r}'s attributes"
    wanted = set(names)
    for node in walk(model.tree):
        if isinstance(node, ast.Attribute) and (node.attr in wanted or node.attr == "__dict__"):
            if _module_chain(model, node):
                continue
            return (
                f"line {node.lineno} reads the attribute {node.attr!r}, which may be"
                f" {what}'s, whose names the rewrite changes"
            )
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in wanted:
            return f"line {node.lineno} names {node.value!r} in a string, which may read {what}'s attribute"
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in _ATTRIBUTE_READERS:
                how = "which can read its attributes by their strings"
                return f"line {node.lineno} calls {called}(), {how}"
    return None


def _import_sites(scope: NameScope) -> set[tuple[str, str]]:
    """(name, what it binds) for each import that binds a name in *scope*."""
    out = {(b.name, b.value) for sites in scope.sites.values() for _, b, _ in sites if b.kind == IMPORT}
    return out | {(b.name, b.value) for extra in scope.extra.values() for b in extra if b.kind == IMPORT}


def _module_chain(model: Model, node: ast.Attribute) -> bool:
    """Whether *node* reads an attribute of what only imports bind (``xml.dom.minidom``):
    a module's attribute, never a class's."""
    root: ast.expr = node
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    meaning = model.meaning(root)
    return bool(meaning) and all(b.kind == IMPORT for b in meaning)


#: What catches the AttributeError of a chain through a submodule that nothing has imported yet.
CATCH_ATTRIBUTE_ERROR = frozenset({"AttributeError", "Exception", "BaseException"})


def attribute_error_caught(
    tree: ast.Module, leaves: Collection[str]
) -> tuple[ast.Attribute, ast.ExceptHandler] | None:
    """The first attribute ``x.leaf`` of *tree* (maybe a chain through the submodule *leaf*)
    in the body of a ``try`` whose handler catches its AttributeError, and that handler:
    there the program may rely on the submodule being absent (its fallback), which an
    import of it would change."""
    if not leaves:
        return None
    for node in walk(tree):
        if not isinstance(node, ast.Try):
            continue
        handler = next((h for h in node.handlers if CATCH_ATTRIBUTE_ERROR & set(handler_names(h))), None)
        if handler is None:
            continue
        for stmt in node.body:
            for inner in ast.walk(stmt):
                if isinstance(inner, ast.Attribute) and inner.attr in leaves:
                    return inner, handler
    return None


def _relative_count(tree: ast.Module) -> int:
    return sum(1 for node in walk(tree) if isinstance(node, ast.ImportFrom) and node.level)


def package_problem(tree: ast.Module) -> str | None:
    """Why a relative import of *tree* may not resolve against the package its file is in:
    the file names ``__package__`` or ``__spec__`` (it may set them, or hand them to code
    that does), or binds ``__name__``, which a relative import falls back on."""
    node = first_naming(tree, ("__package__", "__spec__"))
    if node is not None:
        line = getattr(node, "lineno", "?")
        return f"line {line} names __package__ or __spec__, which relative imports read"
    for node in walk(tree):
        if isinstance(node, ast.Name) and node.id == "__name__" and not isinstance(node.ctx, ast.Load):
            return f"line {node.lineno} binds __name__, which relative imports may read"
    return None


def first_naming(tree: ast.Module, words: Collection[str]) -> ast.AST | None:
    """The first node of *tree* whose name, attribute or string holds one of *words* as a
    word: where the file may read a module it names (a string statement without doctests,
    a docstring, is read by nothing)."""
    if not words:
        return None
    pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in sorted(words)))
    nodes = walk(tree)
    strings = {id(n.value) for n in nodes if isinstance(n, ast.Expr)}
    for node in nodes:
        if id(node) in strings and isinstance(node, ast.Constant) and ">>>" not in str(node.value):
            continue
        text = (
            node.id if isinstance(node, ast.Name)
            else node.attr if isinstance(node, ast.Attribute)
            else node.value if isinstance(node, ast.Constant) and isinstance(node.value, str)
            else None
        )
        if text is not None and pattern.search(text):
            return node
    return None


def doctest_reads(tree: ast.Module, text: str) -> Iterator[tuple[str, int]]:
    """The names the doctests in the module's docstrings read, with the docstring's line."""
    if ">>>" not in text:
        return
    parser = doctest.DocTestParser()
    for node in walk(tree):
        if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        doc = ast.get_docstring(node, clean=False)
        if not doc or ">>>" not in doc:
            continue
        line = node.body[0].lineno if node.body else 1
        try:
            examples = parser.get_examples(doc)
        except ValueError:
            examples = []
            yield from ((name, line) for name in re.findall(r"[A-Za-z_]\w*", doc))
        for example in examples:
            try:
                parsed = ast.parse(example.source)
            except (SyntaxError, ValueError):
                yield from ((name, line) for name in re.findall(r"[A-Za-z_]\w*", example.source))
                continue
            for sub in ast.walk(parsed):
                if isinstance(sub, ast.Name):
                    yield sub.id, line


def _pyflakes(tree: ast.Module) -> Counter[tuple[str, str]]:
    from pyflakes import checker

    found: Counter[tuple[str, str]] = Counter()
    try:
        result = checker.Checker(tree, filename="fixed.py")
    except RecursionError:
        return found
    for message in result.messages:
        kind = type(message).__name__
        if kind in IMPORT_MESSAGES:
            # 'numpy as np' and 'numpy' are one unused import, renamed
            found[(kind, str(message.message_args[0]).partition(" as ")[0])] += 1
    return found
