"""Odd input, through the real flake8 and the real fixer command, never a traceback.

Every case is a small file in one folder, linted by one ``flake8 -j 2`` run
(so a file that would hang or crash a worker, such as a 10,000-term
``a and a and ...``, is run in parallel with a timeout) and fixed by one
``python -m flake8_importstyle fix -j 2`` run. flake8 must exit 0 or 1 with
no traceback and no IPS001, and each file's IPS1xx-IPS3xx findings must be
exactly the expected ones, at the expected line and column. The fixer must
exit 0, 1 or 2, do what each case expects (rewrite, leave alone, or report
an error), and every file it rewrote must still compile.

Also here: newer syntax (match, PEP 695, PEP 701) through the plugin and the
fixer under the running Python; libcst on Python 3.14 syntax; and the user
errors that tests/test_flake8_e2e.py and tests/test_cli.py do not cover.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
import pytest

from flake8_importstyle import fix as fix_module
from flake8_importstyle.config import OPTION_NAMES, Config
from flake8_importstyle.fix import fix_bytes
from tests._hardening import (
    OPT_IN_CODES,
    compiles,
    fix_cli,
    flake8,
    parse_findings,
    plugin_findings,
    rewritten,
)

pytestmark = pytest.mark.slow

#: The codes whose findings each case lists exactly (IPS4xx depend on the folders around a file).
ASSERTED = ("IPS0", "IPS1", "IPS2", "IPS3", "E9")
SELECT = ("--select", "IPS,E9", *(("--extend-select", ",".join(OPT_IN_CODES)) if OPT_IN_CODES else ()))


def ips101(row: int, col: int, module: str) -> str:
    parent, _, leaf = module.rpartition(".")
    return f"{row}:{col}: IPS101 use 'from {parent} import {leaf}' instead of 'import {module}'"


def ips201(row: int, col: int) -> str:
    return f"{row}:{col}: IPS201 use 'importlib.import_module(name)' instead of calling __import__"


@dataclass
class Case:
    """One odd file: its bytes, flake8's findings (``row:col: CODE text``, 1-based
    column), and what the fixer does: "rewrote", "same" or "error: <start of message>"."""

    data: bytes
    findings: list[str] = field(default_factory=list)
    fixer: str = "same"
    #: flake8 reports E999 (its position and text vary between Pythons)
    e999: bool = False
    #: lines the fixer prints for this file ("not fixed" reasons), when they matter
    skipped: tuple[str, ...] = ()


def _nested(levels: int) -> bytes:
    heads = ("if x:", "def f():", "class C:")
    lines = ["    " * depth + heads[depth % 3] for depth in range(levels)]
    return ("\n".join([*lines, "    " * levels + "import os.path"]) + "\n").encode()


LONG = 1_000_000
REMOVAL_LOOP = (
    "import sys\nimport config\nfor k in list(sys.modules):\n    if k.startswith({}):\n"
    "        del sys.modules[k]\nimport config\n"
)
IPS301_CONFIG = (
    "6:8: IPS301 'config' was removed from sys.modules at line 5 while the import at line 2 still holds it: "
    "this import makes a second module object; use importlib.reload(config)"
)
NOT_BYTE_FOR_BYTE = "IPS101 not fixed: libcst does not reproduce this file byte for byte"

CASES: dict[str, Case] = {
    # bytes and encodings
    "nul_byte.py": Case(b"import os.path\n\x00\n", e999=True, fixer="error: does not parse: "),
    # flake8 falls back to latin-1 when UTF-8 fails; the fixer decodes as Python does, and refuses
    "undecodable.py": Case(b"import os.path\nx = '\xff'\n", [ips101(1, 8, "os.path")], fixer="error: cannot decode: "),
    "utf8_bom.py": Case("\ufeffimport os.path\nimport a.b\nprint(os.path.sep, a.b)\n".encode(), [ips101(1, 8, "os.path"), ips101(2, 8, "a.b")], "rewrote"),
    "crlf.py": Case(b"import json\r\nimport os.path\r\nos.path.sep\r\n", [ips101(2, 8, "os.path")], "rewrote"),
    "lone_cr.py": Case(
        b"import json\rimport os.path\r", [ips101(2, 8, "os.path")], skipped=(f"2:8: {NOT_BYTE_FOR_BYTE}",)
    ),
    "form_feed.py": Case(
        b"\x0cimport os.path\n\x0c\nif True:\n\x0c    import a.b\n",
        [ips101(1, 9, "os.path"), ips101(4, 13, "a.b")],
        skipped=(f"1:9: {NOT_BYTE_FOR_BYTE}", f"4:13: {NOT_BYTE_FOR_BYTE}"),
    ),
    "tab_indent.py": Case(b"if True:\n\timport os.path\n\tx = os.path.sep\n", [ips101(2, 9, "os.path")], "rewrote"),
    "non_ascii.py": Case(
        'import naïve.modulé\nx = "é"; import naïve.modulé as modulé\n'.encode(),
        [
            ips101(1, 8, "naïve.modulé"),
            "2:17: IPS102 use 'from naïve import modulé' instead of 'import naïve.modulé as modulé'",
        ],
        "rewrote",
    ),
    # NFKC: Python reads 'ﬁle' as 'file'; the columns still count the characters on the line
    "nfkc.py": Case(
        "import ﬁle.x\nﬁle.x.y\nﬁ = 1; import a.b\n".encode(),
        [ips101(1, 8, "file.x"), ips101(3, 15, "a.b")],
    ),
    # size and depth
    "nested_60.py": Case(_nested(60), [ips101(61, 248, "os.path")]),
    "long_line.py": Case(
        ('x = "' + "a" * LONG + '"; import os.path\nos.path.sep\n').encode(), [ips101(1, LONG + 16, "os.path")], "rewrote"
    ),
    "long_non_ascii_line.py": Case(
        ('x = "' + "é" * (LONG // 2) + '"; import os.path\nos.path.sep\n').encode(),
        [ips101(1, LONG // 2 + 16, "os.path")],
        "rewrote",
    ),
    # libcst parses it; its whole-module metadata used to recurse too deep here, and the
    # fixer now indexes one top-level statement at a time: the file is fixed
    "nested_brackets.py": Case(
        b"import os.path\nos.path.sep\nx = " + b"[" * 150 + b"]" * 150 + b"\n",
        [ips101(1, 8, "os.path")],
        fixer="rewrote",
    ),
    # libcst's native parser overflows its stack on this chain: the lint path never goes near it
    "and_chain.py": Case(
        b"import os.path\nx = " + b" and ".join([b"a"] * 10_000) + b"\n",
        [ips101(1, 8, "os.path")],
        fixer="error: libcst's parser crashed on this file; left unchanged",
    ),
    "imports_50000.py": Case(
        "".join(f"import m{i}.sub\n" for i in range(50_000)).encode(),
        [ips101(i + 1, 8, f"m{i}.sub") for i in range(50_000)],
        fixer="not run",  # linear, but some milliseconds a finding: minutes for 50,000 (test_scaling.py)
    ),
    "plain_imports_50000.py": Case("".join(f"import m{i}\nm{i}.f()\n" for i in range(25_000)).encode()),
    "empty.py": Case(b""),
    "syntax_error.py": Case(b"import os.path\ndef f(:\n    pass\n", e999=True, fixer="error: does not parse: "),
    "python2.py": Case(b"import os.path\nprint 'hello'\nx = 0777\n", e999=True, fixer="error: does not parse: "),
    # calls with odd shapes: the rules must neither crash nor guess
    "dunder_import_no_args.py": Case(b"__import__()\n", [ips201(1, 1)]),
    "dunder_import_star_args.py": Case(b"__import__(*args)\n", [ips201(1, 1)]),
    "dunder_import_kwargs.py": Case(b"__import__(**kw)\n", [ips201(1, 1)]),
    "dunder_import_empty_name.py": Case(b'__import__("")\n', [ips201(1, 1)]),
    "import_module_bytes.py": Case(b'import importlib\nimportlib.import_module(b".x")\n'),
    "setattr_one_arg.py": Case(b"import builtins\nsetattr(builtins)\n"),
    "import_augmented.py": Case(
        b"import builtins\nbuiltins.__import__ += 1\n",
        [
            "2:1: IPS203 replacing builtins.__import__ changes every import in the process; "
            "install a finder on sys.meta_path (or a path hook) instead"
        ],
    ),
    "del_sys_modules.py": Case(b"import sys\nimport json\ndel sys.modules\nimport json\n"),
    "sys_modules_pop_no_args.py": Case(b"import sys\nimport json\nsys.modules.pop()\nimport json\n"),
    "del_sys_modules_slice.py": Case(b"import sys\nimport json\ndel sys.modules[1:2]\nimport json\n"),
    "startswith_no_args.py": Case(REMOVAL_LOOP.format("").encode()),
    # the same loop with an argument: the rule does fire, so the case above tests something
    "startswith_prefix.py": Case(REMOVAL_LOOP.format('"config"').encode(), [IPS301_CONFIG]),
    "reload_no_args.py": Case(
        b"import importlib\nfrom importlib import reload\nimport config\nfrom config import x\n"
        b"importlib.reload()\nreload()\nprint(x)\n"
    ),
}

#: Files the flake8 run leaves out: test_flake8_on_a_nul_byte runs flake8 on it alone.
FLAKE8_ALONE = ("nul_byte.py",)
#: Files the fixer run leaves out, each with the reason.
NOT_FIXED_HERE = {
    "and_chain.py": "crashes a worker; fixed alone below, see test_a_libcst_crash_is_reported_alone",
    "imports_50000.py": "the fixer takes hours on 50,000 findings (test_scaling.py)",
}


@pytest.fixture(scope="module")
def odd_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    for name, case in CASES.items():
        (folder / name).write_bytes(case.data)
    return folder


@pytest.fixture(scope="module")
def flake8_lines(odd_folder: Path) -> dict[str, list[str]]:
    """One ``flake8 -j 2`` run over every case: each file's output lines, without the file name."""
    exclude = ("--extend-exclude", ",".join(FLAKE8_ALONE))
    result = flake8(odd_folder, "--isolated", "-j", "2", *SELECT, *exclude, ".", timeout=600)
    assert result.stderr == ""
    per_file: dict[str, list[str]] = {name: [] for name in CASES if name not in FLAKE8_ALONE}
    for path, row, col, code, text in parse_findings(result.stdout):
        per_file[Path(path).name].append(f"{row}:{col}: {code} {text}")
    return per_file


def _check_lines(case: Case, all_lines: list[str]) -> None:
    lines = [line for line in all_lines if line.split(" ")[1].startswith(ASSERTED)]
    e999 = [line for line in lines if " E999 " in line]
    assert len(e999) == int(case.e999), lines[:5]
    assert [line for line in lines if " E999 " not in line] == case.findings


@pytest.mark.parametrize("name", sorted(set(CASES) - set(FLAKE8_ALONE)))
def test_flake8_on_odd_input(flake8_lines: dict[str, list[str]], name: str) -> None:
    _check_lines(CASES[name], flake8_lines[name])


def _ast_rejects_nul_with_value_error() -> bool:
    try:
        ast.parse("x = 1\x00\n")
    except SyntaxError:
        return False
    except ValueError:
        return True
    return False


def test_flake8_on_a_nul_byte(tmp_path: Path) -> None:
    """A NUL byte is E999, nothing else. Where ``ast.parse`` raises ValueError for it
    (Python 3.10 here), flake8 7 itself crashes before any plugin runs."""
    case = CASES["nul_byte.py"]
    (tmp_path / "nul_byte.py").write_bytes(case.data)
    args = [sys.executable, "-m", "flake8", "--isolated", *SELECT, "nul_byte.py"]
    if _ast_rejects_nul_with_value_error():
        proc = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
        assert "ValueError: source code string cannot contain null bytes" in proc.stderr
        assert "flake8_importstyle" not in proc.stderr, "the plugin takes part in flake8's crash"
        pytest.xfail("flake8 crashes on a NUL byte under this Python (ast.parse raises ValueError), not the plugin")
    result = flake8(tmp_path, "--isolated", *SELECT, "nul_byte.py")
    assert result.stderr == ""
    _check_lines(case, [f"{row}:{col}: {code} {text}" for _, row, col, code, text in parse_findings(result.stdout)])


@pytest.fixture(scope="module")
def fixed_folder(odd_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    folder = tmp_path_factory.mktemp("odd-fixed")
    for name in CASES:
        if name not in NOT_FIXED_HERE:
            shutil.copy2(odd_folder / name, folder / name)
    (folder / "none.cfg").write_text("")
    result = fix_cli(folder, "-j", "2", "--config", "none.cfg", ".", timeout=600)
    assert result.returncode == 2  # some files cannot be parsed
    return folder, result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(set(CASES) - set(NOT_FIXED_HERE)))
def test_the_fixer_on_odd_input(fixed_folder: tuple[Path, str, str], name: str) -> None:
    folder, stdout, stderr = fixed_folder
    case = CASES[name]
    data = (folder / name).read_bytes()
    errors = [line.split(": error: ", 1)[1] for line in stderr.splitlines() if line.startswith(f"{name}: error: ")]
    skipped = tuple(line.split(":", 1)[1] for line in stdout.splitlines() if line.startswith(f"{name}:"))
    if case.fixer == "rewrote":
        assert name in rewritten(stdout) and not errors
        assert data != case.data and compiles(data, name)
        assert data.startswith(b"\xef\xbb\xbf") == case.data.startswith(b"\xef\xbb\xbf")  # BOM kept
        assert (b"\r\n" in data) == (b"\r\n" in case.data)  # newlines kept
    elif case.fixer == "same":
        assert name not in rewritten(stdout) and not errors
        assert data == case.data
    else:
        assert case.fixer.startswith("error: ")
        assert len(errors) == 1 and errors[0].startswith(case.fixer[len("error: "):]), errors
        assert data == case.data
    if case.skipped:
        assert skipped == case.skipped


def test_a_libcst_crash_is_reported_alone(tmp_path: Path) -> None:
    """The 10,000-term chain kills libcst's parser: the fixer reports it and goes on."""
    case = CASES["and_chain.py"]
    (tmp_path / "and_chain.py").write_bytes(case.data)
    (tmp_path / "b.py").write_bytes(b"import os.path\nos.path.sep\n")
    (tmp_path / "none.cfg").write_text("")
    result = fix_cli(tmp_path, "-j", "1", "--config", "none.cfg", "and_chain.py", "b.py", timeout=300)
    assert (result.returncode, result.stdout) == (2, "rewrote b.py\n")
    assert result.stderr == f"and_chain.py: {case.fixer}\n"
    assert (tmp_path / "and_chain.py").read_bytes() == case.data


# ------------------------------------------------------------- newer syntax

NEWER_SYNTAX = [
    pytest.param(
        "import os.path\n\nmatch command:\n    case ['go', direction]:\n        import xml.dom.minidom\n"
        "        print(os.path.join(direction), xml.dom.minidom)\n    case {'k': value, **rest}:\n        import numpy\n"
        "    case Point(x=0) | None:\n        pass\n",
        [(1, 7, "IPS101"), (5, 15, "IPS101"), (8, 15, "IPS106")],
        "from os import path\n\nmatch command:\n    case ['go', direction]:\n        from xml.dom import minidom\n"
        "        print(path.join(direction), minidom)\n    case {'k': value, **rest}:\n        import numpy as np\n"
        "    case Point(x=0) | None:\n        pass\n",
        (3, 10),
        id="match",
    ),
    pytest.param(
        "import os.path\n\n\ndef first[T: (int, str)](items: list[T]) -> T:\n    import xml.dom.minidom\n"
        "    return os.path.join(items[0])\n\n\nclass Box[T, *Ts, **P]:\n    import a.b as b\n\n\n"
        "type Alias[T] = os.path.PathLike[T]\n",
        [(1, 7, "IPS101"), (5, 11, "IPS101"), (10, 11, "IPS102")],
        "from os import path\n\n\ndef first[T: (int, str)](items: list[T]) -> T:\n    import xml.dom.minidom\n"
        "    return path.join(items[0])\n\n\nclass Box[T, *Ts, **P]:\n    from a import b\n\n\n"
        "type Alias[T] = path.PathLike[T]\n",
        (3, 12),
        id="pep695",
    ),
    pytest.param(
        "import os.path\n\nx = f\"{'a' + f\"{os.path.sep}\"}\"\ny = f\"{\n    os.path.join('a', 'b')  # a comment\n}\"\n"
        "z = f\"{__import__(\"json\")}\"\n",
        [(1, 7, "IPS101"), (7, 7, "IPS201")],
        "import importlib\nfrom os import path\n\nx = f\"{'a' + f\"{path.sep}\"}\"\ny = f\"{\n    path.join('a', 'b')  # a comment\n}\"\n"
        "z = f\"{importlib.import_module(\"json\")}\"\n",
        (3, 12),
        id="pep701",
    ),
]


@pytest.mark.parametrize(("source", "findings", "fixed", "since"), NEWER_SYNTAX)
def test_newer_syntax_through_the_plugin_and_the_fixer(
    source: str, findings: list[tuple[int, int, str]], fixed: str, since: tuple[int, int]
) -> None:
    if sys.version_info < since:
        pytest.skip(f"Python {since[0]}.{since[1]} syntax")
    got = [(line, col, text.split(" ", 1)[0]) for line, col, text in plugin_findings(source)]
    assert [f for f in got if f[2].startswith(("IPS1", "IPS2", "IPS3"))] == findings
    result = fix_bytes(source.encode(), "newer.py", Config())
    assert result.data.decode() == fixed
    assert compiles(result.data)
    assert fix_bytes(result.data, "newer.py", Config()).data == result.data


#: Python 3.14 syntax. ``t"a" t"b"``: libcst 1.9 raises CSTLogicError on an implicit
#: concatenation of t-strings.
PY314 = [
    pytest.param('t = t"x{y}"\n', id="t-string"),
    pytest.param('t = t"{a!r:>{w}} {b=}"\n', id="t-string-format"),
    pytest.param('t = t"a" t"{b}"\n', id="t-string-concatenated"),
    pytest.param("try:\n    pass\nexcept A, B:\n    pass\n", id="except-without-parentheses"),
    pytest.param("try:\n    pass\nexcept* A, B:\n    pass\n", id="except-star-without-parentheses"),
]
PY314_PREFIX = "import os.path\nprint(os.path.sep)\n"


def _parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except Exception:  # noqa: BLE001 - whatever libcst raises, it does not parse
        return False
    return True


@pytest.mark.parametrize("snippet", PY314)
def test_python_314_syntax_the_fixer_fixes_or_reports(
    snippet: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libcst parses 3.14 syntax byte for byte; where it cannot, the fixer says so and
    leaves the file unchanged (tested by letting ``ast`` read a stand-in of the file,
    as a Python 3.14 would read the file itself)."""
    data = (PY314_PREFIX + snippet).encode()
    if _parses(data.decode()):
        assert cst.parse_module(data).bytes == data
    else:
        stand_in = PY314_PREFIX + "pass\n" * snippet.count("\n")
        monkeypatch.setattr(fix_module, "parse_ast", lambda *args, **kwargs: fix_module.ast.parse(stand_in))
        result = fix_bytes(data, "new.py", Config())
        monkeypatch.undo()
        assert not result.changed and result.data == data
        assert [reason for *_, reason in result.skipped] == ["libcst cannot parse this file (CSTLogicError)"]
    # and the fixer command on this Python: a fix, or the file reported and left unchanged
    (tmp_path / "new.py").write_bytes(data)
    (tmp_path / "none.cfg").write_text("")
    outcome = fix_cli(tmp_path, "--config", "none.cfg", "new.py")
    after = (tmp_path / "new.py").read_bytes()
    if compiles(data):
        assert outcome.returncode in (0, 1)
        assert after == data if outcome.returncode == 0 else compiles(after)
    else:
        assert outcome.returncode == 2 and outcome.stderr.startswith("new.py: error: does not parse: ")
        assert after == data


# ------------------------------------------------------- errors users can act on

#: One bad value per option, with the exact line flake8 and the fixer print.
#: Each message differs from those tests/test_flake8_e2e.py and tests/test_cli.py check.
BAD_VALUES = {
    "allow-dotted": ("xml.**", "'xml.**' is not a dotted module name"),
    "no-from": ("json, os/path", "'os/path' is not a dotted module name"),
    "aliases": ("numpy=n-p", "'numpy=n-p' names 'n-p', which is not an identifier"),
    "banned": ("six..moves = x", "'six..moves = x' names 'six..moves', which is not a dotted module name"),
    "relative": ("Never", "'Never' is not one of allow, siblings, never"),
    "namespace-packages": ("tools/*", "'tools/*' is a pattern, not a folder (a folder covers the folders below it)"),
    "names-ok": ("1bad", "'1bad' is not a dotted module name"),
    "target-python": ("2.7", "'2.7' is not a Python version such as 3.10"),
    "contracts": (
        "forbidden web -> db",
        "'forbidden web -> db' is not 'forbidden: A -> B', 'layers: HIGH > LOW' or 'independence: A, B'",
    ),
}


def test_every_option_has_a_bad_value_test() -> None:
    assert set(OPTION_NAMES) <= set(BAD_VALUES), "add a bad value for the new option to BAD_VALUES"


def _option_cases() -> list[object]:
    return [pytest.param(name, *BAD_VALUES[name], id=name) for name in OPTION_NAMES if name in BAD_VALUES]


@pytest.mark.parametrize(("option", "value", "why"), _option_cases())
@pytest.mark.parametrize("source", ["config", "command line"])
def test_flake8_stops_on_a_bad_option_with_one_line(
    tmp_path: Path, source: str, option: str, value: str, why: str
) -> None:
    (tmp_path / "a.py").write_text("import os.path\n")
    if source == "config":
        (tmp_path / "setup.cfg").write_text(f"[flake8]\nselect = IPS\nimportstyle-{option} = {value}\n")
        result = flake8(tmp_path, "a.py")
    else:
        result = flake8(tmp_path, "--isolated", "--select", "IPS", f"--importstyle-{option}={value}", "a.py")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [f"flake8-importstyle: importstyle-{option}: {why}"]


@pytest.mark.parametrize(("option", "value", "why"), _option_cases())
def test_the_fixer_stops_on_a_bad_option_with_one_line(tmp_path: Path, option: str, value: str, why: str) -> None:
    (tmp_path / "a.py").write_text("import os.path\n")
    (tmp_path / "setup.cfg").write_text(f"[flake8]\nimportstyle-{option} = {value}\n")
    result = fix_cli(tmp_path, "a.py")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"flake8-importstyle: importstyle-{option}: {why}\n"
    assert (tmp_path / "a.py").read_text() == "import os.path\n"


def test_flake8_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    result = flake8(tmp_path, "--isolated", "--select", "IPS,E9", "missing.py")
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout == (
        "missing.py:0:1: E902 FileNotFoundError: [Errno 2] No such file or directory: 'missing.py'\n"
    )


# ------------------------------------------------ no stray output from Python

#: A module with an invalid escape sequence: Python warns when it compiles it
#: (DeprecationWarning up to 3.11, SyntaxWarning from 3.12, shown by default).
WARNING_MODULE = 'import re\nPATTERN = re.compile("\\d+")\nthing = 1\n'


def _warnings_of(call) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [f"{w.category.__name__}: {w.message}" for w in caught]


def test_the_plugin_lets_no_python_warning_through(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "helper.py").write_text(WARNING_MODULE)
    source = "from pkg.helper import thing\nprint(thing)\n"
    (tmp_path / "main.py").write_text(source)
    assert _warnings_of(lambda: plugin_findings(source, str(tmp_path / "main.py"))) == []


def test_the_fixer_lets_no_python_warning_through() -> None:
    source = b'import os.path\nx = "1if 1 else 2"\nos.path.sep\n'
    assert _warnings_of(lambda: fix_bytes(source, "w.py", Config())) == []
