"""IPS2xx and IPS3xx beyond the fixtures: name resolution, odd call shapes, the text gate."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from flake8_importstyle.rules import base
from tests.conftest import codes, lint


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # however the file binds importlib / sys / builtins
        ("import importlib\nimportlib.import_module('.x')\n", ["IPS204"]),
        ("import importlib as il\nil.import_module('.x')\n", ["IPS204"]),
        ("from importlib import import_module\nimport_module('.x')\n", ["IPS204"]),
        ("from importlib import import_module as im\nim('.x')\n", ["IPS204"]),
        ("import importlib.util\nimportlib.import_module('.x')\n", ["IPS101", "IPS204"]),
        ("from builtins import setattr as s\nimport builtins\ns(builtins, '__import__', f)\n", ["IPS203"]),
        ("import builtins as _b\nsetattr(_b, '__import__', f)\n", ["IPS203"]),
        ("from builtins import __import__ as imp_\nm = imp_('a.b')\n", ["IPS201", "IPS202"]),
        # a name bound twice, or to something else too, is not trusted
        ("import importlib\nimport foo as importlib\nimportlib.import_module('.x')\n", []),
        ("import importlib\ndef f(importlib):\n    importlib.import_module('.x')\n", []),
        ("import importlib\nfor importlib in x:\n    pass\nimportlib.import_module('.x')\n", []),
        ("from . import importlib\nimportlib.import_module('.x')\n", []),
        # rebound on a line of its own: read from the statements on the name's lines
        ("import importlib\n@d\ndef importlib():\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\ndef f(\n    a,\n    importlib=1,\n):\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\ntry:\n    pass\nexcept E as importlib:\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\nwith x as (\n    importlib\n):\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\nif (importlib := f()):\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\nv = [1 for importlib in x]\nimportlib.import_module('.x')\n", []),
        ("import importlib\nf = lambda importlib: 1\nimportlib.import_module('.x')\n", []),
        ("import importlib\nclass importlib:\n    pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\nmatch v:\n    case [importlib]:\n        pass\nimportlib.import_module('.x')\n", []),
        ("import importlib\ndef f():\n    global importlib\n    importlib = 1\nimportlib.import_module('.x')\n", []),
        ("import importlib\ndel importlib\nimportlib.import_module('.x')\n", []),
        # attributes and keywords of that name bind nothing
        ("import importlib\nself.importlib = 1\nf(importlib=2)\nimportlib.import_module('.x')\n", ["IPS204"]),
        # non-ASCII text: a name may be spelt in another Unicode form; the whole tree is read
        ("import importlib\nｉmportlib = 1\nimportlib.import_module('.x')\n", []),
        ("import importlib\ns = 'é'\nimportlib.import_module('.x')\n", ["IPS204"]),
        ("import_module('.x')\n", []),  # never imported: not importlib's
        # reading the import function is fine; only calls are flagged
        ("f = __import__\ng = getattr(builtins, '__import__')\n", []),
        ("class A:\n    def __import__(self): ...\n__import__('x')\n", []),
        ("__import__ = my_import\n__import__('x')\n", []),
        ("from mylib import __import__\n__import__('x')\n", []),
        # removed APIs: at the import or at the use
        ("import imp\n", ["IPS205"]),
        ("import imp.util\n", ["IPS101", "IPS205"]),
        ("from imp import (\n    reload,\n    load_source,\n)\n", ["IPS205"]),
        ("import pkgutil\npkgutil.ImpImporter('x')\npkgutil.iter_modules()\n", ["IPS205"]),
        # importlib.util reached through importlib without importing it: IPS402 too
        ("import importlib\nimportlib.util.module_for_loader\n", ["IPS205", "IPS402"]),
        ("impish = 1\nimport impala\n", []),
    ],
)
def test_resolution(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


ODD_SHAPES = [
    "__import__()\n",
    "__import__(*args)\n",
    "__import__(**kw)\n",
    '__import__("")\n',
    '__import__("a.b", *rest)\n',
    "import importlib\nimportlib.import_module(b'.x')\n",
    "import importlib\nimportlib.import_module()\n",
    "import importlib\nimportlib.import_module(*a)\n",
    "import builtins\nsetattr(builtins)\n",
    "import builtins\nsetattr()\n",
    "import builtins\nbuiltins.__import__ += 1\n",
    "import builtins\nbuiltins.__import__: object = f\n",
    "import sys\ndel sys.modules\n",
    "import sys\nsys.modules.pop()\n",
    "import sys\nsys.modules.pop(*keys)\n",
    "import sys\ndel sys.modules[1:2]\n",
    "import sys\ndel sys.modules[key]\n",
    "import sys\nfor k in sys.modules:\n    if k.startswith():\n        del sys.modules[k]\nimport x\n",
    "import sys\nfor k in sys.modules:\n    if k.startswith(*p):\n        del sys.modules[k]\nimport x\n",
    "import sys\nfor (a, b) in []:\n    pass\nfor k, in sys.modules:\n    pass\n",
    "import sys\nfor x.y in sys.modules:\n    del sys.modules[x.y]\n",
    "import importlib\nimportlib.reload()\n",
    "import importlib\nimportlib.reload(1)\n",
    "import importlib\nimportlib.reload(a, b)\n",
    "import importlib\nimportlib.reload(*mods)\n",
    "from importlib import reload\nreload(x.y().z)\n",
    "import sys\nsys.modules.clear(1)\nsys.modules['x'].clear()\n",
]


@pytest.mark.parametrize("source", ODD_SHAPES)
def test_odd_call_shapes_never_fail(source: str) -> None:
    found = lint(source)
    assert "IPS001" not in [f.code for f in found]


def test_augmented_assignment_to_the_import_function_is_still_a_replacement() -> None:
    assert codes("import builtins\nbuiltins.__import__ += 1\n") == ["IPS203"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the loop guard decides which names a purge removes
        ("import sys\nimport a\nfor k in list(sys.modules):\n    if k == 'a':\n        del sys.modules[k]\nimport a\n", ["IPS301"]),
        ("import sys\nimport a\nfor k in list(sys.modules):\n    if k == 'b':\n        del sys.modules[k]\nimport a\n", []),
        ("import sys\nimport ab\nfor k in sys.modules.copy():\n    if k.startswith(('a', 'z')):\n        sys.modules.pop(k)\nimport ab\n", ["IPS301"]),
        # the else branch of the guard is not what the guard admits
        ("import sys\nimport a\nfor k in list(sys.modules):\n    if k == 'b':\n        pass\n    else:\n        del sys.modules[k]\nimport a\n", []),
        # a guard that is not plain (and, a call of something else) says nothing
        ("import sys\nimport a\nfor k in list(sys.modules):\n    if k == 'a' and x:\n        del sys.modules[k]\nimport a\n", []),
        # the deleted key must be the loop variable
        ("import sys\nimport a\nfor k in list(sys.modules):\n    if k == 'a':\n        del sys.modules[other]\nimport a\n", []),
        # only the first import after a removal makes the second object
        ("import sys\nimport a\ndel sys.modules['a']\nimport a\nimport a\n", ["IPS301"]),
        ("import sys\nimport a\ndel sys.modules['a']\nimport a\ndel sys.modules['a']\nimport a\n", ["IPS301", "IPS301"]),
        # nested blocks of the same scope count, nested functions are their own scope
        ("import sys\nimport a\nif x:\n    try:\n        del sys.modules['a']\n    finally:\n        pass\nwith y:\n    import a\n", ["IPS301"]),
        ("import sys\nimport a\ndef f():\n    del sys.modules['a']\ndef g():\n    import a\n", []),
        # a from-import in a function after its own reload
        ("import importlib\nimport m\ndef f():\n    from m import x\n    importlib.reload(m)\n    return x\n", ["IPS302"]),
        ("import importlib\nimport m\ndef f():\n    importlib.reload(m)\n    from m import x\n    return x\n", []),
        # imp.reload is a reload too (and imp itself a removed API)
        ("import imp\nimport m\nfrom m import x\nimp.reload(m)\nx()\n", ["IPS205", "IPS302"]),
        # a reload of another module leaves the names alone
        ("import importlib\nimport m, n\nfrom m import x\nimportlib.reload(n)\nx()\n", []),
        # the use inside a nested function runs later: not this scope's use
        ("import importlib\nimport m\nfrom m import x\nimportlib.reload(m)\ndef f():\n    return x\n", []),
    ],
)
def test_module_cache_flow(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_messages() -> None:
    source = "import sys\nimport a.b as ab\ndel sys.modules['a.b']\nimport a.b as ab\n"
    assert [f"{f.line}:{f.col} {f.code} {f.message}" for f in lint(source, allow_dotted="a.b")] == [
        "4:7 IPS301 'a.b' was removed from sys.modules at line 3 while the import at line 2 still holds it: "
        "this import makes a second module object; use importlib.reload(a.b)"
    ]
    removed = lint("import pkgutil\npkgutil.find_loader('x')\n", target_python="3.12")
    assert [f.message for f in removed] == [
        "pkgutil.find_loader was removed in Python 3.14 (deprecated since 3.12); use importlib.util.find_spec()"
    ]


@pytest.mark.parametrize(("target", "expected"), [("3.11", []), ("3.12", ["IPS205"]), ("3.14", ["IPS205"])])
def test_removed_apis_count_from_the_target_pythons_deprecation(target: str, expected: list[str]) -> None:
    """pkgutil.get_loader was deprecated in 3.12: a project that still supports 3.11 may use it."""
    assert codes("import pkgutil\npkgutil.get_loader('x')\n", target_python=target) == expected
    assert codes("import imp\n", target_python=target) == ["IPS205"]  # deprecated since 3.4


def test_files_without_trigger_words_skip_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_walk(*args: object) -> None:
        raise AssertionError("walked a file that cannot hold an IPS2xx/IPS3xx finding")

    with monkeypatch.context() as patch:
        patch.setattr(base, "nodes_on_lines", no_walk)
        patch.setattr(base, "bound_names", no_walk)
        patch.setattr(ast, "walk", no_walk)
        found = [
            codes("import os.path\nimport json\n\ndef f():\n    return json.dumps(os.path.sep)\n"),
            codes("import imp\n"),  # the import itself needs no walk
        ]
    assert found == [["IPS101"], ["IPS205"]]


def test_a_file_with_a_trigger_word_reads_only_the_statements_on_its_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rules read the nodes on the lines where their words are, never the whole tree."""
    visited: list[ast.AST] = []
    real = base.nodes_on_lines

    def spy(tree: ast.AST, lines: list[int]) -> list[ast.AST]:
        found = real(tree, lines)
        visited.extend(found)
        return found

    real_walk = ast.walk

    def no_whole_walk(node: ast.AST) -> Iterator[ast.AST]:
        if isinstance(node, ast.Module):
            raise AssertionError("walked the whole tree")
        return real_walk(node)

    body = "".join(f"    x{i} = [y for y in range({i})]\n" for i in range(200))
    source = f"import sys\n\n\ndef big():\n{body}\n\nm = __import__('os.path')\ndel sys.modules['os']\n"
    with monkeypatch.context() as patch:
        patch.setattr(base, "nodes_on_lines", spy)
        patch.setattr(ast, "walk", no_whole_walk)
        found = codes(source)
    assert found == ["IPS201", "IPS202"]
    function = range(4, 4 + 201)
    assert visited
    assert not [node for node in visited if getattr(node, "lineno", 0) in function], "read the function"
