"""IPS108's rewrite: a relative import becomes absolute, where both name the same module.

Each case writes a small project into ``tmp_path`` and runs the fixer from
there (the folder it runs in is where an absolute import is looked up first,
as ``python -m`` looks it up). What the program does before and after is in
tests/test_behaviour.py; here, what is rewritten, and each refusal's reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flake8_importstyle import resolve
from flake8_importstyle.fix import ResolverFacts, fix_bytes
from flake8_importstyle.proof import prove
from tests.conftest import config_from


@pytest.fixture(autouse=True)
def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    resolve.clear_caches()
    yield
    resolve.clear_caches()


def package(tmp_path: Path, *folders: str) -> None:
    """Each of *folders* (``pkg/sub``) a regular package: an ``__init__.py`` in every folder on
    the way, except those before a ``|`` (``src|pkg``: ``src`` is a plain folder)."""
    for folder in folders:
        plain, _, packages = folder.rpartition("|")
        here = tmp_path / plain
        here.mkdir(parents=True, exist_ok=True)
        for part in packages.split("/"):
            here /= part
            here.mkdir(exist_ok=True)
            (here / "__init__.py").touch()


def fix(source: str, filename: str, **options: str):
    options.setdefault("relative", "never")
    result = fix_bytes(source.encode(), filename, config_from(options))
    again = fix_bytes(result.data, filename, config_from(options))
    assert again.data == result.data, "a second run changed the file"
    return result


def reasons(result) -> list[str]:
    return [reason for *_, code, reason in result.skipped if code == "IPS108"]


@pytest.mark.parametrize(
    ("filename", "before", "after"),
    [
        ("pkg/sub/mod.py", "from . import b\n", "from pkg.sub import b\n"),
        ("pkg/sub/mod.py", "from ..a import b\n", "from pkg.a import b\n"),
        ("pkg/sub/mod.py", "from .. import a as x  # keep\n", "from pkg import a as x  # keep\n"),
        (
            "pkg/sub/mod.py",
            "from .b import (\n    c,  # why\n    d as e,\n)\nprint(c, e)\n",
            "from pkg.sub.b import (\n    c,  # why\n    d as e,\n)\nprint(c, e)\n",
        ),
        ("pkg/sub/mod.py", "from .import b\n", "from pkg.sub import b\n"),
        ("pkg/sub/mod.py", "from. b import c\n", "from pkg.sub.b import c\n"),
        ("pkg/sub/mod.py", "from .b import *\n", "from pkg.sub.b import *\n"),
        ("pkg/sub/mod.py", "def f():\n    from ..a import b\n    return b\n", "def f():\n    from pkg.a import b\n    return b\n"),
        # the package's own __init__.py: its package is itself
        ("pkg/__init__.py", "from . import sub\n", "from pkg import sub\n"),
        ("pkg/sub/__init__.py", "from .. import a\n", "from pkg import a\n"),
    ],
)
def test_relative_import_becomes_absolute(tmp_path: Path, filename: str, before: str, after: str) -> None:
    package(tmp_path, "pkg/sub")
    result = fix(before, filename)
    assert (result.data.decode(), reasons(result)) == (after, [])


def test_siblings_rewrites_only_the_imports_it_reports(tmp_path: Path) -> None:
    package(tmp_path, "pkg/sub")
    result = fix("from . import b\nfrom ..a import c\n", "pkg/sub/mod.py", relative="siblings")
    assert result.data.decode() == "from . import b\nfrom pkg.a import c\n"


def test_a_vendored_package_with_init_files_all_the_way_is_named_from_the_top(tmp_path: Path) -> None:
    package(tmp_path, "app/_vendor/lib")
    result = fix("from . import x\n", "app/_vendor/lib/mod.py")
    assert result.data.decode() == "from app._vendor.lib import x\n"


def test_a_src_layout_on_sys_path_is_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package(tmp_path, "src|pkg")
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    assert fix("from . import x\n", "src/pkg/mod.py").data.decode() == "from pkg import x\n"


@pytest.mark.parametrize(
    ("setup", "filename", "source", "options", "reason"),
    [
        (
            ("pkg",), "-", "from . import x\n", {},
            "the file has no path (stdin without a display name), so its package is not known",
        ),
        ((), "loose.py", "from . import x\n", {}, "the folder '.' holds no __init__.py: the file is in no regular package"),
        (
            ("pkg",), "pkg/mod.py", "from .. import x\n", {},
            "'from .. import' at line 1 climbs above the top-level package 'pkg'",
        ),
        (
            ("pkg",), "pkg/__init__.py", "x = 1\nfrom .. import y\n", {},
            "'from .. import' at line 2 climbs above the top-level package 'pkg'",
        ),
        (
            ("pkg",), "pkg/mod.py", "print(__spec__)\nfrom . import x\n", {},
            "line 1 names __package__ or __spec__, which relative imports read",
        ),
        (
            ("pkg",), "pkg/mod.py", "from . import x\n__package__ = 'other'\n", {},
            "line 2 names __package__ or __spec__, which relative imports read",
        ),
        (
            ("pkg",), "pkg/mod.py", "__name__ = 'other'\nfrom . import x\n", {},
            "line 1 binds __name__, which relative imports may read",
        ),
        (
            ("class/sub",), "class/sub/mod.py", "from . import x\n", {},
            "the package folder 'class' is a keyword, which an absolute import cannot spell",
        ),
        (
            ("my-project/pkg",), "my-project/pkg/mod.py", "from . import x\n", {},
            "the folder 'my-project' holds __init__.py but is not a name an absolute import can spell",
        ),
        (
            ("plugins|pkg",), "plugins/pkg/mod.py", "from . import x\n", {"namespace-packages": "plugins"},
            "the folder 'plugins' is listed in importstyle-namespace-packages: the package is part of it",
        ),
        # a namespace package on the way: `ns` has no __init__.py, so the walk stops at
        # `pkg`, which an absolute import from here does not find (it is `ns.pkg`)
        (
            ("ns|pkg",), "ns/pkg/mod.py", "from . import x\n", {},
            "an absolute import of 'pkg', looked up from the folder the fixer runs in and sys.path,"
            " finds nothing, not ns/pkg",
        ),
        # a folder without __init__.py between the file and the package above it: the walk
        # stops at `sub`, which is pkg.ns.sub (ns a namespace package inside pkg)
        (
            ("pkg", "pkg/ns|sub"), "pkg/ns/sub/mod.py", "from . import x\n", {},
            "an absolute import of 'sub', looked up from the folder the fixer runs in and sys.path,"
            " finds nothing, not pkg/ns/sub",
        ),
        # a src/ layout whose src is not on sys.path
        (
            ("src|pkg",), "src/pkg/mod.py", "from . import x\n", {},
            "an absolute import of 'pkg', looked up from the folder the fixer runs in and sys.path,"
            " finds nothing, not src/pkg",
        ),
        # another copy of the top-level name, found first
        (
            ("pkg", "src|pkg"), "src/pkg/mod.py", "from . import x\n", {},
            "an absolute import of 'pkg', looked up from the folder the fixer runs in and sys.path,"
            " finds pkg/__init__.py, not src/pkg",
        ),
        # a vendored copy whose _vendor folder holds no __init__.py, beside the real one
        (
            ("lib", "app/_vendor|lib"), "app/_vendor/lib/mod.py", "from . import x\n", {},
            "an absolute import of 'lib', looked up from the folder the fixer runs in and sys.path,"
            " finds lib/__init__.py, not app/_vendor/lib",
        ),
        # a package named like a built-in module
        (
            ("sys",), "sys/mod.py", "from . import x\n", {},
            "an absolute import of 'sys', looked up from the folder the fixer runs in and sys.path,"
            " finds a built-in module, not sys",
        ),
    ],
)
def test_relative_import_is_left_with_its_reason(
    tmp_path: Path, setup: tuple[str, ...], filename: str, source: str, options: dict[str, str], reason: str
) -> None:
    package(tmp_path, *setup)
    result = fix(source, filename, **options)
    assert (result.changed, reasons(result)) == (False, [reason])


def test_a_run_from_inside_the_package_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package(tmp_path, "pkg/sub")
    monkeypatch.chdir(tmp_path / "pkg")
    result = fix("from . import b\n", "sub/mod.py")
    assert reasons(result) == [
        "the folder the fixer runs in is inside the package 'pkg' (.): run it from the folder that holds the package"
    ]


def test_the_project_root_as_a_package_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder the fixer runs in holds __init__.py: the file's name depends on where it is run from."""
    package(tmp_path, "proj/pkg")
    monkeypatch.chdir(tmp_path / "proj")
    result = fix("from . import b\n", "pkg/mod.py")
    assert reasons(result) == [
        "the folder the fixer runs in is inside the package 'proj' (.): run it from the folder that holds the package"
    ]


# -- the proof: both spellings read the same module only where the file's package is known


OLD = "from . import b\nfrom ..a import c as d\nprint(b, d)\n"


def modules(tmp_path: Path) -> None:
    """pkg.b, pkg.a and pkg.sub.a as well as pkg.sub.b, the modules the proof's cases name."""
    package(tmp_path, "pkg/sub")
    for name in ("pkg/a.py", "pkg/b.py", "pkg/sub/a.py", "pkg/sub/b.py"):
        (tmp_path / name).write_text("c = 1\n")


def test_the_proof_accepts_the_absolute_spelling_of_the_same_modules(tmp_path: Path) -> None:
    modules(tmp_path)
    new = "from pkg.sub import b\nfrom pkg.a import c as d\nprint(b, d)\n"
    assert prove(OLD, new, facts=ResolverFacts(str(tmp_path / "pkg/sub/mod.py"))) is None


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        pytest.param(  # another package's b (an inert module, so only the lost load tells)
            "from pkg import b\nfrom pkg.a import c as d\nprint(b, d)\n",
            "line 3 may read a module that the rewrite would no longer load",
            id="another-b",
        ),
        pytest.param(  # another module's c
            "from pkg.sub import b\nfrom pkg.sub.a import c as d\nprint(b, d)\n",
            "'d' at line 3 would not read the same object after the rewrite",
            id="another-c",
        ),
    ],
)
def test_the_proof_refuses_an_absolute_name_of_another_module(tmp_path: Path, new: str, reason: str) -> None:
    modules(tmp_path)
    assert prove(OLD, new, facts=ResolverFacts(str(tmp_path / "pkg/sub/mod.py"))) == reason


@pytest.mark.parametrize(
    ("filename", "setup"),
    [("-", ("pkg/sub",)), ("src/pkg/sub/mod.py", ("src|pkg/sub",)), ("ns/pkg/sub/mod.py", ("ns|pkg/sub",))],
)
def test_the_proof_refuses_where_the_package_is_not_known(tmp_path: Path, filename: str, setup) -> None:
    """Where an absolute import may not find the file's package, the relative import stays
    relative in the proof's model, so no absolute spelling is the same (the first difference
    the proof meets: the absolute module, as the resolver sees it from there, is not found)."""
    package(tmp_path, *setup)
    new = "from pkg.sub import b\nfrom pkg.a import c as d\nprint(b, d)\n"
    assert prove(OLD, new, facts=ResolverFacts(filename)) == (
        "'pkg.a' does not exist: the import at line 1 would raise ImportError instead of ModuleNotFoundError"
    )


def test_the_proof_refuses_a_file_that_names_its_package(tmp_path: Path) -> None:
    package(tmp_path, "pkg/sub")
    facts = ResolverFacts(str(tmp_path / "pkg/sub/mod.py"))
    new = "from pkg.sub import b\nfrom pkg.a import c as d\nprint(b, d)\n"
    assert prove("__package__ = 'pkg'\n" + OLD, "__package__ = 'pkg'\n" + new, facts=facts) == "line 1 names __package__ or __spec__, which relative imports read"


def test_other_rewrites_in_a_file_with_relative_imports_still_prove(tmp_path: Path) -> None:
    """The model reads relative imports as absolute where the package is known, in both versions."""
    package(tmp_path, "pkg/sub")
    source = "import os.path\nfrom . import b\nprint(os.path.sep, b)\n"
    result = fix_bytes(source.encode(), "pkg/sub/mod.py", config_from({}))
    assert result.data.decode() == "from os import path\nfrom . import b\nprint(path.sep, b)\n"


def test_the_sys_path_of_the_fixer_is_where_it_looks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``importing_package`` answers for a src layout depends on sys.path, as a run does."""
    package(tmp_path, "src|pkg")
    assert isinstance(resolve.importing_package("src/pkg/mod.py"), str)
    monkeypatch.setattr(sys, "path", [str(tmp_path / "src"), *sys.path])
    resolve.clear_caches()
    assert resolve.importing_package("src/pkg/mod.py") == resolve.Package("pkg", str(tmp_path / "src" / "pkg"))
