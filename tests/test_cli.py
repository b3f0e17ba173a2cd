"""The command line, end to end: ``python -m flake8_importstyle`` in a subprocess, on files in a temporary folder.

Every test asserts the exact stdout, stderr and exit status (0 nothing
changed, 1 a file changed or would change, 2 a usage or configuration error
or a file that could not be read, parsed or written), and what the files hold
afterwards, byte for byte.
"""

from __future__ import annotations

import ast
import os
import pickle
import re
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from flake8.main.cli import main as flake8_main

import flake8_importstyle
from flake8_importstyle import cli
from flake8_importstyle import fix as fix_module
from flake8_importstyle.docs import explain
from flake8_importstyle.plugin import Plugin
from flake8_importstyle.rules import BY_CODE

pytestmark = pytest.mark.slow

SOURCE = "import os.path\nprint(os.path.sep)\n"
FIXED = "from os import path\nprint(path.sep)\n"

#: The environment of every run: no colours, no line wrapping that depends on the terminal.
ENV = {key: value for key, value in os.environ.items() if key not in {"FORCE_COLOR", "PYTHONSTARTUP"}}
ENV.update(NO_COLOR="1", PYTHON_COLORS="0", COLUMNS="200", PYTHONIOENCODING="utf-8")

#: On top of :data:`ENV`: a terminal that can show nothing but ASCII.
ASCII_TERMINAL = {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}

#: The folders skipped by default when a folder is searched.
DEFAULT_SKIPPED = (".git", "__pycache__", ".tox", ".nox", ".venv", "venv", "build", "dist")


# --------------------------------------------------------------------- helpers


def _no_core_dumps() -> None:
    """The crash tests kill worker processes with SIGSEGV: no ``core`` file may land in the project."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_bytes(
    cwd: Path, *args: str, command: list[str] | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the fixer in *cwd* (*env* on top of :data:`ENV`); whatever the outcome, never a traceback."""
    proc = subprocess.run(
        [*(command or [sys.executable, "-m", "flake8_importstyle"]), *args],
        cwd=cwd,
        env={**ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
        check=False,
        preexec_fn=_no_core_dumps,
    )
    assert b"Traceback" not in proc.stdout + proc.stderr, (proc.stdout + proc.stderr).decode("utf-8", "replace")
    return proc


def run(cwd: Path, *args: str, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the fixer in *cwd*, its output read as UTF-8; whatever the outcome, never a traceback."""
    proc = run_bytes(cwd, *args, command=command)
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def outcome(result: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return result.returncode, result.stdout, result.stderr


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """Create *files* under *root*; ``str`` contents are written as UTF-8 with ``\\n`` line ends."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under *root* (hidden ones too) by its relative path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with an empty ``[flake8]`` section, so that no config file above ``tmp_path`` leaks in."""
    root = tmp_path / "project"
    write(root, {".flake8": "[flake8]\n"})
    return root


def fix_in_process(monkeypatch: pytest.MonkeyPatch, cwd: Path, *args: str) -> int:
    """``flake8-importstyle fix ARGS`` in this process, each file fixed here rather than in a
    worker, so that a test can patch what happens between fixing and writing."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(cli, "fix_all", lambda paths, settings, jobs: [cli.fix_path(p, settings) for p in paths])
    return cli.main(["fix", *args])


# ------------------------------------------------------------ exit status 0 and 1


def test_nothing_to_change_exits_0_silently(project: Path) -> None:
    write(project, {"a.py": FIXED, "pkg/b.py": "import json\n", "pkg/c.pyi": "from os import path\n"})
    before = snapshot(project)
    assert outcome(run(project, "fix", ".")) == (0, "", "")
    assert snapshot(project) == before


def test_rewrite_in_place_keeps_the_mode_leaves_no_temp_file_and_a_second_run_changes_nothing(
    project: Path,
) -> None:
    write(project, {"a.py": SOURCE, "b.py": SOURCE, "c.py": FIXED})
    (project / "a.py").chmod(0o640)
    (project / "b.py").chmod(0o755)
    assert outcome(run(project, "fix", ".", "-j", "2")) == (1, "rewrote a.py\nrewrote b.py\n", "")
    assert snapshot(project) == {
        ".flake8": b"[flake8]\n", "a.py": FIXED.encode(), "b.py": FIXED.encode(), "c.py": FIXED.encode()
    }
    assert sorted(os.listdir(project)) == [".flake8", "a.py", "b.py", "c.py"]  # no temp file left
    assert stat.S_IMODE((project / "a.py").stat().st_mode) == 0o640
    assert stat.S_IMODE((project / "b.py").stat().st_mode) == 0o755
    assert outcome(run(project, "fix", ".")) == (0, "", "")


def test_diff_prints_a_unified_diff_and_writes_nothing(project: Path) -> None:
    write(project, {"a.py": SOURCE})
    result = run(project, "fix", "--diff", "a.py")
    assert outcome(result) == (
        1,
        "--- a/a.py\n"
        "+++ b/a.py\n"
        "@@ -1,2 +1,2 @@\n"
        "-import os.path\n"
        "-print(os.path.sep)\n"
        "+from os import path\n"
        "+print(path.sep)\n",
        "",
    )
    assert (project / "a.py").read_bytes() == SOURCE.encode()


def test_diff_of_a_file_without_a_final_newline_is_a_valid_patch(project: Path) -> None:
    source = "import os.path\nos.path.sep"
    write(project, {"a.py": source})
    assert outcome(run(project, "fix", "--diff", "a.py")) == (
        1,
        "--- a/a.py\n"
        "+++ b/a.py\n"
        "@@ -1,2 +1,2 @@\n"
        "-import os.path\n"
        "-os.path.sep\n"
        "\\ No newline at end of file\n"
        "+from os import path\n"
        "+path.sep\n"
        "\\ No newline at end of file\n",
        "",
    )
    assert (project / "a.py").read_bytes() == source.encode()


def test_diff_keeps_a_form_feed_inside_its_line(project: Path) -> None:
    """patch and git apply end lines at \\n only: a form feed is part of its line."""
    source = "import os\n\x0c\nimport os.path\nprint(os.path.sep, os.sep)\n"
    write(project, {"a.py": source})
    assert outcome(run(project, "fix", "--diff", "a.py")) == (
        1,
        "--- a/a.py\n"
        "+++ b/a.py\n"
        "@@ -1,4 +1,3 @@\n"
        " import os\n"
        " \x0c\n"
        "-import os.path\n"
        " print(os.path.sep, os.sep)\n",
        "",
    )


# ------------------------------------------------------------ diffs that apply

#: Fixable files whose patch must apply byte for byte, by name.
PATCH_CASES: dict[str, tuple[str, bytes]] = {
    "bom": ("bom.py", b"\xef\xbb\xbfimport os.path\nprint(os.path.sep)\n"),
    "latin-1": (
        "legacy.py",
        b"# -*- coding: latin-1 -*-\n# caf\xe9\nimport os.path\n# \xe0 c\xf4t\xe9\nprint(os.path.sep, 'na\xefve')\n",
    ),
    "crlf": ("crlf.py", b"import os.path\r\nprint(os.path.sep)\r\n"),
    "crlf-without-a-final-newline": ("crlf_end.py", b"# x\r\nimport os.path\r\nprint(os.path.sep)"),
    "form-feed": ("ff.py", b"import os\n\x0c\nimport os.path\nprint(os.path.sep, os.sep)\n"),
    "spaces-in-the-path": ("my dir/a file.py", SOURCE.encode()),
    "non-ascii-path": ("\u00e9/\u00fc.py", "# \u00e9\nimport os.path\nprint(os.path.sep, '\u00e9')\n".encode()),
    "quote-and-backslash-in-the-path": ('q"uo\\te.py', SOURCE.encode()),
    "tab-in-the-path": ("ta\tb.py", SOURCE.encode()),
}

#: git, with no configuration of this machine's or this user's.
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

needs_patch_and_git = pytest.mark.skipif(
    not (shutil.which("patch") and shutil.which("git")), reason="needs GNU patch and git"
)


def applied(root: Path, patch: bytes, tool: str) -> dict[str, bytes]:
    """*root*'s files after *tool* (``patch -p1`` or ``git apply``) applied *patch* to a copy of it."""
    copy = root.parent / f"{root.name}-{tool}"
    shutil.copytree(root, copy)
    patch_file = root.parent / f"{tool}.patch"
    patch_file.write_bytes(patch)
    if tool == "patch":
        command = ["patch", "-p1", "--batch", "--no-backup-if-mismatch", "-i", str(patch_file)]
    else:
        subprocess.run(["git", "init", "-q", "."], cwd=copy, env=GIT_ENV, check=True)
        command = ["git", "apply", str(patch_file)]
    result = subprocess.run(command, cwd=copy, env=GIT_ENV, capture_output=True, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr).decode("utf-8", "replace")
    return {name: data for name, data in snapshot(copy).items() if not name.startswith(".git/")}


def fixed_in_place(root: Path) -> dict[str, bytes]:
    """*root*'s files after ``fix`` (without ``--diff``) rewrote a copy of it."""
    copy = root.parent / f"{root.name}-fixed"
    shutil.copytree(root, copy)
    assert run(copy, "fix", ".").returncode == 1
    return snapshot(copy)


@needs_patch_and_git
@pytest.mark.parametrize(("name", "content"), [pytest.param(*case, id=key) for key, case in PATCH_CASES.items()])
def test_diff_applies_with_patch_and_git_apply_and_gives_what_fix_writes(project: Path, name: str, content: bytes) -> None:
    write(project, {name: content})
    # on a terminal that can show none of the non-ASCII bytes: the patch is bytes, not text
    result = run_bytes(project, "fix", "--diff", ".", env=ASCII_TERMINAL)
    assert (result.returncode, result.stderr) == (1, b"")
    assert result.stdout.startswith(b"--- ")
    assert (project / name).read_bytes() == content  # --diff writes nothing
    expected = fixed_in_place(project)
    assert expected[name] != content
    assert applied(project, result.stdout, "patch") == expected
    assert applied(project, result.stdout, "git") == expected


@needs_patch_and_git
def test_the_diff_of_many_files_is_one_patch_that_applies(project: Path) -> None:
    write(project, dict(PATCH_CASES.values()))
    result = run_bytes(project, "fix", "--diff", "-j", "2", ".")
    assert (result.returncode, result.stderr) == (1, b"")
    assert result.stdout.count(b"\n--- ") == len(PATCH_CASES) - 1
    expected = fixed_in_place(project)
    assert applied(project, result.stdout, "patch") == expected
    assert applied(project, result.stdout, "git") == expected


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("a.py", b"a/a.py"),
        ("sub/a.py", b"a/sub/a.py"),
        ("my file.py", b"a/my file.py\t"),  # as git and GNU diff write it: the tab ends the name
        ("\u00e9.py", "a/\u00e9.py".encode()),  # raw bytes: patch and git apply both read them
        ('q"x.py', b'"a/q\\"x.py"'),  # C-quoted, as git quotes it
        ("b\\s.py", b'"a/b\\\\s.py"'),
        ("t\tb.py", b'"a/t\\tb.py"'),
        ("n\nl.py", b'"a/n\\nl.py"'),
        ("e\x1bsc.py", b'"a/e\\033sc.py"'),
        ('sp "q".py', b'"a/sp \\"q\\".py"\t'),
    ],
)
def test_diff_header_names(path: str, name: bytes) -> None:
    assert cli.diff_header_name("a/", path) == name


# ------------------------------------------------------ exit status 2: usage


@pytest.mark.parametrize(
    ("args", "last_line"),
    [
        pytest.param(["fix"], "flake8-importstyle fix: error: the following arguments are required: PATH", id="no-paths"),
        # the list of choices that follows is quoted differently from one Python to the next
        pytest.param(["bogus", "a.py"], "flake8-importstyle: error: argument command: invalid choice: 'bogus'", id="subcommand"),
        pytest.param(["fix", "-j", "x", "a.py"], "flake8-importstyle fix: error: argument -j/--jobs: invalid int value: 'x'", id="jobs"),
    ],
)
def test_a_bad_command_line_exits_2_with_argparse_usage(project: Path, args: list[str], last_line: str) -> None:
    write(project, {"a.py": SOURCE})
    result = run(project, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("usage: flake8-importstyle")
    assert result.stderr.splitlines()[-1].startswith(last_line)
    assert (project / "a.py").read_bytes() == SOURCE.encode()


@pytest.mark.parametrize(
    ("files", "args", "line"),
    [
        pytest.param(
            {"setup.cfg": "[flake8]\nimportstyle-relative = bad\n"},
            [],
            "flake8-importstyle: importstyle-relative: 'bad' is not one of allow, siblings, never",
            id="setup.cfg",
        ),
        pytest.param(
            {"lint.ini": "[flake8]\nimportstyle-aliases = numpy\n"},
            ["--config", "lint.ini"],
            "flake8-importstyle: importstyle-aliases: 'numpy' is not 'module=alias' (or 'module=' to drop a default)",
            id="--config",
        ),
        pytest.param(
            {}, ["--config", "missing.ini"], "flake8-importstyle: cannot read the config file 'missing.ini'", id="missing",
        ),
    ],
)
def test_a_bad_config_exits_2_with_one_line(
    tmp_path: Path, files: dict[str, str], args: list[str], line: str
) -> None:
    write(tmp_path, {"a.py": SOURCE, **files})
    assert outcome(run(tmp_path, "fix", *args, "a.py")) == (2, "", line + "\n")
    assert (tmp_path / "a.py").read_bytes() == SOURCE.encode()


def test_a_config_file_that_does_not_parse_exits_2(tmp_path: Path) -> None:
    source = "import numpy\nnumpy.zeros(1)\n"
    write(tmp_path, {"setup.cfg": "[flake8]\nimportstyle-aliases = numpy=\nimportstyle-aliases = numpy=\n", "m.py": source})
    result = run(tmp_path, "fix", "m.py")
    assert (tmp_path / "m.py").read_text() == source
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("flake8-importstyle: ") and "setup.cfg" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -------------------------------------------------- exit status 2: a bad file


def _syntax_error(data: bytes, filename: str = "bad.py") -> str:
    try:
        ast.parse(data.decode(), filename)
    except SyntaxError as exc:
        return f"does not parse: {type(exc).__name__}: {exc}"
    raise AssertionError("expected a SyntaxError")


def _decode_error(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"cannot decode: {exc}"
    raise AssertionError("expected a UnicodeDecodeError")


SYNTAX_ERROR = b"import os.path\ndef f(:\n    os.path.sep\n"
UNDECODABLE = b"# -*- coding: utf-8 -*-\nimport os.path\nx = '\xff'\n"


@pytest.mark.parametrize(
    ("content", "mode", "error"),
    [
        pytest.param(SYNTAX_ERROR, None, _syntax_error(SYNTAX_ERROR), id="syntax"),
        pytest.param(UNDECODABLE, None, _decode_error(UNDECODABLE), id="decode"),
        # the tests run as root, who may write anything: the fixer goes by the mode bits
        pytest.param(SOURCE.encode(), 0o444, "cannot write: bad.py is read-only", id="read-only"),
        pytest.param(None, None, "cannot read: No such file or directory", id="missing"),
    ],
)
def test_a_bad_file_exits_2_is_left_unchanged_and_the_others_are_still_fixed(
    project: Path, content: bytes | None, mode: int | None, error: str
) -> None:
    write(project, {"sub/good.py": SOURCE, "sub/z.py": SOURCE})
    if content is not None:
        write(project, {"bad.py": content})
    if mode is not None:
        (project / "bad.py").chmod(mode)
    result = run(project, "fix", "-j", "2", "bad.py", "sub")
    assert outcome(result) == (2, "rewrote sub/good.py\nrewrote sub/z.py\n", f"bad.py: error: {error}\n")
    assert (project / "sub/good.py").read_text() == FIXED
    if content is None:
        assert not (project / "bad.py").exists()
    else:
        assert (project / "bad.py").read_bytes() == content
    if mode is not None:
        assert stat.S_IMODE((project / "bad.py").stat().st_mode) == mode
    assert sorted(os.listdir(project)) == sorted([".flake8", "sub", *(["bad.py"] if content else [])])
    assert sorted(os.listdir(project / "sub")) == ["good.py", "z.py"]


# ----------------------------------------------------------------- safe writes

NOT_WRITTEN_CHANGED = "not written: the file changed on disk while it was being fixed"


@pytest.mark.parametrize(
    ("edited", "error"),
    [
        pytest.param("import os.path\nprint(os.path.SEP)\n", NOT_WRITTEN_CHANGED, id="same-size"),
        pytest.param("import os.path\nprint(os.path.sep, 'saved meanwhile')\n", NOT_WRITTEN_CHANGED, id="other-size"),
        pytest.param(None, "cannot write: No such file or directory", id="deleted"),
    ],
)
def test_a_file_changed_on_disk_while_it_was_fixed_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], edited: str | None, error: str
) -> None:
    write(project, {"a.py": SOURCE, "b.py": SOURCE})
    fix_path = cli.fix_path

    def fix_then_edit(path: Path, settings: cli.Settings) -> cli.Outcome:
        done = fix_path(path, settings)
        if path.name == "a.py":  # someone saves the file after the fixer read it
            if edited is None:
                path.unlink()
            else:
                path.write_text(edited)
        return done

    monkeypatch.setattr(cli, "fix_path", fix_then_edit)
    status = fix_in_process(monkeypatch, project, ".")
    assert (status, *capsys.readouterr()) == (2, "rewrote b.py\n", f"a.py: error: {error}\n")
    assert snapshot(project) == {
        ".flake8": b"[flake8]\n", "b.py": FIXED.encode(), **({"a.py": edited.encode()} if edited else {})
    }


@pytest.mark.parametrize("read", [b"import os.path\nprint(os.path.SEP)\n", b"x\n"], ids=["same-size", "other-size"])
def test_write_atomically_refuses_a_file_that_no_longer_holds_what_was_read(tmp_path: Path, read: bytes) -> None:
    path = tmp_path / "a.py"
    path.write_text(SOURCE)
    with pytest.raises(cli.NotWritten, match=f"^{NOT_WRITTEN_CHANGED.removeprefix('not written: ')}$"):
        cli.write_atomically(path, FIXED.encode(), cli.Fingerprint.of(read))
    assert path.read_text() == SOURCE
    assert os.listdir(tmp_path) == ["a.py"]  # no temp file left
    cli.write_atomically(path, FIXED.encode(), cli.Fingerprint.of(SOURCE.encode()))
    assert path.read_text() == FIXED


def test_a_file_with_hard_links_is_left_unchanged(project: Path) -> None:
    write(project, {"a.py": SOURCE, "c.py": SOURCE})
    os.link(project / "a.py", project / "b.py")
    reason = "not written: it has 2 hard links, and replacing it would leave the other links with the old content"
    assert outcome(run(project, "fix", ".")) == (
        2, "rewrote c.py\n", f"a.py: error: {reason}\nb.py: error: {reason}\n"
    )
    a, b = (project / "a.py").stat(), (project / "b.py").stat()
    assert (a.st_ino, a.st_nlink) == (b.st_ino, 2)
    assert (project / "a.py").read_text() == SOURCE
    assert sorted(os.listdir(project)) == [".flake8", "a.py", "b.py", "c.py"]


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root may give a file to another user"
)
OTHER_UID, OTHER_GID = 12345, 23456


@needs_root
def test_rewrite_keeps_the_owner_and_group(project: Path) -> None:
    write(project, {"a.py": SOURCE})
    os.chown(project / "a.py", OTHER_UID, OTHER_GID)
    (project / "a.py").chmod(0o2754)  # chown clears the set-group-ID bit: the mode must be set after it
    assert outcome(run(project, "fix", "a.py")) == (1, "rewrote a.py\n", "")
    st = (project / "a.py").stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (OTHER_UID, OTHER_GID, 0o2754)
    assert (project / "a.py").read_text() == FIXED


@needs_root
def test_an_owner_the_process_may_not_set_is_no_reason_to_leave_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.py"
    path.write_text(SOURCE)
    os.chown(path, OTHER_UID, OTHER_GID)
    path.chmod(0o640)
    calls = []

    def refused(target: str, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refused)
    cli.write_atomically(path, FIXED.encode(), cli.Fingerprint.of(SOURCE.encode()))
    assert calls == [(OTHER_UID, OTHER_GID), (-1, OTHER_GID)]  # the owner and group, then the group alone
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.py"]


# ------------------------------------------------- output and internal errors


def test_output_survives_a_terminal_that_cannot_show_the_names(project: Path) -> None:
    write(
        project,
        {
            "\u00e9.py": SOURCE,
            "\u00f1.py": "import caf\u00e9.path\ncaf\u00e9 = None\ncaf\u00e9.path\n",
            "\u00fc.py": SYNTAX_ERROR,
        },
    )
    result = run_bytes(project, "fix", ".", env=ASCII_TERMINAL)
    error = _syntax_error(SYNTAX_ERROR, "\u00fc.py")
    shown = f"\u00fc.py: error: {error}\n".encode("ascii", "backslashreplace")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        b"rewrote \\xe9.py\n\\xf1.py:1:8: IPS101 not fixed: 'caf\\xe9.path' at line 3 reads the name bound at line 2,"
        b" not this import\n",
        shown,
    )
    assert (project / "\u00e9.py").read_text() == FIXED


def test_a_usage_error_survives_a_terminal_that_cannot_show_it(project: Path) -> None:
    result = run_bytes(project, "fix", "--config", "\u00e9.cfg", ".", env=ASCII_TERMINAL)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr == b"flake8-importstyle: cannot read the config file '\\xe9.cfg'\n"


def test_an_unexpected_exception_is_that_files_error_and_the_others_are_still_fixed(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"a.py": SOURCE, "b.py": SOURCE})
    fix_bytes = fix_module.fix_bytes

    def buggy(data: bytes, filename: str, *args: Any, **kwargs: Any) -> fix_module.FixResult:
        if Path(filename).name == "a.py":
            raise TypeError("unsupported operand type(s)\nand a second line")
        return fix_bytes(data, filename, *args, **kwargs)

    monkeypatch.setattr(fix_module, "fix_bytes", buggy)
    status = fix_in_process(monkeypatch, project, ".")
    assert (status, *capsys.readouterr()) == (
        2,
        "rewrote b.py\n",
        "a.py: error: internal error (TypeError: unsupported operand type(s)); left unchanged, please report it\n",
    )
    assert (project / "a.py").read_text() == SOURCE


class _PoolWhoseResultsFail:
    """A stand-in for the process pool whose every result fails, as an outcome that does not
    pickle would."""

    def __init__(self, max_workers: int) -> None:
        pass

    def __enter__(self) -> _PoolWhoseResultsFail:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(pickle.PicklingError("cannot pickle 'generator' object"))
        return future


def test_an_outcome_that_does_not_come_back_from_its_worker_is_that_files_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "ProcessPoolExecutor", _PoolWhoseResultsFail)
    settings = cli.Settings(options=(), exclude=(), filename=("*.py",), select=("IPS",), ignore=(), diff=False)
    [done] = cli.fix_all([tmp_path / "a.py"], settings, 1)
    assert (done.changed, done.error) == (
        False, "internal error (PicklingError: cannot pickle 'generator' object); left unchanged, please report it"
    )


def test_a_file_too_deep_for_libcst_is_that_files_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever in libcst runs out of stack on one file leaves that file, with one line."""
    def too_deep(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(fix_module, "fix_bytes", too_deep)
    (tmp_path / "a.py").write_text("import os.path\nos.path.sep\n", encoding="utf-8")
    settings = cli.Settings(options=(), exclude=(), filename=("*.py",), select=("IPS",), ignore=(), diff=False)
    done = cli.fix_path(tmp_path / "a.py", settings)
    assert (done.changed, done.error) == (False, "too deeply nested for libcst's parser; left unchanged")
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == "import os.path\nos.path.sep\n"


# ------------------------------------------------------------ crash isolation


def _chain(operator: str, terms: int) -> str:
    """A file with a fixable import and one very long expression ``a <op> a <op> ... a``."""
    return "import os.path\nprint(os.path.sep)\na = 1\nx = " + f" {operator} ".join(["a"] * terms) + "\n"


#: ``x = a or a or ... or a``: one flat ``ast.BoolOp`` (every Python parses it) but a
#: nested chain for libcst, whose native parser overflows its stack (SIGSEGV) within
#: a fraction of a second. (A 7,000-term ``a + a + ...`` is refused by CPython 3.11
#: and 3.12 themselves, RecursionError, so the fixer reports that it does not parse;
#: on 3.10 and 3.13 libcst takes some 25 to 50 s on it before it crashes.)
OR_CHAIN = _chain("or", 20000)
#: The same, long enough that another worker is done with a small file before it crashes.
LONG_OR_CHAIN = _chain("or", 50000)
CRASHED = "libcst's parser crashed on this file; left unchanged"


@pytest.mark.parametrize(
    ("source", "jobs"),
    [
        pytest.param(OR_CHAIN, "1", id="j1"),
        pytest.param(LONG_OR_CHAIN, "2", id="j2"),
    ],
)
def test_a_file_that_crashes_libcst_is_reported_and_the_run_goes_on(project: Path, source: str, jobs: str) -> None:
    write(project, {"a.py": source, "b.py": SOURCE})
    result = run(project, "fix", "-j", jobs, ".")
    assert (result.returncode, result.stderr) == (2, f"a.py: error: {CRASHED}\n")
    assert (project / "a.py").read_bytes() == source.encode()
    assert (project / "b.py").read_text() == FIXED
    assert sorted(os.listdir(project)) == [".flake8", "a.py", "b.py"]
    if jobs == "1":
        assert result.stdout == "rewrote b.py\n"
    else:  # see the xfail test below
        assert result.stdout in ("rewrote b.py\n", "")


def test_a_crash_does_not_hide_what_another_worker_rewrote(project: Path) -> None:
    # a.py comes first and takes far longer to crash than b.py takes to be fixed
    write(project, {"a.py": LONG_OR_CHAIN, "b.py": SOURCE})
    assert outcome(run(project, "fix", "-j", "2", ".")) == (2, "rewrote b.py\n", f"a.py: error: {CRASHED}\n")


# ------------------------------------------------------------------ discovery


def test_folders_are_searched_recursively_skipping_the_excluded_ones(tmp_path: Path) -> None:
    config = "[flake8]\nexclude = generated\nextend-exclude =\n    ./legacy,\n    *_pb2.py\n"
    write(tmp_path, {"setup.cfg": config})
    fixed = ["a.py", "src/deep/er/c.py", "src/legacy/d.py"]
    skipped = [
        *(f"{name}/m.py" for name in DEFAULT_SKIPPED),
        *(f"src/{name}/m.py" for name in DEFAULT_SKIPPED),
        "generated/m.py",  # exclude, by name anywhere
        "src/generated/m.py",
        "legacy/m.py",  # extend-exclude, a path relative to the config file
        "api_pb2.py",  # extend-exclude, a file name pattern
        "src/api_pb2.py",
        "notes.txt",  # not Python
        "src/b.pyi",  # not matched by flake8's default `filename = *.py`
    ]
    write(tmp_path, {name: SOURCE for name in fixed + skipped})
    result = run(tmp_path, "fix", "-j", "2", ".")
    assert outcome(result) == (1, "".join(f"rewrote {name}\n" for name in fixed), "")
    after = snapshot(tmp_path)
    assert {name for name in after if after[name] == FIXED.encode()} == set(fixed)
    assert {name for name in after if after[name] == SOURCE.encode()} == set(skipped)


@pytest.mark.parametrize("name", ["src/build/m.py", "generated/m.py"])
def test_a_file_named_explicitly_is_fixed_where_flake8_checks_it(tmp_path: Path, name: str) -> None:
    # discovery is flake8's own: a file named on the command line is checked (and fixed)
    # unless its own name or path matches an exclude pattern, even in a folder a search skips
    write(tmp_path, {"setup.cfg": "[flake8]\nextend-exclude = generated\n", name: SOURCE})
    linted = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "IPS", name], cwd=tmp_path, capture_output=True, text=True
    )
    assert f"{name}:1:8: IPS101" in linted.stdout
    assert outcome(run(tmp_path, "fix", name)) == (1, f"rewrote {name}\n", "")
    assert (tmp_path / name).read_text() == FIXED


def test_a_symlinked_file_stays_a_symlink_and_its_target_is_fixed(project: Path) -> None:
    write(project, {"real/a.py": SOURCE})
    (project / "link.py").symlink_to(Path("real", "a.py"))
    assert outcome(run(project, "fix", "link.py")) == (1, "rewrote link.py\n", "")
    assert (project / "link.py").is_symlink()
    assert (project / "real/a.py").read_text() == FIXED


# ---------------------------------------------------------------- the config

NUMPY_AND_OS_PATH = "import numpy\nimport os.path\nnumpy.zeros(1)\nos.path.sep\n"
OPTIONS = "[flake8]\nimportstyle-aliases = numpy=\nimportstyle-allow-dotted = os.path\n"


def lint(cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    """The linter's IPS1xx findings (the codes these tests fix): the real flake8, in this process,
    reading its config from *cwd*."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(Plugin, "config", Plugin.config)  # flake8 sets it; undone after the test
    capsys.readouterr()
    status = flake8_main(["--select", "IPS1", *args])
    out, err = capsys.readouterr()
    assert err == ""
    assert status == (1 if out else 0), out
    return out.splitlines()


def test_without_options_the_fixer_rewrites_what_the_linter_flags(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"m.py": NUMPY_AND_OS_PATH})
    assert lint(project, monkeypatch, capsys, "m.py") == [
        "m.py:1:8: IPS106 use 'import numpy as np', the conventional name",
        "m.py:2:8: IPS101 use 'from os import path' instead of 'import os.path'",
    ]
    assert outcome(run(project, "fix", "m.py")) == (1, "rewrote m.py\n", "")
    assert (project / "m.py").read_text() == "import numpy as np\nfrom os import path\nnp.zeros(1)\npath.sep\n"


@pytest.mark.parametrize(
    ("files", "cwd", "args"),
    [
        pytest.param({"setup.cfg": OPTIONS}, ".", [], id="setup.cfg"),
        pytest.param({"tox.ini": OPTIONS}, "sub", [], id="tox.ini-in-a-parent-folder"),
        pytest.param({".flake8": OPTIONS}, ".", [], id=".flake8"),
        # --config wins over the file the search would find
        pytest.param({"lint.cfg": OPTIONS, "setup.cfg": "[flake8]\n"}, ".", ["--config", "lint.cfg"], id="--config"),
    ],
)
def test_the_fixer_reads_the_linters_options(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    cwd: str,
    args: list[str],
) -> None:
    write(tmp_path, {**files, "sub/m.py": NUMPY_AND_OS_PATH})
    target = "m.py" if cwd == "sub" else "sub/m.py"
    assert lint(tmp_path / cwd, monkeypatch, capsys, *args, target) == []
    assert outcome(run(tmp_path / cwd, "fix", *args, target)) == (0, "", "")
    assert (tmp_path / "sub/m.py").read_text() == NUMPY_AND_OS_PATH


SELECT_SOURCE = "import os.path\nimport json as json\nos.path.sep\n"


@pytest.mark.parametrize("args", [["--select", "IPS104"], ["--ignore", "ips101"]], ids=["select", "ignore"])
def test_select_and_ignore_choose_the_codes(project: Path, args: list[str]) -> None:
    write(project, {"m.py": SELECT_SOURCE})
    assert outcome(run(project, "fix", *args, "m.py")) == (1, "rewrote m.py\n", "")
    assert (project / "m.py").read_text() == "import os.path\nimport json\nos.path.sep\n"


def test_noqa_on_the_flagged_line_is_honoured(project: Path) -> None:
    write(
        project,
        {
            "a.py": (
                "import os.path  # noqa\n"
                "import xml.dom  # noqa: IPS101\n"
                "import json.decoder  # noqa: E501\n"
                "print(os.path.sep, xml.dom, json.decoder)\n"
            ),
            # a `# noqa` elsewhere than on the flagged import does not protect it
            "b.py": "import os.path\nprint(os.path.sep)  # noqa\n",
        },
    )
    assert outcome(run(project, "fix", "a.py", "b.py")) == (1, "rewrote a.py\nrewrote b.py\n", "")
    assert (project / "a.py").read_text() == (
        "import os.path  # noqa\n"
        "import xml.dom  # noqa: IPS101\n"
        "from json import decoder  # noqa: E501\n"
        "print(os.path.sep, xml.dom, decoder)\n"
    )
    assert (project / "b.py").read_text() == "from os import path\nprint(path.sep)  # noqa\n"


def test_disable_noqa_in_the_config_is_honoured_as_flake8_does(project: Path) -> None:
    write(project, {"setup.cfg": "[flake8]\ndisable-noqa = true\n", "a.py": "import os.path  # noqa\nprint(os.path.sep)\n"})
    assert outcome(run(project, "fix", "a.py")) == (1, "rewrote a.py\n", "")
    assert (project / "a.py").read_text() == "from os import path  # noqa\nprint(path.sep)\n"


def test_a_reader_that_stops_early_is_no_traceback(project: Path) -> None:
    """``fix --diff | head``: the pipe closes before the patch is written."""
    write(project, {f"m{i}.py": SOURCE * 50 for i in range(30)})
    command = [sys.executable, "-m", "flake8_importstyle", "fix", "--diff", "."]
    with subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        error = proc.stderr.read().decode()
        assert proc.wait(timeout=300) == 1
    assert "Traceback" not in error and "BrokenPipe" not in error, error


def test_a_finding_it_cannot_fix_is_printed_with_the_reason(project: Path) -> None:
    source = "import os.path\nos = None\nos.path.sep\n"
    write(project, {"m.py": source})
    assert outcome(run(project, "fix", "m.py")) == (
        0,
        "m.py:1:8: IPS101 not fixed: 'os.path' at line 3 reads the name bound at line 2, not this import\n",
        "",
    )
    assert (project / "m.py").read_text() == source


# ------------------------------------------------------------------ parallel

PARALLEL_FILES = {
    "a.py": SOURCE,
    "b.py": "import os.path\nprint(os.getcwd(), os.path.sep)\n",
    "c.py": 'import os.path\npath = "/tmp"\nprint(os.path.join(path, "x"))\n',
    "pkg/__init__.py": "",
    "pkg/d.py": "import numpy\nnumpy.zeros(1)\n",
    "pkg/e.py": "import json as json\nm = __import__('json')\n",
    "pkg/f.py": "import os.path\nos = None\nos.path.sep\n",
    "pkg/g.py": FIXED,
}


def test_parallel_jobs_give_the_same_result_as_one(tmp_path: Path) -> None:
    results = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        write(root, {".flake8": "[flake8]\n", **PARALLEL_FILES})
        results[jobs] = outcome(run(root, "fix", "-j", jobs, ".")), snapshot(root)
    assert results["1"] == results["2"]
    (status, stdout, stderr), files = results["1"]
    assert (status, stderr) == (1, "")
    assert stdout.splitlines() == [
        "rewrote a.py",
        "rewrote b.py",
        "rewrote c.py",
        "rewrote pkg/d.py",
        "rewrote pkg/e.py",
        "pkg/f.py:1:8: IPS101 not fixed: 'os.path' at line 3 reads the name bound at line 2, not this import",
    ]
    assert files["c.py"] == b'from os import path as os_path\npath = "/tmp"\nprint(os_path.join(path, "x"))\n'


# ----------------------------------------------------- explain and --version


@pytest.mark.parametrize(("argument", "code"), [("IPS301", "IPS301"), ("ips104", "IPS104")])
def test_explain_prints_the_codes_documentation(tmp_path: Path, argument: str, code: str) -> None:
    rule = BY_CODE[code]
    result = run(tmp_path, "explain", argument)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.rstrip("\n") == explain(rule).rstrip("\n")
    heading = result.stdout.splitlines()[0]
    assert heading == rule.title() and heading.startswith(f"{code} ")
    for example in rule.examples:
        for source in (example.bad, example.good):
            block = "".join(f"    {line}\n" if line else "\n" for line in source.splitlines())
            assert block in result.stdout


def test_explain_an_unknown_code_exits_2_with_one_line(tmp_path: Path) -> None:
    assert outcome(run(tmp_path, "explain", "IPS999")) == (
        2,
        "",
        f"flake8-importstyle: unknown code 'IPS999'; known: {', '.join(sorted(BY_CODE))}\n",
    )


def _console_script() -> list[str]:
    script = shutil.which("flake8-importstyle", path=str(Path(sys.executable).parent))
    assert script, f"the console script is not installed next to {sys.executable}"
    return [script]


@pytest.mark.parametrize("how", ["-m", "console script"])
def test_version(tmp_path: Path, how: str) -> None:
    result = run(tmp_path, "--version", command=_console_script() if how == "console script" else None)
    assert outcome(result) == (0, f"flake8-importstyle {flake8_importstyle.__version__}\n", "")


@pytest.mark.parametrize(
    ("requires", "rewritten"),
    [(">=3.11", True), (">=3.10, <4", False), ("~=3.13.0", True)],
)
def test_the_fixer_targets_the_projects_requires_python(project: Path, requires: str, rewritten: bool) -> None:
    """pipes is deprecated from 3.11: a project that still supports 3.10 keeps it."""
    source = "import pipes\n\nprint(pipes.quote('a b'))\n"
    write(project, {"a.py": source, "pyproject.toml": f'[project]\nname = "a"\nrequires-python = "{requires}"\n'})
    result = run(project, "fix", "a.py")
    after = (project / "a.py").read_text(encoding="utf-8")
    assert (after != source) is rewritten, result
    if rewritten:
        assert after == "import shlex\n\nprint(shlex.quote('a b'))\n"
        assert result.returncode == 1
    else:
        assert outcome(result) == (0, "", "")


# ------------------------------------------- one configuration, read as flake8 reads it

#: A file whose findings show every option's value: IPS105 names the no-from entry, IPS106
#: the alias, IPS107 the banned entry's reason, IPS108 the relative policy, IPS101 the
#: allowed dotted names, IPS205/IPS206 the target Python, ``# noqa`` disable-noqa.
PROBE = """\
from json import dumps
from numpy import zeros
import numpy
import json.decoder
import xml.dom.minidom
import os.path
import email.mime  # noqa
import tkinter as tkk
from six.moves import range
from .. import sibling
from . import helper
import pipes
import imp
import distutils
print(dumps, zeros, numpy, json.decoder, xml.dom.minidom, os.path, email.mime, tkk, range, sibling, helper)
print(pipes.quote, imp.reload, distutils)
"""

SETTINGS = """\
[flake8]
importstyle-no-from = json numpy
importstyle-allow-dotted =
    xml.*
    email.mime
importstyle-aliases = tkinter=tk, numpy=
importstyle-banned =
    six.moves = use the standard library
    os.path = use pathlib
importstyle-relative = siblings
"""

#: The fixer's side of the agreement: its settings, read by its own command line, and the
#: findings the plugin's rules give under them on the files it would fix, ``# noqa`` as flake8
#: decides it, printed as flake8 prints them.
FIXER_SIDE = """\
import ast, sys
from flake8_importstyle import cli
from flake8_importstyle.noqa import Noqa
from flake8_importstyle.rules import check_tree
try:
    settings = cli.settings_from(cli.parser().parse_args(["fix", *sys.argv[1:], "."]))
except cli.UsageError as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(1)
for path in cli.discover(["."], settings):
    text = path.read_text(encoding="utf-8")
    noqa = Noqa(text, disable_noqa=settings.disable_noqa)
    for f in check_tree(ast.parse(text), text.splitlines(True), str(path), settings.config):
        if noqa.allows(f.line, f.code):
            print(f"{path}:{f.line}:{f.col + 1}: {f.code} {f.message}")
"""


def _normalised(result: subprocess.CompletedProcess[bytes]) -> tuple[int, list[str], str]:
    out = result.stdout.decode("utf-8").splitlines()
    return result.returncode, sorted(os.path.normpath(line) for line in out), result.stderr.decode("utf-8")


def flake8_and_fixer(cwd: Path, home: Path, args: list[str]) -> tuple[tuple[int, list[str], str], ...]:
    """What real flake8 reports in *cwd* with *args* (HOME=*home*), and what the fixer, given the
    same *args*, would find under the settings it reads."""
    env = {**ENV, "HOME": str(home)}
    common: dict[str, Any] = {"cwd": cwd, "env": env, "capture_output": True, "timeout": 120, "check": False}
    lint = subprocess.run([sys.executable, "-m", "flake8", "--select", "IPS", *args, "."], **common)
    fixer = subprocess.run([sys.executable, "-c", FIXER_SIDE, *args], **common)
    return _normalised(lint), _normalised(fixer)


AGREEMENT = [
    pytest.param({"setup.cfg": SETTINGS}, "proj", [], id="setup.cfg"),
    pytest.param({".flake8": SETTINGS}, "proj/sub", [], id=".flake8-above-the-folder"),
    pytest.param({"tox.ini": SETTINGS}, "proj", [], id="tox.ini"),
    pytest.param(
        # flake8 passes over a tox.ini it cannot parse (an unrelated section's line without
        # '='), [flake8] and all, and reads the next file
        {"tox.ini": "[testenv]\ncommands\n    pytest\n" + SETTINGS, ".flake8": "[flake8]\nimportstyle-no-from = json\n"},
        "proj",
        [],
        id="unparsable-tox.ini",
    ),
    pytest.param({"setup.cfg": "[metadata]\nname = x\n", "tox.ini": SETTINGS}, "proj", [], id="setup.cfg-without-flake8"),
    pytest.param({"setup.cfg": SETTINGS, "lint.cfg": "[flake8]\n"}, "proj", ["--config", "lint.cfg"], id="--config"),
    pytest.param(
        {"setup.cfg": SETTINGS, "more.cfg": "[flake8]\nimportstyle-relative = never\nimportstyle-no-from = json\n"},
        "proj",
        ["--append-config", "more.cfg"],
        id="--append-config",
    ),
    pytest.param(
        {"setup.cfg": SETTINGS, "a.cfg": "[flake8]\nimportstyle-relative = never\n", "b.cfg": "[flake8]\ndisable-noqa = 1\n"},
        "proj",
        ["--config", "a.cfg", "--append-config", "b.cfg"],
        id="--config-and-two-appended",
    ),
    pytest.param({"setup.cfg": SETTINGS}, "proj", ["--isolated"], id="--isolated"),
    pytest.param({"setup.cfg": SETTINGS}, "proj", ["--config", "missing.cfg"], id="--config-missing"),
    pytest.param({"setup.cfg": SETTINGS}, "proj", ["--isolated", "--config", "missing.cfg"], id="--isolated-config-missing"),
    pytest.param({"more.cfg": SETTINGS}, "proj", ["--isolated", "--append-config", "more.cfg"], id="--isolated-appended"),
    # the home folder and what is above it are never searched
    pytest.param({"../setup.cfg": SETTINGS}, "proj", [], id="config-in-the-home-folder"),
    pytest.param({"../../setup.cfg": SETTINGS}, "proj", [], id="config-above-the-home-folder"),
    pytest.param(
        # 3.9: below every Python the tests run on, so the option's findings differ from the defaults'
        {"setup.cfg": "[flake8]\nimportstyle-target-python = 3.9\n", "../pyproject.toml": "[project]\nrequires-python = '>=3.13'\n"},
        "proj",
        [],
        id="target-option",
    ),
    pytest.param(
        {"setup.cfg": "[flake8]\n", "pyproject.toml": "[project]\nrequires-python = '>=3.13'\n"}, "proj/sub", [], id="requires-python"
    ),
    pytest.param({"pyproject.toml": "[project]\nrequires-python = '>=3.10'\n"}, "proj/sub", [], id="requires-python-no-config"),
    pytest.param({"pyproject.toml": "[project]\nrequires-python = '>=3.13'\n"}, "proj", ["--isolated"], id="requires-python-isolated"),
    pytest.param({"../pyproject.toml": "[project]\nrequires-python = '>=3.13'\n"}, "proj", [], id="requires-python-in-home"),
    pytest.param(
        {"setup.cfg": "[flake8]\ndisable-noqa = True\nextend-exclude = sub\nfilename = *.py, *.pyw\n"}, "proj", [], id="files-and-noqa"
    ),
    pytest.param(
        {"setup.cfg": "[flake8]\nexclude = ./sub/probe.py\n  ./probe.pyw\n"}, "proj", [], id="exclude-relative-to-the-config"
    ),
    pytest.param(
        {"setup.cfg": "[flake8]\nimportstyle-aliases = numpy=class\n"}, "proj", [], id="bad-value"
    ),
    pytest.param(
        {"setup.cfg": "[flake8]\nimportstyle-banned = six.moves = use the stdlib, os.path = use pathlib\n"},
        "proj",
        [],
        id="two-banned-on-a-line",
    ),
]


def agree(tmp_path: Path, files: dict[str, str], cwd: str, args: list[str]) -> list[str]:
    """Assert that real flake8 and the fixer, in the same folder with the same options, read
    the same settings: the same files, the same findings with the same messages (which show
    each option's value), or the same one-line error. The project is ``home/proj``. Returns
    flake8's findings."""
    home = tmp_path / "home"
    write(home / "proj", {**files, "probe.py": PROBE, "sub/probe.py": PROBE, "probe.pyw": PROBE})
    lint, fixer = flake8_and_fixer(home / cwd, home, args)
    assert "Traceback" not in lint[2] + fixer[2]
    refused = not any(re.match(r"\S+:\d+:\d+: IPS\d+ ", line) for line in lint[1])
    if lint[0] == 1 and refused:  # flake8 refused the configuration: so does the fixer, in one line
        assert fixer[0] != 0 and not fixer[1] and fixer[2].count("\n") == 1, fixer
        if lint[2].startswith("flake8-importstyle: "):  # the plugin refused a value
            assert fixer[2] == lint[2]
        return []
    assert (lint[2], fixer[2]) == ("", "")
    assert lint[1], "the probe has findings under every configuration"
    assert fixer[1] == lint[1]
    return lint[1]


@pytest.mark.parametrize(("files", "cwd", "args"), AGREEMENT)
def test_the_fixer_reads_the_configuration_flake8_reads(
    tmp_path: Path, files: dict[str, str], cwd: str, args: list[str]
) -> None:
    agree(tmp_path, files, cwd, args)


def test_the_agreement_projects_differ(tmp_path: Path) -> None:
    """The agreement above means something only if the configurations give different
    findings: those it compares are not all the defaults'."""
    seen = set()
    chosen = ["setup.cfg", "unparsable-tox.ini", "--isolated", "target-option", "requires-python"]
    for index, param in enumerate(p for p in AGREEMENT if p.id in chosen):
        files, cwd, args = param.values
        home = tmp_path / str(index) / "home"
        write(home / "proj", {**files, "probe.py": PROBE, "sub/probe.py": PROBE})
        seen.add(tuple(flake8_and_fixer(home / cwd, home, args)[0][1]))
    assert len(seen) == 5


#: [tool.flake8] as Flake8-pyproject reads it: TOML lists, multi-line strings, numbers.
PYPROJECT = """\
[project]
name = "x"
requires-python = ">=3.13"

[tool.flake8]
importstyle-no-from = ["json", "numpy"]
importstyle-allow-dotted = "xml.*, email.mime"
importstyle-aliases = ["tkinter=tk", "numpy="]
importstyle-banned = ["six.moves = use the standard library", "os.path = use pathlib"]
importstyle-relative = "never"
disable-noqa = true
"""

#: Run the code that follows with the Flake8-pyproject distribution out of sight, as if it
#: were not installed: flake8 finds its plugins through importlib.metadata.distributions.
WITHOUT_FLAKE8_PYPROJECT = """\
import importlib.metadata as _md
_all = _md.distributions
_md.distributions = lambda **kw: (d for d in _all(**kw) if d.metadata["Name"].lower() != "flake8-pyproject")
"""


@pytest.mark.parametrize(
    ("files", "cwd", "args"),
    [
        pytest.param({"pyproject.toml": PYPROJECT, "setup.cfg": SETTINGS}, "proj", [], id="pyproject-over-setup.cfg"),
        pytest.param({"pyproject.toml": PYPROJECT}, "proj", ["--isolated"], id="pyproject-even-isolated"),
        pytest.param({"pyproject.toml": PYPROJECT, "setup.cfg": SETTINGS}, "proj/sub", [], id="only-in-the-current-folder"),
        pytest.param(
            {"lint/tool.toml": PYPROJECT, "setup.cfg": SETTINGS}, "proj", ["--toml-config", "lint/tool.toml"], id="--toml-config"
        ),
        pytest.param(
            {"pyproject.toml": "[tool.flake8]\nimportstyle-target-python = 3.10\n"}, "proj", [], id="a-toml-number"
        ),
        pytest.param(
            {"pyproject.toml": "[tool.flake8]\nimportstyle-relative = ['never', 'allow']\n"}, "proj", [], id="a-toml-list"
        ),
        pytest.param(
            {"pyproject.toml": "[tool.flake8]\nimportstyle-aliases = {numpy = 'np'}\n"}, "proj", [], id="a-toml-table"
        ),
    ],
)
def test_with_flake8_pyproject_the_fixer_reads_tool_flake8(
    tmp_path: Path, files: dict[str, str], cwd: str, args: list[str]
) -> None:
    """With Flake8-pyproject installed, flake8 reads ``[tool.flake8]`` of the current
    folder's pyproject.toml (or ``--toml-config``) instead of its config file, and so does the fixer."""
    pytest.importorskip("flake8p", reason="Flake8-pyproject is not installed")
    findings = agree(tmp_path, files, cwd, args)
    # the TOML's 'never' flags `from . import helper`; setup.cfg's 'siblings' does not
    read_the_toml = PYPROJECT in files.values() and cwd == "proj"
    assert any(line.startswith("probe.py:11:1: IPS108") for line in findings) == read_the_toml


def test_without_flake8_pyproject_neither_reads_tool_flake8(tmp_path: Path) -> None:
    """Where Flake8-pyproject is not installed, flake8 ignores ``[tool.flake8]``, and so does
    the fixer: both read setup.cfg."""
    home = tmp_path / "home"
    write(home / "proj", {"pyproject.toml": PYPROJECT, "setup.cfg": SETTINGS, "probe.py": PROBE})
    env = {**ENV, "HOME": str(home)}
    common: dict[str, Any] = {"cwd": home / "proj", "env": env, "capture_output": True, "timeout": 120, "check": False}
    flake8_command = WITHOUT_FLAKE8_PYPROJECT + "import runpy; runpy.run_module('flake8', run_name='__main__')"
    lint = _normalised(subprocess.run([sys.executable, "-c", flake8_command, "--select", "IPS", "."], **common))
    fixer = _normalised(subprocess.run([sys.executable, "-c", WITHOUT_FLAKE8_PYPROJECT + FIXER_SIDE], **common))
    assert lint[1] and (fixer[1], fixer[2]) == (lint[1], lint[2])
    # setup.cfg's siblings policy, not the TOML's never
    assert [line for line in lint[1] if " IPS108 " in line] == [
        "probe.py:10:1: IPS108 use an absolute import instead of 'from .. import ...'"
    ]


def test_a_list_with_spaces_means_what_it_means_to_flake8(project: Path) -> None:
    """flake8 splits a comma-separated option at spaces too: ``json numpy`` is two modules,
    both exempt from IPS101, so there is nothing to fix (it was a bad value to the fixer)."""
    write(project, {".flake8": "[flake8]\nimportstyle-no-from = json numpy\n"})
    source = "import json.decoder\nimport numpy.linalg\nprint(json.decoder, numpy.linalg)\n"
    write(project, {"m.py": source})
    assert outcome(run(project, "fix", "m.py")) == (0, "", "")
    assert (project / "m.py").read_text() == source


def test_an_unparsable_tox_ini_is_passed_over_as_flake8_does(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tox.ini": "[tox]\nenvlist = py\n[testenv]\ncommands\n    pytest\n",
            ".flake8": "[flake8]\nimportstyle-allow-dotted = os.path\n",
            "m.py": SOURCE,
            "n.py": "import xml.dom\nprint(xml.dom)\n",
        },
    )
    assert outcome(run(tmp_path, "fix", "m.py", "n.py")) == (1, "rewrote n.py\n", "")
    assert (tmp_path / "m.py").read_text() == SOURCE  # .flake8 allows it


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        pytest.param([], False, id="setup.cfg"),
        pytest.param(["--isolated"], True, id="--isolated"),
        pytest.param(["--append-config", "more.cfg"], True, id="--append-config"),
        # flake8 reads no file under --isolated, not even those appended
        pytest.param(["--isolated", "--append-config", "less.cfg"], True, id="--isolated-appended"),
        pytest.param(["--config", "more.cfg", "--append-config", "less.cfg"], False, id="--config-appended"),
    ],
)
def test_isolated_and_append_config_as_flake8_takes_them(tmp_path: Path, args: list[str], fixed: bool) -> None:
    write(
        tmp_path,
        {
            "setup.cfg": "[flake8]\nimportstyle-allow-dotted = os.path\n",
            "more.cfg": "[flake8]\nimportstyle-allow-dotted = xml.*\n",
            "less.cfg": "[flake8]\nimportstyle-allow-dotted = os.*\n",
            "m.py": SOURCE,
        },
    )
    assert outcome(run(tmp_path, "fix", *args, "m.py")) == ((1, "rewrote m.py\n", "") if fixed else (0, "", ""))
    assert (tmp_path / "m.py").read_text() == (FIXED if fixed else SOURCE)


@pytest.mark.parametrize(
    ("config", "line"),
    [
        pytest.param(
            "importstyle-aliases = numpy=\ufb01le",
            "importstyle-aliases: 'numpy=\ufb01le' names '\ufb01le', which is not written as Python reads names:"
            " it reads 'file' (NFKC)",
            id="nfkc",
        ),
        pytest.param(
            "importstyle-aliases = numpy=lambda", "importstyle-aliases: 'numpy=lambda' names 'lambda', which is a keyword", id="keyword"
        ),
        pytest.param(
            "importstyle-banned = six = no, mock = use unittest.mock",
            "importstyle-banned: 'six = no, mock = use unittest.mock' holds two entries, 'six' and 'mock': write one"
            " 'module = reason' per line (a reason's own '=' goes in quotes or brackets)",
            id="two-banned",
        ),
        pytest.param("max-line-length = long", "flake8 cannot read its config: invalid literal for int() with base 10: 'long'", id="flake8s"),
    ],
)
def test_a_value_flake8_refuses_the_fixer_refuses_in_one_line(tmp_path: Path, config: str, line: str) -> None:
    source = "import numpy\nnumpy.zeros(1)\n"
    write(tmp_path, {"setup.cfg": f"[flake8]\n{config}\n", "m.py": source})
    assert outcome(run(tmp_path, "fix", "m.py")) == (2, "", f"flake8-importstyle: {line}\n")
    assert (tmp_path / "m.py").read_text() == source
    lint = subprocess.run([sys.executable, "-m", "flake8", "m.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert lint.returncode == 1 and lint.stdout == ""
    if not config.startswith("max-line-length"):  # flake8 shows a traceback for a value of its own
        assert lint.stderr == f"flake8-importstyle: {line}\n"


def test_toml_config_without_flake8_pyproject_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, {"lint.toml": "[tool.flake8]\n", "m.py": SOURCE})
    command = [sys.executable, "-c", WITHOUT_FLAKE8_PYPROJECT + "from flake8_importstyle.cli import main; raise SystemExit(main())"]
    result = run(tmp_path, "fix", "--toml-config", "lint.toml", "m.py", command=command)
    line = "flake8-importstyle: --toml-config is Flake8-pyproject's option, which is not installed\n"
    assert outcome(result) == (2, "", line)
