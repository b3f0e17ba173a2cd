"""Turn import statements into :class:`~flake8_importstyle.records.ImportRecord`.

Two front ends, one result:

* :func:`records_from_ast` reads the ``ast`` tree flake8 has already built.
  It walks statements only, never expressions, and costs next to nothing:
  this is the lint path, and it never imports libcst.
* :class:`ImportClassifier` is a libcst visitor for code that already holds a
  libcst module (the fixer). It yields the same records, positions included;
  ``tests/test_classify.py`` holds the two equal over the whole stdlib.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from flake8_importstyle.analysis import spanning
from flake8_importstyle.records import MODULE_CONTEXT, Context, ImportRecord, Name, Scope
from flake8_importstyle.text import char_col, match_lines, source_text, word

if TYPE_CHECKING:
    import libcst as cst

#: Handlers that make a `try:` body an import guard.
GUARD_EXCEPTIONS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})

_TRY_NODES: tuple[type[ast.stmt], ...] = (ast.Try,)
if hasattr(ast, "TryStar"):  # pragma: no branch - Python 3.11+
    _TRY_NODES += (ast.TryStar,)


# --------------------------------------------------------------------------- ast


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _handler_names(handler: ast.ExceptHandler) -> Iterator[str | None]:
    if handler.type is None:
        yield None
        return
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for t in types:
        if isinstance(t, ast.Name):
            yield t.id
        elif isinstance(t, ast.Attribute):
            yield t.attr


def _guards_import(handlers: Sequence[ast.ExceptHandler]) -> bool:
    return any(
        name is None or name in GUARD_EXCEPTIONS for h in handlers for name in _handler_names(h)
    )


def _context(scope: Scope, type_checking: bool, guarded: bool) -> Context:
    return _CONTEXTS[(scope, type_checking, guarded)]


_CONTEXTS = {
    (scope, tc, guarded): Context(scope, tc, guarded)
    for scope in Scope
    for tc in (False, True)
    for guarded in (False, True)
}
_CONTEXTS[(Scope.MODULE, False, False)] = MODULE_CONTEXT

Bodies = list[tuple[list[ast.stmt], Context]]


def _function(stmt: Any, ctx: Context) -> Bodies:
    return [(stmt.body, _context(Scope.FUNCTION, ctx.type_checking, False))]


def _class(stmt: Any, ctx: Context) -> Bodies:
    return [(stmt.body, _context(Scope.CLASS, ctx.type_checking, ctx.guarded))]


def _if(stmt: Any, ctx: Context) -> Bodies:
    body_ctx = _context(ctx.scope, True, ctx.guarded) if _is_type_checking(stmt.test) else ctx
    return [(stmt.body, body_ctx), (stmt.orelse, ctx)]


def _loop(stmt: Any, ctx: Context) -> Bodies:
    return [(stmt.body, ctx), (stmt.orelse, ctx)]


def _with(stmt: Any, ctx: Context) -> Bodies:
    return [(stmt.body, ctx)]


def _try(stmt: Any, ctx: Context) -> Bodies:
    body_ctx = _context(ctx.scope, ctx.type_checking, True) if _guards_import(stmt.handlers) else ctx
    return [
        (stmt.body, body_ctx),
        *((h.body, ctx) for h in stmt.handlers),
        (stmt.orelse, ctx),
        (stmt.finalbody, ctx),
    ]


def _match(stmt: Any, ctx: Context) -> Bodies:
    return [(case.body, ctx) for case in stmt.cases]


#: The compound statements, and the statement lists they hold, each with its context.
_NESTED: dict[type[ast.stmt], Callable[[Any, Context], Bodies]] = {
    ast.FunctionDef: _function,
    ast.AsyncFunctionDef: _function,
    ast.ClassDef: _class,
    ast.If: _if,
    ast.For: _loop,
    ast.AsyncFor: _loop,
    ast.While: _loop,
    ast.With: _with,
    ast.AsyncWith: _with,
    ast.Match: _match,
}
for _node in _TRY_NODES:
    _NESTED[_node] = _try


def record_from_ast(stmt: ast.Import | ast.ImportFrom, ctx: Context, lines: Sequence[str]) -> ImportRecord:
    """The record of one ``ast`` import statement."""
    names = tuple(
        Name(a.name, a.asname, a.lineno, char_col(lines, a.lineno, a.col_offset))
        for a in stmt.names
    )
    lazy = bool(getattr(stmt, "is_lazy", False))
    common: dict[str, Any] = {
        "names": names,
        "line": stmt.lineno,
        "col": char_col(lines, stmt.lineno, stmt.col_offset),
        "context": ctx,
        "lazy": lazy,
    }
    if isinstance(stmt, ast.Import):
        return ImportRecord(is_from=False, module="", level=0, **common)
    return ImportRecord(is_from=True, module=stmt.module or "", level=stmt.level or 0, **common)


#: The keyword every import statement holds (keywords are ASCII: no Unicode form of it is one).
IMPORT_KEYWORD = word("import")


def records_from_ast(tree: ast.AST, lines: Sequence[str], text: str | None = None) -> list[ImportRecord]:
    """Every import statement of flake8's tree, as records in source order.

    This runs on every file flake8 checks, so it reads as little as it can:
    the lines where the word ``import`` appears (*text*: the file's text with
    ``\\n`` line ends, made from *lines* when not given), then only the
    statements that span those lines, found by bisection, never expressions.
    A function without an import in it costs nothing.
    """
    if text is None:
        text = source_text(lines)
    wanted = match_lines(text, (IMPORT_KEYWORD,))
    records: list[ImportRecord] = []
    body = getattr(tree, "body", None)
    todo: Bodies = [(body, MODULE_CONTEXT)] if isinstance(body, list) and wanted else []
    while todo:
        statements, ctx = todo.pop()
        for stmt in spanning(statements, wanted):
            kind = type(stmt)
            if kind is ast.Import or kind is ast.ImportFrom:
                records.append(record_from_ast(stmt, ctx, lines))  # type: ignore[arg-type]
            else:
                nested = _NESTED.get(kind)
                if nested is not None:
                    todo.extend(nested(stmt, ctx))
    records.sort(key=lambda r: (r.line, r.col))
    return records


# ------------------------------------------------------------------------ libcst


def _make_classifier() -> type[Any]:
    """Build the libcst visitor class; libcst is imported only when it is asked for."""
    import libcst as cst
    from libcst.helpers import get_full_name_for_node
    from libcst.metadata import PositionProvider

    def dotted(node: cst.CSTNode) -> str:
        name = get_full_name_for_node(node)
        if name is None:  # pragma: no cover - the grammar only allows names here
            raise ValueError(f"not a dotted name: {node!r}")
        return name

    def type_checking(test: cst.BaseExpression) -> bool:
        if isinstance(test, cst.Name):
            return test.value == "TYPE_CHECKING"
        return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"

    def handler_names(handler: cst.ExceptHandler | cst.ExceptStarHandler) -> Iterator[str | None]:
        if handler.type is None:
            yield None
            return
        t = handler.type
        for e in [el.value for el in t.elements] if isinstance(t, cst.Tuple) else [t]:
            if isinstance(e, cst.Name):
                yield e.value
            elif isinstance(e, cst.Attribute):
                yield e.attr.value

    class ImportClassifier(cst.CSTVisitor):
        """Collect an :class:`ImportRecord` for each import statement of a module."""

        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            super().__init__()
            self.records: list[ImportRecord] = []
            self._ctx: list[Context] = [MODULE_CONTEXT]
            self._suites: dict[int, Context] = {}

        # -- contexts: a compound statement says which context each suite gets
        def _suite(self, suite: cst.CSTNode | None, ctx: Context) -> None:
            if suite is not None:
                self._suites[id(suite)] = ctx

        def on_visit(self, node: cst.CSTNode) -> bool:
            ctx = self._suites.pop(id(node), None)
            if ctx is not None:
                self._ctx.append(ctx)
                self._suites[-id(node)] = ctx  # remember to pop on leave
            return super().on_visit(node)

        def on_leave(self, original_node: cst.CSTNode) -> None:
            super().on_leave(original_node)
            if self._suites.pop(-id(original_node), None) is not None:
                self._ctx.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            ctx = self._ctx[-1]._replace(scope=Scope.FUNCTION, guarded=False)
            self._suite(node.body, ctx)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self._suite(node.body, self._ctx[-1]._replace(scope=Scope.CLASS))

        def visit_If(self, node: cst.If) -> None:
            if type_checking(node.test):
                self._suite(node.body, self._ctx[-1]._replace(type_checking=True))

        def _visit_try(self, node: cst.Try | cst.TryStar) -> None:
            names = [n for h in node.handlers for n in handler_names(h)]
            if any(n is None or n in GUARD_EXCEPTIONS for n in names):
                self._suite(node.body, self._ctx[-1]._replace(guarded=True))
            for h in node.handlers:
                self._suite(h.body, self._ctx[-1])
            self._suite(node.orelse, self._ctx[-1])
            self._suite(node.finalbody, self._ctx[-1])

        def visit_Try(self, node: cst.Try) -> None:
            self._visit_try(node)

        def visit_TryStar(self, node: cst.TryStar) -> None:
            self._visit_try(node)

        # -- the statements themselves
        def _pos(self, node: cst.CSTNode) -> tuple[int, int]:
            start = self.get_metadata(PositionProvider, node).start
            return start.line, start.column

        def _names(self, names: Sequence[cst.ImportAlias] | cst.ImportStar) -> tuple[Name, ...]:
            if isinstance(names, cst.ImportStar):
                return (Name("*", None, *self._pos(names)),)
            out = []
            for alias in names:
                asname = None
                if alias.asname is not None:
                    asname = dotted(alias.asname.name)
                out.append(Name(dotted(alias.name), asname, *self._pos(alias)))
            return tuple(out)

        def _add(self, node: Any, *, is_from: bool, lazy: bool) -> None:
            line, col = self._pos(node)
            module, level = "", 0
            if is_from:
                module = dotted(node.module) if node.module is not None else ""
                level = len(node.relative)
            self.records.append(
                ImportRecord(
                    is_from=is_from,
                    module=module,
                    level=level,
                    names=self._names(node.names),
                    line=line,
                    col=col,
                    context=self._ctx[-1],
                    lazy=lazy,
                )
            )

        def visit_Import(self, node: cst.Import) -> None:
            self._add(node, is_from=False, lazy=False)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            self._add(node, is_from=True, lazy=False)

        # libcst 1.9 parses PEP 810 into node types that are not Import/ImportFrom.
        def visit_LazyImport(self, node: Any) -> None:
            self._add(node, is_from=False, lazy=True)

        def visit_LazyImportFrom(self, node: Any) -> None:
            self._add(node, is_from=True, lazy=True)

    return ImportClassifier


_classifier: type[Any] | None = None


def import_classifier() -> type[Any]:
    """The libcst visitor class (built on first use, so the lint path never imports libcst)."""
    global _classifier
    if _classifier is None:
        _classifier = _make_classifier()
    return _classifier


def records_from_cst(wrapper: cst.MetadataWrapper) -> list[ImportRecord]:
    """Every import statement of a libcst module, as records in source order."""
    visitor = import_classifier()()
    wrapper.visit(visitor)
    records: list[ImportRecord] = visitor.records
    return records
