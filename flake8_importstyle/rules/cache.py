"""The module cache: IPS301 (a second module object) and IPS302 (stale names after reload)."""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flake8_importstyle.analysis import (
    MODULES_REMOVAL_WORDS,
    RELOAD_WORD,
    Scope,
    has_unpacking,
    literal_str,
    own_nodes,
    removal_words,
    string_arg,
)
from flake8_importstyle.classify import record_from_ast
from flake8_importstyle.records import MODULE_CONTEXT
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule

Matcher = Callable[[str], bool]

RELOAD_FUNCTIONS = frozenset({"importlib.reload", "imp.reload"})
SYS = frozenset({"sys"})
RELOAD_MODULES = frozenset({"importlib", "imp"})
IMPORT_MODULE_FUNCTIONS = frozenset(
    {"importlib.import_module", "builtins.__import__", "importlib.__import__"}
)
_COPIES = frozenset({"list", "tuple", "set", "sorted", "frozenset"})


@dataclass(frozen=True)
class Removal:
    index: int  # statement index in its scope
    line: int
    matches: Matcher


@dataclass(frozen=True)
class ImportEvent:
    index: int
    module: str
    binds: bool  # an import statement, or an import call whose result is assigned
    node: ast.AST


def _removal_words(file: FileContext) -> tuple[re.Pattern[str], ...]:
    """The text a removal from sys.modules must contain, also when `from sys import modules as m`."""
    aliases = {
        n.asname
        for r in file.records
        if r.is_from and r.module == "sys" and not r.level
        for n in r.names
        if n.name == "modules" and n.asname
    }
    if not aliases:
        return MODULES_REMOVAL_WORDS
    return removal_words("modules", *aliases)


def _spans(node: ast.AST, lines: list[int]) -> bool:
    """Whether a statement (or a function's whole body) spans one of the sorted
    *lines*: a cheap test before its nodes are read."""
    start = getattr(node, "lineno", 1)
    end = getattr(node, "end_lineno", None) or start
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        start = min(start, *(d.lineno for d in decorators))
    i = bisect_left(lines, start)
    return i < len(lines) and lines[i] <= end


def _is_modules(file: FileContext, node: ast.AST) -> bool:
    return file.bindings.qualify(node) == "sys.modules"


def _iterates_modules(file: FileContext, node: ast.expr) -> bool:
    """``sys.modules``, ``sys.modules.keys()/copy()/items()``, or a copy: ``list(sys.modules)``."""
    if _is_modules(file, node):
        return True
    if not isinstance(node, ast.Call) or has_unpacking(node):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in {"keys", "copy", "items"} and not node.args:
        return _is_modules(file, func.value)
    if isinstance(func, ast.Name) and func.id in _COPIES and len(node.args) == 1:
        return _iterates_modules(file, node.args[0])
    return False


def _key_predicate(test: ast.expr, key: str) -> Matcher | None:
    """What ``if <test>:`` on loop variable *key* admits, when the test says so plainly."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        parts = [_key_predicate(v, key) for v in test.values]
        if any(p is None for p in parts):
            return None
        known = [p for p in parts if p is not None]
        return lambda name: any(p(name) for p in known)
    if isinstance(test, ast.Call) and not has_unpacking(test) and len(test.args) == 1 and not test.keywords:
        func = test.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "startswith"
            and isinstance(func.value, ast.Name)
            and func.value.id == key
        ):
            arg = test.args[0]
            elements = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            prefixes = [literal_str(e) for e in elements]
            if prefixes and all(p is not None for p in prefixes):
                fixed = tuple(p for p in prefixes if p is not None)
                return lambda name: name.startswith(fixed)
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        left, right = test.left, test.comparators[0]
        for a, b in ((left, right), (right, left)):
            value = literal_str(b)
            if isinstance(a, ast.Name) and a.id == key and value is not None:
                return lambda name: name == value
    return None


def _equals(key: str) -> Matcher:
    return lambda name: name == key


def _removed_key(file: FileContext, stmt: ast.stmt) -> Iterator[tuple[ast.expr, ast.AST]]:
    """The keys this statement removes from ``sys.modules`` (``del m[k]``, ``m.pop(k)``)."""
    if isinstance(stmt, ast.Delete):
        for target in stmt.targets:
            if isinstance(target, ast.Subscript) and _is_modules(file, target.value):
                yield target.slice, target
    for node in own_nodes(stmt):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "pop"
            and node.args
            and not has_unpacking(node)
            and _is_modules(file, node.func.value)
        ):
            yield node.args[0], node


def _clears(file: FileContext, stmt: ast.stmt) -> ast.AST | None:
    for node in own_nodes(stmt):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "clear"
            and not node.args
            and _is_modules(file, node.func.value)
        ):
            return node
    return None


def _loop_key(loop: ast.For | ast.AsyncFor) -> str | None:
    target = loop.target
    if isinstance(target, ast.Tuple) and target.elts:  # for k, v in sys.modules.items()
        target = target.elts[0]
    return target.id if isinstance(target, ast.Name) else None


def _events(
    file: FileContext, scope: Scope, removal_lines: list[int], call_lines: list[int]
) -> tuple[list[Removal], list[ImportEvent]]:
    """The removals from ``sys.modules`` and the imports of one scope, in source order.

    Only the statements that span a line of *removal_lines* (where a removal's
    text is) are searched for removals, and only those that span a line of
    *call_lines* (where an import function's name is) for import calls.
    """
    removals: list[Removal] = []
    imports: list[ImportEvent] = []
    where = {id(stmt): i for i, stmt in enumerate(scope.statements)}
    # id(statement in a loop over sys.modules) -> (loop variable, what its `if` guard admits)
    guarded: dict[int, tuple[str, Matcher]] = {}
    for i, stmt in enumerate(scope.statements):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                imports.append(ImportEvent(i, alias.name, True, alias))
            continue
        if isinstance(stmt, ast.ImportFrom):
            module = file.absolute(record_from_ast(stmt, MODULE_CONTEXT, file.lines))
            if module:
                imports.append(ImportEvent(i, module, True, stmt))
            continue
        if _spans(stmt, removal_lines):
            _removals(file, stmt, i, where, guarded, removals)
        if _spans(stmt, call_lines):
            assigned = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            for node in own_nodes(stmt):
                if not isinstance(node, ast.Call) or has_unpacking(node):
                    continue
                if file.bindings.qualify(node.func) not in IMPORT_MODULE_FUNCTIONS:
                    continue
                name = literal_str(string_arg(node, 0, "name"))
                if name and not name.startswith("."):
                    imports.append(ImportEvent(i, name, node is assigned, node))
    return removals, imports


def _removals(
    file: FileContext,
    stmt: ast.stmt,
    i: int,
    where: dict[int, int],
    guarded: dict[int, tuple[str, Matcher]],
    removals: list[Removal],
) -> None:
    """Add the removals that statement *i* of its scope makes; note the statements
    that a loop over sys.modules guards."""
    key = _loop_key(stmt) if isinstance(stmt, (ast.For, ast.AsyncFor)) else None
    if key is not None and _iterates_modules(file, stmt.iter):  # type: ignore[attr-defined]
        for node in ast.walk(stmt):
            test = _key_predicate(node.test, key) if isinstance(node, ast.If) else None
            if test is None:
                continue
            for inner in (n for s in node.body for n in ast.walk(s)):  # type: ignore[attr-defined]
                if isinstance(inner, ast.stmt) and id(inner) in where:
                    guarded.setdefault(id(inner), (key, test))
    for key_node, node in _removed_key(file, stmt):
        literal = literal_str(key_node)
        if literal is not None:
            removals.append(Removal(i, file.position(node)[0], _equals(literal)))
        elif isinstance(key_node, ast.Name) and guarded.get(id(stmt), ("",))[0] == key_node.id:
            removals.append(Removal(i, file.position(node)[0], guarded[id(stmt)][1]))
    cleared = _clears(file, stmt)
    if cleared is not None:
        removals.append(Removal(i, file.position(cleared)[0], lambda name: True))


class ReimportAfterRemoval(Rule):
    """Removing a module from ``sys.modules`` and importing it again runs it
    again into a *new* module object, while every name bound by the earlier
    import still holds the old one: two copies of its classes (``isinstance``
    fails across them) and of its state. ``importlib.reload(M)`` re-executes
    the module in the same object instead (Python docs, ``sys.modules``).
    A first import after a removal holds nothing stale and is not flagged.
    """

    code = "IPS301"
    message = (
        "{module!r} was removed from sys.modules at line {removed} while the import at line {earlier} "
        "still holds it: this import makes a second module object; use importlib.reload({module})"
    )
    sample = {"module": "config", "removed": "15", "earlier": "2"}
    examples = (
        Example(
            bad=(
                "import sys\nimport config\n\n\ndef reset():\n"
                '    del sys.modules["config"]\n    import config\n    return config\n'
            ),
            good="import importlib\nimport config\n\n\ndef reset():\n    return importlib.reload(config)\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        words = _removal_words(file)
        if not file.may_use(SYS, *words) or not file.scopes:
            return
        module_scope = file.scopes[0]
        removal_lines = file.lines_matching(*words)
        call_lines = file.lines_for(IMPORT_MODULE_FUNCTIONS)
        per_scope = {
            id(scope): _events(file, scope, removal_lines, call_lines)
            for scope in file.scopes
            if scope is module_scope or _spans(scope.node, removal_lines)
        }
        module_binders: dict[str, ImportEvent] = {}
        for event in per_scope[id(module_scope)][1]:
            if event.binds:
                module_binders.setdefault(event.module, event)
        for scope in file.scopes:
            removals, imports = per_scope.get(id(scope), ((), ()))
            if not removals:
                continue
            last_import: dict[str, int] = {}
            for event in imports:
                removal = next(
                    (r for r in reversed(removals) if r.index < event.index and r.matches(event.module)), None
                )
                if removal is not None and last_import.get(event.module, -1) < removal.index:
                    earlier = next(
                        (
                            e
                            for e in imports
                            if e.binds and e.module == event.module and e.index < removal.index
                        ),
                        None if scope is module_scope else module_binders.get(event.module),
                    )
                    if earlier is not None:
                        yield self.at(
                            file,
                            event.node,
                            module=event.module,
                            removed=removal.line,
                            earlier=file.position(earlier.node)[0],
                        )
                last_import[event.module] = event.index


def _binds(stmt: ast.stmt, name: str) -> bool:
    """Whether *stmt* itself binds *name* (an assignment, a definition, an import)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name == name
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return any((a.asname or a.name.partition(".")[0]) == name for a in stmt.names)
    return any(
        isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
        for node in own_nodes(stmt)
    )


class StaleNameAfterReload(Rule):
    """``importlib.reload(M)`` re-executes ``M`` in place, but a name bound
    earlier by ``from M import x`` still holds the object from before the
    reload: the code goes on using the old function, class or value. Read
    ``M.x``, or repeat the from-import after the reload.
    """

    code = "IPS302"
    message = (
        "{name!r} still holds the object from before reload({module}) at line {reload_line}; "
        "use {module}.{member} or repeat the from-import"
    )
    sample = {"name": "DEBUG", "module": "settings", "reload_line": "22", "member": "DEBUG"}
    examples = (
        Example(
            bad=(
                "from importlib import reload\n\nimport settings\nfrom settings import DEBUG\n\n"
                "reload(settings)\nprint(DEBUG)\n"
            ),
            good=(
                "from importlib import reload\n\nimport settings\n\n"
                "reload(settings)\nprint(settings.DEBUG)\n"
            ),
        ),
    )

    def _from_imports(self, file: FileContext, scope: Scope, module: str) -> Iterator[tuple[int, str, str]]:
        """(index, bound name, member) of the from-imports of *module* in *scope*."""
        for i, stmt in enumerate(scope.statements):
            if isinstance(stmt, ast.ImportFrom):
                record = record_from_ast(stmt, MODULE_CONTEXT, file.lines)
                if file.absolute(record) == module:
                    for n in record.names:
                        if n.name != "*":
                            yield i, n.asname or n.name, n.name

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not file.may_use(RELOAD_MODULES, RELOAD_WORD) or not file.scopes:
            return
        module_scope = file.scopes[0]
        reload_lines = file.lines_for(RELOAD_FUNCTIONS)
        for scope in file.scopes:
            if scope is not module_scope and not _spans(scope.node, reload_lines):
                continue
            for i, stmt in enumerate(scope.statements):
                if not _spans(stmt, reload_lines):
                    continue
                for node in own_nodes(stmt):
                    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
                        continue
                    if file.bindings.qualify(node.func) not in RELOAD_FUNCTIONS:
                        continue
                    module = file.bindings.qualify(node.args[0])
                    if module is None:
                        continue
                    yield from self._stale_uses(file, scope, module_scope, i, module, node)

    def _stale_uses(
        self, file: FileContext, scope: Scope, module_scope: Scope, at: int, module: str, reload: ast.Call
    ) -> Iterator[Finding]:
        names = {(bound, member) for j, bound, member in self._from_imports(file, scope, module) if j < at}
        if scope is not module_scope:
            local = {b for s in scope.statements for b in _local_names(s)}
            names |= {
                (bound, member)
                for _, bound, member in self._from_imports(file, module_scope, module)
                if bound not in local
            }
        line = file.position(reload)[0]
        for bound, member in sorted(names):
            for stmt in scope.statements[at + 1:]:
                use = next(
                    (
                        n
                        for n in own_nodes(stmt)
                        if isinstance(n, ast.Name) and n.id == bound and isinstance(n.ctx, ast.Load)
                    ),
                    None,
                )
                if use is not None:
                    yield self.at(file, use, name=bound, module=module, reload_line=line, member=member)
                    break
                if _binds(stmt, bound):
                    break


def _local_names(stmt: ast.stmt) -> Iterator[str]:
    """Names a function statement binds locally (so a module-level name is not what it reads)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.name
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        yield from ((a.asname or a.name.partition(".")[0]) for a in stmt.names)
    for node in own_nodes(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
