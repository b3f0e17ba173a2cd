"""Static facts about one file that the import-system rules share.

Everything here reads flake8's ``ast`` tree; nothing is imported or run.
The work is done only for files that can hold a finding: each rule first
checks what the file imports (from the records) and a word in its text, and
walks the tree only when both are there.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from flake8_importstyle.records import ImportRecord

#: Words without which a rule cannot fire in a file.
IMPORT_CALL_WORD = re.compile(r"__import__\s*\(")
IMPORT_REPLACEMENT_WORD = re.compile(
    r"__import__\s*[-+*/|&^%@]?=(?!=)|\[\s*['\"]__import__['\"]\s*\]\s*=(?!=)|\bsetattr\s*\("
)
IMPORT_MODULE_WORD = re.compile(r"\bimport_module\b")
REMOVED_API_WORD = re.compile(
    r"\b(?:find_loader|get_loader|set_package|set_loader|module_for_loader|Finder|ImpImporter|ImpLoader)\b"
)


def removal_word(*names: str) -> re.Pattern[str]:
    """How a removal from sys.modules (bound as *names*) reads: ``del sys.modules[``,
    ``modules.pop(``, ``modules.clear(``."""
    alternatives = "|".join(sorted(re.escape(n) for n in names))
    return re.compile(
        rf"\bdel\s+(?:[\w.]+\.)?(?:{alternatives})\s*\[|\b(?:{alternatives})\s*\.\s*(?:pop|clear)\b"
    )


MODULES_REMOVAL_WORD = removal_word("modules")
RELOAD_WORD = re.compile(r"\breload\b")

#: Builtins the rules care about, by the name a file uses for them.
BUILTINS = {"__import__": "builtins.__import__", "__builtins__": "builtins", "setattr": "builtins.setattr"}

_SCOPE_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _target_names(target: ast.AST) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name):
            yield node.id


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


@dataclass
class Bindings:
    """What the file's names refer to, where the file says so unambiguously.

    A name bound by imports of one target only, and by nothing else in the
    file, qualifies to that target (``_sys`` -> ``sys``, ``im`` ->
    ``importlib.import_module``); a builtin the file never rebinds qualifies to
    ``builtins.<name>``. Anything else is unknown, and the rules stay silent.
    """

    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, records: list[ImportRecord], rebound: set[str]) -> Bindings:
        """*rebound*: the names the file binds other than by imports (:func:`bound_names`)."""
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
        names = {n: t.pop() for n, t in targets.items() if len(t) == 1 and n not in rebound}
        for builtin, qualified in BUILTINS.items():
            if builtin not in rebound and builtin not in targets:
                names[builtin] = qualified
        return cls({n: t for n, t in names.items() if t != "?"})

    def qualify(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to (``_sys.modules`` -> ``sys.modules``)."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.names.get(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])


@dataclass
class NodeIndex:
    """The nodes of the whole file that the IPS2xx rules look at, from one walk."""

    calls: list[ast.Call] = field(default_factory=list)
    attributes: list[ast.Attribute] = field(default_factory=list)
    #: assignment targets (Assign, AugAssign, AnnAssign)
    targets: list[ast.expr] = field(default_factory=list)
    #: names bound other than by imports (:func:`bound_names`)
    bound: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, tree: ast.AST) -> NodeIndex:
        index = cls()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                index.calls.append(node)
            elif isinstance(node, ast.Attribute):
                index.attributes.append(node)
            elif isinstance(node, ast.Assign):
                index.targets.extend(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                index.targets.append(node.target)
            else:
                _binds(node, index.bound)
        return index


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


@dataclass
class Scope:
    """A module or function body, its statements flattened in source order."""

    node: ast.AST
    statements: list[ast.stmt]

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


def literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
