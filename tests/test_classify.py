"""The classifier: kinds, contexts, positions, and the two front ends agreeing."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from flake8_importstyle.classify import records_from_ast, records_from_cst
from flake8_importstyle.records import Context, Kind, Scope
from tests._hardening import FULL_SWEEP, stdlib_top_level


def from_ast(source: str):
    return records_from_ast(ast.parse(source), source.splitlines(keepends=True))


def from_cst(source: str):
    return records_from_cst(cst.MetadataWrapper(cst.parse_module(source)))


@pytest.mark.parametrize(
    ("source", "kinds"),
    [
        ("import a\n", [Kind.PLAIN]),
        ("import a.b\n", [Kind.DOTTED]),
        ("import a as x, a.b as y\n", [Kind.ALIASED, Kind.ALIASED]),
        ("from m import x, y as z\n", [Kind.FROM, Kind.FROM]),
        ("from . import x\n", [Kind.RELATIVE]),
        ("from ..m import x\n", [Kind.RELATIVE]),
        ("from m import *\n", [Kind.STAR]),
        ("from . import *\n", [Kind.STAR]),
        ("from __future__ import annotations\n", [Kind.FUTURE]),
    ],
)
def test_kinds(source: str, kinds: list[Kind]) -> None:
    for records in (from_ast(source), from_cst(source)):
        assert [r.kind_of(n) for r in records for n in r.names] == kinds


def test_record_fields() -> None:
    (rec,) = from_ast("from ..pkg.sub import (a,\n    b as c)\n")
    assert (rec.is_from, rec.module, rec.level, rec.from_text) == (True, "pkg.sub", 2, "..pkg.sub")
    assert [(n.name, n.asname, n.bound, n.line, n.col) for n in rec.names] == [
        ("a", None, "a", 1, 23),
        ("b", "c", "c", 2, 4),
    ]
    assert rec.full_name(rec.names[0]) is None  # relative: unknown without a package
    (plain,) = from_ast("import a.b.c\n")
    assert plain.names[0].bound == "a"
    assert plain.full_name(plain.names[0]) == "a.b.c"


CONTEXT_SOURCE = """\
import a
if TYPE_CHECKING:
    import b
else:
    import c
if typing.TYPE_CHECKING:
    import d
try:
    import e
except (ValueError, ImportError):
    import f
else:
    import g
finally:
    import h
try:
    import i
except ValueError:
    pass
def fn():
    import j
    try:
        import k
    except:
        pass
class C:
    import l
    def m(self):
        import m
try:
    def inner():
        import n
except ModuleNotFoundError:
    pass
for _ in x:
    with y:
        while z:
            import o
match v:
    case 1:
        import p
"""

M, F, K = Scope.MODULE, Scope.FUNCTION, Scope.CLASS
EXPECTED_CONTEXTS = {
    "a": Context(M),
    "b": Context(M, type_checking=True),
    "c": Context(M),
    "d": Context(M, type_checking=True),
    "e": Context(M, guarded=True),
    "f": Context(M),
    "g": Context(M),
    "h": Context(M),
    "i": Context(M),
    "j": Context(F),
    "k": Context(F, guarded=True),
    "l": Context(K),
    "m": Context(F),
    "n": Context(F),  # defining the function is guarded; running its import is not
    "o": Context(M),
    "p": Context(M),
}


@pytest.mark.parametrize("front_end", [from_ast, from_cst], ids=["ast", "libcst"])
def test_contexts(front_end) -> None:
    got = {r.names[0].name: r.context for r in front_end(CONTEXT_SOURCE)}
    assert got == EXPECTED_CONTEXTS


def test_lazy_imports_are_classified_like_eager_ones() -> None:
    # PEP 810 syntax: libcst 1.9 parses it into LazyImport / LazyImportFrom.
    if not hasattr(cst, "LazyImport"):
        pytest.skip("this libcst has no PEP 810 support")
    lazy = from_cst("lazy import a.b\nlazy from m import x as y\n")
    eager = from_cst("import a.b\nfrom m import x as y\n")
    assert [r.lazy for r in lazy] == [True, True]
    shift = len("lazy ")

    def shape(records, offset):
        return [
            (r.is_from, r.module, r.line, r.col, [(n.name, n.asname, n.col + offset) for n in r.names])
            for r in records
        ]

    assert shape(lazy, 0) == shape(eager, shift)


def test_ast_lazy_flag_is_read_where_python_has_it() -> None:
    tree = ast.parse("import a.b\n")
    tree.body[0].is_lazy = 1  # what Python 3.15's ast sets for `lazy import a.b`
    (rec,) = records_from_ast(tree, ["import a.b\n"])
    assert rec.lazy


@pytest.mark.parametrize(
    "source",
    [
        'x = "é"; import os.path\n',
        "if x:\n\tfrom m import (a,\n\t\tb as c)\n",
        's = "日本語"; from . import (\n    ü as ö,\n)\n',
        "import a, \\\n    b.c as d\n",
        "def f(): import x; from y import z\n",
    ],
)
def test_front_ends_agree(source: str) -> None:
    assert from_ast(source) == from_cst(source)


@pytest.mark.slow
def test_front_ends_agree_on_the_stdlib() -> None:
    """Every top-level module on CI's default Python; every third elsewhere (the libcst
    side renders positions for each whole module: a minute for all of them)."""
    checked = 0
    for path in stdlib_top_level()[:: 1 if FULL_SWEEP else 3]:
        source = path.read_bytes()
        try:
            text = source.decode("utf-8")
            tree = ast.parse(text)
            module = cst.parse_module(source)
        except (SyntaxError, UnicodeDecodeError, cst.ParserSyntaxError):  # pragma: no cover
            continue
        assert records_from_ast(tree, text.splitlines(keepends=True)) == records_from_cst(
            cst.MetadataWrapper(module)
        ), path
        checked += 1
    assert checked > (100 if FULL_SWEEP else 40)
