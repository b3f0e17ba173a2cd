"""Find modules on disk, and read what they bind, without importing or running them.

The questions the IPS4xx rules ask, answered from the file system alone:

* :func:`find` — is ``a.b.c`` a module, and where is its source? Top-level
  names go through ``importlib.machinery.PathFinder.find_spec`` over the
  search roots (it lists folders and never runs a module); submodules through
  the same finder with the parent's ``submodule_search_locations``. Built-in
  modules (``sys.builtin_module_names``) and frozen ones
  (``FrozenImporter.find_spec``) are modules without submodules. A ``.pyi``
  stub stands in for a module that has no Python source.
* :func:`is_module` — is the object that ``from a import b`` binds a module?
  Either ``a.b`` is a submodule on disk, or ``a``'s source binds ``b`` to a
  module (``import posixpath as path`` is how ``os.path`` exists,
  ``from . import sub``, ``from m import name`` where ``m.name`` is a module).
* :func:`binds` and :func:`loads` — after ``import a``, is ``a.b`` there
  without anyone importing ``a.b``? Only if ``a``'s ``__init__`` binds ``b`` or
  the modules it imports (within the same top-level package) load ``a.b``;
  :func:`loaded_by` lists all that one import loads.

A module's source is read with :func:`ast.parse` only: whatever cannot be
found, read or parsed is *unknown*, and every answer is ``True``, ``False``,
or ``None`` for "cannot tell". The rules report nothing on ``None``: the
resolver never guesses.

Every answer is cached for one run of flake8 and bounded: :func:`new_run`
forgets them all, and the plugin calls it whenever flake8 (re)reads its
options, so a process that lints again and again (an editor's language
server) sees the files as they are now. Only the namespaces read from
sources outlive a run, each kept with the hash of the bytes it was read
from and used again only for the same bytes.
"""


import enum
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib.machinery import (
    EXTENSION_SUFFIXES,
    ExtensionFileLoader,
    FrozenImporter,
    PathFinder,
    SourceFileLoader,
    SourcelessFileLoader,
)
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

if TYPE_CHECKING:
    from flake8_importstyle.namespaces import (
        Binding,
        Bound,
        Loaded,
        Namespace,
        Star,
        binds,
        exports,
        is_module,
        loaded_by,
        loads,
        namespace,
        read_namespace,
    )

#: Search roots: folders in which top-level modules are looked up, in order.
Roots = tuple[str, ...]

#: Built-in modules have no source to read: their names are not modules,
#: except these (checked on CPython 3.10-3.13: ``sys.monitoring`` from 3.12).
BUILTIN_MODULE_ATTRIBUTES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {"sys": frozenset({"monitoring"})}
)

#: Sources larger than this are not read (generated tables, vendored bundles).
MAX_SOURCE_BYTES: Final = 4_000_000
#: How many modules :func:`loads` and :func:`loaded_by` read at most before they give up.
MAX_LOADED: Final = 200
#: How many parsed sources outlive a run (:func:`read_namespace`).
MAX_PARSED: Final = 4096
#: How deep one answer may follow re-exports (``from .a import b``) and aliases.
MAX_DEPTH: Final = 12

_BUILTINS = frozenset(sys.builtin_module_names)


# --------------------------------------------------------------------------- caches


if TYPE_CHECKING:
    from typing import Protocol

    class _Cache(Protocol):
        def cache_clear(self) -> None: ...


_C = TypeVar("_C", bound="_Cache")

#: The ``cache_clear`` of every cache whose answers hold for one run.
_RUN_CACHES: list[Callable[[], None]] = []


def per_run(cache: _C) -> _C:
    """Register *cache* (an ``lru_cache``) as one that :func:`new_run` empties.

    For every cache of an answer that depends on what is on disk, here and
    in the rules that keep their own (``@resolve.per_run`` above ``@lru_cache``).
    """
    _RUN_CACHES.append(cache.cache_clear)
    return cache


def new_run() -> None:
    """Forget every answer read from the disk: a new run of flake8 starts.

    Parsed sources are kept, but each is used again only for the same bytes
    (:func:`read_namespace`). importlib's finders cache folder listings by
    the folder's modification time, which a quick edit may not change: they
    are told to forget too, once the resolver has looked at the disk.
    """
    looked = _listing.cache_info().currsize or _find_in.cache_info().currsize
    for clear in _RUN_CACHES:
        clear()
    if looked:
        importlib.invalidate_caches()


def clear_caches() -> None:
    """Forget every answer and every parsed source (for tests)."""
    names = sys.modules.get("flake8_importstyle.namespaces")
    if names is not None:
        names._PARSED.clear()
    new_run()
    importlib.invalidate_caches()


class Kind(enum.Enum):
    """How a module is stored."""

    SOURCE = "source"  # a .py file (a package's __init__.py)
    STUB = "stub"  # only a .pyi stub was found
    EXTENSION = "extension"  # a compiled extension (read through a .pyi beside it, if any)
    BYTECODE = "bytecode"  # a .pyc without source
    BUILTIN = "built-in"
    FROZEN = "frozen"
    NAMESPACE = "namespace"  # a PEP 420 package: folders without __init__.py
    OTHER = "other"  # anything else a path hook finds (a zip archive, ...)


class Module(NamedTuple):
    """A module found on disk (or built in), never imported."""

    name: str
    kind: Kind
    #: The file read for the module's names: its .py source, or a .pyi stub.
    source: str | None = None
    #: Where its submodules live; None for a module that has none.
    locations: tuple[str, ...] | None = None

    @property
    def is_package(self) -> bool:
        return self.locations is not None

    @property
    def runs_source(self) -> bool:
        """Whether :attr:`source` is the code Python runs (not a stub)."""
        return self.kind is Kind.SOURCE


class _Unknown(enum.Enum):
    UNKNOWN = "unknown"


#: "Cannot tell": the lookup failed, or the answer depends on code that cannot be read.
UNKNOWN: Final = _Unknown.UNKNOWN
Lookup = Module | None | _Unknown


# --------------------------------------------------------------------------- finding


def package_root(folder: str) -> str:
    """The folder above the top-level package holding *folder* (*folder* itself outside a package)."""
    return _package_root(os.path.abspath(folder))


@per_run
@lru_cache(maxsize=4096)
def _package_root(folder: str) -> str:
    if not has_init(folder) or not os.path.basename(folder).isidentifier():
        return folder
    parent = os.path.dirname(folder)
    return folder if parent == folder else _package_root(parent)


@per_run
@lru_cache(maxsize=4096)
def has_init(folder: str) -> bool:
    """Whether *folder* holds an ``__init__.py`` (one ``stat``, cached per folder)."""
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def module_name(filename: str | None) -> str | None:
    """The dotted module a file is when imported from its package root (``pkg.sub.mod``)."""
    if not filename or filename in {"-", "stdin"}:
        return None
    path = os.path.abspath(filename)
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    parts = os.path.relpath(folder, package_root(folder)).split(os.sep)
    parts = [p for p in parts if p and p != os.curdir]
    if stem != "__init__":
        parts.append(stem)
    return ".".join(parts) if all(p.isidentifier() for p in parts) and parts else None


def absolute_module(level: int, module: str | None, package: str) -> str | None:
    """The absolute module ``from <level dots><module> import ...`` names in the package
    *package* (the importer's ``__package__``); None when the dots climb above its
    top-level package (an ImportError at run time)."""
    if not level:
        return module
    parts = package.split(".") if package else []
    if level > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, *([module] if module else [])]) or None


class Package(NamedTuple):
    """The package a file's relative imports resolve against, as an absolute import finds it."""

    #: the file's ``__package__`` when imported as :func:`module_name` says (``pkg.sub``)
    name: str
    #: the folder of its top-level package
    top: str


def importing_package(filename: str | None, namespace_packages: Iterable[str] = ()) -> Package | str:
    """The package a file's relative imports resolve against, where an absolute import of
    that name would find the same package; else why not (a phrase naming the folder).

    The name is :func:`module_name`'s. It must be the name the file is imported
    under: the folder above the top-level package is not listed in
    ``importstyle-namespace-packages`` (a namespace package whose portion it
    would be), nor the folder the fixer runs in or below it; and looked up
    from there and ``sys.path``, as ``python -m`` looks it up, the top-level
    name finds this very package first (not a module of that name elsewhere,
    a built-in one, or nothing: a ``src/`` folder that is not on ``sys.path``,
    a vendored copy whose folder holds no ``__init__.py``).
    """
    if not filename or filename in {"-", "stdin"}:
        return "the file has no path (stdin without a display name), so its package is not known"
    cwd = os.getcwd()
    folder = os.path.dirname(os.path.abspath(filename))
    if not has_init(folder):
        shown = shown_path(folder, cwd)
        return f"the folder {shown!r} holds no __init__.py: the file is in no regular package"
    root = package_root(folder)
    name = module_name(os.path.join(folder, "__init__.py"))
    if name is None:
        return f"the folder {shown_path(folder, cwd)!r} is not a name an absolute import can spell"
    if has_init(root):
        shown = shown_path(root, cwd)
        return f"the folder {shown!r} holds __init__.py but is not a name an absolute import can spell"
    parts = name.split(".")
    top = os.path.join(root, parts[0])
    problem = _spelling_problem(parts)
    if problem is not None:
        return problem
    if listed_folder(root, namespace_packages, cwd):
        shown = shown_path(root, cwd)
        return f"the folder {shown!r} is listed in importstyle-namespace-packages: the package is part of it"
    if _within(cwd, top):
        return (
            f"the folder the fixer runs in is inside the package {parts[0]!r} ({shown_path(top, cwd)}):"
            " run it from the folder that holds the package"
        )
    found = find(parts[0], _search_roots(None, cwd, tuple(sys.path)))
    source = found.source if isinstance(found, Module) else None
    if source is None or not same_file(source, os.path.join(top, "__init__.py")):
        where = _found(found, cwd)
        return (
            f"an absolute import of {parts[0]!r}, looked up from the folder the fixer runs in and"
            f" sys.path, finds {where}, not {shown_path(top, cwd)}"
        )
    return Package(".".join(parts), top)


def _found(found: Lookup, cwd: str) -> str:
    """What a lookup found, in words."""
    if not isinstance(found, Module):
        return "nothing" if found is None else "something the resolver cannot read"
    if found.source is not None:
        return shown_path(found.source, cwd)
    return f"a {found.kind.value} module"


def _spelling_problem(parts: list[str]) -> str | None:
    import keyword

    for part in parts:
        if keyword.iskeyword(part):
            return f"the package folder {part!r} is a keyword, which an absolute import cannot spell"
    return None


def listed_folder(folder: str, entries: Iterable[str], cwd: str) -> bool:
    """Whether *folder* is one of *entries* (folders relative to *cwd*) or below one."""
    return any(_within(folder, os.path.normpath(os.path.join(cwd, entry))) for entry in entries)


def _within(folder: str, above: str) -> bool:
    """Whether *folder* is *above* or a folder below it."""
    here, top = os.path.normcase(folder), os.path.normcase(above)
    return here == top or here.startswith(top.rstrip(os.sep) + os.sep)


def same_file(a: str, b: str) -> bool:
    """Whether the paths *a* and *b* name one file (the same path, where either is missing)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def shown_path(path: str, cwd: str) -> str:
    """*path* relative to *cwd* when inside it (``.`` for *cwd* itself)."""
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith(os.pardir) else relative


def search_roots(filename: str | None) -> Roots:
    """Where top-level modules are looked up for the file *filename*.

    The file's own package root, the folder flake8 runs in, and the
    ``sys.path`` of this interpreter, in that order, without repeats.
    """
    cwd = os.getcwd()
    folder = None
    if filename and filename not in {"-", "stdin"}:
        folder = os.path.dirname(os.path.abspath(filename))
    return _search_roots(folder, cwd, tuple(sys.path))


@per_run
@lru_cache(maxsize=1024)
def _search_roots(folder: str | None, cwd: str, path: tuple[str, ...]) -> Roots:
    roots = [package_root(folder)] if folder is not None else []
    roots.append(cwd)
    roots.extend(os.path.join(cwd, entry) if not os.path.isabs(entry) else entry for entry in path)
    return tuple(dict.fromkeys(os.path.normpath(root) for root in roots))


def find(name: str, roots: Roots) -> Lookup:
    """The module *name* (``a.b.c``), None if there is no such module, or UNKNOWN.

    None means the parent is known and has no such submodule (``os.path`` is
    None here: ``os`` is a plain module, and ``path`` one of its attributes).
    """
    top, _, rest = name.partition(".")
    found = _find_top(top, roots)
    for leaf in rest.split(".") if rest else ():
        if not isinstance(found, Module):
            return found
        found = child(found, leaf)
    return found


def child(parent: Module, leaf: str) -> Lookup:
    """The submodule *leaf* of *parent*; None if it has none of that name."""
    if not parent.is_package:
        return None  # built-in, frozen, or a plain module: no submodules
    if parent.kind is Kind.FROZEN:
        return UNKNOWN
    found = submodule(parent, leaf)
    if found is None and parent.runs_source and _may_extend_path(parent):
        return UNKNOWN  # `__path__ = extend_path(...)`: the submodule may live anywhere
    return found


def submodule(parent: Module, leaf: str) -> Lookup:
    """The submodule *leaf* found in *parent*'s own folders (the cheap half of :func:`child`)."""
    if not parent.locations:
        return None
    return _find_in(f"{parent.name}.{leaf}", parent.locations)


def _may_extend_path(package: Module) -> bool:
    if package.source is None or not _mentions(package.source, b"__path__"):
        return False
    from flake8_importstyle import namespaces

    names = namespaces.namespace(package)
    return names is None or names.extends_path


@per_run
@lru_cache(maxsize=2048)
def _mentions(path: str, text: bytes) -> bool:
    """Whether the file *path* holds *text* (True when it cannot be read: assume the worst)."""
    try:
        with open(path, "rb") as handle:
            return text in handle.read(MAX_SOURCE_BYTES + 1)
    except (OSError, ValueError):
        return True


@per_run
@lru_cache(maxsize=8192)
def _find_top(name: str, roots: Roots) -> Lookup:
    if not name.isidentifier():
        return None
    if name in _BUILTINS:
        return Module(name, Kind.BUILTIN)
    found = _find_in(name, roots)
    if found is not None:
        return found
    try:
        frozen = FrozenImporter.find_spec(name)
    except Exception:  # noqa: BLE001 - a finder's failure is "cannot tell", never a crash
        return UNKNOWN
    if frozen is None:
        return None
    return Module(name, Kind.FROZEN, locations=() if frozen.submodule_search_locations is not None else None)


@per_run
@lru_cache(maxsize=8192)
def _find_in(name: str, locations: tuple[str, ...]) -> Lookup:
    """*name* looked up in *locations* (the roots, or its parent's search locations)."""
    leaf = name.rpartition(".")[2]
    if not leaf.isidentifier():
        return None
    # one folder that may hold it is enough to ask PathFinder: the others are not listed
    if all(entries is not None and leaf not in entries for entries in map(_listing, locations)):
        return None  # no file or folder of that name: nothing for PathFinder to find
    try:
        spec = PathFinder.find_spec(name, list(locations))
    except KeyError:
        # A namespace package below a parent that is not imported: PathFinder
        # wants the parent in sys.modules to track its __path__. The spec
        # would have been a namespace package made of these folders.
        portions = tuple(p for p in (os.path.join(loc, leaf) for loc in locations) if os.path.isdir(p))
        return _namespace(name, portions) if portions else UNKNOWN
    except Exception:  # noqa: BLE001 - a path hook's failure is "cannot tell"
        return UNKNOWN
    if spec is None:
        return _stub_only(name, leaf, locations)
    search = spec.submodule_search_locations
    locs = None if search is None else tuple(getattr(search, "_path", search))
    if spec.loader is None or spec.origin in {None, "namespace"}:
        return _namespace(name, locs or ())
    origin = spec.origin or ""
    loader = spec.loader
    if isinstance(loader, SourceFileLoader) or (origin.endswith(".py") and os.path.isfile(origin)):
        return Module(name, Kind.SOURCE, source=origin, locations=locs)
    if isinstance(loader, ExtensionFileLoader) or origin.endswith(tuple(EXTENSION_SUFFIXES)):
        return Module(name, Kind.EXTENSION, source=_stub_beside(origin, locs is not None), locations=locs)
    if isinstance(loader, SourcelessFileLoader):
        return Module(name, Kind.BYTECODE, locations=locs)
    return Module(name, Kind.OTHER, locations=locs)


def _namespace(name: str, portions: tuple[str, ...]) -> Module:
    """A folder without ``__init__.py``: a namespace package, or a stub package
    when it holds ``__init__.pyi`` (read for its names; it does not run)."""
    for portion in portions:
        stub = os.path.join(portion, "__init__.pyi")
        if os.path.isfile(stub):
            return Module(name, Kind.STUB, source=stub, locations=portions)
    return Module(name, Kind.NAMESPACE, locations=portions)


@per_run
@lru_cache(maxsize=4096)
def _listing(folder: str) -> frozenset[str] | None:
    """The names a module in *folder* could have (``mod`` for ``mod.py``, ``mod.cpython-311.so``,
    ``mod.pyi`` and the folder ``mod``), also lower-cased; None if it cannot be listed (a zip
    archive, which PathFinder reads through zipimport)."""
    try:
        entries = os.listdir(folder)
    except FileNotFoundError:
        return frozenset()  # nothing there (a stale sys.path entry)
    except (OSError, ValueError):
        return None
    stems = {entry.partition(".")[0] for entry in entries}
    return frozenset(stems | {stem.lower() for stem in stems})


def _stub_beside(origin: str, is_package: bool) -> str | None:
    """``mod.pyi`` next to ``mod.cpython-311-x86_64-linux-gnu.so`` (``__init__.pyi`` for a package)."""
    folder, base = os.path.split(origin)
    stem = "__init__" if is_package else base.partition(".")[0]
    stub = os.path.join(folder, stem + ".pyi")
    return stub if os.path.isfile(stub) else None


def _stub_only(name: str, leaf: str, locations: Iterable[str]) -> Module | None:
    """A module that exists only as a ``.pyi`` stub (``leaf.pyi`` or ``leaf/__init__.pyi``)."""
    for loc in locations:
        package = os.path.join(loc, leaf)
        init = os.path.join(package, "__init__.pyi")
        if os.path.isfile(init):
            return Module(name, Kind.STUB, source=init, locations=(package,))
        stub = package + ".pyi"
        if os.path.isfile(stub):
            return Module(name, Kind.STUB, source=stub)
    return None


# --------------------------------------------------------------------------- reading

#: What :mod:`flake8_importstyle.namespaces` defines and this module hands out, that
#: module imported on first use (most lints ask only where modules are).
_READER_NAMES = frozenset(
    {
        "Binding",
        "Bound",
        "Loaded",
        "Namespace",
        "Star",
        "binds",
        "exports",
        "is_module",
        "loaded_by",
        "loads",
        "namespace",
        "read_namespace",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _READER_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from flake8_importstyle import namespaces

    value = getattr(namespaces, name)
    globals()[name] = value
    return value


__all__ = [
    "BUILTIN_MODULE_ATTRIBUTES",
    "MAX_DEPTH",
    "MAX_LOADED",
    "MAX_PARSED",
    "MAX_SOURCE_BYTES",
    "UNKNOWN",
    "Binding",
    "Bound",
    "Kind",
    "Loaded",
    "Lookup",
    "Module",
    "Namespace",
    "Package",
    "Roots",
    "Star",
    "absolute_module",
    "binds",
    "child",
    "clear_caches",
    "exports",
    "find",
    "has_init",
    "shown_path",
    "importing_package",
    "is_module",
    "listed_folder",
    "loaded_by",
    "loads",
    "module_name",
    "namespace",
    "new_run",
    "package_root",
    "per_run",
    "read_namespace",
    "same_file",
    "search_roots",
    "submodule",
]
