"""End-to-end: the real flake8, in a subprocess, on files in a temporary folder.

Every test runs ``python -m flake8`` with ``cwd`` = ``tmp_path`` and asserts
flake8's exact output lines (``path:row:col: CODE message``, the column
1-based as flake8 shows it). ``--isolated`` is passed wherever no config file
is under test, so a config file somewhere above ``tmp_path`` cannot leak in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import flake8_importstyle

pytestmark = pytest.mark.slow

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")


# --------------------------------------------------------------------- helpers


def flake8(cwd: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real flake8 in *cwd*; never a traceback, whatever the outcome."""
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        check=False,
    )
    result = subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """Create *files* under *root*; ``str`` contents are written as UTF-8 with ``\\n`` line ends."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def config(**options: str) -> str:
    """A ``[flake8]`` section; option names are given with ``_`` for ``-``."""
    body = "".join(f"{name.replace('_', '-')} = {value}\n" for name, value in options.items())
    return "[flake8]\n" + body


def findings(result: subprocess.CompletedProcess[str]) -> list[str]:
    """flake8's stdout as lines, after checking stderr is empty and the exit status fits."""
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert result.returncode == (1 if lines else 0), result
    return lines


# ------------------------------------------------------------------ 1. version


def test_version_lists_the_plugin(tmp_path: Path) -> None:
    result = flake8(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stderr == ""
    # argparse wraps the version text at the terminal width: compare with whitespace squeezed.
    text = " ".join(result.stdout.split())
    assert f"flake8-importstyle: {flake8_importstyle.__version__}" in text


# ------------------------------------------------------------------ 2. options

#: A module inside a package, so relative imports resolve to ``pkg.sub``.
PACKAGE = {
    "pkg/__init__.py": "",
    "pkg/sub/__init__.py": "",
    "pkg/sub/mod.py": (
        "import os.path\n"
        "import xml.dom.minidom\n"
        "import numpy as numeric\n"
        "from json import dumps\n"
        "from six.moves import range\n"
        "from os import system\n"
        "from . import sibling\n"
        "from ..parent import thing\n"
    ),
}
MOD = "pkg/sub/mod.py"

OS_PATH = f"{MOD}:1:8: IPS101 use 'from os import path' instead of 'import os.path'"
MINIDOM = f"{MOD}:2:8: IPS101 use 'from xml.dom import minidom' instead of 'import xml.dom.minidom'"
NUMPY = f"{MOD}:3:8: IPS106 use 'import numpy as np', the conventional name"
DEFAULT_FINDINGS = [OS_PATH, MINIDOM, NUMPY]

BANNED_LINES = ("six.moves = use the standard library", "os.system = use subprocess.run")

#: (option, config file, value in the config file, value on the command line, expected findings)
OPTION_CASES = [
    pytest.param(
        "importstyle-allow-dotted", "setup.cfg", "os.path, xml.*", "os.path,xml.*",
        [NUMPY],
        id="allow-dotted",
    ),
    pytest.param(
        "importstyle-no-from", "tox.ini", "json, os", "json,os",
        [
            MINIDOM,  # os.path is exempt from IPS101: 'os' is in importstyle-no-from
            NUMPY,
            f"{MOD}:4:1: IPS105 use 'import json' instead of 'from json import ...' "
            "('json' is in importstyle-no-from)",
            f"{MOD}:6:1: IPS105 use 'import os' instead of 'from os import ...' "
            "('os' is in importstyle-no-from)",
        ],
        id="no-from",
    ),
    pytest.param(
        "importstyle-aliases", ".flake8", "numpy=, xml.dom.minidom=md", "numpy=,xml.dom.minidom=md",
        [
            OS_PATH,
            # a module with a convention is left to IPS106 (not IPS101); numpy's default is dropped
            f"{MOD}:2:8: IPS106 use 'import xml.dom.minidom as md', the conventional name",
        ],
        id="aliases",
    ),
    pytest.param(
        "importstyle-banned", "setup.cfg",
        "".join(f"\n    {line}" for line in BANNED_LINES),  # a multi-line value
        "\n".join(BANNED_LINES),  # a value with a newline
        [
            *DEFAULT_FINDINGS,
            f"{MOD}:5:1: IPS107 'six.moves' is banned: use the standard library",
            f"{MOD}:6:16: IPS107 'os.system' is banned: use subprocess.run",
        ],
        id="banned",
    ),
    pytest.param(
        "importstyle-relative", "tox.ini", "never", "never",
        [
            *DEFAULT_FINDINGS,
            f"{MOD}:7:1: IPS108 use an absolute import ('from pkg.sub import sibling') "
            "instead of 'from . import ...'",
            f"{MOD}:8:1: IPS108 use an absolute import ('from pkg.parent import thing') "
            "instead of 'from ..parent import ...'",
        ],
        id="relative",
    ),
]


def test_defaults_without_options(tmp_path: Path) -> None:
    write(tmp_path, PACKAGE)
    assert findings(flake8(tmp_path, "--isolated", "--select", "IPS", MOD)) == DEFAULT_FINDINGS


@pytest.mark.parametrize(("option", "config_file", "config_value", "cli_value", "expected"), OPTION_CASES)
@pytest.mark.parametrize("source", ["config", "command line"])
def test_option(
    tmp_path: Path,
    source: str,
    option: str,
    config_file: str,
    config_value: str,
    cli_value: str,
    expected: list[str],
) -> None:
    write(tmp_path, PACKAGE)
    if source == "config":
        write(tmp_path, {config_file: f"[flake8]\nselect = IPS\n{option} = {config_value}\n"})
        result = flake8(tmp_path, MOD)
    else:
        result = flake8(tmp_path, "--isolated", "--select", "IPS", f"--{option}={cli_value}", MOD)
    assert findings(result) == expected


def test_aliases_accept_spaces_around_equals(tmp_path: Path) -> None:
    tox_ini = config(select="IPS", importstyle_aliases="geopandas = gpd")
    write(tmp_path, {"a.py": "import geopandas\n", "tox.ini": tox_ini})
    assert findings(flake8(tmp_path, "a.py")) == [
        "a.py:1:8: IPS106 use 'import geopandas as gpd', the conventional name"
    ]


# -------------------------------------------------------------- 3. bad values

#: (option, value in the config file, value on the command line, config file, the one line on stderr)
BAD_VALUES = [
    pytest.param(
        "importstyle-relative", "bad", "bad", "setup.cfg",
        "flake8-importstyle: importstyle-relative: 'bad' is not one of allow, siblings, never",
        id="relative",
    ),
    pytest.param(
        "importstyle-aliases", "numpy=np=x", "numpy=np=x", "tox.ini",
        "flake8-importstyle: importstyle-aliases: 'numpy=np=x' is not 'module=alias' "
        "(or 'module=' to drop a default)",
        id="aliases",
    ),
    pytest.param(
        "importstyle-banned",
        "\n    six.moves = fine\n    os.system",  # a multi-line value
        "six.moves = fine\nos.system",  # a value with a newline
        ".flake8",
        "flake8-importstyle: importstyle-banned: 'os.system' is not 'module = reason'",
        id="banned",
    ),
    pytest.param(
        "importstyle-no-from", "1bad", "1bad", "setup.cfg",
        "flake8-importstyle: importstyle-no-from: '1bad' is not a dotted module name",
        id="no-from",
    ),
    pytest.param(
        "importstyle-namespace-packages", "src, tools/*", "src,tools/*", "tox.ini",
        "flake8-importstyle: importstyle-namespace-packages: 'tools/*' is a pattern, not a folder "
        "(a folder covers the folders below it)",
        id="namespace-packages",
    ),
    pytest.param(
        "importstyle-names-ok", "typing.*", "typing.*", ".flake8",
        "flake8-importstyle: importstyle-names-ok: 'typing.*' is not a dotted module name",
        id="names-ok",
    ),
    pytest.param(
        "importstyle-target-python", "3.x", "3", "setup.cfg",
        "flake8-importstyle: importstyle-target-python: '{value}' is not a Python version such as 3.10",
        id="target-python",
    ),
]


@pytest.mark.parametrize(
    ("option", "config_value", "cli_value", "config_file", "message"), BAD_VALUES
)
@pytest.mark.parametrize("source", ["config", "command line"])
def test_bad_option_value(
    tmp_path: Path,
    source: str,
    option: str,
    config_value: str,
    cli_value: str,
    config_file: str,
    message: str,
) -> None:
    write(tmp_path, {"a.py": "import os.path\n"})
    if source == "config":
        write(tmp_path, {config_file: f"[flake8]\nselect = IPS\n{option} = {config_value}\n"})
        result = flake8(tmp_path, "a.py")
    else:
        result = flake8(tmp_path, "--isolated", "--select", "IPS", f"--{option}={cli_value}", "a.py")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [message.format(value=config_value if source == "config" else cli_value)]


# --------------------------------------------------------- target Python

REMOVED = "import cgi\nimport asyncore\n"
CGI = "a.py:1:8: IPS206 cgi "  # "is deprecated since 3.11" at 3.11 and 3.12, "was removed in 3.13" after
ASYNCORE = "a.py:2:8: IPS206 asyncore"
RUNNING = [CGI, ASYNCORE] if sys.version_info >= (3, 11) else [ASYNCORE]


@pytest.mark.parametrize(
    ("files", "args", "expected"),
    [
        pytest.param({"setup.cfg": "[flake8]\nimportstyle-target-python = 3.11\n"}, [], [CGI, ASYNCORE], id="option"),
        pytest.param({}, ["--isolated", "--importstyle-target-python=3.10"], [ASYNCORE], id="command line"),
        pytest.param(
            {"tox.ini": "[flake8]\n", "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.10"\n'},
            [], [ASYNCORE], id="pyproject",
        ),
        pytest.param(
            {".flake8": "[flake8]\n", "setup.cfg": "[options]\npython_requires = >=3.11, <4\n"},
            [], [CGI, ASYNCORE], id="setup.cfg",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nrequires-python = ">=3.11"\n'}, [], [CGI, ASYNCORE],
            id="no flake8 config",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nrequires-python = ">=3.10"\n'}, ["--isolated"], RUNNING, id="isolated",
        ),
        pytest.param({"pyproject.toml": '[project]\nrequires-python = "<4"\n'}, [], RUNNING, id="no lower bound"),
        pytest.param(
            {"conf/my.cfg": "[flake8]\n", "conf/pyproject.toml": '[project]\nrequires-python = ">=3.11"\n',
             "pyproject.toml": '[project]\nrequires-python = ">=3.10"\n'},
            ["--config", "conf/my.cfg"], [CGI, ASYNCORE], id="--config",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nimportstyle-target-python = 3.9\n",
             "pyproject.toml": '[project]\nrequires-python = ">=3.11"\n'},
            [], [ASYNCORE], id="the option wins",
        ),
    ],
)
def test_target_python(tmp_path: Path, files: dict[str, str], args: list[str], expected: list[str]) -> None:
    write(tmp_path, {"a.py": REMOVED, "b.py": REMOVED, **files})
    for jobs in ("1", "2"):
        lines = findings(flake8(tmp_path, *args, "--select", "IPS", "-j", jobs, "a.py", "b.py"))
        assert [line for line in lines if line.startswith("a.py")] == [
            line for line in lines if line.startswith("a.py") and any(line.startswith(e) for e in expected)
        ]
        assert len([line for line in lines if line.startswith("a.py")]) == len(expected), lines
        assert len(lines) == 2 * len(expected)


def test_removed_modules_noqa_and_stdin(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "[flake8]\nselect = IPS\nimportstyle-target-python = 3.13\n"})
    source = b"import cgi  # noqa: IPS206\nimport pkg_resources\nimport pipes\n"
    lines = findings(flake8(tmp_path, "--stdin-display-name", "x.py", "-", stdin=source))
    assert [line.split(" ")[0:2] for line in lines] == [["x.py:2:8:", "IPS207"], ["x.py:3:8:", "IPS206"]]
    assert lines[1] == (
        "x.py:3:8: IPS206 pipes was removed in Python 3.13 (deprecated since 3.11); "
        "use subprocess; shlex.quote for pipes.quote"
    )


# ------------------------------------------------------------------- 4. noqa


def test_noqa(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "n.py": (
                "import os.path  # noqa\n"
                "import os.path  # noqa: IPS101\n"
                "import os.path  # noqa: E501\n"
                "import os.path  # noqa: IPS102\n"
                "from os import (\n"
                "    path as path,  # noqa: IPS104\n"
                "    sep as sep,\n"
                ")\n"
            )
        },
    )
    assert findings(flake8(tmp_path, "--isolated", "--select", "IPS", "n.py")) == [
        "n.py:3:8: IPS101 use 'from os import path' instead of 'import os.path'",
        "n.py:4:8: IPS101 use 'from os import path' instead of 'import os.path'",
        "n.py:7:5: IPS104 useless alias: use 'from os import sep'",
    ]


# ------------------------------------------------------------------ 5. stdin

#: A BOM, non-ASCII text before an import, and findings of several rules.
MIXED = (
    "\ufeffimport os.path\n"
    'x = "é"; import json as json\n'
    "import a.b, numpy\n"
    "from os import (\n"
    "    sep as sep,\n"
    ")\n"
).encode("utf-8")


def mixed_findings(name: str) -> list[str]:
    return [
        f"{name}:1:8: IPS101 use 'from os import path' instead of 'import os.path'",
        f"{name}:2:17: IPS104 useless alias: use 'import json'",
        f"{name}:3:8: IPS101 use 'from a import b' instead of 'import a.b'",
        f"{name}:3:13: IPS106 use 'import numpy as np', the conventional name",
        f"{name}:5:5: IPS104 useless alias: use 'from os import sep'",
    ]


def test_stdin_matches_the_file_on_disk(tmp_path: Path) -> None:
    write(tmp_path, {"m.py": MIXED})
    on_disk = findings(flake8(tmp_path, "--isolated", "--select", "IPS", "m.py"))
    from_stdin = findings(
        flake8(tmp_path, "--isolated", "--select", "IPS", "--stdin-display-name=x.py", "-", stdin=MIXED)
    )
    assert on_disk == mixed_findings("m.py")
    assert from_stdin == mixed_findings("x.py")


@pytest.mark.parametrize(
    ("display_name", "expected"),
    [
        ("pkg/__init__.py", []),
        ("pkg/mod.py", ["pkg/mod.py:1:16: IPS104 useless alias: use 'from os import path'"]),
    ],
)
def test_stdin_display_name_init_exemption(tmp_path: Path, display_name: str, expected: list[str]) -> None:
    source = b"from os import path as path\n"
    result = flake8(
        tmp_path, "--isolated", "--select", "IPS", f"--stdin-display-name={display_name}", "-", stdin=source
    )
    assert findings(result) == expected


@pytest.mark.parametrize(("folder", "expected"), [(None, []), ("nowhere", ["nowhere/x.py:1:1: IPS401"])])
def test_stdin_display_name_in_a_folder_that_does_not_exist(tmp_path: Path, folder: str | None, expected: list[str]) -> None:
    """The resolver cannot tell what a folder that is not there holds: no IPS401 (once made, it has none)."""
    if folder:
        (tmp_path / folder).mkdir()
    result = flake8(
        tmp_path, "--isolated", "--select", "IPS401", "--stdin-display-name=nowhere/x.py", "-", stdin=b"x = 1\n"
    )
    assert [line.split(" '")[0] for line in findings(result)] == expected


# ------------------------------------------------------- 6. parallel workers

SRC_FILES = {f"src/f{i}.py": f"import os.path\nimport json as json\nfrom . import m{i}\n" for i in range(6)}


def src_findings(i: int, *, relative: bool) -> list[str]:
    lines = [
        f"src/f{i}.py:1:8: IPS101 use 'from os import path' instead of 'import os.path'",
        f"src/f{i}.py:2:8: IPS104 useless alias: use 'import json'",
    ]
    if relative:
        lines.append(f"src/f{i}.py:3:1: IPS108 use an absolute import instead of 'from . import ...'")
    return lines


def test_jobs_2_matches_jobs_1(tmp_path: Path) -> None:
    write(tmp_path, SRC_FILES)
    serial = findings(flake8(tmp_path, "--isolated", "--select", "IPS", "-j", "1", "src"))
    parallel = findings(flake8(tmp_path, "--isolated", "--select", "IPS", "-j", "2", "src"))
    assert sorted(parallel) == sorted(serial)
    assert sorted(serial) == [line for i in range(6) for line in src_findings(i, relative=False)]


def test_jobs_2_workers_see_config_options(tmp_path: Path) -> None:
    write(tmp_path, {**SRC_FILES, ".flake8": config(select="IPS", importstyle_relative="never")})
    # -vv logs each record with its process name: proof that pool workers (not a serial
    # fallback) checked the files, so IPS108 below was reported from inside the workers.
    result = flake8(tmp_path, "-vv", "-j", "2", "src")
    assert result.returncode == 1
    assert "PoolWorker" in result.stderr
    parallel = result.stdout.splitlines()
    assert sorted(parallel) == [line for i in range(6) for line in src_findings(i, relative=True)]


# --------------------------------------------------------- 7. select / ignore

#: Clean for pycodestyle and pyflakes (the imports are used): only IPS codes can show.
CLEAN_BUT_IPS = "import os.path\nimport json as json\n\nprint(os.path.sep, json.dumps)\n"
IPS101_LINE = "s.py:1:8: IPS101 use 'from os import path' instead of 'import os.path'"
IPS104_LINE = "s.py:2:8: IPS104 useless alias: use 'import json'"


@pytest.mark.parametrize(
    ("args", "config_text", "expected"),
    [
        pytest.param(["--isolated", "--select", "IPS101"], None, [IPS101_LINE], id="select-IPS101"),
        pytest.param(
            ["--isolated", "--extend-ignore", "IPS101"], None, [IPS104_LINE], id="extend-ignore-IPS101"
        ),
        pytest.param(
            [],
            config(select="E,F,W", extend_select="IPS"),
            [IPS101_LINE, IPS104_LINE],
            id="select-EFW-extend-IPS",
        ),
        pytest.param([], config(select="E,F,W"), [], id="select-EFW"),
    ],
)
def test_select(tmp_path: Path, args: list[str], config_text: str | None, expected: list[str]) -> None:
    write(tmp_path, {"s.py": CLEAN_BUT_IPS})
    if config_text is not None:
        write(tmp_path, {"setup.cfg": config_text})
    assert findings(flake8(tmp_path, *args, "s.py")) == expected


# ---------------------------------------------------------------- 8. columns


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'x = "é"; import os.path\n',
            ["1:17: IPS101 use 'from os import path' instead of 'import os.path'"],
            id="non-ascii-before",
        ),
        pytest.param(
            '\ufeffimport os.path\nx = "é"; import a.b\n',
            [
                "1:8: IPS101 use 'from os import path' instead of 'import os.path'",
                "2:17: IPS101 use 'from a import b' instead of 'import a.b'",
            ],
            id="utf8-bom",
        ),
        pytest.param(
            "if True:\n\timport os.path\n",
            ["2:9: IPS101 use 'from os import path' instead of 'import os.path'"],
            id="tab-indent",
        ),
        pytest.param(
            "import a.b, c.d\n",
            [
                "1:8: IPS101 use 'from a import b' instead of 'import a.b'",
                "1:13: IPS101 use 'from c import d' instead of 'import c.d'",
            ],
            id="several-aliases",
        ),
    ],
)
def test_columns(tmp_path: Path, source: str, expected: list[str]) -> None:
    write(tmp_path, {"c.py": source})
    result = flake8(tmp_path, "--isolated", "--select", "IPS", "c.py")
    assert findings(result) == [f"c.py:{e}" for e in expected]


# ------------------------------------------------------ 9. broken and empty


def test_syntax_error_gives_e999_only(tmp_path: Path) -> None:
    write(tmp_path, {"e.py": "import os.path\ndef f(:\n    pass\n"})
    result = flake8(tmp_path, "--isolated", "--select", "E9,IPS", "e.py")
    assert result.returncode == 1
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    # the column and text of the SyntaxError vary between Python versions
    assert line.startswith("e.py:2:")
    assert " E999 SyntaxError: " in line


def test_empty_file(tmp_path: Path) -> None:
    write(tmp_path, {"empty.py": ""})
    result = flake8(tmp_path, "--isolated", "empty.py")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# ------------------------------------------- 10. opt-in codes and the resolver

#: Clean for pycodestyle and pyflakes: only IPS codes can show, whatever is selected.
OPT_IN_FILES = {
    "tools/report.py": 'from os.path import join\n\nprint(join("a", "b"))\n',
    "x.py": 'import xml\n\nprint(xml.etree.ElementTree.parse("x"))\n',
}
IPS401_LINE = (
    "tools/report.py:1:1: IPS401 'tools' has no __init__.py, so this file is part of an implicit "
    "namespace package: add 'tools/__init__.py', or list the folder in importstyle-namespace-packages"
)
IPS403_LINE = "tools/report.py:1:21: IPS403 'join' is not a module; write 'from os import path' and use 'path.join'"
IPS402_LINE = (
    "x.py:3:7: IPS402 'xml.etree.ElementTree' is a submodule that this file never imports; it works only "
    "if something else imported it first; write 'import xml.etree.ElementTree as ET'"
)


@pytest.mark.parametrize(
    ("args", "config_text", "expected"),
    [
        pytest.param(["--isolated"], None, [IPS402_LINE], id="defaults"),
        pytest.param(["--isolated", "--extend-select", "IPS401"], None, [IPS401_LINE, IPS402_LINE], id="cli-401"),
        pytest.param([], config(extend_select="IPS401"), [IPS401_LINE, IPS402_LINE], id="config-401"),
        pytest.param(["--isolated", "--extend-select", "IPS403"], None, [IPS403_LINE, IPS402_LINE], id="cli-403"),
        pytest.param(
            [], config(extend_select="IPS401, IPS403"), [IPS401_LINE, IPS403_LINE, IPS402_LINE], id="config-both"
        ),
        pytest.param(
            ["--isolated", "--extend-select", "IPS4"], None, [IPS401_LINE, IPS403_LINE, IPS402_LINE], id="IPS4"
        ),
        pytest.param(["--isolated", "--select", "IPS401"], None, [IPS401_LINE], id="select-401-only"),
        # the plugin's prefix alone, the usual way to add it to a narrowed select, keeps them off
        pytest.param(["--isolated", "--select", "IPS"], None, [IPS402_LINE], id="select-IPS"),
        pytest.param([], config(select="E,F,W", extend_select="IPS"), [IPS402_LINE], id="select-EFW-extend-IPS"),
        pytest.param(["--isolated", "--extend-ignore", "IPS402"], None, [], id="extend-ignore-402"),
        pytest.param(
            [], config(extend_select="IPS4", extend_ignore="IPS403"), [IPS401_LINE, IPS402_LINE], id="ignore-403"
        ),
    ],
)
def test_opt_in_codes(tmp_path: Path, args: list[str], config_text: str | None, expected: list[str]) -> None:
    write(tmp_path, OPT_IN_FILES)
    if config_text is not None:
        write(tmp_path, {"setup.cfg": config_text})
    assert sorted(findings(flake8(tmp_path, *args, "tools/report.py", "x.py"))) == sorted(expected)


@pytest.mark.parametrize(
    ("option", "value", "code"),
    [
        pytest.param("importstyle-namespace-packages", "tools", "IPS401", id="namespace-packages"),
        pytest.param("importstyle-names-ok", "os.path", "IPS403", id="names-ok"),
    ],
)
@pytest.mark.parametrize("source", ["config", "command line"])
def test_opt_in_options(tmp_path: Path, source: str, option: str, value: str, code: str) -> None:
    write(tmp_path, OPT_IN_FILES)
    if source == "config":
        write(tmp_path, {".flake8": f"[flake8]\nextend-select = IPS4\n{option} = {value}\n"})
        result = flake8(tmp_path, "tools/report.py", "x.py")
    else:
        result = flake8(tmp_path, "--isolated", "--extend-select", "IPS4", f"--{option}={value}", "tools/report.py", "x.py")
    every = [IPS401_LINE, IPS403_LINE, IPS402_LINE]
    assert sorted(findings(result)) == sorted(line for line in every if f" {code} " not in line)


def test_the_resolver_finds_the_projects_own_packages(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mypkg/__init__.py": "",
            "mypkg/sub.py": "def run():\n    pass\n",
            "app.py": "import mypkg\n\nmypkg.sub.run()\n",
        },
    )
    assert findings(flake8(tmp_path, "--isolated", "--select", "IPS", "app.py")) == [
        "app.py:3:1: IPS402 'mypkg.sub' is a submodule that this file never imports; it works only if "
        "something else imported it first; write 'from mypkg import sub'"
    ]
