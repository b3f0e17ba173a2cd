"""What the other files of a project read from one module's namespace.

A rewrite such as ``import os.path`` -> ``from os import path`` takes the name
``os`` out of the module's namespace. Code elsewhere may read it:
``from pkg.mod import os``, ``pkg.mod.os.path``, ``mock.patch("pkg.mod.os.path.exists")``,
``"pkg.mod:os"``, ``getattr(mod, "os")``, or every public name at once with
``from pkg.mod import *``. The fixer asks this index only about the few names
its rewrites of a file add or remove, and only for the files whose text holds
both the module's name and one of those names; those files alone are parsed.

It reads files with ``ast`` and never imports them. What it cannot see is
written in README.rst: code outside the files it is given, and modules reached
by a computed name.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from flake8_importstyle.analysis import dotted_name
from flake8_importstyle.proof import Readers
from flake8_importstyle.resolve import absolute_module, module_name, same_file


class ProjectIndex:
    """The Python files of a run (those fixed and those only read), read on demand."""

    def __init__(self, paths: Iterable[Path], root: Path | None = None) -> None:
        self.paths = sorted(set(paths), key=lambda p: p.parts)
        self.root = root or Path.cwd()
        self._texts: dict[Path, str | None] = {}
        self._trees: dict[Path, ast.Module | None] = {}

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                data = path.read_bytes()
                self._texts[path] = data.decode("utf-8", "surrogateescape")
            except OSError:
                self._texts[path] = None
        return self._texts[path]

    def tree(self, path: Path) -> ast.Module | None:
        if path not in self._trees:
            text = self.text(path)
            try:
                self._trees[path] = ast.parse(text) if text is not None else None
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._trees[path] = None
        return self._trees[path]

    def where(self, path: Path, line: int) -> str:
        try:
            shown = os.path.relpath(path, self.root)
        except ValueError:  # another drive
            shown = str(path)
        return f"{shown}:{line}"

    def readers(self, module: str, names: Iterable[str], fixed: Path) -> Readers:
        """Where the files other than *fixed* read one of *names* from *module*, and
        where one imports ``*`` from it."""
        wanted = set(names)
        leaf = module.rpartition(".")[2]
        found: dict[str, str] = {}
        star: str | None = None
        for path in self.paths:
            if same_file(str(path), str(fixed)):
                continue
            text = self.text(path)
            if text is None or leaf not in text:
                continue
            if "*" not in text and not any(name in text for name in wanted):
                continue
            tree = self.tree(path)
            if tree is None:
                continue
            for name, line in reads_from(tree, module, module_name(str(path)), path.name == "__init__.py"):
                if name == "*":
                    star = star or self.where(path, line)
                elif name in wanted:
                    found.setdefault(name, self.where(path, line))
        return Readers(found, star)


def _absolute(level: int, target: str | None, importer: str | None, is_package: bool) -> str | None:
    """The absolute module ``from <dots><target> import ...`` names in the module *importer*."""
    if not level:
        return target
    if importer is None:
        return None
    package = importer if is_package else importer.rpartition(".")[0]
    return absolute_module(level, target, package)


def reads_from(
    tree: ast.Module, module: str, importer: str | None, is_package: bool
) -> Iterator[tuple[str, int]]:
    """(name, line) for each name of *module* this file reads from it (``*`` for a star
    import), however it spells the module; *importer* is this file's own module name."""
    aliases: set[str] = set()  # dotted spellings that hold the module in this file
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module or alias.name.startswith(module + "."):
                    aliases.add(alias.asname if alias.asname and alias.name == module else module)
                elif module.startswith(alias.name + ".") and alias.asname is None:
                    aliases.add(module)  # `import pkg` then `pkg.mod.name` (once pkg.mod is loaded)
                elif module.startswith(alias.name + ".") and alias.asname:
                    aliases.add(alias.asname + module[len(alias.name):])
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node.level or 0, node.module, importer, is_package)
            if source is None:
                continue
            for alias in node.names:
                if source == module:
                    yield alias.name, node.lineno
                elif f"{source}.{alias.name}" == module:
                    aliases.add(alias.asname or alias.name)
                elif module.startswith(f"{source}.{alias.name}."):
                    aliases.add((alias.asname or alias.name) + module[len(source) + len(alias.name) + 1:])
    strings = _string_pattern(module)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = dotted_name(node)
            if chain is None:
                continue
            for spelling in aliases:
                if chain.startswith(spelling + "."):
                    rest = chain[len(spelling) + 1:]
                    yield rest.partition(".")[0], node.lineno
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = strings.match(node.value)
            if match is not None:
                yield match.group(1), node.lineno
        elif isinstance(node, ast.Call) and aliases:
            # getattr(mod, "name"), mock.patch.object(mod, "name"), monkeypatch.setattr(mod, "name", x)
            for first, second in zip(node.args, node.args[1:]):
                if dotted_name(first) in aliases and isinstance(second, ast.Constant) and isinstance(
                    second.value, str
                ):
                    yield second.value, node.lineno


def _string_pattern(module: str) -> re.Pattern[str]:
    """``pkg.mod.name...`` and ``pkg.mod:name...`` (entry points, mock.patch targets)."""
    return re.compile(rf"{re.escape(module)}[.:]([A-Za-z_]\w*)")


def context_files(paths: Sequence[str], exclude: Sequence[str], patterns: Sequence[str]) -> list[Path]:
    """The Python files under *paths* as flake8 would find them (its exclusions applied)."""
    from flake8.discover_files import expand_paths

    found = expand_paths(
        paths=list(paths), stdin_display_name="stdin", filename_patterns=list(patterns), exclude=list(exclude)
    )
    return [Path(name) for name in found]
