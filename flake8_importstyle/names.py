"""What each name a file reads means at run time: the bindings that may serve the read.

This is the fixer's one model of names, shared by the planner (which reads it
to decide what it may rename) and the checker in :mod:`~flake8_importstyle.proof`
(which builds it again, from the rewritten text alone, to prove the result).
pyflakes' ``Binding`` family is the model; libcst's ``ScopeProvider`` knows
scopes but not order or conditions, so this follows Python's own rules on the
``ast``:

* **Scopes**, as the compiler makes them: the module, functions, lambdas,
  class bodies (whose names the functions inside them do not see),
  comprehensions and generator expressions (whose first iterable belongs to
  the enclosing scope), PEP 695 type parameters; ``global`` and ``nonlocal``;
  the walrus in a comprehension, which binds in the enclosing function.
* **Order and conditions**: within a scope, a read is served by the bindings
  that reach it along some path (reaching definitions over ``if``, loops,
  ``try``/``except``/``else``/``finally``, ``with`` (which may swallow an
  exception), ``match``, ``break``, ``continue``, ``return`` and ``raise``).
  A path on which nothing bound the name leaves an :data:`UNBOUND` binding in
  the set (at module level: the builtin of that name, if there is one).
* **Time**: a read in a class body or a comprehension runs where the class or
  comprehension stands. A read in a function, a lambda, a generator or a
  deferred annotation runs at some later time: it may see what reaches the
  ``def`` and every binding that can run after it, and any binding made
  through a ``global`` or ``nonlocal`` declaration elsewhere.

An import binding carries what it binds (``os`` for ``import os.path``,
``os.path`` for ``from os import path``) and its *position*: the run of
import statements it stands in, between the same non-import statements. A
rewrite that changes only imports keeps every other statement, so a position,
and the ordinal of every non-import binding, name the same place in the
original and in the rewritten file. In a ``try`` or ``with`` body, where an
import that fails half way through a run is caught, the position also holds
the modules the run has loaded by then.

Only *tracked* names get sets (by default, the names some import binds):
every other name is bound by the same statements in both files, so its reads
mean the same in both.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

BUILTIN_NAMES = frozenset(dir(builtins))

IMPORT = "import"
STAR = "star"
OTHER = "other"
UNBOUND = "unbound"
BUILTIN = "builtin"


class Binding(NamedTuple):
    """One way a name can hold a value at a read.

    ``kind`` is :data:`IMPORT` (``value``: the dotted path it binds; ``pos``:
    its position), :data:`STAR` (``value``: the module), :data:`OTHER` (an
    assignment, ``def``, parameter, loop target...; ``pos``: the site's
    ordinal among the file's non-import binding sites), :data:`UNBOUND` or
    :data:`BUILTIN`.
    """

    kind: str
    name: str
    scope: int
    pos: object
    value: str = ""


State = dict[str, frozenset[Binding]]

#: Scope kinds whose code runs later than where they are made.
LAZY_KINDS = frozenset({"function", "lambda", "genexp", "annotation"})
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_TRY: tuple[type[ast.stmt], ...] = (ast.Try, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_TYPE_ALIAS: tuple[type[ast.stmt], ...] = (ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()


class Scope:
    """One scope of the file, and what the flow pass learnt about it."""

    def __init__(self, ident: int, kind: str, node: ast.AST, parent: Scope | None) -> None:
        self.id = ident
        self.kind = kind
        self.node = node
        self.parent = parent
        self.locals: set[str] = set()
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        #: an annotation scope's expression (for a string annotation: its parsed text)
        self.expr: ast.expr | None = None
        #: a deferred annotation: read in the module's namespace, whatever encloses it
        self.globals_only = False
        #: where the scope is made in its parent's flow: (ordinal, enclosing loops, state)
        self.creation: tuple[int, tuple[int, ...], State] | None = None
        #: name -> [(ordinal, binding, enclosing loops)]: every site that binds it here
        self.sites: dict[str, list[tuple[int, Binding, tuple[int, ...]]]] = {}
        #: name -> bindings made from other scopes (``global``/``nonlocal``), at any time
        self.extra: dict[str, set[Binding]] = {}

    @property
    def lazy(self) -> bool:
        return self.kind in LAZY_KINDS

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<Scope {self.id} {self.kind}>"


class ImportFacts:
    """What the model may ask about modules it cannot see.

    :meth:`from_binds_submodule`: whether ``from package import name`` binds
    the submodule ``package.name`` (and loads it when needed), as
    ``import package.name`` would, rather than something else the package
    binds under that name. :meth:`missing`: whether ``package.name`` is
    known not to exist (the package is found, and neither holds nor binds
    it), so that ``import package.name`` raises ModuleNotFoundError where
    ``from package import name`` raises ImportError. The defaults assume
    the submodule is there.
    """

    def from_binds_submodule(self, dotted: str) -> bool:
        return True

    def missing(self, dotted: str) -> bool:
        return False

    def effective_loads(self, modules: list[str]) -> list[str]:
        """The modules with effects of their own that loading *modules* in order
        amounts to, each once (IPS404's rewrite): by default, all of them."""
        return modules

    def may_be_module(self, dotted: str) -> bool:
        """Whether *dotted* may name a module (not a plain module's attribute); by default yes."""
        return True

    def also_loads(self, modules: list[str], module: str) -> bool:
        """Whether importing *modules* certainly loads *module* too; by default not known."""
        return False

    def inert(self, module: str) -> bool:
        """Whether importing *module* provably does nothing a program could tell but bind
        names and add keys to ``sys.modules`` (IPS402's rewrite); by default not known."""
        return False

    def origin(self, dotted: str) -> str:
        """The path of the same object in the module that defines it: ``m.x`` ->
        ``d.x`` where ``m`` only re-imports ``x`` from ``d``; by default *dotted*."""
        return dotted

    def relative_package(self) -> str | None:
        """The package the file's relative imports resolve against, where an absolute
        import of its name finds the same package (IPS108's rewrite); by default not
        known, and a relative module keeps its dots."""
        return None


ASSUME_SUBMODULES = ImportFacts()


def prefixes(dotted: str) -> list[str]:
    """``a``, ``a.b``, ``a.b.c`` for ``a.b.c``: what importing it loads, in order."""
    parts = dotted.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _from_module(stmt: ast.ImportFrom) -> str:
    return "." * (stmt.level or 0) + (stmt.module or "")


def from_module(stmt: ast.ImportFrom, facts: ImportFacts) -> str:
    """The module a from-import names: absolute where *facts* know the package a relative
    one resolves against (``from .a import b`` in ``pkg.sub`` is ``pkg.sub.a``), else
    with its dots."""
    package = facts.relative_package() if stmt.level else None
    if package is not None:
        from flake8_importstyle.resolve import absolute_module

        absolute = absolute_module(stmt.level, stmt.module, package)
        if absolute is not None:
            return absolute
    return _from_module(stmt)


def _from_name(module: str, name: str) -> str:
    return module + name if module.endswith(".") else f"{module}.{name}"


def alias_loads(stmt: ast.Import | ast.ImportFrom, alias: ast.alias, facts: ImportFacts) -> list[str]:
    """The modules binding one alias of an import statement loads, in order:
    ``a``, ``a.b``, ``a.b.c`` for ``import a.b.c``; a relative module keeps its dots."""
    if isinstance(stmt, ast.Import):
        return prefixes(alias.name)
    module = from_module(stmt, facts)
    relative = module.startswith(".")
    out = [module] if relative else prefixes(module)
    if alias.name != "*":
        full = _from_name(module, alias.name)
        if relative or facts.from_binds_submodule(full):
            out.append(full)
    return out


def import_loads(stmt: ast.Import | ast.ImportFrom, facts: ImportFacts) -> list[str]:
    """The modules one import statement loads, in order, each once."""
    out: list[str] = []
    for alias in stmt.names:
        out += alias_loads(stmt, alias, facts)
    return list(dict.fromkeys(out))


def import_value(stmt: ast.Import | ast.ImportFrom, alias: ast.alias, facts: ImportFacts) -> str:
    """What one alias binds, as a dotted path: ``os`` for ``import os.path``, ``os.path``
    for ``from os import path`` and ``import os.path as p``. A from-import of a name
    that the package binds to something else than its submodule is ``from:pkg.name``."""
    if isinstance(stmt, ast.Import):
        return alias.name if alias.asname else alias.name.partition(".")[0]
    module = from_module(stmt, facts)
    full = _from_name(module, alias.name)
    if module.startswith(".") or facts.from_binds_submodule(full):
        return full
    return "from:" + full


class Model:
    """The scopes of one file and the meaning of every read of a tracked name.

    *tracked*: the names to follow (None: every name some import binds).
    *facts*: what the import statements bind (see :class:`ImportFacts`).
    """

    def __init__(
        self,
        tree: ast.Module,
        tracked: Collection[str] | None = None,
        facts: ImportFacts = ASSUME_SUBMODULES,
    ) -> None:
        self.tree = tree
        self.facts = facts
        self.future_annotations = any(
            isinstance(s, ast.ImportFrom)
            and s.module == "__future__"
            and any(a.name == "annotations" for a in s.names)
            for s in tree.body
        )
        collector = _Collector(self)
        collector.run(tree)
        self.scopes: list[Scope] = collector.scopes
        self.module = self.scopes[0]
        self.scope_of = collector.scope_of
        self.ordinal = collector.ordinal
        self.run_key = collector.run_key
        self.run_prefix = collector.run_prefix
        self.guarded = collector.guarded
        #: every Name read, those inside string annotations included
        self.reads: list[ast.Name] = collector.reads
        #: id(Name read inside a string annotation) -> the string's node
        self.in_string: dict[int, ast.Constant] = collector.in_string
        self.import_statements: list[ast.Import | ast.ImportFrom] = collector.imports
        self.import_names = frozenset(collector.import_names)
        #: private names (``__x``) used in a class, which the compiler mangles (``_C__x``)
        self.mangled = frozenset(collector.mangled)
        self.tracked = frozenset(self.import_names if tracked is None else tracked)
        #: binding -> the line of its first site (for messages)
        self.lines: dict[Binding, int] = {}
        #: id(import alias) -> its binding
        self.alias_binding: dict[int, Binding] = {}
        self._local: dict[int, frozenset[Binding]] = {}
        self._meanings: dict[int, frozenset[Binding]] = {}
        self._by_node: dict[int, list[Scope]] = {}
        for scope in self.scopes:
            self._by_node.setdefault(id(scope.node), []).append(scope)
        _Flow(self).run()

    def scopes_of(self, node: ast.AST) -> list[Scope]:
        """The scopes *node* makes (a ``def`` with type parameters makes two)."""
        return self._by_node.get(id(node), [])

    # -- resolution
    def resolve(self, scope: Scope, name: str) -> tuple[Scope, str]:
        """The scope whose binding of *name* a read in *scope* uses, and how: ``local``,
        ``classlocal`` (the class body's, else the module's), ``cell`` or ``global``."""
        if scope.kind == "module":
            return scope, "local"
        if scope.globals_only or name in scope.globals:
            return self.module, "global"
        if name in scope.nonlocals:
            return self._enclosing(scope.parent, name) or self.module, "cell"
        if name in scope.locals:
            return scope, "classlocal" if scope.kind == "class" else "local"
        outer = self._enclosing(scope.parent, name)
        return (outer, "cell") if outer is not None else (self.module, "global")

    def _enclosing(self, scope: Scope | None, name: str) -> Scope | None:
        """The nearest function-like scope from *scope* up that binds *name* (classes
        are skipped: a function does not see its class's names)."""
        while scope is not None and scope.kind != "module":
            if scope.kind != "class":
                if name in scope.globals:
                    return None
                if name in scope.locals and name not in scope.nonlocals:
                    return scope
            scope = scope.parent
        return None

    # -- meanings
    def meaning(self, node: ast.Name) -> frozenset[Binding]:
        """The bindings that may serve this read (empty for a name that is not tracked)."""
        key = id(node)
        found = self._meanings.get(key)
        if found is None:
            found = self._meanings[key] = self._meaning(node)
        return found

    def _meaning(self, node: ast.Name) -> frozenset[Binding]:
        name = node.id
        if name not in self.tracked:
            return frozenset()
        scope = self.scope_of[id(node)]
        target, how = self.resolve(scope, name)
        if target is not scope:
            return self._outer(scope, target, name)
        local = self._local.get(id(node))
        if local is None:  # the flow never reached the read: any binding may serve it
            local = self._anytime(target, name)
        extra = frozenset(target.extra.get(name, ()))
        if target.kind == "module":
            return self._at_module(name, local | extra)
        if how == "classlocal":
            unbound = Binding(UNBOUND, name, target.id, ())
            if unbound in local:  # not in the class body's namespace: the module's
                return (local - {unbound}) | extra | self._outer(target, self.module, name)
        return local | extra

    def _anytime(self, scope: Scope, name: str) -> frozenset[Binding]:
        sites = {binding for _, binding, _ in scope.sites.get(name, ())}
        return frozenset({Binding(UNBOUND, name, scope.id, ()), *sites, *scope.extra.get(name, ())})

    def _outer(self, scope: Scope, target: Scope, name: str) -> frozenset[Binding]:
        """A read in *scope* of a name that the enclosing scope *target* binds."""
        chain: list[Scope] = []
        current: Scope | None = scope
        while current is not None and current is not target:
            chain.append(current)
            current = current.parent
        if current is None or not chain:  # pragma: no cover - resolve() returns an ancestor
            return self._anytime(target, name)
        child = chain[-1]
        if child.creation is None:  # never reached by the flow: any time
            found = self._anytime(target, name)
        else:
            ordinal, loops, state = child.creation
            seen = set(state.get(name, frozenset({Binding(UNBOUND, name, target.id, ())})))
            if any(c.lazy for c in chain):
                for site_ordinal, binding, site_loops in target.sites.get(name, ()):
                    if site_ordinal > ordinal or set(loops) & set(site_loops):
                        seen.add(binding)
            seen |= target.extra.get(name, set())
            found = frozenset(seen)
        return self._at_module(name, found) if target.kind == "module" else found

    def _at_module(self, name: str, bindings: frozenset[Binding]) -> frozenset[Binding]:
        """At module level, an unbound name is the builtin of that name, if there is one."""
        unbound = Binding(UNBOUND, name, self.module.id, ())
        if unbound in bindings and name in BUILTIN_NAMES:
            return (bindings - {unbound}) | {Binding(BUILTIN, name, -1, ())}
        return bindings

    # -- what the planner asks
    def reads_served_by(self, binding: Binding) -> list[ast.Name]:
        """Every read whose meaning includes *binding*, in source order."""
        return [n for n in self.reads_of(binding.name) if binding in self.meaning(n)]

    def reads_of(self, name: str) -> list[ast.Name]:
        """Every read of *name*, in source order (string annotations' among them)."""
        index = self.__dict__.get("_reads_by_name")
        if index is None:
            index = self.__dict__["_reads_by_name"] = {}
            for node in self.reads:
                index.setdefault(node.id, []).append(node)
        found: list[ast.Name] = index.get(name, [])
        return found

    def module_names(self) -> set[str]:
        """The names the module's namespace may hold once it has run."""
        return set(self.module.locals)

    def bound_anywhere(self) -> set[str]:
        out: set[str] = set()
        for scope in self.scopes:
            out |= scope.locals
        return out

    def read_anywhere(self) -> set[str]:
        return {n.id for n in self.reads}

    def line_of(self, binding: Binding) -> int:
        return self.lines.get(binding, 0)


def string_annotation(node: ast.AST) -> ast.expr | None:
    """The expression a string annotation holds; None when the string is no expression."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    text = node.value.strip()
    if not text or len(text) > 1000:
        return None
    try:
        parsed = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return parsed.body


def all_args(args: ast.arguments) -> list[ast.arg]:
    out = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg is not None:
        out.append(args.vararg)
    if args.kwarg is not None:
        out.append(args.kwarg)
    return out


def _is_cast(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr == "cast"
    return isinstance(func, ast.Name) and func.id == "cast"


class _Collector:
    """Pass one: the scopes, the names each binds, and where every name node belongs."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.scopes: list[Scope] = []
        #: id(Name node) -> the scope it is read or bound in
        self.scope_of: dict[int, Scope] = {}
        #: id(binding site node) -> its ordinal among the non-import binding sites
        self.ordinal: dict[int, int] = {}
        #: id(import statement) -> the position key of its run: (scope, block..., index)
        self.run_key: dict[int, tuple[object, ...]] = {}
        #: id(import statement) -> the modules the statements before it in its run load
        self.run_prefix: dict[int, list[str]] = {}
        #: id(import statement) -> whether it stands in a try or with of its scope
        self.guarded: dict[int, bool] = {}
        self.reads: list[ast.Name] = []
        self.in_string: dict[int, ast.Constant] = {}
        self.imports: list[ast.Import | ast.ImportFrom] = []
        self.import_names: set[str] = set()
        self.mangled: set[str] = set()
        self._sites = 0
        self._statements = 0

    def new_scope(self, kind: str, node: ast.AST, parent: Scope | None) -> Scope:
        scope = Scope(len(self.scopes), kind, node, parent)
        self.scopes.append(scope)
        return scope

    def site(self, node: ast.AST) -> None:
        self.ordinal[id(node)] = self._sites
        self._sites += 1

    def run(self, tree: ast.Module) -> None:
        self.body(tree.body, self.new_scope("module", tree, None), (-1, "body"), False)

    # -- statements
    def body(
        self, statements: Sequence[ast.stmt], scope: Scope, block: tuple[object, ...], guarded: bool
    ) -> None:
        index = 0
        prefix: list[str] = []
        for stmt in statements:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                self.import_(stmt, scope, (scope.id, *block, index), prefix, guarded)
                continue
            index += 1
            prefix = []
            ordinal = self._statements
            self._statements += 1
            self.statement(stmt, scope, ordinal, guarded)

    def import_(
        self,
        stmt: ast.Import | ast.ImportFrom,
        scope: Scope,
        key: tuple[object, ...],
        prefix: list[str],
        guarded: bool,
    ) -> None:
        self.run_key[id(stmt)] = key
        self.run_prefix[id(stmt)] = list(prefix)
        self.guarded[id(stmt)] = guarded
        self.imports.append(stmt)
        prefix += import_loads(stmt, self.model.facts)
        for alias in stmt.names:
            if alias.name != "*":
                name = alias.asname or alias.name.partition(".")[0]
                self.import_names.add(name)
                self.bind_name(scope, name)

    def statement(self, stmt: ast.stmt, scope: Scope, ordinal: int, guarded: bool) -> None:
        if isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            for decorator in stmt.decorator_list:
                self.expr(decorator, scope)
            outer = self.type_params(stmt, scope)
            if isinstance(stmt, ast.ClassDef):
                for base in [*stmt.bases, *(k.value for k in stmt.keywords)]:
                    self.expr(base, outer)
                inner = self.new_scope("class", stmt, outer)
                if getattr(stmt, "type_params", None):
                    # a generic class's body starts with ``__type_params__ = ...``
                    self.bind_name(inner, "__type_params__")
            else:
                self.arguments(stmt.args, outer)
                self.annotation(stmt.returns, outer)
                inner = self.new_scope("function", stmt, outer)
                for arg in all_args(stmt.args):
                    self.site(arg)
                    self.bind_name(inner, arg.arg)
            self.body(stmt.body, inner, (ordinal, "body"), False)
            self.site(stmt)
            self.bind_name(scope, stmt.name)
            return
        if isinstance(stmt, (ast.Global, ast.Nonlocal)):
            (scope.globals if isinstance(stmt, ast.Global) else scope.nonlocals).update(stmt.names)
            if isinstance(stmt, ast.Global):
                self.scopes[0].locals.update(stmt.names)
            return
        if isinstance(stmt, _TYPE_ALIAS):
            outer = self.type_params(stmt, scope)
            lazy = self.new_scope("annotation", stmt, outer)
            lazy.expr = stmt.value  # type: ignore[attr-defined]
            self.expr(lazy.expr, lazy)
            self.target(stmt.name, scope)  # type: ignore[attr-defined]
            return
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.expr(stmt.value, scope)
            if isinstance(stmt.target, ast.Name):
                self.target(stmt.target, scope)
            else:
                self.expr(stmt.target, scope)
            if scope.kind in ("module", "class"):
                self.annotation(stmt.annotation, scope)
            else:  # a local variable's annotation is never evaluated; type checkers read it there
                lazy = self.new_scope("annotation", stmt.annotation, scope)
                lazy.expr = stmt.annotation
                self.expr(stmt.annotation, lazy)
                self.strings_in(stmt.annotation, lazy)
            return
        protects = isinstance(stmt, (*_TRY, ast.With, ast.AsyncWith))
        for field, value in ast.iter_fields(stmt):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self.body(value, scope, (ordinal, field), guarded or protects)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    self.part(stmt, field, i, item, scope, ordinal, guarded or protects)
            elif isinstance(value, ast.AST):
                self.part(stmt, field, 0, value, scope, ordinal, guarded)

    def part(
        self, stmt: ast.stmt, field: str, i: int, value: ast.AST, scope: Scope, ordinal: int, guarded: bool
    ) -> None:
        if isinstance(value, ast.ExceptHandler):
            if value.type is not None:
                self.expr(value.type, scope)
            if value.name:
                self.site(value)
                self.bind_name(scope, value.name)
            self.body(value.body, scope, (ordinal, field, i), guarded)
        elif isinstance(value, ast.match_case):
            self.pattern(value.pattern, scope)
            if value.guard is not None:
                self.expr(value.guard, scope)
            self.body(value.body, scope, (ordinal, field, i), guarded)
        elif isinstance(value, ast.withitem):
            self.expr(value.context_expr, scope)
            if value.optional_vars is not None:
                self.target(value.optional_vars, scope)
        elif isinstance(value, ast.expr):
            if field in ("targets", "target"):
                self.target(value, scope)
            else:
                self.expr(value, scope)

    def type_params(self, node: ast.AST, scope: Scope) -> Scope:
        params = getattr(node, "type_params", None)
        if not params:
            return scope
        inner = self.new_scope("typeparams", node, scope)
        for param in params:
            self.site(param)
            self.bind_name(inner, param.name)
            for field in ("bound", "default_value"):
                value = getattr(param, field, None)
                if value is not None:
                    lazy = self.new_scope("annotation", param, inner)
                    lazy.expr = value
                    self.expr(value, lazy)
        return inner

    def arguments(self, args: ast.arguments, scope: Scope) -> None:
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.expr(default, scope)
        for arg in all_args(args):
            self.annotation(arg.annotation, scope)

    def annotation(self, node: ast.expr | None, scope: Scope) -> None:
        """An annotation is read where it stands, unless ``from __future__ import
        annotations`` defers it: then, as a string annotation, it is read later
        (``typing.get_type_hints``) in the module's namespace."""
        if node is None:
            return
        if self.model.future_annotations:
            lazy = self.new_scope("annotation", node, scope)
            lazy.expr, lazy.globals_only = node, True
            scope = lazy
        self.expr(node, scope)
        self.strings_in(node, scope)

    def strings_in(self, node: ast.expr, scope: Scope) -> None:
        """The string annotations inside an annotation: each is read later, in the
        module's namespace."""
        for sub in ast.walk(node):
            parsed = string_annotation(sub)
            if parsed is None:
                continue
            lazy = self.new_scope("annotation", sub, scope)
            lazy.expr, lazy.globals_only = parsed, True
            first = len(self.reads)
            self.expr(parsed, lazy, strings=False)
            for read in self.reads[first:]:
                self.in_string[id(read)] = sub  # type: ignore[assignment]

    def pattern(self, pattern: ast.pattern, scope: Scope) -> None:
        for node in ast.walk(pattern):
            if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                self.site(node)
                self.bind_name(scope, node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                self.site(node)
                self.bind_name(scope, node.rest)
            if isinstance(node, ast.MatchValue):
                self.expr(node.value, scope)
            elif isinstance(node, ast.MatchClass):
                self.expr(node.cls, scope)
            elif isinstance(node, ast.MatchMapping):
                for key in node.keys:
                    self.expr(key, scope)

    def private(self, scope: Scope, name: str) -> None:
        """Note a ``__name`` used inside a class: the compiler mangles it."""
        if name.startswith("__") and not name.endswith("__"):
            current: Scope | None = scope
            while current is not None:
                if current.kind == "class":
                    self.mangled.add(name)
                    return
                current = current.parent

    # -- bindings
    def bind_name(self, scope: Scope, name: str) -> None:
        self.private(scope, name)
        if name in scope.globals:
            self.scopes[0].locals.add(name)
        elif name not in scope.nonlocals:
            scope.locals.add(name)

    def target(self, target: ast.expr, scope: Scope) -> None:
        """An assignment, ``del``, ``for`` or ``with`` target: the names it binds, and
        the expressions inside a subscript or attribute target, which are read."""
        stack: list[ast.expr] = [target]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                self.scope_of[id(node)] = scope
                self.site(node)
                self.bind_name(scope, node.id)
            elif isinstance(node, (ast.Tuple, ast.List)):
                stack.extend(node.elts)
            elif isinstance(node, ast.Starred):
                stack.append(node.value)
            else:
                self.expr(node, scope)

    # -- expressions (iterative: a chain of 10,000 operators is one very deep tree)
    def expr(self, node: ast.expr, scope: Scope, strings: bool = True) -> None:
        stack: list[tuple[ast.AST, Scope]] = [(node, scope)]
        while stack:
            current, where = stack.pop()
            if isinstance(current, ast.Name):
                self.scope_of[id(current)] = where
                if isinstance(current.ctx, ast.Load):
                    self.reads.append(current)
                    self.private(where, current.id)
                else:
                    self.site(current)
                    self.bind_name(where, current.id)
                continue
            if isinstance(current, ast.NamedExpr):
                self.walrus(current, where)
                stack.append((current.value, where))
                continue
            if isinstance(current, ast.Lambda):
                args = current.args
                stack.extend(
                    (d, where) for d in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
                )
                inner = self.new_scope("lambda", current, where)
                for arg in all_args(args):
                    self.site(arg)
                    self.bind_name(inner, arg.arg)
                stack.append((current.body, inner))
                continue
            if isinstance(current, _COMPREHENSIONS):
                self.comprehension(current, where, stack)
                continue
            if strings and isinstance(current, ast.Call) and _is_cast(current) and current.args:
                self.strings_in(current.args[0], where)
            stack.extend((child, where) for child in ast.iter_child_nodes(current))

    def walrus(self, node: ast.NamedExpr, where: Scope) -> None:
        """``(x := ...)`` binds in the scope it stands in, or, in a comprehension, in the
        nearest enclosing scope that is not one."""
        owner = where
        inner: list[Scope] = []
        while owner.kind in ("comprehension", "genexp") and owner.parent is not None:
            inner.append(owner)
            owner = owner.parent
        name = node.target.id
        self.scope_of[id(node.target)] = owner
        self.site(node.target)
        self.bind_name(owner, name)
        for scope in inner:  # the comprehension scopes pass the name through
            (scope.globals if owner.kind == "module" else scope.nonlocals).add(name)

    def comprehension(self, node: ast.expr, where: Scope, stack: list[tuple[ast.AST, Scope]]) -> None:
        generators = node.generators  # type: ignore[attr-defined]
        stack.append((generators[0].iter, where))  # the first iterable runs in the enclosing scope
        inner = self.new_scope(
            "genexp" if isinstance(node, ast.GeneratorExp) else "comprehension", node, where
        )
        for generator in generators:
            self.target(generator.target, inner)
        for generator in generators[1:]:
            stack.append((generator.iter, inner))
        for generator in generators:
            stack.extend((cond, inner) for cond in generator.ifs)
        if isinstance(node, ast.DictComp):
            stack += [(node.key, inner), (node.value, inner)]
        else:
            stack.append((node.elt, inner))  # type: ignore[attr-defined]


def _union(*states: State | None) -> State | None:
    live = [s for s in states if s is not None]
    if not live:
        return None
    out: State = dict(live[0])
    for state in live[1:]:
        for name, bindings in state.items():
            out[name] = out.get(name, frozenset()) | bindings
    return out


class _Loop:
    def __init__(self, ordinal: int) -> None:
        self.ordinal = ordinal
        self.breaks: list[State] = []
        self.continues: list[State] = []


class _Flow:
    """Pass two: reaching bindings, statement by statement, in every scope."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.tracked = model.tracked
        self._ordinal = 0
        self._loops: list[_Loop] = []
        self._catchers: list[list[State]] = []
        self._pending: list[Scope] = []
        self._creates: list[Scope] = []

    def run(self) -> None:
        module = self.model.module
        module.creation = (-1, (), {})
        self.scope_body(module)
        while self._pending:
            self.scope_body(self._pending.pop(0))

    def tick(self) -> int:
        self._ordinal += 1
        return self._ordinal

    # -- scopes
    def scope_body(self, scope: Scope) -> None:
        saved = (self._loops, self._catchers, self._creates)
        self._loops, self._catchers, self._creates = [], [], []
        names = scope.locals & self.tracked
        state: State = {n: frozenset({Binding(UNBOUND, n, scope.id, ())}) for n in names}
        node = scope.node
        try:
            if scope.kind in ("function", "lambda"):
                for arg in all_args(node.args):  # type: ignore[attr-defined]
                    self.other(scope, state, arg, arg.arg)
                if isinstance(node, ast.Lambda):
                    self.expressions([node.body], scope, state)
                else:
                    self.block(node.body, scope, state)  # type: ignore[attr-defined]
            elif scope.kind in ("module", "class"):
                self.block(node.body, scope, state)  # type: ignore[attr-defined]
            elif scope.kind in ("comprehension", "genexp"):
                self.comprehension(node, scope, state)  # type: ignore[arg-type]
            elif scope.kind == "typeparams":
                for param in getattr(node, "type_params", ()):
                    self.other(scope, state, param, param.name)
                for child in self._children(node, "annotation"):
                    if child.parent is scope:
                        self.create(child, state)
            elif scope.expr is not None:  # an annotation
                self.expressions([scope.expr], scope, state)
        finally:
            self._loops, self._catchers, self._creates = saved

    def comprehension(self, node: ast.expr, scope: Scope, state: State) -> None:
        generators = node.generators  # type: ignore[attr-defined]
        for i, generator in enumerate(generators):
            if i:
                self.expressions([generator.iter], scope, state)
            self.assign(generator.target, scope, state)
            self.expressions(generator.ifs, scope, state)
        if isinstance(node, ast.DictComp):
            self.expressions([node.key, node.value], scope, state)
        else:
            self.expressions([node.elt], scope, state)  # type: ignore[attr-defined]

    def _children(self, node: ast.AST, *kinds: str) -> list[Scope]:
        return [s for s in self.model.scopes_of(node) if s.kind in kinds]

    def create(self, child: Scope, state: State) -> None:
        """*child* is made here: remember the state its reads of outer names start from."""
        snapshot = dict(state)
        if child.creation is not None:  # made again (a loop): with what reaches it then, too
            ordinal, loops, before = child.creation
            child.creation = (ordinal, loops, _union(before, snapshot) or {})
            return
        child.creation = (self.tick(), tuple(loop.ordinal for loop in self._loops), snapshot)
        if child.lazy or child.kind == "typeparams":
            self._pending.append(child)
        else:  # a class body or a comprehension runs now
            self.scope_body(child)

    # -- bindings
    def _owner(self, scope: Scope, name: str) -> Scope:
        if name in scope.globals or name in scope.nonlocals:
            return self.model.resolve(scope, name)[0]
        return scope

    def bind(
        self, scope: Scope, state: State | None, binding: Binding, node: ast.AST, weak: bool = False
    ) -> None:
        name = binding.name
        if name not in self.tracked:
            return
        self.model.lines.setdefault(binding, getattr(node, "lineno", 0))
        owner = self._owner(scope, name)
        if owner is not scope:  # a global or nonlocal declaration: it may run at any time
            owner.extra.setdefault(name, set()).add(binding)
            return
        scope.sites.setdefault(name, []).append(
            (self.tick(), binding, tuple(loop.ordinal for loop in self._loops))
        )
        if state is not None:
            state[name] = (state.get(name, frozenset()) | {binding}) if weak else frozenset({binding})
            self.observe(state)

    def other(self, scope: Scope, state: State | None, node: ast.AST, name: str, weak: bool = False) -> None:
        owner = self._owner(scope, name)
        self.bind(
            scope, state, Binding(OTHER, name, owner.id, self.model.ordinal.get(id(node), -1)), node, weak
        )

    def unbind(self, scope: Scope, state: State | None, name: str, node: ast.AST) -> None:
        self.bind(scope, state, Binding(UNBOUND, name, self._owner(scope, name).id, ()), node)

    def assign(self, target: ast.expr, scope: Scope, state: State | None, delete: bool = False) -> None:
        inner: list[ast.expr] = []
        stack = [target]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                if delete:  # `del x` needs x bound: it reads what it deletes
                    if state is not None:
                        self.read_like(node, scope, state)
                    self.unbind(scope, state, node.id, node)
                else:
                    self.other(scope, state, node, node.id)
            elif isinstance(node, (ast.Tuple, ast.List)):
                stack.extend(node.elts)
            elif isinstance(node, ast.Starred):
                stack.append(node.value)
            else:
                inner.append(node)
        self.expressions(inner, scope, state)

    # -- the flow
    def observe(self, state: State | None) -> None:
        """An exception may be raised here: the enclosing handlers may start from *state*."""
        if state is not None:
            for catcher in self._catchers:
                catcher.append(dict(state))

    def block(self, statements: Sequence[ast.stmt], scope: Scope, state: State | None) -> State | None:
        for stmt in statements:
            if state is None:  # after a return: it never runs, but its scopes need a state
                self.statement(stmt, scope, {})
                continue
            self.observe(state)
            state = self.statement(stmt, scope, state)
        return state

    def statement(self, stmt: ast.stmt, scope: Scope, state: State) -> State | None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self.import_(stmt, scope, state)
            return state
        if isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            self.definition(stmt, scope, state)
            return state
        if isinstance(stmt, (ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue)):
            if isinstance(stmt, (ast.Break, ast.Continue)) and self._loops:
                loop = self._loops[-1]
                (loop.breaks if isinstance(stmt, ast.Break) else loop.continues).append(dict(state))
                return None
            return state
        if isinstance(stmt, ast.Assign):
            self.expressions([stmt.value], scope, state)
            for target in stmt.targets:
                self.assign(target, scope, state)
            return state
        if isinstance(stmt, ast.AugAssign):
            self.expressions([stmt.value], scope, state)
            if isinstance(stmt.target, ast.Name):
                self.read_like(stmt.target, scope, state)
                self.other(scope, state, stmt.target, stmt.target.id)
            else:
                self.expressions([stmt.target], scope, state)
            return state
        if isinstance(stmt, ast.AnnAssign):
            return self.annassign(stmt, scope, state)
        if isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                self.assign(target, scope, state, delete=True)
            return state
        if isinstance(stmt, (ast.Return, ast.Raise)):
            self.expressions([p for p in ast.iter_child_nodes(stmt) if isinstance(p, ast.expr)], scope, state)
            self.observe(state)
            return None
        if isinstance(stmt, ast.If):
            self.expressions([stmt.test], scope, state)
            return _union(
                self.block(stmt.body, scope, dict(state)), self.block(stmt.orelse, scope, dict(state))
            )
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            return self.loop(stmt, scope, state)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self.expressions([item.context_expr], scope, state)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, scope, state)
            catcher: list[State] = [dict(state)]
            self._catchers.append(catcher)
            try:
                out = self.block(stmt.body, scope, dict(state))
            finally:
                self._catchers.pop()
            return _union(out, *catcher)  # the context manager may swallow an exception
        if isinstance(stmt, _TRY):
            return self.try_(stmt, scope, state)
        if isinstance(stmt, ast.Match):
            return self.match(stmt, scope, state)
        if isinstance(stmt, _TYPE_ALIAS):
            outer = self.type_param_scope(stmt, scope, state)
            for child in self._children(stmt, "annotation"):
                self.create(child, state if outer is scope else {})
            self.other(scope, state, stmt.name, stmt.name.id)  # type: ignore[attr-defined]
            return state
        # anything else (an expression, assert, ...): its expressions are read
        self.expressions([p for p in ast.iter_child_nodes(stmt) if isinstance(p, ast.expr)], scope, state)
        return state

    def read_like(self, target: ast.Name, scope: Scope, state: State) -> None:
        """``x += 1`` reads ``x`` first, ``del x`` deletes what it finds: give the target's
        node the read's meaning too."""
        if target.id in self.tracked and self.model.resolve(scope, target.id)[0] is scope:
            seen = state.get(target.id, frozenset({Binding(UNBOUND, target.id, scope.id, ())}))
            self.model._local[id(target)] = self.model._local.get(id(target), frozenset()) | seen

    def definition(
        self, stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, scope: Scope, state: State
    ) -> None:
        self.expressions(stmt.decorator_list, scope, state)
        outer = self.type_param_scope(stmt, scope, state)
        outer_state = state if outer is scope else {}
        if isinstance(stmt, ast.ClassDef):
            self.expressions([*stmt.bases, *(k.value for k in stmt.keywords)], outer, outer_state)
        else:
            args = stmt.args
            self.expressions(
                [*args.defaults, *(d for d in args.kw_defaults if d is not None)], outer, outer_state
            )
            annotations = [a.annotation for a in all_args(args) if a.annotation is not None]
            if stmt.returns is not None:
                annotations.append(stmt.returns)
            self.annotations(annotations, outer, outer_state)
        for child in self._children(stmt, "function", "class"):
            self.create(child, outer_state)
        self.other(scope, state, stmt, stmt.name)

    def annotations(self, nodes: list[ast.expr], scope: Scope, state: State) -> None:
        if self.model.future_annotations:
            for node in nodes:
                for child in self._children(node, "annotation"):
                    self.create(child, state)
        else:
            self.expressions(nodes, scope, state)

    def annassign(self, stmt: ast.AnnAssign, scope: Scope, state: State) -> State:
        if stmt.value is not None:
            self.expressions([stmt.value], scope, state)
        if not isinstance(stmt.target, ast.Name):
            self.expressions([stmt.target], scope, state)
        if scope.kind in ("module", "class"):
            self.annotations([stmt.annotation], scope, state)
        else:
            for child in self._children(stmt.annotation, "annotation"):
                self.create(child, state)
        if isinstance(stmt.target, ast.Name) and stmt.value is not None:
            self.other(scope, state, stmt.target, stmt.target.id)
        return state

    def type_param_scope(self, stmt: ast.stmt, scope: Scope, state: State) -> Scope:
        for child in self._children(stmt, "typeparams"):
            self.create(child, state)
            return child
        return scope

    def import_(self, stmt: ast.Import | ast.ImportFrom, scope: Scope, state: State) -> None:
        model = self.model
        key = model.run_key[id(stmt)]
        guarded = model.guarded[id(stmt)]
        loaded = list(model.run_prefix[id(stmt)])
        for alias in stmt.names:
            loaded += alias_loads(stmt, alias, model.facts)
            if alias.name == "*" and isinstance(stmt, ast.ImportFrom):
                module = from_module(stmt, model.facts)
                for name in sorted(self.tracked):
                    self.bind(scope, state, Binding(STAR, name, scope.id, key, module), stmt, weak=True)
                continue
            name = alias.asname or alias.name.partition(".")[0]
            pos: tuple[object, ...] = (*key, tuple(dict.fromkeys(loaded))) if guarded else key
            binding = Binding(
                IMPORT, name, self._owner(scope, name).id, pos, import_value(stmt, alias, model.facts)
            )
            model.alias_binding[id(alias)] = binding
            self.bind(scope, state, binding, alias)

    def loop(self, stmt: ast.For | ast.AsyncFor | ast.While, scope: Scope, state: State) -> State | None:
        forever = (
            isinstance(stmt, ast.While) and isinstance(stmt.test, ast.Constant) and bool(stmt.test.value)
        )
        if not isinstance(stmt, ast.While):
            self.expressions([stmt.iter], scope, state)
        loop = _Loop(self.tick())
        head: State = dict(state)
        while True:  # to a fixed point: the sets only grow, and they are finite
            if isinstance(stmt, ast.While):
                self.expressions([stmt.test], scope, head)
            body: State = dict(head)
            if not isinstance(stmt, ast.While):
                self.assign(stmt.target, scope, body)
            self._loops.append(loop)
            try:
                out = self.block(stmt.body, scope, body)
            finally:
                self._loops.pop()
            grown = _union(head, out, *loop.continues) or head
            if grown == head:
                break
            head = grown
        after = None if forever else self.block(stmt.orelse, scope, dict(head))
        return _union(after, *loop.breaks)

    def try_(self, stmt: ast.stmt, scope: Scope, state: State) -> State | None:
        catcher: list[State] = [dict(state)]
        self._catchers.append(catcher)
        try:
            body = self.block(stmt.body, scope, dict(state))  # type: ignore[attr-defined]
        finally:
            self._catchers.pop()
        raised = _union(*catcher) or {}
        outs: list[State | None] = []
        later: list[State] = []
        self._catchers.append(later)
        try:
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                entry = dict(raised)
                if handler.type is not None:
                    self.expressions([handler.type], scope, entry)
                if handler.name:
                    self.other(scope, entry, handler, handler.name)
                out = self.block(handler.body, scope, entry)
                if handler.name and out is not None:  # `except E as e` deletes e at its end
                    self.unbind(scope, out, handler.name, handler)
                outs.append(out)
            outs.append(self.block(stmt.orelse, scope, body))  # type: ignore[attr-defined]
        finally:
            self._catchers.pop()
        normal = _union(*outs)
        if not stmt.finalbody:  # type: ignore[attr-defined]
            return normal
        entry = _union(normal, raised, *later) or {}
        out = self.block(stmt.finalbody, scope, entry)  # type: ignore[attr-defined]
        return out if normal is not None else None

    def match(self, stmt: ast.Match, scope: Scope, state: State) -> State | None:
        self.expressions([stmt.subject], scope, state)
        outs: list[State | None] = [dict(state)]  # no case may match
        for case in stmt.cases:
            branch = dict(state)
            values: list[ast.expr] = []
            for node in ast.walk(case.pattern):
                if isinstance(node, ast.MatchValue):
                    values.append(node.value)
                elif isinstance(node, ast.MatchClass):
                    values.append(node.cls)
                elif isinstance(node, ast.MatchMapping):
                    values.extend(node.keys)
            self.expressions(values, scope, branch)
            for node in ast.walk(case.pattern):
                name = node.rest if isinstance(node, ast.MatchMapping) else getattr(node, "name", None)
                if name and isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping)):
                    self.other(scope, branch, node, name)
            if case.guard is not None:
                self.expressions([case.guard], scope, branch)
            outs.append(self.block(case.body, scope, branch))
        return _union(*outs)

    # -- expressions
    def expressions(self, nodes: Iterable[ast.expr], scope: Scope, state: State | None) -> None:
        """Read the names of these expressions in *state* and make the scopes they hold;
        a walrus binds after the reads of its statement, and those reads may see it too."""
        if state is None:
            return
        model = self.model
        stack: list[ast.AST] = list(nodes)
        walrus: list[ast.NamedExpr] = []
        reads: list[ast.Name] = []
        creates: list[Scope] = []
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load) and node.id in self.tracked:
                    reads.append(node)
                continue
            if isinstance(node, ast.NamedExpr):
                walrus.append(node)
                stack.append(node.value)
                continue
            if isinstance(node, ast.Lambda):
                stack.extend(node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
                creates += self._children(node, "lambda")
                continue
            if isinstance(node, _COMPREHENSIONS):
                stack.append(node.generators[0].iter)
                creates += self._children(node, "comprehension", "genexp")
                continue
            if isinstance(node, ast.Constant):
                creates += self._children(node, "annotation")
                continue
            if isinstance(node, ast.Call) and _is_cast(node) and node.args:
                for sub in ast.walk(node.args[0]):
                    creates += self._children(sub, "annotation")
            stack.extend(ast.iter_child_nodes(node))
        for node in walrus:
            owner = model.scope_of.get(id(node.target), scope)
            self.other(
                owner if owner is scope else scope,
                state if owner is scope else None,
                node.target,
                node.target.id,
                weak=True,
            )
        for node in reads:
            if model.resolve(scope, node.id)[0] is scope:
                seen = state.get(node.id, frozenset({Binding(UNBOUND, node.id, scope.id, ())}))
                model._local[id(node)] = model._local.get(id(node), frozenset()) | seen
        for child in creates:
            self.create(child, state)
