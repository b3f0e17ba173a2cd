"""Names imported from the module that defines them (IPS404)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from flake8_importstyle import resolve
from flake8_importstyle.namespaces import source_tree
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule

#: How many plain re-imports are followed to the module that defines a name.
MAX_HOPS = 8


def _private(module: str) -> frozenset[str]:
    return frozenset(part for part in module.split(".") if part.startswith("_"))


def reimported_from(module: str, name: str, roots: resolve.Roots) -> str | None:
    """The module that *module* imports *name* from, when *module* only re-imports it: a
    plain module (not a package's ``__init__.py``, not a stub) whose one binding of
    *name* is an unconditional top-level ``from D import name``, without *name* in its
    ``__all__``; the re-imports are followed while they stay plain. None otherwise,
    and whenever a module cannot be found or read."""
    origin: str | None = None
    current = module
    seen = {module}
    for _ in range(MAX_HOPS):
        found = resolve.find(current, roots)
        if not isinstance(found, resolve.Module) or found.is_package or not found.runs_source:
            break
        names = resolve.namespace(found)
        if names is None or names.open or names.rewrites or names.stars or names.replaced_by:
            break
        listed = names.all_names
        if listed is resolve.UNKNOWN or (isinstance(listed, tuple) and name in listed):
            break
        bindings = names.bindings.get(name, ())
        if len(bindings) != 1:
            break
        (binding,) = bindings
        if binding.how is not resolve.Bound.FROM or binding.block:
            break
        source, _, leaf = binding.target.rpartition(".")
        if leaf != name or not source or source == current:
            break
        if _private(source) - _private(module):
            break  # the public module is the API; its private source is no better place
        if source in seen:
            return None  # a loop of re-imports: nothing defines the name
        seen.add(source)
        origin = current = source
    return origin


class ReimportedName(Rule):
    """``from myproj.models import Session`` where ``myproj.models`` does not define
    ``Session`` but only imports it (``from myproj.db.session import Session``): the import
    depends on an implementation detail of ``models``, and a refactor there breaks it.
    Import the name from the module that defines it.

    A name is only re-imported when the module's one binding of it is an unconditional
    top-level ``from D import name``, the name is not in its ``__all__``, and the module
    is not a package's ``__init__.py`` (a package's re-exports are its API) or a stub.
    Plain re-imports are followed to the module that defines the name. The modules are
    read, never imported; one that cannot be found or read gives no finding.
    """

    code = "IPS404"
    name = "reimported-name"
    message = "import {name!r} from {origin}, which defines it: {module} only re-imports it"
    sample = {"name": "Session", "origin": "myproj.db.session", "module": "myproj.models"}
    default = "off"
    fix = "sometimes"
    fix_note = (
        "With ``--select IPS404`` (an opt-in code is fixed only where the selection names it), "
        "``from myproj.models import Session as S`` becomes ``from myproj.db.session import Session as S``, "
        "its alias, comments and layout kept; the names ``models`` defines stay in a "
        "``from myproj.models import ...`` of their own. The rewrite stops the file importing "
        "``models``, so it is made only where the fixer proves from the source of ``models`` (and of its "
        "packages) that importing it does nothing but load what importing ``myproj.db.session`` loads: "
        "a top level of imports that cannot fail, ``def`` and ``class`` statements without decorators or "
        "bases that run code, and assignments of constants. Left with the reason and the line that "
        "blocks it: a call or any other code that runs on import (a ``print``, a registration, a "
        "``sys.modules`` write), an import of a module that does something before the defining module "
        "is loaded, a cycle of imports, ``models`` read anywhere else in the file (``myproj.models.X``, "
        "a string naming it), a relative import, or a source in another top-level package."
    )
    limitations = (
        "A module that re-exports on purpose without ``__all__`` (an ``import x as x`` convention "
        "in a plain module) is reported: list the name in its ``__all__``.",
        "A re-import under ``if``/``try`` or under another name (``from d import y as x``) is "
        "left alone, and so is a name reached through a star import.",
        "A source under a private module (``_impl``) is not suggested in place of a public one.",
        "The fix assumes that no other module relies on this file having imported the re-importing "
        "module (reading it as an attribute of its package, or its key in ``sys.modules``, without "
        "importing it).",
    )
    added = "0.1.0"
    peers = ()
    examples = (
        # the fixer leaves this one: functools is another top-level package, whose imports it does not follow
        Example(bad="from contextlib import wraps\n", good="from functools import wraps\n"),
        # tkinter.commondialog only imports, defines a class and binds constants: the fixer rewrites it
        Example(
            bad="from tkinter.commondialog import _get_temp_root\n\nroot = _get_temp_root\n",
            good="from tkinter import _get_temp_root\n\nroot = _get_temp_root\n",
            fixed="from tkinter import _get_temp_root\n\nroot = _get_temp_root\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        roots: resolve.Roots | None = None
        for record in file.records:
            if not record.is_from or record.is_future:
                continue
            module = file.absolute(record)
            if module is None:
                continue
            for name in record.names:
                if name.name == "*":
                    continue
                if roots is None:
                    roots = resolve.search_roots(file.filename)
                origin = reimported_from(module, name.name, roots)
                if origin is not None:
                    yield self.finding(name.line, name.col, name=name.name, origin=origin, module=module)


# ----------------------------------------------------- what importing a module does
#
# The fixer's rewrite of IPS404 (``from M import x`` -> ``from D import x``) stops the
# file loading M. That is safe only where importing M does nothing a program could
# tell but load the modules its own imports load. :func:`import_effects` proves it
# from M's source, without running it, or says why not.

#: Standard modules whose import a program cannot tell from its absence (beyond
#: the key in ``sys.modules``): loaded at start-up, or only definitions.
INERT_MODULES = frozenset(
    {"__future__", "abc", "collections", "collections.abc", "os", "sys", "types", "typing"}
)
#: Classes that may be bases of a class whose creation does nothing else.
_PLAIN_BASES = frozenset({"object", "Exception", "ValueError", "TypeError", "KeyError", "RuntimeError"})
#: Builtin generics that ``list[int]`` subscripts without running anyone's code.
_GENERICS = frozenset({"list", "dict", "tuple", "set", "frozenset", "type"})
#: Dunder names a module may bind with a constant without changing how it is imported.
_PLAIN_DUNDERS = frozenset({"__all__", "__version__", "__author__", "__doc__"})
#: How deep :func:`import_effects` follows imports of imports.
MAX_DEPTH = 16


class Opaque(NamedTuple):
    """Importing a module may do more than load modules: why, where (``module:line``)."""

    reason: str


class _Answers(dict[tuple[str, resolve.Roots], "tuple[str, ...] | Opaque"]):
    """The answers of :func:`import_effects` in this run (``cache_clear``: a new run)."""

    def cache_clear(self) -> None:
        self.clear()


_ANSWERS = resolve.per_run(_Answers())
#: The modules being read, outermost first, and those found to be in a cycle of imports.
_stack: list[str] = []
_cyclic: set[str] = set()


def import_effects(module: str, roots: resolve.Roots) -> tuple[str, ...] | Opaque:
    """What importing *module* (its parent packages already loaded) amounts to: the
    modules with effects of their own that it loads, in order, each once (their
    importing may do anything); () when it does nothing a program could tell but
    bind names and add keys to ``sys.modules``. :class:`Opaque` where that cannot be
    proved from its source: a call, a decorator, a class with bases that may run
    code, a conditional statement, an import that may fail, a source that cannot be read."""
    key = (module, roots)
    known = _ANSWERS.get(key)
    if known is not None:
        return known
    if module in _stack:  # every module from there on is in the cycle: its code runs half-done
        _cyclic.update(_stack[_stack.index(module):])
        return Opaque(f"{module} is in a cycle of imports")
    if len(_stack) >= MAX_DEPTH:
        return Opaque(f"{module} is imported through more than {MAX_DEPTH} modules")
    _stack.append(module)
    try:
        answer = _import_effects(module, roots)
    finally:
        _stack.pop()
    if module in _cyclic:
        answer = Opaque(f"{module} is in a cycle of imports")
    if not _stack:
        _cyclic.clear()
    _ANSWERS[key] = answer
    return answer


def _import_effects(module: str, roots: resolve.Roots) -> tuple[str, ...] | Opaque:
    found = resolve.find(module, roots)
    if not isinstance(found, resolve.Module):
        return Opaque(f"{module} cannot be found")
    if found.kind is resolve.Kind.NAMESPACE:
        return ()
    if not found.runs_source or found.source is None:
        return Opaque(f"{module} has no Python source to read")
    names = resolve.namespace(found)
    if names is None:
        return Opaque(f"{module} cannot be read")
    if names.open or names.rewrites or names.stars or names.replaced_by or names.imports_dynamically:
        return Opaque(
            f"{module} binds names at run time (__getattr__, globals(), a star import, sys.modules)"
        )
    tree = source_tree(found.source)
    if tree is None:
        return Opaque(f"{module} cannot be read")
    return _Effects(found, names, roots).body(tree)


class _Blocked(Exception):
    pass


class _Effects:
    """Reads one module's top-level statements (see :func:`import_effects`)."""

    def __init__(self, found: resolve.Module, names: resolve.Namespace, roots: resolve.Roots) -> None:
        self.module = found.name
        self.package = found.name if found.is_package else found.name.rpartition(".")[0]
        self.names = names
        self.roots = roots
        self.bound: set[str] = set()
        self.typing: set[str] = set()  # names bound to typing's objects (Optional, TYPE_CHECKING)
        self.typing_modules: set[str] = set()  # names bound to typing itself
        self.effects: list[str] = []
        self.own_classes: set[str] = set()  # classes created here with plain bases only
        self.lazy = False  # from __future__ import annotations

    def blocked(self, node: ast.AST, what: str) -> _Blocked:
        return _Blocked(f"{self.module}:{getattr(node, 'lineno', '?')} {what}")

    def body(self, tree: ast.Module) -> tuple[str, ...] | Opaque:
        try:
            for stmt in tree.body:
                self.statement(stmt)
        except _Blocked as exc:
            return Opaque(str(exc))
        return tuple(dict.fromkeys(self.effects))

    # -- statements
    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            return  # a docstring
        if isinstance(stmt, ast.Pass):
            return
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                self.load(stmt, alias.name, ())
                self.bound.add(alias.asname or alias.name.partition(".")[0])
                if alias.name == "typing":
                    self.typing_modules.add(alias.asname or "typing")
            return
        if isinstance(stmt, ast.ImportFrom):
            self.import_from(stmt)
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(stmt)
        elif isinstance(stmt, ast.ClassDef):
            self.cls(stmt)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self.target(stmt, target)
            self.expression(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            self.annotation(stmt.annotation)
            if stmt.value is not None:
                self.expression(stmt.value)
                self.target(stmt, stmt.target)
        elif isinstance(stmt, ast.If) and self.type_checking(stmt.test):
            for inner in stmt.orelse:
                self.statement(inner)
            return
        elif isinstance(stmt, ast.Expr):
            raise self.blocked(stmt, f"evaluates {_short(stmt.value)} when it is imported")
        else:
            raise self.blocked(stmt, f"runs a {type(stmt).__name__.lower()} statement when it is imported")
        self.bound.update(_bound_by(stmt))

    def type_checking(self, test: ast.expr) -> bool:
        """``if TYPE_CHECKING:`` (False at run time) with the name from typing."""
        if isinstance(test, ast.Name):
            return test.id == "TYPE_CHECKING" and test.id in self.typing
        return (
            isinstance(test, ast.Attribute)
            and test.attr == "TYPE_CHECKING"
            and isinstance(test.value, ast.Name)
            and test.value.id in self.typing_modules
        )

    def target(self, stmt: ast.stmt, target: ast.expr) -> None:
        if not isinstance(target, ast.Name):
            raise self.blocked(stmt, "assigns to something other than a name")
        name = target.id
        if name.startswith("__") and name.endswith("__") and name not in _PLAIN_DUNDERS:
            raise self.blocked(stmt, f"binds {name}, which the import system or the builtins read")

    def import_from(self, stmt: ast.ImportFrom) -> None:
        if stmt.module == "__future__" and not stmt.level:
            import __future__

            for alias in stmt.names:
                if alias.name not in __future__.all_feature_names:
                    raise self.blocked(stmt, f"imports an unknown feature {alias.name!r}")
                self.lazy = self.lazy or alias.name == "annotations"
            return
        source = _absolute(self.package, stmt.level or 0, stmt.module)
        if source is None:
            raise self.blocked(stmt, "imports beyond its top-level package")
        names = [a.name for a in stmt.names]
        if "*" in names:
            raise self.blocked(stmt, "imports *")
        self.load(stmt, source, tuple(names))
        for alias in stmt.names:
            bound = alias.asname or alias.name
            self.bound.add(bound)
            if source == "typing":
                self.typing.add(bound)

    def load(self, stmt: ast.stmt, dotted: str, names: tuple[str, ...]) -> None:
        """What ``import dotted`` (``from dotted import names``) loads, added to the effects;
        blocked where it may fail."""
        if dotted in INERT_MODULES:
            import importlib

            module = importlib.import_module(dotted)  # the standard library's, never the project's
            missing = [n for n in names if not hasattr(module, n)]
            if missing:
                raise self.blocked(stmt, f"imports {missing[0]!r} from {dotted}, which may not have it")
            return
        parts = dotted.split(".")
        own = self.module.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if own[:i] == parts[:i]:
                continue  # this module's own package (or itself): loaded before its code runs
            self.loads(stmt, prefix)
        found = resolve.find(dotted, self.roots)
        if not isinstance(found, resolve.Module):
            raise self.blocked(stmt, f"imports {dotted}, which cannot be found")
        for name in names:
            sub = resolve.find(f"{dotted}.{name}", self.roots) if found.is_package else None
            if isinstance(sub, resolve.Module):
                self.loads(stmt, f"{dotted}.{name}")
            elif sub is None and _always_binds(found, name):
                continue
            else:
                raise self.blocked(stmt, f"imports {name!r} from {dotted}, which may not bind it")

    def loads(self, stmt: ast.stmt, module: str) -> None:
        if not isinstance(resolve.find(module, self.roots), resolve.Module):
            raise self.blocked(stmt, f"imports {module}, which cannot be found")
        inner = import_effects(module, self.roots)
        if isinstance(inner, Opaque):
            self.effects.append(module)  # it may do anything: an effect of its own
        else:
            self.effects.extend(inner)

    def function(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if stmt.decorator_list:
            raise self.blocked(stmt.decorator_list[0], f"decorates {stmt.name}(), a call")
        if getattr(stmt, "type_params", None):
            raise self.blocked(stmt, f"gives {stmt.name}() type parameters")
        args = stmt.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.expression(default)
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None and arg.annotation is not None:
                self.annotation(arg.annotation)
        if stmt.returns is not None:
            self.annotation(stmt.returns)

    def cls(self, stmt: ast.ClassDef) -> None:
        if stmt.decorator_list or stmt.keywords or getattr(stmt, "type_params", None):
            where: ast.AST = stmt.decorator_list[0] if stmt.decorator_list else stmt
            raise self.blocked(where, f"creates the class {stmt.name} with decorators or keywords")
        for base in stmt.bases:
            plain = isinstance(base, ast.Name) and (
                base.id in self.own_classes or (base.id in _PLAIN_BASES and base.id not in self.bound)
            )
            if not plain:
                raise self.blocked(stmt, f"creates the class {stmt.name} with a base that may run code")
        for inner in stmt.body:
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) and inner.name in (
                "__init_subclass__",
                "__set_name__",
                "__class_getitem__",
            ):
                raise self.blocked(inner, f"defines {inner.name}, which runs when other code is created")
            if isinstance(inner, ast.Assign | ast.AnnAssign):
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                if not all(isinstance(t, ast.Name) for t in targets):
                    raise self.blocked(inner, "assigns to something other than a name")
                if isinstance(inner, ast.AnnAssign):
                    self.annotation(inner.annotation)
                if inner.value is not None:
                    self.expression(inner.value)
                continue
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.function(inner)
                continue
            if isinstance(inner, ast.Pass) or (
                isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Constant)
            ):
                continue
            raise self.blocked(inner, f"runs {type(inner).__name__.lower()} code in the class {stmt.name}")
        self.own_classes.add(stmt.name)

    # -- expressions
    def annotation(self, node: ast.expr) -> None:
        if self.lazy:
            return  # from __future__ import annotations: never evaluated on import
        self.expression(node, annotation=True)

    def expression(self, node: ast.expr, annotation: bool = False) -> None:
        """Refused unless evaluating *node* can neither fail nor do anything."""
        from flake8_importstyle.names import BUILTIN_NAMES  # the fixer's: linting never gets here
        if isinstance(node, ast.Constant):
            return
        if isinstance(node, (ast.Tuple, ast.List)):
            for e in node.elts:
                self.expression(e, annotation)
            return
        if isinstance(node, ast.Set) and all(isinstance(e, ast.Constant) for e in node.elts):
            return
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            for v in node.values:
                self.expression(v, annotation)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            number = node.operand.value
            if isinstance(number, (int, float, complex)) and not isinstance(number, bool):
                return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in self.bound or node.id in self.own_classes or node.id in BUILTIN_NAMES:
                return
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            import typing

            if node.value.id in self.typing_modules and hasattr(typing, node.attr):
                return
        if isinstance(node, ast.Subscript) and annotation:
            value = node.value
            generic = isinstance(value, ast.Name) and (
                value.id in self.typing or (value.id in _GENERICS and value.id not in self.bound)
            )
            if generic or (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
                           and value.value.id in self.typing_modules):
                self.expression(value, annotation)
                self.expression(node.slice, annotation)
                return
        raise self.blocked(node, f"evaluates {_short(node)} when it is imported, which may do something")


def _short(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 30 else text[:27] + "..."


def _bound_by(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, ast.Assign):
        return {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        return {stmt.target.id}
    return set()


def _absolute(package: str, level: int, module: str | None) -> str | None:
    if not level:
        return module or None
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


def _always_binds(found: resolve.Module, name: str) -> bool:
    """Whether *found*'s top level binds *name* unconditionally (so ``from found import name``
    cannot fail), read from its source."""
    if not found.runs_source or found.source is None:
        return False
    names = resolve.namespace(found)
    tree = source_tree(found.source)
    if names is None or names.rewrites or tree is None:
        return False
    if any(
        isinstance(node, ast.Delete) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        for node in ast.walk(tree)
    ):
        return False  # `del name` somewhere, maybe in a function its code calls
    for stmt in tree.body:  # a statement of the top level itself, which always runs
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and stmt.name == name:
            return True
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and any(
            (a.asname or a.name.partition(".")[0]) == name for a in stmt.names
        ):
            return True
        targets = stmt.targets if isinstance(stmt, ast.Assign) else (
            [stmt.target] if isinstance(stmt, ast.AnnAssign) and stmt.value is not None else []
        )
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return True
    return False


def effective_loads(modules: Iterable[str], roots: resolve.Roots) -> list[str]:
    """The modules with effects that loading *modules* in order amounts to (each
    module replaced by :func:`import_effects` where that is proved), each once. A
    name the resolver finds to be no module (``from m import func`` taken for a
    submodule ``m.func`` where ``m`` is a plain module) loads nothing."""
    out: list[str] = []
    for module in modules:
        if "." in module and resolve.find(module, roots) is None:
            continue
        effects = import_effects(module, roots)
        out += [module] if isinstance(effects, Opaque) else effects
    return list(dict.fromkeys(out))
