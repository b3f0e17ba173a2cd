"""``fix --unsafe-fixes``: the rewrites that change what the program does on purpose
(IPS204, IPS302), what they refuse, how the proof holds them to the change they
declare, and programs run before and after to show the change is the intended one."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_importstyle.config import Config
from flake8_importstyle.fix import FixResult, fix_bytes
from flake8_importstyle.names import ImportFacts
from flake8_importstyle.proof import Intent, prove

LOADER = "import importlib\n\nimportlib.import_module('.plugins')\n"
STALE = (
    "from importlib import reload\n\nimport settings\nfrom settings import DEBUG\n\n"
    "print(DEBUG)\nreload(settings)\nprint(DEBUG)\n"
)


def in_package(tmp_path: Path, source: str, name: str = "mod.py") -> Path:
    """*source* as ``app/<name>``, in a package ``app`` written in *tmp_path*."""
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "__init__.py").touch()
    path = tmp_path / "app" / name
    path.write_text(source, encoding="utf-8")
    return path


def fix(path: Path, unsafe: bool = True) -> FixResult:
    result = fix_bytes(path.read_bytes(), str(path), Config.from_options(), unsafe=unsafe)
    if result.changed:  # idempotent, and nothing new to refuse
        again = fix_bytes(result.data, str(path), Config.from_options(), unsafe=unsafe)
        assert again.data == result.data, "a second run changed the file"
    return result


def reasons(result: FixResult, code: str) -> list[str]:
    return [reason for _, _, c, reason in result.skipped if c == code]


# -------------------------------------------------------------- without the flag


@pytest.mark.parametrize(
    ("source", "code", "what"),
    [
        (LOADER, "IPS204", "TypeError becomes an import"),
        (STALE, "IPS302", "the reads after the reload see the reloaded module's objects"),
    ],
)
def test_without_the_flag_the_file_is_left_and_the_reason_says_so(
    tmp_path: Path, source: str, code: str, what: str
) -> None:
    result = fix(in_package(tmp_path, source), unsafe=False)
    assert not result.changed
    assert reasons(result, code) == [f"the rewrite changes what the program does ({what}); pass --unsafe-fixes"]


# ------------------------------------------------------------------------ IPS204


@pytest.mark.parametrize(
    ("call", "rewritten"),
    [
        ("importlib.import_module('.plugins')", "importlib.import_module('.plugins', package=__package__)"),
        ("importlib.import_module('.plugins',)", "importlib.import_module('.plugins', package=__package__,)"),
        ("importlib.import_module(name='.a.b')", "importlib.import_module(name='.a.b', package=__package__)"),
        (
            "importlib.import_module(\n    '.plugins'\n)",
            "importlib.import_module(\n    '.plugins', package=__package__\n)",
        ),
    ],
)
def test_ips204_gains_the_package(tmp_path: Path, call: str, rewritten: str) -> None:
    result = fix(in_package(tmp_path, f"import importlib\n\nplugins = {call}\n"))
    assert result.data.decode() == f"import importlib\n\nplugins = {rewritten}\n"
    assert result.skipped == []


def test_ips204_in_a_package_s_init(tmp_path: Path) -> None:
    result = fix(in_package(tmp_path, LOADER, "__init__.py"))
    assert "package=__package__" in result.data.decode()


def test_ips204_is_refused_outside_a_package(tmp_path: Path) -> None:
    path = tmp_path / "loose.py"
    path.write_text(LOADER, encoding="utf-8")
    result = fix(path)
    assert not result.changed
    assert reasons(result, "IPS204") == [
        "the file is in no package (no __init__.py beside it), so __package__ names none to import from"
    ]


@pytest.mark.parametrize(
    "binding",
    ["__package__ = 'elsewhere'\n", "def f(__package__):\n    pass\n", "globals()['x'] = __package__ or 'y'\n"],
)
def test_ips204_is_refused_where_the_file_names_package(tmp_path: Path, binding: str) -> None:
    result = fix(in_package(tmp_path, "import importlib\n" + binding + "importlib.import_module('.p')\n"))
    assert not result.changed
    assert reasons(result, "IPS204") == [
        "line 2 names __package__, which may then not be this module's package"
    ]


def test_ips204_with_a_package_already_is_no_finding(tmp_path: Path) -> None:
    source = "import importlib\n\nimportlib.import_module('.p', 'app')\nimportlib.import_module('.p', package=None)\n"
    result = fix(in_package(tmp_path, source))
    assert not result.changed and result.skipped == []


# ------------------------------------------------------------------------ IPS302


def test_ips302_reads_every_stale_name_from_the_module(tmp_path: Path) -> None:
    source = STALE + "if DEBUG:\n    flags = [DEBUG for _ in range(2)]\nprint(DEBUG.real, f'{DEBUG}')\n"
    result = fix(in_package(tmp_path, source))
    assert result.data.decode() == STALE.replace("print(DEBUG)\n", "print(settings.DEBUG)\n").replace(
        "print(settings.DEBUG)\nreload", "print(DEBUG)\nreload"
    ) + (
        "if settings.DEBUG:\n    flags = [settings.DEBUG for _ in range(2)]\n"
        "print(settings.DEBUG.real, f'{settings.DEBUG}')\n"
    )
    assert result.skipped == []


def test_ips302_drops_the_from_import_nothing_else_reads(tmp_path: Path) -> None:
    source = "import importlib\nimport app.settings\nfrom app.settings import DEBUG as D\n\n"
    source += "importlib.reload(app.settings)\nprint(D)\n"
    result = fix(in_package(tmp_path, source))
    assert result.data.decode() == (
        "import importlib\nimport app.settings\n\nimportlib.reload(app.settings)\nprint(app.settings.DEBUG)\n"
    )


def test_ips302_in_a_function(tmp_path: Path) -> None:
    source = (
        "from importlib import reload\nimport settings\nfrom settings import DEBUG\n\n"
        "def refresh():\n    reload(settings)\n    return DEBUG\n"
    )
    result = fix(in_package(tmp_path, source))
    assert result.data.decode() == (
        "from importlib import reload\nimport settings\n\n"
        "def refresh():\n    reload(settings)\n    return settings.DEBUG\n"
    )


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ("DEBUG = 2\n", "'DEBUG' is written at line 9, so some of its reads are no stale import"),
        ("def later():\n    global DEBUG\n", "'DEBUG' is written at line 10, so some of its reads are no stale import"),
        (
            "def later():\n    return DEBUG\n",
            "'DEBUG' is also read at line 10, in a function or class the reload's flow does not follow",
        ),
    ],
)
def test_ips302_refusals_name_their_reason(tmp_path: Path, tail: str, reason: str) -> None:
    result = fix(in_package(tmp_path, STALE + tail))
    assert not result.changed
    assert reason in reasons(result, "IPS302")


@pytest.mark.parametrize("tail", ["settings = None\nprint(DEBUG)\n", "print([DEBUG for settings in range(1)])\n"])
def test_ips302_reports_nothing_where_the_module_s_name_is_rebound(tmp_path: Path, tail: str) -> None:
    """The rule names the module only where the file binds its name by imports alone,
    so a rebound (or shadowed) ``M`` never reaches the fixer; the proof refuses it too
    (test_the_proof_holds_the_fresh_read_to_its_declaration)."""
    result = fix(in_package(tmp_path, STALE + tail))
    assert not result.changed and result.skipped == []


# --------------------------------------------------- the proof holds the declaration


def proved(old: str, new: str, *intended: Intent) -> str | None:
    return prove(old, new, facts=ImportFacts(), intended=intended)


def test_the_proof_refuses_an_undeclared_change_of_behaviour() -> None:
    old = "import importlib\nimportlib.import_module('.p')\n"
    new = "import importlib\nimportlib.import_module('.p', package=__package__)\n"
    assert proved(old, new) == "line 2 is not the original code"
    assert proved(old, new, Intent("package", 2, 0)) is None


def test_the_proof_refuses_a_declared_change_that_is_not_made() -> None:
    old = new = "import importlib\nimportlib.import_module('.p')\n"
    assert proved(old, new, Intent("package", 2, 0)) == "line 2: the call does not gain package=__package__ as declared"
    old = new = "import settings\nfrom settings import X\nprint(X)\n"
    assert proved(old, new, Intent("package", 9, 0)) == "line 9: the rewrite does not make the change it declares"


@pytest.mark.parametrize(
    "new",
    [
        "import importlib\nimportlib.import_module('.p', package=None)\n",
        "import importlib\nimportlib.import_module('.q', package=__package__)\n",
        "import importlib\nimportlib.reload('.p', package=__package__)\n",
        "import importlib\n__package__ = 'x'\nimportlib.import_module('.p', package=__package__)\n",
    ],
)
def test_the_proof_holds_the_package_change_to_its_declaration(new: str) -> None:
    old = "import importlib\nimportlib.import_module('.p')\n"
    assert proved(old, new, Intent("package", 2, 0)) is not None


def test_the_proof_holds_the_fresh_read_to_its_declaration() -> None:
    old = "import importlib\nimport settings\nfrom settings import X\nimportlib.reload(settings)\nprint(X, X)\n"
    new = old.replace("print(X, X)", "print(settings.X, X)")
    declared = Intent("attribute", 5, 6, "settings", "X")
    assert proved(old, new, declared) is None
    # another member, another module, a second read changed without being declared
    assert proved(old, new.replace("settings.X", "settings.Y"), declared) is not None
    assert proved(old, "import other\n" + new.replace("settings.X", "other.X"), declared) is not None
    assert proved(old, old.replace("print(X, X)", "print(settings.X, settings.X)"), declared) is not None
    # `settings` rebound before the read, or shadowed where it is read
    rebound = old.replace("print(X, X)", "settings = None\nprint(X, X)")
    declared = Intent("attribute", 6, 6, "settings", "X")
    assert proved(rebound, rebound.replace("print(X, X)", "print(settings.X, X)"), declared) == (
        "'settings.X' at line 6 would not read 'settings.X': 'settings' is not bound to the module there alone"
    )
    shadowed = old.replace("print(X, X)", "print([X for settings in 'ab'], X)")
    declared = Intent("attribute", 5, 7, "settings", "X")
    assert proved(shadowed, shadowed.replace("[X for", "[settings.X for"), declared) is not None


# ------------------------------------------- behaviour: the change is the intended one


def run(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-E", "-s", "-c", code], cwd=folder, capture_output=True, text=True, timeout=60
    )


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_importstyle", "fix", "--isolated", *args],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_ips204_before_raises_typeerror_after_imports_the_sibling(tmp_path: Path) -> None:
    in_package(tmp_path, "import importlib\n\nplugins = importlib.import_module('.plugins')\n", "loader.py")
    (tmp_path / "app" / "plugins.py").write_text("print('plugins imported')\n", encoding="utf-8")
    before = run(tmp_path, "import app.loader")
    assert "TypeError" in before.stderr and before.returncode == 1

    left = cli(tmp_path, "app")
    assert left.returncode == 0
    assert "app/loader.py:3:11: IPS204 not fixed: the rewrite changes what the program does" in left.stdout
    assert "pass --unsafe-fixes" in left.stdout
    assert run(tmp_path, "import app.loader").stderr == before.stderr

    done = cli(tmp_path, "--unsafe-fixes", "app")
    assert (done.returncode, done.stdout) == (1, "rewrote app/loader.py\n"), done.stderr  # 1: files changed
    after = run(tmp_path, "import app.loader; print(app.loader.plugins.__name__)")
    assert (after.returncode, after.stdout, after.stderr) == (0, "plugins imported\napp.plugins\n", "")


def test_ips302_before_prints_the_stale_value_after_the_reloaded_one(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text("import os\nDEBUG = os.environ.get('DEBUG', 'off')\n", encoding="utf-8")
    main = tmp_path / "main.py"
    main.write_text(
        textwrap.dedent(
            """\
            import os
            from importlib import reload

            import settings
            from settings import DEBUG

            print("first", DEBUG)
            os.environ["DEBUG"] = "on"
            reload(settings)
            print("then", DEBUG)
            """
        ),
        encoding="utf-8",
    )
    before = run(tmp_path, "import main")
    assert before.stdout == "first off\nthen off\n"

    left = cli(tmp_path, "main.py")
    assert "main.py:10:15: IPS302 not fixed: the rewrite changes what the program does" in left.stdout
    assert run(tmp_path, "import main").stdout == before.stdout

    done = cli(tmp_path, "--unsafe-fixes", "main.py")
    assert (done.returncode, done.stdout) == (1, "rewrote main.py\n"), done.stderr
    assert 'print("then", settings.DEBUG)' in main.read_text(encoding="utf-8")
    ast.parse(main.read_text(encoding="utf-8"))
    after = run(tmp_path, "import main")
    assert (after.stdout, after.stderr) == ("first off\nthen on\n", "")


def test_the_flag_is_in_the_help() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "flake8_importstyle", "fix", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "--unsafe-fixes" in " ".join(shown.split())
    assert "without it the fixer never changes behaviour" in " ".join(shown.split())


# ------------------------------------------------------------------------ IPS403


def fix_403(path: Path, unsafe: bool = True) -> FixResult:
    config = Config.from_options()
    result = fix_bytes(path.read_bytes(), str(path), config, opt_in=("IPS403",), unsafe=unsafe)
    again = fix_bytes(result.data, str(path), config, opt_in=("IPS403",), unsafe=unsafe)
    assert again.data == result.data, "a second run changed the file"
    return result


def test_ips403_reads_each_name_from_its_module(tmp_path: Path) -> None:
    # basename, which posixpath defines itself: for exists, which it takes from genericpath's
    # star import, the rule reports on 3.10 and 3.11 and cannot tell on 3.12 and 3.13
    source = "from os.path import join, basename\nimport json\nfrom json import dumps as d\n\n"
    source += "print(join('a', 'b'), basename('/'), d([1]))\n"
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    assert fix_403(path, unsafe=False).data.decode() == source
    assert reasons(fix_403(path, unsafe=False), "IPS403") == [
        "the rewrite changes what the program does (each use reads the attribute when it runs, not once"
        " at the import); pass --unsafe-fixes"
    ] * 3
    result = fix_403(path)
    assert result.data.decode() == (
        "from os import path\nimport json\n\nprint(path.join('a', 'b'), path.basename('/'), json.dumps([1]))\n"
    )


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "from os.path import join\npath = 'p'\nprint(join(path))\n",
            "'path' is already a name in this file (line 2), not only the module's",
        ),
        (
            "from os.path import join\ndef f():\n    return path\nprint(join('a'))\n",
            "'path' is already a name in this file (line 3), not only the module's",
        ),
        ("def f():\n    from os.path import join\n    return join('a')\n", "only absolute module-level imports are rewritten"),
    ],
)
def test_ips403_refusals_name_their_reason(tmp_path: Path, source: str, reason: str) -> None:
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    result = fix_403(path)
    assert not result.changed
    assert reasons(result, "IPS403") == [reason]


def test_ips403_after_the_rewrite_a_patched_attribute_is_seen(tmp_path: Path) -> None:
    main = tmp_path / "main.py"
    main.write_text(
        "from unittest import mock\nfrom os.path import join\n\n"
        "with mock.patch('os.path.join', lambda *parts: 'patched'):\n    print(join('a', 'b'))\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "import main").stdout == "a/b\n"
    done = cli(tmp_path, "--select", "IPS403", "--unsafe-fixes", "main.py")
    assert (done.returncode, done.stdout) == (1, "rewrote main.py\n"), done.stderr
    assert run(tmp_path, "import main").stdout == "patched\n"


# ------------------------------------------------------------------------ IPS105


@pytest.mark.parametrize(
    ("source", "rewritten"),
    [
        (
            "import os\nfrom json import dumps, loads\n\nprint(dumps(loads('[1]')), os.sep)\n",
            "import os\nimport json\n\nprint(json.dumps(json.loads('[1]')), os.sep)\n",
        ),
        (
            "import json\nfrom json import dumps as d\n\nprint(d([]), json.loads('1'))\n",
            "import json\n\nprint(json.dumps([]), json.loads('1'))\n",
        ),
    ],
)
def test_ips105_imports_the_module_whole(tmp_path: Path, source: str, rewritten: str) -> None:
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    config = Config.from_options(no_from=["json"])
    left = fix_bytes(source.encode(), str(path), config)
    assert not left.changed and [r for _, _, c, r in left.skipped if c == "IPS105"] == [
        "the rewrite changes what the program does (each use reads the attribute when it runs, not once"
        " at the import); pass --unsafe-fixes"
    ]
    result = fix_bytes(source.encode(), str(path), config, unsafe=True)
    assert result.data.decode() == rewritten
    assert fix_bytes(result.data, str(path), config, unsafe=True).data == result.data


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("from json import *\nprint(dumps([]))\n", "the flagged import could not be located, or imports *"),
        ("from json import dumps  # why\nprint(dumps([]))\n", "the import shares its line with other statements, or has comments"),
        ("from json import dumps\njson = 1\nprint(dumps([]))\n", "'json' is already a name in this file (line 2), not only the module's"),
    ],
)
def test_ips105_refusals_name_their_reason(tmp_path: Path, source: str, reason: str) -> None:
    path = tmp_path / "mod.py"
    result = fix_bytes(source.encode(), str(path), Config.from_options(no_from=["json"]), unsafe=True)
    assert not result.changed
    assert [r for _, _, c, r in result.skipped if c == "IPS105"] == [reason]
