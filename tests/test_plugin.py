"""The flake8 adapter in-process: options in, tuples out, never an exception."""

from __future__ import annotations

import argparse
import ast

import pytest

from flake8_importstyle import plugin as plugin_module
from flake8_importstyle.config import Config
from flake8_importstyle.plugin import Plugin
from tests._hardening import parsed, stdlib_files


def _options(**values: object) -> argparse.Namespace:
    from flake8_importstyle.config import OPTION_NAMES

    names = [name.replace("-", "_") for name in OPTION_NAMES]
    return argparse.Namespace(**{f"importstyle_{n}": values.get(n) for n in names})


@pytest.fixture(autouse=True)
def _restore_config():
    saved = Plugin.config
    yield
    Plugin.config = saved


def run(source: str, filename: str = "x.py") -> list[tuple[int, int, str]]:
    checker = Plugin(ast.parse(source), source.splitlines(keepends=True), filename)
    return [(line, col, text) for line, col, text, kind in checker.run() if kind is Plugin]


def test_run_yields_flake8_tuples() -> None:
    Plugin.parse_options(_options())
    assert run("import os.path\n") == [(1, 7, "IPS101 use 'from os import path' instead of 'import os.path'")]


def test_parse_options_builds_the_config(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no project around: the running Python is the target
    Plugin.parse_options(_options(relative="never", no_from=["json"]))
    assert Plugin.config == Config.from_options(relative="never", no_from=["json"])
    assert [text[:6] for _, _, text in run("from . import x\nfrom json import loads\n")] == ["IPS108", "IPS105"]


def test_every_config_option_is_a_flake8_option() -> None:
    from flake8_importstyle.config import OPTION_NAMES
    from flake8_importstyle.plugin import OPTIONS

    assert [flag for flag, _ in OPTIONS] == [f"--importstyle-{name}" for name in OPTION_NAMES]


def test_bad_option_exits_with_one_line() -> None:
    with pytest.raises(SystemExit) as info:
        Plugin.parse_options(_options(relative="sometimes"))
    assert info.value.code == "flake8-importstyle: importstyle-relative: 'sometimes' is not one of allow, siblings, never"


@pytest.mark.parametrize("error", [RecursionError("deep"), SyntaxError("bad"), ValueError("boom")])
def test_an_internal_error_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def broken(*args: object) -> list[object]:
        raise error

    monkeypatch.setattr(plugin_module, "check_tree", broken)
    [(line, col, text)] = run("import os\n")
    assert (line, col) == (1, 0)
    assert text == f"IPS001 flake8-importstyle could not check this file ({type(error).__name__}: {error}); please report it"


def test_the_lint_path_does_not_import_libcst() -> None:
    import subprocess
    import sys

    code = (
        "import ast, sys; from flake8_importstyle.plugin import Plugin; "
        "list(Plugin(ast.parse('import os.path'), ['import os.path'], 'x.py').run()); "
        "print('libcst' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_the_whole_stdlib_lints_without_an_internal_error() -> None:
    Plugin.parse_options(
        _options(relative="never", banned="os = x\nsix.moves = y", no_from=["json", "os"], allow_dotted=["xml.*"])
    )
    files = findings = 0
    for path, tree, lines in parsed(stdlib_files()):
        checker = Plugin(tree, lines, str(path))
        results = list(checker.run())
        assert not any(text.startswith("IPS001") for _, _, text, _ in results), (path, results)
        files += 1
        findings += len(results)
    assert files > 1000
    print(f"\nstdlib sweep: {files} files, {findings} findings")
