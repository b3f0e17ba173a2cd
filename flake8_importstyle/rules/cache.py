"""The module cache: IPS301 (a second module object) and IPS302 (stale names after reload)."""

from __future__ import annotations

import ast
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import NamedTuple

from flake8_importstyle.analysis import (
    MODULES_REMOVAL_WORDS,
    RELOAD_WORD,
    Scope,
    has_unpacking,
    literal_str,
    own_nodes,
    removal_words,
    spans,
    string_arg,
)
from flake8_importstyle.classify import record_from_ast
from flake8_importstyle.records import MODULE_CONTEXT
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule

RELOAD_FUNCTIONS = frozenset({"importlib.reload", "imp.reload"})
SYS = frozenset({"sys"})
RELOAD_MODULES = frozenset({"importlib", "imp"})
IMPORT_MODULE_FUNCTIONS = frozenset(
    {"importlib.import_module", "builtins.__import__", "importlib.__import__"}
)
_COPIES = frozenset({"list", "tuple", "set", "sorted", "frozenset"})


class Keys(NamedTuple):
    """The ``sys.modules`` keys a removal takes out: these names, the names with
    these prefixes, or all of them (``sys.modules.clear()``)."""

    exact: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    everything: bool = False

    def __or__(self, other: object) -> Keys:
        if not isinstance(other, Keys):
            return NotImplemented
        everything = self.everything or other.everything
        return Keys(self.exact | other.exact, self.prefixes | other.prefixes, everything)


EVERYTHING = Keys(everything=True)


class Removal(NamedTuple):
    stmt: int  # the statement's index in its scope
    line: int
    keys: Keys
    order: int  # among the scope's removals


class ImportEvent(NamedTuple):
    stmt: int  # the statement's index in its scope
    module: str
    binds: bool  # an import statement, or an import call whose result is assigned
    node: ast.AST


class _Removals:
    """The removals of one scope, indexed by key, so that finding the last one
    before an import that takes its module out costs a few lookups, not a pass
    over every removal (files that remove thousands of keys stay linear)."""

    def __init__(self, removals: list[Removal]) -> None:
        self._everything: list[Removal] = []
        self._exact: dict[str, list[Removal]] = {}
        self._prefixes: dict[str, list[Removal]] = {}
        for removal in removals:  # in statement order
            keys = removal.keys
            if keys.everything:
                self._everything.append(removal)
            for key in keys.exact:
                self._exact.setdefault(key, []).append(removal)
            for prefix in keys.prefixes:
                self._prefixes.setdefault(prefix, []).append(removal)

    def last_before(self, stmt: int, module: str) -> Removal | None:
        """The last removal in a statement before statement *stmt* that takes *module* out."""
        candidates = [self._everything, self._exact.get(module, ())]
        if self._prefixes:
            candidates += [self._prefixes.get(module[:n], ()) for n in range(len(module) + 1)]
        best: Removal | None = None
        for removals in candidates:
            i = bisect_left(removals, stmt, key=_stmt) - 1
            if i >= 0 and (best is None or removals[i].order > best.order):
                best = removals[i]
        return best


def _stmt(removal: Removal) -> int:
    return removal.stmt


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


def _key_predicate(test: ast.expr, key: str) -> Keys | None:
    """What ``if <test>:`` on loop variable *key* admits, when the test says so plainly."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
        admitted = Keys()
        for alternative in test.values:
            part = _key_predicate(alternative, key)
            if part is None:
                return None
            admitted |= part
        return admitted
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
                return Keys(prefixes=frozenset(p for p in prefixes if p is not None))
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        left, right = test.left, test.comparators[0]
        for a, b in ((left, right), (right, left)):
            value = literal_str(b)
            if isinstance(a, ast.Name) and a.id == key and value is not None:
                return Keys(exact=frozenset({value}))
    return None


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
    guarded: dict[int, tuple[str, Keys]] = {}
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
        if spans(stmt, removal_lines):
            _removals(file, stmt, i, where, guarded, removals)
        if spans(stmt, call_lines):
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
    guarded: dict[int, tuple[str, Keys]],
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
            keys = Keys(exact=frozenset({literal}))
            removals.append(Removal(i, file.position(node)[0], keys, len(removals)))
        elif isinstance(key_node, ast.Name) and guarded.get(id(stmt), ("",))[0] == key_node.id:
            removals.append(Removal(i, file.position(node)[0], guarded[id(stmt)][1], len(removals)))
    cleared = _clears(file, stmt)
    if cleared is not None:
        removals.append(Removal(i, file.position(cleared)[0], EVERYTHING, len(removals)))


class ReimportAfterRemoval(Rule):
    """Removing a module from ``sys.modules`` and importing it again runs it
    again into a *new* module object, while every name bound by the earlier
    import still holds the old one: two copies of its classes (``isinstance``
    fails across them) and of its state. ``importlib.reload(M)`` re-executes
    the module in the same object instead (Python docs, ``sys.modules``).
    A first import after a removal holds nothing stale and is not flagged.
    """

    code = "IPS301"
    name = "reimport-after-removal"
    fix = "never"
    fix_note = (
        "Whether the code wants a fresh module object or the same one run again is the "
        "author's choice."
    )
    limitations = (
        (
            "One scope at a time, in source order: a removal in one function and the import in another "
            "function, or in another module, is not seen."
        ),
        (
            "Removals are ``del``/``pop`` of ``sys.modules`` keys, ``sys.modules.clear()`` and loops "
            "whose ``k.startswith(...)``/``k == ...`` guard names the keys; a removal done by a helper "
            "function is not seen."
        ),
    )
    added = "0.1.0"
    peers = ()
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
            if scope is module_scope or spans(scope.node, removal_lines)
        }
        module_binders: dict[str, ImportEvent] = {}
        for event in per_scope[id(module_scope)][1]:
            if event.binds:
                module_binders.setdefault(event.module, event)
        for scope in file.scopes:
            removals, imports = per_scope.get(id(scope), ([], []))
            if not removals:
                continue
            removed = _Removals(removals)
            first_binder: dict[str, ImportEvent] = {}
            for event in imports:
                if event.binds:
                    first_binder.setdefault(event.module, event)
            last_import: dict[str, int] = {}
            for event in imports:
                removal = removed.last_before(event.stmt, event.module)
                if removal is not None and last_import.get(event.module, -1) < removal.stmt:
                    earlier = first_binder.get(event.module)
                    if earlier is None or earlier.stmt >= removal.stmt:
                        earlier = None if scope is module_scope else module_binders.get(event.module)
                    if earlier is not None:
                        yield self.at(
                            file,
                            event.node,
                            module=event.module,
                            removed=removal.line,
                            earlier=file.position(earlier.node)[0],
                        )
                last_import[event.module] = event.stmt


class StaleNameAfterReload(Rule):
    """``importlib.reload(M)`` re-executes ``M`` in place, but a name bound
    earlier by ``from M import x`` still holds the object from before the
    reload: the code goes on using the old function, class or value. Read
    ``M.x``, or repeat the from-import after the reload.
    """

    code = "IPS302"
    name = "stale-name-after-reload"
    fix = "never"
    fix_note = (
        "Reading ``M.x`` instead changes every later read, including any meant to keep the "
        "old object."
    )
    limitations = (
        (
            "One scope at a time, in source order (a function also sees the module's from-imports); a "
            "reload in another function or module is not seen."
        ),
        "Only the first read of each stale name after a reload is reported.",
    )
    added = "0.1.0"
    peers = ()
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

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not file.may_use(RELOAD_MODULES, RELOAD_WORD) or not file.scopes:
            return
        module_scope = file.scopes[0]
        reload_lines = file.lines_for(RELOAD_FUNCTIONS)
        facts = _ScopeFacts(file)
        for scope in file.scopes:
            if scope is not module_scope and not spans(scope.node, reload_lines):
                continue
            for i, stmt in enumerate(scope.statements):
                if not spans(stmt, reload_lines):
                    continue
                for node in own_nodes(stmt):
                    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
                        continue
                    if file.bindings.qualify(node.func) not in RELOAD_FUNCTIONS:
                        continue
                    module = file.bindings.qualify(node.args[0])
                    if module is None:
                        continue
                    yield from self._stale_uses(file, facts, scope, module_scope, i, module, node)

    def _stale_uses(
        self,
        file: FileContext,
        facts: _ScopeFacts,
        scope: Scope,
        module_scope: Scope,
        at: int,
        module: str,
        reload: ast.Call,
    ) -> Iterator[Finding]:
        names = {(bound, member) for j, bound, member in facts.from_imports(scope, module) if j < at}
        if scope is not module_scope:
            local = facts.local_names(scope)
            names |= {
                (bound, member)
                for _, bound, member in facts.from_imports(module_scope, module)
                if bound not in local
            }
        if not names:
            return
        line = file.position(reload)[0]
        for bound, member in sorted(names):
            use = facts.next_use(scope, bound, at)
            if use is not None:
                yield self.at(file, use, name=bound, module=module, reload_line=line, member=member)


class _ScopeFacts:
    """What IPS302 asks of a scope, each worked out once per scope in one pass over
    its statements: a file with thousands of reloads stays linear."""

    def __init__(self, file: FileContext) -> None:
        self.file = file
        self._from: dict[int, dict[str, list[tuple[int, str, str]]]] = {}
        self._local: dict[int, set[str]] = {}
        self._uses: dict[int, dict[str, list[tuple[int, ast.Name | None]]]] = {}

    def from_imports(self, scope: Scope, module: str) -> list[tuple[int, str, str]]:
        """(statement index, bound name, member) of the from-imports of *module* in *scope*."""
        found = self._from.get(id(scope))
        if found is None:
            found = self._from[id(scope)] = {}
            for i, stmt in enumerate(scope.statements):
                if isinstance(stmt, ast.ImportFrom):
                    record = record_from_ast(stmt, MODULE_CONTEXT, self.file.lines)
                    absolute = self.file.absolute(record)
                    if absolute is not None:
                        found.setdefault(absolute, []).extend(
                            (i, n.asname or n.name, n.name) for n in record.names if n.name != "*"
                        )
        return found.get(module, [])

    def local_names(self, scope: Scope) -> set[str]:
        """The names a function scope binds locally (so a module-level name is not what it reads)."""
        found = self._local.get(id(scope))
        if found is None:
            found = self._local[id(scope)] = {b for s in scope.statements for b in _local_names(s)}
        return found

    def next_use(self, scope: Scope, name: str, at: int) -> ast.Name | None:
        """The first read of *name* in a statement after statement *at*, unless a
        statement before it binds the name again."""
        uses = self._uses.get(id(scope))
        if uses is None:
            uses = self._uses[id(scope)] = _uses_and_bindings(scope)
        events = uses.get(name, [])
        i = bisect_right(events, at, key=_first)
        return events[i][1] if i < len(events) else None


def _first(event: tuple[int, ast.Name | None]) -> int:
    return event[0]


def _uses_and_bindings(scope: Scope) -> dict[str, list[tuple[int, ast.Name | None]]]:
    """For each name, the statements that read it (with its first read there) or
    bind it (None), in order."""
    events: dict[str, list[tuple[int, ast.Name | None]]] = {}
    for i, stmt in enumerate(scope.statements):
        first: dict[str, ast.Name | None] = {}
        for node in own_nodes(stmt):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    if first.get(node.id) is None:
                        first[node.id] = node
                else:
                    first.setdefault(node.id, None)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first.setdefault(stmt.name, None)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                first.setdefault(alias.asname or alias.name.partition(".")[0], None)
        for name, use in first.items():
            events.setdefault(name, []).append((i, use))
    return events


def _local_names(stmt: ast.stmt) -> Iterator[str]:
    """Names a function statement binds locally (so a module-level name is not what it reads)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.name
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        yield from ((a.asname or a.name.partition(".")[0]) for a in stmt.names)
    for node in own_nodes(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
