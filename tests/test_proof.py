"""The check before writing proves the rewrite from the two texts alone: these are
rewrites a planner could get wrong, each with the reason the proof gives."""

from __future__ import annotations

import pytest

from flake8_importstyle.names import ASSUME_SUBMODULES, ImportFacts
from flake8_importstyle.proof import Readers, prove


def proved(
    old: str, new: str, facts: ImportFacts = ASSUME_SUBMODULES, readers: Readers = Readers({})
) -> str | None:
    return prove(old, new, facts=facts, readers=readers)


PKG = "import pkg_resources\ntry:\n    v = {call}\nexcept {handler}:\n    v = None\nprint(v)\n"
META = "from importlib import metadata\ntry:\n    v = {call}\nexcept {handler}:\n    v = None\nprint(v)\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(
            "import os.path\nprint(os.path.join('a'))\n",
            "from os import path\nprint(path.join('a'))\n",
            id="IPS101",
        ),
        pytest.param(
            "import os.path\nprint(os.getcwd(), os.path.sep)\n",
            "import os\nfrom os import path\nprint(os.getcwd(), path.sep)\n",
            id="IPS101-keeps-the-root",
        ),
        pytest.param(
            "import os.path\ndef f():\n    class C:\n        x = os.path.sep\n    return lambda: os.path.sep\n",
            "from os import path\ndef f():\n    class C:\n        x = path.sep\n    return lambda: path.sep\n",
            id="IPS101-every-scope",
        ),
        pytest.param("import a.b as b\nprint(b)\n", "from a import b\nprint(b)\n", id="IPS102"),
        pytest.param("import json as json\nprint(json)\n", "import json\nprint(json)\n", id="IPS104"),
        pytest.param("import numpy\nnumpy.zeros\n", "import numpy as np\nnp.zeros\n", id="IPS106"),
        pytest.param(
            "x = __import__('json')\n", "import importlib\nx = importlib.import_module('json')\n", id="IPS201"
        ),
        pytest.param(
            "x = __import__('a.b').b\n",
            "import importlib\nx = importlib.import_module('a.b')\n",
            id="IPS201-chain",
        ),
        pytest.param(
            "import imp\nimport json\nimp.reload(json)\n",
            "import importlib\nimport json\nimportlib.reload(json)\n",
            id="IPS205",
        ),
        pytest.param(
            "try:\n    import a.b\nexcept ImportError:\n    pass\nelse:\n    print(a.b.x)\n",
            "try:\n    from a import b\nexcept ImportError:\n    pass\nelse:\n    print(b.x)\n",
            id="guarded-ImportError",
        ),
        pytest.param(
            "import os.path\nwith mock.patch('os.path.exists'):\n    print(os.path.exists)\n",
            "from os import path\nwith mock.patch('os.path.exists'):\n    print(path.exists)\n",
            id="patching-below-the-bound-module",
        ),
        pytest.param("import numpy\nimportlib.reload(numpy)\nnumpy.zeros\n", "import numpy as np\nimportlib.reload(np)\nnp.zeros\n",
                     id="a-rename-of-one-binding"),
        pytest.param(
            "import xml.dom.minidom\nfrom xml import dom\ndom.minidom.parse\n",
            "from xml.dom import minidom\nfrom xml import dom\ndom.minidom.parse\n",
            id="unused-stays-unused",
        ),
        pytest.param(
            "import pipes\nprint(pipes.quote('a b'))\n", "import shlex\nprint(shlex.quote('a b'))\n", id="IPS206"
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('x').version", handler="pkg_resources.DistributionNotFound"),
            META.format(call="metadata.version('x')", handler="metadata.PackageNotFoundError"),
            id="IPS207",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('x_y-z').version", handler="Exception"),
            META.format(call="metadata.version('x_y-z')", handler="Exception"),
            id="IPS207-any-exception",
        ),
    ],
)
def test_a_faithful_rewrite_is_proved(old: str, new: str) -> None:
    assert proved(old, new) is None


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        pytest.param(
            "import os.path\nprint(os.path.sep, os.getcwd())\n",
            "from os import path\nprint(path.sep, os.getcwd())\n",
            "'os' at line 2 would not read the same object after the rewrite",
            id="forgot-the-root",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\n",
            "from os import path\nprint(path.sep, 1)\n",
            "line 2 is not the original code",
            id="an-argument-added",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\n",
            "from os import path\nprint(path.sep)\nx = 1\n",
            "the rewritten code is not the original with its imports respelled",
            id="a-statement-added",
        ),
        pytest.param(
            "import os.path\npath = '/tmp'\nprint(os.path.join(path))\n",
            "from os import path\npath = '/tmp'\nprint(path.join(path))\n",
            "'os.path.join' at line 3 would not read the same object after the rewrite",
            id="a-name-taken",
        ),
        pytest.param(
            "import os\ndef f():\n    return os.path.sep\nimport os.path\n",
            "import os\ndef f():\n    return path.sep\nfrom os import path\n",
            "'os.path.sep' at line 3 would not read the same object after the rewrite",
            id="a-later-import",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os.path\nimport os\nprint(os.path.sep)\n",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from os import path\nimport os\nprint(path.sep)\n",
            "'os.path.sep' at line 5 would not read the same object after the rewrite",
            id="type-checking",
        ),
        pytest.param(
            "import os.path\ndef f(path):\n    return os.path.join(path)\n",
            "from os import path\ndef f(path):\n    return path.join(path)\n",
            "'os.path.join' at line 3 would not read the same object after the rewrite",
            id="a-parameter",
        ),
        pytest.param(
            "import json\nimport os\n",
            "import os\nimport json\n",
            "the imports at line 1 would not load the same modules in the same order",
            id="reordered",
        ),
        pytest.param(
            "import os.path\nos.path.sep\n",
            "import json\nfrom os import path\npath.sep\n",
            "the imports at line 1 would not load the same modules in the same order",
            id="another-module",
        ),
        pytest.param(
            "import numpy\ndef f(x: 'numpy.ndarray'): pass\nnumpy.zeros\n",
            "import numpy as np\ndef f(x: 'numpy.ndarray'): pass\nnp.zeros\n",
            "'numpy' at line 1 would not read the same object after the rewrite",
            id="string-annotation",
        ),
        pytest.param(
            "import os.path\n__all__ = ['os']\nos.path.sep\n",
            "from os import path\n__all__ = ['os']\npath.sep\n",
            "'os' is listed in __all__",
            id="all",
        ),
        pytest.param(
            "import os.path\ndef __getattr__(name): return 1\nos.path.sep\n",
            "from os import path\ndef __getattr__(name): return 1\npath.sep\n",
            "'os' would leave the module's namespace, where its __getattr__ (line 2) would answer instead",
            id="module-getattr",
        ),
        pytest.param(
            '"""\n>>> os.getcwd() is not None\nTrue\n"""\nimport os.path\nos.path.sep\n',
            '"""\n>>> os.getcwd() is not None\nTrue\n"""\nfrom os import path\npath.sep\n',
            "the doctest at line 1 reads 'os'",
            id="doctest",
        ),
        pytest.param(
            "import os.path\nos.path.sep\neval('os')\n",
            "from os import path\npath.sep\neval('os')\n",
            "line 3 calls eval(), which can read the names this rewrite changes by their strings",
            id="eval",
        ),
        pytest.param(
            "try:\n    import a.b\nexcept ModuleNotFoundError:\n    pass\nelse:\n    print(a.b.x)\n",
            "try:\n    from a import b\nexcept ModuleNotFoundError:\n    pass\nelse:\n    print(b.x)\n",
            "the handler at line 3 could tell the exception of a failed import (ModuleNotFoundError or ImportError,"
            " and its message) apart",
            id="guarded-ModuleNotFoundError",
        ),
        pytest.param(
            "try:\n    import a.b\nexcept ImportError as e:\n    print(e)\nelse:\n    print(a.b.x)\n",
            "try:\n    from a import b\nexcept ImportError as e:\n    print(e)\nelse:\n    print(b.x)\n",
            "the handler at line 3 could tell the exception of a failed import (ModuleNotFoundError or ImportError,"
            " and its message) apart",
            id="handler-reads-the-exception",
        ),
        pytest.param(
            "import sys\nimport a.b\ndel sys.modules['a.b']\nimport a.b\nprint(a.b.x)\n",
            "import sys\nfrom a import b\ndel sys.modules['a.b']\nfrom a import b\nprint(b.x)\n",
            "line 3 changes sys.modules, so 'a.b' may be another object by the time the rewritten code reads it",
            id="sys-modules",
        ),
        pytest.param(
            "import os\nimport os.path\nprint(os.path.sep)\n",
            "import os\nfrom os import path\nprint(path.sep)\n",
            "the rewrite would leave 'os' imported but unused (pyflakes)",
            id="newly-unused",
        ),
        pytest.param(
            "import importlib.machinery as m\nsys.modules.pop('importlib.machinery')\nprint(m)\n",
            "from importlib import machinery as m\nsys.modules.pop('importlib.machinery')\nprint(m)\n",
            "line 2 changes sys.modules, so 'importlib.machinery' may be another object by the time the"
            " rewritten code reads it",
            id="importlib-submodule-is-no-exception",
        ),
        pytest.param(
            "def f():\n    import imp\nv = imp.load_source('m', 'p')\nimport imp\nimp.reload(m)\n",
            "def f():\n    import imp\nv = imp.load_source('m', 'p')\nimport importlib\nimportlib.reload(m)\n",
            "'imp' at line 3 would be read with nothing left in the file to bind it",
            id="last-binding-of-a-name-still-read",
        ),
        pytest.param(
            "import os as __os\nclass C:\n    def m(self):\n        return __os.sep\n",
            "import os as _os\nclass C:\n    def m(self):\n        return _os.sep\n",
            "'__os' is a private name inside a class, which the compiler mangles",
            id="mangled",
        ),
        pytest.param(
            "import pkg_resources\nv = pkg_resources.get_distribution('x').version\n",
            "from importlib import metadata\nv = metadata.version('x')\n",
            "line 2: a missing distribution raises DistributionNotFound before the rewrite and PackageNotFoundError"
            " (an ImportError) after it, so only a get_distribution(name).version inside try/except"
            " DistributionNotFound is rewritten",
            id="distribution-version-uncaught",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('x').version", handler="pkg_resources.DistributionNotFound"),
            META.format(call="metadata.version('x')", handler="ImportError"),
            "line 4 is not the original code",
            id="distribution-version-other-handler",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('x').version", handler="ValueError"),
            META.format(call="metadata.version('x')", handler="ValueError"),
            "line 3: a missing distribution raises DistributionNotFound before the rewrite and PackageNotFoundError"
            " (an ImportError) after it, so only a get_distribution(name).version inside try/except"
            " DistributionNotFound is rewritten",
            id="distribution-version-not-caught-by-either",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution(spec).version", handler="pkg_resources.DistributionNotFound"),
            META.format(call="metadata.version(spec)", handler="metadata.PackageNotFoundError"),
            "line 3: get_distribution() may be given a requirement, not a distribution's name",
            id="distribution-version-of-a-requirement",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('zope.interface').version", handler="Exception"),
            META.format(call="metadata.version('zope.interface')", handler="Exception"),
            "line 3: get_distribution() may be given a requirement, not a distribution's name",
            id="distribution-version-of-a-dotted-name",
        ),
        pytest.param(
            PKG.format(call="pkg_resources.get_distribution('x').version", handler="pkg_resources.DistributionNotFound")
            .replace("    v = None", "    raise"),
            META.format(call="metadata.version('x')", handler="metadata.PackageNotFoundError")
            .replace("    v = None", "    raise"),
            "the handler at line 4 reads the exception, whose type and text differ",
            id="distribution-version-re-raised",
        ),
        pytest.param(
            PKG.format(call="f(pkg_resources.get_distribution('x').version)", handler="pkg_resources.DistributionNotFound"),
            META.format(call="f(metadata.version('x'))", handler="metadata.PackageNotFoundError"),
            "line 3: a missing distribution raises DistributionNotFound before the rewrite and PackageNotFoundError"
            " (an ImportError) after it, so only a get_distribution(name).version inside try/except"
            " DistributionNotFound is rewritten, alone in the try's body",
            id="distribution-version-beside-other-calls",
        ),
        pytest.param(
            "import pipes\nprint(pipes.Template)\n", "import shlex\nprint(shlex.Template)\n",
            "'pipes.Template' at line 2 would not read the same object after the rewrite",
            id="pipes-beyond-quote",
        ),
    ],
)
def test_a_wrong_rewrite_is_caught(old: str, new: str, reason: str) -> None:
    assert proved(old, new) == reason


class _Rebinds(ImportFacts):
    """The resolver's answer for a package whose ``__init__`` rebinds its submodule's name."""

    def from_binds_submodule(self, dotted: str) -> bool:
        return dotted != "pkg.sub"


def test_a_package_that_rebinds_its_submodule_breaks_the_equivalence() -> None:
    old, new = "import pkg.sub\npkg.sub.run()\n", "from pkg import sub\nsub.run()\n"
    assert proved(old, new) is None
    # `from pkg import sub` then binds what the package binds, and never loads the submodule
    assert (
        proved(old, new, facts=_Rebinds())
        == "the imports at line 1 would not load the same modules in the same order"
    )


def test_what_other_files_read_from_the_module_stays() -> None:
    old, new = "import os.path\nos.path.sep\n", "from os import path\npath.sep\n"
    assert (
        proved(old, new, readers=Readers({"os": "tests/test_m.py:3"}))
        == "tests/test_m.py:3 reads 'os' from this module"
    )
    assert proved(old, new, readers=Readers({}, star="app.py:1")) == (
        "app.py:1 imports * from this module, so it would bind 'os' differently"
    )
    assert proved(old, new, readers=Readers({"sep": "tests/test_m.py:3"})) is None


F_OLD = "def f():\n    import os.path\n{body}    return os.path.sep\n"
F_NEW = "def f():\n    from os import path\n{body}    return path.sep\n"


@pytest.mark.parametrize(
    ("body", "proved_as"),
    [
        pytest.param("", None, id="plain"),
        pytest.param("    exec('print(1)')\n", None, id="literal-exec"),
        pytest.param("    g = globals()\n", None, id="globals-reaches-only-the-module"),
        pytest.param(
            "    print(locals())\n",
            "line 3 calls locals(), which can read the names this rewrite changes by their strings",
            id="locals",
        ),
        pytest.param(
            "    print(locals()['path'])\n",
            "line 3 calls locals(), which can read the names this rewrite changes by their strings",
            id="locals-key-of-the-new-name",
        ),
        pytest.param("    print(locals()['x'])\n", None, id="locals-key-of-another-name"),
        pytest.param(
            "    exec(code)\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="computed-exec",
        ),
        pytest.param(
            "    exec('print(os)')\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="literal-exec-of-the-old-name",
        ),
        pytest.param(
            "    v = str(1)\n    if v in ['True', 'None']:\n        v = eval(v)\n", None,
            id="eval-of-a-local-narrowed-to-literals",
        ),
        pytest.param(
            "    v = str(1)\n    if v in ['True', 'os']:\n        v = eval(v)\n",
            "line 5 calls eval(), which can read the names this rewrite changes by their strings",
            id="eval-of-a-local-narrowed-to-the-old-name",
        ),
        pytest.param(
            "    if w in ['True']:\n        print(eval(w))\n",
            "line 4 calls eval(), which can read the names this rewrite changes by their strings",
            id="eval-of-a-global-narrowed-to-literals",
        ),
        pytest.param(
            "    v = str(1)\n    if v in ['True']:\n        print(f(**k, x=eval(v)))\n",
            "line 5 calls eval(), which can read the names this rewrite changes by their strings",
            id="eval-after-a-double-star",
        ),
        pytest.param("    exec(code, ns)\n", None, id="exec-in-a-namespace-of-the-caller"),
        pytest.param(
            "    exec(code, ns)\n    print(vars(ns))\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="exec-in-a-namespace-where-vars-of-a-name-is-taken",
        ),
        pytest.param(
            "    exec(code, ns, locals())\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="exec-with-the-function-s-locals",
        ),
    ],
)
def test_a_function_scope_rewrite_is_proved_unless_something_reads_its_locals(
    body: str, proved_as: str | None
) -> None:
    assert proved(F_OLD.format(body=body), F_NEW.format(body=body)) == proved_as


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        pytest.param(
            "def f():\n    import os.path\n    x = os.path.sep\n    del os\n",
            "def f():\n    from os import path\n    x = path.sep\n    del os\n",
            "'os' at line 4 would not read the same object after the rewrite",
            id="del-of-the-old-name",
        ),
        pytest.param(
            "def f():\n    import os.path\n    def g():\n        nonlocal os\n        return os.path.sep\n",
            "def f():\n    from os import path\n    def g():\n        nonlocal os\n        return path.sep\n",
            "a 'nonlocal os' would find no enclosing function binding 'os'",
            id="nonlocal-left-without-its-binding",
        ),
        pytest.param(
            "def f():\n    import os.path\n    def g():\n        return os.path.sep\n    return g\n",
            "def f():\n    import os.path\n    def g():\n        return path.sep\n    return g\n",
            "line 4 is not the original code",
            id="closure-renamed-without-its-import",
        ),
        pytest.param(
            "class C:\n    import os.path\n    x = os.path.sep\nprint(C.os)\n",
            "class C:\n    from os import path\n    x = path.sep\nprint(C.os)\n",
            "line 4 reads the attribute 'os', which may be the class at line 1's, whose names the rewrite"
            " changes",
            id="class-attribute",
        ),
        pytest.param(
            "class C(dict):\n    import os.path\n    x = os.path.sep\n",
            "class C(dict):\n    from os import path\n    x = path.sep\n",
            "the class at line 1 has bases, a metaclass or decorators, which can read the names its body binds",
            id="class-with-a-base",
        ),
        pytest.param(
            "import os.path\nos.path.sep\nexec('print(os.path)')\n",
            "from os import path\npath.sep\nexec('print(os.path)')\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="module-literal-exec-of-the-old-name",
        ),
    ],
)
def test_a_wrong_rewrite_in_another_scope_is_caught(old: str, new: str, reason: str) -> None:
    assert proved(old, new) == reason


def test_a_class_body_rewrite_is_proved_where_nothing_reads_its_attributes() -> None:
    old = "class C:\n    import os.path\n    x = os.path.sep\n    def m(self):\n        return self.x\n"
    new = "class C:\n    from os import path\n    x = path.sep\n    def m(self):\n        return self.x\n"
    assert proved(old, new) is None
    assert proved(old, new, readers=Readers({"C": "app.py:2"})) == (
        "app.py:2 reads 'C', whose attributes the rewrite changes"
    )
