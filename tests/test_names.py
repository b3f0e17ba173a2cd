"""The fixer's model of names: scopes as the compiler makes them, and the bindings
that may serve each read, in order, under conditions, and in time."""

from __future__ import annotations

import ast
import symtable
import sys

import pytest

from flake8_importstyle.names import Model
from tests._hardening import stdlib_top_level


def meaning(source: str, line: int, name: str, nth: int = 0) -> list[str]:
    """What may serve the *nth* read of *name* on *line*: ``import@L``, ``other@L``,
    ``star@L``, ``unbound`` or ``builtin``, sorted."""
    model = Model(ast.parse(source))
    reads = [r for r in model.reads if r.id == name and _line(model, r) == line]
    assert reads, f"no read of {name!r} on line {line}"
    out = []
    for binding in model.meaning(reads[nth]):
        if binding.kind in ("unbound", "builtin"):
            out.append(binding.kind)
        else:
            out.append(f"{binding.kind}@{model.line_of(binding)}")
    return sorted(out)


def _line(model: Model, read: ast.Name) -> int:
    string = model.in_string.get(id(read))
    return string.lineno if string is not None else read.lineno


@pytest.mark.parametrize(
    ("source", "line", "name", "expected"),
    [
        pytest.param("import os\nprint(os)\n", 2, "os", ["import@1"], id="after"),
        pytest.param("print(os)\nimport os\n", 1, "os", ["unbound"], id="before"),
        pytest.param("print(input)\nimport input\n", 1, "input", ["builtin"], id="builtin-before"),
        pytest.param(
            "import os\ndef f():\n    return os\nimport os.path\n",
            3,
            "os",
            ["import@1", "import@4"],
            id="function-defined-before-a-later-import",
        ),
        pytest.param(
            "def f():\n    return os\nimport os\n",
            2,
            "os",
            ["import@3", "unbound"],
            id="function-before-the-only-import",
        ),
        pytest.param("import os\ndef f():\n    return os\n", 3, "os", ["import@1"], id="function-after"),
        pytest.param(
            "if x:\n    import os\nelse:\n    os = None\nprint(os)\n",
            5,
            "os",
            ["import@2", "other@4"],
            id="if-else",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os\nprint(os)\n",
            4,
            "os",
            ["import@3", "unbound"],
            id="type-checking",
        ),
        pytest.param(
            "try:\n    import yaml\nexcept ImportError:\n    yaml = None\nprint(yaml)\n",
            5,
            "yaml",
            ["import@2", "other@4"],
            id="try-except",
        ),
        pytest.param(
            "try:\n    import a\n    import b\nexcept ImportError:\n    pass\nprint(a)\n",
            6,
            "a",
            ["import@2", "unbound"],
            id="try-half-way",
        ),
        pytest.param(
            "for i in x:\n    print(os)\n    import os\n", 2, "os", ["import@3", "unbound"], id="loop"
        ),
        pytest.param(
            "while True:\n    import os\n    break\nprint(os)\n", 4, "os", ["import@2"], id="while-true-break"
        ),
        pytest.param("import os\ndel os\nprint(os)\n", 3, "os", ["unbound"], id="del"),
        pytest.param(
            "import os\nclass C:\n    os = 1\n    x = os\n", 4, "os", ["other@3"], id="class-body-binds-it"
        ),
        pytest.param(
            "import os\nclass C:\n    x = os\n    os = 1\n", 3, "os", ["import@1"], id="class-body-falls-back"
        ),
        pytest.param(
            "import os\nclass C:\n    os = 1\n    def m(self):\n        return os\n",
            5,
            "os",
            ["import@1"],
            id="method-skips-the-class",
        ),
        pytest.param("import os\ny = [os for os in z]\n", 2, "os", ["other@2"], id="comprehension-variable"),
        pytest.param(
            "import os\ny = [os for x in z]\n", 2, "os", ["import@1"], id="comprehension-reads-outer"
        ),
        pytest.param(
            "def f():\n    global os\n    import os\nprint(os)\n",
            4,
            "os",
            ["import@3", "unbound"],
            id="global",
        ),
        pytest.param(
            "import os\ndef f():\n    os = 1\n    def g():\n        return os\n",
            5,
            "os",
            ["other@3"],
            id="closure",
        ),
        pytest.param(
            "import os\nf = lambda: os\nos = 2\n", 2, "os", ["import@1", "other@3"], id="lambda-later"
        ),
        pytest.param(
            "import os\nf = lambda x=os: x\nos = 2\n", 2, "os", ["import@1"], id="lambda-default-now"
        ),
        # a walrus may not run (`x or (os := 1)`): it adds its binding to what was there
        pytest.param("import os\n(os := 1)\nprint(os)\n", 3, "os", ["import@1", "other@2"], id="walrus"),
        pytest.param(
            "import os\nwith cm:\n    import json\nprint(json)\n",
            4,
            "json",
            ["import@3", "unbound"],
            id="with-may-swallow",
        ),
        pytest.param(
            "import os\ntry:\n    pass\nexcept E as os:\n    pass\nprint(os)\n",
            6,
            "os",
            ["import@1", "unbound"],
            id="except-as-is-deleted",
        ),
        pytest.param(
            "import os\nmatch x:\n    case os:\n        pass\nprint(os)\n",
            5,
            "os",
            ["import@1", "other@3"],
            id="match",
        ),
        pytest.param(
            "from __future__ import annotations\ndef f(x: os.PathLike): pass\nimport os\n",
            2,
            "os",
            ["import@3", "unbound"],
            id="deferred-annotation",
        ),
        pytest.param(
            "import os\ndef f(x: 'os.PathLike'): pass\n", 2, "os", ["import@1"], id="string-annotation"
        ),
        pytest.param("import os\nfrom m import *\nprint(os)\n", 3, "os", ["import@1", "star@2"], id="star"),
        pytest.param(
            "import os\nx = 1\nimport os.path\nprint(os)\n", 4, "os", ["import@3"], id="later-import-kills"
        ),
        pytest.param(
            "def f():\n    if x:\n        return\n    import os\n    return os\n",
            5,
            "os",
            ["import@4"],
            id="return",
        ),
        pytest.param(
            "import os\ntry:\n    os = 1\nfinally:\n    print(os)\n",
            5,
            "os",
            ["import@1", "other@3"],
            id="finally",
        ),
    ],
)
def test_meaning(source: str, line: int, name: str, expected: list[str]) -> None:
    assert meaning(source, line, name) == expected


def test_a_private_name_in_a_class_is_noted() -> None:
    model = Model(ast.parse("import os as __os\nclass C:\n    def m(self):\n        return __os\n"))
    assert model.mangled == {"__os"}
    assert Model(ast.parse("import os as __os\nprint(__os)\n")).mangled == set()


def _symtable_scopes(table: symtable.SymbolTable) -> list[symtable.SymbolTable]:
    out = []
    for child in table.get_children():
        if child.get_type() in ("function", "class") or str(child.get_type()).endswith(("FUNCTION", "CLASS")):
            out.append(child)
        out += _symtable_scopes(child)
    return out


def _private(name: str) -> bool:
    """A name the compiler mangles in a class, or has mangled (``_C__x``)."""
    return (name.startswith("__") and not name.endswith("__")) or (
        name.startswith("_") and "__" in name[1:] and not name.endswith("__")
    )


def _inlined_locals(model: Model, owner) -> set[str]:
    """The variables of comprehensions (not generator expressions) directly in ``owner``."""
    out: set[str] = set()
    for scope in model.scopes:
        if scope.kind != "comprehension":
            continue
        parent = scope.parent
        while parent is not None and parent.kind == "comprehension":
            parent = parent.parent
        if parent is owner:
            out |= scope.locals
    return out


def test_scopes_agree_with_the_compilers_symbol_table() -> None:
    """Every function's and class's local and global names, as symtable gives them,
    over the stdlib's top-level modules (mangled private names aside)."""
    compared = 0
    for path in stdlib_top_level():
        source = path.read_text(encoding="utf-8", errors="surrogateescape")
        try:
            tree = ast.parse(source)
            table = symtable.symtable(source, str(path), "exec")
        except (SyntaxError, ValueError):
            continue
        model = Model(tree, tracked=())
        mine: dict[tuple[str, int], list] = {}
        for scope in model.scopes:
            if scope.kind in ("function", "class"):
                mine.setdefault((scope.node.name, scope.node.lineno), []).append(scope)  # type: ignore[attr-defined]
        for child in _symtable_scopes(table):
            found = mine.get((child.get_name(), child.get_lineno()), [])
            if len(found) != 1:
                continue
            scope = found[0]
            symbols = child.get_symbols()
            expected = {
                s.get_name()
                for s in symbols
                if (s.is_local() or s.is_parameter()) and not s.is_declared_global()
            }
            # Python 3.12's symtable lists an inlined list, set or dict comprehension's
            # own variables (PEP 709) in the enclosing scope; the model keeps them in the
            # comprehension's scope, where they are read.
            expected -= _inlined_locals(model, scope) - scope.locals
            assert {n for n in scope.locals if not _private(n)} == {n for n in expected if not _private(n)}, (
                path,
                child.get_name(),
                child.get_lineno(),
            )
            assert scope.globals == {s.get_name() for s in symbols if s.is_declared_global()}
            compared += 1
    assert compared > 2000


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 type parameters")
def test_type_parameters_have_their_own_scope() -> None:
    source = "import os\ndef f[T](x: T) -> T:\n    return os\n"
    assert meaning(source, 3, "os") == ["import@1"]


def test_a_del_is_given_what_it_deletes() -> None:
    """``del x`` needs ``x`` bound: the proof compares its meaning as it compares a read's."""
    source = "import os\ndef f():\n    import json\n    del json\nif c:\n    del os\n"
    model = Model(ast.parse(source))
    dels = [n for n in ast.walk(model.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Del)]
    found = {n.id: sorted((b.kind, model.line_of(b)) for b in model.meaning(n)) for n in dels}
    assert found == {"json": [("import", 3)], "os": [("import", 1)]}
