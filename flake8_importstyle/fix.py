"""The fixer: libcst rewrites of what the rules flag, with their usages, that provably keep behaviour.

:func:`fix_bytes` takes a file's bytes and returns the fixed bytes plus, for
each finding it left alone, the reason. It

1. lints the file on the fast path (``ast``) and stops there when nothing
   fixable is flagged, so most files are never parsed with libcst;
2. parses the *bytes* with libcst and leaves the file alone unless libcst
   reproduces them exactly (so encoding, BOM, newlines and every byte outside
   the rewritten nodes survive);
3. plans one code's rewrites at a time from the :mod:`~flake8_importstyle.names`
   model of the file: which reads each import serves, and whether each of
   them is served by that import alone;
4. proves every step with :func:`~flake8_importstyle.proof.prove`, which reads
   only the old and the new text: a step that is not proved is dropped and
   its reason reported, never written. When a step of several findings is
   not proved, each finding is tried alone, so one doubtful finding does not
   hold back the others.

Steps repeat until nothing changes: a statement with several flagged names
is split one name at a time.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import heapq
import io
import keyword
import os
import re
import sys
import tokenize
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from flake8_importstyle import placement, resolve
from flake8_importstyle.analysis import bound_names, dotted_name, literal_str, quiet_parse, string_arg
from flake8_importstyle.config import Config
from flake8_importstyle.names import (
    BUILTIN_NAMES, IMPORT, OTHER, STAR, UNBOUND, Binding, ImportFacts, Model, prefixes,
)
from flake8_importstyle.namespaces import source_tree
from flake8_importstyle.names import Scope as NameScope
from flake8_importstyle.proof import (
    NO_READERS,
    Evaluator,
    Intent,
    Namespace,
    Readers,
    attribute_error_caught,
    class_problem,
    first_naming,
    identity_problem,
    module_names,
    namespace_of,
    namespace_problem,
    package_problem,
    parents,
    prove,
)
from flake8_importstyle.records import ImportRecord, Name, Scope
from flake8_importstyle.rules import DEFAULT_CODES, RULES, Finding, check_tree
from flake8_importstyle.rules.base import package_of
from flake8_importstyle.rules.packages import import_of
from flake8_importstyle.text import char_col, source_lines

#: The codes the fixer rewrites, in the order it applies them.
FIXABLE = (
    "IPS104", "IPS102", "IPS103", "IPS101", "IPS106", "IPS108", "IPS201", "IPS205", "IPS206", "IPS207",
    "IPS404", "IPS402",
    "IPS204", "IPS302", "IPS403", "IPS105",
)
#: The fixable codes whose rewrite changes what the program does on purpose (the rule's
#: ``fix`` is "unsafe"), each with what it changes: made only with ``--unsafe-fixes``.
UNSAFE = MappingProxyType({rule.code: rule.unsafe_because for rule in RULES if rule.fix == "unsafe"})

#: Removed modules whose one member the file may use has a drop-in in another module:
#: module -> (the replacement module, the member). ``imp.reload`` calls
#: ``importlib.reload``; ``pipes.quote`` *is* ``shlex.quote`` (``from shlex import quote``).
SWAPS = {"imp": ("importlib", "reload"), "pipes": ("shlex", "quote")}


class FixError(Exception):
    """The file cannot be fixed at all (cannot be decoded or parsed); ``str()`` says why."""


@dataclass
class FixResult:
    data: bytes
    changed: bool
    #: findings left alone: (line, col 1-based, code, reason), at their place in the original file
    skipped: list[tuple[int, int, str, str]] = field(default_factory=list)
    #: the module-level names the fix adds or removes, which other files might read
    namespace: frozenset[str] = frozenset()


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


class ResolverFacts(ImportFacts):
    """What the resolver, which reads modules on disk without running them, says of
    ``from package import name``: it binds the submodule unless the package's source
    binds the name to something that is not a module. What it cannot tell, it
    assumes (README.rst, "What the fixer assumes")."""

    def __init__(self, filename: str, namespace_packages: Sequence[str] = ()) -> None:
        self.filename = filename
        self.namespace_packages = tuple(namespace_packages)
        self.roots = resolve.search_roots(filename)
        self._answers: dict[str, bool] = {}
        self._origins: dict[str, str] = {}

    @cached_property
    def package(self) -> resolve.Package | str:
        """The package the file's relative imports resolve against, or why it is not known."""
        return resolve.importing_package(self.filename, self.namespace_packages)

    def relative_package(self) -> str | None:
        package = self.package
        return package.name if isinstance(package, resolve.Package) else None

    def from_binds_submodule(self, dotted: str) -> bool:
        """Not when the package's source binds the name to something else, nor when a
        module ``__getattr__`` may answer for it: ``from package import name`` asks the
        package's attribute first, before it imports the submodule, unless the
        package's own code always binds the name (``from . import name``)."""
        answer = self._answers.get(dotted)
        if answer is None:
            package, _, leaf = dotted.rpartition(".")
            parent = resolve.find(package, self.roots)
            names = resolve.namespace(parent) if isinstance(parent, resolve.Module) else None
            asked = (
                names is not None
                and names.open
                and not any(
                    b.block == () and b.how in (resolve.Bound.MODULE, resolve.Bound.FROM)
                    for b in names.bindings.get(leaf, ())
                )
                and isinstance(parent, resolve.Module)
                and not getattr_imports(parent, leaf)
                and resolve.loads([package], dotted, self.roots) is not True  # loaded: an attribute
            )
            answer = self._answers[dotted] = resolve.is_module(dotted, self.roots) is not False and not asked
        return answer

    def missing(self, dotted: str) -> bool:
        parent = resolve.find(dotted.rpartition(".")[0], self.roots)
        if not isinstance(parent, resolve.Module):
            return False
        leaf = dotted.rpartition(".")[2]
        return resolve.child(parent, leaf) is None and resolve.binds(parent, leaf, self.roots) is False

    def effective_loads(self, modules: list[str]) -> list[str]:
        from flake8_importstyle.rules.origin import effective_loads

        return effective_loads(modules, self.roots)

    def may_be_module(self, dotted: str) -> bool:
        return resolve.find(dotted, self.roots) is not None

    def also_loads(self, modules: list[str], module: str) -> bool:
        return resolve.loads(modules, module, self.roots) is True

    def inert(self, module: str) -> bool:
        from flake8_importstyle.rules.origin import Opaque, import_effects

        return not isinstance(import_effects(module, self.roots), Opaque)

    def origin(self, dotted: str) -> str:
        """Asked for every from-import's value the proof reads: each answered once."""
        known = self._origins.get(dotted)
        if known is None:
            from flake8_importstyle.rules.origin import reimported_from

            module, _, name = dotted.rpartition(".")
            origin = reimported_from(module, name, self.roots) if module else None
            known = self._origins[dotted] = dotted if origin is None else f"{origin}.{name}"
        return known


def getattr_imports(package: resolve.Module, leaf: str) -> bool:
    """Whether ``from package import leaf`` still gets the submodule from a package with
    a module ``__getattr__``: it answers *leaf* with the submodule (``if name == "leaf":
    import package.leaf as m; return m``, numpy's lazy loading) or raises
    AttributeError for it (then the import system imports the submodule), read
    through a chain of ``if name == "other":`` branches."""
    if not package.runs_source or package.source is None:
        return False
    tree = source_tree(package.source)
    if tree is None:
        return False
    functions = list(_module_functions(tree.body, "__getattr__"))
    return bool(functions) and all(
        len(f.args.args) == 1 and _answer(f.body, f.args.args[0].arg, package.name, leaf) for f in functions
    )


def _module_functions(body: list[ast.stmt], name: str) -> Iterator[ast.FunctionDef]:
    for stmt in body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == name:
            yield stmt
        elif isinstance(stmt, (ast.If, ast.Try)):
            for inner in (stmt.body, stmt.orelse):
                yield from _module_functions(inner, name)


def _answer(body: list[ast.stmt], param: str, package: str, leaf: str) -> bool:
    """Whether running *body* for the name *leaf* returns the submodule or raises
    AttributeError (False: it may do anything else)."""
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Expr, ast.Assign, ast.Global)):
            continue  # `import warnings`, a docstring: no answer yet
        if isinstance(stmt, ast.Raise):
            exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            return isinstance(exc, ast.Name) and exc.id == "AttributeError"
        if not isinstance(stmt, ast.If):
            return False
        names = _compared_names(stmt.test, param)
        if names is None:
            return False
        if leaf in names:
            return _imports_and_returns(stmt.body, package, leaf)
        if stmt.orelse:  # elif/else: the rest of the chain decides
            return _answer(stmt.orelse, param, package, leaf)
    return False  # falls off the end: returns None


def _compared_names(test: ast.expr, param: str) -> set[str] | None:
    """The literal names of ``param == "x"`` or ``param in ("x", "y")``; None otherwise."""
    if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == param):
        return None
    if len(test.ops) != 1:
        return None
    right = test.comparators[0]
    if isinstance(test.ops[0], ast.Eq) and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return {right.value}
    if isinstance(test.ops[0], ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        values = [e.value for e in right.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return set(values) if len(values) == len(right.elts) else None
    return None


def _imports_and_returns(body: list[ast.stmt], package: str, leaf: str) -> bool:
    """``import package.leaf as x; return x`` (or ``from . import leaf; return leaf``)."""
    if len(body) != 2 or not isinstance(body[1], ast.Return) or not isinstance(body[1].value, ast.Name):
        return False
    returned = body[1].value.id
    first = body[0]
    if isinstance(first, ast.Import) and len(first.names) == 1:
        alias = first.names[0]
        return alias.name == f"{package}.{leaf}" and alias.asname == returned
    if isinstance(first, ast.ImportFrom) and len(first.names) == 1:
        alias = first.names[0]
        source = "." if first.level == 1 and not first.module else first.module if not first.level else None
        return source in (".", package) and alias.name == leaf and (alias.asname or alias.name) == returned
    return False


# --------------------------------------------------------- the plan of a step


@dataclass
class Plan:
    """What one step changes: libcst nodes (by identity) and their replacements."""

    replace: dict[Any, Any] = field(default_factory=dict)
    #: import statements (``import importlib``) to add where isort puts them, at module level
    imports: list[str] = field(default_factory=list)
    #: the changes of behaviour an unsafe rewrite makes on purpose, by the old node's position
    intended: dict[tuple[int, int], Intent] = field(default_factory=dict)
    #: new import lines to move where isort puts them in their group (placement.py), by identity
    placed: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.replace) or bool(self.imports)

    def add_import(self, statement: str) -> None:
        if statement not in self.imports:
            self.imports.append(statement)

    def copy(self) -> Plan:
        return Plan(dict(self.replace), list(self.imports), dict(self.intended), list(self.placed))


class _NoLibcst(Exception):
    """libcst cannot parse the file, or does not reproduce it; ``str()`` says which."""


class Refused(Exception):
    """One finding cannot be fixed safely; ``str()`` is the reason."""


def _import_scope(ctx: _StepContext, record: ImportRecord, binding: Binding) -> NameScope:
    """The scope the flagged import binds in, where its rewrite can be proved with its uses:
    the module, a function (its uses there and in the functions, lambdas, comprehensions
    and class bodies inside it) or a class body. Refused where the import binds a name
    declared ``global`` or ``nonlocal`` (it binds in another scope than it stands in),
    where a nested function declares the name ``nonlocal`` (the declaration would find
    nothing to bind once the name is gone) or where a ``del`` deletes it."""
    model = ctx.model
    scope = model.scopes[binding.scope]
    if record.context.scope is Scope.MODULE and scope is model.module:
        return scope
    stands = binding.pos[0] if isinstance(binding.pos, tuple) and binding.pos else None
    if stands != binding.scope:
        raise Refused(
            f"{binding.name!r} is declared global or nonlocal where the import at line"
            f" {model.line_of(binding)} stands, so it binds the name in another scope"
        )
    name = binding.name
    for node in ast.walk(scope.node):
        if isinstance(node, ast.Nonlocal) and name in node.names:
            raise Refused(f"{name!r} is declared nonlocal at line {node.lineno}")
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Del):
            where = model.scope_of.get(id(node))
            if where is not None and model.resolve(where, name)[0] is scope:
                raise Refused(f"{name!r} is deleted at line {node.lineno}")
    return scope


def _identifier_problem(name: str, encoding: str) -> str | None:
    """Why *name* cannot be written as a new name in this file, if it cannot."""
    if not name.isidentifier() or keyword.iskeyword(name):
        return f"{name!r} is not a name Python accepts"
    try:
        name.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return f"{name!r} cannot be written in this file's encoding ({encoding})"
    return None


class Fixer:
    """Fix one file; see the module docstring."""

    def __init__(
        self,
        filename: str,
        config: Config,
        selected: Callable[[str], bool],
        readers: Readers = NO_READERS,
        disable_noqa: bool = False,
        opt_in: Collection[str] = (),
        unsafe: bool = False,
    ) -> None:
        self.filename = filename
        self.disable_noqa = disable_noqa
        #: make the rewrites of :data:`UNSAFE` too (``--unsafe-fixes``)
        self.unsafe = unsafe
        #: the codes that are off by default (IPS404) and selected by name
        self.codes = DEFAULT_CODES | frozenset(opt_in)
        self.config = config
        self.selected = selected
        self.readers = readers
        self._facts: ResolverFacts | None = None
        #: the file as read, which reasons and positions refer to
        self.original_text = ""
        self.original_data = b""
        #: the code of each top-level statement rendered so far, by the node's identity
        self.rendered = _Renderer()
        self.original_module: Any = None

    @property
    def facts(self) -> ResolverFacts:
        if self._facts is None:
            self._facts = ResolverFacts(self.filename, self.config.namespace_packages)
        return self._facts

    # -- linting
    def _findings(self, text: str, tree: ast.Module) -> list[Finding]:
        """The fixable findings that flake8 would report: selected, and not excused by
        a ``# noqa`` where flake8 would honour it."""
        from flake8_importstyle.noqa import Noqa

        noqa = Noqa(text, disable_noqa=self.disable_noqa)
        return [
            f
            for f in check_tree(tree, source_lines(text), self.filename, self.config, self.codes)
            if f.code in FIXABLE and self.selected(f.code) and noqa.allows(f.line, f.code)
        ]

    def fixable(self, data: bytes) -> bool:
        """Whether the file has a finding :meth:`fix` would try to rewrite (FixError if it
        cannot be decoded or parsed)."""
        text, _ = decode(data)
        return bool(self._findings(text, parse_ast(text, self.filename)))

    def fix(self, data: bytes) -> FixResult:
        text, _ = decode(data)
        tree = parse_ast(text, self.filename)
        original = self._findings(text, tree)
        if not original:
            return FixResult(data, changed=False)
        self.original_data = data
        self.original_text = text
        reasons: dict[tuple[str, str, int], str] = {}
        first = current = _Version(None, text, tree, original)
        try:
            # every step that changes the file fixes a finding: this many rounds always suffice
            for _ in range(len(original) + 1):
                changed = False
                for code in FIXABLE:
                    if not self.selected(code):
                        continue
                    step = self._step(current, code, reasons)
                    if step is not None:
                        current, changed = step, True
                if not changed:
                    break
        except _NoLibcst as exc:  # raised by the first version, before anything changed
            return self._left(data, original, str(exc))
        new = self.rendered.data(current.module) if current is not first else data
        final_text = current.text
        left = self.findings_of(current)
        places = self._original_places(left, original, final_text, current)
        skipped = [
            (line, col + 1, f.code, reasons.get(key, "no safe rewrite is known"))
            for (key, f), (line, col) in zip(_keyed(left), places)
        ]
        namespace: frozenset[str] = frozenset()
        if new != data:
            namespace = frozenset(first.module_names() ^ current.module_names())
        return FixResult(new, changed=new != data, skipped=skipped, namespace=namespace)

    def module_of(self, version: _Version) -> Any:
        """The version's libcst module. The file's own is parsed the first time a
        rewrite asks for it: a file whose findings are all refused on what ``ast``
        shows (a second run, mostly) is never parsed with libcst."""
        if version.module is None:
            import libcst as cst

            data = self.original_data
            try:
                module = cst.parse_module(data)
            except Exception as exc:  # ParserSyntaxError, RecursionError, TypeError, ...
                raise _NoLibcst(f"libcst cannot parse this file ({type(exc).__name__})") from None
            if self.rendered.data(module) != data:
                raise _NoLibcst("libcst does not reproduce this file byte for byte")
            version.module = self.original_module = module
        return version.module

    def _pieces(self, module: Any) -> tuple[list[str], list[str]]:
        """The statements' code of *module* and of the original, for :class:`LineMap`."""
        return self.rendered.pieces(module), self.rendered.pieces(self.original_module)

    def _left(self, data: bytes, findings: list[Finding], reason: str) -> FixResult:
        return FixResult(data, False, [(f.line, f.col + 1, f.code, reason) for f in findings])

    def _original_places(
        self, left: list[Finding], original: list[Finding], text: str, version: _Version
    ) -> list[tuple[int, int]]:
        """Where each finding left in the fixed text stands in the original file."""
        pieces = None if version.module is None else self._pieces(version.module)
        mapping = LineMap(text, self.original_text, pieces)
        unused = list(original)
        out = []
        for f in left:
            low, high = mapping.span(f.line)
            match = next(
                (o for o in unused if o.code == f.code and o.message == f.message and low <= o.line <= high),
                None,
            )
            if match is not None:
                unused.remove(match)
                out.append((match.line, match.col))
            else:  # pragma: no cover - every finding left was in the original
                out.append((low, f.col))
        return out

    def findings_of(self, version: _Version) -> list[Finding]:
        if version.findings is None:
            version.findings = self._findings(version.text, version.tree)
        return version.findings

    # -- one step: every safe rewrite of one code
    def _step(
        self, version: _Version, code: str, reasons: dict[tuple[str, str, int], str]
    ) -> _Version | None:
        """Apply every safe fix of *code*; the new version, or None when nothing changed."""
        findings = [(k, f) for k, f in _keyed(self.findings_of(version)) if f.code == code]
        if not findings:
            return None
        ctx = version.context(self)
        plan, planned = self._plan(ctx, findings, reasons)
        if not planned:
            return None
        result = self._try(ctx, plan)
        if isinstance(result, str) and len(planned) > 1:
            # one doubtful finding must not hold back the others: each alone, then together
            alone = []
            for key, finding in planned:
                single, _ = self._plan(ctx, [(key, finding)], reasons)
                outcome = self._try(ctx, single)
                if isinstance(outcome, str):
                    reasons[key] = outcome
                else:
                    alone.append((key, finding))
            if not alone:
                return None
            plan, _ = self._plan(ctx, alone[:1] if len(alone) == 1 else alone, reasons)
            result = self._try(ctx, plan)
            if isinstance(result, str):
                plan, _ = self._plan(ctx, alone[:1], reasons)
                result = self._try(ctx, plan)
        if isinstance(result, str):
            for key, _finding in planned:
                reasons.setdefault(key, result)
            return None
        return result

    def _plan(
        self,
        ctx: _StepContext,
        findings: list[tuple[tuple[str, str, int], Finding]],
        reasons: dict[tuple[str, str, int], str],
    ) -> tuple[Plan, list[tuple[tuple[str, str, int], Finding]]]:
        plan = Plan()
        planned = []
        for key, finding in findings:
            if finding.code in UNSAFE and not self.unsafe:
                reasons[key] = (
                    f"the rewrite changes what the program does ({UNSAFE[finding.code]}); pass --unsafe-fixes"
                )
                continue
            attempt = plan.copy()
            try:
                _HANDLERS[finding.code](ctx, finding, attempt)
            except Refused as exc:
                reasons[key] = ctx.on_disk(str(exc))
                continue
            except (RecursionError, _NoLibcst):
                raise  # too deeply nested for libcst: the whole file is left (the caller says so)
            except Exception as exc:  # noqa: BLE001 - one finding's bug must not stop the file
                reasons[key] = (
                    f"internal error ({type(exc).__name__}: {exc}); please report it"
                )
                continue
            plan = attempt
            planned.append((key, finding))
        return plan, planned

    def _try(self, ctx: _StepContext, plan: Plan) -> _Version | str:
        """The file with *plan* applied, if the proof accepts it; else why not.

        Each new from-import goes where isort puts it (placement.py). Where the proof
        refuses that, because the move loads modules in another order, the lines stay
        where the old ones stood, unless their group keeps isort's order: a line left
        out of it would be a new isort finding, so the rewrite is refused."""
        if not plan:
            return "nothing to change"
        try:
            applied = _apply(ctx.module, plan, ctx.parents)
            placed = placement.place_all(applied, plan.placed)
        except (RecursionError, _NoLibcst):
            raise
        except Exception as exc:  # noqa: BLE001 - a libcst error is this finding's, not the run's
            return f"the rewrite could not be made ({type(exc).__name__}: {exc})"
        result = self._proved(ctx, plan, placed.module)
        if not isinstance(result, str) or not placed.moved:
            return result
        in_place = self._proved(ctx, plan, applied)
        if isinstance(in_place, str):
            return result
        if placed.required:
            return (
                f"the new from-import belongs after the plain imports, in isort's order, which the imports"
                f" at {_where(ctx, placed.required[0])} keep, and moving it there would load modules in"
                " another order"
            )
        return in_place

    def _proved(self, ctx: _StepContext, plan: Plan, new_module: Any) -> _Version | str:
        """*new_module* (with ``import importlib`` where the plan adds it) as the next
        version, if the proof accepts it; else why not."""
        try:
            for statement in plan.imports:
                new_module = _add_import(new_module, statement)
            data = self.rendered.data(new_module)
        except UnicodeEncodeError:
            return f"the rewrite cannot be written in this file's encoding ({ctx.module.encoding})"
        except (RecursionError, _NoLibcst):
            raise
        except Exception as exc:  # noqa: BLE001 - a libcst error is this finding's, not the run's
            return f"the rewrite could not be made ({type(exc).__name__}: {exc})"
        if data == self.rendered.data(ctx.module):
            return "the rewrite changes nothing"
        new_text, _ = decode(data)
        try:
            new_tree: ast.Module | None = parse_ast(new_text)
        except FixError:
            new_tree = None  # the proof says why
        problem = prove(
            ctx.text,
            new_text,
            facts=self.facts,
            readers=self.readers,
            old_tree=ctx.tree,
            new_tree=new_tree,
            intended=plan.intended.values(),
        )
        if problem is not None:
            return ctx.on_disk(problem)
        assert new_tree is not None  # the proof refuses a file that does not parse
        return _Version(new_module, new_text, new_tree)


def _where(ctx: _StepContext, code: str) -> str:
    """``line N`` for the first line of the file that is *code* (a line the step did not write),
    else the code itself."""
    first = code.splitlines()[0]
    number = next((n for n, line in enumerate(ctx.lines, 1) if line.strip() == first), None)
    return f"{first!r}" if number is None else f"line {number}"


@dataclass
class _Version:
    """One state of the file as the steps rewrite it: the libcst module (None for the
    file as read until a rewrite asks for it), its text and ``ast``, and its findings
    once they are asked for."""

    module: Any
    text: str
    tree: ast.Module
    findings: list[Finding] | None = None
    #: what the steps on this version know of it (its model, its nodes' positions, ...)
    ctx: _StepContext | None = None

    def context(self, fixer: Fixer) -> _StepContext:
        """One context per version, shared by the steps of every code on it."""
        if self.ctx is None:
            self.ctx = _StepContext(self, fixer)
        return self.ctx

    def module_names(self) -> set[str]:
        """The names the module's namespace may hold (:meth:`Model.module_names`, which the
        tracked names and the facts do not change)."""
        if self.ctx is not None and "model" in self.ctx.__dict__:
            return self.ctx.model.module_names()
        return module_names(self.tree)


def _keyed(findings: Iterable[Finding]) -> list[tuple[tuple[str, str, int], Finding]]:
    """Each finding with a key that survives edits elsewhere: code, message, and
    how many identical findings come before it."""
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for f in findings:
        out.append(((f.code, f.message, seen[(f.code, f.message)]), f))
        seen[(f.code, f.message)] += 1
    return out


class LineMap:
    """Lines of one text mapped to another (what a step rewrote maps to its whole block)."""

    def __init__(
        self, text: str, original: str, pieces: tuple[list[str], list[str]] | None = None
    ) -> None:
        self.identity = text == original
        if self.identity:
            return
        if pieces is not None and "\r" not in text and "\r" not in original:
            self.blocks = _piecewise_opcodes(*pieces)
            return
        a, b = source_lines(text), source_lines(original)
        self.blocks = list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())

    def span(self, line: int) -> tuple[int, int]:
        """The original lines that line *line* (1-based) of the text stands for."""
        if self.identity:
            return line, line
        index = line - 1
        # a block holding the line, before an empty one at it (original lines dropped there:
        # a line the rewrite moved down leaves such a block where it stood)
        holding = [b for b in self.blocks if b[1] <= index < b[2]] or [
            b for b in self.blocks if b[1] == b[2] == index
        ]
        for tag, i1, _i2, j1, j2 in holding[:1]:
            if tag == "equal":
                return j1 + (index - i1) + 1, j1 + (index - i1) + 1
            return j1 + 1, max(j1 + 1, j2)
        return line, line

    def line(self, line: int) -> int:
        return self.span(line)[0]


# ------------------------------------------- rendering and finding nodes, a statement at a time


class _Renderer:
    """The code of a libcst module rendered one top-level statement at a time.

    libcst's nodes are immutable and a step rebuilds only the nodes on the way
    from what it replaces up to the module (:func:`_apply`), so a statement a
    step did not touch is the very same node in the next version: its code is
    rendered once per run, not once per step. Only one file's versions go
    through one renderer (they share its indentation and newline)."""

    def __init__(self) -> None:
        self._codes: dict[int, tuple[Any, str]] = {}

    def code_of(self, module: Any, node: Any) -> str:
        entry = self._codes.get(id(node))
        if entry is not None and entry[0] is node:
            return entry[1]
        code: str = module.code_for_node(node)
        self._codes[id(node)] = (node, code)  # the node is kept, so its id is not reused
        return code

    def pieces(self, module: Any) -> list[str]:
        """The code of the header's lines, each statement and the footer's lines."""
        return [self.code_of(module, node) for node in (*module.header, *module.body, *module.footer)]

    def code(self, module: Any) -> str:
        """``module.code``."""
        if not module.has_trailing_newline or not (module.header or module.body or module.footer):
            return str(module.code)  # libcst's own rules for the last newline
        return "".join(self.pieces(module))

    def data(self, module: Any) -> bytes:
        """``module.bytes``."""
        return self.code(module).encode(module.encoding)


class _NodeIndex:
    """libcst's positions (where each node starts) and parents of a module's nodes,
    computed for one top-level statement at a time, when a node in it is asked for:
    a step that rewrites one import and its uses does not walk the whole module.

    Each statement's metadata comes from a module of that statement alone, whose
    lines are shifted by the lines of the code before it. A file with a carriage
    return in it gets the whole module's metadata at once (libcst counts a lone
    ``\\r`` as a line end, which the shifting would have to copy token by token)."""

    def __init__(self, module: Any, renderer: _Renderer) -> None:
        self.module = module
        self.renderer = renderer
        self.starts: list[int] = []  # the first line of each top-level statement's code
        #: the header's lines, the statements and the footer's lines, with where each is
        self.statements = [*module.header, *module.body, *module.footer]
        self.fields = ["header"] * len(module.header) + ["body"] * len(module.body)
        self.fields += ["footer"] * len(module.footer)
        self.done: set[int] = set()  # indexes of the statements whose metadata is in
        self.positions: dict[tuple[int, int], list[Any]] = {}
        self.parent_of: dict[Any, Any] = {}
        pieces = renderer.pieces(module)
        self.whole = any("\r" in piece for piece in pieces)
        if self.whole:
            self._index_module()
            return
        line = 1
        for piece in pieces:
            self.starts.append(line)
            line += piece.count("\n")
        self.by_start = _StartIndex(self)
        self.parents = _Parents(self)

    def _index_module(self) -> None:
        from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        for node, pos in wrapper.resolve(PositionProvider).items():
            if node is not self.module:
                self.positions.setdefault((pos.start.line, pos.start.column), []).append(node)
        self.parent_of.update(wrapper.resolve(ParentNodeProvider))
        self.done.update(range(len(self.statements)))
        self.by_start = _StartIndex(self)
        self.parents = _Parents(self)

    def index_statement(self, number: int) -> None:
        if number in self.done:
            return
        self.done.add(number)
        import libcst as cst
        from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

        statement = self.statements[number]
        parts: dict[str, Any] = {"header": (), "body": (), "footer": ()}
        parts[self.fields[number]] = [statement]
        alone = cst.Module(
            **parts,
            encoding=self.module.encoding,
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
        )
        wrapper = MetadataWrapper(alone, unsafe_skip_copy=True)
        shift = self.starts[number] - 1
        for node, pos in wrapper.resolve(PositionProvider).items():
            if node is not alone:
                self.positions.setdefault((pos.start.line + shift, pos.start.column), []).append(node)
        for node, parent in wrapper.resolve(ParentNodeProvider).items():
            self.parent_of[node] = self.module if parent is alone else parent

    def index_line(self, line: int) -> None:
        if self.starts:
            self.index_statement(max(0, bisect.bisect_right(self.starts, line) - 1))

    def index_all(self) -> None:
        for number in range(len(self.statements)):
            self.index_statement(number)


class _StartIndex:
    """(line, column) -> the libcst nodes that start there, as PositionProvider says."""

    def __init__(self, index: _NodeIndex) -> None:
        self.index = index

    def get(self, start: tuple[int, int], default: Any = None) -> Any:
        if not self.index.whole:
            self.index.index_line(start[0])
        return self.index.positions.get(start, default)


class _Parents:
    """node -> its parent, as ParentNodeProvider says (the module has none)."""

    def __init__(self, index: _NodeIndex) -> None:
        self.index = index

    def get(self, node: Any, default: Any = None) -> Any:
        index = self.index
        found = index.parent_of.get(node)
        if found is None and node is not index.module and len(index.done) < len(index.statements):
            index.index_all()  # a node no lookup has shown: look everywhere
            found = index.parent_of.get(node)
        return default if found is None else found

    def __getitem__(self, node: Any) -> Any:
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found


def _piecewise_opcodes(new: list[str], old: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The line opcodes of ``"".join(new)`` against ``"".join(old)``, where each piece is
    whole lines (a statement's code, :class:`_Renderer`): the pieces are matched first
    and only the lines of the pieces that differ are diffed, which keeps a long file
    with many alike lines from a quadratic diff of all its lines."""
    opcodes: list[tuple[str, int, int, int, int]] = []  # as SequenceMatcher's
    new_start = [0]
    for piece in new:
        new_start.append(new_start[-1] + piece.count("\n"))
    old_start = [0]
    for piece in old:
        old_start.append(old_start[-1] + piece.count("\n"))
    outer = difflib.SequenceMatcher(None, new, old, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in outer:
        a1, a2, b1, b2 = new_start[i1], new_start[i2], old_start[j1], old_start[j2]
        if tag == "equal":
            opcodes.append((tag, a1, a2, b1, b2))
            continue
        a = source_lines("".join(new[i1:i2]))
        b = source_lines("".join(old[j1:j2]))
        for tag2, k1, k2, l1, l2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            opcodes.append((tag2, a1 + k1, a1 + k2, b1 + l1, b1 + l2))
    return opcodes


_LINE_REF = re.compile(r"\bline (\d+)")


@dataclass
class _StepContext:
    version: _Version
    fixer: Fixer

    @property
    def tree(self) -> ast.Module:
        return self.version.tree

    @property
    def text(self) -> str:
        return self.version.text

    @property
    def module(self) -> Any:
        """The libcst module (parsed when first asked for)."""
        return self.fixer.module_of(self.version)

    @cached_property
    def lines(self) -> list[str]:
        return source_lines(self.text)

    @cached_property
    def model(self) -> Model:
        return Model(self.tree, None, self.fixer.facts)

    @cached_property
    def _index(self) -> _NodeIndex:
        return _NodeIndex(self.module, self.fixer.rendered)

    @property
    def by_start(self) -> _StartIndex:
        return self._index.by_start

    @property
    def parents(self) -> _Parents:
        return self._index.parents

    @cached_property
    def records(self) -> list[ImportRecord]:
        from flake8_importstyle.classify import records_from_ast

        return records_from_ast(self.tree, self.lines)

    @cached_property
    def _records_at(self) -> dict[tuple[int, int], tuple[ImportRecord, Name]]:
        return {(n.line, n.col): (record, n) for record in self.records for n in record.names}

    @cached_property
    def _aliases_at(self) -> dict[tuple[int, int], ast.alias]:
        out = {}
        for stmt in self.model.import_statements:
            for alias in stmt.names:
                out[(alias.lineno, char_col(self.lines, alias.lineno, alias.col_offset))] = alias
        return out

    @cached_property
    def encoding(self) -> str:
        return str(self.module.encoding)

    def on_disk(self, reason: str) -> str:
        """*reason* with its line numbers turned into lines of the file on disk."""
        if self.text == self.fixer.original_text:
            return reason
        mapping = LineMap(self.text, self.fixer.original_text, self.fixer._pieces(self.module))
        return _LINE_REF.sub(lambda m: f"line {mapping.line(int(m.group(1)))}", reason)

    # -- finding the flagged code
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

    def record_of(self, finding: Finding) -> tuple[ImportRecord, Name]:
        try:
            return self._records_at[(finding.line, finding.col)]
        except KeyError:
            raise Refused("the flagged import could not be located") from None

    def binding_of(self, finding: Finding) -> Binding:
        alias = self._aliases_at.get((finding.line, finding.col))
        binding = self.model.alias_binding.get(id(alias)) if alias is not None else None
        if binding is None:
            raise Refused("the flagged import could not be located")
        return binding

    def statement_of(self, alias: Any) -> tuple[Any, Any]:
        """The Import/ImportFrom small statement of an alias, and its line statement."""
        import libcst as cst

        small = self.parents[alias]
        line = self.parents[small]
        if not isinstance(line, cst.SimpleStatementLine):
            raise Refused("the import is not on a line of its own")
        return small, line

    def cst_alias(self, alias: ast.alias) -> Any:
        """The libcst ImportAlias of an ``ast`` alias."""
        import libcst as cst

        start = (alias.lineno, char_col(self.lines, alias.lineno, alias.col_offset))
        for node in self.by_start.get(start, []):
            if isinstance(node, cst.ImportAlias):
                return node
        raise Refused(f"the import at line {alias.lineno} could not be located")

    def cst_name(self, read: ast.Name) -> Any:
        """The libcst Name node of an ``ast`` read."""
        import libcst as cst

        col = char_col(self.lines, read.lineno, read.col_offset)
        for node in self.by_start.get((read.lineno, col), []):
            if isinstance(node, cst.Name) and node.value == read.id:
                return node
        raise Refused(f"the use of {read.id!r} at line {read.lineno} could not be located")

    def position(self, node: ast.AST) -> tuple[int, int]:
        """A node's line and its column in characters, as findings give them."""
        line: int = getattr(node, "lineno", 1)
        return line, char_col(self.lines, line, getattr(node, "col_offset", 0))

    def alias_of(self, binding: Binding) -> Any:
        """The libcst alias of an import's binding."""
        import libcst as cst

        for (line, col), alias in self._aliases_at.items():
            if self.model.alias_binding.get(id(alias)) == binding:
                for node in self.by_start.get((line, col), []):
                    if isinstance(node, cst.ImportAlias):
                        return node
        raise Refused(f"the import of {binding.name!r} could not be located")

    @cached_property
    def stale_reads(self) -> list[tuple[ast.Name, tuple[str, str, int, str], ast.AST]]:
        """Every stale read after a reload (IPS302's flow, each read, not the first only)."""
        from flake8_importstyle.rules.base import FileContext
        from flake8_importstyle.rules.cache import StaleNameAfterReload

        fixer = self.fixer
        file = FileContext(
            tree=self.tree,
            lines=self.lines,
            filename=fixer.filename,
            config=fixer.config,
            records=self.records,
        )
        return list(StaleNameAfterReload().stale_reads(file, every=True))

    # -- the model's answers, as the planner needs them
    def uses(self, binding: Binding) -> list[ast.Name]:
        """The reads *binding* serves (some maybe together with other bindings)."""
        return self.model.reads_served_by(binding)

    def exclusive(self, read: ast.Name, binding: Binding) -> None:
        """Refused unless *binding* alone serves *read*, wherever and whenever it runs."""
        model = self.model
        string = model.in_string.get(id(read))
        if string is not None:
            raise Refused(
                f"{binding.name!r} is read by the string annotation at line {string.lineno},"
                " which a rewrite would not update"
            )
        others = sorted(model.meaning(read) - {binding}, key=lambda b: (b.kind, model.line_of(b)))
        if others:
            raise Refused(self._why_shared(read, binding, others[0]))

    def _why_shared(self, read: ast.Name, binding: Binding, other: Binding) -> str:
        name, line = binding.name, read.lineno
        where = self.model.line_of(other)
        if other.kind in (UNBOUND, "builtin"):
            first = self.model.line_of(binding)
            return f"{name!r} at line {line} may be read when the import at line {first} has not run"
        if other.kind == STAR:
            return f"{name!r} at line {line} may come from the star import at line {where}"
        if other.kind == IMPORT:
            return f"{name!r} at line {line} may come from the import at line {where}"
        if other.kind == OTHER:
            return f"{name!r} at line {line} may be the one bound at line {where}"
        return f"{name!r} at line {line} may be bound elsewhere"  # pragma: no cover

    def free(self, name: str) -> bool:
        """Nothing in the file binds or reads *name*, and it is no builtin."""
        model = self.model
        return (
            name not in model.bound_anywhere()
            and name not in model.read_anywhere()
            and name not in BUILTIN_NAMES
        )

    @cached_property
    def ast_parents(self) -> dict[int, ast.AST]:
        return parents(self.tree)

    def ast_chain(self, read: ast.Name, dotted: str) -> tuple[ast.expr, bool]:
        """The outermost node of the longest prefix of the chain *dotted* that starts at
        *read*, and whether it is the whole of *dotted*."""
        parts = dotted.split(".")
        node: ast.expr = read
        depth = 1
        while depth < len(parts):
            up = self.ast_parents.get(id(node))
            if not (isinstance(up, ast.Attribute) and up.value is node and up.attr == parts[depth]):
                break
            node, depth = up, depth + 1
        return node, depth == len(parts)

    def cst_chain(self, top: ast.expr, dotted: str) -> Any:
        """The libcst node of the chain *dotted* whose ``ast`` node is *top*."""
        col = char_col(self.lines, top.lineno, top.col_offset)
        for node in self.by_start.get((top.lineno, col), []):
            if _cst_chain(node) == dotted:
                return node
        raise Refused(f"the use of {dotted!r} at line {top.lineno} could not be located")

    # -- what the proof would refuse, found before the rewrite is made
    @cached_property
    def namespace(self) -> Namespace:
        return namespace_of(self.tree, self.text)

    @cached_property
    def identity_changes(self) -> list[tuple[int, str, str]]:
        return list(Evaluator(self.model, self.fixer.facts).identity_changes(self.tree))

    def still_bound(self, binding: Binding) -> bool:
        """Whether the namespace of *binding*'s scope holds its name without it."""
        scope = self.model.scopes[binding.scope]
        others = [b for _, b, _ in scope.sites.get(binding.name, ()) if b != binding]
        return bool(others or scope.extra.get(binding.name)) or _served_elsewhere(self, binding)

    def check_effects(
        self,
        removed: set[str],
        added: set[str],
        modules: set[str],
        scope: NameScope | None = None,
        rebinds: Collection[str] = (),
    ) -> None:
        """Refused where other code could tell: a name taken out of the namespace of
        *scope* (default: the module's) or put in it that something reads
        (:func:`~flake8_importstyle.proof.namespace_problem`; for a class body,
        :func:`~flake8_importstyle.proof.class_problem`), a name in *rebinds* (bound by
        the rewritten import, so another object at some time even where it stays bound)
        that something reads by its string, or a module whose object the file changes
        (sys.modules, reload, __import__)."""
        model = self.model
        scope = scope or model.module
        added = {name for name in added if name not in scope.locals}
        changed = {(id(scope.node), name) for name in {*rebinds, *removed, *added}}
        if scope is model.module:
            problem = namespace_problem(self.namespace, removed, added, self.fixer.readers, changed)
        else:
            problem = namespace_problem(self.namespace, set(), set(), self.fixer.readers, changed)
            names = {*rebinds, *removed, *added}
            if problem is None and scope.kind == "class" and names:
                assert isinstance(scope.node, ast.ClassDef)
                problem = class_problem(model, scope.node, names, self.fixer.readers)
        if problem is not None:
            raise Refused(problem)
        problem = identity_problem(self.identity_changes, modules) if modules else None
        if problem is not None:
            raise Refused(problem)


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

    A statement that imports only *alias* is replaced in place (its position
    and comments kept); otherwise the statement is cut at *alias*: the names
    before it, the new statements, then the names after it, so every module is
    still imported in the original order. A parenthesised from-import keeps
    its parentheses, layout and comments in both halves; the comments that
    stood with *alias* (``pyplot,  # the plots``, a ``# noqa``) end the first
    new line.
    """
    import libcst as cst

    small, line = ctx.statement_of(alias)
    if small in plan.replace or line in plan.replace:  # libcst nodes compare by identity
        raise Refused("another rewrite already changes this statement")
    names = small.names
    if isinstance(names, cst.ImportStar):
        raise Refused("a star import")
    new = [_new_statement(code) for code in new_lines]
    if len(names) == 1:
        moved = _comments(small)
        if len(line.body) == 1:
            first = new[0].with_changes(
                leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace
            )
            whole = [_add_comments(first, moved), *new[1:]]
            plan.replace[line] = cst.FlattenSentinel(whole)
            plan.placed += _from_imports(whole)
        elif len(new) == 1 and not moved:
            plan.replace[small] = new[0].body[0].with_changes(semicolon=small.semicolon)
        else:
            raise Refused("the import shares its line with other statements")
        return
    if len(line.body) != 1:
        raise Refused("the import shares its line with other statements")
    index = next(i for i, n in enumerate(names) if n is alias)
    before, after = _without(small, index)
    new[0] = _add_comments(new[0], _comments(alias))
    parts: list[Any] = []
    if before is not None:
        trailing = line.trailing_whitespace if after is None or not _parenthesised(small) else None
        parts.append(
            line.with_changes(body=[before], trailing_whitespace=trailing or cst.TrailingWhitespace())
        )
    else:  # the line's blank lines and comments above go with its first statement
        new[0] = new[0].with_changes(leading_lines=line.leading_lines)
        if not _parenthesised(small) or after is None:
            new[0] = _add_comments(new[0], _comments(line.trailing_whitespace))
    parts += new
    if after is not None:
        whitespace = line.trailing_whitespace if _parenthesised(small) else cst.TrailingWhitespace()
        parts.append(cst.SimpleStatementLine(body=[after], trailing_whitespace=whitespace))
    plan.replace[line] = cst.FlattenSentinel(parts)
    plan.placed += _from_imports(new)


def _from_imports(lines: list[Any]) -> list[Any]:
    """The from-import lines among *lines*: those a rewrite moves to isort's place."""
    import libcst as cst

    return [line for line in lines if isinstance(line.body[0], cst.ImportFrom)]


def _parenthesised(small: Any) -> bool:
    return getattr(small, "lpar", None) is not None


def _without(small: Any, index: int) -> tuple[Any, Any]:
    """The statement with the names before *index*, and with those after it (None
    where there are none). A from-import in parentheses over several lines keeps
    one name a line: the half that no longer holds the last name gets a trailing
    comma and closes as the statement did; otherwise the half's last name loses
    its comma."""
    import libcst as cst

    names = list(small.names)
    closing = _closing(small)
    halves: list[Any] = []
    for part in (names[:index], names[index + 1:]):  # fmt: skip
        if not part:
            halves.append(None)
            continue
        if part[-1] is names[-1]:
            halves.append(small.with_changes(names=part))
            continue
        if closing is None:
            part[-1] = part[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)  # `(a, b)` -> `(a)`
            halves.append(small.with_changes(names=part))
            continue
        own = part[-1].comma.whitespace_after
        first = own.first_line if isinstance(own, cst.ParenthesizedWhitespace) else cst.TrailingWhitespace()
        comma = part[-1].comma.with_changes(whitespace_after=closing.with_changes(first_line=first))
        part[-1] = part[-1].with_changes(comma=comma)
        rpar = small.rpar.with_changes(whitespace_before=cst.SimpleWhitespace(""))
        halves.append(small.with_changes(names=part, rpar=rpar))
    return halves[0], halves[1]


def _closing(small: Any) -> Any:
    """How a parenthesised import over several lines closes: the whitespace before
    its ``)`` (without the comment that ends the last name's line); None for one line."""
    import libcst as cst

    if not _parenthesised(small):
        return None
    last_comma = getattr(small.names[-1].comma, "whitespace_after", None)
    for whitespace in (small.rpar.whitespace_before, last_comma):
        if isinstance(whitespace, cst.ParenthesizedWhitespace):
            return whitespace.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return None


def _comments(node: Any) -> list[str]:
    """The comments inside *node*, in order."""
    import libcst as cst

    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            found.append(current.value)
        stack.extend(reversed(current.children))
    return found


def _add_comments(statement: Any, comments: list[str]) -> Any:
    """*statement* with *comments* at the end of its line, after its own comment."""
    import libcst as cst

    if not comments:
        return statement
    trailing = statement.trailing_whitespace
    own = [trailing.comment.value] if trailing.comment is not None else []
    comment = cst.Comment("  ".join([*own, *comments]))
    return statement.with_changes(
        trailing_whitespace=trailing.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
    )


def _drop_alias(ctx: _StepContext, alias: Any, plan: Plan) -> None:
    import libcst as cst

    small, line = ctx.statement_of(alias)
    if small in plan.replace or line in plan.replace:
        raise Refused("another rewrite already changes this statement")
    problem = _drop_problem(small, line)
    if problem is not None:
        raise Refused(problem)
    if len(small.names) > 1:
        index = next(i for i, n in enumerate(small.names) if n is alias)
        before, after = _without(small, index)
        kept = [*(before.names if before is not None else ()), *(after.names if after is not None else ())]
        if not _parenthesised(small):
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        kept_line = line.with_changes(body=[small.with_changes(names=kept)])
        plan.replace[line] = _add_comments(kept_line, _comments(alias))
        return
    plan.replace[line] = cst.RemoveFromParent()
    following = _following(ctx, line)
    if following is not None and line.leading_lines and not any(
        following in _ancestors(ctx.parents, node) for node in plan.replace
    ):
        # the blank lines (and form feeds) above the import stay, above the next statement:
        # only the import's own line goes
        plan.replace[following] = following.with_changes(
            leading_lines=[*line.leading_lines, *following.leading_lines]
        )


def _following(ctx: _StepContext, line: Any) -> Any:
    """The statement after *line* in its block, or None for the block's last."""
    parent = ctx.parents.get(line)
    body = getattr(parent, "body", None)
    if not isinstance(body, (list, tuple)):
        return None
    index = next((i for i, node in enumerate(body) if node is line), None)
    return body[index + 1] if index is not None and index + 1 < len(body) else None


def _drop_problem(small: Any, line: Any) -> str | None:
    """Why :func:`_drop_alias` cannot take an alias out of the import *small* on *line*
    without losing a statement or a comment; None when it can."""
    if len(small.names) > 1:
        return None if len(line.body) == 1 else "the import shares its line with other statements"
    if len(line.body) == 1 and not _comments(line):
        return None
    return "the import shares its line with other statements, or has comments"


def _droppable(ctx: _StepContext, alias: Any) -> bool:
    """Whether :func:`_drop_alias` can take *alias* out without losing a comment."""
    return _drop_problem(*ctx.statement_of(alias)) is None


def _fix_useless_alias(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS104: ``import a as a`` -> ``import a``: the same binding, spelled once."""
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    plan.replace[alias] = alias.with_changes(asname=None)


def _check_forms(ctx: _StepContext, dotted: str) -> None:
    """Refused unless ``import a.b`` and ``from a import b`` bind the same and fail alike."""
    parent, _, leaf = dotted.rpartition(".")
    facts = ctx.fixer.facts
    if resolve.module_name(ctx.fixer.filename) == parent:
        raise Refused(
            f"{parent!r} is this file's own package, whose names are not all bound while this code runs"
            " (a module __getattr__ here would answer the from-import)"
        )
    if not facts.from_binds_submodule(dotted):
        raise Refused(f"{parent!r} binds {leaf!r} to something other than its submodule {dotted!r}")
    if facts.missing(dotted):
        raise Refused(
            f"{dotted!r} does not exist: 'from {parent} import {leaf}' would raise ImportError"
            " instead of ModuleNotFoundError"
        )


def _dotted_to_from(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS102/IPS103: ``import a.b as c`` -> ``from a import b as c``: the same binding."""
    import libcst as cst

    alias = ctx.node_at(finding, cst.ImportAlias)
    _record, name = ctx.record_of(finding)
    parent, _, leaf = name.name.rpartition(".")
    _check_forms(ctx, name.name)
    ctx.check_effects(set(), set(), {name.name})
    earlier = _earlier_from_import(ctx, finding, ctx.binding_of(finding), name.name)
    if earlier is not None and earlier.name == name.asname and _droppable(ctx, alias):
        _drop_alias(ctx, alias, plan)  # `from a import b` above already binds it: the same binding
        return
    asname = "" if name.asname == leaf else f" as {name.asname}"
    _split(ctx, alias, [f"from {parent} import {leaf}{asname}\n"], plan)


def _chains(ctx: _StepContext, binding: Binding, dotted: str) -> tuple[list[ast.expr], bool]:
    """The reads of the chain *dotted* that *binding* alone serves (their outermost
    ``ast`` node), and whether *binding*'s name is also read for anything else."""
    other = False
    tops: list[ast.expr] = []
    for read in ctx.uses(binding):
        string = ctx.model.in_string.get(id(read))
        if string is not None:
            if dotted in str(string.value):
                ctx.exclusive(read, binding)  # raises: a string is not rewritten
            other = True
            continue
        top, whole = ctx.ast_chain(read, dotted)
        if not whole:
            other = True
            continue
        ctx.exclusive(read, binding)
        if not isinstance(getattr(top, "ctx", None), ast.Load):
            raise Refused(f"{dotted!r} is assigned to or deleted at line {read.lineno}")
        tops.append(top)
    if not tops:
        _why_nothing_to_rename(ctx, binding, dotted)
    return tops, other


def _rename(ctx: _StepContext, tops: list[ast.expr], dotted: str, new: str, plan: Plan) -> None:
    """Replace each chain *dotted* at *tops* by the expression *new*."""
    import libcst as cst

    if len(new) != len(dotted):
        for top in tops:
            _check_alignment(ctx, top)
    for top in tops:
        plan.replace[ctx.cst_chain(top, dotted)] = cst.parse_expression(new) if "." in new else cst.Name(new)


def _check_alignment(ctx: _StepContext, top: ast.expr) -> None:
    """Refused where a bracket opened after the chain *top* on its line is closed on a later
    line and has code after it on its own line: its continuation lines are aligned with it
    (pycodestyle's visual indent), and a chain of another length would shift it, leaving
    them out of line (E127/E128/E124)."""
    line = top.end_lineno or top.lineno
    tail = ctx.lines[line - 1].encode("utf-8")[top.end_col_offset or 0:].decode("utf-8", "replace")
    opened: list[bool] = []  # for each bracket still open: whether code follows it on the line
    try:
        for token in tokenize.generate_tokens(io.StringIO(tail).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
                break
            if opened and not opened[-1]:
                opened[-1] = True
            if token.type == tokenize.OP and token.string in "([{":
                opened.append(False)
            elif token.type == tokenize.OP and token.string in ")]}" and opened:
                opened.pop()
    except (tokenize.TokenError, SyntaxError):
        pass  # the line ends inside its brackets: the tokens before are all there is
    if any(opened):
        raise Refused(
            f"the rewrite would shift the bracket opened at line {line}, whose continuation lines"
            " are aligned with it (pycodestyle's visual indent)"
        )


def _why_nothing_to_rename(ctx: _StepContext, binding: Binding, dotted: str) -> None:
    """Refused: say why no read of *dotted* is this import's to rename."""
    served = {id(read) for read in ctx.uses(binding)}
    model, scope = ctx.model, ctx.model.scopes[binding.scope]
    for read in model.reads_of(binding.name):
        if id(read) in served or id(read) in model.in_string:
            continue
        if model.resolve(model.scope_of[id(read)], binding.name)[0] is not scope:
            continue  # another scope's name
        _top, whole = ctx.ast_chain(read, dotted)
        meaning = sorted(ctx.model.meaning(read), key=lambda b: (b.kind, ctx.model.line_of(b)))
        if whole and meaning:
            other, line = meaning[0], read.lineno
            where = ctx.model.line_of(other)
            if other.kind in (UNBOUND, "builtin"):
                raise Refused(
                    f"{dotted!r} at line {line} is read before the import at line"
                    f" {ctx.model.line_of(binding)} runs"
                )
            what = "the import" if other.kind in (IMPORT, STAR) else "the name bound"
            raise Refused(f"{dotted!r} at line {line} reads {what} at line {where}, not this import")
    dynamic = ctx.namespace.dynamic_access([(id(scope.node), binding.name)])
    if dynamic is not None:
        raise Refused(f"{dynamic}, which can read the names this rewrite changes by their strings")
    raise Refused(
        f"nothing reads {dotted!r}: the import is there for its side effect, and a"
        " rewrite would leave a name that looks unused"
    )


def _new_name_for(ctx: _StepContext, dotted: str, preferred: str) -> str:
    """*preferred* if it is free in the file and reads as no other module, else ``a_b`` for ``a.b``.

    A name that is also a top-level module of the standard library (``from importlib import
    abc``, ``from docutils import io``) or a module beside this file (``utils`` for
    ``email.utils`` in ``werkzeug/http.py``, next to ``werkzeug/utils.py``) makes a reader
    take one module for another: ``importlib_abc`` and ``email_utils`` say which it is."""
    fallback = dotted.replace(".", "_")
    problems = []
    for name in (preferred, fallback):
        problem = _identifier_problem(name, ctx.encoding) or _name_problem(ctx, name)
        if problem is None:
            return name
        problems.append(problem)
    if all(p.endswith(" is taken in this file") for p in problems):
        raise Refused(f"{preferred!r} and {fallback!r} are both taken in this file")
    raise Refused("; ".join(problems))


def _name_problem(ctx: _StepContext, name: str) -> str | None:
    """Why *name* cannot be the new name of a module: taken, or the name of another module."""
    if not ctx.free(name):
        return f"{name!r} is taken in this file"
    if name in sys.stdlib_module_names:
        return f"{name!r} would read as the standard library's module {name}"
    if name in _sibling_modules(ctx.fixer.filename):
        return f"{name!r} would read as the module {name} beside this file"
    return None


@lru_cache(maxsize=64)
def _sibling_modules(filename: str) -> frozenset[str]:
    """The modules and packages in the folder of *filename* (itself included)."""
    if not filename or filename in {"-", "stdin"}:
        return frozenset()
    folder = os.path.dirname(os.path.abspath(filename))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return frozenset()
    names = set()
    for entry in entries:
        stem, ext = os.path.splitext(entry.name)
        if ext in (".py", ".pyi") and entry.is_file():
            names.add(stem)
        elif entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py")):
            names.add(entry.name)
    return frozenset(n for n in names if n.isidentifier())


def _dotted_import(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS101: ``import a.b`` -> ``from a import b`` and every ``a.b`` -> ``b``."""
    import libcst as cst

    record, name = ctx.record_of(finding)
    binding = ctx.binding_of(finding)
    scope = _import_scope(ctx, record, binding)
    parent, _, leaf = name.name.rpartition(".")
    alias = ctx.node_at(finding, cst.ImportAlias)
    _check_forms(ctx, name.name)
    tops, other = _chains(ctx, binding, name.name)
    if _loaded_by_earlier_import(ctx, finding, binding, name.name) and _droppable(ctx, alias):
        # `import os` above binds the same name and already loads `os.path`: this import
        # adds nothing, and the uses `os.path.x` stay as they are (the minimal rewrite)
        ctx.check_effects(set(), set(), {name.bound, name.name}, scope, {binding.name})
        _drop_alias(ctx, alias, plan)
        return
    earlier = _earlier_from_import(ctx, finding, binding, name.name)
    if earlier is not None and (other or _droppable(ctx, alias)):
        # `from a import b` above binds the module: its name serves the uses, this import goes
        # (or becomes `import a` where the file reads `a` for more)
        removed = set() if other or ctx.still_bound(binding) else {name.bound}
        ctx.check_effects(removed, set(), {name.bound, name.name}, scope, {binding.name})
        _rename(ctx, tops, name.name, earlier.name, plan)
        if other and not _served_elsewhere(ctx, binding):
            _split(ctx, alias, [f"import {name.bound}\n"], plan)
        else:
            _drop_alias(ctx, alias, plan)
        return
    new_name = _new_name_for(ctx, name.name, leaf)
    removed = set() if other or ctx.still_bound(binding) else {name.bound}
    ctx.check_effects(removed, {new_name}, {name.bound, name.name}, scope, {binding.name})
    _rename(ctx, tops, name.name, new_name, plan)
    statements = []
    if other and not _served_elsewhere(ctx, binding):
        statements.append(f"import {name.bound}\n")
    as_part = "" if new_name == leaf else f" as {new_name}"
    statements.append(f"from {parent} import {leaf}{as_part}\n")
    _split(ctx, alias, statements, plan)


def _served_elsewhere(ctx: _StepContext, binding: Binding) -> bool:
    """Whether another alias in the same run binds the name to the same thing
    (``import os`` beside ``import os.path``), so the name stays bound."""
    count = sum(1 for b in ctx.model.alias_binding.values() if b == binding)
    return count > 1


def _loaded_by_earlier_import(ctx: _StepContext, finding: Finding, binding: Binding, dotted: str) -> bool:
    """Whether a plain ``import a`` in the same run of imports as the flagged ``import a.b``
    (before it, or right after it: then nothing runs between) and in the same scope binds the
    same name and, as the resolver reads ``a``'s source, loads ``a.b`` (``import os`` loads
    ``os.path``): the flagged import then loads nothing and binds nothing the other does not."""
    model = ctx.model
    top = dotted.partition(".")[0]
    for stmt in _run_neighbours(ctx, finding):
        if not isinstance(stmt, ast.Import):
            continue
        for other in stmt.names:
            found = model.alias_binding.get(id(other))
            if (
                other.name == top
                and other.asname is None
                and found is not None
                and found.scope == binding.scope
                and ctx.fixer.facts.also_loads([top], dotted)
            ):
                return True
    return False


def _run_neighbours(ctx: _StepContext, finding: Finding) -> list[ast.Import | ast.ImportFrom]:
    """The import statements before the flagged one in its run of imports, and the one right
    after it (between those and the flagged one, nothing else runs)."""
    model = ctx.model
    alias = ctx._aliases_at.get((finding.line, finding.col))
    if alias is None:
        return []
    mine = next((s for s in model.import_statements if any(a is alias for a in s.names)), None)
    if mine is None:
        return []
    run = model.run_key[id(mine)]
    statements = model.import_statements
    index = next(i for i, s in enumerate(statements) if s is mine)
    candidates = [s for s in statements[:index] if model.run_key[id(s)] == run]
    if index + 1 < len(statements) and model.run_key[id(statements[index + 1])] == run:
        candidates.append(statements[index + 1])
    return candidates


def _earlier_from_import(
    ctx: _StepContext, finding: Finding, binding: Binding, dotted: str
) -> Binding | None:
    """The binding of a ``from a import b [as c]`` that runs before the flagged import in the
    same run of imports (or right after it) and binds the same module *dotted*, where nothing
    else in the file binds its name: it serves every read the flagged import's rewrite would
    give it, and it loads *dotted* before anything else the run imports, so dropping the
    flagged import changes nothing (the minimal rewrite, rather than a second name for one
    module)."""
    model = ctx.model
    for stmt in _run_neighbours(ctx, finding):
        if not isinstance(stmt, ast.ImportFrom):
            continue
        for other in stmt.names:
            found = model.alias_binding.get(id(other))
            if found is None or found.kind != IMPORT or found.value != dotted or found.scope != binding.scope:
                continue
            sites = [b for scope in model.scopes for _, b, _ in scope.sites.get(found.name, ())]
            if all(b == found for b in sites) and not any(found.name in sc.extra for sc in model.scopes):
                return found
    return None


def _conventional_alias(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS106: bind the module to its conventional name and rename every use."""
    import libcst as cst

    record, name = ctx.record_of(finding)
    module = record.full_name(name)
    if module is None:  # pragma: no cover - IPS106 flags absolute names only
        raise Refused("a relative import")
    new_name = _alias_for(finding)
    problem = _identifier_problem(new_name, ctx.encoding)
    if problem is not None:
        raise Refused(problem)
    binding = ctx.binding_of(finding)
    scope = _import_scope(ctx, record, binding)
    if not ctx.free(new_name):
        raise Refused(f"{new_name!r} is already bound or used in this file")
    if not record.is_from and name.asname is None and "." in name.name:
        # import matplotlib.pyplot: its uses are chains
        tops, other = _chains(ctx, binding, name.name)
        removed = set() if other or ctx.still_bound(binding) else {name.bound}
        ctx.check_effects(removed, {new_name}, {name.bound, module}, scope, {binding.name})
        alias = ctx.node_at(finding, cst.ImportAlias)
        _rename(ctx, tops, name.name, new_name, plan)
        statements = []
        if other and not _served_elsewhere(ctx, binding):
            statements.append(f"import {name.bound}\n")
        statements.append(f"import {module} as {new_name}\n")
        _split(ctx, alias, statements, plan)
        return
    if record.is_from:
        _check_forms(ctx, module)
    reads = ctx.uses(binding)
    for read in reads:
        ctx.exclusive(read, binding)
    # the same binding under another name: no module's identity matters, but a from-import's form does
    removed = set() if ctx.still_bound(binding) else {binding.name}
    ctx.check_effects(removed, {new_name}, {module} if record.is_from else set(), scope, {binding.name})
    alias = ctx.node_at(finding, cst.ImportAlias)
    for read in reads:
        node = ctx.cst_name(read)
        plan.replace[node] = node.with_changes(value=new_name)
    if record.is_from:
        _split(ctx, alias, [f"import {module} as {new_name}\n"], plan)
    else:
        plan.replace[alias] = alias.with_changes(asname=cst.AsName(name=cst.Name(new_name)))


def _alias_for(finding: Finding) -> str:
    match = re.search(r" as (\w+)'", finding.message)
    if match is None:  # pragma: no cover - the message always names it
        raise Refused("the conventional name is unknown")
    return match.group(1)


def _dunder_import(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS201: ``__import__("m")`` -> ``importlib.import_module("m")``."""
    import libcst as cst

    node = _ast_call_at(ctx.tree, finding, ctx.lines)
    if node is None:
        raise Refused("the flagged call could not be located")
    known = {"name", "globals", "locals", "fromlist", "level"}
    if any(k.arg not in known for k in node.keywords):
        raise Refused("the call has unknown keyword arguments")
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise Refused("the call unpacks its arguments")
    name_node = string_arg(node, 0, "name")
    name = literal_str(name_node)
    if name is None or not name or name.startswith("."):
        raise Refused("the module name is not a plain string literal")
    if not all(part.isidentifier() for part in name.split(".")):
        raise Refused(f"{name!r} is not a dotted module name")
    level = string_arg(node, 4, "level")
    if level is not None and not (isinstance(level, ast.Constant) and level.value == 0):
        raise Refused("a relative import (level is not 0)")
    for extra in (string_arg(node, 1, "globals"), string_arg(node, 2, "locals")):
        if extra is not None and not _no_effect(extra):
            raise Refused("an argument of the call may do something when it is evaluated")
    fromlist = string_arg(node, 3, "fromlist")
    has_fromlist = False
    if fromlist is not None and not (isinstance(fromlist, ast.Constant) and fromlist.value is None):
        if not isinstance(fromlist, (ast.List, ast.Tuple)):
            raise Refused("the fromlist is not a literal list")
        items = [literal_str(e) for e in fromlist.elts]
        if any(i is None for i in items):
            raise Refused("the fromlist is not a list of string literals")
        if "*" in items:
            raise Refused(f"__import__ with fromlist ['*'] also imports the submodules {name}.__all__ names")
        submodules = [i for i in items if i and not (i.startswith("__") and i.endswith("__"))]
        if submodules:
            raise Refused(
                f"__import__ also imports {name}.{submodules[0]} if it is a submodule; import_module does not"
            )
        has_fromlist = bool(items)
    _check_importlib(ctx)
    has_importlib = _has_importlib(ctx)
    elsewhere = [b for _, b, _ in ctx.model.module.sites.get("importlib", ())]
    if elsewhere and not has_importlib:
        raise Refused(
            f"'importlib' is imported at line {ctx.model.line_of(elsewhere[0])}, not in the imports at the"
            " top of the file: another 'import importlib' would bind it twice"
        )
    ctx.check_effects(set(), set() if has_importlib else {"importlib"}, {name})
    call = ctx.call_at(finding)
    replace_node: Any = call
    if "." in name and not has_fromlist:
        # __import__("a.b").b.x -> importlib.import_module("a.b").x; any other use needs `a`
        for part in name.split(".")[1:]:
            parent = ctx.parents.get(replace_node)
            if not (
                isinstance(parent, cst.Attribute)
                and parent.value is replace_node
                and parent.attr.value == part
            ):
                top = name.split(".")[0]
                raise Refused(f"the result is the top-level package {top!r}; import_module returns {name!r}")
            replace_node = parent
    literal = _cst_argument(call)
    plan.replace[replace_node] = cst.Call(
        func=cst.Attribute(value=cst.Name("importlib"), attr=cst.Name("import_module")),
        args=[cst.Arg(value=literal)],
    )
    if not has_importlib:
        plan.add_import("import importlib")


def _no_effect(node: ast.expr) -> bool:
    """``globals()``, ``locals()``, ``None`` or another literal: dropping it changes nothing."""
    if isinstance(node, ast.Constant):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("globals", "locals")
        and not node.args
        and not node.keywords
    )


def _cst_argument(call: Any) -> Any:
    """The call's module-name argument, as written (its quotes and escapes kept)."""
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value == "name":
            return arg.value.deep_clone()
    raise Refused("the module name could not be located")  # pragma: no cover


def _check_importlib(ctx: _StepContext, module: str = "importlib") -> None:
    """Refused unless *module*'s name is free, or bound by nothing but ``import module``."""
    model = ctx.model
    bindings = [b for scope in model.scopes for _, b, _ in scope.sites.get(module, ())]
    bindings += [b for scope in model.scopes for b in scope.extra.get(module, ())]
    for b in bindings:
        if not (b.kind == IMPORT and b.value == module):
            raise Refused(f"{module!r} is bound to something else at line {model.line_of(b)}")
    if module in model.bound_anywhere() and not bindings:
        raise Refused(f"{module!r} is bound to something else in this file")


def _has_importlib(ctx: _StepContext, module: str = "importlib") -> bool:
    """Whether ``import module`` (or ``import module.sub``) in the imports at the top of
    the module (after its docstring) binds the name before anything else runs."""
    for stmt in _header(ctx):
        # `import importlib.util` binds `importlib` to the package as well
        if isinstance(stmt, ast.Import) and any(
            a.name.partition(".")[0] == module and a.asname is None for a in stmt.names
        ):
            return True
    return False


def _header(ctx: _StepContext) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports at the top of the module (after its docstring), which run before anything else."""
    model = ctx.model
    body = model.tree.body
    first = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
    return (stmt for stmt in model.import_statements if model.run_key[id(stmt)] == (0, -1, "body", first))


def _ast_call_at(tree: ast.Module, finding: Finding, lines: Sequence[str]) -> ast.Call | None:
    for node in ast.walk(tree):
        # several calls can start at one place (`f(x).g()`): the flagged one calls a plain name
        if isinstance(node, ast.Call) and node.lineno == finding.line and dotted_name(node.func) is not None:
            if char_col(lines, node.lineno, node.col_offset) == finding.col:
                return node
    return None


def _removed_api(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS205 and IPS206, where :data:`SWAPS` knows a drop-in: ``import imp`` ->
    ``import importlib`` and ``imp.reload(m)`` -> ``importlib.reload(m)``; ``import pipes``
    -> ``import shlex`` and ``pipes.quote`` -> ``shlex.quote``; ``from pipes import quote``
    -> ``from shlex import quote``."""
    import libcst as cst

    record, name = ctx.record_of(finding)
    module = record.module if record.is_from else name.name
    if module not in SWAPS:
        raise Refused(f"{module} has no drop-in replacement the fixer knows")
    new, member = SWAPS[module]
    used = f"{module}.{member}"
    if record.is_from:  # the same name, bound the same way, in any scope
        if record.level or any(n.name != member for n in record.names):
            raise Refused(f"only 'from {module} import {member}' is rewritten")
        if new == "importlib":
            raise Refused(f"only 'import {module}' with {used}() calls is rewritten")
        small, _line = ctx.statement_of(ctx.node_at(finding, cst.ImportAlias))
        if small in plan.replace:
            raise Refused("another rewrite already changes this statement")
        ctx.check_effects(set(), set(), {module, new})
        plan.replace[small] = small.with_changes(module=cst.Name(new))
        return
    if name.asname is not None:
        raise Refused(f"only 'import {module}' with {used}() calls is rewritten")
    binding = ctx.binding_of(finding)
    scope = _import_scope(ctx, record, binding)
    _check_importlib(ctx, new)
    reads = ctx.uses(binding)
    if not reads:
        raise Refused(f"no {used}() call to rewrite")
    for read in reads:
        if ctx.model.in_string.get(id(read)) is None and not ctx.ast_chain(read, used)[1]:
            raise Refused(f"the file uses {module} for more than {used}() (line {read.lineno})")
    tops, _other = _chains(ctx, binding, used)
    ctx.check_effects(set() if ctx.still_bound(binding) else {module}, {new}, set(), scope, {module})
    _rename(ctx, tops, used, f"{new}.{member}", plan)
    alias = ctx.node_at(finding, cst.ImportAlias)
    if _has_importlib(ctx, new):
        _drop_alias(ctx, alias, plan)
    elif new == "importlib" and (
        "importlib" in ctx.model.bound_anywhere() or "import importlib" in plan.imports
    ):
        _drop_alias(ctx, alias, plan)
        plan.add_import("import importlib")
    elif new in ctx.model.bound_anywhere():
        raise Refused(f"{new!r} is imported further down, not at the top of the file")
    else:  # `import imp` becomes `import importlib`, in place
        _split(ctx, alias, [f"import {new}\n"], plan)


def _pkg_resources(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS207: ``import pkg_resources`` read only for ``get_distribution(name).version``
    inside ``try``/``except DistributionNotFound`` -> ``from importlib import metadata``,
    ``metadata.version(name)`` and ``except metadata.PackageNotFoundError``."""
    import libcst as cst

    records = [r for r in ctx.records if not r.level and any(
        (r.module if r.is_from else n.name).partition(".")[0] == "pkg_resources" for n in r.names
    )]
    try:
        record, name = ctx.record_of(finding)
    except Refused:  # a use: its import's rewrite takes it along
        line = records[0].line if records else finding.line
        raise Refused(f"rewritten with the import at line {line}, when that can be") from None
    if record.is_from or name.name != "pkg_resources" or name.asname is not None:
        raise Refused("only 'import pkg_resources' with get_distribution(name).version is rewritten")
    binding = ctx.binding_of(finding)
    scope = _import_scope(ctx, record, binding)
    parents = ctx.ast_parents
    versions: list[ast.expr] = []
    handlers: list[ast.expr] = []
    for read in ctx.uses(binding):
        ctx.exclusive(read, binding)
        top, whole = ctx.ast_chain(read, "pkg_resources.get_distribution")
        call, attribute = parents.get(id(top)), None
        if isinstance(call, ast.Call) and call.func is top:
            attribute = parents.get(id(call))
        if whole and isinstance(attribute, ast.Attribute) and attribute.attr == "version":
            versions.append(top)
            continue
        top, whole = ctx.ast_chain(read, "pkg_resources.DistributionNotFound")
        handler = parents.get(id(top))
        if whole and isinstance(handler, ast.ExceptHandler) and handler.type is top:
            handlers.append(top)
            continue
        raise Refused(
            f"the file uses pkg_resources for more than get_distribution(name).version (line {read.lineno})"
        )
    if not versions:
        raise Refused("no get_distribution(name).version to rewrite")
    for top in versions:
        if _enclosing_try(parents, top) is None:
            raise Refused(
                f"line {top.lineno}: a missing distribution raises DistributionNotFound before the rewrite"
                " and PackageNotFoundError (an ImportError) after it, so only a"
                " get_distribution(name).version inside try/except DistributionNotFound is rewritten"
            )
    if not ctx.free("metadata"):
        raise Refused("'metadata' is taken in this file")
    removed = set() if ctx.still_bound(binding) else {"pkg_resources"}
    ctx.check_effects(removed, {"metadata"}, set(), scope, {"pkg_resources"})
    for top in versions:
        chain = ctx.cst_chain(top, "pkg_resources.get_distribution")
        call_node = ctx.parents.get(chain)
        attribute_node = ctx.parents.get(call_node)
        if not (isinstance(call_node, cst.Call) and isinstance(attribute_node, cst.Attribute)):
            raise Refused(f"the use at line {top.lineno} could not be located")  # pragma: no cover
        plan.replace[attribute_node] = cst.Call(
            func=cst.Attribute(value=cst.Name("metadata"), attr=cst.Name("version")), args=call_node.args
        )
    for top in handlers:
        plan.replace[ctx.cst_chain(top, "pkg_resources.DistributionNotFound")] = cst.parse_expression(
            "metadata.PackageNotFoundError"
        )
    _split(ctx, ctx.node_at(finding, cst.ImportAlias), ["from importlib import metadata\n"], plan)


def _enclosing_try(parents: dict[int, ast.AST], node: ast.AST) -> ast.Try | None:
    """The ``try`` whose body holds *node* in the same scope, if any."""
    child: ast.AST = node
    while True:
        up = parents.get(id(child))
        if up is None or isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        if isinstance(up, ast.Try) and any(child is s for s in up.body):
            return up
        child = up


def _reimported_name(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS404: ``from M import x`` -> ``from D import x`` (alias, comments and layout kept),
    where importing ``M`` provably does nothing but load what importing ``D`` loads
    (:func:`~flake8_importstyle.rules.origin.import_effects`) and the file reads ``M``
    nowhere else. Names that ``M`` defines stay in ``from M import ...``."""
    import libcst as cst

    from flake8_importstyle.rules.origin import Opaque, effective_loads, import_effects, reimported_from

    record, name = ctx.record_of(finding)
    if record.context.scope is not Scope.MODULE:
        raise Refused("only module-level imports are rewritten")
    if record.level:
        raise Refused("a relative import: the fixer would have to write the module's absolute name")
    module, roots = record.module, ctx.fixer.facts.roots
    origin = reimported_from(module, name.name, roots)
    if origin is None:  # pragma: no cover - the finding says there is one
        raise Refused(f"{module} no longer only re-imports {name.name!r}")
    own = resolve.module_name(ctx.fixer.filename)
    if module.split(".")[0] != origin.split(".")[0]:
        raise Refused(
            f"{origin} is in another top-level package than {module}, whose imports are not followed"
        )
    if own in (module, origin):
        raise Refused("the import names this file's own module")
    parts, target = module.split("."), origin.split(".")
    for i in range(1, len(parts) + 1):
        if parts[:i] == target[:i]:
            continue  # a package of the origin too: it is still loaded
        effects = import_effects(".".join(parts[:i]), roots)
        if isinstance(effects, Opaque):
            raise Refused(f"importing {module} may do more than re-import the name: {effects.reason}")
    if effective_loads(prefixes(module), roots) != effective_loads(prefixes(origin), roots):
        raise Refused(f"importing {module} loads modules that importing {origin} does not")
    if resolve.loads([origin], module, roots) is not False:
        raise Refused(f"importing {origin} may import {module} back (a cycle of imports)")
    node = first_naming(ctx.tree, {parts[-1]})
    if node is not None:
        line = getattr(node, "lineno", "?")
        raise Refused(f"line {line} may read {module}, which the file would no longer load")
    ctx.check_effects(set(), set(), {module, origin})
    alias = ctx.node_at(finding, cst.ImportAlias)
    small, line = ctx.statement_of(alias)
    if small in plan.replace or line in plan.replace:
        return  # another name of this statement moved it already
    moved = [a for a in small.names if reimported_from(module, _alias_name(a), roots) == origin]
    new_module = cst.parse_expression(origin)
    if len(moved) == len(small.names):
        plan.replace[small] = small.with_changes(module=new_module)
        return
    if len(line.body) != 1:
        raise Refused("the import shares its line with other statements")
    if _closing(small) is not None:
        raise Refused(
            f"the names {module} defines and those it re-imports share a statement over several lines"
        )
    kept = [a for a in small.names if all(a is not m for m in moved)]
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    code = cst.Module(body=[]).code_for_node
    names = ", ".join(code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in moved)
    first = _new_statement(f"from {origin} import {names}\n").with_changes(leading_lines=line.leading_lines)
    first = _add_comments(first, [c for a in moved for c in _comments(a)])
    rest = line.with_changes(body=[small.with_changes(names=kept)], leading_lines=())
    plan.replace[line] = cst.FlattenSentinel([first, rest])


# ------------------------------------------- unsafe rewrites (--unsafe-fixes)


def _package_argument(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS204 (unsafe): ``importlib.import_module(".m")`` -> ``importlib.import_module(".m",
    package=__package__)``, in a file that ``__init__.py`` files place in a package, where
    nothing rebinds ``__package__``. The call raised ``TypeError``; it now imports ``m``
    from this module's package."""
    import libcst as cst

    node = _ast_call_at(ctx.tree, finding, ctx.lines)
    if node is None:
        raise Refused("the flagged call could not be located")
    if not package_of(ctx.fixer.filename):
        raise Refused(
            "the file is in no package (no __init__.py beside it), so __package__ names none to import from"
        )
    named = _names_package(ctx.tree)
    if named is not None:
        raise Refused(f"line {named} names __package__, which may then not be this module's package")
    if len(node.args) + len(node.keywords) != 1:
        raise Refused("the call has other arguments than the module's name")
    call = ctx.call_at(finding)
    last = call.args[-1]
    comma = last.comma
    space = cst.SimpleWhitespace(" ")
    # the new argument takes the old one's trailing comma and the space before `)`
    package = cst.Arg(
        keyword=cst.Name("package"),
        value=cst.Name("__package__"),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        comma=comma,
        whitespace_after_arg=last.whitespace_after_arg,
    )
    last = last.with_changes(
        comma=comma.with_changes(whitespace_after=space) if isinstance(comma, cst.Comma) else cst.Comma(
            whitespace_after=space
        ),
        whitespace_after_arg=cst.SimpleWhitespace(""),
    )
    plan.replace[call] = call.with_changes(args=[*call.args[:-1], last, package])
    plan.intended[(node.lineno, node.col_offset)] = Intent("package", node.lineno, node.col_offset)


def _names_package(tree: ast.Module) -> int | None:
    """The first line that binds ``__package__`` (a parameter too) or names it at all."""
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg == "__package__":
            return node.lineno
    found = first_naming(tree, {"__package__"})
    return None if found is None else getattr(found, "lineno", 0)


def _fresh_reads(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS302 (unsafe): after ``reload(M)``, each stale read ``x`` of ``from M import x``
    -> ``M.x`` (``M`` as the reload spells it), in the scope that reloads; the
    from-import goes when nothing else reads it. Each read then sees the reloaded
    module's object where it saw the old one."""
    import libcst as cst

    stale = ctx.stale_reads
    flagged = next((s for s in stale if ctx.position(s[0]) == (finding.line, finding.col)), None)
    if flagged is None:
        raise Refused("the flagged read could not be located")
    use, (module, member, line, spelled), scope = flagged
    if not all(part.isidentifier() for part in spelled.split(".")):
        raise Refused(f"reload's argument at line {line} is not a name to read {member!r} through")
    reads = [r for r, facts, where in stale if r.id == use.id and facts[3] == spelled and where is scope]
    meaning = ctx.model.meaning(use)
    binding = next(iter(meaning)) if len(meaning) == 1 else None
    if binding is None or binding.kind != IMPORT:
        raise Refused(f"{use.id!r} at line {use.lineno} is not served by its from-import alone")
    written = _written(ctx, binding)
    if written is not None:
        raise Refused(f"{use.id!r} is written at line {written}, so some of its reads are no stale import")
    ids = {id(r) for r in reads}
    others = [r for r in ctx.uses(binding) if id(r) not in ids]
    nested = next((r for r in others if _nested_in(ctx, r, scope)), None)
    if nested is not None:
        raise Refused(
            f"{use.id!r} is also read at line {nested.lineno}, in a function or class the reload's flow does"
            " not follow"
        )
    for read in reads:  # the proof checks that `M` reads the reloaded module at each
        ctx.exclusive(read, binding)
        plan.replace[ctx.cst_name(read)] = cst.parse_expression(f"{spelled}.{member}")
        plan.intended[(read.lineno, read.col_offset)] = Intent(
            "attribute", read.lineno, read.col_offset, spelled, member
        )
    if not others:
        _drop_alias(ctx, ctx.alias_of(binding), plan)


def _module_reads(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS403 (unsafe): ``from os.path import join`` -> ``from os import path`` (the import
    the rule's message names) and every ``join`` -> ``path.join``, for a module-level,
    absolute from-import whose reads it alone serves. Each use then reads the attribute
    when it runs, not once at the import: a replaced attribute (``mock.patch``) is seen."""
    import libcst as cst

    record, name = ctx.record_of(finding)
    statement, use = import_of(record.module, ctx.fixer.config)
    existing = _through_module(ctx, record, [name], statement, use, plan)
    alias = ctx.node_at(finding, cst.ImportAlias)
    if existing:
        _drop_alias(ctx, alias, plan)  # `from os import path` is there already
    else:
        _split(ctx, alias, [f"{statement}\n"], plan)


def _whole_module(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS105 (unsafe): ``from json import dumps, loads`` -> ``import json`` (``as`` the
    configured alias) and every ``dumps`` -> ``json.dumps``, ``loads`` -> ``json.loads``:
    the whole statement, as the finding is. Each use then reads the attribute when it runs."""
    import libcst as cst

    record = next((r for r in ctx.records if (r.line, r.col) == (finding.line, finding.col)), None)
    if record is None or record.is_star:
        raise Refused("the flagged import could not be located, or imports *")
    alias = ctx.fixer.config.aliases.get(record.module)
    statement = f"import {record.module}" + (f" as {alias}" if alias else "")
    existing = _through_module(ctx, record, list(record.names), statement, alias or record.module, plan)
    first = ctx.node_at(Finding(record.names[0].line, record.names[0].col, "", ""), cst.ImportAlias)
    small, line = ctx.statement_of(first)
    if _drop_problem(small, line) is not None or len(line.body) != 1:
        raise Refused("the import shares its line with other statements, or has comments")
    if small in plan.replace or line in plan.replace:
        raise Refused("another rewrite already changes this statement")
    if existing:
        plan.replace[line] = cst.RemoveFromParent()
    else:
        plan.replace[line] = _new_statement(f"{statement}\n").with_changes(leading_lines=line.leading_lines)


def _through_module(
    ctx: _StepContext, record: ImportRecord, names: list[Name], statement: str, use: str, plan: Plan
) -> bool:
    """Plan every read of *names* (of the from-import *record*) as ``use.name``, each declared
    to the proof; whether an import that binds *use* to the module is there already (else
    *statement* must be written)."""
    import libcst as cst

    if record.context.scope is not Scope.MODULE or record.level:
        raise Refused("only absolute module-level imports are rewritten")
    if "." in use:
        raise Refused(f"{statement!r} binds a package, not the module the uses would read")
    existing = [b for _, b, _ in ctx.model.module.sites.get(use, ())]
    same = bool(existing) and all(b.kind == IMPORT and b.value == record.module for b in existing)
    if not ctx.free(use) and not (same and use not in bound_names(ctx.tree)):
        found = first_naming(ctx.tree, {use})
        where = f" (line {getattr(found, 'lineno', '?')})" if found is not None else ""
        raise Refused(f"{use!r} is already a name in this file{where}, not only the module's")
    bindings = [ctx.binding_of(Finding(name.line, name.col, "", "")) for name in names]
    for binding in bindings:
        _import_scope(ctx, record, binding)
    bound = {name.bound for name in names}
    ctx.check_effects(bound, set() if same else {use}, {record.module}, None, bound)
    for name, binding in zip(names, bindings):
        for read in ctx.uses(binding):
            ctx.exclusive(read, binding)
            plan.replace[ctx.cst_name(read)] = cst.parse_expression(f"{use}.{name.name}")
            plan.intended[(read.lineno, read.col_offset)] = Intent(
                "attribute", read.lineno, read.col_offset, use, name.name
            )
    return same


def _written(ctx: _StepContext, binding: Binding) -> int | None:
    """The first line that binds, deletes or declares *binding*'s name other than by an import,
    in its scope or one that may write it there (``global``/``nonlocal``)."""
    model, name = ctx.model, binding.name
    scope = model.scopes[binding.scope]
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            where = model.scope_of.get(id(node))
            if where is not None and model.resolve(where, name)[0] is scope:
                return node.lineno
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return node.lineno
    return None


def _nested_in(ctx: _StepContext, read: ast.Name, scope: ast.AST) -> bool:
    """Whether *read* stands in a function, lambda or class inside *scope*."""
    node: ast.AST | None = ctx.ast_parents.get(id(read))
    nested = False
    while node is not None and node is not scope:
        nested = nested or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
        node = ctx.ast_parents.get(id(node))
    return nested and node is scope


#: The submodule an IPS402 finding names.
_SUBMODULE = re.compile(r"'([\w.]+)' is a submodule")


def _unimported_submodule(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS402: ``import xml`` with ``xml.etree.ElementTree.parse(...)`` gets the import of the
    submodule its chain reaches, in the file's style (:func:`_submodule_style`): ``from
    xml.etree import ElementTree`` with the chains ``ElementTree.parse(...)``, or ``import
    xml.etree.ElementTree`` with the chains as they are. The import stands in place of
    ``import xml`` where nothing else reads it, else where isort puts it (module level:
    the module is on disk, and loading it earlier than any chain runs is what the proof of
    its effects permits). Refused unless importing each new module provably does nothing
    (:func:`~flake8_importstyle.rules.origin.import_effects`)."""
    match = _SUBMODULE.match(finding.message)
    if match is None:  # pragma: no cover - the message always names it
        raise Refused("the submodule is unknown")
    module = match.group(1)
    binding = _chain_binding(ctx, finding)
    package = binding.value
    own = resolve.module_name(ctx.fixer.filename)
    if own is not None and _within_module(own, module):
        raise Refused(f"the import would be of this file's own module {own}")
    in_package = prefixes(package)  # loaded where the package's import stands
    dotted = binding.name + module[len(package):]  # the chain as the file spells it
    scope = ctx.model.scopes[binding.scope]
    alias = _alias_of(ctx, binding)
    tops, other = _chains(ctx, binding, dotted)
    _check_not_caught(ctx, package, module)
    if _submodule_style(ctx, module, binding) == "dotted":
        ctx.check_effects(set(), set(), {package, module}, scope, {binding.name})
        if alias is not None and not _in_header(ctx, alias):  # the same scope, at the same time
            _check_inert(ctx, module, in_package)
            _split(ctx, ctx.cst_alias(alias), [f"import {alias.name}\n", f"import {module}\n"], plan)
        else:
            _check_inert(ctx, module, _header_loads(ctx))
            plan.add_import(f"import {module}")
        return
    statement, bound = import_of(module, ctx.fixer.config)
    if " as " not in statement:
        _check_forms(ctx, module)
    # never a standard top-level module's name (`from kit import types`): readers take it for that module
    preferred = module.replace(".", "_") if bound in sys.stdlib_module_names else bound
    new_name = _new_name_for(ctx, module, preferred)
    if new_name != bound:
        statement = f"{statement.partition(' as ')[0]} as {new_name}"
    node = ctx.cst_alias(alias) if alias is not None else None
    if node is not None and not other and not _served_elsewhere(ctx, binding) and _droppable(ctx, node):
        # `import xml` is read for nothing else: the new import takes its place
        _check_inert(ctx, module, in_package)
        removed = set() if ctx.still_bound(binding) else {binding.name}
        ctx.check_effects(removed, {new_name}, {package, module}, scope, {binding.name})
        _split(ctx, node, [statement + "\n"], plan)
    else:
        _check_inert(ctx, module, _header_loads(ctx))
        ctx.check_effects(set(), {new_name}, {module})
        plan.add_import(statement)
    _rename(ctx, tops, dotted, new_name, plan)


def _within_module(module: str, dotted: str) -> bool:
    return module == dotted or dotted.startswith(module + ".")


def _chain_binding(ctx: _StepContext, finding: Finding) -> Binding:
    """The import that alone serves the name the flagged chain starts with."""
    read = next(
        (
            r
            for r in ctx.model.reads
            if r.lineno == finding.line and char_col(ctx.lines, r.lineno, r.col_offset) == finding.col
        ),
        None,
    )
    if read is None:
        raise Refused("the flagged chain could not be located")
    imports = [b for b in ctx.model.meaning(read) if b.kind == IMPORT]
    if len(imports) != 1:
        raise Refused(f"{read.id!r} at line {read.lineno} may be bound by another import")
    ctx.exclusive(read, imports[0])  # nothing else serves it either
    return imports[0]


def _check_not_caught(ctx: _StepContext, package: str, module: str) -> None:
    """Refused where a chain through the modules below *package* that the import would load
    stands in a ``try`` whose handler catches AttributeError
    (:func:`~flake8_importstyle.proof.attribute_error_caught`): a chain that is not caught stops
    failing, one that is caught may be the program's fallback for the missing submodule."""
    fresh = prefixes(module)[len(prefixes(package)):]
    caught = attribute_error_caught(ctx.tree, {m.rpartition(".")[2] for m in fresh})
    if caught is not None:
        attribute, handler = caught
        raise Refused(
            f"the handler at line {handler.lineno} catches the AttributeError that line {attribute.lineno}"
            f" raises while nothing has imported {module}"
        )


def _check_inert(ctx: _StepContext, module: str, loaded: Collection[str]) -> None:
    """Refused unless importing *module* and each of its packages, but those *loaded* already
    where the new import goes, provably does nothing a program could tell: the import loads
    them at another time (or at all), where the file loaded them only if something else had."""
    from flake8_importstyle.rules.origin import Opaque, import_effects

    roots = ctx.fixer.facts.roots
    for prefix in prefixes(module):
        if prefix in loaded:
            continue
        if not isinstance(resolve.find(prefix, roots), resolve.Module):
            raise Refused(f"{prefix} cannot be found, so the import may fail")
        effects = import_effects(prefix, roots)
        if isinstance(effects, Opaque):
            raise Refused(
                f"importing {prefix} may do something, which it did not do there before: {effects.reason}"
            )
        if effects:
            raise Refused(f"importing {prefix} loads {effects[0]}, which may do something")


def _header_loads(ctx: _StepContext) -> set[str]:
    """The modules the imports at the top of the module load (with their packages)."""
    named = [
        a.name if isinstance(stmt, ast.Import) else stmt.module or ""
        for stmt in _header(ctx)
        if not (isinstance(stmt, ast.ImportFrom) and stmt.level)
        for a in stmt.names
    ]
    return {prefix for name in named if name for prefix in prefixes(name)}


def _submodule_style(ctx: _StepContext, module: str, binding: Binding) -> str:
    """``dotted`` (add ``import a.b.c``, the minimal diff) where the file's style keeps dotted
    imports: the options ask for the module whole (``importstyle-no-from``,
    ``importstyle-allow-dotted``) or IPS101 is not selected; else ``from``, what the message
    recommends (an ``import a.b`` the file has already is an IPS101 finding itself, so it
    does not make a new one welcome). ``import a.b.c`` binds ``a``: the chain must start
    with that name, bound by ``import a``."""
    statement, _ = import_of(module, ctx.fixer.config)
    config_dotted = statement.startswith("import ") and " as " not in statement
    dotted = config_dotted or not ctx.fixer.selected("IPS101")
    top = module.partition(".")[0]
    if dotted and binding.name == top and binding.value == top:
        return "dotted"
    if config_dotted:
        raise Refused(
            f"'import {module}' binds {top!r}, but the chain starts with {binding.name!r}"
            f" (bound to {binding.value})"
        )
    return "from"


def _alias_of(ctx: _StepContext, binding: Binding) -> ast.alias | None:
    """The ``ast`` alias of *binding*'s import (None for one that is not the only one)."""
    model = ctx.model
    aliases = [
        a for stmt in model.import_statements for a in stmt.names if model.alias_binding.get(id(a)) == binding
    ]
    return aliases[0] if len(aliases) == 1 else None


def _in_header(ctx: _StepContext, alias: ast.alias) -> bool:
    """Whether *alias* stands in the imports at the top of the module (after its docstring)."""
    return any(a is alias for stmt in _header(ctx) for a in stmt.names)


def _relative_import(ctx: _StepContext, finding: Finding, plan: Plan) -> None:
    """IPS108: ``from ..a import b`` -> ``from pkg.a import b`` (aliases, comments,
    parentheses and layout kept), where the file's package is known and an absolute
    import of its name finds that package (:func:`~flake8_importstyle.resolve.importing_package`):
    both then name the same module, so they bind the same objects."""
    import libcst as cst

    record = next(
        (r for r in ctx.records if r.level and (r.line, r.col) == (finding.line, finding.col)), None
    )
    if record is None:
        raise Refused("the flagged import could not be located")
    package = ctx.fixer.facts.package
    if not isinstance(package, resolve.Package):
        raise Refused(package)
    absolute = resolve.absolute_module(record.level, record.module, package.name)
    if absolute is None:
        top = package.name.partition(".")[0]
        raise Refused(
            f"'from {record.from_text} import' at line {record.line} climbs above the top-level"
            f" package {top!r}"
        )
    problem = package_problem(ctx.tree)
    if problem is not None:
        raise Refused(problem)
    node = ctx.node_at(finding, cst.ImportFrom)
    plan.replace[node] = node.with_changes(
        relative=(),
        module=cst.parse_expression(absolute),
        whitespace_after_from=_a_space(node.whitespace_after_from),
        whitespace_before_import=_a_space(node.whitespace_before_import),
    )


def _a_space(whitespace: Any) -> Any:
    """*whitespace*, or one space where it is empty (``from .import x``, ``from. import x``)."""
    import libcst as cst

    if isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value:
        return cst.SimpleWhitespace(" ")
    return whitespace


def _alias_name(alias: Any) -> str:
    from libcst.helpers import get_full_name_for_node

    return get_full_name_for_node(alias.name) or ""


_HANDLERS: dict[str, Callable[[_StepContext, Finding, Plan], None]] = {
    "IPS101": _dotted_import,
    "IPS102": _dotted_to_from,
    "IPS103": _dotted_to_from,
    "IPS104": _fix_useless_alias,
    "IPS106": _conventional_alias,
    "IPS108": _relative_import,
    "IPS201": _dunder_import,
    "IPS205": _removed_api,
    "IPS206": _removed_api,
    "IPS207": _pkg_resources,
    "IPS404": _reimported_name,
    "IPS402": _unimported_submodule,
    "IPS204": _package_argument,
    "IPS302": _fresh_reads,
    "IPS403": _module_reads,
    "IPS105": _whole_module,
}


def _apply(module: Any, plan: Plan, parents: Any) -> Any:
    """The module with *plan*'s replacements: only the nodes on the way from each
    replaced node up to the module are rebuilt, not the whole tree."""
    rebuilt: dict[Any, Any] = {}
    depth: dict[Any, int] = {}

    def depth_of(node: Any) -> int:
        found = depth.get(node)
        if found is None:
            parent = parents.get(node)
            found = depth[node] = 0 if parent is None else depth_of(parent) + 1
        return found

    replacement = dict(plan.replace)
    seen = set(replacement)
    # deepest first, so that each parent is rebuilt once all its replaced children are in
    todo = [(-depth_of(node), i, node) for i, node in enumerate(replacement)]
    heapq.heapify(todo)
    count = len(todo)
    while todo:
        _, _, node = heapq.heappop(todo)
        parent = parents.get(node)
        if parent is None:  # the module itself
            continue
        new = replacement.get(node, rebuilt.get(node, node))
        if any(p in replacement for p in _ancestors(parents, parent)):
            continue  # an enclosing node is replaced whole
        rebuilt[parent] = _replace_child(rebuilt.get(parent, parent), node, new)
        if parent not in seen:
            seen.add(parent)
            count += 1
            heapq.heappush(todo, (-depth_of(parent), count, parent))
    return rebuilt.get(module, module)


def _ancestors(parents: Any, node: Any) -> Iterator[Any]:
    while node is not None:
        yield node
        node = parents.get(node)


def _replace_child(parent: Any, old: Any, new: Any) -> Any:
    """*parent* with its child *old* (by identity) replaced by *new*: a node, a
    ``FlattenSentinel`` of several, or ``RemovalSentinel`` (in a sequence)."""
    import dataclasses

    import libcst as cst

    for item in dataclasses.fields(parent):
        value = getattr(parent, item.name)
        if value is old:
            if isinstance(new, (cst.FlattenSentinel, cst.RemovalSentinel)):
                raise Refused("the rewrite does not fit where the code stands")
            return parent.with_changes(**{item.name: new})
        if isinstance(value, (tuple, list)) and any(v is old for v in value):
            items: list[Any] = []
            for v in value:
                if v is not old:
                    items.append(v)
                elif isinstance(new, cst.FlattenSentinel):
                    items.extend(new.nodes)
                elif not isinstance(new, cst.RemovalSentinel):
                    items.append(new)
            return parent.with_changes(
                **{item.name: type(value)(items) if isinstance(value, tuple) else items}
            )
    raise AssertionError("a node's parent does not hold it")  # pragma: no cover - libcst's own parents


def _add_import(module: Any, statement: str) -> Any:
    """Add *statement* (``import a.b`` or ``from a import b``) where isort (and ruff's I001,
    at their defaults) would put it: in the imports at the top of the module, after the
    docstring, the ``from __future__`` imports and a ``__lazy_modules__`` assignment; a
    standard library module in that section, a module of another package in the section
    (the statements between blank lines) that already imports its top-level package, else
    in a section of its own after the others. Within its section, plain imports come before
    from-imports, each in alphabetical order; a new section is set apart by blank lines."""
    import libcst as cst

    body = list(module.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    kinds: list[_HeaderKind] = []  # the header: one kind for each statement of the imports at the top
    groups: list[int] = []  # and its section, counted by the blank lines before it
    for node in body[start:]:
        kind = _header_kind(node)
        if kind is None:
            break
        apart = any(line.comment is None for line in node.leading_lines)  # a blank line before it
        groups.append((groups[-1] if groups else 0) + (1 if apart and groups else 0))
        kinds.append(kind)
    floor = max((i + 1 for i, k in enumerate(kinds) if k.section in ("future", "lazy")), default=0)
    new = _new_statement(statement)
    mine = _header_kind(new)
    assert mine is not None and mine.section in ("stdlib", "other")
    ranks = [1 if k.section == "stdlib" else 2 + g for k, g in zip(kinds, groups)]
    rank = 1 if mine.section == "stdlib" else next(
        (r for k, r in zip(kinds[floor:], ranks[floor:]) if k.section == "other" and k.top == mine.top),
        len(body) + 2,  # no section imports its package: a section of its own, after the others
    )
    key = (rank, mine.is_from, mine.module.lower())
    at = next(
        (i for i in range(floor, len(kinds)) if (ranks[i], kinds[i].is_from, kinds[i].module.lower()) > key),
        len(kinds),
    )
    same_before = any(r == rank for r in ranks[floor:at])
    index = start + at
    following = body[index] if index < len(body) else None
    blank = cst.EmptyLine()
    if following is None:
        if index > 0:  # after the docstring, `__future__` or the lazy modules: a new section
            new = new.with_changes(leading_lines=[blank])
        body.insert(index, new)
        return module.with_changes(body=body)
    lines = list(following.leading_lines)
    blanks = 0
    while blanks < len(lines) and lines[blanks].comment is None:
        blanks += 1
    same_section = at < len(kinds) and ranks[at] == rank
    if same_before:
        # within the section (the next import keeps its lines), or at its end (the next keeps its blank line)
        pass
    elif same_section:
        new = new.with_changes(leading_lines=lines[:blanks])  # the first of the section
        lines = lines[blanks:]
    elif at == len(kinds) and index > 0:  # a section of its own after the others: the code keeps its lines
        new = new.with_changes(leading_lines=[blank])
        lines = lines if blanks else [blank, *lines]
    else:  # a section of its own, before the other imports or before the code
        before = lines[:blanks] or ([blank] if index > 0 else [])
        new = new.with_changes(leading_lines=before)
        lines = [blank, *lines[blanks:]]
    body[index] = following.with_changes(leading_lines=lines)
    body.insert(index, new)
    return module.with_changes(body=body)


class _HeaderKind(NamedTuple):
    """What one statement of the imports at the top of a module is, for isort's order:
    its section (``future``, ``lazy`` for ``__lazy_modules__ =``, ``stdlib`` for the
    standard library's modules, ``other`` for any other import), whether it is a
    from-import, the module it names and that module's top-level package."""

    section: str
    is_from: bool = False
    module: str = ""

    @property
    def top(self) -> str:
        return self.module.partition(".")[0]


def _header_kind(statement: Any) -> _HeaderKind | None:
    """The :class:`_HeaderKind` of *statement*; None for a statement that ends the imports."""
    import libcst as cst

    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, (cst.Assign, cst.AnnAssign)):
        targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        if any(isinstance(t, cst.Name) and t.value == "__lazy_modules__" for t in targets):
            return _HeaderKind("lazy")
        return None
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return _HeaderKind("other", True, "." * len(small.relative))
        module = _cst_chain(small.module) or ""
        if module == "__future__":
            return _HeaderKind("future", True, module)
        return _HeaderKind(_section(module), True, module)
    if isinstance(small, cst.Import):
        module = _cst_chain(small.names[0].name) or ""
        return _HeaderKind(_section(module), False, module)
    return None


def _section(module: str) -> str:
    return "stdlib" if module.partition(".")[0] in sys.stdlib_module_names else "other"


def _is_docstring(statement: Any) -> bool:
    import libcst as cst

    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def fix_bytes(
    data: bytes,
    filename: str,
    config: Config,
    selected: Callable[[str], bool] = lambda code: True,
    readers: Readers = NO_READERS,
    disable_noqa: bool = False,
    opt_in: Collection[str] = (),
    unsafe: bool = False,
) -> FixResult:
    """Fix one file's bytes (see the module docstring); *disable_noqa* as flake8's option;
    *opt_in*: the codes off by default that the selection names (IPS404); *unsafe*: also
    make the rewrites that change what the program does (:data:`UNSAFE`, ``--unsafe-fixes``)."""
    return Fixer(filename, config, selected, readers, disable_noqa, opt_in, unsafe).fix(data)


def prefix_selector(select: Sequence[str], ignore: Sequence[str]) -> Callable[[str], bool]:
    """flake8's prefix semantics: the longest matching prefix of select/ignore decides."""

    def selected(code: str) -> bool:
        s = max((len(p) for p in select if code.startswith(p)), default=-1) if select else 0
        i = max((len(p) for p in ignore if code.startswith(p)), default=-1)
        return s >= 0 and s >= i

    return selected


__all__ = ["FIXABLE", "FixError", "FixResult", "Fixer", "fix_bytes", "prefix_selector"]
