"""IPS2xx and IPS3xx beyond the fixtures: name resolution, odd call shapes, the text gate."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_importstyle import resolve
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


RA = "import sys\nimport a\n"  # a module held, then removed and imported again


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # alternatives: the import never runs after the removal
        (RA + "if x:\n    del sys.modules['a']\nelse:\n    import a\n", []),
        (RA + "if x:\n    del sys.modules['a']\nelif y:\n    import a\n", []),
        (RA + "try:\n    del sys.modules['a']\nexcept KeyError:\n    import a\n", []),
        (RA + "try:\n    pass\nexcept KeyError:\n    del sys.modules['a']\nexcept E:\n    import a\n", []),
        (RA + "try:\n    pass\nexcept KeyError:\n    del sys.modules['a']\nelse:\n    import a\n", []),
        (RA + "match k:\n    case 1:\n        del sys.modules['a']\n    case _:\n        import a\n", []),
        # ... and what follows: a try's else and finally, a loop's else, the statement after an if
        (RA + "try:\n    del sys.modules['a']\nexcept KeyError:\n    pass\nelse:\n    import a\n", ["IPS301"]),
        (RA + "try:\n    del sys.modules['a']\nfinally:\n    import a\n", ["IPS301"]),
        (RA + "for k in ks:\n    del sys.modules['a']\nelse:\n    import a\n", ["IPS301"]),
        (RA + "if x:\n    del sys.modules['a']\nimport a\n", ["IPS301"]),
        # an earlier removal that does come first still counts
        (RA + "del sys.modules['a']\nif x:\n    del sys.modules['a']\nelse:\n    import a\n", ["IPS301"]),
        # each branch's import is the first one after the removal on its path
        (RA + "del sys.modules['a']\nif x:\n    import a\nelse:\n    import a\n", ["IPS301", "IPS301"]),
        ("import sys\nif x:\n    import a\nelse:\n    del sys.modules['a']\n    import a\n", []),  # held in the other branch
        # nested guards: the removal takes out only what every guard admits
        (
            "import sys\nfrom a.b import x\nfor k in list(sys.modules):\n    if k.startswith('a.'):\n"
            "        if k == 'a.c':\n            del sys.modules[k]\nfrom a.b import x\n",
            [],
        ),
        (
            "import sys\nfrom a.b import x\nfor k in list(sys.modules):\n    if k.startswith('a.'):\n"
            "        if k == 'a.b':\n            del sys.modules[k]\nfrom a.b import x\n",
            ["IPS301"],
        ),
        (
            "import sys\nfrom a.b import x\nfor k in list(sys.modules):\n    if k.startswith('a'):\n"
            "        if k.startswith(('a.b', 'z')):\n            sys.modules.pop(k)\nfrom a.b import x\n",
            ["IPS301"],
        ),
        (
            "import sys\nfrom a.b import x\nfor k in list(sys.modules):\n    if k.startswith('a.c'):\n"
            "        if k.startswith('a.'):\n            sys.modules.pop(k)\nfrom a.b import x\n",
            [],
        ),
        (
            "import sys\nimport b\nfor k in list(sys.modules):\n    if k.startswith('a.'):\n"
            "        if k == 'b':\n            del sys.modules[k]\nimport b\n",
            [],
        ),
    ],
)
def test_reimport_follows_the_branches(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


RM = "import importlib\nimport m\nfrom m import x\n"  # a from-import of a module that is reloaded


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a branch that excludes the reload's holds no stale read; what follows it may
        (RM + "if c:\n    importlib.reload(m)\nelse:\n    x()\n", []),
        (RM + "try:\n    importlib.reload(m)\nexcept ImportError:\n    x()\n", []),
        (RM + "match c:\n    case 1:\n        importlib.reload(m)\n    case _:\n        x()\n", []),
        (RM + "if c:\n    importlib.reload(m)\nx()\n", ["IPS302"]),
        (RM + "try:\n    importlib.reload(m)\nexcept ImportError:\n    pass\nelse:\n    x()\n", ["IPS302"]),
        (RM + "try:\n    importlib.reload(m)\nfinally:\n    x()\n", ["IPS302"]),
        (RM + "with c:\n    importlib.reload(m)\nx()\n", ["IPS302"]),
        (RM + "for i in r:\n    importlib.reload(m)\n    break\nx()\n", ["IPS302"]),
        # bound again on every path, or on one only
        (RM + "importlib.reload(m)\nif c:\n    from m import x\nelse:\n    x = m.x\nx()\n", []),
        (RM + "importlib.reload(m)\ntry:\n    from m import x\nexcept ImportError:\n    x = None\nx()\n", []),
        (RM + "importlib.reload(m)\nif c:\n    from m import x\nx()\n", ["IPS302"]),
        (RM + "importlib.reload(m)\nmatch v:\n    case x:\n        x()\n", []),
        (RM + "importlib.reload(m)\nx: int\nx()\n", ["IPS302"]),  # an annotation alone binds nothing
        (RM + "importlib.reload(m)\nx += 1\n", ["IPS302"]),
        (RM + "importlib.reload(m)\nfrom m import *\nx()\n", []),
        # a path that leaves the scope reads nothing after it
        (RM + "if c:\n    importlib.reload(m)\n    raise SystemExit\nx()\n", []),
        (RM + "while True:\n    importlib.reload(m)\nx()\n", []),
        # a comprehension's own variable is not the name; its first iterable is
        (RM + "importlib.reload(m)\ny = [x for x in range(3)]\n", []),
        (RM + "importlib.reload(m)\ny = {x: 1 for x in 'ab'}, (x for x in 'ab'), [[x for x in r] for r in rs]\n", []),
        (RM + "importlib.reload(m)\ny = [x for x in x]\n", ["IPS302"]),
        (RM + "importlib.reload(m)\ny = [[x for x in r] for r in x]\n", ["IPS302"]),
        # annotations: a function's variable annotations never run; a signature's do, unless deferred
        (RM + "def f():\n    importlib.reload(m)\n    v: x = 1\n    return v\n", []),
        (RM + "importlib.reload(m)\ndef f(v: x) -> None:\n    pass\n", ["IPS302"]),
        ("from __future__ import annotations\n" + RM + "importlib.reload(m)\ndef f(v: x) -> x:\n    w: x = v\n", []),
        ("from __future__ import annotations\n" + RM + "importlib.reload(m)\nv: x = 1\n", []),
        (RM + "importlib.reload(m)\nf = lambda: x\n", []),
        (RM + "importlib.reload(m)\nf = lambda v=x: v\n", ["IPS302"]),
        # a from-imported submodule is what sys.modules holds: the reload of its package keeps it
        ("import importlib\nimport xml\nfrom xml import etree\nimportlib.reload(xml)\nprint(etree)\n", []),
        ("import importlib\nimport json\nfrom json import dumps\nimportlib.reload(json)\ndumps\n", ["IPS302"]),
    ],
)
def test_stale_names_follow_the_branches(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_the_first_stale_read_is_the_one_reported() -> None:
    source = RM + "importlib.reload(m)\nprint(\n    x,\n    x,\n    [x, x],\n)\nx()\n"
    assert [(f.line, f.col, f.code) for f in lint(source)] == [(6, 4, "IPS302")]
    # in source order within one line too, and once per path
    source = RM + "importlib.reload(m)\nif c:\n    f(x, g(x))\nelse:\n    f(x)\n"
    assert [(f.line, f.col) for f in lint(source)] == [(6, 6), (8, 6)]


@pytest.mark.slow
def test_noqa_on_the_first_stale_read_silences_it(tmp_path: Path) -> None:
    """Through the real flake8: a # noqa on the reported line leaves nothing."""
    source = RM + "importlib.reload(m)\nprint(\n    x,{}\n    x,\n)\n"
    for noqa, expected in (("", ["x.py:6:5: IPS302"]), ("  # noqa: IPS302", [])):
        (tmp_path / "x.py").write_text(source.format(noqa), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "flake8", "--isolated", "--select", "IPS", "x.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.stderr == ""
        assert [line.split(" '")[0] for line in proc.stdout.splitlines()] == expected


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


@pytest.mark.parametrize(
    ("init", "expected"),
    [
        ("", []),  # sub is the submodule: the reload leaves it in sys.modules
        ("from . import sub\n", []),
        ("from . import sub\nsub = object()\n", ["IPS302"]),  # the package binds the name to a new value
        ("def sub():\n    pass\n", ["IPS302"]),
    ],
)
def test_a_from_imported_submodule_is_not_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, init: str, expected: list[str]
) -> None:
    (tmp_path / "mypkg").mkdir()
    (tmp_path / "mypkg" / "__init__.py").write_text(init, encoding="utf-8")
    (tmp_path / "mypkg" / "sub.py").write_text("NAME = 1\n", encoding="utf-8")
    source = "import importlib\nimport mypkg\nfrom mypkg import sub\nimportlib.reload(mypkg)\nprint(sub)\n"
    monkeypatch.chdir(tmp_path)
    resolve.clear_caches()
    try:
        assert codes(source, str(tmp_path / "app.py")) == expected
        # what the rule says is what Python does: the name still holds what the package now holds, or not
        program = source.replace("print(sub)", "print(sub is mypkg.sub)")
        run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, check=True)
        assert run.stdout.strip() == ("False" if expected else "True")
    finally:
        resolve.clear_caches()
