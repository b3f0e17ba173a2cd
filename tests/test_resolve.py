"""The resolver: modules found on disk, and what their sources bind, without running anything."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_importstyle import namespaces, resolve
from flake8_importstyle.resolve import UNKNOWN, Kind, Module


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    resolve.clear_caches()
    yield
    resolve.clear_caches()


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


PKG_INIT = """\
from . import sub
from .eager import X
import pkg.viaimport
import posixpath as path
from os import sep
from json import decoder
from .reexported import helper
from .aliased import thing as renamed
try:
    import fastjson as speedy
except ImportError:
    speedy = None

def function():
    global late
    late = 1

class Klass:
    from . import inclass

CONSTANT = 1
made = factory()
alias_of_path = path
"""

TREE: dict[str, str | bytes] = {
    "pkg/__init__.py": PKG_INIT,
    "pkg/sub.py": "def run():\n    pass\nVALUE = 1\n",
    "pkg/eager.py": "from . import chained\nX = 1\n",
    "pkg/chained.py": "",
    "pkg/viaimport.py": "",
    "pkg/reexported.py": "def helper():\n    pass\n",
    "pkg/aliased.py": "thing = 2\n",
    "pkg/inclass.py": "",
    "pkg/lazy.py": "",
    "pkg/inner/__init__.py": "from . import leaf\n",
    "pkg/inner/leaf.py": "",
    "pkg/inner/other.py": "",
    # a package that binds the name of one of its submodules to something else
    "shadowing/__init__.py": "from .main import main\ntry:\n    from . import maybe\nexcept ImportError:\n    maybe = None\n",
    "shadowing/main.py": "def main():\n    pass\n",
    "shadowing/maybe.py": "",
    "plain.py": "import json\nfrom os import path\nCONST = 1\ndef f():\n    pass\nmade = make()\nalias = json\n",
    # a PEP 420 namespace package, with a namespace package inside it
    "ns/part.py": "",
    "ns/inner/deep.py": "",
    # stubs: a module that exists only as a .pyi, and a stub package
    "stubonly.pyi": "from os import path as path\ndef f() -> None: ...\nX: int\n",
    "stubpkg/__init__.pyi": "from . import mod as mod\n",
    "stubpkg/mod.pyi": "def g() -> int: ...\n",
    # sources that cannot be read
    "broken/__init__.py": "def f(:\n",
    "broken/sub.py": "",
    "nul/__init__.py": b"x = 1\x00\n",
    "cookie/__init__.py": b"# -*- coding: no-such-codec -*-\nx = 1\n",
    "undecodable/__init__.py": b"x = '\xff\xfe'\n",
    # a pkgutil-style namespace package: its submodules may live anywhere
    "extended/__init__.py": "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n",
    "extended/here.py": "",
    # star imports, with and without __all__
    "starpkg/__init__.py": "from .names import *\nfrom .public import *\n",
    "starpkg/names.py": "__all__ = ['exported']\nexported = 1\nhidden = 2\n",
    "starpkg/public.py": "import json\nopen_name = 1\n_private = 2\n",
    "starpkg/unused.py": "",
    # a later explicit binding shadows a star import (this is how os.path exists)
    "shadow.py": "from unknowable_module import *\nimport posixpath as path\n",
    # names appear that the code never spells
    "lazy_pkg/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
    "lazy_pkg/real.py": "",
    "dynamic.py": "for name in ('a', 'b'):\n    globals()[name] = 1\nfixed = 1\n",
    "reading.py": "fixed = globals().get('fixed', 1)\n",
    # a module that puts another in its place (collections/abc.py does, from Python 3.13)
    "replaced.py": "import sys\nimport json as _json\nsys.modules[__name__] = _json\n",
    # re-exports that go round in a circle
    "loop_a.py": "from loop_b import x\n",
    "loop_b.py": "from loop_a import x\n",
}


@pytest.fixture
def roots(tmp_path: Path) -> resolve.Roots:
    write(tmp_path, TREE)
    return (str(tmp_path), *resolve.search_roots(None))


def found(name: str, roots: resolve.Roots) -> Module:
    module = resolve.find(name, roots)
    assert isinstance(module, Module), (name, module)
    return module


# ------------------------------------------------------------------------- find


@pytest.mark.parametrize(
    ("name", "kind", "is_package"),
    [
        ("pkg", Kind.SOURCE, True),
        ("pkg.sub", Kind.SOURCE, False),
        ("pkg.inner", Kind.SOURCE, True),
        ("pkg.inner.leaf", Kind.SOURCE, False),
        ("plain", Kind.SOURCE, False),
        ("ns", Kind.NAMESPACE, True),
        ("ns.part", Kind.SOURCE, False),
        ("ns.inner", Kind.NAMESPACE, True),  # below a namespace parent that is not imported
        ("ns.inner.deep", Kind.SOURCE, False),
        ("stubonly", Kind.STUB, False),
        ("stubpkg", Kind.STUB, True),
        ("stubpkg.mod", Kind.STUB, False),
        ("broken", Kind.SOURCE, True),
        ("broken.sub", Kind.SOURCE, False),
        ("extended.here", Kind.SOURCE, False),
        ("sys", Kind.BUILTIN, False),
        ("builtins", Kind.BUILTIN, False),
        ("_frozen_importlib", Kind.FROZEN, False),  # frozen, with no source of that name
        ("json", Kind.SOURCE, True),
        ("os", Kind.SOURCE, False),
    ],
)
def test_find(roots: resolve.Roots, name: str, kind: Kind, is_package: bool) -> None:
    module = found(name, roots)
    assert (module.name, module.kind, module.is_package) == (name, kind, is_package)


def test_where_the_source_is(roots: resolve.Roots, tmp_path: Path) -> None:
    assert found("pkg", roots).source == str(tmp_path / "pkg" / "__init__.py")
    assert found("pkg", roots).locations == (str(tmp_path / "pkg"),)
    assert found("pkg.sub", roots).source == str(tmp_path / "pkg" / "sub.py")
    assert found("stubonly", roots).source == str(tmp_path / "stubonly.pyi")
    assert found("ns", roots).source is None
    assert found("ns", roots).locations == (str(tmp_path / "ns"),)
    assert found("sys", roots).source is None


@pytest.mark.parametrize(
    "name",
    [
        "no_such_module",
        "pkg.no_such_sub",
        "plain.CONST",  # a plain module has no submodules: CONST is an attribute
        "os.path",  # likewise: os binds path, it is no submodule
        "sys.path",  # a built-in module has no submodules
        "_frozen_importlib.x",
        "ns.no_such",
        "not-an-identifier",
        "pkg.sub.deeper",
    ],
)
def test_not_found(roots: resolve.Roots, name: str) -> None:
    assert resolve.find(name, roots) is None


def test_a_package_that_extends_its_path_has_unknown_submodules(roots: resolve.Roots) -> None:
    assert resolve.find("extended.elsewhere", roots) is UNKNOWN
    assert resolve.is_module("extended.elsewhere", roots) is None


def test_the_first_root_wins(tmp_path: Path) -> None:
    write(tmp_path, {"first/dup.py": "", "second/dup/__init__.py": ""})
    roots = (str(tmp_path / "first"), str(tmp_path / "second"))
    assert found("dup", roots).kind is Kind.SOURCE and not found("dup", roots).is_package
    assert found("dup", roots[::-1]).is_package


# -------------------------------------------------------------------- is_module


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # submodules on disk
        ("pkg.sub", True),
        ("pkg.lazy", True),  # on disk, even though pkg does not import it
        ("shadowing.main", False),  # from .main import main: the function replaces the submodule
        ("shadowing.maybe", None),  # the submodule, or None when its import fails
        ("ns.part", True),
        ("broken.sub", True),
        ("stubpkg.mod", True),
        # names the source binds to modules
        ("pkg.path", True),  # import posixpath as path
        ("pkg.decoder", True),  # from json import decoder: json.decoder is a module
        ("pkg.alias_of_path", True),  # x = path, and path is a module
        ("plain.path", True),
        ("plain.alias", True),
        ("stubonly.path", True),
        # names the source binds to other things
        ("pkg.function", False),
        ("pkg.Klass", False),
        ("pkg.CONSTANT", False),
        ("pkg.X", False),  # from .eager import X, and eager binds X = 1
        ("pkg.helper", False),  # from .reexported import helper: a function
        ("pkg.renamed", False),  # from .aliased import thing as renamed
        ("pkg.sep", False),  # from os import sep: os takes it from os.path, a string
        ("plain.CONST", False),
        ("plain.f", False),
        ("stubonly.f", False),
        ("stubonly.X", False),  # declared in a stub
        ("starpkg.exported", False),  # from .names import *, listed in its __all__
        ("starpkg.open_name", False),  # from .public import *, public without __all__
        ("shadow.path", True),  # the star import runs first, the explicit import rebinds
        ("replaced.decoder", True),  # sys.modules[__name__] = json: json's names
        ("replaced.dumps", False),
        ("sys.argv", False),  # a built-in module's names are not modules...
        ("sys.monitoring", True),  # ...except this one (a module since 3.12)
        ("builtins.print", False),
        # cannot tell
        ("pkg.made", None),  # made = factory(): a call may return a module
        ("pkg.speedy", None),  # a module, or None
        ("pkg.late", None),  # bound by a function through `global`
        ("pkg.undefined", None),  # bound nowhere we can see
        ("plain.made", None),
        ("starpkg.hidden", None),  # not exported by the star import
        ("starpkg._private", None),
        ("lazy_pkg.anything", None),  # a module __getattr__ may return anything
        ("dynamic.fixed", None),  # globals()[name] = ... may rebind anything
        ("reading.fixed", None),  # fixed = globals().get(...): a call
        ("broken.thing", None),  # the source does not parse
        ("nul.x", None),
        ("cookie.x", None),
        ("undecodable.x", None),
        ("ns.anything", None),  # a namespace package's other portions are unknown
        ("no_such_module.x", None),
        ("no_such_module", None),
        ("loop_a.x", None),  # a circle of re-exports ends, unknown
        ("_frozen_importlib._setup", None),  # frozen: no source to read
    ],
)
def test_is_module(roots: resolve.Roots, name: str, expected: bool | None) -> None:
    assert resolve.is_module(name, roots) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the examples, against this interpreter's own stdlib
        ("os.path", True),
        ("os.path.join", False),  # os.path is posixpath or ntpath: both define join
        ("os.sep", False),
        ("os.system", None),  # from posix import *: a built-in module's star import
        ("json.decoder", True),
        ("json.dumps", False),
        ("json.JSONDecodeError", False),
        ("xml.etree", True),
        ("xml.etree.ElementTree", True),
        ("xml.etree.ElementTree.parse", None),  # from _elementtree import * may replace it
        ("email.utils", True),
        ("logging.handlers", True),
        ("logging.getLogger", False),
        ("concurrent.futures", True),
        ("concurrent.futures.ThreadPoolExecutor", None),  # a module __getattr__ provides it
        ("importlib.util", True),
        ("importlib.import_module", False),
        ("collections.abc", True),
        ("collections.abc.Mapping", False),
        ("urllib.request", True),
        ("http.client", True),
        ("sys.argv", False),
        ("string.capwords", False),
        ("unittest.main", False),  # unittest/__init__.py: from .main import main
        ("unittest.mock", True),
        ("dbm.ndbm", None),  # try: from dbm import ndbm / except ImportError: ndbm = None
    ],
)
def test_is_module_in_the_stdlib(name: str, expected: bool | None) -> None:
    assert resolve.is_module(name, resolve.search_roots(None)) is expected


# --------------------------------------------------------- binds and loaded_by


@pytest.mark.parametrize(
    ("package", "attr", "expected"),
    [
        ("pkg", "sub", True),  # from . import sub
        ("pkg", "path", True),
        ("pkg", "late", True),  # may be: a function declares it global
        ("pkg", "eager", False),  # imported by `from .eager import X`, but not bound by name
        ("pkg", "lazy", False),
        ("pkg.inner", "leaf", True),
        ("pkg.inner", "other", False),
        ("ns", "part", False),  # a namespace package runs no code
        ("starpkg", "exported", True),
        ("starpkg", "unused", False),
        ("lazy_pkg", "real", True),  # its __getattr__ may provide it
        ("broken", "sub", None),  # cannot be read
        ("stubpkg", "mod", None),  # a stub is not the code that runs
    ],
)
def test_binds(roots: resolve.Roots, package: str, attr: str, expected: bool | None) -> None:
    assert resolve.binds(found(package, roots), attr, roots) is expected


def test_loaded_by_follows_the_imports_within_the_package(roots: resolve.Roots) -> None:
    loaded = resolve.loaded_by("pkg", roots)
    assert loaded.complete
    assert {
        "pkg",
        "pkg.sub",
        "pkg.eager",
        "pkg.chained",  # imported by pkg.eager
        "pkg.viaimport",  # import pkg.viaimport
        "pkg.reexported",  # from .reexported import helper
        "pkg.inclass",  # a class body runs at import time too
    } <= loaded.modules
    assert "pkg.lazy" not in loaded.modules
    assert "pkg.inner" not in loaded.modules
    inner = resolve.loaded_by("pkg.inner", roots)
    assert {"pkg", "pkg.sub", "pkg.inner", "pkg.inner.leaf"} <= inner.modules  # parents run first
    assert "pkg.inner.other" not in inner.modules


def test_loaded_by_is_incomplete_when_a_module_cannot_be_read(roots: resolve.Roots) -> None:
    assert not resolve.loaded_by("broken", roots).complete
    assert resolve.loaded_by("ns.part", roots).complete


@pytest.mark.parametrize(
    ("starts", "target", "expected"),
    [
        (["pkg"], "pkg.chained", True),  # through pkg.eager
        (["pkg"], "pkg.lazy", False),
        (["pkg.inner"], "pkg.inner.leaf", True),
        (["pkg", "pkg.inner.other"], "pkg.inner.leaf", True),  # importing a module runs its package
        (["pkg.lazy"], "pkg.inner", False),
        (["broken"], "broken.sub", None),  # cannot be read: cannot tell
        (["plain", "json"], "pkg.sub", False),  # other packages load nothing in pkg here
    ],
)
def test_loads(roots: resolve.Roots, starts: list[str], target: str, expected: bool | None) -> None:
    assert resolve.loads(starts, target, roots) is expected


def test_loaded_by_in_the_stdlib() -> None:
    roots = resolve.search_roots(None)
    json = resolve.loaded_by("json", roots)
    assert {"json.decoder", "json.scanner", "json.encoder"} <= json.modules  # scanner: through decoder
    assert "xml.etree" not in resolve.loaded_by("xml", roots).modules
    assert "importlib.util" not in resolve.loaded_by("importlib", roots).modules


def test_exports(roots: resolve.Roots) -> None:
    assert resolve.exports("starpkg.names", roots) == {"exported"}
    assert resolve.exports("starpkg.public", roots) == {"json", "open_name"}
    assert resolve.exports("starpkg", roots) == {"exported", "json", "open_name"}
    assert resolve.exports("lazy_pkg", roots) is None
    assert resolve.exports("broken", roots) is None


# ---------------------------------------------------------------- reading safely


@pytest.mark.parametrize(
    "content",
    [
        b"def f(:\n",
        b"x = 1\x00\n",
        b"# -*- coding: no-such-codec -*-\n",
        b"x = '\xff'\n",
        b"x = " + b"-" * 200_000 + b"1\n",  # too deep for the parser
        b"x = " + b"(" * 300 + b")" * 300 + b"\n",
        b"\xef\xbb\xbf# -*- coding: latin-1 -*-\n",  # a BOM that contradicts its cookie
    ],
)
def test_unparseable_sources_are_unknown(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(content)
    assert resolve.read_namespace(str(path), "m", False, False) is None


def test_unreadable_sources_are_unknown(tmp_path: Path) -> None:
    assert resolve.read_namespace(str(tmp_path), "m", False, False) is None  # a folder
    assert resolve.read_namespace(str(tmp_path / "missing.py"), "m", False, False) is None


def test_a_source_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(namespaces, "MAX_SOURCE_BYTES", 10)  # where read_namespace reads it
    path = tmp_path / "m.py"
    path.write_text("x = 1\ny = 2\n")
    assert resolve.read_namespace(str(path), "m", False, False) is None


def test_a_bom_and_a_coding_cookie_are_honoured(tmp_path: Path) -> None:
    write(tmp_path, {"bom.py": b"\xef\xbb\xbfimport os as \xc3\xa9t\xc3\xa9\n", "latin.py": b"# -*- coding: latin-1 -*-\nname = '\xe9'\n"})
    assert resolve.is_module("bom.\u00e9t\u00e9", (str(tmp_path),)) is True
    assert resolve.is_module("latin.name", (str(tmp_path),)) is False


def test_every_cache_is_bounded() -> None:
    for cached in (
        resolve._find_top,
        resolve._find_in,
        resolve._listing,
        resolve.read_namespace,
        namespaces._is_module,
        namespaces._exports,
        namespaces._loads,
        resolve._package_root,
        resolve.has_init,
        resolve._search_roots,
    ):
        assert cached.cache_info().maxsize is not None, cached


# ------------------------------------------------------------------ search roots


def test_search_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"proj/top/__init__.py": "", "proj/top/sub/__init__.py": "", "proj/top/sub/mod.py": ""})
    monkeypatch.chdir(tmp_path)
    roots = resolve.search_roots(str(tmp_path / "proj" / "top" / "sub" / "mod.py"))
    assert roots[:2] == (str(tmp_path / "proj"), str(tmp_path))  # the package root, then the cwd
    assert len(roots) == len(set(roots))
    assert all(os.path.isabs(root) for root in roots)
    script = resolve.search_roots("proj/script.py")  # a file outside any package: its own folder
    assert script[0] == str(tmp_path / "proj")
    assert resolve.search_roots("-")[0] == str(tmp_path)  # stdin: the cwd first
    assert set(resolve.search_roots(None)) >= {os.path.normpath(p) for p in sys.path if os.path.isabs(p)}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("proj/top/sub/mod.py", "top.sub.mod"),
        ("proj/top/__init__.py", "top"),
        ("proj/script.py", "script"),
        ("-", None),
    ],
)
def test_module_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, expected: str | None) -> None:
    write(tmp_path, {"proj/top/__init__.py": "", "proj/top/sub/__init__.py": "", "proj/top/sub/mod.py": ""})
    monkeypatch.chdir(tmp_path)
    assert resolve.module_name(path) == expected


# -------------------------------------------------------- nothing is ever run


BOOBY_TRAP = """\
import pathlib
pathlib.Path({marker!r}).write_text("{name} was run")
raise SystemExit("{name} was run")
"""


def test_nothing_is_imported_or_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    trap = BOOBY_TRAP.format(marker=str(marker), name="trap")
    write(
        tmp_path,
        {
            "trap/__init__.py": trap + "from . import sub\nVALUE = 1\n",
            "trap/sub.py": trap,
            "trap/inner/__init__.py": trap,
            "trapmod.py": trap + "def f():\n    pass\n",
        },
    )
    roots = (str(tmp_path), *resolve.search_roots(None))
    before = set(sys.modules)
    assert resolve.find("trap.inner", roots) is not None
    assert resolve.is_module("trap.sub", roots) is True
    assert resolve.is_module("trap.VALUE", roots) is False
    assert resolve.is_module("trapmod.f", roots) is False
    assert resolve.binds(found("trap", roots), "sub", roots) is True
    assert "trap.sub" in resolve.loaded_by("trap", roots).modules
    assert not marker.exists()
    assert {m for m in set(sys.modules) - before if m.startswith("trap")} == set()


def test_a_module_in_a_zip_archive_is_found_but_not_read(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("zipped/__init__.py", "def f():\n    pass\n")
        bundle.writestr("zipped/sub.py", "")
    roots = (str(archive),)
    assert found("zipped", roots).kind is Kind.OTHER
    assert found("zipped.sub", roots).kind is Kind.OTHER
    assert resolve.is_module("zipped.sub", roots) is True
    assert resolve.is_module("zipped.f", roots) is None  # cannot be read from the archive


# ------------------------------------------------------------- one run, then another


def test_a_new_run_forgets_answers_and_reparses_only_changed_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"pkg/__init__.py": "", "pkg/sub.py": "", "other.py": "x = 1\n"})
    roots = (str(tmp_path),)
    parses: list[str] = []
    real = namespaces._parse_namespace

    def counting(data: bytes, path: str, *args: object) -> object:
        parses.append(os.path.basename(path))
        return real(data, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(namespaces, "_parse_namespace", counting)
    assert resolve.binds(found("pkg", roots), "sub", roots) is False
    assert resolve.is_module("other.x", roots) is False
    (tmp_path / "pkg" / "__init__.py").write_text("from . import sub\n")
    assert resolve.binds(found("pkg", roots), "sub", roots) is False  # the same run: the same answer
    resolve.new_run()
    assert resolve.binds(found("pkg", roots), "sub", roots) is True  # the edit is seen
    assert resolve.is_module("other.x", roots) is False
    assert sorted(parses) == ["__init__.py", "__init__.py", "other.py"]  # other.py's bytes did not change


def test_a_new_file_is_found_in_the_next_run(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": ""})
    roots = (str(tmp_path),)
    assert resolve.find("pkg.late", roots) is None
    (tmp_path / "pkg" / "late.py").write_text("")
    resolve.new_run()
    assert found("pkg.late", roots).kind is Kind.SOURCE


def test_the_parsed_sources_kept_between_runs_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(namespaces, "MAX_PARSED", 3)
    write(tmp_path, {f"m{i}.py": f"x{i} = 1\n" for i in range(5)})
    for i in range(5):
        assert resolve.is_module(f"m{i}.x{i}", (str(tmp_path),)) is False
    assert len(namespaces._PARSED) == 3
    assert {key[1] for key in namespaces._PARSED} == {"m2", "m3", "m4"}  # the least recently used went
