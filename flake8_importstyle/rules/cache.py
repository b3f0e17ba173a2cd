"""The module cache: IPS301 (a second module object) and IPS302 (stale names after reload)."""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from flake8_importstyle.analysis import (
    Branch,
    Scope,
    block_paths,
    exclusive,
    has_unpacking,
    literal_str,
    own_nodes,
    removal_words,
    spans,
    string_arg,
)
from flake8_importstyle import resolve
from flake8_importstyle.classify import record_from_ast
from flake8_importstyle.records import MODULE_CONTEXT
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule
from flake8_importstyle.text import word

RELOAD_FUNCTIONS = frozenset({"importlib.reload", "imp.reload"})
MODULES_REMOVAL_WORDS = removal_words("modules")
RELOAD_WORD = word("reload")
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

    def __and__(self, other: object) -> Keys:
        """The keys both admit: ``k.startswith("a.")`` and, inside it, ``k == "a.x"`` admit ``a.x``."""
        if not isinstance(other, Keys):
            return NotImplemented
        if self.everything or other.everything:
            return other if self.everything else self
        exact = {k for k in self.exact if other.admits(k)} | {k for k in other.exact if self.admits(k)}
        prefixes = {
            longer
            for p in self.prefixes
            for q in other.prefixes
            for shorter, longer in ((p, q), (q, p))
            if longer.startswith(shorter)
        }
        return Keys(frozenset(exact), frozenset(prefixes))

    def admits(self, key: str) -> bool:
        return self.everything or key in self.exact or any(key.startswith(p) for p in self.prefixes)


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

    def last_before(self, stmt: int, module: str, order: _Order) -> Removal | None:
        """The last removal in a statement before statement *stmt* that takes *module*
        out and can run before it (not in an alternative branch)."""
        candidates = [self._everything, self._exact.get(module, ())]
        if self._prefixes:
            candidates += [self._prefixes.get(module[:n], ()) for n in range(len(module) + 1)]
        best: Removal | None = None
        for removals in candidates:
            i = bisect_left(removals, stmt, key=_stmt) - 1
            for removal in removals[max(0, i - LOOK_BACK) : i + 1][::-1]:  # noqa: E203
                if not order.exclusive(removal.stmt, stmt):
                    if best is None or removal.order > best.order:
                        best = removal
                    break
        return best


#: How many alternative-branch events a look back skips before it gives up (and
#: stays silent): an if/elif chain with an import in each branch costs no more.
LOOK_BACK = 64


class _Order:
    """Which statements of one scope cannot follow each other (:func:`exclusive`);
    the block paths are worked out on the first question, which only a candidate
    finding asks."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._paths: dict[int, tuple[Branch, ...]] | None = None

    def exclusive(self, i: int, j: int) -> bool:
        """Whether statements *i* and *j* of the scope sit in alternative branches."""
        if i == j:
            return False
        if self._paths is None:
            self._paths = block_paths(self.scope)
        statements = self.scope.statements
        return exclusive(self._paths[id(statements[i])], self._paths[id(statements[j])])


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
                    # nested guards: the statement removes only what every one of them admits
                    outer = guarded.get(id(inner))
                    guarded[id(inner)] = (key, test & outer[1] if outer and outer[0] == key else test)
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


_UNLOAD_EXTRAS = """\
import sys

from plugins.core import run


def unload_extras(fresh):
    for name in list(sys.modules):
        if name.startswith("plugins."):
            if name == "plugins.extras":
                del sys.modules[name]
    if fresh:
        del sys.modules["plugins.core"]
    else:
        from plugins.core import run
    return run
"""


class ReimportAfterRemoval(Rule):
    """Removing a module from ``sys.modules`` and importing it again runs it
    again into a *new* module object, while every name bound by the earlier
    import still holds the old one: two copies of its classes (``isinstance``
    fails across them) and of its state. ``importlib.reload(M)`` re-executes
    the module in the same object instead (Python docs, ``sys.modules``).
    A first import after a removal holds nothing stale and is not flagged.

    The rule follows one scope at a time (the module body or one function),
    statements nested in ``if``, ``for``, ``while``, ``try``, ``with`` and
    ``match`` included. A removal and an import in alternative branches (an
    ``if`` and its ``else``, two ``match`` cases, a ``try`` body or its
    ``else`` and a handler, two handlers) never run one after the other; a
    ``try``'s ``else`` and ``finally``, a loop's ``else`` and what follows a
    block do. A loop over ``sys.modules`` (or a copy) removes the keys its
    ``if k.startswith("...")`` / ``if k == "..."`` guards admit, all of
    them when guards are nested.
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
            "One scope at a time: a removal in one function and the import in another function, or in "
            "another module, is not seen. Branches are followed; a loop body is followed once, not round "
            "to its next iteration."
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
        Example(
            bad=_UNLOAD_EXTRAS,
            good=_UNLOAD_EXTRAS,
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
            order = _Order(scope)
            binders: dict[str, list[ImportEvent]] = {}
            for event in imports:
                if event.binds:
                    binders.setdefault(event.module, []).append(event)
            seen: dict[str, list[int]] = {}  # module -> the statements that imported it so far
            for event in imports:
                removal = removed.last_before(event.stmt, event.module, order)
                before = seen.setdefault(event.module, [])
                if removal is not None and not _imported_since(before, removal.stmt, event.stmt, order):
                    earlier = _holder(binders.get(event.module, []), removal.stmt, event.stmt, order)
                    if earlier is None and scope is not module_scope:
                        earlier = module_binders.get(event.module)
                    if earlier is not None:
                        yield self.at(
                            file,
                            event.node,
                            module=event.module,
                            removed=removal.line,
                            earlier=file.position(earlier.node)[0],
                        )
                before.append(event.stmt)


def _imported_since(before: list[int], removed: int, at: int, order: _Order) -> bool:
    """Whether an import of the module in one of the statements *before* ran after
    the removal in statement *removed* and before statement *at*: then that one
    made the new module object, and this import finds it."""
    for looked, stmt in enumerate(reversed(before)):
        if stmt < removed:
            return False
        if looked >= LOOK_BACK or not order.exclusive(stmt, at):
            return True
    return False


def _holder(binders: list[ImportEvent], removed: int, at: int, order: _Order) -> ImportEvent | None:
    """The first import before the removal in statement *removed* that binds the
    module and can run before both the removal and the import at *at*."""
    for looked, event in enumerate(binders):
        if event.stmt >= removed or looked >= LOOK_BACK:
            return None
        if not order.exclusive(event.stmt, removed) and not order.exclusive(event.stmt, at):
            return event
    return None


class StaleNameAfterReload(Rule):
    """``importlib.reload(M)`` re-executes ``M`` in place, but a name bound
    earlier by ``from M import x`` still holds the object from before the
    reload: the code goes on using the old function, class or value. Read
    ``M.x``, or repeat the from-import after the reload.

    The rule follows the scope that reloads (the module body or one function)
    from the reload on, through ``if``/``else``, ``try``/``except``/``else``/``finally``,
    loops, ``with`` and ``match``: the name is stale on every path that does
    not bind it again, and the finding is its first stale read on a path (so a
    ``# noqa`` there silences it). A branch that never runs after the reload
    (the ``else`` of the reload's ``if``, a handler of its ``try``) holds no
    stale read. Not reads of the name: a comprehension's own variable, an annotation that is
    never evaluated (a function's local ones, and all of them under ``from
    __future__ import annotations``), the body of a function or lambda (it
    runs later). A from-imported submodule (``from xml import etree`` before
    ``reload(xml)``) is not stale: the reload of its package leaves
    ``sys.modules["xml.etree"]`` in place.
    """

    code = "IPS302"
    name = "stale-name-after-reload"
    fix = "unsafe"
    unsafe_because = "the reads after the reload see the reloaded module's objects"
    fix_note = (
        "With ``--unsafe-fixes``, every stale read ``x`` in the scope that reloads becomes ``M.x``, "
        "``M`` spelled as the reload's argument, and ``from M import x`` goes when nothing else reads "
        "``x``. Any read meant to keep the old object changes too; read the diff. Refused, with the "
        "reason: ``M`` not bound to the module at a read (rebound, shadowed by a comprehension's "
        "variable), ``x`` written in its scope or declared ``global``, ``x`` also read in a function or "
        "class inside the reloading scope, which the reload's flow does not follow."
    )
    limitations = (
        (
            "One scope at a time, along its branches (a function also sees the module's from-imports); a "
            "reload in another function or module is not seen, nor a class body after a module-level "
            "reload, and a loop body is followed once."
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
            fixed=(
                "from importlib import reload\n\nimport settings\n\n"
                "reload(settings)\nprint(settings.DEBUG)\n"
            ),
        ),
        Example(
            bad=(
                "from importlib import reload\n\nimport settings\nfrom settings import DEBUG\n\n"
                "if settings.STALE:\n    reload(settings)\n    from settings import DEBUG\nelse:\n"
                "    print(DEBUG)\nflags = [DEBUG for DEBUG in (True, False)]\nprint(DEBUG)\n"
            ),
            good=(
                "from importlib import reload\n\nimport settings\nfrom settings import DEBUG\n\n"
                "if settings.STALE:\n    reload(settings)\n    from settings import DEBUG\nelse:\n"
                "    print(DEBUG)\nflags = [DEBUG for DEBUG in (True, False)]\nprint(DEBUG)\n"
            ),
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for use, (module, member, line, _), _ in self.stale_reads(file):
            yield self.at(file, use, name=use.id, module=module, reload_line=line, member=member)

    def stale_reads(
        self, file: FileContext, every: bool = False
    ) -> Iterator[tuple[ast.Name, Stale, ast.AST]]:
        """The stale reads (the first on each path, or *every* one: the fixer's), each
        with what it holds and the node of the scope that reloads."""
        if not file.may_use(RELOAD_MODULES, RELOAD_WORD) or not file.scopes:
            return
        module_scope = file.scopes[0]
        reload_lines = file.lines_for(RELOAD_FUNCTIONS)
        facts = _ScopeFacts(file)
        future = any(r.is_future and any(n.name == "annotations" for n in r.names) for r in file.records)
        for scope in file.scopes:
            if scope is not module_scope and not spans(scope.node, reload_lines):
                continue
            reloads = self._reloads(file, scope, module_scope, reload_lines, facts)
            if not reloads:
                continue
            in_function = isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef))
            flow = _StaleFlow(reloads, reload_lines, future, future or in_function, every)
            flow.block(getattr(scope.node, "body", []), {})
            for use, stale in flow.stale_reads:
                if not facts.holds_module(stale[0], stale[1]):
                    yield use, stale, scope.node

    @staticmethod
    def _reloads(
        file: FileContext, scope: Scope, module_scope: Scope, reload_lines: list[int], facts: _ScopeFacts
    ) -> dict[int, list[State]]:
        """The names each statement of *scope* leaves stale by the reloads it makes, by the statement's id."""
        order = _Order(scope)
        reloads: dict[int, list[State]] = {}
        for i, stmt in enumerate(scope.statements):
            if not spans(stmt, reload_lines):
                continue
            for node in sorted((n for n in own_nodes(stmt) if isinstance(n, ast.Call)), key=_position):
                if len(node.args) != 1 or node.keywords:
                    continue
                if file.bindings.qualify(node.func) not in RELOAD_FUNCTIONS:
                    continue
                module = file.bindings.qualify(node.args[0])
                if module is None:
                    continue
                names = facts.stale_names(scope, module_scope, i, module, order)
                if names:
                    line = file.position(node)[0]
                    spelled = ast.unparse(node.args[0])
                    reloads.setdefault(id(stmt), []).append(
                        {bound: (module, member, line, spelled) for bound, member in names}
                    )
        return reloads


#: What a stale name holds: the reloaded module, the member, the line of the reload and
#: the reload's argument as written.
Stale = tuple[str, str, int, str]
#: The names stale at a point of the flow. Never changed in place: a statement that
#: changes nothing hands on the same dict, so joins of untouched branches cost nothing.
State = dict[str, Stale]


def _join(*states: State | None) -> State | None:
    """The names stale on at least one of the paths that meet (None: no path gets here)."""
    live = [state for state in states if state is not None]
    if not live:
        return None
    full = [state for state in live if state]
    if not full:
        return live[0]
    first = full[0]
    if all(state is first for state in full):
        return first
    merged: State = {}
    for state in full:
        for name, stale in state.items():
            merged.setdefault(name, stale)
    return merged


def _without(state: State, names: Iterable[str]) -> State:
    gone = {name for name in names if name in state}
    return {k: v for k, v in state.items() if k not in gone} if gone else state


class _StaleFlow:
    """One pass over a scope's blocks in the order they run: which names are stale
    where, and the first stale read of each on each path.

    Statements before the first reload, and any statement while nothing is
    stale that holds no reload, are skipped without reading their
    expressions. Loops run once: a read before the reload in a loop body is not
    followed round to the next iteration.
    """

    def __init__(
        self,
        reloads: dict[int, list[State]],
        reload_lines: list[int],
        lazy_signatures: bool,
        lazy_locals: bool,
        every: bool = False,
    ) -> None:
        self.reloads = reloads
        #: record every stale read, not only the first on each path
        self.every = every
        self.reload_lines = reload_lines
        self.lazy_signatures = lazy_signatures
        self.lazy_locals = lazy_locals
        self.stale_reads: list[tuple[ast.Name, Stale]] = []
        self._breaks: list[list[State | None]] = []
        self._continues: list[list[State | None]] = []

    def block(self, body: list[ast.stmt], state: State | None) -> State | None:
        for stmt in body:
            if state is None:
                return None  # after return, raise, break or continue
            if state or spans(stmt, self.reload_lines):
                state = self.statement(stmt, state)
        return state

    def run(self, node: ast.AST, state: State, reloads: Iterable[State] = ()) -> State:
        """Read what *node* reads (in source order), reload, and bind what it binds."""
        reads, binds = _reads_and_binds(node, self.lazy_signatures, self.lazy_locals) if state else ([], [])
        first: dict[str, ast.Name] = {}
        for read in reads:
            if read.id in state and (self.every or read.id not in first):
                first.setdefault(read.id, read)
                self.stale_reads.append((read, state[read.id]))
        if not self.every:
            state = _without(state, first)
        for stale in reloads:
            state = {**state, **stale}
        if "*" in binds:
            return {}  # `from m import *` may bind any name again
        return _without(state, binds)

    def statement(self, stmt: ast.stmt, state: State) -> State | None:
        state = self.run(stmt, state, self.reloads.get(id(stmt), ()))
        if isinstance(stmt, (ast.Return, ast.Raise)):
            return None
        if isinstance(stmt, (ast.Break, ast.Continue)):
            exits = self._breaks if isinstance(stmt, ast.Break) else self._continues
            if exits:
                exits[-1].append(state)
            return None
        if isinstance(stmt, ast.If):
            return _join(self.block(stmt.body, state), self.block(stmt.orelse, state))
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            return self.loop(stmt, state)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            return self.block(stmt.body, state)
        if isinstance(stmt, ast.Match):
            cases = [self.case(case, state) for case in stmt.cases]
            return _join(state, *cases)
        handlers = getattr(stmt, "handlers", None)
        if handlers is not None:
            return self.try_(stmt, handlers, state)
        return state

    def case(self, case: ast.match_case, state: State) -> State | None:
        state = self.run(case.pattern, state)
        if case.guard is not None:
            state = self.run(case.guard, state)
        return self.block(case.body, state)

    def loop(self, stmt: ast.For | ast.AsyncFor | ast.While, state: State) -> State | None:
        self._breaks.append([])
        self._continues.append([])
        try:
            body = self.block(stmt.body, state)
        finally:
            breaks, continues = self._breaks.pop(), self._continues.pop()
        test = getattr(stmt, "test", None)
        forever = isinstance(test, ast.Constant) and bool(test.value)  # `while True:` ends by break only
        done = None if forever else self.block(stmt.orelse, _join(state, body, *continues))
        return _join(done, *breaks)

    def try_(self, stmt: ast.stmt, handlers: list[ast.ExceptHandler], state: State) -> State | None:
        body = self.block(stmt.body, state)  # type: ignore[attr-defined]
        outs = [self.block(stmt.orelse, body)]  # type: ignore[attr-defined]
        for handler in handlers:  # a handler runs instead of the body: it starts where the body did
            entry = self.run(handler.type, state) if handler.type is not None else state
            outs.append(self.block(handler.body, _without(entry, [handler.name] if handler.name else [])))
        normal = _join(*outs)
        if not stmt.finalbody:  # type: ignore[attr-defined]
            return normal
        final = self.block(stmt.finalbody, _join(normal, state) or {})  # type: ignore[attr-defined]
        return final if normal is not None else None


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: Children a statement does not run itself: its nested statements, handlers and cases.
_NOT_OWN = (ast.stmt, ast.excepthandler, ast.match_case)


def _reads_and_binds(
    root: ast.AST, lazy_signatures: bool, lazy_locals: bool
) -> tuple[list[ast.Name], list[str]]:
    """The names *root* reads when it runs (in source order) and the names it binds,
    in the scope it runs in. Not its nested statements, handlers or ``match``
    cases; not the bodies of the lambdas it makes, a comprehension's own
    variables, nor the annotations that are never evaluated: those of
    signatures when *lazy_signatures*, those of variables when *lazy_locals*."""
    reads: list[ast.Name] = []
    binds: list[str] = []
    if isinstance(root, (ast.Import, ast.ImportFrom)):
        return reads, [alias.asname or alias.name.partition(".")[0] for alias in root.names]
    if isinstance(root, _DEFINITIONS):
        binds.append(root.name)
    elif isinstance(root, ast.AugAssign) and isinstance(root.target, ast.Name):
        reads.append(root.target)  # `x += 1` reads x first
    stack: list[tuple[ast.AST, frozenset[str]]] = [(root, frozenset())]
    while stack:
        node, local = stack.pop()
        if isinstance(node, ast.Name):
            if node.id in local:
                pass
            elif isinstance(node.ctx, ast.Load):
                reads.append(node)
            else:
                binds.append(node.id)
            continue
        if isinstance(node, _COMPREHENSIONS):
            generators = node.generators
            inner = local | {n.id for g in generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            stack.append((generators[0].iter, local))  # the first iterable is the enclosing scope's
            stack.extend((g.iter, inner) for g in generators[1:])
            stack.extend((test, inner) for g in generators for test in g.ifs)
            parts = (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)
            stack.extend((part, inner) for part in parts)
            continue
        name = getattr(node, "rest" if isinstance(node, ast.MatchMapping) else "name", None)
        if isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping)) and name:
            binds.append(name)
        for field, value in ast.iter_fields(node):
            if _unevaluated(node, field, lazy_signatures, lazy_locals):
                continue
            for child in value if isinstance(value, list) else (value,):
                if isinstance(child, ast.AST) and not isinstance(child, _NOT_OWN):
                    stack.append((child, local))
    reads.sort(key=_position)
    return reads, binds


def _unevaluated(node: ast.AST, field: str, lazy_signatures: bool, lazy_locals: bool) -> bool:
    """Whether the *field* of *node* is not evaluated where *node* runs."""
    if field == "type_params":
        return True  # PEP 695: evaluated lazily
    if isinstance(node, ast.Lambda):
        return field == "body"
    if isinstance(node, ast.arg):
        return field == "annotation" and lazy_signatures
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return field == "returns" and lazy_signatures
    if isinstance(node, ast.AnnAssign):
        # `x: T` without a value binds nothing; a function's variable annotations are never evaluated
        return (field == "annotation" and lazy_locals) or (field == "target" and node.value is None)
    return field == "value" and type(node).__name__ == "TypeAlias"  # `type X = ...`: lazy


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


class _ScopeFacts:
    """What IPS302 asks of a scope, each worked out once per scope in one pass over
    its statements: a file with thousands of reloads stays linear."""

    def __init__(self, file: FileContext) -> None:
        self.file = file
        self._from: dict[int, dict[str, list[tuple[int, str, str]]]] = {}
        self._local: dict[int, set[str]] = {}
        self._modules: dict[str, bool] = {}

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

    def stale_names(
        self, scope: Scope, module_scope: Scope, at: int, module: str, order: _Order
    ) -> list[tuple[str, str]]:
        """(bound name, member) of the from-imports of *module* that a reload in
        statement *at* of *scope* leaves stale: those of the scope that can run
        before it, and in a function the module's that the function does not bind."""
        names = {
            (bound, member)
            for j, bound, member in self.from_imports(scope, module)
            if j < at and not order.exclusive(j, at)
        }
        if scope is not module_scope:
            local = self.local_names(scope)
            names |= {
                (bound, member)
                for _, bound, member in self.from_imports(module_scope, module)
                if bound not in local
            }
        return sorted(names)

    def holds_module(self, module: str, member: str) -> bool:
        """Whether ``from module import member`` binds a module (a submodule the
        reload of *module* leaves in ``sys.modules``); asked only of a finding."""
        dotted = f"{module}.{member}"
        found = self._modules.get(dotted)
        if found is None:
            roots = resolve.search_roots(self.file.filename)
            found = self._modules[dotted] = resolve.is_module(dotted, roots) is True
        return found

    def local_names(self, scope: Scope) -> set[str]:
        """The names a function scope binds locally (so a module-level name is not what it reads)."""
        found = self._local.get(id(scope))
        if found is None:
            found = self._local[id(scope)] = {b for s in scope.statements for b in _local_names(s)}
        return found


def _local_names(stmt: ast.stmt) -> Iterator[str]:
    """Names a function statement binds locally (so a module-level name is not what it reads)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield stmt.name
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        yield from ((a.asname or a.name.partition(".")[0]) for a in stmt.names)
    for node in own_nodes(stmt):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
