"""Helpers shared by the hardening tests (fuzzing, odd input, sweeps, scaling).

Environment variables:

* ``IMPORTSTYLE_FULL_SWEEP=1``: run the heavy sweeps (the whole stdlib with
  ``-j 1`` and ``-j 2``, projects downloaded from PyPI, the fixer on copies of
  them). ``.ci/run`` sets it for its default Python only.
* ``IMPORTSTYLE_FUZZ_EXAMPLES=N``: examples per fuzz test (default 200).
* ``CI``: set by CI; the fuzz tests then run derandomized, so a CI run is
  reproducible.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import subprocess
import symtable
import sys
import sysconfig
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from flake8_importstyle import rules
from flake8_importstyle.config import Config
from flake8_importstyle.fix import FixError, FixResult, fix_bytes
from flake8_importstyle.plugin import Plugin
from flake8_importstyle.text import source_lines

FULL_SWEEP = os.environ.get("IMPORTSTYLE_FULL_SWEEP") == "1"
IN_CI = bool(os.environ.get("CI"))
FUZZ_EXAMPLES = int(os.environ.get("IMPORTSTYLE_FUZZ_EXAMPLES", "200"))

INTERNAL_ERROR = "IPS001"
#: What a plugin exception inside flake8 looks like, whatever flake8 does with it.
CRASH_MARKERS = ("Traceback", "PluginExecutionFailed", "PluginRequestedUnknownParameters")

#: Every option set, so the policy rules (IPS105, IPS107, IPS108, ...) run too.
CONFIGURED_OPTIONS = {
    "allow-dotted": "xml.*",
    "no-from": "json, collections",
    "aliases": "geopandas=gpd, tkinter=, config=cfg",
    "banned": "six.moves = use the standard library\nos.system = use subprocess.run\npickle =",
    "relative": "never",
}
CONFIGURED = Config.from_options(**{k.replace("-", "_"): v for k, v in CONFIGURED_OPTIONS.items()})

#: Opt-in codes that exist in this version of the package (IPS401, IPS403, ...).
OPT_IN_CODES = tuple(
    sorted(set(getattr(rules, "OFF_BY_DEFAULT", ())) | ({"IPS401", "IPS403"} & set(rules.BY_CODE)))
)
#: flake8 arguments that run every rule of the plugin.
ALL_RULES_ARGS: tuple[str, ...] = ("--select", "IPS") + (
    ("--extend-select", ",".join(OPT_IN_CODES)) if OPT_IN_CODES else ()
)


class AllRulesPlugin(Plugin):
    """The flake8 adapter with every rule on (flake8 would set ``codes`` from ``--select``)."""

    codes = frozenset(rules.BY_CODE)


class ConfiguredPlugin(AllRulesPlugin):
    """Every rule on, and every option set."""

    config = CONFIGURED


# ------------------------------------------------------------------ processes


def run(
    cmd: Sequence[str], cwd: Path | str, *, timeout: float = 300, stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    """Run *cmd*; its output decoded leniently. Fails on a traceback or a plugin failure."""
    proc = subprocess.run(list(cmd), cwd=cwd, input=stdin, capture_output=True, timeout=timeout, check=False)
    result = subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
    for marker in CRASH_MARKERS:
        assert marker not in result.stdout + result.stderr, (cmd, result.stdout[-3000:], result.stderr[-3000:])
    return result


def flake8(cwd: Path | str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real flake8 in a subprocess: exit 0 or 1, no traceback, no IPS001."""
    result = run([sys.executable, "-m", "flake8", *args], cwd, timeout=timeout)
    assert result.returncode in (0, 1), result
    assert f" {INTERNAL_ERROR} " not in result.stdout, [
        line for line in result.stdout.splitlines() if f" {INTERNAL_ERROR} " in line
    ]
    return result


def fix_cli(cwd: Path | str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m flake8_importstyle fix ...``: exit 0, 1 or 2, never a traceback."""
    result = run([sys.executable, "-m", "flake8_importstyle", "fix", *args], cwd, timeout=timeout)
    assert result.returncode in (0, 1, 2), result
    return result


FINDING = re.compile(r"^(?P<path>.*?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$")


def parse_findings(stdout: str) -> list[tuple[str, int, int, str, str]]:
    """flake8's lines as (path, row, col, code, text); every line must be a finding."""
    out = []
    for line in stdout.splitlines():
        match = FINDING.match(line)
        assert match is not None, f"not a finding: {line!r}"
        out.append(
            (match["path"], int(match["row"]), int(match["col"]), match["code"], match["text"])
        )
    return out


def count_codes(findings: Iterable[tuple[str, int, int, str, str]]) -> Counter[str]:
    return Counter(code for _, _, _, code, _ in findings)


def rewritten(stdout: str) -> set[str]:
    """The paths the fixer reported as rewritten (``rewrote PATH``)."""
    return {line[len("rewrote "):] for line in stdout.splitlines() if line.startswith("rewrote ")}


# ------------------------------------------------------------------ in-process


def parse_quietly(source: str | bytes) -> ast.Module:
    """``ast.parse`` without SyntaxWarnings (pytest turns warnings into errors)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source)


def compiles(source: str | bytes, filename: str = "<test>") -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def plugin_findings(
    source: str, filename: str = "fuzz.py", plugin: type[Plugin] = AllRulesPlugin
) -> list[tuple[int, int, str]]:
    """What the flake8 adapter yields for *source*; fails on an exception or an IPS001."""
    tree = parse_quietly(source)
    lines = source_lines(source)
    out = []
    for line, col, text, kind in plugin(tree, lines, filename).run():
        assert kind is plugin
        assert not text.startswith(INTERNAL_ERROR), (text, source)
        assert isinstance(line, int) and isinstance(col, int), (line, col, text)
        if lines:  # a finding sits inside the file
            assert 1 <= line <= len(lines), (line, col, text, source)
            assert 0 <= col <= len(lines[line - 1].rstrip("\r\n")), (line, col, text, source)
        out.append((line, col, text))
    return out


#: Names every module has without binding them.
MODULE_ATTRIBUTES = frozenset(
    {"__file__", "__name__", "__package__", "__spec__", "__loader__", "__builtins__", "__doc__", "__path__",
     "__annotations__", "__cached__"}
)


def unbound_names(source: str | bytes) -> set[str]:
    """Names read somewhere that resolve to the module's namespace but that
    nothing in the module binds (and that are not builtins)."""
    if isinstance(source, bytes):
        from flake8_importstyle.fix import decode

        source = decode(source)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        top = symtable.symtable(source, "<fuzz>", "exec")
    bound: set[str] = set()
    read: set[str] = set()
    todo = [top]
    while todo:
        table = todo.pop()
        todo.extend(table.get_children())
        for sym in table.get_symbols():
            name = sym.get_name()
            if table is top:
                if sym.is_assigned() or sym.is_imported() or sym.is_namespace():
                    bound.add(name)
                if sym.is_referenced():
                    read.add(name)
            elif sym.is_global():
                if sym.is_declared_global() and (sym.is_assigned() or sym.is_imported() or sym.is_namespace()):
                    bound.add(name)
                if sym.is_referenced():
                    read.add(name)
    return read - bound - set(dir(builtins)) - MODULE_ATTRIBUTES


class _Shape(ast.NodeTransformer):
    """What a rewrite must keep: every statement but imports, every constant and
    binding. References (``a.b.c`` read) are made anonymous, and so are calls of
    ``import_module`` and of the builtin ``__import__`` (IPS201 rewrites the one into
    the other, arguments and all) unless the file binds the name ``__import__`` itself."""

    def __init__(self, builtin_import: bool) -> None:
        self.builtin_import = builtin_import

    def _is_import_call(self, node: ast.AST) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Name):
            return func.id == "import_module" or (func.id == "__import__" and self.builtin_import)
        return isinstance(func, ast.Attribute) and func.attr in ("__import__", "import_module")

    def visit_Import(self, node: ast.AST) -> None:
        return None

    visit_ImportFrom = visit_Import

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if self._is_import_call(node):
            return ast.Name("<import>", ast.Load())
        self.generic_visit(node)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if self._is_import_call(node):
            return ast.Name("<import>", ast.Load())
        inner: ast.AST = node
        while isinstance(inner, ast.Attribute):
            inner = inner.value
        if isinstance(inner, ast.Name) and isinstance(node.ctx, ast.Load):
            return ast.Name("<ref>", ast.Load())
        self.generic_visit(node)
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name("<ref>", ast.Load()) if isinstance(node.ctx, ast.Load) else node


def _binds_dunder_import(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "__import__" and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name.partition(".")[0]) == "__import__":
            return True
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.arg)) and getattr(node, "name", None) == "__import__":
            return True
    return False


def shape(source: str | bytes, like: str | bytes | None = None) -> str:
    """The file's ``ast`` with imports dropped and references anonymous (see :class:`_Shape`).
    ``__import__`` is read as the builtin where the file (or the file *like*, the original a
    fix is compared with) binds no ``__import__``: a fix that renames the file's own
    ``__import__`` binding away keeps the calls the original made to it."""
    tree = parse_quietly(source)
    meaning = tree if like is None else parse_quietly(like)
    return ast.dump(_Shape(builtin_import=not _binds_dunder_import(meaning)).visit(tree))


def check_fix(
    data: bytes, filename: str = "fuzz.py", config: Config = CONFIGURED, unsafe: bool = False
) -> FixResult | None:
    """Run the fixer on *data*: it may refuse the file (:class:`FixError`), nothing else.

    When it changes the file, the result compiles, keeps the original's shape
    (:func:`shape`; not with *unsafe*, whose ``x`` -> ``m.x`` changes it on purpose),
    reads no name the original did not already leave unbound, and a second run
    changes nothing. Returns None when the fixer refused the file.
    """
    try:
        result = fix_bytes(data, filename, config, unsafe=unsafe)
    except FixError:
        return None
    assert result.changed == (result.data != data)
    if not result.changed:
        return result
    assert compiles(result.data), (data, result.data)
    assert unsafe or shape(result.data, like=data) == shape(data), (data, result.data)
    new_unbound = unbound_names(result.data) - unbound_names(data)
    assert not new_unbound, (new_unbound, data, result.data)
    again = fix_bytes(result.data, filename, config, unsafe=unsafe)
    assert not again.changed and again.data == result.data, (data, result.data, again.data)
    return result


# ------------------------------------------------------------------ the stdlib


def stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def stdlib_top_level() -> list[Path]:
    return sorted(stdlib_root().glob("*.py"))


def stdlib_files() -> list[Path]:
    """Every ``.py`` file of the stdlib, its tests included, site-packages excluded."""
    return sorted(
        p for p in stdlib_root().rglob("*.py") if "site-packages" not in p.parts and "dist-packages" not in p.parts
    )


def parsed(paths: Iterable[Path]) -> Iterator[tuple[Path, ast.Module, list[str]]]:
    """Each file of *paths* that flake8 runs plugins on (it reports E999 on the
    rest), with its tree and lines."""
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        yield path, tree, source_lines(source)


def stdlib_excludes() -> str:
    """flake8 ``--exclude`` patterns that leave the stdlib's own code (tests included)."""
    return ",".join(["site-packages", "dist-packages", "__pycache__"])
