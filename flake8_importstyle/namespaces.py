"""What a module's source binds and imports, read without importing or running it, and
the answers :mod:`flake8_importstyle.resolve` gives from it.

:mod:`flake8_importstyle.resolve` finds modules on disk; this module reads their
sources (:func:`namespace`) and answers from them (:func:`is_module`,
:func:`binds`, :func:`loads`, :func:`loaded_by`, :func:`exports`). It is its
own module so that a lint that only asks where modules are (most files:
``os.path``, ``re.compile``) never builds these classes; ``resolve`` hands out
every name defined here (``resolve.is_module``) and imports this module on
first use.
"""

from __future__ import annotations

import ast
import enum
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple, cast

from flake8_importstyle.analysis import nested_bodies, quiet_parse
from flake8_importstyle.resolve import (
    BUILTIN_MODULE_ATTRIBUTES,
    MAX_DEPTH,
    MAX_LOADED,
    MAX_PARSED,
    MAX_SOURCE_BYTES,
    UNKNOWN,
    Kind,
    Module,
    Roots,
    _Unknown,
    child,
    find,
    per_run,
)


class Bound(enum.Enum):
    """How one statement binds a name."""

    MODULE = "module"  # import a / import a.b as c: the target is a module
    FROM = "from"  # from m import x: the target m.x may be a module
    ALIAS = "alias"  # x = y: whatever y is in the same module
    VALUE = "value"  # def, class, a literal: not a module
    UNKNOWN = "unknown"  # a call, a loop target, global in a function, ...


class Binding(NamedTuple):
    """One statement that binds a name, and where it runs: its position in
    source order and the blocks (``if``/``try`` bodies...) that hold it."""

    how: Bound
    target: str = ""
    order: int = 0
    block: tuple[int, ...] = ()


class Star(NamedTuple):
    """``from module import *`` at the top level, placed like a :class:`Binding`."""

    module: str
    order: int = 0
    block: tuple[int, ...] = ()

    def shadowed_by(self, binding: Binding) -> bool:
        """Whether *binding* always runs after this import (later, in its block or an enclosing one)."""
        return binding.order > self.order and self.block[: len(binding.block)] == binding.block


#: Expressions whose value cannot be a module.
_VALUE_NODES = (
    ast.Constant,
    ast.JoinedStr,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Lambda,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
)


@lru_cache(maxsize=8)
def _pattern(source: bytes) -> re.Pattern[bytes]:
    """A compiled pattern, compiled on first use: most flake8 runs never need them."""
    return re.compile(source)


#: A ``global`` statement and the names it declares.
_GLOBAL_STATEMENT = rb"(?m)^[ \t]*global[ \t]+([\w \t,]+)"
#: Method calls on ``__path__`` that change where submodules are found.
_PATH_METHODS = frozenset({"append", "extend", "insert", "__iadd__"})


class Namespace(NamedTuple):
    """What a module's top-level code binds and imports, read from its source."""

    #: name -> every statement that binds it, in source order
    bindings: Mapping[str, tuple[Binding, ...]] = MappingProxyType({})
    #: absolute names of the modules the top-level code imports, with their parents
    imports: frozenset[str] = frozenset()
    #: star imports at the top level
    stars: tuple[Star, ...] = ()
    #: a literal ``__all__``; None when there is none, UNKNOWN when it is computed
    all_names: tuple[str, ...] | None | _Unknown = None
    #: a module ``__getattr__`` may provide the names the code does not bind
    open: bool = False
    #: any name may be rebound behind the code's back: ``globals()[name] = ...``,
    #: ``globals().update(...)``, ``sys.modules[__name__] = ...``
    rewrites: bool = False
    #: the code changes ``__path__`` (``pkgutil.extend_path``): submodules may live anywhere
    extends_path: bool = False
    #: ``sys.modules[__name__] = other``, where ``other`` is a module: its dotted name
    replaced_by: str | None = None
    #: the code that runs on import calls ``import_module``/``__import__`` with a name
    #: that is not a literal: it may load any module (the literal ones are in :attr:`imports`)
    imports_dynamically: bool = False


def namespace(module: Module) -> Namespace | None:
    """What *module*'s source binds; None when it has none or it cannot be read."""
    if module.source is None:
        return None
    return read_namespace(module.source, module.name, module.is_package, not module.runs_source)


@per_run
@lru_cache(maxsize=2048)
def read_namespace(path: str, module: str, is_package: bool, stub: bool) -> Namespace | None:
    """Parse the file *path*, the source of *module*; None if it cannot be read or parsed.

    The file is read once per run; it is parsed again only when its bytes
    differ from those of the last parse (kept for :data:`MAX_PARSED` sources).
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_SOURCE_BYTES:
        return None
    key = (path, module, is_package, stub)
    known = _PARSED.pop(key, None)
    digest = (len(data), hash(data))
    if known is not None and known[0] == digest:
        names = known[1]
    else:
        names = _parse_namespace(data, path, module, is_package, stub)
    if len(_PARSED) >= MAX_PARSED:
        del _PARSED[next(iter(_PARSED))]  # the least recently used
    _PARSED[key] = (digest, names)
    return names


#: Namespaces read in earlier runs: (path, module, is_package, stub) -> ((size, hash of the bytes), names).
_PARSED: dict[tuple[str, str, bool, bool], tuple[tuple[int, int], Namespace | None]] = {}


def _parse_namespace(data: bytes, path: str, module: str, is_package: bool, stub: bool) -> Namespace | None:
    try:
        tree = cast(ast.Module, quiet_parse(data, path))
    except (SyntaxError, ValueError, RecursionError, MemoryError, LookupError, OverflowError):
        return None  # not Python (or not this Python's), NUL bytes, a bad coding cookie, too deep
    package = module if is_package else module.rpartition(".")[0]
    try:
        return _Reader(package, stub).read(tree, data)
    except RecursionError:  # pragma: no cover - the reader's walks are iterative
        return None


class _Reader:
    """Collects a :class:`Namespace` from a module's top-level statements."""

    def __init__(self, package: str, stub: bool) -> None:
        self.package = package
        self.stub = stub
        self.bindings: dict[str, list[Binding]] = {}
        self.imports: set[str] = set()
        self.stars: list[Star] = []
        self.all_names: list[str] | None | _Unknown = None
        self.rewrites = False
        self.replacement: str | None = None
        self.extends_path = False
        self.order = 0
        self.block: tuple[int, ...] = ()

    def read(self, tree: ast.Module, data: bytes) -> Namespace:
        for order, (stmt, block) in enumerate(_top_level(tree.body)):
            self.order, self.block = order, block
            self._statement(stmt)
        # A function that declares a name global may bind it whenever it runs.
        # Read from the text, not the tree: a `global` in a string only adds doubt.
        self.block = (-1,)  # not a block of the module body: it shadows no star import
        for match in _pattern(_GLOBAL_STATEMENT).finditer(data):
            for name in match.group(1).split(b","):
                text = name.strip().decode("ascii", "replace")
                if text.isidentifier():
                    self._bind(text, Bound.UNKNOWN)
        if b":=" in data:
            self._walrus(tree.body)
        dynamic = (b"import_module" in data or b"__import__" in data) and self._dynamic_imports(tree.body)
        all_names: tuple[str, ...] | None | _Unknown
        all_names = tuple(self.all_names) if isinstance(self.all_names, list) else self.all_names
        return Namespace(
            bindings=MappingProxyType({k: tuple(v) for k, v in self.bindings.items()}),
            imports=frozenset(self.imports),
            stars=tuple(self.stars),
            all_names=all_names,
            open="__getattr__" in self.bindings,
            rewrites=self.rewrites or _writes_globals(tree, data),
            extends_path=self.extends_path or "__path__" in self.bindings,
            replaced_by=self._replacement(),
            imports_dynamically=dynamic,
        )

    def _replacement(self) -> str | None:
        """The module that ``sys.modules[__name__] = name`` puts in this one's place."""
        if self.replacement is None:
            return None
        targets = {b.target for b in self.bindings.get(self.replacement, ()) if b.how is Bound.MODULE}
        kinds = {b.how for b in self.bindings.get(self.replacement, ())}
        return targets.pop() if len(targets) == 1 and kinds == {Bound.MODULE} else None

    def _bind(self, name: str, how: Bound, target: str = "") -> None:
        self.bindings.setdefault(name, []).append(Binding(how, target, self.order, self.block))

    def _absolute(self, level: int, module: str | None) -> str | None:
        if not level:
            return module or None
        parts = self.package.split(".") if self.package else []
        if level - 1 >= len(parts):
            return None
        base = parts[: len(parts) - (level - 1)]
        if module:
            base.append(module)
        return ".".join(base)

    def _imported(self, name: str) -> None:
        parts = name.split(".")
        self.imports.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))

    # -- statements
    def _statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                self._imported(alias.name)
                if alias.asname:
                    self._bind(alias.asname, Bound.MODULE, alias.name)
                else:
                    top = alias.name.partition(".")[0]
                    self._bind(top, Bound.MODULE, top)
        elif isinstance(stmt, ast.ImportFrom):
            self._import_from(stmt)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._bind(stmt.name, Bound.VALUE)
        elif isinstance(stmt, ast.ClassDef):
            self._bind(stmt.name, Bound.VALUE)
            self._class_imports(stmt)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                self._assign(target, stmt.value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self._assign(stmt.target, stmt.value)
            elif self.stub and isinstance(stmt.target, ast.Name):
                self._bind(stmt.target.id, Bound.VALUE)  # `x: int` declares an attribute in a stub
        elif isinstance(stmt, ast.AugAssign):
            if isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__":
                self._extend_all(stmt.value)
            else:
                self._assign(stmt.target, None)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                self._assign(target, None)
        elif isinstance(stmt, ast.Expr):
            self._method_call(stmt.value)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._assign(stmt.target, None)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    self._assign(item.optional_vars, None)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                for node in ast.walk(case.pattern):
                    name = getattr(node, "name", None) or getattr(node, "rest", None)
                    if isinstance(name, str):
                        self._bind(name, Bound.UNKNOWN)

    def _import_from(self, stmt: ast.ImportFrom) -> None:
        module = self._absolute(stmt.level or 0, stmt.module)
        if module == "__future__":
            return
        if module is None:  # beyond the top-level package: an ImportError when run
            for alias in stmt.names:
                if alias.name != "*":
                    self._bind(alias.asname or alias.name, Bound.UNKNOWN)
            return
        self._imported(module)
        for alias in stmt.names:
            if alias.name == "*":
                self.stars.append(Star(module, self.order, self.block))
                continue
            self.imports.add(f"{module}.{alias.name}")
            self._bind(alias.asname or alias.name, Bound.FROM, f"{module}.{alias.name}")

    def _assign(self, target: ast.expr, value: ast.expr | None) -> None:
        """*target* = *value*; None for a value that is not known (a loop target, ``del``)."""
        if isinstance(target, ast.Name):
            if target.id == "__all__":
                self.all_names = _literal_names(value) if value is not None else UNKNOWN
            if value is None:
                self._bind(target.id, Bound.UNKNOWN)
            elif isinstance(value, ast.Name):
                self._bind(target.id, Bound.ALIAS, value.id)
            elif isinstance(value, _VALUE_NODES):
                self._bind(target.id, Bound.VALUE)
            else:  # a call may return a module (six.moves is one), so may an attribute
                self._bind(target.id, Bound.UNKNOWN)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._assign(element, None)
        elif isinstance(target, ast.Starred):
            self._assign(target.value, None)
        elif isinstance(target, ast.Subscript) and _replaces_module(target):
            self.rewrites = True
            if isinstance(value, ast.Name) and isinstance(target.slice, ast.Name):
                self.replacement = value.id  # sys.modules[__name__] = other_module

    def _extend_all(self, value: ast.expr) -> None:
        extra = _literal_names(value)
        if isinstance(self.all_names, list) and isinstance(extra, list):
            self.all_names.extend(extra)
        else:
            self.all_names = UNKNOWN

    def _method_call(self, node: ast.expr) -> None:
        """``__all__.extend([...])``, ``__all__.append("x")``, ``__path__.append(folder)``."""
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            return
        owner, method = node.func.value.id, node.func.attr
        if owner == "__path__":
            self.extends_path = self.extends_path or method in _PATH_METHODS
        elif owner != "__all__":
            return
        elif method in {"extend", "append"} and len(node.args) == 1 and not node.keywords:
            arg = node.args[0]
            self._extend_all(arg if method == "extend" else ast.List(elts=[arg], ctx=ast.Load()))
        else:
            self.all_names = UNKNOWN

    def _class_imports(self, cls: ast.ClassDef) -> None:
        """A class body runs at import time: its imports load modules too."""
        for stmt, _block in _top_level(cls.body):
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    self._imported(alias.name)
            elif isinstance(stmt, ast.ImportFrom):
                module = self._absolute(stmt.level or 0, stmt.module)
                if module is not None and module != "__future__":
                    self._imported(module)
                    self.imports.update(f"{module}.{a.name}" for a in stmt.names if a.name != "*")

    def _dynamic_imports(self, body: list[ast.stmt]) -> bool:
        """Add the modules that ``import_module("...")`` and ``__import__("...")`` calls
        load when the module runs (at the top level, in a class body, or in a function
        the top level calls by name); True if one of them names no literal module."""
        functions: dict[str, ast.stmt] = {}
        called: list[str] = []
        calls: list[ast.Call] = []
        for stmt, _block in _top_level(body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions[stmt.name] = stmt
            nodes = ast.walk(stmt) if isinstance(stmt, ast.ClassDef) else _own_expressions(stmt)
            for node in nodes:
                if isinstance(node, ast.Call):
                    calls.append(node)
                    if isinstance(node.func, ast.Name):
                        called.append(node.func.id)
        for name in dict.fromkeys(called):
            if name in functions:
                calls.extend(n for n in ast.walk(functions[name]) if isinstance(n, ast.Call))
        dynamic = False
        for call in calls:
            func = call.func
            leaf = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if leaf in {"import_module", "__import__"}:
                module = self._dynamic_target(call, leaf)
                if module is None:
                    dynamic = True
                else:
                    self._imported(module)
        return dynamic

    def _dynamic_target(self, call: ast.Call, leaf: str) -> str | None:
        """The module a call loads: ``import_module("a.b")``, ``import_module(".b", __package__)``,
        ``__import__("a.b")``; None when the call does not say plainly (``__name__`` is
        the package itself only in an ``__init__``: not plain)."""
        if call.keywords or not call.args or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        first = call.args[0]
        name = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        if not name:
            return None
        if not name.startswith("."):
            return name if len(call.args) == 1 or leaf == "import_module" else None
        anchor = call.args[1] if leaf == "import_module" and len(call.args) == 2 else None
        if not (isinstance(anchor, ast.Name) and anchor.id == "__package__"):
            return None
        dots = len(name) - len(name.lstrip("."))
        return self._absolute(dots, name[dots:] or None)

    def _walrus(self, body: list[ast.stmt]) -> None:
        for stmt, _block in _top_level(body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for node in _own_expressions(stmt):
                if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    self._bind(node.target.id, Bound.UNKNOWN)


def _top_level(body: list[ast.stmt]) -> Iterator[tuple[ast.stmt, tuple[int, ...]]]:
    """The statements that run in the scope of *body*, in source order, each
    with the path of blocks that holds it (one number per nested body)."""
    blocks = 0
    stack: list[tuple[Iterator[ast.stmt], tuple[int, ...]]] = [(iter(body), ())]
    while stack:
        statements, block = stack[-1]
        for stmt in statements:
            yield stmt, block
            nested = _nested(stmt)
            if nested:
                for inner in reversed(nested):
                    blocks += 1
                    stack.append((iter(inner), (*block, blocks)))
                break
        else:
            stack.pop()


def _nested(stmt: ast.stmt) -> list[list[ast.stmt]]:
    """The non-empty bodies a compound statement runs in the same scope, in source order."""
    return [body for body in nested_bodies(stmt) if body]


def _own_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expression nodes of *stmt* itself, not of its nested statements or lambdas."""
    stack: list[ast.AST] = [c for c in ast.iter_child_nodes(stmt) if not isinstance(c, ast.stmt)]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.Lambda):
            continue
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.stmt))


def _literal_names(value: ast.expr | None) -> list[str] | _Unknown:
    if isinstance(value, (ast.List, ast.Tuple)):
        names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(names) == len(value.elts):
            return names
    return UNKNOWN


_NAMESPACE_CALL = rb"\b(?:globals|vars)\(\s*\)"
#: What follows ``globals()`` in a plain read: ``.get(``, ``.items(``, ``[key]`` not assigned to.
_READ_AFTER = rb"\s*(?:\.\s*(?:get|items|keys|values|copy)\s*\(|\[[^\]\n]*\](?!\s*(?:=[^=]|[-+*/%&|^@]=)))"
#: What precedes it in a membership test: ``name in globals()``.
_READ_BEFORE = rb"\bin\s*$"


def _plain_read(data: bytes, match: re.Match[bytes]) -> bool:
    if _pattern(_READ_AFTER).match(data, match.end()):
        return True
    start, end = match.span()
    before, after = data[max(0, start - 8) : start], data[end : end + 1]  # noqa: E203
    return _pattern(_READ_BEFORE).search(before) is not None and after in (b")", b":", b"\n", b" ")


#: Methods that only read a namespace dict.
_DICT_READS = frozenset({"get", "items", "keys", "values", "copy", "__contains__", "__getitem__"})


def _writes_globals(tree: ast.Module, data: bytes) -> bool:
    """Whether the module may write names through ``globals()`` or ``vars()``:
    ``globals()[name] = value``, ``globals().update(...)``, ``exec(code, globals())``.
    Reads are harmless: ``globals()[key]``, ``globals().get(key)``,
    ``key in globals()``, and the same through a name (``g = globals()``)."""
    if b"globals(" not in data and b"vars(" not in data:
        return False
    if all(_plain_read(data, match) for match in _pattern(_NAMESPACE_CALL).finditer(data)):
        return False  # every use is a plain read, as far as the text shows: no need for the tree
    parents: dict[ast.AST, ast.AST] = {}
    dicts: list[ast.expr] = []
    for node in ast.walk(tree):
        for inner in ast.iter_child_nodes(node):
            parents[inner] = node
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"globals", "vars"}
            and not node.args
            and not node.keywords
        ):
            dicts.append(node)
    aliases: set[str] = set()
    for node in dicts:
        parent = parents.get(node)
        target = parent.targets[0] if isinstance(parent, ast.Assign) and len(parent.targets) == 1 else None
        if isinstance(target, ast.Name):
            aliases.add(target.id)
        elif not _only_read(node, parent):
            return True
    if aliases:
        for node, parent in parents.items():
            if isinstance(node, ast.Name) and node.id in aliases and isinstance(node.ctx, ast.Load):
                if not _only_read(node, parent):
                    return True
    return False


def _only_read(node: ast.expr, parent: ast.AST | None) -> bool:
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent.attr in _DICT_READS
    if isinstance(parent, ast.Compare) and node in parent.comparators:
        return all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    return False


def _replaces_module(target: ast.Subscript) -> bool:
    """``globals()[...] = x``, ``vars()[...] = x`` or ``sys.modules[__name__] = x``."""
    value = target.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id in {"globals", "vars"}
    return isinstance(target.slice, ast.Name) and target.slice.id == "__name__"


# --------------------------------------------------------------------------- answers

_UNKNOWN_BINDING = Binding(Bound.UNKNOWN)


class _Guard:
    """Stops re-exports that go round in a circle (``a`` takes ``x`` from ``b``, ``b`` from ``a``)."""

    def __init__(self) -> None:
        self.active: set[tuple[str, str]] = set()

    def enter(self, key: tuple[str, str]) -> bool:
        if key in self.active or len(self.active) >= MAX_DEPTH:
            return False
        self.active.add(key)
        return True

    def leave(self, key: tuple[str, str]) -> None:
        self.active.discard(key)


_guard = _Guard()


def is_module(name: str, roots: Roots) -> bool | None:
    """Whether the object ``a.b`` names (what ``from a import b`` binds) is a module.

    True for a submodule on disk and for a name the module's source binds to
    a module; False for a name its source binds only to other things (a
    function, a class, a constant) and for the names of built-in modules;
    None when it cannot tell.
    """
    return _is_module(name, roots)


@per_run
@lru_cache(maxsize=8192)
def _is_module(name: str, roots: Roots) -> bool | None:
    parent, _, leaf = name.rpartition(".")
    if not parent:
        return True if isinstance(find(name, roots), Module) else None  # not found: cannot place it
    key = ("is_module", name)
    if key in _guard.active:
        # Asked again while answering: a package's own `from . import sub`. The
        # statement imports the submodule, which is then what the name holds.
        return True if isinstance(find(name, roots), Module) else None
    if not _guard.enter(key):
        return None  # too deep
    try:
        owners = _modules_named(parent, roots)
        if owners is None:
            return None
        return _agree(_attribute_is_module(owner, leaf, roots) for owner in owners)
    finally:
        _guard.leave(key)


def _agree(answers: Iterable[bool | None]) -> bool | None:
    values = set(answers)
    return values.pop() if len(values) == 1 else None


def _modules_named(name: str, roots: Roots) -> tuple[Module, ...] | None:
    """The modules the dotted *name* may denote: ``os.path`` is ``posixpath`` or ``ntpath``."""
    found = find(name, roots)
    if isinstance(found, Module):
        return (found,)
    if found is UNKNOWN:
        return None
    parent, _, leaf = name.rpartition(".")
    key = ("modules_named", name)
    if not parent or not _guard.enter(key):
        return None
    try:
        owners = _modules_named(parent, roots)
        if owners is None:
            return None
        out: list[Module] = []
        for owner in owners:
            names = namespace(owner)
            if names is None:
                return None
            for binding in _candidates(names, leaf, roots) or (_UNKNOWN_BINDING,):
                targets = _binding_modules(binding, names, roots, 0)
                if targets is None:
                    return None
                out.extend(targets)
        return tuple(dict.fromkeys(out)) or None
    finally:
        _guard.leave(key)


def _binding_modules(
    binding: Binding, names: Namespace, roots: Roots, depth: int
) -> tuple[Module, ...] | None:
    """The modules one binding may hold; None unless every one is a module we can find."""
    if binding.how is Bound.MODULE:
        found = find(binding.target, roots)
        return (found,) if isinstance(found, Module) else None
    if binding.how is Bound.FROM:
        return _modules_named(binding.target, roots)
    if binding.how is Bound.ALIAS and depth < MAX_DEPTH:
        out: list[Module] = []
        for inner in names.bindings.get(binding.target, ()) or (_UNKNOWN_BINDING,):
            targets = _binding_modules(inner, names, roots, depth + 1)
            if targets is None:
                return None
            out.extend(targets)
        return tuple(out)
    return None


def _attribute_is_module(owner: Module, attr: str, roots: Roots) -> bool | None:
    """Whether *owner*'s attribute *attr* is a module.

    A submodule of that name is the attribute once it is imported, unless the
    package's own code binds the name to something else afterwards:
    ``unittest/__init__.py`` runs ``from .main import main``, so
    ``unittest.main`` is a function although ``unittest/main.py`` exists.
    """
    sub = child(owner, attr)
    if sub is UNKNOWN:
        return None
    if owner.kind is Kind.BUILTIN:
        return attr in BUILTIN_MODULE_ATTRIBUTES.get(owner.name, frozenset())
    names = namespace(owner)
    if names is None:
        # an extension without a stub, bytecode, frozen, a namespace package: only the disk tells
        return True if isinstance(sub, Module) else None
    if names.replaced_by is not None:
        replacement = find(names.replaced_by, roots)
        key = ("replaced", owner.name)
        if not isinstance(replacement, Module) or not _guard.enter(key):
            return None
        try:
            return _attribute_is_module(replacement, attr, roots)
        finally:
            _guard.leave(key)
    # a module __getattr__ is asked only for a name nothing else provides
    bindings = _candidates(names, attr, roots, asks_getattr=not isinstance(sub, Module))
    if not bindings:
        # bound nowhere we can see: the submodule, or `from m import attr` fails; not ours to say
        return True if isinstance(sub, Module) else None
    answers = [_binding_is_module(b, names, roots, 0) for b in bindings]
    if isinstance(sub, Module) and not any(b.block == () and b.how is not Bound.UNKNOWN for b in bindings):
        answers.append(True)  # a binding that may not run leaves the submodule in place
    return _agree(answers)


def _binding_is_module(binding: Binding, names: Namespace, roots: Roots, depth: int) -> bool | None:
    if binding.how is Bound.MODULE:
        return True
    if binding.how is Bound.VALUE:
        return False
    if binding.how is Bound.FROM:
        return _is_module(binding.target, roots)
    if binding.how is Bound.ALIAS and depth < MAX_DEPTH:
        inner = names.bindings.get(binding.target, ())
        if inner:
            return _agree(_binding_is_module(b, names, roots, depth + 1) for b in inner)
    return None


def _candidates(names: Namespace, attr: str, roots: Roots, asks_getattr: bool = True) -> tuple[Binding, ...]:
    """Every way a module may bind *attr*: its own statements, its star imports
    (unless a later statement always rebinds the name), its ``__getattr__``."""
    own = names.bindings.get(attr, ())
    out = list(own)
    for star in names.stars:
        if any(star.shadowed_by(b) for b in own):
            continue
        exported = _exports(star.module, roots)
        if exported is None:
            out.append(Binding(Bound.UNKNOWN, order=star.order, block=star.block))
        elif attr in exported:
            out.append(Binding(Bound.FROM, f"{star.module}.{attr}", star.order, star.block))
    if names.rewrites or (not out and names.open and asks_getattr):
        out.append(_UNKNOWN_BINDING)
    return tuple(out)


def exports(name: str, roots: Roots) -> frozenset[str] | None:
    """The names ``from name import *`` binds; None when they cannot be known."""
    return _exports(name, roots)


@per_run
@lru_cache(maxsize=2048)
def _exports(name: str, roots: Roots) -> frozenset[str] | None:
    found = find(name, roots)
    if not isinstance(found, Module):
        return None
    names = namespace(found)
    if names is None or names.open or names.rewrites or names.all_names is UNKNOWN:
        return None
    if isinstance(names.all_names, tuple):
        return frozenset(names.all_names)
    public = {n for n in names.bindings if not n.startswith("_")}
    key = ("exports", name)
    if not _guard.enter(key):
        return None
    try:
        for star in names.stars:
            inner = _exports(star.module, roots)
            if inner is None:
                return None
            public |= inner
    finally:
        _guard.leave(key)
    return frozenset(public)


def binds(package: Module, attr: str, roots: Roots) -> bool | None:
    """Whether running *package*'s own code binds the attribute *attr*.

    True when its top-level code binds the name in any way (an import, an
    assignment, a star import that may provide it, a module ``__getattr__``);
    False when it certainly does not; None when its code cannot be read.
    The submodules that the package's imports load are :func:`loaded_by`'s part.
    """
    if package.kind is Kind.NAMESPACE:
        return False  # no code at all
    if not package.runs_source:
        return None
    names = namespace(package)
    if names is None:
        return None
    return bool(_candidates(names, attr, roots))


class Loaded(NamedTuple):
    """The modules that importing a module loads, within its top-level package."""

    modules: frozenset[str]
    #: every module on the way could be read: a name missing from :attr:`modules` is not loaded
    complete: bool


def loaded_by(name: str, roots: Roots) -> Loaded:
    """What ``import name`` loads within *name*'s top-level package: the
    module, its parent packages, and whatever their top-level code imports
    from the same top-level package, followed through those modules."""
    seen: set[str] = set()
    complete = _walk_loaded((name,), name.partition(".")[0], roots, seen, None)
    return Loaded(frozenset(seen), complete is not None)


def loads(starts: Iterable[str], target: str, roots: Roots) -> bool | None:
    """Whether importing the modules *starts* loads the module *target*, following
    the imports of their code within *target*'s top-level package. None when a
    module on the way cannot be read. Stops reading at the first import of *target*."""
    top = target.partition(".")[0]
    within = tuple(sorted({s for s in starts if s == top or s.startswith(top + ".")}))
    return _loads(within, target, roots)


@per_run
@lru_cache(maxsize=2048)
def _loads(starts: tuple[str, ...], target: str, roots: Roots) -> bool | None:
    return _walk_loaded(starts, target.partition(".")[0], roots, set(), target)


def _walk_loaded(
    starts: tuple[str, ...], top: str, roots: Roots, seen: set[str], target: str | None
) -> bool | None:
    """Breadth first through what *starts* load within *top*, adding each module to
    *seen*. True as soon as *target* (or a module below it) is imported, False
    when everything was read without meeting it, None when something could not be read."""
    todo = deque(starts)
    complete = True
    while todo:
        parts = todo.popleft().split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a, then a.b, then a.b.c
            prefix = ".".join(parts[:i])
            if target is not None and (prefix == target or prefix.startswith(target + ".")):
                return True
            if prefix in seen:
                continue
            found = find(prefix, roots)
            if found is None:
                break  # an attribute (`from a import func`), not a module: nothing more is loaded
            if not isinstance(found, Module):
                complete = False
                break
            seen.add(prefix)
            if len(seen) > MAX_LOADED:
                return None
            if found.kind is Kind.NAMESPACE:
                continue
            names = namespace(found) if found.runs_source else None
            if names is None:
                complete = False
                continue
            if names.imports_dynamically:
                complete = False  # it may load anything
            todo.extend(m for m in names.imports if m == top or m.startswith(top + "."))
    return (False if target is not None else True) if complete else None


@per_run
@lru_cache(maxsize=256)
def source_tree(path: str) -> ast.Module | None:
    """The syntax tree of the source *path* (at most :data:`MAX_SOURCE_BYTES` read), for the
    questions that read a module's code rather than its names; None when it cannot be
    read or parsed. Kept for one run, as every answer read from the disk."""
    try:
        with open(path, "rb") as handle:
            tree = quiet_parse(handle.read(MAX_SOURCE_BYTES))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return tree if isinstance(tree, ast.Module) else None
