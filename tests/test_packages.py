"""IPS401–IPS403 beyond the fixtures: messages, positions, local packages, options, and speed gates."""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flake8_importstyle import resolve
from flake8_importstyle.plugin import Plugin
from flake8_importstyle.rules import BY_CODE, DEFAULT_CODES, OFF_BY_DEFAULT, base, check_tree
from tests._hardening import parsed, stdlib_files
from tests.conftest import codes, config_from, lint

ALL = sorted(BY_CODE)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    resolve.clear_caches()
    yield
    resolve.clear_caches()


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def messages(source: str, filename: str = "example.py", extend_select: tuple[str, ...] = (), **options: str) -> list[str]:
    found = lint(source, filename, extend_select=extend_select, **options)
    return [f"{f.line}:{f.col} {f.code} {f.message}" for f in found]


def test_the_opt_in_rules_are_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tools").mkdir()
    assert OFF_BY_DEFAULT == ("IPS401", "IPS403", "IPS404")
    assert "IPS402" in DEFAULT_CODES and not DEFAULT_CODES & set(OFF_BY_DEFAULT)
    assert codes("from os.path import join\n", "tools/x.py") == []
    assert codes("from os.path import join\n", "tools/x.py", extend_select=["IPS401", "IPS403"]) == [
        "IPS401",
        "IPS403",
    ]


# ----------------------------------------------------------------------- IPS402

#: The issue's examples, against this interpreter's own stdlib.
ISSUE_EXAMPLE = """\
import xml, email, json, os, urllib
from http import client
xml.etree.ElementTree.parse("x")
email.utils.parseaddr("x")
json.decoder.JSONDecodeError
os.path.join("a")
http.client.HTTPConnection

from os import path
from os.path import join
from collections.abc import Mapping
"""


def test_the_issue_example() -> None:
    assert messages(ISSUE_EXAMPLE, extend_select=("IPS403",)) == [
        "3:0 IPS402 'xml.etree.ElementTree' is a submodule that this file never imports; it works only if "
        "something else imported it first; write 'import xml.etree.ElementTree as ET'",
        "4:0 IPS402 'email.utils' is a submodule that this file never imports; it works only if "
        "something else imported it first; write 'from email import utils'",
        "10:20 IPS403 'join' is not a module; write 'from os import path' and use 'path.join'",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the submodules of the issue, reached through their package
        ("import xml\nxml.etree.ElementTree.parse('x')\n", ["IPS402"]),
        ("import email\nemail.utils.parseaddr('x')\n", ["IPS402"]),
        ("import logging\nlogging.handlers.RotatingFileHandler\n", ["IPS402"]),
        ("import concurrent\nconcurrent.futures.ThreadPoolExecutor\n", ["IPS402"]),
        ("import urllib\nurllib.request.urlopen('x')\n", ["IPS402"]),
        ("import importlib\nimportlib.util.find_spec('x')\n", ["IPS402"]),
        ("import collections\ncollections.abc.Mapping\n", ["IPS402"]),
        # through an alias, or a from-imported package
        ("import importlib as il\nil.util.find_spec('x')\n", ["IPS402"]),
        ("from xml import etree\netree.ElementTree.parse('x')\n", ["IPS402"]),
        ("import xml.etree as et\net.ElementTree.parse('x')\n", ["IPS103", "IPS402"]),
        # the package binds it: os binds path, json imports .decoder (and .scanner through it)
        ("import os\nos.path.join('a')\n", []),
        ("import json\njson.decoder.JSONDecodeError\njson.scanner.make_scanner\n", []),
        ("import logging\nlogging.getLogger()\n", []),
        ("from concurrent import futures\nfutures.thread\n", []),  # a module __getattr__
        # this file imports it, in any form and any scope
        ("import email.utils\nemail.utils.parseaddr('x')\n", ["IPS101"]),
        ("import email\nfrom email import utils\nemail.utils.parseaddr('x')\n", []),
        ("import email\nfrom email.utils import formatdate\nemail.utils.parseaddr('x')\n", []),
        ("import email\ndef f():\n    import email.utils\nemail.utils.parseaddr('x')\n", ["IPS101"]),
        ("import email\nfrom email import *\nemail.utils.parseaddr('x')\n", []),
        ("import email, importlib\nimportlib.import_module('email.utils')\nemail.utils.x\n", []),
        # what the file imports loads it: email.mime.text imports email.message on the way
        ("import email.mime.text\nemail.message.Message\n", ["IPS101"]),
        # importing the deeper submodule is not enough for the next one down
        ("import xml.etree\nxml.etree.ElementTree.parse('x')\n", ["IPS101", "IPS402"]),
        ("import urllib.parse\nurllib.request.urlopen('x')\n", ["IPS101", "IPS402"]),
        # not a submodule: an attribute, a built-in or a plain module
        ("import email\nemail.message_from_string('x')\n", []),
        ("import sys\nsys.path.append('x')\n", []),
        ("import os\nos.environ.get('x')\n", []),
        # a name the file also binds otherwise is not trusted
        ("import email\ndef f(email):\n    return email.utils\n", []),
        ("import email\nemail = object()\nemail.utils\n", []),
        ("import email\nfrom . import email\nemail.utils\n", []),
        # text that only looks like a chain
        ("import email\n# email.utils is nice\nx = 'see email.utils'\n", []),
        ("import email\nclass A:\n    def f(self):\n        return self.email.utils\n", []),
        ("import email\nmy_email.utils\n", []),
        # code that never runs
        ("import email\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    x = email.utils\n", []),
        (
            "from __future__ import annotations\nimport email\n"
            "def f(m: email.message.Message) -> email.utils.X:\n    pass\n",
            [],
        ),
        ("import email\ndef f():\n    m: email.message.Message = g()\n", []),
        # ... and code that does
        ("import email\ndef f(m: email.message.Message):\n    pass\n", ["IPS402"]),
        ("import email\nclass A:\n    m: email.message.Message\n", ["IPS402"]),
        ("import email\n@email.utils.decorate\ndef f():\n    pass\n", ["IPS402"]),
        ("import email\nif TYPE_CHECKING:\n    pass\nelse:\n    email.utils.x\n", ["IPS402"]),
        # the file sets the attribute itself: what the chain reaches is its own doing
        ("import xml\nimport shim\nxml.etree = shim\nxml.etree.ElementTree.parse('x')\n", []),
        ("import email\nemail.utils: object = None\nemail.utils.x\n", []),
        ("import email\nimport shim\nsetattr(email, 'utils', shim)\nemail.utils.x\n", []),
        ("import email\ndef f():\n    email.utils = None\nemail.utils.x\n", []),
        ("import email\ndel email.utils\n", []),
        # ... but not by comparing it, nor by setting something else
        ("import email\nif email.utils == 1:\n    pass\n", ["IPS402"]),
        ("import email\nemail.other = 1\nemail.utils.x\n", ["IPS402"]),
        ("import email\nsetattr(email, 'other', 1)\nemail.utils.x\n", ["IPS402"]),
        ("import xml\nxml.etree.ElementTree = None\nxml.etree.x\n", ["IPS402"]),  # xml.etree is read
        # a module that cannot be found is never guessed at
        ("import no_such_package\nno_such_package.sub.run()\n", []),
    ],
)
def test_submodules(source: str, expected: list[str]) -> None:
    assert codes(source) == expected


def test_once_per_submodule_at_the_first_use_and_the_start_of_the_chain() -> None:
    source = "import email\n\nx = 1; y = email.utils.a()\nemail.utils.b()\nprint(email.message.Message)\n"
    assert [(f.line, f.col, f.message.split("'")[1]) for f in lint(source)] == [
        (3, 11, "email.utils"),
        (5, 6, "email.message"),
    ]


def test_the_deepest_submodule_a_chain_needs_is_named_once() -> None:
    source = "import xml\nprint(xml.etree.__name__)\nxml.etree.ElementTree.parse('a')\n"
    assert [(f.line, f.message.split("'")[1]) for f in lint(source)] == [(3, "xml.etree.ElementTree")]


def test_columns_count_characters() -> None:
    [finding] = lint("import email\ns = 'é'; email.utils.x\n")
    assert (finding.line, finding.col) == (2, 9)


@pytest.mark.parametrize(
    ("options", "replacement"),
    [
        ({}, "from email import utils"),
        ({"aliases": "email.utils=eu"}, "import email.utils as eu"),
        ({"no-from": "email"}, "import email.utils"),
        ({"allow-dotted": "email.*"}, "import email.utils"),
    ],
)
def test_the_suggested_import_follows_the_options(options: dict[str, str], replacement: str) -> None:
    [finding] = lint("import email\nemail.utils.parseaddr('x')\n", **options)
    assert finding.message.endswith(f"; write '{replacement}'")


def test_stubs_are_not_checked() -> None:
    assert codes("import email\nx = email.utils.parseaddr\n", "stubs/m.pyi") == []


# ------------------------------------------------------------ a local package


@pytest.mark.parametrize(
    ("init", "expected"),
    [
        ("", ["IPS402"]),
        (None, ["IPS402"]),  # no __init__.py: a namespace package binds nothing
        ("from . import sub\n", []),
        ("from .sub import run\n", []),
        ("import mypkg.sub\n", []),
        ("from mypkg import sub\n", []),
        ("from . import other\n", []),  # other.py imports sub
        ("sub = None\n", []),  # bound, to something else: not this rule's business
        ("def __getattr__(name):\n    pass\n", []),
        ("from .sub import *\n", []),
        ("def f(:\n", []),  # an __init__.py that does not parse: cannot tell
        ("def load():\n    from . import sub\n", ["IPS402"]),  # only when load() runs
        # loaded through import_module or __import__: a literal name says which module...
        ("import importlib\nimportlib.import_module('mypkg.sub')\n", []),
        ("from importlib import import_module\nimport_module('.sub', __package__)\n", []),
        ("__import__('mypkg.sub')\n", []),
        ("import importlib\nclass Plugins:\n    sub = importlib.import_module('mypkg.sub')\n", []),
        ("import importlib\nimportlib.import_module('json')\n", ["IPS402"]),
        # ... any other name may be this one: cannot tell
        ("import importlib\nimportlib.import_module('.sub', __name__)\n", []),
        ("import importlib\nfor name in ['sub']:\n    importlib.import_module(f'{__name__}.{name}')\n", []),
        ("def _load():\n    __import__('mypkg.' + 'sub')\n_load()\n", []),
        ("import importlib\n_ = [importlib.import_module(n) for n in NAMES]\n", []),
        # a function that nothing at the top level calls loads nothing on import
        ("import importlib\ndef load(name):\n    return importlib.import_module(name)\n", ["IPS402"]),
    ],
)
def test_a_local_package(tmp_path: Path, init: str | None, expected: list[str]) -> None:
    files = {"mypkg/sub.py": "def run():\n    pass\n", "mypkg/other.py": "from . import sub\n"}
    if init is not None:
        files["mypkg/__init__.py"] = init
    write(tmp_path, files)
    app = tmp_path / "app.py"
    assert codes("import mypkg\nmypkg.sub.run()\n", str(app)) == expected


def test_a_local_package_message(tmp_path: Path) -> None:
    write(tmp_path, {"mypkg/__init__.py": "", "mypkg/sub.py": "def run():\n    pass\n"})
    assert messages("import mypkg\nmypkg.sub.run()\n", str(tmp_path / "app.py")) == [
        "2:0 IPS402 'mypkg.sub' is a submodule that this file never imports; it works only if "
        "something else imported it first; write 'from mypkg import sub'",
    ]


def test_the_package_is_found_from_the_files_package_root(tmp_path: Path) -> None:
    # the linted file sits in its own package; its package root holds mypkg too
    write(
        tmp_path,
        {
            "src/mypkg/__init__.py": "",
            "src/mypkg/sub.py": "",
            "src/app/__init__.py": "",
            "src/app/main.py": "",
        },
    )
    assert codes("import mypkg\nmypkg.sub.x\n", str(tmp_path / "src" / "app" / "main.py")) == ["IPS402"]


def test_the_package_is_found_from_the_folder_flake8_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"mypkg/__init__.py": "", "mypkg/sub.py": "", "scripts/run.py": ""})
    monkeypatch.chdir(tmp_path)
    assert codes("import mypkg\nmypkg.sub.x\n", "scripts/run.py") == ["IPS402"]


def test_the_file_being_run_is_loaded(tmp_path: Path) -> None:
    write(tmp_path, {"mypkg/__init__.py": "", "mypkg/sub.py": ""})
    source = "import mypkg\nmypkg.sub.x\n"
    assert codes(source, str(tmp_path / "mypkg" / "sub.py")) == []


# ------------------------------------------------------- nothing is ever run


def test_linting_imports_and_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran.txt"
    trap = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\nraise SystemExit('ran')\n"
    write(
        tmp_path,
        {
            "boom/__init__.py": trap + "VALUE = 1\n",
            "boom/sub.py": trap + "def run():\n    pass\n",
            "boom/deep/__init__.py": trap,
            "boom/deep/leaf.py": trap,
        },
    )
    source = (
        "import boom\n"
        "from boom import VALUE, sub\n"
        "from boom.sub import run\n"
        "from boom.deep import leaf\n"
        "boom.deep.leaf.x()\n"
        "boom.sub.run()\n"
    )
    monkeypatch.setattr(Plugin, "codes", frozenset(BY_CODE))
    monkeypatch.setattr(Plugin, "config", config_from({}))
    before = set(sys.modules)
    checker = Plugin(ast.parse(source), source.splitlines(keepends=True), str(tmp_path / "boom" / "deep" / "x.py"))
    found = [text.split()[0] for _, _, text, _ in checker.run()]
    assert "IPS001" not in found
    assert "IPS403" in found  # the resolver did read the package: VALUE is not a module
    assert not marker.exists()
    assert not {m for m in set(sys.modules) - before if m == "boom" or m.startswith("boom.")}
    assert "boom" not in sys.modules


# ----------------------------------------------------------------------- IPS403


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from os import path\n", []),
        ("from os.path import join\n", ["IPS403"]),
        ("from os.path import join as j\n", ["IPS403"]),
        ("from json import decoder, dumps\n", ["IPS403"]),
        ("from xml.etree import ElementTree\n", ["IPS106"]),  # a module; IPS106 wants ET
        ("from collections.abc import Mapping\n", []),
        ("from typing import Any\n", []),
        ("from typing_extensions import Self\n", []),
        ("from __future__ import annotations\n", []),
        ("from sys import argv\n", ["IPS403"]),
        ("from sys import monitoring\n", []),
        ("from os import system\n", []),  # os takes it from a built-in star import: cannot place it
        ("from os.path import *\n", []),
        ("from no_such_package import thing\n", []),
        ("from . import thing\n", []),  # a relative import that cannot be resolved
        ("if TYPE_CHECKING:\n    from json import JSONDecoder\n", ["IPS403"]),
    ],
)
def test_modules_only(source: str, expected: list[str]) -> None:
    assert codes(source, extend_select=["IPS403"]) == expected


@pytest.mark.parametrize(
    ("source", "options", "message"),
    [
        ("from os.path import join\n", {}, "'join' is not a module; write 'from os import path' and use 'path.join'"),
        ("from json import dumps\n", {}, "'dumps' is not a module; write 'import json' and use 'json.dumps'"),
        ("from sys import argv\n", {}, "'argv' is not a module; write 'import sys' and use 'sys.argv'"),
        (
            "from json import dumps\n",
            {"aliases": "json=js"},
            "'dumps' is not a module; write 'import json as js' and use 'js.dumps'",
        ),
        (
            "from os.path import join\n",
            {"no-from": "os"},
            "'join' is not a module; write 'import os.path' and use 'os.path.join'",
        ),
    ],
)
def test_modules_only_messages(source: str, options: dict[str, str], message: str) -> None:
    found = [f.message for f in lint(source, extend_select=["IPS403"], **options) if f.code == "IPS403"]
    assert found == [message]


@pytest.mark.parametrize(
    ("names_ok", "expected"),
    [("", ["IPS403"]), ("json", []), ("js", ["IPS403"]), ("json.decoder", ["IPS403"]), ("xml, json", [])],
)
def test_names_ok(names_ok: str, expected: list[str]) -> None:
    assert codes("from json import dumps\n", extend_select=["IPS403"], names_ok=names_ok) == expected


def test_modules_only_relative_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core.py": "def run():\n    pass\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/deep.py": "X = 1\n",
        },
    )
    source = "from .core import run\nfrom . import core\nfrom .sub.deep import X\nfrom ... import beyond\n"
    found = [(f.line, f.message) for f in lint(source, str(tmp_path / "pkg" / "mod.py"), extend_select=["IPS403"])]
    assert found == [
        (1, "'run' is not a module; write 'from . import core' and use 'core.run'"),
        (3, "'X' is not a module; write 'from .sub import deep' and use 'deep.X'"),
    ]


# ----------------------------------------------------------------------- IPS401


def ips401(filename: str, source: str = "x = 1\n", **options: str) -> list[str]:
    return [f"{f.line}:{f.col} {f.message}" for f in lint(source, filename, extend_select=["IPS401"], **options)]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mod.py": "",
            "tools/report.py": "",
            "tools/nested/deeper.py": "",
            "docs/conf.py": "",
            "scripts/release.py": "",
            "examples/nested/demo.py": "",
            "tests/typing/helpers.py": "",
            "typing-examples/mypy.py": "",
            "setup.py": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_implicit_namespace_package(project: Path) -> None:
    assert ips401("tools/report.py") == [
        "1:0 'tools' has no __init__.py, so this file is part of an implicit namespace package: "
        "add 'tools/__init__.py', or list the folder in importstyle-namespace-packages"
    ]
    assert ips401(str(project / "tools" / "nested" / "deeper.py")) == [
        f"1:0 {os.path.join('tools', 'nested')!r} has no __init__.py, so this file is part of an implicit "
        f"namespace package: add {os.path.join('tools', 'nested', '__init__.py')!r}, or list the folder in "
        "importstyle-namespace-packages"
    ]


@pytest.mark.parametrize(
    ("filename", "options", "source"),
    [
        ("pkg/mod.py", {}, "x = 1\n"),  # the folder holds __init__.py
        ("setup.py", {}, "x = 1\n"),  # the folder flake8 runs in
        ("tools/report.pyi", {}, "x: int\n"),  # a stub
        ("tools/__init__.py", {}, "x = 1\n"),  # the file that makes the package
        ("tools/report.py", {}, "#!/usr/bin/env python3\nx = 1\n"),  # a script
        ("tools/report.py", {"namespace-packages": "tools"}, "x = 1\n"),
        ("tools/nested/deeper.py", {"namespace-packages": "tools"}, "x = 1\n"),  # below a listed folder
        ("tools/nested/deeper.py", {"namespace-packages": "./tools/nested/"}, "x = 1\n"),
        ("-", {}, "x = 1\n"),  # stdin
        ("stdin", {}, "x = 1\n"),
        # PEP 723: a script with its own metadata, run by path
        ("tools/report.py", {}, "# /// script\n# dependencies = []\n# ///\nx = 1\n"),
        ("tools/manage-app.py", {}, "x = 1\n"),  # no import statement can name it
        ("tools/2fa.py", {}, "x = 1\n"),
        ("nowhere/x.py", {}, "x = 1\n"),  # a display name whose folder does not exist: cannot tell
        ("tools/report.py", {}, "def main(): ...\nif __name__ == '__main__':\n    main()\n"),  # run by path
        ("tools/report.py", {}, "if '__main__' == __name__:\n    main()\n"),
        ("tools/test_report.py", {}, "x = 1\n"),  # pytest's
        ("tools/report_test.py", {}, "x = 1\n"),
        ("tools/conftest.py", {}, "x = 1\n"),
        ("docs/conf.py", {}, "project = 'x'\n"),  # Sphinx's
        ("scripts/release.py", {}, "x = 1\n"),
        ("examples/nested/demo.py", {}, "x = 1\n"),
        ("tests/typing/helpers.py", {}, "x = 1\n"),  # a test folder's module: pytest's, top level
        ("typing-examples/mypy.py", {}, "x = 1\n"),  # no package can be called that
    ],
)
def test_not_an_implicit_namespace_package(
    project: Path, filename: str, options: dict[str, str], source: str
) -> None:
    assert ips401(filename, source, **options) == []


def test_a_pep723_marker_must_open_a_line(project: Path) -> None:
    assert len(ips401("tools/report.py", 'x = "# /// script"\n')) == 1


def test_a_main_guard_counts_at_the_top_level_only(project: Path) -> None:
    assert len(ips401("tools/report.py", "def f():\n    if __name__ == '__main__':\n        pass\n")) == 1
    assert len(ips401("tools/report.py", "if __name__ != '__main__':\n    pass\n")) == 1
    assert len(ips401("tools/contest.py")) == 1  # not conftest.py


def test_a_listed_folder_is_not_a_prefix(project: Path) -> None:
    assert len(ips401("tools/report.py", namespace_packages="tool")) == 1
    assert len(ips401("tools/report.py", namespace_packages="tools/nested")) == 1


def test_a_folder_outside_the_one_flake8_runs_in_is_shown_whole(tmp_path: Path) -> None:
    write(tmp_path, {"elsewhere/mod.py": ""})
    [message] = ips401(str(tmp_path / "elsewhere" / "mod.py"))
    assert f"{str(tmp_path / 'elsewhere')!r} has no __init__.py" in message


# ------------------------------------------------------------------- speed gates


def test_files_without_package_chains_skip_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_walk(*args: object) -> None:
        raise AssertionError("walked a file that cannot hold an IPS402 finding")

    source = "import os, json, email\n\ndef f():\n    return json.dumps(os.path.sep), email.message_from_string\n"
    with monkeypatch.context() as patch:
        patch.setattr(base, "nodes_on_lines", no_walk)
        patch.setattr(base, "bound_names", no_walk)
        patch.setattr(ast, "walk", no_walk)
        found = codes(source)
    assert found == []


def test_a_chain_that_is_surely_a_finding_walks_only_its_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_walk(*args: object) -> None:
        raise AssertionError("walked the whole file")

    with monkeypatch.context() as patch:
        patch.setattr(base, "bound_names", no_walk)
        found = codes("import email\n\n\ndef f():\n    return email.utils.parseaddr('x')\n")
    assert found == ["IPS402"]


def test_the_resolver_is_asked_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import machinery

    calls: list[object] = []
    real = machinery.PathFinder.find_spec

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(machinery.PathFinder, "find_spec", counted)
    source = "import email\nemail.utils.parseaddr('x')\n"
    assert codes(source) == ["IPS402"]
    first = len(calls)
    assert first > 0
    for _ in range(3):
        assert codes(source) == ["IPS402"]
    assert len(calls) == first


def test_the_opt_in_rules_are_not_run_unless_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_importstyle.rules.packages import ImplicitNamespacePackage, ModulesOnly

    def never(*args: object) -> None:
        raise AssertionError("an opt-in rule ran")

    monkeypatch.setattr(ImplicitNamespacePackage, "check", never)
    monkeypatch.setattr(ModulesOnly, "check", never)
    source = "from os.path import join\n"
    assert check_tree(ast.parse(source), [source], "tools/x.py", config_from({})) == []


# ----------------------------------------------------------------------- options


def test_the_new_options() -> None:
    from flake8_importstyle.config import Config

    config = Config.from_mapping({"namespace-packages": ["src/plugins", " scripts "], "names-ok": "dataclasses,\n a.b"})
    assert config.namespace_packages == ("src/plugins", "scripts")
    assert config.names_ok == ("dataclasses", "a.b")
    assert Config.from_options() == Config()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"namespace_packages": "src, tools/*"},
            "importstyle-namespace-packages: 'tools/*' is a pattern, not a folder "
            "(a folder covers the folders below it)",
        ),
        ({"namespace_packages": ["a?"]}, "importstyle-namespace-packages: 'a?' is a pattern, not a folder "
         "(a folder covers the folders below it)"),
        ({"names_ok": ["typing.*"]}, "importstyle-names-ok: 'typing.*' is not a dotted module name"),
        ({"names_ok": "1bad"}, "importstyle-names-ok: '1bad' is not a dotted module name"),
    ],
)
def test_bad_values_of_the_new_options(options: dict[str, object], message: str) -> None:
    from flake8_importstyle.config import Config, ConfigError

    with pytest.raises(ConfigError) as info:
        Config.from_options(**options)  # type: ignore[arg-type]
    assert str(info.value) == f"flake8-importstyle: {message}"


def test_a_chain_stops_where_the_package_binds_the_name_to_something_else(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mypkg/__init__.py": "from .main import main\n",  # as unittest/__init__.py does
            "mypkg/main/__init__.py": "def main():\n    pass\n",
            "mypkg/main/inner.py": "",
        },
    )
    assert codes("import mypkg\nmypkg.main.inner\n", str(tmp_path / "app.py")) == []


# ------------------------------------------------------------ the flake8 adapter


def _flake8_options(**values: object) -> object:
    import argparse

    defaults: dict[str, object] = {
        "select": None,
        "extend_select": None,
        "ignore": None,
        "extend_ignore": None,
        "extended_default_select": ["C90", "F", "E", "W", "IPS"],
        "extended_default_ignore": list(OFF_BY_DEFAULT),
    }
    return argparse.Namespace(**{**defaults, **values})


@pytest.mark.parametrize(
    ("values", "on", "off"),
    [
        ({}, {"IPS101", "IPS402"}, {"IPS401", "IPS403"}),
        ({"extend_select": ["IPS401"]}, {"IPS401", "IPS402"}, {"IPS403"}),
        ({"extend_select": ["IPS4"]}, {"IPS401", "IPS402", "IPS403"}, set()),
        ({"select": ["IPS"]}, {"IPS101", "IPS402"}, {"IPS401", "IPS403"}),  # the prefix alone: not opt-in codes
        ({"select": ["E", "F", "W"], "extend_select": ["IPS"]}, {"IPS402"}, {"IPS401", "IPS403"}),
        ({"select": ["IPS403"]}, {"IPS403"}, {"IPS101", "IPS402", "IPS401"}),
        ({"extend_ignore": ["IPS402"]}, {"IPS101"}, {"IPS402", "IPS401"}),
        ({"select": ["E"]}, set(), set(BY_CODE)),
    ],
)
def test_selected_codes(values: dict[str, object], on: set[str], off: set[str]) -> None:
    from flake8_importstyle.plugin import selected_codes

    codes_run = selected_codes(_flake8_options(**values))  # type: ignore[arg-type]
    assert codes_run is not None
    assert on <= codes_run
    assert not off & codes_run


def test_options_not_from_flake8_run_the_default_rules() -> None:
    import argparse

    from flake8_importstyle.plugin import selected_codes

    assert selected_codes(argparse.Namespace()) is None


@pytest.mark.slow
def test_the_whole_stdlib_with_every_code_and_no_internal_error() -> None:
    plugin_codes = Plugin.codes
    Plugin.codes = frozenset(BY_CODE)
    try:
        counts: dict[str, int] = {}
        files = 0
        for path, tree, lines in parsed(stdlib_files()):
            checker = Plugin(tree, lines, str(path))
            for _, _, text, _ in checker.run():
                code = text.split()[0]
                assert code != "IPS001", (path, text)
                counts[code] = counts.get(code, 0) + 1
            files += 1
    finally:
        Plugin.codes = plugin_codes
    assert files > 1000
    # IPS401 ran too: the stdlib's folders without __init__.py are test data, which it leaves
    assert counts.get("IPS402", 0) >= 5 and counts.get("IPS403", 0) > 1000


@pytest.mark.parametrize(
    ("filename", "source", "expected"),
    [
        ("pkg/__init__.py", "from json import dumps as dumps\n", []),  # the explicit re-export idiom
        ("pkg/types.pyi", "from json import dumps as dumps\n", []),  # a stub's re-export
        ("pkg/__init__.py", "from json import dumps\n__all__ = ['dumps']\n", []),
        ("pkg/__init__.py", "from json import dumps, loads\n__all__: list[str] = []\n__all__ += ('loads',)\n",
         ["'dumps' is not a module"]),
        ("pkg/__init__.py", "from json import dumps\n", ["'dumps' is not a module"]),  # no sign of an export
        ("pkg/mod.py", "from json import dumps as dumps\n__all__ = ['dumps']\n", ["'dumps' is not a module"]),
        # __all__ lists the name the import binds, not the imported one
        ("pkg/__init__.py", "from json import dumps as d\n__all__ = ['dumps']\n", ["'dumps' is not a module"]),
    ],
)
def test_re_exports_are_not_modules_only_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filename: str, source: str, expected: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    found = [f.message.partition(";")[0] for f in lint(source, filename, extend_select=["IPS403"]) if f.code == "IPS403"]
    assert found == expected
