"""The fixer: libcst rewrites of what the rules flag, with their usages, that provably keep behaviour.

:func:`fix_source` takes a file's bytes and returns the fixed bytes plus, for
each finding it left alone, the reason. It

1. lints the file on the fast path (``ast``) and stops there when nothing
   fixable is flagged, so most files are never parsed with libcst;
2. parses the *bytes* with libcst and leaves the file alone unless libcst
   reproduces them exactly (so encoding, BOM, newlines and every byte outside
   the rewritten nodes survive);
3. applies one code's rewrites at a time, each planned in two independent
   forms: libcst edits, and the change they must make to the ``ast``;
4. checks every step: the result parses, its ``ast`` without import
   statements equals the original's with the planned renames, and its import
   bindings are the original's with the planned changes. A step that fails
   the check is dropped and reported, never written.

Renames are made only where they are provably complete: no star import, no
``eval``/``exec``/``globals()``/``locals()``/``vars()``, the old name bound
only by imports of the same module, the new name bound and used nowhere in
the file, and neither listed in ``__all__``.
"""

from __future__ import annotations

import ast
import builtins
import io
import re
import tokenize
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from flake8_importstyle.analysis import Bindings, bound_names, literal_str, quiet_parse, string_arg
from flake8_importstyle.config import Config
from flake8_importstyle.records import ImportRecord, Scope
from flake8_importstyle.rules import Finding, check_tree
from flake8_importstyle.text import char_col, source_lines

if TYPE_CHECKING:
    import libcst as cst

#: The codes the fixer rewrites, in the order it applies them.
FIXABLE = ("IPS104", "IPS102", "IPS103", "IPS101", "IPS106", "IPS201", "IPS205")

_CODE_SEP = re.compile(r"[,\s]")
_DYNAMIC_NAMESPACE = frozenset({"eval", "exec", "globals", "locals", "vars"})
_BUILTIN_NAMES = frozenset(dir(builtins))

#: Rounds of all codes until nothing changes (a statement with n flagged aliases takes n rounds).
MAX_ROUNDS = 50


class FixError(Exception):
    """The file cannot be fixed at all (cannot be decoded or parsed); ``str()`` says why."""


@dataclass
class FixResult:
    data: bytes
    changed: bool
    #: findings left alone: (line, col 1-based, code, reason)
    skipped: list[tuple[int, int, str, str]] = field(default_factory=list)


# ------------------------------------------------------------------- reading


def decode(data: bytes) -> tuple[str, str]:
    """The text of a Python file and its encoding, as Python itself reads them."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise FixError(f"cannot decode: {exc}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding


def parse_ast(text: str, filename: str = "<unknown>") -> ast.Module:
    try:
        return quiet_parse(text, filename)  # type: ignore[return-value]
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FixError(f"does not parse: {type(exc).__name__}: {exc}") from None


def noqa_allows(line: str, code: str) -> bool:
    """Whether ``# noqa`` on *line* leaves *code* to be fixed."""
    from flake8.defaults import NOQA_INLINE_REGEXP  # flake8's own `# noqa` syntax

    match = NOQA_INLINE_REGEXP.search(line)
    if match is None:
        return True
    codes = match.group("codes")
    if not codes:
        return False
    listed = {c.upper() for c in _CODE_SEP.split(codes) if c}
    return not any(code.startswith(c) for c in listed)


# --------------------------------------------------------- the plan of a step


@dataclass
class Plan:
    """What one step changes, in libcst terms and in ``ast`` terms."""

    #: libcst node (by identity) -> its replacement (a node, several statements, or removal)
    replace: dict[Any, Any] = field(default_factory=dict)
    #: dotted chain (Load context) -> the chain that replaces it, in the whole file
    renames: dict[str, str] = field(default_factory=dict)
    #: (line, col) of a call -> (the expression that replaces it, the attribute
    #: names after the call that the replacement absorbs: ``("b",)`` for ``__import__("a.b").b``)
    calls: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: import bindings (scope, name, target) added and removed
    added: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    #: `import importlib` must be added at module level
    add_importlib: bool = False

    def __bool__(self) -> bool:
        return bool(self.replace or self.calls)


class Refused(Exception):
    """One finding cannot be fixed safely; ``str()`` is the reason."""


# ---------------------------------------------------------- ast-side checks


def _scope_key(stack: Sequence[str]) -> str:
    return ".".join(stack)


def import_bindings(tree: ast.AST) -> Counter[tuple[str, str, str]]:
    """(scope, bound name, what it refers to) for every import statement of *tree*."""
    out: Counter[tuple[str, str, str]] = Counter()

    def visit(node: ast.AST, stack: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, [*stack, child.name])
            elif isinstance(child, ast.Import):
                for a in child.names:
                    bound = a.asname or a.name.partition(".")[0]
                    out[(_scope_key(stack), bound, a.name if a.asname else bound)] += 1
            elif isinstance(child, ast.ImportFrom):
                module = "." * (child.level or 0) + (child.module or "")
                for a in child.names:
                    out[(_scope_key(stack), a.asname or a.name, f"{module}:{a.name}")] += 1
            else:
                visit(child, stack)

    visit(tree, [])
    return out


def _normalise_target(target: str) -> str:
    """``os:path`` (from os import path) and ``os.path`` (import os.path as p) name one thing."""
    return target.replace(":", ".") if not target.startswith(".") else target


def _chain(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _Expect(ast.NodeTransformer):
    """Apply a plan's renames and call rewrites to an ``ast``, and drop imports."""

    def __init__(self, plan: Plan, lines: Sequence[str]) -> None:
        self.renames = plan.renames
        self.calls = plan.calls
        self.lines = lines

    def _call_rewrite(self, node: ast.expr) -> ast.expr | None:
        """The planned replacement of ``call`` or ``call.attr...`` at this node, if any."""
        attrs: list[str] = []
        inner = node
        while isinstance(inner, ast.Attribute):
            attrs.append(inner.attr)
            inner = inner.value
        if not isinstance(inner, ast.Call):
            return None
        key = (inner.lineno, char_col(self.lines, inner.lineno, inner.col_offset))
        planned = self.calls.get(key)
        if planned is None or planned[1] != tuple(reversed(attrs)):
            return None
        return quiet_parse(planned[0], mode="eval").body  # type: ignore[attr-defined,no-any-return]

    def _rename(self, node: ast.expr) -> ast.expr | None:
        chain = _chain(node)
        if chain is None or not isinstance(getattr(node, "ctx", None), ast.Load):
            return None
        new = self.renames.get(chain)
        if new is None:
            return None
        return quiet_parse(new, mode="eval").body  # type: ignore[attr-defined,no-any-return]

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self._rename(node) or node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        replaced = self._rename(node) or self._call_rewrite(node)
        if replaced is not None:
            return replaced
        self.generic_visit(node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        replaced = self._call_rewrite(node)
        if replaced is not None:
            return replaced
        self.generic_visit(node)
        return node

    def visit_Import(self, node: ast.Import) -> None:
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return None


class _DropImports(ast.NodeTransformer):
    def visit_Import(self, node: ast.Import) -> None:
        return None

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        return None


def verify(old_text: str, new_text: str, plan: Plan) -> str | None:
    """None when *new_text* is *old_text* with exactly the plan applied; else what differs."""
    try:
        new_tree = quiet_parse(new_text)
    except (SyntaxError, ValueError) as exc:
        return f"the rewritten file does not parse ({exc})"
    old_tree = quiet_parse(old_text)
    expected_bindings = Counter(
        {(s, n, _normalise_target(t)): c for (s, n, t), c in import_bindings(old_tree).items()}
    )
    for item in plan.removed:
        expected_bindings[(item[0], item[1], _normalise_target(item[2]))] -= 1
    for item in plan.added:
        expected_bindings[(item[0], item[1], _normalise_target(item[2]))] += 1
    got_bindings = Counter(
        {(s, n, _normalise_target(t)): c for (s, n, t), c in import_bindings(new_tree).items()}
    )
    if +expected_bindings != +got_bindings:
        return "the rewritten imports do not bind what the original ones did"
    still_read = {n.id for n in ast.walk(new_tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    imported_before = {name for _, name, _ in import_bindings(old_tree)}
    imported_now = {name for _, name, _ in got_bindings}
    lost = sorted((still_read & imported_before) - imported_now)
    if lost:
        return f"{lost[0]!r} is still read but no longer imported"
    expected = _Expect(plan, source_lines(old_text)).visit(old_tree)
    got = _DropImports().visit(new_tree)
    if ast.dump(expected) != ast.dump(got):
        return "the rewritten code is not the original with the planned renames"
    return None


# -------------------------------------------------------------- the fixer


@dataclass
class _File:
    """Facts about the current text that every step's safety checks read."""

    text: str
    tree: ast.Module
    records: list[ImportRecord]
    bound: set[str]  # names bound other than by imports, anywhere
    loads: set[str]  # names read anywhere
    import_bound: dict[str, list[tuple[ImportRecord, str]]]  # name -> [(record, target)]
    star: bool
    dynamic: bool
    dunder_all: set[str]
    bindings: Bindings
    string_names: set[str]  # names read by strings that are expressions ("np.ndarray" annotations)

    @classmethod
    def of(cls, text: str, tree: ast.Module, records: list[ImportRecord]) -> _File:
        loads: set[str] = set()
        dynamic = False
        dunder_all: set[str] = set()
        string_names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads.add(node.id)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                dynamic = dynamic or node.func.id in _DYNAMIC_NAMESPACE
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 500:
                string_names |= _names_in_expression(node.value)
        for stmt in tree.body:
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets
            elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
                targets = [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                dunder_all |= {
                    n.value
                    for n in ast.walk(stmt)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                }
        bound = bound_names(tree)
        import_bound: dict[str, list[tuple[ImportRecord, str]]] = {}
        for record in records:
            for name in record.names:
                if name.name == "*":
                    continue
                if record.is_from:
                    target = f"{record.from_text}.{name.name}"
                else:
                    target = name.name if name.asname else name.bound
                import_bound.setdefault(name.asname or name.bound, []).append((record, target))
        return cls(
            text=text,
            tree=tree,
            records=records,
            bound=bound,
            loads=loads,
            import_bound=import_bound,
            star=any(r.is_star for r in records),
            dynamic=dynamic,
            dunder_all=dunder_all,
            bindings=Bindings.of(records, bound.__contains__),
            string_names=string_names,
        )

    def name_free(self, name: str) -> bool:
        """Nothing in the file binds or reads *name*."""
        return name not in self.bound and name not in self.loads and name not in self.import_bound

    def has_importlib(self) -> bool:
        """Whether a module-level ``import importlib`` binds the name for the whole module."""
        return any(
            _module_level(record) and target == "importlib"
            for record, target in self.import_bound.get("importlib", [])
        )

    def check_importlib(self) -> None:
        """Raise :class:`Refused` unless ``importlib`` can be used (and imported) as the module."""
        others = [t for _, t in self.import_bound.get("importlib", []) if t != "importlib"]
        if "importlib" in self.bound or others:
            raise Refused("'importlib' is bound to something else in this file")

    def check_renamable(self, old: str, module: str) -> None:
        """Raise :class:`Refused` unless every use of *old* can be renamed with certainty."""
        if self.star:
            raise Refused("the file has a star import, so its names cannot all be known")
        if self.dynamic:
            raise Refused(
                "the file calls eval/exec/globals/locals/vars, which can read names by their string"
            )
        if old in self.bound:
            raise Refused(f"{old!r} is also bound other than by this import")
        if old in _BUILTIN_NAMES:
            raise Refused(f"{old!r} is also a builtin, which its uses reach when the import does not run")
        others = [t for _, t in self.import_bound.get(old, []) if t != module]
        if others:
            raise Refused(f"{old!r} is also imported as {others[0]!r}")
        if old in self.dunder_all:
            raise Refused(f"{old!r} is listed in __all__")
        if old in self.string_names:
            raise Refused(f"{old!r} is read by a string annotation, which a rename would not update")


def _names_in_expression(text: str) -> set[str]:
    """The names a string reads if it is a Python expression (a string annotation), else none."""
    if not text or not text.strip() or "\n" in text.strip():
        return set()
    try:
        tree = quiet_parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _module_level(record: ImportRecord) -> bool:
    return record.context.scope is Scope.MODULE


class Fixer:
    """Fix one file's text; see the module docstring."""

    def __init__(self, filename: str, config: Config, selected: Callable[[str], bool]) -> None:
        self.filename = filename
        self.config = config
        self.selected = selected

    # -- linting
    def _findings(self, text: str, tree: ast.Module) -> list[Finding]:
        lines = source_lines(text)
        out = []
        for f in check_tree(tree, lines, self.filename, self.config):
            if f.code not in FIXABLE or not self.selected(f.code):
                continue
            if 0 < f.line <= len(lines) and not noqa_allows(lines[f.line - 1], f.code):
                continue
            out.append(f)
        return out

    def fix(self, data: bytes) -> FixResult:
        text, _encoding = decode(data)
        tree = parse_ast(text, self.filename)
        if not self._findings(text, tree):
            return FixResult(data, changed=False)
        import libcst as cst

        try:
            module = cst.parse_module(data)
        except Exception as exc:  # ParserSyntaxError, RecursionError, TypeError, ...
            return self._left(data, text, tree, f"libcst cannot parse this file ({type(exc).__name__})")
        if module.bytes != data:
            return self._left(data, text, tree, "libcst does not reproduce this file byte for byte")
        reasons: dict[tuple[str, str, int], str] = {}
        current = module
        for _ in range(MAX_ROUNDS):
            changed = False
            for code in FIXABLE:
                if not self.selected(code):
                    continue
                step = self._step(current, code, reasons)
                if step is not None:
                    current, changed = step, True
            if not changed:
                break
        new = current.bytes
        final_text, _ = decode(new)
        skipped = [
            (f.line, f.col + 1, f.code, reasons.get(key, "no safe rewrite is known"))
            for key, f in _keyed(self._findings(final_text, parse_ast(final_text)))
        ]
        return FixResult(new, changed=new != data, skipped=skipped)

    def _left(self, data: bytes, text: str, tree: ast.Module, reason: str) -> FixResult:
        skipped = [(f.line, f.col + 1, f.code, reason) for f in self._findings(text, tree)]
        return FixResult(data, False, skipped)

    def _step(
        self, module: cst.Module, code: str, reasons: dict[tuple[str, str, int], str]
    ) -> cst.Module | None:
        """Apply every safe fix of *code*; the new module, or None when nothing changed."""
        import libcst as cst
        from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

        text, _ = decode(module.bytes)
        tree: Any = quiet_parse(text)
        findings = [f for f in self._findings(text, tree) if f.code == code]
        if not findings:
            return None
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        parents = wrapper.resolve(ParentNodeProvider)
        by_start: dict[tuple[int, int], list[cst.CSTNode]] = {}
        for node, pos in positions.items():
            by_start.setdefault((pos.start.line, pos.start.column), []).append(node)
        facts = _File.of(text, tree, _records(tree, text))
        ctx = _StepContext(module, facts, by_start, parents, text)
        plan = Plan()
        handler = _HANDLERS[code]
        for key, finding in _keyed(findings):
            try:
                handler(ctx, finding, plan)
            except Refused as exc:
                reasons[key] = str(exc)
        if not plan:
            return None
        new_module = _apply(wrapper.module, plan)
        if plan.add_importlib:
            new_module = _fix_imports(new_module, plan)
        new_text, _ = decode(new_module.bytes)
        problem = verify(text, new_text, plan)
        if problem is not None:
            for key, _finding in _keyed(findings):
                reasons.setdefault(key, f"left unchanged: {problem}")
            return None
        return new_module if new_module.bytes != module.bytes else None


def _keyed(findings: Iterable[Finding]) -> list[tuple[tuple[str, str, int], Finding]]:
    """Each finding with a key that survives edits elsewhere: code, message, and
    how many identical findings come before it."""
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for f in findings:
        out.append(((f.code, f.message, seen[(f.code, f.message)]), f))
        seen[(f.code, f.message)] += 1
    return out


def _records(tree: ast.Module, text: str) -> list[ImportRecord]:
    from flake8_importstyle.classify import records_from_ast

    return records_from_ast(tree, source_lines(text))


@dataclass
class _StepContext:
    module: Any
    facts: _File
    by_start: dict[tuple[int, int], list[Any]]
    parents: Any
    text: str

    def node_at(self, finding: Finding, kind: type[Any]) -> Any:
        for node in self.by_start.get((finding.line, finding.col), []):
            if isinstance(node, kind):
                return node
        raise Refused("the flagged code could not be located")

    def call_at(self, finding: Finding) -> Any:
        """The flagged call: of the calls that start there (`f(x).g()`), the one of a plain name."""
        import libcst as cst

        for node in self.by_start.get((finding.line, finding.col), []):
            if isinstance(node, cst.Call) and _cst_chain(node.func) is not None:
                return node
        raise Refused("the flagged call could not be located")

    def statement_of(self, alias: Any) -> tuple[Any, Any]:
        """The Import/ImportFrom small statement of an alias, and its line statement."""
        import libcst as cst

        small = self.parents[alias]
        line = self.parents[small]
        if not isinstance(line, cst.SimpleStatementLine):
            raise Refused("the import is not on a line of its own")
        return small, line

    @cached_property
    def _records_at(self) -> dict[tuple[int, int], tuple[ImportRecord, Any]]:
        return {(n.line, n.col): (record, n) for record in self.facts.records for n in record.names}

    def record_of(self, finding: Finding) -> tuple[ImportRecord, Any]:
        try:
            return self._records_at[(finding.line, finding.col)]
        except KeyError:
            raise Refused("the flagged import could not be located") from None

    @cached_property
    def _names(self) -> dict[str, list[Any]]:
        """Every libcst Name node of the module by its text, from one walk: each
        finding's lookup is then a dict access, not a walk of the module."""
        import libcst as cst

        names: dict[str, list[Any]] = {}
        for node in _walk_cst(self.module):
            if isinstance(node, cst.Name):
                names.setdefault(node.value, []).append(node)
        return names

    def dotted_chain_uses(self, chain: str) -> tuple[list[Any], bool]:
        """libcst nodes of every Load of *chain* (``a.b.c``), and whether the
        chain's root name is read for anything else."""
        import libcst as cst

        root = chain.partition(".")[0]
        hits: list[Any] = []
        other = False
        for node in self._names.get(root, ()):
            parent = self.parents.get(node)
            if isinstance(parent, (cst.Import, cst.ImportFrom, cst.ImportAlias)):
                continue
            if isinstance(parent, cst.Attribute) and parent.attr is node:
                continue  # x.root: an attribute, not the name
            top: Any = node
            while True:
                up = self.parents.get(top)
                if not (isinstance(up, cst.Attribute) and up.value is top):
                    break
                if _cst_chain(up) == chain:
                    top = up
                    break
                if not chain.startswith((_cst_chain(up) or "") + "."):
                    break
                top = up
            if _cst_chain(top) == chain:
                hits.append(top)
            else:
                other = True
        return hits, other


def _walk_cst(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _cst_chain(node: Any) -> str | None:
    import libcst as cst
    from libcst.helpers import get_full_name_for_node

    if isinstance(node, (cst.Name, cst.Attribute)):
        return get_full_name_for_node(node)
    return None


# ----------------------------------------------------------- the rewrites


def _new_statement(code: str) -> Any:
    import libcst as cst

    return cst.parse_statement(code)


def _split(ctx: _StepContext, alias: Any, new_lines: list[str], plan: Plan) -> None:
    """Replace *alias* of its import statement by the statements *new_lines*.

    A statement that imports only *alias* is replaced in place (its comments
    and position kept); otherwise the statement is cut at *alias*: the names
    before it, the new statements, then the names after it, each on a line of
    its own, so every module is still imported in the original order.
    """
    import libcst as cst

    small, line = ctx.statement_of(alias)
    if small in plan.replace or line in plan.replace:  # libcst nodes compare by identity
        raise Refused("another rewrite already changes this statement")
    names = small.names
    if isinstance(names, cst.ImportStar):
        raise Refused("a star import")
    if len(names) == 1:
        parsed = [_new_statement(code) for code in new_lines]
        if len(line.body) == 1:
            first = parsed[0].with_changes(
                leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace
            )
            plan.replace[line] = cst.FlattenSentinel([first, *parsed[1:]])
        elif len(parsed) == 1:
            plan.replace[small] = parsed[0].body[0].with_changes(semicolon=small.semicolon)
        else:
            raise Refused("the import shares its line with other statements")
        return
    if len(line.body) != 1:
        raise Refused("the import shares its line with other statements")
    index = next(i for i, n in enumerate(names) if n is alias)
    before, after = list(names[:index]), list(names[index + 1:])
    parts: list[Any] = []
    if before:
        before[-1] = before[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        parts.append(line.with_changes(body=[small.with_changes(names=before)]))
    new = [_new_statement(code) for code in new_lines]
    if not before:  # the line's comments go with its first statement
        new[0] = new[0].with_changes(
            leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace
        )
    parts += new
    if after:
        after[-1] = after[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        parts.append(cst.SimpleStatementLine(body=[small.with_changes(names=after)]))
    plan.replace[line] = cst.FlattenSentinel(parts)


def _drop_alias(ctx: _StepContext, alias: Any, plan: Plan) -> None:
    import libcst as cst

    small, line = ctx.statement_of(alias)
    if len(small.names) > 1:
        if len(line.body) != 1:
            raise Refused("the import shares its line with other statements")
        kept = [n for n in small.names if n is not alias]
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        plan.replace[line] = line.with_changes(body=[small.with_changes(names=kept)])
    elif len(line.body) == 1:
        plan.replace[line] = cst.RemoveFromParent()
    else:
        raise Refused("the import shares its line with other statements")


def _fix_useless_alias(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    plan.replace[alias] = alias.with_changes(asname=None)


def _dotted_to_from(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS102/IPS103: ``import a.b as c`` -> ``from a import b as c``."""
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    record, name = ctx.record_of(finding)
    parent, _, leaf = name.name.rpartition(".")
    asname = "" if name.asname == leaf else f" as {name.asname}"
    _split(ctx, alias, [f"from {parent} import {leaf}{asname}\n"], plan)


def _dotted_import(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS101: ``import a.b`` -> ``from a import b`` and every ``a.b`` -> ``b``."""
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    record, name = ctx.record_of(finding)
    if not _module_level(record):
        raise Refused("only module-level imports are rewritten with their usages")
    root = name.bound
    facts = ctx.facts
    facts.check_renamable(root, root)
    parent, _, leaf = name.name.rpartition(".")
    new_name = leaf
    if not facts.name_free(new_name):
        new_name = name.name.replace(".", "_")
        if not facts.name_free(new_name):
            raise Refused(f"{leaf!r} and {new_name!r} are both taken in this file")
    uses, other = ctx.dotted_chain_uses(name.name)
    if any(_stored(ctx, node) for node in uses):
        raise Refused(f"{name.name!r} is assigned to or deleted")
    other_imports = [
        r for r, t in facts.import_bound.get(root, []) if r is not record and _module_level(r)
    ]
    statements = []
    scope = ""
    if other and not other_imports:
        statements.append(f"import {root}\n")
        plan.added.append((scope, root, root))
    as_part = "" if new_name == leaf else f" as {new_name}"
    statements.append(f"from {parent} import {leaf}{as_part}\n")
    plan.removed.append((scope, root, root))
    plan.added.append((scope, new_name, f"{parent}:{leaf}"))
    _split(ctx, alias, statements, plan)
    for node in uses:
        plan.replace[node] = cst.Name(new_name)
    plan.renames[name.name] = new_name


def _stored(ctx: _StepContext, node: Any) -> bool:
    import libcst as cst

    parent = ctx.parents.get(node)
    if isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del)):
        return True
    return isinstance(parent, (cst.Element, cst.StarredElement)) and isinstance(
        ctx.parents.get(parent), (cst.Tuple, cst.List)
    ) and _stored(ctx, ctx.parents[parent])


def _conventional_alias(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS106: bind the module to its conventional name and rename every use."""
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    record, name = ctx.record_of(finding)
    module = record.full_name(name)
    if module is None:  # pragma: no cover - IPS106 flags absolute names only
        raise Refused("a relative import")
    new_name = _alias_for(finding)
    if not _module_level(record):
        raise Refused("only module-level imports are rewritten with their usages")
    facts = ctx.facts
    if not facts.name_free(new_name):
        raise Refused(f"{new_name!r} is already bound or used in this file")
    scope = ""
    if not record.is_from and name.asname is None and "." in name.name:
        # import matplotlib.pyplot: uses are chains
        root = name.bound
        facts.check_renamable(root, root)
        uses, other = ctx.dotted_chain_uses(name.name)
        if any(_stored(ctx, node) for node in uses):
            raise Refused(f"{name.name!r} is assigned to or deleted")
        statements = []
        other_imports = [
            r for r, t in facts.import_bound.get(root, []) if r is not record and _module_level(r)
        ]
        if other and not other_imports:
            statements.append(f"import {root}\n")
            plan.added.append((scope, root, root))
        statements.append(f"import {module} as {new_name}\n")
        plan.removed.append((scope, root, root))
        plan.added.append((scope, new_name, module))
        _split(ctx, alias, statements, plan)
        for node in uses:
            plan.replace[node] = cst.Name(new_name)
        plan.renames[name.name] = new_name
        return
    old = name.asname or name.name
    target = f"{record.module}:{name.name}" if record.is_from else (name.name if name.asname else name.bound)
    facts.check_renamable(old, target.replace(":", "."))
    uses = [
        node
        for node in _walk_cst(ctx.module)
        if isinstance(node, cst.Name) and node.value == old and _is_reference(ctx, node)
    ]
    plan.removed.append((scope, old, target))
    plan.added.append((scope, new_name, module))
    if record.is_from:
        _split(ctx, alias, [f"import {module} as {new_name}\n"], plan)
    else:
        plan.replace[alias] = alias.with_changes(asname=cst.AsName(name=cst.Name(new_name)))
    for node in uses:
        plan.replace[node] = node.with_changes(value=new_name)
    plan.renames[old] = new_name


def _alias_for(finding: Finding) -> str:
    match = re.search(r" as (\w+)'", finding.message)
    if match is None:  # pragma: no cover - the message always names it
        raise Refused("the conventional name is unknown")
    return match.group(1)


def _is_reference(ctx: _StepContext, node: Any) -> bool:
    """A Name node that reads a variable (not an attribute, keyword, or import part)."""
    import libcst as cst

    parent = ctx.parents.get(node)
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, (cst.Arg,)) and parent.keyword is node:
        return False
    if isinstance(parent, (cst.ImportAlias, cst.AsName, cst.Import, cst.ImportFrom)):
        return False
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param)):
        return getattr(parent, "name", None) is not node
    return True


def _dunder_import(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS201: ``__import__("m")`` -> ``importlib.import_module("m")``."""
    import libcst as cst

    call = ctx.call_at(finding)
    node = _ast_call_at(ctx.facts.tree, finding, ctx.text)
    if node is None:
        raise Refused("the flagged call could not be located")
    known = {"name", "globals", "locals", "fromlist", "level"}
    if any(k.arg not in known for k in node.keywords):
        raise Refused("the call has unknown keyword arguments")
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise Refused("the call unpacks its arguments")
    name = literal_str(string_arg(node, 0, "name"))
    if name is None or not name or name.startswith("."):
        raise Refused("the module name is not a plain string literal")
    level = string_arg(node, 4, "level")
    if level is not None and not (isinstance(level, ast.Constant) and level.value == 0):
        raise Refused("a relative import (level is not 0)")
    fromlist = string_arg(node, 3, "fromlist")
    has_fromlist = False
    if fromlist is not None and not (isinstance(fromlist, ast.Constant) and fromlist.value is None):
        if not isinstance(fromlist, (ast.List, ast.Tuple)):
            raise Refused("the fromlist is not a literal list")
        items = [literal_str(e) for e in fromlist.elts]
        if any(i is None for i in items):
            raise Refused("the fromlist is not a list of string literals")
        submodules = [i for i in items if i and not (i.startswith("__") and i.endswith("__"))]
        if submodules:
            raise Refused(
                f"__import__ also imports {name}.{submodules[0]} if it is a submodule; import_module does not"
            )
        has_fromlist = bool(items)
    facts = ctx.facts
    facts.check_importlib()
    replace_node: Any = call
    absorbed: tuple[str, ...] = ()
    if "." in name and not has_fromlist:
        # __import__("a.b").b.x -> importlib.import_module("a.b").x; any other use needs `a`
        absorbed = tuple(name.split(".")[1:])
        for part in absorbed:
            parent = ctx.parents.get(replace_node)
            if not (
                isinstance(parent, cst.Attribute)
                and parent.value is replace_node
                and parent.attr.value == part
            ):
                top = name.split(".")[0]
                raise Refused(f"the result is the top-level package {top!r}; import_module returns {name!r}")
            replace_node = parent
    quote = _quote_of(call)
    plan.replace[replace_node] = cst.parse_expression(f"importlib.import_module({quote}{name}{quote})")
    plan.calls[(finding.line, finding.col)] = (f"importlib.import_module({name!r})", absorbed)
    if not facts.has_importlib():
        plan.add_importlib = True


def _quote_of(call: Any) -> str:
    import libcst as cst

    arg = call.args[0].value if call.args else None
    if isinstance(arg, cst.SimpleString):
        return arg.quote
    return '"'


def _ast_call_at(tree: ast.Module, finding: Finding, text: str) -> ast.Call | None:
    lines = source_lines(text)
    for node in ast.walk(tree):
        # several calls can start at one place (`f(x).g()`): the flagged one calls a plain name
        if isinstance(node, ast.Call) and node.lineno == finding.line and _chain(node.func) is not None:
            if char_col(lines, node.lineno, node.col_offset) == finding.col:
                return node
    return None


def _removed_api(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS205: ``imp.reload(m)`` -> ``importlib.reload(m)``; ``import imp`` goes when unused."""
    import libcst as cst

    record, name = ctx.record_of(finding)
    if record.is_from or name.name != "imp" or name.asname is not None:
        raise Refused("only 'import imp' with imp.reload() calls is rewritten")
    if not _module_level(record):
        raise Refused("only module-level imports are rewritten with their usages")
    facts = ctx.facts
    if facts.star or facts.dynamic or "imp" in facts.bound:
        raise Refused("'imp' may be used in ways the fixer cannot see")
    facts.check_importlib()
    uses, other = ctx.dotted_chain_uses("imp.reload")
    if other:
        raise Refused("the file uses imp for more than imp.reload()")
    if not uses:
        raise Refused("no imp.reload() call to rewrite")
    for node in uses:
        plan.replace[node] = cst.parse_expression("importlib.reload")
    plan.renames["imp.reload"] = "importlib.reload"
    plan.removed.append(("", "imp", "imp"))
    alias = ctx.node_at(finding, cst.ImportAlias)
    if facts.has_importlib() or plan.add_importlib:
        _drop_alias(ctx, alias, plan)
    else:  # `import imp` becomes `import importlib`, in place
        plan.added.append(("", "importlib", "importlib"))
        _split(ctx, alias, ["import importlib\n"], plan)


_HANDLERS: dict[str, Callable[[_StepContext, Finding, Plan], None]] = {
    "IPS101": _dotted_import,
    "IPS102": _dotted_to_from,
    "IPS103": _dotted_to_from,
    "IPS104": _fix_useless_alias,
    "IPS106": _conventional_alias,
    "IPS201": _dunder_import,
    "IPS205": _removed_api,
}


def _apply(module: Any, plan: Plan) -> Any:
    import libcst as cst

    replacements = plan.replace

    class Replace(cst.CSTTransformer):
        def on_leave(self, original_node: Any, updated_node: Any) -> Any:
            new = replacements.get(original_node)
            return updated_node if new is None else new

    return module.visit(Replace())


def _fix_imports(module: Any, plan: Plan) -> Any:
    """Add ``import importlib`` after the imports at the top of the module."""
    import libcst as cst

    body = list(module.body)
    at = 0
    if body and _is_docstring(body[0]):
        at = 1
    while at < len(body) and isinstance(body[at], cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in body[at].body
    ):
        at += 1
    body.insert(at, cst.parse_statement("import importlib\n"))
    plan.added.append(("", "importlib", "importlib"))
    return module.with_changes(body=body)


def _is_docstring(statement: Any) -> bool:
    import libcst as cst

    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def fix_bytes(
    data: bytes, filename: str, config: Config, selected: Callable[[str], bool] = lambda code: True
) -> FixResult:
    """Fix one file's bytes (see the module docstring)."""
    return Fixer(filename, config, selected).fix(data)


def prefix_selector(select: Sequence[str], ignore: Sequence[str]) -> Callable[[str], bool]:
    """flake8's prefix semantics: the longest matching prefix of select/ignore decides."""

    def selected(code: str) -> bool:
        s = max((len(p) for p in select if code.startswith(p)), default=-1) if select else 0
        i = max((len(p) for p in ignore if code.startswith(p)), default=-1)
        return s >= 0 and s >= i

    return selected


__all__ = ["FIXABLE", "FixError", "FixResult", "Fixer", "fix_bytes", "prefix_selector", "verify"]
