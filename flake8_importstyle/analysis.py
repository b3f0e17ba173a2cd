"""Static facts about one file that the import-system rules share.

Everything here reads flake8's ``ast`` tree; nothing is imported or run.
The work is done only for files that can hold a finding: each rule first
checks what the file imports (from the records) and a word in its text, and
walks the tree only when both are there.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from flake8_importstyle.records import ImportRecord


def removal_words(*names: str) -> tuple[re.Pattern[str], ...]:
    """How a removal from sys.modules (bound as *names*) reads: ``del sys.modules[``,
    ``modules.pop(``, ``modules.clear(``."""
    alternatives = "|".join(sorted(re.escape(n) for n in names))
    return (
        re.compile(rf"del(?<!\wdel)\s+(?:[\w.]+\.)?(?:{alternatives})\s*\["),
        *(re.compile(rf"{re.escape(n)}(?<!\w{re.escape(n)})\s*\.\s*(?:pop|clear)(?!\w)") for n in names),
    )


def search_any(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) is not None for p in patterns)


#: Builtins the rules care about, by the name a file uses for them.
BUILTINS = {"__import__": "builtins.__import__", "__builtins__": "builtins", "setattr": "builtins.setattr"}

_SCOPE_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def quiet_parse(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """``ast.parse`` without Python's SyntaxWarnings (invalid escapes, ...): they would land
    on the user's terminal for code the user did not ask about, or twice for code flake8 checks."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename, mode)


def _binds(node: ast.AST, names: set[str]) -> None:
    """Add the name *node* binds, if it binds one other than by an import."""
    if isinstance(node, ast.Name):
        if not isinstance(node.ctx, ast.Load):
            names.add(node.id)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(node.name)
    elif isinstance(node, ast.arg):
        names.add(node.arg)
    elif isinstance(node, ast.ExceptHandler):
        if node.name:
            names.add(node.name)
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
        if node.name:
            names.add(node.name)
    elif isinstance(node, ast.MatchMapping) and node.rest:
        names.add(node.rest)


def bound_names(tree: ast.AST) -> set[str]:
    """Every name the file binds other than by an import statement."""
    names: set[str] = set()
    for node in ast.walk(tree):
        _binds(node, names)
    return names


class Bindings:
    """What the file's names refer to, where the file says so unambiguously.

    A name bound by imports of one target only, and by nothing else in the
    file, qualifies to that target (``_sys`` -> ``sys``, ``im`` ->
    ``importlib.import_module``); a builtin the file never rebinds qualifies to
    ``builtins.<name>``. Anything else is unknown, and the rules stay silent.

    Whether the file binds a name other than by imports is asked of
    *rebound*, and only for the names a rule looks up: the lint path answers
    from the statements on the lines where the name appears
    (:meth:`FileContext.rebound <flake8_importstyle.rules.base.FileContext.rebound>`),
    not from a walk of the whole tree.
    """

    def __init__(self, targets: dict[str, set[str]], rebound: Callable[[str], bool]) -> None:
        self._targets = targets
        self._rebound = rebound
        self._known: dict[str, str | None] = {}

    @classmethod
    def of(cls, records: list[ImportRecord], rebound: Callable[[str], bool]) -> Bindings:
        """*rebound*: whether the file binds a name other than by imports."""
        targets: dict[str, set[str]] = {}
        for record in records:
            for name in record.names:
                if name.name == "*":
                    continue
                if not record.is_from:
                    target = name.name if name.asname else name.bound
                elif record.level:
                    target = "?"  # relative: not one of the modules the rules know
                else:
                    target = f"{record.module}.{name.name}"
                targets.setdefault(name.asname or name.bound, set()).add(target)
        return cls(targets, rebound)

    def get(self, name: str) -> str | None:
        """The dotted target *name* holds, or None when it is not known for sure."""
        try:
            return self._known[name]
        except KeyError:
            pass
        found = self._targets.get(name)
        if found is None:
            target = BUILTINS.get(name)
        else:
            target = next(iter(found)) if len(found) == 1 else None
            if target == "?":
                target = None
        if target is not None and self._rebound(name):
            target = None
        self._known[name] = target
        return target

    def names_for(self, targets: Collection[str]) -> set[str]:
        """The names the imports bind to one of *targets* exactly (``im`` for
        ``from importlib import import_module as im``)."""
        wanted = set(targets)
        return {name for name, found in self._targets.items() if found & wanted}

    def qualify(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to (``_sys.modules`` -> ``sys.modules``)."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.get(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])


#: f-strings: before 3.12 the positions of the expressions inside them cannot be trusted.
_UNTRUSTED_POSITIONS: tuple[type[ast.AST], ...] = (ast.JoinedStr,) if sys.version_info < (3, 12) else ()


def nodes_on_lines(tree: ast.AST, lines: Collection[int]) -> list[ast.AST]:
    """Every node of *tree* whose source spans one of *lines*, and the nodes
    without a position under them (``arguments``, ``comprehension``, ...).

    A node whose text holds a word spans that word's line, so this finds
    every node a word can stand for while it reads only the statements on
    those lines (found by bisection), not the whole tree. A decorated
    definition spans its decorators. Nodes come in no particular order, each
    once.
    """
    wanted = sorted(set(lines))
    if not wanted:
        return []
    found: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, _UNTRUSTED_POSITIONS):
            found.extend(n for n in ast.walk(node) if n is not node)
            continue
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    stack.extend(spanning(value, wanted))
                    continue
                children = value
            elif isinstance(value, ast.AST):
                children = [value]
            else:
                continue
            stack.extend(child for child in children if isinstance(child, ast.AST) and spans(child, wanted))
    return found


def spans(node: ast.AST, wanted: list[int]) -> bool:
    """Whether *node*'s source (a definition's decorators included) spans one of
    the sorted *wanted* lines; a node without a position spans them all."""
    end = getattr(node, "end_lineno", None)
    if end is None or getattr(node, "lineno", None) is None:
        return True
    i = bisect_left(wanted, _start(node))
    return i < len(wanted) and wanted[i] <= end


def _start(node: Any) -> int:
    """The first line of a statement or expression, a definition's decorators included."""
    line = int(node.lineno)
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        return min(line, *(int(d.lineno) for d in decorators))
    return line


def _end(stmt: ast.stmt) -> int:
    return stmt.end_lineno or stmt.lineno


def spanning(statements: list[ast.stmt], wanted: list[int]) -> Iterator[ast.stmt]:
    """The statements of one body that span a line of the sorted *wanted* lines,
    in order: a bisection per line, not a pass over the body (the statements
    of a body follow each other without overlap)."""
    if not statements:
        return
    i = bisect_left(wanted, _start(statements[0]))
    last = _end(statements[-1])
    after = 0  # the statements before this index are done
    while i < len(wanted) and wanted[i] <= last:
        line = wanted[i]
        j = bisect_left(statements, line, lo=after, key=_end)
        while j < len(statements) and _start(statements[j]) <= line:
            yield statements[j]
            j += 1
        if j > after:
            after = j
            i = bisect_right(wanted, max(line, _end(statements[j - 1])), lo=i)
        else:
            i += 1


def binds(node: ast.AST, name: str) -> bool:
    """Whether *node* itself binds *name* other than by an import."""
    names: set[str] = set()
    _binds(node, names)
    return name in names


def own_nodes(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The nodes a statement evaluates itself: not its nested statements, nor
    the bodies of the functions and lambdas it defines (they run later)."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                continue
            if isinstance(node, ast.Lambda) and child is node.body:
                continue
            stack.append(child)


class Scope:
    """A module or function body, its statements flattened in source order."""

    __slots__ = ("node", "statements")

    def __init__(self, node: ast.AST, statements: list[ast.stmt]) -> None:
        self.node = node
        self.statements = statements

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, ast.Module)


def nested_bodies(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested in a compound statement of the same scope."""
    if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
        return [stmt.body, stmt.orelse]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [stmt.body]
    if isinstance(stmt, ast.Match):
        return [case.body for case in stmt.cases]
    handlers = getattr(stmt, "handlers", None)
    if handlers is not None:  # Try, TryStar
        bodies: list[list[ast.stmt]] = [stmt.body]  # type: ignore[attr-defined]
        bodies += [h.body for h in handlers]
        return [*bodies, stmt.orelse, stmt.finalbody]  # type: ignore[attr-defined]
    return []


#: One step of a statement's place in its scope: (id of the compound statement,
#: how its branch relates to the others, the branch's number).
Branch = tuple[int, str, int]
#: Branch kinds: alternatives ("x": an ``if``'s body and ``else``, ``match``
#: cases, a ``try`` body and its handlers), a ``try``'s ``else`` ("e": after
#: the body, instead of a handler), and branches that follow each other ("s":
#: loop bodies and their ``else``, ``with`` bodies, ``finally``).
_ALTERNATIVE, _TRY_ELSE, _SEQUENTIAL = "x", "e", "s"


def branches(stmt: ast.stmt) -> list[tuple[str, list[ast.stmt]]]:
    """The bodies a compound statement runs in its own scope, each with its kind."""
    if isinstance(stmt, ast.If):
        return [(_ALTERNATIVE, stmt.body), (_ALTERNATIVE, stmt.orelse)]
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return [(_SEQUENTIAL, stmt.body), (_SEQUENTIAL, stmt.orelse)]
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return [(_SEQUENTIAL, stmt.body)]
    if isinstance(stmt, ast.Match):
        return [(_ALTERNATIVE, case.body) for case in stmt.cases]
    handlers = getattr(stmt, "handlers", None)
    if handlers is not None:  # Try, TryStar
        out = [(_ALTERNATIVE, stmt.body)]  # type: ignore[attr-defined]
        out += [(_ALTERNATIVE, h.body) for h in handlers]
        return [*out, (_TRY_ELSE, stmt.orelse), (_SEQUENTIAL, stmt.finalbody)]  # type: ignore[attr-defined]
    return []


def block_paths(scope: Scope) -> dict[int, tuple[Branch, ...]]:
    """id(statement) -> the branches that hold it, outermost first, for every
    statement of *scope* (:func:`exclusive` compares two of them)."""
    paths: dict[int, tuple[Branch, ...]] = {}
    stack: list[tuple[list[ast.stmt], tuple[Branch, ...]]] = [(getattr(scope.node, "body", []), ())]
    while stack:
        body, path = stack.pop()
        for stmt in body:
            paths[id(stmt)] = path
            if isinstance(stmt, _SCOPE_STATEMENTS):
                continue
            for number, (kind, inner) in enumerate(branches(stmt)):
                if inner:
                    stack.append((inner, (*path, (id(stmt), kind, number))))
    return paths


def exclusive(a: tuple[Branch, ...], b: tuple[Branch, ...]) -> bool:
    """Whether no run goes through the statements at paths *a* and *b* one after
    the other (loops aside): they sit in alternative branches of one statement,
    an ``if`` and its ``else``, two ``match`` cases, a ``try`` body (or its
    ``else``) and a handler. A ``try`` body and its handlers count as
    alternatives: a handler runs only if the body failed."""
    for (stmt_a, kind_a, number_a), (stmt_b, kind_b, number_b) in zip(a, b):
        if stmt_a != stmt_b:
            return False  # two statements of one block: one runs after the other
        if number_a != number_b:
            if _SEQUENTIAL in (kind_a, kind_b):
                return False
            if _TRY_ELSE in (kind_a, kind_b):  # the else follows the body (branch 0), not a handler
                return min(number_a, number_b) != 0
            return True
    return False


def scopes(tree: ast.AST) -> list[Scope]:
    """The module body and every function (and class) body, each one flattened."""
    out: list[Scope] = []
    todo: list[ast.AST] = [tree]
    while todo:
        owner = todo.pop()
        flat: list[ast.stmt] = []
        stack = [iter(getattr(owner, "body", []))]
        while stack:
            for stmt in stack[-1]:
                flat.append(stmt)
                if isinstance(stmt, _SCOPE_STATEMENTS):
                    todo.append(stmt)
                    continue
                nested = [s for body in nested_bodies(stmt) for s in body]
                if nested:
                    stack.append(iter(nested))
                    break
            else:
                stack.pop()
        out.append(Scope(owner, flat))
    return out


def string_arg(call: ast.Call, position: int, keyword: str | None = None) -> ast.expr | None:
    """The argument at *position* (or passed as *keyword*); None if absent or unknowable."""
    if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return None
    if len(call.args) > position:
        return call.args[position]
    for kw in call.keywords:
        if kw.arg is not None and kw.arg == keyword:
            return kw.value
    return None


def has_unpacking(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for an attribute chain on a name; None for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def dunder_all(tree: ast.AST) -> set[str] | None:
    """The names ``__all__`` lists (empty: there is none); None when it is computed."""
    names: set[str] = set()
    for stmt in ast.walk(tree):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
            targets, value = [stmt.target], stmt.value
        elif (
            isinstance(stmt, ast.Call)
            and isinstance(stmt.func, ast.Attribute)
            and dotted_name(stmt.func.value) == "__all__"
        ):
            for arg in stmt.args:
                if not isinstance(arg, (ast.Constant, ast.List, ast.Tuple)):
                    return None
                names |= {
                    n.value for n in ast.walk(arg) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                }
            continue
        if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        if not isinstance(value, (ast.List, ast.Tuple, ast.Set)) or not all(
            isinstance(e, ast.Constant) for e in value.elts
        ):
            return None
        names |= {e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return names
