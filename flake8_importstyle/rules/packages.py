"""Packages and modules found on disk: IPS401–IPS403.

These rules ask :mod:`flake8_importstyle.resolve` what is a module; it reads
the file system and never imports or runs anything, and an answer it cannot
give is no finding.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from functools import cached_property, lru_cache

from flake8_importstyle import resolve
from flake8_importstyle.analysis import dunder_all, spans
from flake8_importstyle.config import Config
from flake8_importstyle.records import ImportRecord
from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule
from flake8_importstyle.text import line_numbers


def import_of(module: str, config: Config) -> tuple[str, str]:
    """How the file's style imports the module *module*: the statement, and the name it binds.

    ``from a import b`` unless an option asks for the module whole: an alias
    convention (``import numpy as np``), ``importstyle-no-from`` or
    ``importstyle-allow-dotted``. A top-level module is ``import a``.
    """
    alias = config.aliases.get(module)
    if alias:
        return f"import {module} as {alias}", alias
    parent, _, leaf = module.rpartition(".")
    if (
        not parent
        or config.no_from_entry(parent) is not None
        or config.no_from_entry(module) is not None
        or config.dotted_allowed(module)
    ):
        return f"import {module}", module
    return f"from {parent} import {leaf}", leaf


# ----------------------------------------------------------------------- IPS401


class ImplicitNamespacePackage(Rule):
    """A folder of modules without ``__init__.py`` is a PEP 420 namespace
    package, which is rarely what was meant: tools that find modules by
    walking folders (unittest discovery, coverage's unexecuted-file report,
    older mypy, pytest's module names) skip or mis-name its modules, and two
    folders of that name anywhere on ``sys.path`` silently merge into one
    package. Add an empty ``__init__.py``; list the folders that are
    namespace packages on purpose in ``importstyle-namespace-packages``
    (a folder covers the folders below it). Files in the folder flake8 runs
    in, ``.pyi`` stubs and ``__init__.py`` itself are not flagged, nor are
    files that are never imported as a module of a package:

    * scripts, run by path: a first line ``#!``, a PEP 723 ``# /// script``
      block, an ``if __name__ == "__main__":`` block at the top level, or a
      folder on the way called ``scripts``, ``examples``, ``bin``, ``doc``,
      ``docs`` or ``documentation`` (Sphinx's ``docs/conf.py``);
    * pytest's test modules (``test_*.py``, ``*_test.py``, ``conftest.py``)
      and the files of a ``tests`` or ``test`` folder, which pytest's default
      import mode imports as top-level modules (its folder first on
      ``sys.path``);
    * files whose name is no identifier (``manage-app.py``), or whose folder's
      is not (``typing-examples/``): no import can name them as a package's.

    Nor is a file whose folder does not exist (a ``--stdin-display-name``
    that names none): there is nothing to look at. The finding sits on line
    1. Off by default: turn it on with ``extend-select = IPS401``.
    """

    code = "IPS401"
    name = "implicit-namespace-package"
    fix = "never"
    fix_note = "An ``__init__.py`` changes the project's layout, not this file."
    limitations = (
        (
            "It reads the folders on disk: a file given through stdin is judged by the folder its "
            "display name names, and one whose folder does not exist is not reported."
        ),
        "Files in the folder flake8 runs in are never reported, so run flake8 from the project's root.",
    )
    added = "0.1.0"
    peers = (
        Peer(
            "ruff", ("INP001",), "implicit-namespace-package",
            note=(
                "ruff's ``namespace-packages`` is ``importstyle-namespace-packages`` here; ruff too "
                "leaves shebang files and PEP 723 scripts, but not test modules or script folders"
            ),
        ),
    )
    message = (
        "{folder!r} has no __init__.py, so this file is part of an implicit namespace package: "
        "add {init!r}, or list the folder in importstyle-namespace-packages"
    )
    sample = {"folder": "tools", "init": "tools/__init__.py"}
    default = "off"
    options = ("importstyle-namespace-packages",)
    examples = (
        # The check reads the file's folder on disk: a relative name is taken
        # from the folder the check runs in, where no ``tools/__init__.py`` is.
        Example(
            bad="def report():\n    print('report')\n",
            good="#!/usr/bin/env python3\nprint('report')\n",
            filename="tools/report.py",
        ),
        Example(
            bad="def report():\n    print('report')\n",
            good="def report():\n    print('report')\n",
            options={"namespace-packages": "tools"},
            filename="tools/report.py",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        name = file.filename
        if not name or name in {"-", "stdin"} or not name.endswith(".py") or file.basename == "__init__.py":
            return
        if not file.basename[:-3].isidentifier():
            return  # no import statement can name it
        folder = os.path.dirname(os.path.abspath(name))
        cwd = os.getcwd()
        if folder == cwd or not os.path.isdir(folder) or resolve.has_init(folder):
            return
        if not os.path.basename(folder).isidentifier():
            return  # `typing-examples/`: no import can name a package there
        if resolve.listed_folder(folder, file.config.namespace_packages, cwd):
            return
        if file.lines and file.lines[0].startswith("#!"):
            return
        if "# /// script" in file.source and any(_PEP723.match(line) for line in file.lines):
            return
        stem = file.basename[:-3]
        if stem.startswith("test_") or stem.endswith("_test") or stem == "conftest":
            return  # pytest imports it as a top-level module
        relative = os.path.relpath(folder, cwd) if folder.startswith(cwd + os.sep) else folder
        if _SCRIPT_FOLDERS & {part.lower() for part in relative.split(os.sep)}:
            return
        if "__main__" in file.source and any(_is_main_guard(stmt) for stmt in getattr(file.tree, "body", [])):
            return
        shown = resolve.shown_path(folder, cwd)
        yield self.finding(1, 0, folder=shown, init=os.path.join(shown, "__init__.py"))


#: The opening line of a PEP 723 metadata block: the file is a script, run by path.
_PEP723 = re.compile(r"# /// script\s*$")
#: Folders whose files are run by path (or by Sphinx), or that pytest puts on
#: ``sys.path`` to import their modules as top-level ones: not a package's.
_SCRIPT_FOLDERS = frozenset({"scripts", "examples", "bin", "doc", "docs", "documentation", "tests", "test"})


def _is_main_guard(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` (either way round)."""
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare) or len(stmt.test.ops) != 1:
        return False
    if not isinstance(stmt.test.ops[0], ast.Eq):
        return False
    sides = [stmt.test.left, stmt.test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    strings = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(strings) == 1


# ----------------------------------------------------------------------- IPS402


_SET_HERE = """\
import xml

import etree_shim

xml.etree = etree_shim
tree = xml.etree.ElementTree.parse("data.xml")
"""


class UnimportedSubmodule(Rule):
    """``import xml`` runs ``xml/__init__.py``, which does not import
    ``xml.etree``: the attribute ``xml.etree`` exists only once something
    imports that submodule. Code that reaches it through the package works
    only because some other module happened to import it first (``site``
    imports ``importlib.util`` at start-up), and breaks when that changes.
    Import the submodule the code uses. A package that binds the name itself
    is fine (``os`` binds ``path``; ``json`` imports ``json.decoder``), and
    so is any import of the submodule in this file, in any form. The finding
    sits at the start of the first chain that reaches the submodule, naming
    the deepest submodule the chain needs; the import it suggests follows
    ``importstyle-aliases``, ``importstyle-no-from`` and
    ``importstyle-allow-dotted``.

    What a package's code loads through ``importlib.import_module("...")`` or
    ``__import__("...")`` with a literal name counts as imported; a call with
    any other name (``import_module(f"{__name__}.{name}")``), at the top level
    or in a function the top level calls, may load any submodule: "cannot
    tell", no finding. So is a chain below what the file sets itself
    (``xml.etree = shim``, ``setattr(xml, "etree", shim)``, ``del xml.etree``).
    """

    code = "IPS402"
    name = "unimported-submodule"
    fix = "sometimes"
    fix_note = (
        "``import email`` with ``email.errors.MessageError`` gets the import of the submodule the chain "
        "reaches, in the file's style: ``from email import errors`` with the chains ``errors.MessageError``, "
        "in place of ``import email`` where nothing else reads it, else where isort puts it at the top of "
        "the module (a name the file or the standard library's top-level modules already use is "
        "``email_errors`` instead); ``import email.errors`` with the chains unchanged (the minimal diff) "
        "where ``importstyle-no-from`` or ``importstyle-allow-dotted`` asks for the module whole or IPS101 "
        "is not selected, right after ``import email`` where that stands inside a function. A chain inside "
        "a function gets its import at the top of the module too: the module is on disk, and the rewrite "
        "is made only where the fixer proves from its source (and its packages') that importing it does "
        "nothing a program could tell (imports that cannot fail, ``def`` and ``class`` statements "
        "without decorators or bases that run code, assignments of constants), so loading it earlier, "
        "or at all, changes nothing. Left with the reason and the ``module:line`` that blocks it: a "
        "submodule whose import runs code (a call, a ``print``, a registration, ``re.compile``), binds "
        "names at run time, cannot be found or has no source (compiled), the file's own module, a chain "
        "whose name may be bound by something other than its one import, a chain in a ``try`` whose "
        "handler catches its ``AttributeError`` (the program's fallback for the missing submodule), and a "
        "dotted import that would bind another name than the one the chain starts with."
    )
    limitations = (
        (
            "It cannot tell, and says nothing, when the package's ``__init__.py`` has a module "
            "``__getattr__`` (lazy loading, as numpy and scipy do), binds names by a call or a star "
            "import it cannot follow, or cannot be found by the Python that runs flake8 (a dependency "
            "not installed there)."
        ),
        (
            'It follows ``name.attr`` chains: a submodule reached through ``getattr(pkg, "sub")`` is '
            "not seen."
        ),
        (
            "An import of the submodule in another module that always runs first (the program's entry "
            "point) does not count: the file is still reported."
        ),
        (
            "Most of the standard library's submodules run code on import (``xml.etree.ElementTree``, "
            "``importlib.util``, ``logging.config``), so their findings are reported, not fixed. The fix "
            "assumes that no other code relies on the submodule being absent (``hasattr(email, "
            "'errors')``) before this file is imported."
        ),
    )
    added = "0.1.0"
    peers = ()
    message = (
        "'{module}' is a submodule that this file never imports; it works only if something else "
        "imported it first; write '{replacement}'"
    )
    sample = {"module": "xml.etree", "replacement": "from xml import etree"}
    examples = (
        Example(
            bad="import xml\n\ntree = xml.etree.ElementTree.parse('data.xml')\n",
            good="import xml.etree.ElementTree as ET\n\ntree = ET.parse('data.xml')\n",
        ),
        Example(
            bad="import importlib\n\nimportlib.util.find_spec('json')\n",
            good="import os\nimport json\nfrom importlib import util\n\n"
            "os.path.join('a', 'b')\njson.decoder.JSONDecodeError\nutil.find_spec('json')\n",
        ),
        Example(bad=_SET_HERE, good=_SET_HERE),
        # email.errors only defines exception classes: the fixer imports it
        Example(
            bad="import email\n\nerror = email.errors.MessageError\n",
            good="from email import errors\n\nerror = errors.MessageError\n",
            fixed="from email import errors\n\nerror = errors.MessageError\n",
        ),
        Example(
            bad="import email\n\nerror = email.errors.MessageError\n",
            good="import email.errors\n\nerror = email.errors.MessageError\n",
            options={"allow-dotted": "email.errors"},
            fixed="import email\nimport email.errors\n\nerror = email.errors.MessageError\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        if file.basename.endswith(".pyi"):
            return  # a stub is never run
        bases = _import_bases(file.records)
        if not bases:
            return
        roots = resolve.search_roots(file.filename)
        source = file.source
        packages = {n: t for n, t in bases.items() if _is_package(t, roots) and n + "." in source}
        if not packages:
            return
        chains = _chains(source, packages)
        if not chains:
            return
        imports = _FileImports(file)
        needed: dict[str, list[tuple[str, int]]] = {}
        for (base, attrs), offsets in chains.items():
            module = _needed(packages[base], attrs, imports, roots)
            if module is not None:
                needed.setdefault(module, []).extend((base, offset) for offset in offsets)
        set_here = _set_here(file, chains, packages)
        if set_here:  # what the file puts there itself is its own doing, not a missing import
            needed = {m: o for m, o in needed.items() if not any(_within(m, d) for d in set_here)}
        # importing the deeper module imports the shallower one too: one finding is enough
        needed = {m: o for m, o in needed.items() if not any(n.startswith(m + ".") for n in needed)}
        if not needed:
            return
        trusted = {
            base: packages[base]
            for base in {base for uses in needed.values() for base, _ in uses}
            if _trusted(file, base, packages[base])
        }
        lines = set(line_numbers(source, (offset for uses in needed.values() for _, offset in uses)))
        for module, node in _first_uses(file, set(needed), lines, trusted).items():
            replacement, _ = import_of(module, file.config)
            yield self.at(file, node, module=module, replacement=replacement)


def _import_bases(records: list[ImportRecord]) -> dict[str, str]:
    """Names bound by absolute imports, each to the one dotted target it holds.

    ``import a.b`` -> ``a: a``; ``import a.b as c`` -> ``c: a.b``;
    ``from m import x as y`` -> ``y: m.x``. A name bound to two targets (or
    by a relative import too) is left out.
    """
    targets: dict[str, set[str]] = {}
    for record in records:
        if record.is_future:
            continue
        for name in record.names:
            if name.name == "*":
                continue
            if record.level:
                target = "."  # relative: not followed here, and it makes the name ambiguous
            elif record.is_from:
                target = f"{record.module}.{name.name}"
            else:
                target = name.name if name.asname else name.bound
            targets.setdefault(name.bound, set()).add(target)
    return {name: found.pop() for name, found in targets.items() if len(found) == 1 and "." not in found}


@lru_cache(maxsize=1024)
def _bare_name(name: str) -> re.Pattern[str]:
    """*name* as a whole word that does not start an attribute chain."""
    escaped = re.escape(name)  # the literal first: see text.word
    return re.compile(rf"{escaped}(?<![\w.]{escaped})(?!\w)(?!\s*\.)")


def _trusted(file: FileContext, name: str, target: str) -> bool:
    """Whether *name* holds *target* everywhere in the file: no statement binds it
    other than the imports. The text decides when the name shows up only in
    ``name.attr`` chains and on import lines; otherwise the syntax tree does."""
    import_lines = {record.line for record in file.records}
    import_lines.update(n.line for record in file.records for n in record.names)
    offsets = [match.start() for match in _bare_name(name).finditer(file.source)]
    for line in line_numbers(file.source, offsets):
        if line not in import_lines or line > len(file.lines) or ";" in file.lines[line - 1]:
            return file.bindings.get(name) == target
    return True


@resolve.per_run
@lru_cache(maxsize=8192)
def _is_package(name: str, roots: resolve.Roots) -> bool:
    found = resolve.find(name, roots)
    return isinstance(found, resolve.Module) and found.is_package


@lru_cache(maxsize=1024)
def _chain_pattern(name: str) -> re.Pattern[str]:
    """``name.a.b``: the name, then at least one attribute."""
    return re.compile(re.escape(name) + r"((?:\.[^\W\d]\w*)+)")


def _chains(source: str, packages: dict[str, str]) -> dict[tuple[str, tuple[str, ...]], list[int]]:
    """Every ``name.a.b`` in the text whose name is bound to a package, with the
    offsets where it starts: a cheap text search that finds candidates; the
    syntax tree has the last word."""
    found: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for name in packages:
        for match in _chain_pattern(name).finditer(source):
            start = match.start()
            if start and (source[start - 1].isalnum() or source[start - 1] in "._"):
                continue  # part of a longer name: `my_xml.etree`, `self.xml.etree`
            attrs = tuple(match.group(1).split(".")[1:])
            found.setdefault((name, attrs), []).append(start)
    return found


def _within(module: str, dotted: str) -> bool:
    return module == dotted or module.startswith(dotted + ".")


#: What follows a chain that the file assigns to: ``=``, ``+=``..., or an annotation.
_ASSIGNED = re.compile(r"\s*(?:(?:[-+*/%&|^@]|//|\*\*|>>|<<)?=(?!=)|:)")
_DEL = re.compile(r"del(?<!\wdel)\s")


def _set_here(
    file: FileContext, chains: dict[tuple[str, tuple[str, ...]], list[int]], packages: dict[str, str]
) -> set[str]:
    """The dotted names this file sets on a package itself: ``xml.etree = shim``,
    ``del xml.etree``, ``setattr(xml, "etree", shim)``. The text picks the lines
    (a chain followed by ``=``, a chain on a line with ``del``, ``setattr(`` with
    the package's name); the syntax tree has the last word."""
    source = file.source
    assigned: list[int] = []
    other: list[int] = []
    for (name, attrs), starts in chains.items():
        length = len(name) + sum(len(a) + 1 for a in attrs)
        for start in starts:
            (assigned if _ASSIGNED.match(source, start + length) else other).append(start)
    lines = set(line_numbers(source, assigned))
    if "del" in source:
        lines.update(
            n for n in line_numbers(source, other) if n <= len(file.lines) and _DEL.search(file.lines[n - 1])
        )
    if "setattr" in source:
        names = "|".join(sorted(re.escape(name) for name in packages))
        lines.update(file.lines_matching(re.compile(rf"setattr\s*\(\s*(?:{names})\b")))
    if not lines:
        return set()
    found: set[str] = set()
    for node in file.nodes_on(lines):
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            dotted = _qualify(node, packages)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            owner = node.args[0]
            base = packages.get(owner.id) if isinstance(owner, ast.Name) else None
            if isinstance(owner, ast.Attribute):
                base = _qualify(owner, packages)
            dotted = f"{base}.{node.args[1].value}" if base else None
        else:
            continue
        if dotted is not None:
            found.add(dotted)
    return found


class _FileImports:
    """The modules a file imports, in any form and any scope (read on first use)."""

    def __init__(self, file: FileContext) -> None:
        self.file = file

    @cached_property
    def names(self) -> frozenset[str] | None:
        """Every imported module and its parents; None if a relative import cannot be resolved."""
        file = self.file
        names: set[str] = set()
        imported: list[str] = []
        for record in file.records:
            if record.is_future:
                continue
            if not record.is_from:
                imported.extend(n.name for n in record.names)
                continue
            module = file.absolute(record)
            if module is None:
                return None  # it may import anything
            imported.append(module)
            imported.extend(f"{module}.{n.name}" for n in record.names if n.name != "*")
        for dotted in imported:
            parts = dotted.split(".")
            names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return frozenset(names)

    @cached_property
    def own_name(self) -> str | None:
        return resolve.module_name(self.file.filename)

    @cached_property
    def own(self) -> frozenset[str]:
        """The module being run, and its packages: loaded, whatever it imports."""
        parts = self.own_name.split(".") if self.own_name else []
        return frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))

    @cached_property
    def starts(self) -> frozenset[str]:
        """What the file's imports load, to follow into their code (not the file itself)."""
        return (self.names or frozenset()) | (self.own - {self.own_name})

    @cached_property
    def stars(self) -> frozenset[str]:
        return frozenset(
            module
            for record in self.file.records
            if record.is_star and (module := self.file.absolute(record)) is not None
        )

    def imports(self, module: str) -> bool:
        """Whether the file imports *module* (or a module below it), or names it in a
        string that a dynamic import may use (``importlib.import_module("xml.etree")``).
        True when it cannot tell."""
        names = self.names
        if names is None or module in names or module in self.own:
            return True
        if any(module.startswith(star + ".") for star in self.stars):
            return True
        source = self.file.source
        return f"'{module}" in source or f'"{module}' in source


def _needed(target: str, attrs: tuple[str, ...], imports: _FileImports, roots: resolve.Roots) -> str | None:
    """The deepest submodule the chain ``target.attrs`` reaches without it being sure to be loaded."""
    module = resolve.find(target, roots)
    if not isinstance(module, resolve.Module):
        return None
    prefix = target
    needed = None
    for attr in attrs:
        sub = resolve.submodule(module, attr)
        if not isinstance(sub, resolve.Module):
            break  # an attribute: the chain leaves the modules here
        full = f"{prefix}.{attr}"
        if not imports.imports(full):
            bound = resolve.binds(module, attr, roots)
            if bound is False:
                if resolve.loads(imports.starts, full, roots) is False:
                    needed = full
            elif resolve.is_module(full, roots) is not True:
                break  # the package binds the name, perhaps to something else (unittest.main)
        module, prefix = sub, full
    return needed


def _first_uses(
    file: FileContext, modules: set[str], lines: set[int], bases: dict[str, str]
) -> dict[str, ast.Attribute]:
    """For each module, the first attribute chain that reaches it at run time
    from one of the trusted *bases* (name -> the module it holds).

    Only the statements on *lines* (where the text search found the chains)
    are walked down to their expressions.
    """
    leaves = {m.rpartition(".")[2] for m in modules}
    first: dict[str, ast.Attribute] = {}
    for node in sorted(_runtime_attributes(file, leaves, lines), key=lambda n: (n.lineno, n.col_offset)):
        qualified = _qualify(node, bases)
        if qualified in modules and qualified not in first:
            first[qualified] = node
    return first


def _qualify(node: ast.Attribute, bases: dict[str, str]) -> str | None:
    """``xml.etree.ElementTree`` for the chain ``xml.etree.ElementTree`` when ``xml`` holds ``xml``."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name) or current.id not in bases:
        return None
    return ".".join([bases[current.id], *reversed(parts)])


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _runtime_attributes(file: FileContext, attrs: set[str], lines: set[int]) -> Iterator[ast.Attribute]:
    """``x.<attr>`` reads on *lines* that run: not under ``if TYPE_CHECKING:``,
    not in annotations that are never evaluated (a function's local ones; all
    of them under ``from __future__ import annotations``)."""
    lazy = any(
        record.is_future and any(n.name == "annotations" for n in record.names) for record in file.records
    )
    wanted = sorted(lines)
    stack: list[tuple[ast.stmt, bool]] = [(s, False) for s in getattr(file.tree, "body", [])]
    while stack:
        stmt, in_function = stack.pop()
        if not spans(stmt, wanted):
            continue
        if isinstance(stmt, ast.If) and _is_type_checking(stmt.test):
            stack.extend((s, in_function) for s in stmt.orelse)
            continue
        inner = in_function or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        for node in _own_nodes(stmt, lazy or in_function, lazy):
            if isinstance(node, ast.stmt):
                stack.append((node, inner))
            elif isinstance(node, ast.Attribute) and node.attr in attrs and isinstance(node.ctx, ast.Load):
                yield node


def _own_nodes(stmt: ast.stmt, skip_variable_annotations: bool, skip_signatures: bool) -> Iterator[ast.AST]:
    """The expressions of *stmt* and the statements nested in it (not their expressions)."""
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        for name, value in ast.iter_fields(node):
            if name == "annotation" and (
                skip_signatures if isinstance(node, ast.arg) else skip_variable_annotations
            ):
                continue
            if name == "returns" and skip_signatures:
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.stmt):
                    yield child
                elif isinstance(child, ast.AST):
                    yield child
                    todo.append(child)


# ----------------------------------------------------------------------- IPS403

#: Modules whose names are meant to be imported: importing them whole helps no reader.
NAMES_OK = ("typing", "typing_extensions", "collections.abc", "__future__")


class ModulesOnly(Rule):
    """Some teams import modules, never names (Google's Python style guide,
    "import modules, not names"): ``path.join`` and ``json.dumps`` say at
    each use where a name comes from, and a module mocked or reloaded in a
    test is seen by every use. ``from a import name`` is flagged when
    ``name`` is not a module. Names the resolver cannot place (a module it
    cannot find or read, a name bound by a call) and relative imports it
    cannot resolve are not flagged, nor are ``typing``,
    ``typing_extensions``, ``collections.abc`` and ``__future__``, and the
    modules listed in ``importstyle-names-ok`` (a package covers its
    submodules). Re-exports are not flagged either: in an ``__init__.py`` or a
    ``.pyi`` stub, ``from .core import Argument as Argument`` (the explicit
    re-export idiom, as IPS104 respects it) and the names its ``__all__``
    lists; following the rule there would take names out of the package's
    public API. Other imports in an ``__init__.py`` are flagged as anywhere.
    Off by default: turn it on with ``extend-select = IPS403``.
    """

    code = "IPS403"
    name = "modules-only"
    fix = "unsafe"
    unsafe_because = "each use reads the attribute when it runs, not once at the import"
    fix_note = (
        "With ``--unsafe-fixes`` (and the code selected), an absolute module-level "
        "``from a.b import name`` becomes the import the message names (``from a import b``) and every "
        "use of ``name`` becomes ``b.name``; where that import is there already, the from-import goes. "
        "An attribute replaced after the import (``mock.patch``, a plugin, a reload) is then seen by "
        "every use, which is why it is unsafe. Refused, with the reason: a relative or local import, the "
        "module's name taken in the file, a use the import does not serve alone."
    )
    limitations = (
        (
            "It says nothing where the resolver cannot place a name: a module it cannot find or read "
            "where flake8 runs, a name bound by a call, a relative import it cannot resolve."
        ),
        (
            "Classes and functions count as names like any other; beyond the typing modules, only "
            "``importstyle-names-ok`` exempts a module."
        ),
    )
    added = "0.1.0"
    peers = ()
    message = "{name!r} is not a module; write '{replacement}' and use '{use}.{name}'"
    sample = {"name": "name", "replacement": "import a", "use": "a"}
    default = "off"
    options = ("importstyle-names-ok",)
    examples = (
        Example(
            bad="from os.path import join\n\njoin('a', 'b')\n",
            good="from os import path\nfrom collections.abc import Mapping\n\npath.join('a', 'b')\n",
            fixed="from os import path\n\npath.join('a', 'b')\n",
        ),
        Example(
            bad="from json import dumps\n",
            good="from json import dumps\n",
            options={"names-ok": "json"},
        ),
        Example(
            bad="from json import dumps\n",
            good='from json import dumps as dumps\nfrom json import loads\n\n__all__ = ["loads"]\n',
            filename="mypkg/__init__.py",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        roots: resolve.Roots | None = None
        exports: frozenset[str] | None = None
        public = file.basename == "__init__.py" or file.filename.endswith(".pyi")
        for record in file.records:
            if not record.is_from or record.is_future or record.is_star:
                continue
            module = file.absolute(record)
            if module is None or _names_ok(module, file.config):
                continue
            for name in record.names:
                if public and name.asname == name.name:
                    continue  # `from .core import Argument as Argument`: an explicit re-export
                if public:
                    if exports is None:
                        exports = frozenset(dunder_all(file.tree) or ())  # computed: none known
                    if name.bound in exports:
                        continue
                if roots is None:
                    roots = resolve.search_roots(file.filename)
                if resolve.is_module(f"{module}.{name.name}", roots) is False:
                    replacement, use = _module_import(record, module, file.config)
                    yield self.finding(name.line, name.col, name=name.name, replacement=replacement, use=use)


def _names_ok(module: str, config: Config) -> bool:
    return any(module == ok or module.startswith(ok + ".") for ok in (*NAMES_OK, *config.names_ok))


def _module_import(record: ImportRecord, module: str, config: Config) -> tuple[str, str]:
    """The import of the from-module itself, relative when the record is."""
    if record.level and record.module:
        parent, _, leaf = record.module.rpartition(".")
        return f"from {'.' * record.level}{parent} import {leaf}", leaf
    return import_of(module, config)
