"""Every rule's documented examples, the inline-annotated fixture files, and positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flake8_importstyle.rules import RULES, Rule
from tests.conftest import codes, config_from, lint

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*(IPS\d{3}(?::\d+)?(?:\s*,\s*IPS\d{3}(?::\d+)?)*)\s*$")
HEADER = re.compile(r"#\s*(options|filename|extend-select):\s*(.*)$")

EXAMPLES = [
    pytest.param(rule, i, id=f"{rule.code}-{i}") for rule in RULES for i in range(len(rule.examples))
]


@pytest.mark.parametrize(("rule", "index"), EXAMPLES)
def test_documented_example(rule: type[Rule], index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = rule.examples[index]
    if "/" in example.filename:  # as the example says: the file's folder exists, and holds nothing else
        monkeypatch.chdir(tmp_path)
        (tmp_path / example.filename).parent.mkdir(parents=True)
    selected = [rule.code]  # an opt-in rule's examples hold once it is selected
    bad = codes(example.bad, example.filename, extend_select=selected, **example.options)
    good = codes(example.good, example.filename, extend_select=selected, **example.options)
    assert rule.code not in good
    if example.bad != example.good:
        assert rule.code in bad


def test_every_rule_has_a_flagged_example() -> None:
    for rule in RULES:
        assert any(e.bad != e.good for e in rule.examples), rule.code


def _expectations(
    path: Path,
) -> tuple[dict[str, str], str, set[tuple[int, str, int | None]], list[str]]:
    options: dict[str, str] = {}
    filename = "example.py"
    expected: set[tuple[int, str, int | None]] = set()
    selected: list[str] = []  # opt-in codes the fixture turns on, as flake8's extend-select does
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        header = HEADER.match(line)
        if header and header.group(1) == "options":
            for pair in header.group(2).split(";"):
                key, _, value = pair.partition("=")
                options[key.strip()] = value.strip().replace("\\n", "\n")
        elif header and header.group(1) == "extend-select":
            selected += [code.strip() for code in header.group(2).split(",")]
        elif header:
            filename = header.group(2).strip()
        match = EXPECT.search(line)
        if match:
            for item in match.group(1).split(","):
                code, _, col = item.strip().partition(":")
                expected.add((number, code, int(col) if col else None))
    return options, filename, expected, selected


FIXTURE_FILES = sorted(FIXTURES.glob("*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_fixture(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options, filename, expected, selected = _expectations(path)
    source = path.read_text(encoding="utf-8")
    if "/" in filename:  # the file's folder exists (empty) in the folder the check runs in
        monkeypatch.chdir(tmp_path)
        (tmp_path / filename).parent.mkdir(parents=True)
    found = lint(source, filename, extend_select=selected, **options)
    got = {(f.line, f.code, f.col + 1) for f in found}
    # an expectation without a column matches any column on its line
    want_exact = {e for e in expected if e[2] is not None}
    want_any = {(line, code) for line, code, col in expected if col is None}
    assert want_exact <= got, found
    got_loose = {(line, code) for line, code, _ in got}
    assert got_loose == {(line, code) for line, code, _ in expected}, found
    assert want_any <= got_loose


def test_fixtures_exercise_every_code() -> None:
    seen = set()
    for path in FIXTURE_FILES:
        seen |= {code for _, code, _ in _expectations(path)[2]}
    assert seen == {rule.code for rule in RULES}


# --------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("source", "options", "message"),
    [
        ("import os.path\n", {}, "IPS101 use 'from os import path' instead of 'import os.path'"),
        ("import a.b.c\n", {}, "IPS101 use 'from a.b import c' instead of 'import a.b.c'"),
        ("import a.b as b\n", {}, "IPS102 use 'from a import b' instead of 'import a.b as b'"),
        ("import a.b as c\n", {}, "IPS103 use 'from a import b as c' instead of 'import a.b as c'"),
        ("import a as a\n", {}, "IPS104 useless alias: use 'import a'"),
        ("from ..m import x as x\n", {}, "IPS104 useless alias: use 'from ..m import x'"),
        (
            "from numpy.linalg import norm\n",
            {"no-from": "numpy"},
            "IPS105 use 'import numpy.linalg' instead of 'from numpy.linalg import ...' ('numpy' is in importstyle-no-from)",
        ),
        (
            "from numpy import array\n",
            {"no-from": "numpy"},
            "IPS105 use 'import numpy as np' instead of 'from numpy import ...' ('numpy' is in importstyle-no-from)",
        ),
        ("import numpy\n", {}, "IPS106 use 'import numpy as np', the conventional name"),
        (
            "from six import moves\n",
            {"banned": "six.moves = use the standard library"},
            "IPS107 'six.moves' is banned: use the standard library",
        ),
        ("import pickle\n", {"banned": "pickle ="}, "IPS107 'pickle' is banned: listed in importstyle-banned"),
        ("from . import x\n", {"relative": "never"}, "IPS108 use an absolute import instead of 'from . import ...'"),
    ],
)
def test_message(source: str, options: dict[str, str], message: str) -> None:
    assert [f"{f.code} {f.message}" for f in lint(source, **options)] == [message]


# ------------------------------------------------------------------- semantics


@pytest.mark.parametrize(
    ("source", "options", "expected"),
    [
        # IPS103 spares an alias convention used exactly; IPS106 owns conventional modules
        ("import matplotlib.pyplot as plt\n", {}, []),
        ("import matplotlib.pyplot\n", {}, ["IPS106"]),
        ("import matplotlib.pyplot as pp\n", {}, ["IPS106"]),
        ("from matplotlib import pyplot\n", {}, ["IPS106"]),
        ("from matplotlib import pyplot as plt\n", {}, []),
        ("import numpy.linalg\n", {}, ["IPS101"]),
        ("import numpy as np\n", {}, []),
        ("import xml.etree.ElementTree as ET\n", {}, []),
        ("import geopandas\n", {"aliases": "geopandas=gpd"}, ["IPS106"]),
        ("import numpy as numeric\n", {"aliases": "numpy=numeric"}, []),
        ("import numpy\n", {"aliases": "numpy="}, []),
        # allow-dotted: exact names and wildcards
        ("import os.path\n", {"allow-dotted": "os.path"}, []),
        ("import os.path as p\n", {"allow-dotted": "os.path"}, []),
        ("import xml.dom.minidom\n", {"allow-dotted": "xml.*"}, []),
        ("import xmlrpc.client\n", {"allow-dotted": "xml.*"}, ["IPS101"]),
        # no-from modules keep the whole-module form they ask for
        ("import numpy.linalg\n", {"no-from": "numpy"}, []),
        ("import a.b as c\n", {"no-from": "a"}, []),
        ("from ab import c\n", {"no-from": "a"}, []),
        ("from a.b import c\n", {"no-from": "a.b.c"}, []),
        ("from __future__ import annotations\n", {"no-from": "__future__"}, []),
        ("from . import json\n", {"no-from": "json"}, []),
        # useless aliases: exempt where they are the re-export idiom
        ("import a as a\n", {}, ["IPS104"]),
        ("from m import x as y\n", {}, []),
        ("import os as os\n", {}, ["IPS104"]),
        ("from __future__ import annotations as annotations\n", {}, []),
        # banned: module, member, parent from-import, more specific entry wins
        ("import six.moves.urllib\n", {"banned": "six.moves = no"}, ["IPS101", "IPS107"]),
        ("import six\n", {"banned": "six.moves = no"}, []),
        ("from six.moves import range, zip\n", {"banned": "six.moves = no"}, ["IPS107"]),
        ("from os import system, path\n", {"banned": "os.system = use subprocess"}, ["IPS107"]),
        ("from os import *\n", {"banned": "os = no"}, ["IPS107"]),
        ("import sixty\n", {"banned": "six = no"}, []),
        # relative policy
        ("from . import x\n", {"relative": "siblings"}, []),
        ("from .m import x\n", {"relative": "siblings"}, []),
        ("from .. import x\n", {"relative": "siblings"}, ["IPS108"]),
        ("from ...a.b import x\n", {"relative": "siblings"}, ["IPS108"]),
        ("from .m import x\n", {"relative": "never"}, ["IPS108"]),
        ("from m import x\n", {"relative": "never"}, []),
        ("from .. import x\n", {"relative": "allow"}, []),
        # star and future imports are left alone by the form rules
        ("from numpy import *\n", {}, []),
        ("from __future__ import annotations\n", {}, []),
    ],
)
def test_semantics(source: str, options: dict[str, str], expected: list[str]) -> None:
    assert codes(source, **options) == expected


@pytest.mark.parametrize("filename", ["pkg/__init__.py", "stubs/mod.pyi", "__init__.py"])
def test_reexport_idiom_is_not_a_useless_alias(filename: str) -> None:
    assert codes("from .m import x as x\nimport a as a\n", filename) == []


def test_relative_imports_resolve_against_the_package(tmp_path: Path) -> None:
    pkg = tmp_path / "top" / "sub"
    pkg.mkdir(parents=True)
    (tmp_path / "top" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    module = pkg / "mod.py"
    source = "from ..util import slug, tidy as t\nfrom . import sibling\nfrom ...too_high import x\n"
    found = lint(source, str(module), relative="siblings", banned="top.util.slug = use slugify")
    assert [f"{f.line} {f.code} {f.message}" for f in found] == [
        "1 IPS108 use an absolute import ('from top.util import slug, tidy as t') instead of 'from ..util import ...'",
        "1 IPS107 'top.util.slug' is banned: use slugify",
        "3 IPS108 use an absolute import instead of 'from ...too_high import ...'",
    ]


def test_relative_import_outside_a_package_is_not_guessed(tmp_path: Path) -> None:
    module = tmp_path / "script.py"
    found = lint("from .m import x\n", str(module), relative="never", banned="m = no")
    assert [f.code for f in found] == ["IPS108"]
    assert "('from" not in found[0].message


# -------------------------------------------------------------------- positions


def _positions(source: str, **options: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f.code) for f in lint(source, **options)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('x = "é"; import os.path\n', [(1, 16, "IPS101")]),
        ('s = "日本語"; import a.b as b\n', [(1, 18, "IPS102")]),
        ("if True:\n\timport os.path\n", [(2, 8, "IPS101")]),
        ("import a.b, c.d as e\n", [(1, 7, "IPS101"), (1, 12, "IPS103")]),
        (
            "from m import (\n    a,\n    b as b,\n    c as c,\n)\n",
            [(3, 4, "IPS104"), (4, 4, "IPS104")],
        ),
        ("import json, \\\n    numpy\n", [(2, 4, "IPS106")]),
        ("def f():\n    import os.path\n", [(2, 11, "IPS101")]),
    ],
)
def test_positions(source: str, expected: list[tuple[int, int, str]]) -> None:
    assert _positions(source) == expected


def test_position_after_bom() -> None:
    # flake8 strips the BOM from the first line before it hands the lines over
    source = "\ufeffimport os.path\n"
    lines = [source[1:]]
    import ast

    from flake8_importstyle.rules import check_tree

    found = check_tree(ast.parse(source[1:]), lines, "x.py", config_from({}))
    assert [(f.line, f.col) for f in found] == [(1, 7)]


BANS = "os.system = use subprocess.run\nfoo = A\nfoo.bar = B\nsix.moves = use the standard library"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a use through the module, an alias, a from-import; once per chain, at its start
        ('import os\nos.system("ls")\n', ["2:0 'os.system' is banned: use subprocess.run"]),
        ('import os as o\nf(o.system)\n', ["2:2 'os.system' is banned: use subprocess.run"]),
        ("import six\nsix.moves.range(3).x\n", ["2:0 'six.moves' is banned: use the standard library"]),
        (
            "import six.moves\nsix.moves.range\n",
            ["1:7 'six.moves' is banned: use the standard library", "2:0 'six.moves' is banned: use the standard library"],
        ),
        # the most specific entry gives the reason
        ("from foo import bar\n", ["1:16 'foo.bar' is banned: B"]),
        ("from foo import baz\n", ["1:0 'foo' is banned: A"]),
        ("import foo.bar\n", ["1:7 'foo.bar' is banned: B"]),
        # what is not a banned name: silence
        ("import os\nos.getcwd()\nos.system = 1\n", []),
        ('import os\n\ndef f(os):\n    os.system("x")\n', []),  # os is also a parameter: not trusted
        ("system('ls')\n", []),
    ],
)
def test_banned_names_are_reported_where_they_are_used(source: str, expected: list[str]) -> None:
    found = [f"{f.line}:{f.col} {f.message}" for f in lint(source, banned=BANS) if f.code == "IPS107"]
    assert found == expected


@pytest.mark.parametrize(
    ("source", "options", "expected"),
    [
        ("from typing import *\n", {"no_from": "typing"}, ["IPS105"]),  # the policy rules report stars
        ("from six.moves import *\n", {"banned": "six.moves = no"}, ["IPS107"]),
        ("from . import *\n", {"relative": "never"}, ["IPS108"]),
        ("from os.path import *\n", {}, []),  # the form rules leave them to pyflakes
        ("from numpy import *\n", {}, []),
    ],
)
def test_star_imports(source: str, options: dict[str, str], expected: list[str]) -> None:
    assert codes(source, **options) == expected
