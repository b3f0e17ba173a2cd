"""The fixer: every documented rewrite, the issue's examples, and the safety checks."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import util

import pytest

from flake8_importstyle.config import Config
from flake8_importstyle.docs import fixable
from flake8_importstyle.fix import FIXABLE, FixError, fix_bytes, prefix_selector
from flake8_importstyle.rules import RULES, Rule
from tests.conftest import codes, config_from


def fix(
    source: str | bytes,
    filename: str = "example.py",
    opt_in: tuple[str, ...] = (),
    unsafe: bool = False,
    **options: str,
):
    data = source.encode() if isinstance(source, str) else source
    return fix_bytes(data, filename, config_from(options), opt_in=opt_in, unsafe=unsafe)


def fixed(
    source: str, opt_in: tuple[str, ...] = (), filename: str = "example.py", unsafe: bool = False, **options: str
) -> str:
    result = fix(source, filename, opt_in=opt_in, unsafe=unsafe, **options)
    again = fix_bytes(result.data, filename, config_from(options), opt_in=opt_in, unsafe=unsafe)
    assert again.data == result.data, "a second run changed the file"
    compile(result.data, "fixed.py", "exec")
    return result.data.decode()


FIX_EXAMPLES = [
    pytest.param(rule, i, id=f"{rule.code}-{i}")
    for rule in RULES
    for i, example in enumerate(rule.examples)
    if example.fixed is not None
]


@pytest.mark.parametrize(("rule", "index"), FIX_EXAMPLES)
def test_documented_fix(rule: type[Rule], index: int, tmp_path, monkeypatch) -> None:
    example = rule.examples[index]
    opt_in = (rule.code,) if rule.default == "off" else ()  # an opt-in code is fixed where it is selected
    # an example in a package's file is fixed where its folders are packages
    monkeypatch.chdir(tmp_path)
    folder = tmp_path
    for part in example.filename.split("/")[:-1]:
        folder /= part
        folder.mkdir(exist_ok=True)
        (folder / "__init__.py").write_text("")
    unsafe = rule.fix == "unsafe"
    assert fixed(example.bad, opt_in, example.filename, unsafe, **example.options) == example.fixed
    if unsafe:  # without --unsafe-fixes, the file is left
        assert fix(example.bad, example.filename, opt_in).data.decode() == example.bad
    assert rule.code not in codes(example.fixed or "", example.filename, extend_select=opt_in, **example.options)


def test_the_fixable_codes_are_the_documented_ones() -> None:
    assert {rule.code for rule in RULES if fixable(rule)} == set(FIXABLE)


# The fixer issue's examples, verbatim.
@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            'import os.path\nprint(os.path.join("a", "b"))\n',
            'from os import path\nprint(path.join("a", "b"))\n',
        ),
        (
            "import os.path\nprint(os.getcwd(), os.path.sep)\n",
            "import os\nfrom os import path\nprint(os.getcwd(), path.sep)\n",
        ),
        (
            'import os.path\npath = "/tmp"\nprint(os.path.join(path, "x"))\n',
            'from os import path as os_path\npath = "/tmp"\nprint(os_path.join(path, "x"))\n',
        ),
        ("import os.path  # noqa: IPS101\n", "import os.path  # noqa: IPS101\n"),
    ],
)
def test_issue_examples(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # a multi-alias statement is split only where it must be, comments stay
        (
            "import json, os.path  # keep\nos.path.sep\n",
            "import json  # keep\nfrom os import path\npath.sep\n",
        ),
        (
            "# header\nimport a.b.c as c, x  # trailing\n",
            "# header\nfrom a.b import c  # trailing\nimport x\n",
        ),
        # every module is still imported in the original order
        (
            "import a.b as x, c.d as y, e, f.g as z\n",
            "from a import b as x\nfrom c import d as y\nimport e\nfrom f import g as z\n",
        ),
        (
            "from matplotlib import cm, pyplot, colors\npyplot.plot(cm, colors)\n",
            "from matplotlib import cm\nimport matplotlib.pyplot as plt\nfrom matplotlib import colors\n"
            "plt.plot(cm, colors)\n",
        ),
        ("x = 1; import a.b as b\n", "x = 1; from a import b\n"),
        (
            "from m import (\n    a as a,  # first\n    b as b,\n)\n",
            "from m import (\n    a,  # first\n    b,\n)\n",
        ),
        # usages in every scope, and chains that go deeper
        (
            "import os.path\n\n\ndef f():\n    class C:\n        x = os.path.join\n    return lambda: os.path.sep\n",
            "from os import path\n\n\ndef f():\n    class C:\n        x = path.join\n    return lambda: path.sep\n",
        ),
        # another import of the root keeps it bound
        ("import os\nimport os.path\nos.path.join(os.sep)\n", "import os\nos.path.join(os.sep)\n"),
        # inside an indented block
        ("if True:\n    import os.path\n    os.path.sep\n", "if True:\n    from os import path\n    path.sep\n"),
        # IPS106: dotted convention, from-import convention split out of a list
        ("import matplotlib.pyplot\nmatplotlib.pyplot.plot()\n", "import matplotlib.pyplot as plt\nplt.plot()\n"),
        (
            "from matplotlib import pyplot, cm\npyplot.plot(cm)\n",
            "import matplotlib.pyplot as plt\nfrom matplotlib import cm\nplt.plot(cm)\n",
        ),
        ("import numpy as numeric\nnumeric.zeros(1)\nf(numeric=2)\n", "import numpy as np\nnp.zeros(1)\nf(numeric=2)\n"),
        # IPS201: the quote style is kept, and importlib is reused when already there
        (
            "import importlib\nm = __import__('json')\n",
            "import importlib\nm = importlib.import_module('json')\n",
        ),
        (
            "m = __import__('a.b', fromlist=[''])\n",
            "import importlib\n\nm = importlib.import_module('a.b')\n",
        ),
        (
            "from __future__ import annotations\nm = __import__('a')\n",
            "from __future__ import annotations\n\nimport importlib\n\nm = importlib.import_module('a')\n",
        ),
        # the most common shape: an attribute of the result, in calls, nested, in a function
        (
            "import sys\nprint(__import__('json').dumps(1), __import__('sys').argv)\n",
            "import importlib\nimport sys\nprint(importlib.import_module('json').dumps(1),"
            " importlib.import_module('sys').argv)\n",
        ),
        (
            "import os\n\n\ndef f():\n    return __import__('json').loads('1')\n",
            "import importlib\nimport os\n\n\ndef f():\n    return importlib.import_module('json').loads('1')\n",
        ),
        # a chain through the whole dotted name loses the names import_module already went through
        (
            "import os\nx = __import__('xml.dom.minidom').dom.minidom.parseString\n",
            "import importlib\nimport os\nx = importlib.import_module('xml.dom.minidom').parseString\n",
        ),
        # `import importlib.util` at the top binds importlib: nothing is added
        (
            "import importlib.util  # noqa: IPS101\nx = __import__('json').dumps(importlib.util)\n",
            "import importlib.util  # noqa: IPS101\nx = importlib.import_module('json').dumps(importlib.util)\n",
        ),
        # IPS205: imp goes when importlib is already imported
        (
            "import importlib\nimport imp, json\nimp.reload(json)\n",
            "import importlib\nimport json\nimportlib.reload(json)\n",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import os.path\nos = None\nos.path.sep\n", "'os.path' at line 3 reads the name bound at line 2, not this import"),
        ("import os.path\ndel os\n", "nothing reads 'os.path': the import is there for its side effect, and a rewrite would leave a name that looks unused"),
        ("import os.path\nimport posix as os\nos.path.sep\n", "'os.path' at line 3 reads the import at line 2, not this import"),
        ("import os.path\npath = 1\nos_path = 2\nos.path.sep\n", "'path' and 'os_path' are both taken in this file"),
        ("import os.path\nfrom x import *\nos.path.sep\n", "'os' at line 3 may come from the star import at line 2"),
        (
            "import os.path\neval('os.path.sep')\nos.path.sep\n",
            "line 2 calls eval(), which can read the names this rewrite changes by their strings",
        ),
        ("import os.path\n__all__ = ['os']\nos.path.sep\n", "'os' is listed in __all__"),
        (
            "import os.path\ndef f(p: 'os.path.PathLike'): return os.path.sep\n",
            "'os' is read by the string annotation at line 2, which a rewrite would not update",
        ),
        ("import os.path\nos.path = 1\n", "'os.path' is assigned to or deleted at line 2"),
        ("import numpy\nnp = 1\nnumpy.zeros\n", "'np' is already bound or used in this file"),
        ("import numpy\nprint(np)\n", "'np' is already bound or used in this file"),
        ("x = __import__('a.b')\n", "the result is the top-level package 'a'; import_module returns 'a.b'"),
        ("x = __import__(name)\n", "the module name is not a plain string literal"),
        ("x = __import__('a', fromlist=['sub'])\n", "__import__ also imports a.sub if it is a submodule; import_module does not"),
        ("x = __import__('a', globals(), None, [], 1)\n", "a relative import (level is not 0)"),
        ("importlib = 1\nx = __import__('a')\n", "'importlib' is bound to something else in this file"),
        (
            "import os\nif os.name:\n    import importlib\nx = __import__('json').dumps(1)\n",
            "'importlib' is imported at line 3, not in the imports at the top of the file: another"
            " 'import importlib' would bind it twice",
        ),
        ("x = __import__('json', fromlist=['*'])\n", "__import__ with fromlist ['*'] also imports the submodules json.__all__ names"),
        ("import imp\nimp.load_source('m', 'p')\n", "the file uses imp for more than imp.reload() (line 2)"),
        ("import imp\n", "no imp.reload() call to rewrite"),
        # the traps of the fixer-safety issue: where an import binds, not only what
        (
            "import os\ndef f():\n    return os.path.sep\nimport os.path\nprint(f())\n",
            "'os' at line 3 may come from the import at line 1",
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os.path\nimport os\nprint(os.path.sep)\n",
            "'os.path' at line 5 reads the import at line 4, not this import",
        ),
        ("print(os.path.sep)\nimport os.path\n", "'os.path' at line 1 is read before the import at line 2 runs"),
        (
            "def f():\n    return os.path.sep\nf()\nimport os.path\n",
            "'os' at line 2 may be read when the import at line 4 has not run",
        ),
        (
            "try:\n    import a.b\nexcept ModuleNotFoundError:\n    pass\nelse:\n    print(a.b.c)\n",
            "the handler at line 3 could tell the exception of a failed import"
            " (ModuleNotFoundError or ImportError, and its message) apart",
        ),
        ("x = __import__('a\"b')\n", "'a\"b' is not a dotted module name"),
        ("x = __import__('a\\n')\n", "'a\\n' is not a dotted module name"),
        ("x = __import__('a\\\\')\n", "'a\\\\' is not a dotted module name"),
        (
            "import xml.dom.minidom\nfrom xml import dom\nprint(dom.minidom.parseString('<a/>'))\n",
            "nothing reads 'xml.dom.minidom': the import is there for its side effect, and a rewrite would"
            " leave a name that looks unused",
        ),
        (  # `import os` runs in another run of imports, so `import os.path` is not dropped
            "import os\nif True:\n    import os.path\n    print(os.path.sep)\n",
            "the rewrite would leave 'os' imported but unused (pyflakes)",
        ),
    ],
)
def test_refusals_say_why_and_change_nothing(source: str, reason: str) -> None:
    result = fix(source)
    assert not result.changed and result.data == source.encode()
    assert reason in [why for _, _, _, why in result.skipped], result.skipped


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from matplotlib import (\n    cm,  # c1\n    pyplot,  # c2\n    colors,  # c3\n)\npyplot.plot(cm, colors)\n",
            "from matplotlib import (\n    cm,  # c1\n)\nimport matplotlib.pyplot as plt  # c2\n"
            "from matplotlib import (\n    colors,  # c3\n)\nplt.plot(cm, colors)\n",
            id="one-name-a-line",
        ),
        pytest.param(
            "from matplotlib import (\n    cm,\n    colors,\n    pyplot\n)  # end\npyplot.plot(cm, colors)\n",
            "from matplotlib import (\n    cm,\n    colors,\n)  # end\nimport matplotlib.pyplot as plt\nplt.plot(cm, colors)\n",
            id="the-last-name",
        ),
        pytest.param(
            "from matplotlib import (cm, pyplot, colors)  # end\npyplot.plot(cm, colors)\n",
            "from matplotlib import (cm)\nimport matplotlib.pyplot as plt\nfrom matplotlib import (colors)  # end\n"
            "plt.plot(cm, colors)\n",
            id="one-line",
        ),
        pytest.param(
            "from matplotlib import (  # the plots\n    pyplot,  # noqa: F401\n)\n",
            "import matplotlib.pyplot as plt  # the plots  # noqa: F401\n",
            id="alone-in-parentheses",
        ),
        pytest.param(
            "import imp, json  # legacy\nimport importlib\nimp.reload(json)\n",
            "import json  # legacy\nimport importlib\nimportlib.reload(json)\n",
            id="dropped-alias",
        ),
    ],
)
def test_comments_in_a_split_statement_are_kept_once_each(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("source", "options", "encoding", "reason"),
    [
        # the config refuses a keyword alias; the fixer still guards a Config built without it
        ("import numpy\nnumpy.zeros\n", {"numpy": "class"}, "utf-8", "'class' is not a name Python accepts"),
        (
            "# -*- coding: latin-1 -*-\nimport numpy\nnumpy.zeros\n",
            {"numpy": "\u03c0"},
            "latin-1",
            "'\u03c0' cannot be written in this file's encoding (iso-8859-1)",
        ),
    ],
)
def test_a_name_that_cannot_be_written_is_not_fixed_and_says_why(
    source: str, options: dict[str, str], encoding: str, reason: str
) -> None:
    from types import MappingProxyType

    config = Config()._replace(aliases=MappingProxyType({**Config().aliases, **options}))
    result = fix_bytes(source.encode(encoding), "example.py", config)
    assert not result.changed
    assert [why for *_, why in result.skipped] == [reason]


def test_more_findings_in_one_statement_than_any_round_limit_are_all_fixed() -> None:
    names = [f"p{i}.q{i} as q{i}" for i in range(60)]
    source = f"import {', '.join(names)}\nprint({', '.join(f'q{i}' for i in range(60))})\n"
    after = fixed(source)
    assert after.splitlines()[:60] == [f"from p{i} import q{i}" for i in range(60)]


def test_noqa_covers_every_line_of_a_continued_statement() -> None:
    """flake8 reads a backslash-continued line's ``# noqa`` for all its lines, and so does the fixer."""
    source = "import os.path, \\\n    json.decoder  # noqa: IPS101\nprint(os.path.sep, json.decoder)\n"
    assert fixed(source) == source


def test_a_plain_string_naming_a_module_blocks_nothing() -> None:
    """Only string annotations are read as code: a version lookup's argument is a string."""
    source = "import os.path\nx = importlib.metadata.version('os.path')\nprint(os.path.sep, x)\n"
    assert fixed(source) == "from os import path\nx = importlib.metadata.version('os.path')\nprint(path.sep, x)\n"


def test_reasons_and_places_are_those_of_the_file_on_disk() -> None:
    """After a split adds lines above it, a finding left alone is still reported at its line
    in the original file, and its reason names the original's lines."""
    source = "import json.decoder as decoder, xml.dom as dom\nimport os.path\nos = None\nos.path.sep\nprint(decoder, dom)\n"
    result = fix(source)
    assert result.data.startswith(b"from json import decoder\nfrom xml import dom\nimport os.path\n")
    assert result.skipped == [(2, 8, "IPS101", "'os.path' at line 4 reads the name bound at line 3, not this import")]


def test_only_the_unsafe_finding_is_left() -> None:
    result = fix("import os.path\nimport xml.dom\nxml = 1\nos.path.sep\n")
    # the from-import goes after the plain import, where isort puts it
    assert result.data == b"import xml.dom\nfrom os import path\nxml = 1\npath.sep\n"
    assert [(line, col, code) for line, col, code, _ in result.skipped] == [(2, 8, "IPS101")]


@pytest.mark.parametrize("separator", ["\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"])
def test_lines_are_counted_as_python_counts_them(separator: str) -> None:
    """str.splitlines also splits at form feeds and other separators: a `# noqa`
    after one must still be read on the flagged line, not its neighbour."""
    head = f"import os\n# {separator}\n" if separator != "\r" else "import os\r"
    source = head + "import os.path  # noqa\nimport json.decoder\nprint(os.path.sep, json.decoder)\n"
    assert fixed(source) == head + (
        "import os.path  # noqa\nfrom json import decoder\nprint(os.path.sep, decoder)\n"
    )


def test_select_and_ignore_prefixes() -> None:
    selected = prefix_selector(("IPS",), ("IPS1",))
    assert not selected("IPS101") and selected("IPS201")
    selected = prefix_selector(("IPS101",), ())
    assert selected("IPS101") and not selected("IPS102")
    source = b"import os.path\nimport json as json\n"
    result = fix_bytes(source, "x.py", Config(), prefix_selector(("IPS104",), ()))
    assert result.data == b"import os.path\nimport json\n"


# ----------------------------------------------------------- bytes survive


def test_crlf_newlines_are_kept() -> None:
    result = fix(b"import os.path\r\nprint(os.getcwd(), os.path.sep)\r\n")
    assert result.data == b"import os\r\nfrom os import path\r\nprint(os.getcwd(), path.sep)\r\n"


def test_latin1_with_a_coding_cookie() -> None:
    source = "# -*- coding: latin-1 -*-\nimport os.path\ns = 'caf\xe9'\nos.path.sep\n".encode("latin-1")
    result = fix(source)
    assert result.data == "# -*- coding: latin-1 -*-\nfrom os import path\ns = 'caf\xe9'\npath.sep\n".encode("latin-1")


def test_utf8_bom_is_kept() -> None:
    result = fix("\ufeffimport os.path\nx = 'é'\nos.path.sep\n".encode())
    assert result.data == "\ufefffrom os import path\nx = 'é'\npath.sep\n".encode()


def test_files_that_do_not_parse_or_decode_are_errors() -> None:
    with pytest.raises(FixError, match="does not parse"):
        fix("import os.path\ndef f(:\n")
    with pytest.raises(FixError, match="cannot decode"):
        fix(b"# coding: utf-8\nx = '\xff'\n")
    with pytest.raises(FixError, match="does not parse"):
        fix(b"import os.path\x00\n")


def test_a_file_libcst_does_not_reproduce_is_left_alone() -> None:
    # libcst 1.9 drops the space in `except OSError :`
    source = "import os.path\ntry:\n    pass\nexcept OSError :\n    pass\nos.path.sep\n"
    result = fix(source)
    if result.changed:  # a libcst that round-trips this file may fix it
        assert result.data == source.replace("import os.path", "from os import path").replace("os.path.sep", "path.sep").encode()
    else:
        assert [why for *_, why in result.skipped] == ["libcst does not reproduce this file byte for byte"]


def test_nothing_fixable_means_no_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "libcst", None)  # importing it would now fail
    result = fix("import json\nfrom os import path\n__import__\n")
    assert not result.changed and result.skipped == []


def test_fixed_code_equals_the_original_ast_under_the_renames() -> None:
    before = "import os.path\n\ndef f(x):\n    return os.path.join(x, os.path.sep)\n"
    after = fixed(before)
    expected = ast.dump(ast.parse(before.replace("os.path.", "path.").replace("import os.path", "from os import path")))
    assert ast.dump(ast.parse(after)) == expected


# ------------------------------------------------------ IPS206: pipes.quote is shlex.quote

PIPES_REWRITES = [
    (
        "import pipes\nprint(pipes.quote('a b'), pipes.quote(\"it's\"))\n",
        "import shlex\nprint(shlex.quote('a b'), shlex.quote(\"it's\"))\n",
    ),
    ("from pipes import quote\nprint(quote('a b'))\n", "from shlex import quote\nprint(quote('a b'))\n"),
    ("from pipes import quote as q\nprint(q('a b'))\n", "from shlex import quote as q\nprint(q('a b'))\n"),
    (
        "import shlex\nimport pipes\nprint(pipes.quote('x y'), shlex.split('a b'))\n",
        "import shlex\nprint(shlex.quote('x y'), shlex.split('a b'))\n",
    ),
]


@pytest.mark.parametrize(("before", "after"), PIPES_REWRITES)
def test_pipes_quote_becomes_shlex_quote(before: str, after: str, tmp_path) -> None:
    assert fixed(before, target_python="3.11") == after
    assert fixed(before, target_python="3.10") == before  # not deprecated yet: no finding, no fix
    if sys.version_info < (3, 13):  # where pipes still exists, both print the same
        outputs = []
        for name, text in (("before.py", before), ("after.py", after)):
            (tmp_path / name).write_text(text, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, "-I", name], cwd=tmp_path, capture_output=True, text=True, check=True
            )
            outputs.append(proc.stdout)
        assert outputs[0] == outputs[1] and outputs[0].strip()


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "import pipes\nt = pipes.Template()\nprint(pipes.quote('a'))\n",
            "the file uses pipes for more than pipes.quote() (line 2)",
        ),
        (
            "import pipes as p\nprint(p.quote('a'))\n",
            "only 'import pipes' with pipes.quote() calls is rewritten",
        ),
        ("from pipes import quote, Template\n", "only 'from pipes import quote' is rewritten"),
        (
            "import pipes\nshlex = 1\nprint(pipes.quote('a'), shlex)\n",
            "'shlex' is bound to something else in this file",
        ),
        (
            "import pipes\nprint(pipes.quote('a'))\nimport shlex\n",
            "'shlex' is imported further down, not at the top of the file",
        ),
        ("import telnetlib\n", "telnetlib has no drop-in replacement the fixer knows"),
    ],
)
def test_pipes_is_left_where_the_rewrite_is_not_a_drop_in(source: str, reason: str) -> None:
    result = fix(source, target_python="3.13")
    assert result.data.decode() == source
    assert reason in [why for *_, why in result.skipped], result.skipped


# ------------------------------------- IPS207: get_distribution(name).version, where caught

VERSION_TRY = """\
import pkg_resources

try:
    found = pkg_resources.get_distribution({name}).version
except {handler}:
    found = None
try:
    missing = pkg_resources.get_distribution("no-such-distribution-here").version
except {handler}:
    missing = None
print(found is not None, missing)
"""
VERSION_TRY_FIXED = """\
from importlib import metadata

try:
    found = metadata.version({name})
except {handler}:
    found = None
try:
    missing = metadata.version("no-such-distribution-here")
except {handler}:
    missing = None
print(found is not None, missing)
"""


@pytest.mark.parametrize(
    ("name", "handler", "new_handler"),
    [
        ('"pytest"', "pkg_resources.DistributionNotFound", "metadata.PackageNotFoundError"),
        ('"pytest"', "Exception", "Exception"),
        ('"no-such-distribution"', "pkg_resources.DistributionNotFound", "metadata.PackageNotFoundError"),
    ],
)
def test_distribution_version_becomes_importlib_metadata(
    name: str, handler: str, new_handler: str, tmp_path
) -> None:
    before = VERSION_TRY.format(name=name, handler=handler)
    after = VERSION_TRY_FIXED.format(name=name, handler=new_handler)
    assert fixed(before) == after
    if util.find_spec("pkg_resources") is not None:  # where setuptools still has it
        outputs = []
        for file, text in (("before.py", before), ("after.py", after)):
            (tmp_path / file).write_text(text, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, "-W", "ignore", file], cwd=tmp_path, capture_output=True, text=True
            )
            outputs.append((proc.returncode, proc.stdout))
        assert outputs[0] == outputs[1], outputs


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            'import pkg_resources\nv = pkg_resources.get_distribution("x").version\n',
            "line 2: a missing distribution raises DistributionNotFound before the rewrite and PackageNotFoundError"
            " (an ImportError) after it, so only a get_distribution(name).version inside try/except"
            " DistributionNotFound is rewritten",
        ),
        (
            VERSION_TRY.format(name='"x>=1"', handler="pkg_resources.DistributionNotFound"),
            "line 4: get_distribution() may be given a requirement, not a distribution's name",
        ),
        (
            # __name__ is "__main__" in a script, which pkg_resources refuses as a requirement
            VERSION_TRY.format(name="__name__", handler="pkg_resources.DistributionNotFound"),
            "line 4: get_distribution() may be given a requirement, not a distribution's name",
        ),
        (
            VERSION_TRY.format(name='"x"', handler="pkg_resources.DistributionNotFound as e"),
            "the handler at line 5 reads the exception, whose type and text differ",
        ),
        (
            VERSION_TRY.format(
                name='"x"', handler="ImportError:\n    pass\nexcept pkg_resources.DistributionNotFound"
            ),
            "the handler at line 5 may not catch both exceptions alike",
        ),
        (
            VERSION_TRY.format(name='"x"', handler="pkg_resources.DistributionNotFound").replace(
                "    found = None", "    log.exception('no x')"
            ),
            "the handler at line 5 reads the exception, whose type and text differ",
        ),
        (
            VERSION_TRY.format(name='"x"', handler="pkg_resources.DistributionNotFound").replace(
                "    found = pkg", "    setup()\n    found = pkg"
            ),
            "alone in the try's body",
        ),
        (
            'import pkg_resources\npath = pkg_resources.resource_filename("a", "b")\n',
            "the file uses pkg_resources for more than get_distribution(name).version (line 2)",
        ),
        (
            'from pkg_resources import get_distribution\nv = get_distribution("x").version\n',
            "only 'import pkg_resources' with get_distribution(name).version is rewritten",
        ),
        (
            VERSION_TRY.format(name='"x"', handler="pkg_resources.DistributionNotFound") + "metadata = 1\n",
            "'metadata' is taken in this file",
        ),
    ],
)
def test_pkg_resources_is_left_where_the_rewrite_is_not_provably_the_same(source: str, reason: str) -> None:
    result = fix(source)
    assert result.data.decode() == source
    reasons = [why for *_, why in result.skipped]
    assert any(reason in why for why in reasons), reasons


def test_an_unfixable_dunder_import_does_not_hold_back_the_others() -> None:
    source = (
        "import os\nx = __import__('json').dumps(1)\ny = __import__(os.environ['M'])\n"
        "z = __import__('a.b')\nw = __import__('os').sep\n"
    )
    result = fix(source)
    assert result.data.decode() == (
        "import importlib\nimport os\nx = importlib.import_module('json').dumps(1)\n"
        "y = __import__(os.environ['M'])\nz = __import__('a.b')\nw = importlib.import_module('os').sep\n"
    )
    assert [(line, code, why) for line, _, code, why in result.skipped] == [
        (3, "IPS201", "the module name is not a plain string literal"),
        (4, "IPS201", "the result is the top-level package 'a'; import_module returns 'a.b'"),
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            '"""Doc."""\n\nx = __import__("m")\n',
            '"""Doc."""\n\nimport importlib\n\nx = importlib.import_module("m")\n',
            id="after-the-docstring-a-section-of-its-own",
        ),
        pytest.param(
            "import abc\nimport sys\nfrom os import path\nx = __import__('m')\n",
            "import abc\nimport importlib\nimport sys\nfrom os import path\nx = importlib.import_module('m')\n",
            id="alphabetical-among-the-plain-imports",
        ),
        pytest.param(
            "import abc\nfrom os import path\n\nimport requests\nx = __import__('m')\n",
            "import abc\nimport importlib\nfrom os import path\n\nimport requests\nx = importlib.import_module('m')\n",
            id="before-the-from-imports-of-the-section",
        ),
        pytest.param(
            "import abc\n\nimport requests\n\nfrom . import sibling\nx = __import__('m')\n",
            "import abc\nimport importlib\n\nimport requests\n\nfrom . import sibling\nx = importlib.import_module('m')\n",
            id="at-the-end-of-the-stdlib-section-never-after-relative-imports",
        ),
        pytest.param(
            '"""Doc."""\n\nimport requests\n\nfrom . import sibling\n\nx = __import__("m")\n',
            '"""Doc."""\n\nimport importlib\n\nimport requests\n\nfrom . import sibling\n\n'
            'x = importlib.import_module("m")\n',
            id="a-new-stdlib-section-before-the-third-party-one",
        ),
        pytest.param(
            "from __future__ import annotations\n\n__lazy_modules__ = ['json']\n\nimport json\n"
            "x = __import__('m')\n",
            "from __future__ import annotations\n\n__lazy_modules__ = ['json']\n\nimport importlib\nimport json\n"
            "x = importlib.import_module('m')\n",
            id="after-future-and-lazy-modules",
        ),
        pytest.param(
            "import sys\n# why os\nimport os\nx = __import__('m')\n",
            "import importlib\nimport sys\n# why os\nimport os\nx = importlib.import_module('m')\n",
            id="a-comment-stays-with-its-import",
        ),
        pytest.param(
            "import os\n\n# the code\nx = __import__('m')\n",
            "import importlib\nimport os\n\n# the code\nx = importlib.import_module('m')\n",
            id="before-os",
        ),
    ],
)
def test_import_importlib_goes_where_isort_puts_it(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # `from a import b` above in the same run already binds the module: the import is dropped
        pytest.param(
            "from os import path\nimport os.path as path\nprint(path.join('a'))\n",
            "from os import path\nprint(path.join('a'))\n",
            id="IPS102-the-same-binding-twice",
        ),
        pytest.param(
            "from xml import dom\nimport xml.dom\nprint(dom, xml.dom.minidom)\n",
            "from xml import dom\nprint(dom, dom.minidom)\n",
            id="IPS101-the-uses-take-the-name-already-there",
        ),
        pytest.param(
            "from xml import dom as d\nimport json, xml.dom\nprint(d, xml.dom.minidom, json)\n",
            "from xml import dom as d\nimport json\nprint(d, d.minidom, json)\n",
            id="IPS101-under-its-alias-out-of-a-list",
        ),
        pytest.param(
            "from xml import dom\nimport xml.dom\nprint(dom, xml.dom.minidom, xml.sax)\n",
            "from xml import dom\nimport xml\nprint(dom, dom.minidom, xml.sax)\n",
            id="IPS101-the-root-still-read",
        ),
        # where the other binding does not serve every use, a new name as before
        pytest.param(
            "from xml import dom\nimport xml.dom\ndef f():\n    dom = 1\n    return xml.dom\n",
            "from xml import dom\nfrom xml import dom as xml_dom\ndef f():\n    dom = 1\n    return xml_dom\n",
            id="the-name-is-bound-again-elsewhere",
        ),
        pytest.param(
            "from xml import dom\nx = 1\nimport xml.dom\nprint(xml.dom)\n",
            "from xml import dom\nx = 1\nfrom xml import dom as xml_dom\nprint(xml_dom)\n",
            id="not-in-the-same-run-of-imports",
        ),
        pytest.param(
            "import xml.dom\nfrom xml import dom\nprint(xml.dom, dom)\n",
            "from xml import dom\nprint(dom, dom)\n",
            id="the-from-import-right-after-loads-it-as-soon",
        ),
        pytest.param(
            "import xml.dom as dom\nfrom xml import dom\nprint(dom)\n",
            "from xml import dom\nprint(dom)\n",
            id="IPS102-the-from-import-right-after",
        ),
        pytest.param(
            "import xml.dom\nimport json\nfrom xml import dom\nprint(xml.dom, dom, json)\n",
            "import json\nfrom xml import dom\nfrom xml import dom as xml_dom\nprint(xml_dom, dom, json)\n",
            id="an-import-between-so-the-load-would-move",
        ),
        pytest.param(
            "from xml import dom\nimport xml.dom  # why\nprint(xml.dom.minidom)\n",
            "from xml import dom\nfrom xml import dom as xml_dom  # why\nprint(xml_dom.minidom)\n",
            id="a-comment-is-not-dropped",
        ),
    ],
)
def test_an_import_of_a_module_already_bound_above_is_dropped(before: str, after: str) -> None:
    assert fixed(before) == after


# Every scope: a function's, a method's or a class body's own import is rewritten with its uses there.
@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "def f():\n    import os.path\n    return os.path.join('a', 'b')\n",
            "def f():\n    from os import path\n    return path.join('a', 'b')\n",
            id="function",
        ),
        pytest.param(
            "def f():\n    import os.path\n    def inner():\n        return os.path.sep\n"
            "    return inner(), [os.path.sep for _ in 'x'], lambda: os.path.sep\n",
            "def f():\n    from os import path\n    def inner():\n        return path.sep\n"
            "    return inner(), [path.sep for _ in 'x'], lambda: path.sep\n",
            id="closures-comprehensions-lambdas",
        ),
        pytest.param(
            "class C:\n    def m(self):\n        import numpy\n        return numpy.zeros(1)\n",
            "class C:\n    def m(self):\n        import numpy as np\n        return np.zeros(1)\n",
            id="method-IPS106",
        ),
        pytest.param(
            "class C:\n    import xml.dom.minidom\n    parse = xml.dom.minidom.parseString\n",
            "class C:\n    from xml.dom import minidom\n    parse = minidom.parseString\n",
            id="class-body",
        ),
        pytest.param(
            "import os\ndef f():\n    import os.path\n    return os.path.sep\nprint(os.getcwd())\n",
            "import os\ndef f():\n    from os import path\n    return path.sep\nprint(os.getcwd())\n",
            id="the-module-keeps-its-own-name",
        ),
        pytest.param(
            "def f():\n    import imp, json\n    return imp.reload(json)\n",
            "def f():\n    import importlib\n    import json\n    return importlib.reload(json)\n",
            id="function-IPS205",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return eval('len([1, 2])'), os.path.sep\n",
            "def f():\n    from os import path\n    return eval('len([1, 2])'), path.sep\n",
            id="a-literal-eval-reads-only-its-names",
        ),
    ],
)
def test_imports_in_every_scope_are_rewritten(before: str, after: str) -> None:
    assert fixed(before) == after


# ---------------------------------------------------- IPS404: import a name from where it is defined

REEXPORTS = {
    "app/__init__.py": "",
    "app/db/__init__.py": "",
    "app/db/session.py": 'print("[load app.db.session]")\n\n\nclass Session:\n    pass\n\n\nclass Engine:\n    pass\n',
    "app/models.py": (
        '"""Models: only imports, definitions and constants."""\n'
        "from typing import Optional\n"
        "from app.db.session import Session, Engine\n\n"
        "LIMIT = 3\n\n\n"
        "class Own:\n"
        "    def get(self, key: Optional[str] = None) -> None:\n"
        "        return None\n"
    ),
    "app/noisy.py": 'from app.db.session import Session\nprint("[load app.noisy]")\n',
    "app/registry.py": "from app.db.session import Session\nREGISTERED = []\nREGISTERED.append(Session)\n",
    "app/early.py": "from app.noisy import Session as Noisy\nfrom app.db.session import Session\n",
    "app/back.py": "from app.db.session import Session\n",
    "app/chain.py": "from app.models import Session\n",
}


def reexports(tmp_path, source: str, extra: dict[str, str] | None = None):
    from flake8_importstyle import resolve

    for name, text in {**REEXPORTS, **(extra or {})}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    resolve.clear_caches()
    filename = str(tmp_path / "views.py")
    result = fix_bytes(source.encode(), filename, config_from({}), opt_in=("IPS404",))
    again = fix_bytes(result.data, filename, config_from({}), opt_in=("IPS404",))
    assert again.data == result.data, "a second run changed the file"
    return result


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("from app.models import Session\nprint(Session)\n", "from app.db.session import Session\nprint(Session)\n"),
        # the alias, the comments and the layout stay
        (
            "from app.models import (  # the database\n    Session as S,\n    Engine,\n)\nprint(S, Engine)\n",
            "from app.db.session import (  # the database\n    Session as S,\n    Engine,\n)\nprint(S, Engine)\n",
        ),
        # the names models defines stay with it
        (
            "from app.models import Own, Session as S  # mixed\nprint(Own, S)\n",
            "from app.db.session import Session as S\nfrom app.models import Own  # mixed\nprint(Own, S)\n",
        ),
        # a docstring that names the module reads nothing
        (
            '"""Views of the models."""\nfrom app.models import Session\nprint(Session)\n',
            '"""Views of the models."""\nfrom app.db.session import Session\nprint(Session)\n',
        ),
        # through a chain of re-imports, to the module that defines it
        ("from app.chain import Session\nprint(Session)\n", "from app.db.session import Session\nprint(Session)\n"),
    ],
)
def test_reimported_name_is_imported_from_where_it_is_defined(tmp_path, before: str, after: str) -> None:
    result = reexports(tmp_path, before)
    assert result.data.decode() == after
    assert result.skipped == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            "def f():\n    import os.path\n    os = 1\n    return os.path\n",
            "'os.path' at line 4 reads the name bound at line 3, not this import",
            id="bound-again-in-the-function",
        ),
        pytest.param(
            "def f():\n    print(os.path.sep)\n    import os.path\n",
            "'os.path' at line 2 is read before the import at line 3 runs",
            id="read-before-the-local-import",
        ),
        pytest.param(
            "def f():\n    import os.path\n    x = os.path.sep\n    del os\n    return x\n",
            "'os' is deleted at line 4",
            id="del",
        ),
        pytest.param(
            "def f():\n    import os.path\n    def g():\n        nonlocal os\n        return os.path.sep\n"
            "    return g()\n",
            "'os' is declared nonlocal at line 4",
            id="nonlocal",
        ),
        pytest.param(
            "def f():\n    global os\n    import os.path\n    return os.path.sep\n",
            "'os' is declared global or nonlocal where the import at line 3 stands",
            id="global",
        ),
        pytest.param(
            "def f():\n    import os.path\n    print(locals())\n    return os.path.sep\n",
            "line 3 calls locals(), which can read the names this rewrite changes by their strings",
            id="locals",
        ),
        pytest.param(
            "def f(code):\n    import os.path\n    exec(code)\n    return os.path.sep\n",
            "line 3 calls exec(), which can read the names this rewrite changes by their strings",
            id="computed-exec",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return eval('path'), os.path.sep\n",
            "line 3 calls eval(), which can read the names this rewrite changes by their strings",
            id="a-literal-eval-of-the-new-name",
        ),
        pytest.param(
            "import sys\ndef f():\n    import os.path\n    return sys._getframe().f_locals, os.path.sep\n",
            "line 4 reads f_locals, which can read the names this rewrite changes by their strings",
            id="f_locals",
        ),
        pytest.param(
            "class C:\n    import os.path\n    x = os.path.sep\nprint(C.os)\n",
            "line 4 reads the attribute 'os', which may be the class at line 1's",
            id="class-attribute-read",
        ),
        pytest.param(
            "class C(object):\n    import os.path\n    x = os.path.sep\n",
            "the class at line 1 has bases, a metaclass or decorators",
            id="class-with-bases",
        ),
        pytest.param(
            "class C:\n    import os.path\n    x = os.path.sep\nprint(vars(C))\n",
            "line 4 calls vars(), which can read its attributes by their strings",
            id="class-vars",
        ),
        pytest.param(
            "class C:\n    __slots__ = ('path',)\n    import os.path\n    x = os.path.sep\n",
            "line 2 names 'path' in a string, which may read the class at line 1's attribute",
            id="class-slots",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return os.path.sep\nclass C:\n    import json.decoder\n"
            "    x = json.decoder\n    y = getattr(x, 'JSONDecoder')\n",
            "line 7 calls getattr(), which can read its attributes by their strings",
            id="class-getattr-not-the-function",
        ),
    ],
)
def test_imports_in_other_scopes_are_refused_where_not_provable(source: str, reason: str) -> None:
    result = fix(source)
    reasons = [why for _, _, _, why in result.skipped]
    assert any(why.startswith(reason) for why in reasons), reasons
    compile(result.data, "fixed.py", "exec")


# Dynamic namespace access, precisely: only what the fixer cannot read blocks a rename, and only
# for the names it could reach.
@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import os.path\nprint(os.path.sep)\nexec('print(1)')\n",
            "from os import path\nprint(path.sep)\nexec('print(1)')\n",
            id="exec-of-a-literal",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\nprint(globals()['__name__'])\n",
            "from os import path\nprint(path.sep)\nprint(globals()['__name__'])\n",
            id="a-literal-globals-key",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\nprint(globals().get('x'))\n",
            "from os import path\nprint(path.sep)\nprint(globals().get('x'))\n",
            id="globals-get",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\ndef f(code):\n    return eval(code, {})\n",
            "from os import path\nprint(path.sep)\ndef f(code):\n    return eval(code, {})\n",
            id="eval-in-a-namespace-of-its-own",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\nexec('y = 2', globals())\n",
            "from os import path\nprint(path.sep)\nexec('y = 2', globals())\n",
            id="exec-of-a-literal-in-globals",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return os.path.sep\ndef g():\n    return locals()\n",
            "def f():\n    from os import path\n    return path.sep\ndef g():\n    return locals()\n",
            id="locals-of-another-function",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return os.path.sep\nprint(globals())\n",
            "def f():\n    from os import path\n    return path.sep\nprint(globals())\n",
            id="globals-does-not-reach-a-function",
        ),
        pytest.param(
            "def f():\n    import os.path\n    return os.path.sep\ndef g(code):\n    exec(code)\n",
            "def f():\n    from os import path\n    return path.sep\ndef g(code):\n    exec(code)\n",
            id="exec-in-another-function",
        ),
    ],
)
def test_dynamic_access_blocks_only_what_it_can_read(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import os.path\nprint(os.path.sep)\nexec('print(os)')\n", "line 3 calls exec()"),
        ("def f():\n    import os.path\n    return eval('os.getcwd()'), os.path.sep\n", "line 3 calls eval()"),
        ("import os.path\nprint(os.path.sep)\nexec('x = 1\\n' + 'y')\n", "line 3 calls exec()"),
        ("import os.path\nprint(os.path.sep)\nexec('print(globals())')\n", "line 3 calls exec()"),
        ("import os.path\nprint(os.path.sep)\nexec('from json import *')\n", "line 3 calls exec()"),
        ("import os.path\nprint(os.path.sep)\nprint(globals()['path'])\n", "line 3 calls globals()"),
        ("import os.path\nprint(os.path.sep)\nprint('os' in globals())\n", "line 3 calls globals()"),
        ("import os.path\nprint(os.path.sep)\ng = globals()\n", "line 3 calls globals()"),
        ("import os.path\nprint(os.path.sep)\nprint(globals()[name])\n", "line 3 calls globals()"),
        ("import os.path\nprint(os.path.sep)\nimport builtins\nbuiltins.exec(c)\n", "line 4 calls exec()"),
        ("import os.path\nprint(os.path.sep)\ndef f(code):\n    exec(code)\n", "line 4 calls exec()"),
        ("import os.path\nprint(os.path.sep)\nprint(dir())\n", "line 3 calls dir()"),
    ],
)
def test_dynamic_access_that_can_read_the_names_is_refused(source: str, reason: str) -> None:
    result = fix(source)
    assert not result.changed
    reasons = [why for _, _, _, why in result.skipped]
    assert any(why.startswith(reason) for why in reasons), reasons


# eval/exec of a name an enclosing test narrowed to literal strings, exec in a namespace
# that no value of the file can be, and a name bound to globals() used only with
# literal-prefix keys: each reads only what it can reach (issue 10).
_OS = "import os.path\nprint(os.path.sep)\n"


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param(
            "def f(v):\n    if v in ['True', 'None']:\n        v = eval(v)\n    return v\n",
            id="eval-of-a-name-narrowed-by-in",
        ),
        pytest.param(
            "def f(v):\n    if v == 'x':\n        pass\n    elif v in ('True', 'False'):\n"
            "        print(eval(v), 'help')\n",
            id="eval-in-an-elif-call-argument",
        ),
        pytest.param(
            "def f(v):\n    if v == 'True' or v == 'None':\n        return eval(v)\n",
            id="eval-of-a-name-narrowed-by-equality",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns)\n    return ns\n",
            id="exec-in-a-namespace-no-value-can-be-this-file-s",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns, locals())\n",
            id="exec-with-a-function-s-locals-does-not-reach-the-module",
        ),
        pytest.param(
            "d = globals()\nfor k in 'ab':\n    d['CO_' + k] = 1\n    d[f'X_{k}'] = 2\ndel d\n",
            id="globals-held-for-literal-prefix-keys",
        ),
        pytest.param(
            "for k in 'ab':\n    globals()['CO_' + k] = 1\n",
            id="globals-with-a-literal-prefix-key",
        ),
    ],
)
def test_dynamic_access_read_precisely(tail: str) -> None:
    assert fixed(_OS + tail) == "from os import path\nprint(path.sep)\n" + tail


def test_exec_with_locals_reaches_the_function_s_names() -> None:
    result = fix("def f(code, ns):\n    import os.path\n    exec(code, ns, locals())\n    return os.path.sep\n")
    assert not result.changed
    assert [why for _, _, _, why in result.skipped][0].startswith("line 3 calls exec()")


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        pytest.param(
            "def f(v):\n    if v in ['True', 'os']:\n        v = eval(v)\n",
            "line 5 calls eval()", id="narrowed-to-a-string-that-names-os",
        ),
        pytest.param(
            "def f(v):\n    if v in ['True']:\n        v = 'os'\n        return eval(v)\n",
            "line 6 calls eval()", id="rebound-between-the-test-and-eval",
        ),
        pytest.param(
            "def f(v):\n    if v in ['True']:\n        print(v := 'os', eval(v))\n",
            "line 5 calls eval()", id="walrus-before-eval",
        ),
        pytest.param(
            "def f(v, g):\n    if v in ['True']:\n        print(g(), eval(v))\n",
            "line 5 calls eval()", id="a-call-runs-before-eval",
        ),
        pytest.param(
            "def f(v):\n    global w\n    if w in ['True']:\n        return eval(w)\n",
            "line 6 calls eval()", id="a-global-name",
        ),
        pytest.param(
            "if v in ['True']:\n    print(eval(v))\n",
            "line 4 calls eval()", id="narrowed-at-module-level",
        ),
        pytest.param(
            "def f(v):\n    if v in ['True']:\n        return lambda: eval(v)\n",
            "line 5 calls eval()", id="eval-deferred-in-a-lambda",
        ),
        pytest.param(
            "def f(v):\n    if v not in ['True']:\n        return eval(v)\n",
            "line 5 calls eval()", id="narrowed-by-not-in",
        ),
        pytest.param(
            "def f(v, w):\n    if w in ['True']:\n        return eval(v)\n",
            "line 5 calls eval()", id="another-name-narrowed",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns)\ng = f\nf('', globals())\n",
            "line 4 calls exec()", id="exec-namespace-where-globals-is-passed-on",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns)\nf('', vars(sys.modules[__name__]))\n",
            "line 4 calls exec()", id="exec-namespace-where-vars-is-taken",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns)\nf('', f.__globals__)\n",
            "line 4 calls exec()", id="exec-namespace-where-a-function-s-globals-are-read",
        ),
        pytest.param(
            "def f(code, ns):\n    exec(code, ns)\nf('', getattr(f, '__glob' + 'als__'))\n",
            "line 4 calls exec()", id="exec-namespace-where-getattr-is-computed",
        ),
        pytest.param(
            "d = globals()\nd['CO_x'] = 1\nd.update(os=1)\ndel d\n",
            "line 3 calls globals()", id="held-globals-updated",
        ),
        pytest.param(
            "d = globals()\nd['CO_x'] = 1\n",
            "line 3 calls globals()", id="held-globals-not-deleted",
        ),
        pytest.param(
            "d = globals()\nd['CO_x'] = 1\nd = {}\ndel d\n",
            "line 3 calls globals()", id="held-globals-rebound",
        ),
        pytest.param(
            "d = globals()\nprint(eval('d'))\ndel d\n",
            "line 3 calls globals()", id="held-globals-named-in-a-string",
        ),
        pytest.param(
            "d = globals()\nd['o' + 's'] = 1\ndel d\n",
            "line 3 calls globals()", id="held-globals-with-a-prefix-of-os",
        ),
        pytest.param(
            "d = globals()\nd[k + 'CO_'] = 1\ndel d\n",
            "line 3 calls globals()", id="held-globals-with-no-literal-prefix",
        ),
        pytest.param(
            "def f():\n    d = globals()\n    d['CO_' + k] = 1\n    del d\n",
            "line 4 calls globals()", id="globals-held-in-a-function",
        ),
    ],
)
def test_dynamic_access_that_may_reach_the_names_stays_refused(tail: str, reason: str) -> None:
    result = fix(_OS + tail)
    assert not result.changed
    reasons = [why for _, _, _, why in result.skipped]
    assert any(why.startswith(reason) for why in reasons), reasons


def test_a_function_s_pkg_resources_and_an_import_s_own_globals() -> None:
    """IPS207 in a function; ``__import__(name, globals(), locals())`` reads only the
    import's own keys (``__name__``, ``__package__``...), so it blocks no rename."""
    before = (
        "def version():\n    import pkg_resources\n    try:\n"
        "        v = pkg_resources.get_distribution('flake8').version\n"
        "    except pkg_resources.DistributionNotFound:\n        v = None\n    return v\n"
        "import os.path\nprint(os.path.sep, __import__('json', globals(), locals()))\n"
    )
    after = fixed(before)
    assert "    from importlib import metadata\n" in after
    assert "        v = metadata.version('flake8')\n" in after
    assert "from os import path\nprint(path.sep, " in after


@pytest.mark.parametrize(
    ("source", "rewritten"),
    [
        pytest.param(
            "import os.path\nprint(os.path.sep)\ndef f():\n    return locals()\n", True,
            id="a-function-s-locals-hold-no-module-name",
        ),
        pytest.param(
            "def f():\n    import os.path\n    def g():\n        return os.path.sep, locals()\n    return g()\n",
            False,
            id="a-closure-s-locals-hold-its-free-names",
        ),
        pytest.param(
            "def f():\n    import os.path\n    class C:\n        x = locals()\n    return os.path.sep\n", True,
            id="a-class-body-s-locals-hold-only-its-own",
        ),
        pytest.param(
            "import os.path\nprint(os.path.sep)\ndef f(code):\n    return eval(code)\n", False,
            id="eval-in-a-function-reads-the-module-too",
        ),
    ],
)
def test_locals_reaches_its_scope_and_the_functions_around_it(source: str, rewritten: bool) -> None:
    assert fix(source).changed is rewritten


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "from app.noisy import Session\nprint(Session)\n",
            "importing app.noisy may do more than re-import the name:"
            " app.noisy:2 evaluates print('[load app.noisy]') when it is imported",
        ),
        (
            "from app.registry import Session\nprint(Session)\n",
            "importing app.registry may do more than re-import the name:"
            " app.registry:3 evaluates REGISTERED.append(Session) when it is imported",
        ),
        # a module with effects, imported before the defining one: the order of effects would change
        (
            "from app.early import Session\nprint(Session)\n",
            "importing app.early loads modules that importing app.db.session does not",
        ),
        (
            "import app\nfrom app.models import Session\nprint(Session, app.models.LIMIT)\n",
            "line 3 may read app.models, which the file would no longer load",
        ),
        (
            'import sys\nfrom app.models import Session\nprint(Session, sys.modules["app.models"])\n',
            "line 3 may read app.models, which the file would no longer load",
        ),
        (
            '"""\n>>> import app; app.models\n"""\nfrom app.models import Session\nprint(Session)\n',
            "line 1 may read app.models, which the file would no longer load",
        ),
        ("from .models import Session\nprint(Session)\n", None),  # relative: not flagged from a plain file
        (
            "def f():\n    from app.models import Session\n    return Session\n",
            "only module-level imports are rewritten",
        ),
        (
            'import sys\nfrom app.models import Session\nkey = "x"\nsys.modules.pop(key)\nprint(Session)\n',
            "line 4 changes sys.modules, so any module may be another object by the time the rewritten code reads it",
        ),
    ],
)
def test_reimported_name_is_left_where_importing_the_module_may_matter(tmp_path, source: str, reason) -> None:
    result = reexports(tmp_path, source)
    assert result.data.decode() == source
    assert [r for *_, code, r in result.skipped if code == "IPS404"] == ([reason] if reason else [])


MACHINERY = "import importlib.machinery\nkey = str(1)\n"
MACHINERY_READ = "print(importlib.machinery.SOURCE_SUFFIXES)\n"


@pytest.mark.parametrize(
    "middle",
    [
        pytest.param("class A:\n    def __init__(self):\n        self.modules = {}\n        self.modules[key] = 1\n"
                     "        self.modules.pop(key)\n        del self.modules[key]\n", id="self.modules"),
        pytest.param("class O:\n    pass\nobj = O()\nobj.modules = {}\nobj.modules.clear()\n", id="obj.modules"),
        pytest.param("def f():\n    modules = {}\n    modules[key] = 1\n    modules.pop(key)\n", id="local-modules"),
        pytest.param("modules = {}\nmodules.update(a=1)\n", id="global-modules"),
        pytest.param("import sys\nprint(sys.modules.get(key), key in sys.modules, list(sys.modules), sys.modules[key])\n"
                     "for k in sys.modules:\n    pass\nx = sys.modules.copy()\nx.clear()\n", id="reads"),
        pytest.param("import sys\nsys.modules.pop('json')\n", id="another-literal-key"),
        pytest.param("import sys\nm = sys.modules[key]\nprint(m.__name__)\n", id="an-entry-held"),
        pytest.param("class F:\n    def f(self):\n        m = self.import_module(key)\n        self.modules[key] = m\n"
                     "        return self.modules[key]\n", id="a-method-named-import_module"),
    ],
)
def test_what_only_looks_like_a_sys_modules_change_blocks_no_rewrite(middle: str) -> None:
    result = fixed(MACHINERY + middle + MACHINERY_READ)
    assert "from importlib import machinery\n" in result and "print(machinery.SOURCE_SUFFIXES)" in result


@pytest.mark.parametrize(
    ("middle", "line", "how"),
    [
        ("import sys\nsys.modules.pop(key)\n", 4, "changes"),
        ("import sys\nsys.modules = {}\n", 4, "changes"),
        ("import sys\ndel sys.modules[key]\n", 4, "changes"),
        ("import sys as _sys\n_sys.modules[key] = 1\n", 4, "changes"),
        ("from sys import modules\nmodules.clear()\n", 4, "changes"),
        ("from sys import modules as m\nm.setdefault(key, None)\n", 4, "changes"),
        ("import os\nos.sys.modules.popitem()\n", 4, "changes"),
        ("def f():\n    import sys\n    sys.modules.update({})\n", 5, "changes"),
        ("def f(sys):\n    sys.modules[key] = None\n", 4, "changes"),  # a name sys no import binds
        ("import sys\nd = sys.modules\nd[key] = 1\n", 4, "may change"),  # a name bound to sys.modules
        ("import sys\ns = sys\ns.modules[key] = 1\n", 4, "may change"),
        ("import sys\ngetattr(sys, 'modules')[key] = 1\n", 4, "may change"),
        ("import sys\nvars(sys)['modules'][key] = 1\n", 4, "may change"),
        ("import sys\nsys.__dict__['modules'][key] = 1\n", 4, "may change"),
        ("import sys\ndef g(m):\n    m.modules[key] = 1\ng(sys)\n", 6, "may change"),  # sys passed away
        ("import sys\ndef g(d):\n    d.clear()\ng(sys.modules)\n", 6, "may change"),
        ("import sys\nclass A:\n    def f(self):\n        self.modules = sys.modules\n", 6, "may change"),
        ("import sys\nf = sys.modules.pop\n", 4, "may change"),
        # self.modules may be sys.modules where the file holds a module it cannot name
        ("import sys\nm = sys.modules[key]\nm.modules[key] = 1\n", 5, "may change"),
        ("import sys\nfor m in sys.modules.values():\n    m.modules.clear()\n", 5, "may change"),
        ("import sys\nsys.modules['sys'].modules.clear()\n", 4, "may change"),
        ("__import__(key).modules.clear()\n", 3, "may change"),
        ("from importlib import import_module\nimport_module(key).modules.clear()\n", 4, "may change"),
    ],
)
def test_a_sys_modules_change_however_spelled_blocks_the_rewrite(middle: str, line: int, how: str) -> None:
    source = MACHINERY + middle + MACHINERY_READ
    result = fix(source)
    assert result.data == source.encode()
    what = "changes sys.modules" if how == "changes" else "may change sys.modules where the fixer cannot follow it"
    reason = f"line {line} {what}, so any module may be another object by the time the rewritten code reads it"
    assert reason in [why for *_, why in result.skipped]


@pytest.mark.parametrize(
    ("session", "reason"),
    [
        (
            "import app.back\n\n\nclass Session:\n    pass\n",
            "importing app.back may do more than re-import the name: app.back is in a cycle of imports",
        ),
        # the origin's own reading stops at its print: the cycle is found by following its imports
        (
            'print("session")\nimport app.back\n\n\nclass Session:\n    pass\n',
            "importing app.db.session may import app.back back (a cycle of imports)",
        ),
    ],
)
def test_reimported_name_is_left_where_the_origin_imports_the_module_back(tmp_path, session, reason) -> None:
    source = "from app.back import Session\nprint(Session)\n"
    result = reexports(tmp_path, source, {"app/db/session.py": session})
    assert result.data.decode() == source
    assert [r for *_, r in result.skipped] == [reason]


def test_reimported_name_needs_its_code_selected_by_name(tmp_path) -> None:
    reexports(tmp_path, "")
    source = b"from app.models import Session\nprint(Session)\n"
    filename = str(tmp_path / "views.py")
    assert fix_bytes(source, filename, config_from({})).data == source  # off by default: not even linted
    assert fix_bytes(source, filename, config_from({}), opt_in=("IPS404",)).changed


def test_the_proof_refuses_a_reimport_rewrite_whose_module_has_effects(tmp_path) -> None:
    """Without the planner: the proof alone refuses dropping a module that prints on import,
    and accepts dropping one that only imports and defines."""
    from flake8_importstyle.fix import ResolverFacts
    from flake8_importstyle.proof import prove

    reexports(tmp_path, "")
    facts = ResolverFacts(str(tmp_path / "views.py"))
    new = "from app.db.session import Session\nprint(Session)\n"
    assert prove("from app.models import Session\nprint(Session)\n", new, facts=facts) is None
    assert prove("from app.noisy import Session\nprint(Session)\n", new, facts=facts) == (
        "the imports at line 1 would not load the same modules in the same order"
    )
    # the same modules, but another object
    assert prove(
        "from app.models import Session\nprint(Session)\n",
        "from app.db.session import Engine as Session\nprint(Session)\n",
        facts=facts,
    ) == "'Session' at line 2 would not read the same object after the rewrite"
    # a module the original never loads, which prints when imported
    assert prove(
        "from app.models import Session\nprint(Session)\n",
        "from app.db.session import Session\nimport app.noisy\nprint(Session)\n",
        facts=facts,
    ) == "the imports at line 1 would not load the same modules in the same order"
    # one that does nothing of its own may be loaded (IPS402's rewrite); pyflakes still sees it unused
    assert prove(
        "from app.models import Session\nprint(Session)\n",
        "from app.db.session import Session\nimport app.back\nprint(Session)\n",
        facts=facts,
    ) == "the rewrite would leave 'app.back' imported but unused (pyflakes)"
    # a module the rewrite stops loading, read through its package
    assert prove(
        "import app\nfrom app.models import Session\nprint(app.models)\n",
        "import app\nfrom app.db.session import Session\nprint(app.models)\n",
        facts=facts,
    ) == "line 3 may read a module that the rewrite would no longer load"
    # the default facts know nothing of re-imports: every change of loads is refused
    from flake8_importstyle.names import ASSUME_SUBMODULES

    assert prove("from app.models import Session\nprint(Session)\n", new, facts=ASSUME_SUBMODULES) is not None


def test_reimported_name_fix_keeps_what_the_program_prints(tmp_path) -> None:
    source = "from app.models import Own, Session\nprint(Own.__name__, Session.__module__)\n"
    result = reexports(tmp_path, source)
    assert result.changed
    runs = []
    for text in (source, result.data.decode()):
        (tmp_path / "views.py").write_text(text, encoding="utf-8")
        runs.append(subprocess.run([sys.executable, "views.py"], cwd=tmp_path, capture_output=True, text=True,
                                   timeout=60, check=True).stdout)
    assert runs[0] == runs[1] == "[load app.db.session]\nOwn app.db.session\n"


@pytest.mark.slow
def test_the_command_line_fixes_reimported_names_only_when_selected_by_name(tmp_path) -> None:
    reexports(tmp_path, "")
    views = tmp_path / "views.py"
    views.write_text("from app.models import Session\nprint(Session)\n", encoding="utf-8")

    def fix_command(*select: str) -> str:
        subprocess.run([sys.executable, "-m", "flake8_importstyle", "fix", "--isolated", *select, "views.py"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
        return views.read_text(encoding="utf-8")

    assert fix_command() == "from app.models import Session\nprint(Session)\n"  # IPS alone: off
    assert fix_command("--select", "IPS404") == "from app.db.session import Session\nprint(Session)\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import abc\nimport xml.dom\nfrom os import sep\nprint(abc, xml.dom, sep)\n",
            "import abc\nfrom os import sep\nfrom xml import dom\nprint(abc, dom, sep)\n",
            id="after-the-plain-imports-among-the-from-imports",
        ),
        pytest.param(
            "import json\n\nimport xml.dom\nimport abc\nprint(abc, xml.dom, json)\n",
            "import json\n\nimport abc\nfrom xml import dom\nprint(abc, dom, json)\n",
            id="the-first-of-a-group-gives-its-blank-line-to-the-next",
        ),
        pytest.param(
            "import xml.dom\nimport xml.etree\nimport json\nprint(json, xml.dom, xml.etree)\n",
            "import json\nfrom xml import dom\nfrom xml import etree\nprint(json, dom, etree)\n",
            id="two-new-lines-of-one-group",
        ),
        pytest.param(
            "import json\nimport xml.dom\nimport abc\nprint(abc, xml.dom, json)\n",
            "import json\nfrom xml import dom\nimport abc\nprint(abc, dom, json)\n",
            id="a-group-in-no-isort-order-keeps-the-line-in-place",
        ),
        pytest.param(
            "import abc\n# the dom\nimport xml.dom\nimport json\nprint(abc, xml.dom, json)\n",
            "import abc\n# the dom\nfrom xml import dom\nimport json\nprint(abc, dom, json)\n",
            id="a-line-with-a-comment-above-stays",
        ),
        pytest.param(
            "def f():\n    import xml.dom\n    import abc\n    return abc, xml.dom\n",
            "def f():\n    import abc\n    from xml import dom\n    return abc, dom\n",
            id="in-a-function",
        ),
    ],
)
def test_a_new_from_import_goes_where_isort_puts_it(before: str, after: str) -> None:
    assert fixed(before) == after


def test_a_new_from_import_that_cannot_move_is_refused_where_its_group_keeps_isort_order() -> None:
    """Moving the line would import collections.abc after enum (whose import runs code):
    left in place it would break the order the group keeps, a new isort finding."""
    source = "import abc\nimport collections.abc as cabc\nimport enum\nfrom os import sep\nprint(abc, cabc, enum, sep)\n"
    result = fix(source)
    assert not result.changed
    assert [why for _, _, _, why in result.skipped] == [
        "the new from-import belongs after the plain imports, in isort's order, which the imports at line 1"
        " keep, and moving it there would load modules in another order"
    ]


@pytest.mark.parametrize("loaded", ["sys", "builtins"])
def test_a_new_from_import_moves_past_a_module_the_interpreter_has_loaded_already(loaded: str) -> None:
    """``import sys`` loads nothing (the interpreter loaded it before the program ran), so
    ``from os import path`` may go after it, where isort puts it; before, this was refused
    as a change in the order of loads (tests/test_behaviour.py runs both programs)."""
    source = f"import os.path\nimport {loaded}\nprint({loaded}.__name__, os.path.sep)\n"
    after = f"import {loaded}\nfrom os import path\nprint({loaded}.__name__, path.sep)\n"
    assert fixed(source) == after


def test_a_new_from_import_still_cannot_move_past_a_module_the_interpreter_may_not_have_loaded() -> None:
    """``os`` is not loaded at start under ``python -S``: moving ``collections.abc`` after it
    is a change in the order of loads, as for any other module."""
    result = fix("import collections.abc as cabc\nimport os\nfrom os import sep\nprint(cabc, os, sep)\n")
    assert [why for _, _, _, why in result.skipped] == [
        "the new from-import belongs after the plain imports, in isort's order, which the imports at line 2"
        " keep, and moving it there would load modules in another order"
    ]


def test_a_new_from_import_that_cannot_move_stays_in_a_group_of_plain_imports() -> None:
    source = "import collections.abc as cabc\nimport enum\nprint(cabc, enum)\n"
    assert fixed(source) == "from collections import abc as cabc\nimport enum\nprint(cabc, enum)\n"


@pytest.mark.parametrize(
    ("source", "after"),
    [
        pytest.param(
            "import importlib.abc\nprint(importlib.abc.Loader)\n",
            "from importlib import abc as importlib_abc\nprint(importlib_abc.Loader)\n",
            id="a-stdlib-module-name",
        ),
        pytest.param(
            "import xml.dom\nprint(xml.dom)\n",
            "from xml import dom\nprint(dom)\n",
            id="a-name-no-module-has",
        ),
    ],
)
def test_a_new_name_never_reads_as_a_stdlib_module(source: str, after: str) -> None:
    assert fixed(source) == after


def test_a_new_name_never_reads_as_a_module_beside_the_file(tmp_path) -> None:
    (tmp_path / "utils.py").write_text("")
    (tmp_path / "dom").mkdir()
    (tmp_path / "dom" / "__init__.py").write_text("")
    source = b"import email.utils\nimport xml.dom\nprint(email.utils.formatdate, xml.dom)\n"
    result = fix_bytes(source, str(tmp_path / "http.py"), config_from({}))
    assert result.data == (
        b"from email import utils as email_utils\nfrom xml import dom as xml_dom\n"
        b"print(email_utils.formatdate, xml_dom)\n"
    )


def test_a_new_name_refused_says_which_module_each_name_reads_as() -> None:
    result = fix("import importlib.abc\nimportlib_abc = 1\nprint(importlib.abc.Loader)\n")
    assert [why for _, _, _, why in result.skipped] == [
        "'abc' would read as the standard library's module abc; 'importlib_abc' is taken in this file"
    ]


def test_a_new_from_import_that_cannot_move_is_refused_where_every_group_keeps_isort_order() -> None:
    source = "import collections.abc as cabc\nimport enum\n\nimport requests\nimport six\nprint(cabc, enum, requests, six)\n"
    result = fix(source)
    assert not result.changed
    assert [why for _, _, _, why in result.skipped] == [
        "the new from-import belongs after the plain imports, in isort's order, which the imports at line 2"
        " keep, and moving it there would load modules in another order"
    ]


@pytest.mark.parametrize(
    ("source", "after"),
    [
        pytest.param(
            "import os.path\nx = os.path.join('a',\n                 'b')\n",
            None,
            id="a-visual-indent-after-the-chain-is-refused",
        ),
        pytest.param(
            "import os.path\nx = os.path.join(\n    'a', 'b')\n",
            "from os import path\nx = path.join(\n    'a', 'b')\n",
            id="a-hanging-indent-moves-nothing",
        ),
        pytest.param(
            "import os.path\nx = [os.path.join('a', 'b'),\n     1]\n",
            "from os import path\nx = [path.join('a', 'b'),\n     1]\n",
            id="a-bracket-before-the-chain-does-not-move",
        ),
        pytest.param(
            "import os.path\nx = f(os.path.sep, g(1,\n                     2))\n",
            None,
            id="a-later-bracket-on-the-line-would-move",
        ),
    ],
)
def test_continuation_lines_stay_aligned(source: str, after: str | None) -> None:
    result = fix(source)
    if after is None:
        assert not result.changed
        assert [why for _, _, _, why in result.skipped] == [
            "the rewrite would shift the bracket opened at line 2, whose continuation lines are aligned"
            " with it (pycodestyle's visual indent)"
        ]
    else:
        assert fixed(source) == after


# ------------------------------------------- a dotted import that an earlier import already loads

REDUNDANT_DOTTED = [
    pytest.param(
        'import os\nimport os.path\n\nprint(os.path.join(os.getcwd(), "x"))\n',
        'import os\n\nprint(os.path.join(os.getcwd(), "x"))\n',
        id="os-loads-os.path",
    ),
    pytest.param(
        'import os.path\nimport os\n\nprint(os.path.join(os.getcwd(), "x"))\n',
        'import os\n\nprint(os.path.join(os.getcwd(), "x"))\n',
        id="right-after-it",
    ),
    pytest.param(  # the name `path` is taken: no `os_path` is made up either
        'import os\nimport sys\nimport os.path\n\npath = sys.argv\nprint(os.path.sep, path)\n',
        'import os\nimport sys\n\npath = sys.argv\nprint(os.path.sep, path)\n',
        id="name-taken",
    ),
    pytest.param(  # only the import's line goes: the blank line above it stays, above the code
        "import os\n\nimport os.path\nprint(os.path.sep)\n",
        "import os\n\nprint(os.path.sep)\n",
        id="the-blank-line-stays",
    ),
]


@pytest.mark.parametrize(("source", "expected"), REDUNDANT_DOTTED)
def test_a_dotted_import_the_plain_one_already_loads_is_dropped(source: str, expected: str) -> None:
    assert fixed(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # os bound to another name: `import os.path` binds `os`, which nothing else does
        pytest.param(
            "import os as o\nimport os.path\nprint(os.path.sep, o)\n",
            "import os as o\nfrom os import path\nprint(path.sep, o)\n",
            id="aliased",
        ),
        # a function's own import binds a local: the module's `import os` is another scope
        pytest.param(
            "import os\n\ndef g():\n    import os.path\n    return os.path.sep\n",
            "import os\n\ndef g():\n    from os import path\n    return path.sep\n",
            id="other-scope",
        ),
        # code runs between the two: `os` may be another object by then
        pytest.param(
            "import os\nos = None\nimport os.path\nprint(os.path.sep)\n",
            "import os\nos = None\nfrom os import path\nprint(path.sep)\n",
            id="not-one-run",
        ),
    ],
)
def test_a_dotted_import_no_earlier_import_serves_is_rewritten(source: str, expected: str) -> None:
    assert fixed(source) == expected


def test_a_submodule_the_package_does_not_load_keeps_its_import() -> None:
    # xml's __init__ imports nothing: `import xml.etree` loads what `import xml` does not
    source = "import xml\nimport xml.etree\n\nprint(xml.etree, xml)\n"
    assert "import xml.etree" not in fixed(source)
    assert "from xml import etree" in fixed(source)
