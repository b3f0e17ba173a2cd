"""The fixer keeps behaviour, trap by trap: hand-written programs run before and after ``fix``.

Each case is a small program (and, for the cases that span files, the other
files of its project) that prints what it observes at the point where a
rewrite could change it: a binding under ``if TYPE_CHECKING:``, an import
further down than a read, a function's own import, class bodies,
comprehensions, lambdas, ``try``/``except ImportError``, ``if``/``else``,
loops, ``del``, ``global``, names of builtins, ``sys.modules`` removals,
``importlib.reload``, a replaced ``builtins.__import__``, packages that rebind
a submodule's name, and other modules that read this one's names (a
``mock.patch`` target, ``from mod import os``, a star import, an
``__all__``, a module ``__getattr__``, a doctest).

Every case runs in a temporary folder that also holds the packages of
:mod:`tests._differential`, in a fresh interpreter, before and after
``python -m flake8_importstyle fix``, and must print the same, end the same
way and exit with the same status. The fixer may leave code alone, but then
it says why: every fixable finding still in a file it was given has a "not
fixed" line with a reason. The positive cases at the top must be rewritten,
so this file cannot pass with a fixer that refuses everything.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from flake8_importstyle.rules import check_tree
from tests._differential import CODES, Run, exception_type, write_packages
from tests.conftest import config_from

pytestmark = pytest.mark.slow

NOT_FIXED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>IPS\d+) not fixed: ?(?P<reason>.*)$")


@dataclass(frozen=True)
class Case:
    """A program and how to run and fix it.

    ``expect`` must be in the output before the fix: it proves the program
    reaches the point the case is about. ``fix`` are the paths given to the
    command line (a folder for a whole project); ``must_fix`` a code the fixer
    must rewrite in ``target``; ``options`` the ``importstyle-*`` options of the
    project's ``setup.cfg`` (without the prefix).
    """

    id: str
    files: dict[str, str]
    expect: str
    fix: tuple[str, ...] = ("main.py",)
    command: tuple[str, ...] = ("main.py",)
    must_fix: str | None = None
    target: str = "main.py"
    options: tuple[tuple[str, str], ...] = ()


def case(id: str, main: str, expect: str, *, must_fix: str | None = None) -> Case:
    """A one-file case: ``main.py``, next to the packages of :mod:`tests._differential`."""
    return Case(id, {"main.py": textwrap.dedent(main)}, expect, must_fix=must_fix)


def project(id: str, files: dict[str, str], expect: str, *, fix: tuple[str, ...], command: tuple[str, ...] = ("main.py",)) -> Case:
    """A case over several files, fixed together through the command line."""
    return Case(id, {path: textwrap.dedent(text) for path, text in files.items()}, expect, fix=fix, command=command)


#: pkg/mod.py of the project cases: a module that reads os.path, as most modules do.
MOD = '''\
import os.path


def exists(p):
    return os.path.exists(p)
'''

#: Runs test_mod's tests and prints what failed, without timings (unittest's own
#: report goes to stderr and says how long it took).
RUN_TESTS = '''\
import unittest

import test_mod

result = unittest.TestResult()
unittest.defaultTestLoader.loadTestsFromModule(test_mod).run(result)
print("ran", result.testsRun)
for test, trace in result.errors + result.failures:
    print("failed", test.id(), trace.strip().splitlines()[-1].partition(":")[0])
'''

POSITIVE = [
    case("rewrites-module-level-read", 'import os.path\nprint(os.path.join("a", "b"))\n', "a/b", must_fix="IPS101"),
    *(
        case(
            f"moves-the-from-import-past-import-{loaded}",
            f"import os.path\nimport {loaded}\nprint({loaded}.__name__, os.path.join('a', 'b'))\n",
            f"{loaded} a/b",
            must_fix="IPS101",
        )
        for loaded in ("sys", "builtins")
    ),
    case(
        "rewrites-read-in-function-defined-after-import",
        """\
        import os.path


        def join():
            return os.path.join("a", "b")


        print(join())
        """,
        "a/b",
        must_fix="IPS101",
    ),
    case("rewrites-plain-package", "import plainpkg.sub\nprint(plainpkg.sub.f())\n", "plainpkg.sub.f()", must_fix="IPS101"),
    case(
        "rewrites-leaf-alias",
        'import xml.dom.minidom as minidom\nprint(minidom.parseString("<a/>").documentElement.tagName)\n',
        "a",
        must_fix="IPS102",
    ),
    case(
        "rewrites-other-alias",
        'import xml.dom.minidom as md\nprint(md.parseString("<b/>").documentElement.tagName)\n',
        "b",
        must_fix="IPS103",
    ),
    case("rewrites-useless-alias", "import json as json\nprint(json.dumps([1]))\n", "[1]", must_fix="IPS104"),
    case("rewrites-convention", "import numpy\nprint(numpy.zeros(2))\n", "[0, 0]", must_fix="IPS106"),
    case("rewrites-convention-from", "from matplotlib import pyplot\nprint(pyplot.plot())\n", "plot", must_fix="IPS106"),
    case("rewrites-dunder-import", 'm = __import__("json")\nprint(m.dumps({"a": 1}))\n', '{"a": 1}', must_fix="IPS201"),
    case(
        "rewrites-dunder-import-attribute", 'd = __import__("xml.dom").dom\nprint(d.__name__)\n', "xml.dom",
        must_fix="IPS201",
    ),
    case(
        "rewrites-imp-reload", "import imp\nimport json\nprint(imp.reload(json).__name__)\n", "json", must_fix="IPS205"
    ),
    # the loader stands for the entry point that imported the submodule first
    case(
        "imports-a-quiet-submodule",
        "import loader_quiet_consts\nimport quiet\n\nprint(quiet.consts.NAME, quiet.consts.f())\n",
        "quiet.consts.f()",
        must_fix="IPS402",
    ),
    case(
        "imports-a-quiet-submodule-for-a-function",
        """\
        import loader_quiet_inner_leaf
        import sys


        def later():
            import quiet
            print(sorted(m for m in sys.modules if m.startswith("quiet")))
            return quiet.inner.leaf.NAME


        print(later())
        """,
        "quiet.inner.leaf",
        must_fix="IPS402",
    ),
]

TRAPS = [
    # -- IPS402: a submodule whose import prints, or a package that prints loaded earlier
    case(
        "a-loud-submodule-keeps-its-load-order",
        'import quiet\nprint("before")\nimport loader_quiet_loud\nprint(quiet.loud.NAME)\n',
        "quiet.loud",
    ),
    case(
        "a-loud-package-is-not-loaded-earlier",
        """\
        import os
        import loader_plainpkg_quiet


        def later():
            import plainpkg
            print(plainpkg.NAME)
            return plainpkg.quiet.NAME


        print("first", os.sep)
        print(later())
        """,
        "plainpkg.quiet",
    ),
    case(
        "a-chain-whose-attribute-error-is-caught-is-left",
        """\
        import shadow
        try:
            print(shadow.quiet.NAME)
        except AttributeError as exc:
            print("not yet", type(exc).__name__)
        import loader_shadow_quiet
        print(shadow.quiet.NAME)
        """,
        "not yet",
    ),
    # -- if TYPE_CHECKING: a binding that does not exist at run time
    case(
        "type-checking-import-of-a-submodule-the-root-provides",
        """\
        from typing import TYPE_CHECKING

        import os

        if TYPE_CHECKING:
            import os.path
        print(os.path.join("a", "b"))
        """,
        "a/b",
    ),
    case(
        "type-checking-convention",
        """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            import numpy.linalg
        import numpy

        print(numpy.linalg.norm([1, 2]))
        """,
        "3",
    ),
    case(
        "type-checking-else-branch",
        """\
        from typing import TYPE_CHECKING

        if TYPE_CHECKING:
            import xml.dom.minidom
        else:
            import xml.dom
        try:
            print(xml.dom.minidom)
        except AttributeError:
            print("AttributeError: xml.dom has no minidom yet")
        """,
        "AttributeError",
    ),
    # -- an import further down that does not serve a read above it
    case(
        "later-import-module-level",
        """\
        import os

        print(os.path.join("a", "b"))
        import os.path

        print(os.path.sep)
        """,
        "a/b",
    ),
    case(
        "later-import-function-called-before-it",
        """\
        import os


        def sep():
            return os.path.sep


        print(sep())
        import os.path

        print(sep())
        """,
        "/",
    ),
    case(
        "later-import-convention-read-before",
        """\
        try:
            print(numpy.zeros(1))
        except NameError:
            print("NameError: not imported yet")
        import numpy

        print(numpy.zeros(2))
        """,
        "not imported yet",
    ),
    case(
        "later-import-of-importlib-for-dunder-import",
        """\
        json = __import__("json")
        print(json.dumps(1))
        import importlib.util

        print(importlib.util.find_spec("json").name)
        """,
        "json",
    ),
    case(
        "later-import-of-importlib-for-imp-reload",
        """\
        import imp
        import json

        print(imp.reload(json).__name__)
        import importlib
        """,
        "json",
    ),
    # -- a function's own import next to the module's
    case(
        "function-own-import-called-before-module-import",
        """\
        def tag():
            import xml.dom.minidom
            return xml.dom.minidom.parseString("<a/>").documentElement.tagName


        print(tag())
        import xml.dom.minidom

        print(xml.dom.minidom.__name__)
        """,
        "xml.dom.minidom",
    ),
    case(
        "function-own-import-of-the-convention",
        """\
        def zeros():
            import numpy
            return numpy.zeros(1)


        print(zeros())
        import numpy

        print(numpy.zeros(2))
        """,
        "[0, 0]",
    ),
    # -- class bodies, comprehensions, lambdas
    case(
        "class-body-read-before-import",
        """\
        import os


        class Paths:
            sep = os.path.sep


        print(Paths.sep)
        import os.path
        """,
        "/",
    ),
    case(
        "class-body-binds-the-new-name",
        """\
        import os.path


        class Config:
            path = "a class attribute"
            joined = os.path.join("a", "b")


        print(Config.path, Config.joined)
        """,
        "a class attribute a/b",
    ),
    case(
        "class-body-own-import",
        """\
        import os


        class Paths:
            import os.path
            sep = os.path.sep


        print(Paths.sep, Paths.os.path.join("a", "b"))
        """,
        "/ a/b",
    ),
    case(
        "comprehension-variable-named-like-the-new-name",
        """\
        import os.path

        print([os.path.join(path, "x") for path in ["a", "b"]])
        """,
        "a/x",
    ),
    case(
        "comprehension-read-before-import",
        """\
        import os

        print([os.path.join(p, "x") for p in ["a"]])
        import os.path
        """,
        "a/x",
    ),
    case(
        "lambda-called-before-import",
        """\
        import os

        join = lambda *parts: os.path.join(*parts)
        print(join("a", "b"))
        import os.path
        """,
        "a/b",
    ),
    case(
        "lambda-parameter-named-like-the-new-name",
        """\
        import os.path

        f = lambda path="param": (path, os.path.sep)
        print(f())
        """,
        "('param', '/')",
    ),
    # -- try/except around `import a.b` with `a` present and `a.b` missing
    case(
        "try-import-missing-submodule-module-not-found",
        """\
        try:
            import plainpkg.missing
        except ModuleNotFoundError as exc:
            print("no module", exc.name)
        """,
        "no module plainpkg.missing",
    ),
    case(
        "try-import-missing-submodule-alias-module-not-found",
        """\
        try:
            import plainpkg.missing as missing
        except ModuleNotFoundError:
            missing = None
        print(missing)
        """,
        "None",
    ),
    case(
        "try-import-missing-submodule-message",
        """\
        try:
            import plainpkg.missing as missing
        except ImportError as exc:
            print(type(exc).__name__, exc)
        """,
        "No module named 'plainpkg.missing'",
    ),
    case(
        "try-import-missing-submodule-type-name",
        """\
        try:
            import plainpkg.missing
        except ImportError as exc:
            print(type(exc).__name__)
        """,
        "ModuleNotFoundError",
    ),
    case(
        "handler-around-the-call-of-a-function-that-imports-a-missing-submodule",
        """\
        def load():
            import plainpkg.missing as missing
            return missing


        try:
            load()
        except ModuleNotFoundError:
            print("optional module missing")
        """,
        "optional module missing",
    ),
    case(
        "try-import-fallback-to-the-root",
        """\
        try:
            import xml.nosuch
        except ImportError:
            import xml
        print(xml.__name__)
        """,
        "xml",
    ),
    case(
        "try-dunder-import-missing",
        """\
        try:
            mod = __import__("plainpkg.missing")
        except ModuleNotFoundError as exc:
            print("no module", exc.name)
        """,
        "no module plainpkg.missing",
    ),
    # -- if/else, loops
    case(
        "if-else-imports",
        """\
        import sys

        if sys.version_info >= (3,):
            import os
        else:
            import os.path
        print(os.path.join("a", "b"))
        """,
        "a/b",
    ),
    case(
        "loop-reads-before-the-import-in-its-body",
        """\
        import os

        for i in range(2):
            print(i, os.path.sep)
            import os.path
        """,
        "0 /",
    ),
    # -- del, global
    case(
        "del-of-the-imported-name",
        """\
        import numpy

        print(numpy.zeros(1))
        del numpy
        try:
            numpy
        except NameError:
            print("numpy is gone")
        """,
        "numpy is gone",
    ),
    case(
        "del-of-a-name-like-the-new-one",
        """\
        import os.path

        path = "a local path"
        del path
        print(os.path.join("a", "b"))
        """,
        "a/b",
    ),
    case(
        "global-import-in-a-function",
        """\
        def setup():
            global os
            import os.path


        setup()
        print(os.path.join("a", "b"))
        """,
        "a/b",
    ),
    case(
        "global-assigns-the-new-name",
        """\
        import os.path


        def configure():
            global path
            path = "configured"


        configure()
        print(path, os.path.join("a", "b"))
        """,
        "configured a/b",
    ),
    case(
        "parameter-named-like-the-new-name",
        """\
        import os.path


        def join(path):
            return os.path.join(path, "x")


        print(join("a"))
        """,
        "a/x",
    ),
    # -- names of builtins
    case(
        "submodule-named-list",
        """\
        import bpkg.list

        print(bpkg.list.NAME)
        print(list("ab"))
        """,
        "['a', 'b']",
    ),
    case(
        "submodule-named-id",
        """\
        import bpkg.id

        print(bpkg.id.f())
        print(callable(id))
        """,
        "True",
    ),
    # -- sys.modules removal then import again; reload
    case(
        "sys-modules-removal-then-import-again",
        """\
        import sys

        import plainpkg
        import plainpkg.sub

        print(plainpkg.sub.NAME)
        del sys.modules[plainpkg.__name__]
        import plainpkg

        try:
            print(plainpkg.sub.NAME)
        except AttributeError:
            print("AttributeError: the new plainpkg has no sub")
        """,
        "the new plainpkg has no sub",
    ),
    case(
        "reload-of-the-parent-rebinds-the-submodule-name",
        """\
        import importlib

        import shadow.sub

        print(shadow.sub.NAME)
        importlib.reload(shadow)
        print(shadow.sub)
        """,
        "shadow.sub, the constant",
    ),
    case(
        "mock-patch-object-of-the-parent",
        """\
        from unittest import mock

        import json
        import json.decoder

        with mock.patch.object(json, "decoder", "patched"):
            print(json.decoder)
        """,
        "patched",
    ),
    # -- a replaced builtins.__import__ sees every import statement and __import__ call
    case(
        "replaced-builtins-import",
        """\
        import builtins

        real_import = builtins.__import__


        def traced(name, globals=None, locals=None, fromlist=(), level=0):
            if name.partition(".")[0] in ("json", "os"):
                print("import", name, fromlist)
            return real_import(name, globals, locals, fromlist, level)


        builtins.__import__ = traced
        json = __import__("json")
        import os.path

        print(json.dumps(1), os.path.sep)
        """,
        "import json",
    ),
    # -- packages that rebind a submodule's name, and ones that do not
    case("rebinding-package-dotted", "import rebind.sub\nprint(rebind.sub())\n", "rebind.sub.sub()"),
    case("rebinding-package-alias", "import rebind.sub as sub\nprint(sub())\n", "rebind.sub.sub()"),
    case("rebinding-package-constant", "import rebind.const\nprint(rebind.const)\n", "42"),
    case(
        "rebinding-package-dunder-import",
        'sub = __import__("rebind.sub").sub\nprint(type(sub).__name__, sub.__name__)\n',
        "function sub",
    ),
    case(
        "package-imports-its-own-submodule",
        "import eager.sub\nprint(eager.sub.NAME, eager.sub is __import__('sys').modules['eager.sub'])\n",
        "eager.sub True",
    ),
    case("package-constant-named-like-a-submodule", "import shadow.sub as sub\nprint(sub.NAME)\n", "shadow.sub"),
    case("package-constant-named-like-a-submodule-dotted", "import shadow.sub\nprint(shadow.sub.NAME)\n", "shadow.sub"),
    case("package-getattr-answers-for-a-submodule", "import lazy.sub as sub\nprint(sub.NAME)\n", "lazy.sub"),
    case("package-getattr-dotted", "import lazy.sub\nprint(lazy.sub.f())\n", "lazy.sub.f()"),
    case("nested-package", "import nested.inner.leaf\nprint(nested.inner.leaf.NAME, nested.inner.NAME)\n", "nested.inner.leaf"),
]

PROJECTS = [
    project(
        "mock-patch-of-the-module-attribute-chain",
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": MOD,
            "test_mod.py": '''\
                import unittest
                from unittest import mock

                import pkg.mod


                class Exists(unittest.TestCase):
                    def test_patched(self):
                        with mock.patch("pkg.mod.os.path.exists", return_value="patched"):
                            self.assertEqual(pkg.mod.exists("x"), "patched")
                ''',
            "main.py": RUN_TESTS,
        },
        "ran 1",
        fix=("pkg", "test_mod.py", "main.py"),
    ),
    project(
        "sys-modules-removal-then-import-again",
        {
            "main.py": """\
                import sys

                import json.decoder as decoder

                sys.modules.pop(decoder.__name__)
                import json.decoder as decoder

                print(decoder is sys.modules[decoder.__name__])
                """,
        },
        "True",
        fix=("main.py",),
    ),
    project(
        "lazy-submodules-in-the-packages-own-getattr",
        {
            "lazypkg/__init__.py": """\
                def __getattr__(name):
                    if name == "sub":
                        import lazypkg.sub as sub
                        return sub
                    raise AttributeError(name)
                """,
            "lazypkg/sub.py": "NAME = 'lazypkg.sub'\n",
            "main.py": "import lazypkg\n\nprint(lazypkg.sub.NAME)\n",
        },
        "lazypkg.sub",
        fix=("lazypkg", "main.py"),
    ),
    project(
        "from-import-of-a-lazy-submodule",
        {
            "lazypkg/__init__.py": """\
                def __getattr__(name):
                    if name == "sub":
                        import lazypkg.sub as sub
                        return sub
                    raise AttributeError(name)
                """,
            "lazypkg/sub.py": "NAME = 'lazypkg.sub'\n",
            "main.py": "import lazypkg.sub as sub\n\nprint(sub.NAME)\n",
        },
        "lazypkg.sub",
        fix=("main.py",),
    ),
    project(
        "setattr-on-the-parent",
        {"main.py": 'import json.decoder\n\nsetattr(json, "decoder", "patched")\nprint(json.decoder)\n'},
        "patched",
        fix=("main.py",),
    ),
    project(
        "from-import-of-the-root-in-another-module",
        {"pkg/__init__.py": "", "pkg/mod.py": MOD, "main.py": "from pkg.mod import os\n\nprint(os.sep)\n"},
        "/",
        fix=("pkg", "main.py"),
    ),
    project(
        "attribute-read-of-the-root-in-another-module",
        {"pkg/__init__.py": "", "pkg/mod.py": MOD, "main.py": "import pkg.mod\n\nprint(pkg.mod.os.sep)\n"},
        "/",
        fix=("pkg", "main.py"),
    ),
    project(
        "star-import-of-the-module",
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": MOD,
            "main.py": 'from pkg.mod import *\n\nprint(os.path.join("a", "b"), exists("/"))\n',
        },
        "a/b True",
        fix=("pkg", "main.py"),
    ),
    project(
        "star-import-exports-a-builtin-name",
        {
            "helpers.py": "import bpkg.id\n\n\ndef ident():\n    return bpkg.id.NAME\n",
            "main.py": "from helpers import *\n\nprint(ident(), id(None) == id(None))\n",
        },
        "bpkg.id True",
        fix=("helpers.py", "main.py"),
    ),
    project(
        "dunder-all-lists-the-root",
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": 'import os.path\n\n__all__ = ["os", "sep"]\n\n\ndef sep():\n    return os.path.sep\n',
            "main.py": "from pkg.mod import *\n\nprint(os.path.sep, sep())\n",
        },
        "/ /",
        fix=("pkg", "main.py"),
    ),
    project(
        "module-getattr-answers-for-the-new-name",
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": '''\
                import os.path


                def __getattr__(name):
                    if name == "path":
                        return "the deprecated pkg.mod.path"
                    raise AttributeError(name)


                def join(*parts):
                    return os.path.join(*parts)
                ''',
            "main.py": 'import pkg.mod\n\nprint(pkg.mod.path)\nprint(pkg.mod.join("a", "b"))\n',
        },
        "the deprecated pkg.mod.path",
        fix=("pkg", "main.py"),
    ),
    project(
        "doctest-reads-the-import",
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": '''\
                """Paths.

                >>> os.path.join("a", "b")
                'a/b'
                >>> print("doctest ran")
                doctest ran
                """
                import os.path


                def exists(p):
                    return os.path.exists(p)
                ''',
        },
        "Test passed.",
        fix=("pkg",),
        command=("-m", "doctest", "-v", "pkg/mod.py"),
    ),
]


def relative(id: str, files: dict[str, str], expect: str, command: tuple[str, ...], *, target: str | None = None) -> Case:
    """A package run as ``python -m``, fixed with ``importstyle-relative = never``: IPS108 must
    rewrite *target* (the module run, unless given), or leave it with its reason (None)."""
    module = command[-1].replace(".", "/")
    run_as = target if target is not None else f"{module}.py"
    return Case(
        id, {path: textwrap.dedent(text) for path, text in files.items()}, expect, fix=tuple(sorted({p.split("/")[0] for p in files})),
        command=command, must_fix="IPS108" if target != "" else None, target=run_as, options=(("relative", "never"),),
    )


#: A package whose modules print what they are when imported, for IPS108's cases.
RELATIVE_PACKAGE = {
    "pkg/__init__.py": 'print("[load pkg]")\nNAME = "pkg"\n',
    "pkg/a.py": 'print("[load pkg.a]")\nX = "pkg.a.X"\n',
    "pkg/sub/__init__.py": 'print("[load pkg.sub]")\n',
    "pkg/sub/b.py": 'print("[load pkg.sub.b]")\nY = "pkg.sub.b.Y"\n__all__ = ["Y"]\n',
}

RELATIVE = [
    relative(
        "relative-siblings-parents-aliases-star-and-function",
        {
            **RELATIVE_PACKAGE,
            "pkg/sub/mod.py": """\
            import sys

            from . import b
            from ..a import X as x  # the parent's
            from .b import (
                Y,  # the sibling's
            )
            from .b import *


            def late():
                from .. import a
                return a.X, a is sys.modules["pkg.a"]


            print(b.Y, x, Y, b is sys.modules["pkg.sub.b"], late())
            """,
        },
        "pkg.sub.b.Y pkg.a.X pkg.sub.b.Y True ('pkg.a.X', True)",
        ("-m", "pkg.sub.mod"),
    ),
    # from-import asks the package's attribute first: a constant under a submodule's name
    # wins over the submodule, for the relative import and the absolute one alike
    relative(
        "relative-import-of-a-name-the-package-binds-over-its-submodule",
        {
            **RELATIVE_PACKAGE,
            "pkg/sub/__init__.py": 'print("[load pkg.sub]")\nb = "pkg.sub.b, the constant"\n',
            "pkg/sub/mod.py": "from . import b\n\nprint(b)\n",
        },
        "pkg.sub.b, the constant",
        ("-m", "pkg.sub.mod"),
    ),
    # a package's __main__ run with `python -m pkg`: __package__ is pkg there too
    relative(
        "relative-import-in-a-packages-main",
        {**RELATIVE_PACKAGE, "pkg/__main__.py": "from . import a\nfrom .sub.b import Y\n\nprint(a.X, Y)\n"},
        "pkg.a.X pkg.sub.b.Y",
        ("-m", "pkg"),
        target="pkg/__main__.py",
    ),
    # a package's own __init__ importing its submodule
    relative(
        "relative-import-in-the-packages-init",
        {**RELATIVE_PACKAGE, "pkg/__init__.py": 'from . import a\n\nprint("[load pkg]", a.X)\n',
         "main.py": "import pkg\n\nprint(pkg.a.X)\n"},
        "[load pkg] pkg.a.X",
        ("main.py",),
        target="pkg/__init__.py",
    ),
    # a namespace package on the way: run as ns.pkg.mod, `.` is ns.pkg; `pkg` found from
    # here is another package, which an absolute import would find
    relative(
        "relative-import-below-a-namespace-package-is-left",
        {
            **RELATIVE_PACKAGE,
            "ns/pkg/__init__.py": 'print("[load ns.pkg]")\n',
            "ns/pkg/a.py": 'X = "ns.pkg.a.X"\n',
            "ns/pkg/mod.py": "from .a import X\n\nprint(__package__, X)\n",
        },
        "ns.pkg ns.pkg.a.X",
        ("-m", "ns.pkg.mod"),
        target="",
    ),
    # a vendored copy whose _vendor folder is no package (a namespace package inside app),
    # beside a top-level package of that name, which an absolute import would find
    relative(
        "relative-import-in-a-vendored-copy-is-left",
        {
            "app/__init__.py": "",
            "app/main.py": "import app._vendor.lib.mod\n",
            "app/_vendor/lib/__init__.py": "",
            "app/_vendor/lib/helper.py": 'WHO = "vendored helper"\n',
            "app/_vendor/lib/mod.py": "from .helper import WHO\n\nprint(WHO)\n",
            "lib/__init__.py": "",
            "lib/helper.py": 'WHO = "top-level helper"\n',
        },
        "vendored helper",
        ("-m", "app.main"),
        target="",
    ),
    # the file sets __package__, which its relative imports resolve against: left, with
    # that line as the reason (from pkg.sub.a would not even exist)
    relative(
        "relative-import-in-a-file-that-sets-its-package-is-left",
        {**RELATIVE_PACKAGE, "pkg/sub/mod.py": '__package__ = "pkg"\nfrom .a import X\n\nprint(X)\n'},
        "pkg.a.X",
        ("-m", "pkg.sub.mod"),
        target="",
    ),
]

CASES = POSITIVE + TRAPS + PROJECTS + RELATIVE


def run(folder: Path, command: tuple[str, ...]) -> Run:
    """*command* in a fresh interpreter, as :mod:`tests._differential` runs its programs."""
    proc = subprocess.run(
        [sys.executable, "-E", "-S", "-B", *command], cwd=folder, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60, check=False,
    )
    return Run(proc.stdout, proc.returncode, exception_type(proc.stderr), proc.stderr)


def fix(folder: Path, paths: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """``python -m flake8_importstyle fix`` on *paths*: exit 0 (nothing changed) or 1 (changed)."""
    proc = subprocess.run(
        [sys.executable, "-m", "flake8_importstyle", "fix", "--config", "setup.cfg", *paths],
        cwd=folder, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode in (0, 1), f"the fixer failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
    return proc


def left_findings(
    folder: Path, paths: tuple[str, ...], options: tuple[tuple[str, str], ...] = ()
) -> set[tuple[str, int, str]]:
    """(path, line, code) of every fixable finding in the Python files under *paths*."""
    config = config_from(dict(options))
    files = [p for name in paths for p in ([folder / name] if name.endswith(".py") else (folder / name).rglob("*.py"))]
    found = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        for f in check_tree(ast.parse(text), text.splitlines(keepends=True), str(path), config):
            if f.code in CODES:
                found.add((path.relative_to(folder).as_posix(), f.line, f.code))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fix_keeps_behaviour(case: Case, tmp_path: Path) -> None:
    write_packages(tmp_path)
    for name, text in case.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = "".join(f"importstyle-{key} = {value}\n" for key, value in case.options)
    (tmp_path / "setup.cfg").write_text(f"[flake8]\n{settings}", encoding="utf-8")
    sources = {name: (tmp_path / name).read_text(encoding="utf-8") for name in case.files}

    before = run(tmp_path, case.command)
    assert case.expect in before.stdout, f"the case does not do what it says:\n{before.render()}"
    fixer = fix(tmp_path, case.fix)
    after = run(tmp_path, case.command)

    changed = {name: (tmp_path / name).read_text(encoding="utf-8") for name in case.files}
    diff = "".join(
        f"--- {name} before:\n{sources[name]}--- {name} after:\n{changed[name]}"
        for name in case.files if changed[name] != sources[name]
    ) or "(no file changed)\n"
    report = f"{diff}--- fixer:\n{fixer.stdout}{fixer.stderr}--- before\n{before.render()}--- after\n{after.render()}"
    assert after.same_as(before), f"the fix changed what the program does:\n{report}"

    explained = {(m["path"], int(m["line"]), m["code"]) for m in map(NOT_FIXED.match, fixer.stdout.splitlines())
                 if m and m["reason"].strip()}
    unexplained = left_findings(tmp_path, case.fix, case.options) - explained
    assert not unexplained, f"findings left without a reason: {sorted(unexplained)}\n{report}"
    if case.must_fix:
        target = case.target
        assert changed[target] != sources[target], f"{target} was not rewritten:\n{report}"
        left = left_findings(tmp_path, (target,), case.options)
        assert not {f for f in left if f[2] == case.must_fix}, report
