"""The family table that lets the lint path import a family's rules only for a file
that can have its findings: it agrees with RULES, and its gates never hide a finding."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_importstyle import deprecations, rules
from flake8_importstyle.rules import CODES, DEFAULT_CODES, FAMILIES, OFF_BY_DEFAULT, RULES, check_tree
from flake8_importstyle.text import source_lines
from tests.conftest import config_from
from tests.test_rules import FIXTURE_FILES, _expectations

REPO = Path(__file__).resolve().parent.parent


def test_each_code_is_in_exactly_one_family_that_is_its_rules_module() -> None:
    families = [codes for _, codes, _ in FAMILIES]
    assert sum(len(codes) for codes in families) == len(set().union(*families))
    by_code = {code: module for module, codes, _ in FAMILIES for code in codes}
    assert {rule.code: rule.__module__.rpartition(".")[2] for rule in RULES} == by_code
    assert [rule.code for rule in RULES] == list(CODES) == sorted(by_code)


def test_the_default_codes_are_the_rules_not_off_by_default() -> None:
    assert OFF_BY_DEFAULT == tuple(rule.code for rule in RULES if rule.default == "off")
    assert DEFAULT_CODES == {rule.code for rule in RULES if rule.default != "off"}


def test_the_removed_gate_holds_every_module_of_the_tables() -> None:
    assert rules._REMOVED_TOP_LEVEL == deprecations.REMOVED_TOP_LEVEL


def _cases() -> list[pytest.param]:
    cases = []
    for rule in RULES:
        for i, example in enumerate(rule.examples):
            for which in ("bad", "good", "fixed"):
                source = getattr(example, which)
                if source is not None:
                    cases.append(
                        pytest.param(source, example.filename, dict(example.options), id=f"{rule.code}-{i}-{which}")
                    )
    for path in FIXTURE_FILES:
        options, filename, _, _ = _expectations(path)
        cases.append(pytest.param(path.read_text(encoding="utf-8"), filename, options, id=path.stem))
    return cases


def _both(source: str, filename: str, options: dict[str, str], codes: frozenset[str]) -> tuple[list, list]:
    lines = source_lines(source)
    config = config_from(options)
    tree = ast.parse(source)
    gated = check_tree(tree, lines, filename, config, codes)
    return gated, check_tree(tree, lines, filename, config, codes, gates=False)


@pytest.mark.parametrize(("source", "filename", "options"), _cases())
def test_the_gates_never_hide_a_finding(
    source: str, filename: str, options: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "/" in filename:  # as the rule tests do: the file's folder exists, and holds nothing else
        monkeypatch.chdir(tmp_path)
        (tmp_path / filename).parent.mkdir(parents=True)
    # every code at once, and each code alone (a gate may depend on the codes asked for)
    for codes in (frozenset(CODES), *(frozenset({code}) for code in CODES)):
        gated, ungated = _both(source, filename, options, codes)
        assert gated == ungated, codes


def test_a_gate_skips_a_family_that_cannot_report() -> None:
    source = "import os\n\nprint(os.getcwd())\n"
    gated, ungated = _both(source, "x.py", {}, frozenset(CODES))
    assert gated == ungated == []
    file_gates = {module: gate for module, _, gate in FAMILIES}
    file = rules.FileContext(
        tree=ast.parse(source), lines=source.splitlines(True), filename="x.py", config=config_from({}), records=[]
    )
    assert not file_gates["dynamic"](file, frozenset({"IPS201"}))
    assert not file_gates["removed"](file, frozenset({"IPS206"}))
    assert not file_gates["cache"](file, frozenset({"IPS301"}))


def test_a_typical_file_imports_only_the_families_it_needs() -> None:
    """argparse.py: no __import__, no importlib, no removed module, no sys.modules."""
    code = (
        "import argparse, ast, sys\n"
        "from flake8_importstyle.config import Config\n"
        "from flake8_importstyle.rules import check_tree\n"
        "source = open(argparse.__file__, encoding='utf-8').read()\n"
        "check_tree(ast.parse(source), source.splitlines(True), argparse.__file__, Config())\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('flake8_importstyle'))))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout.split())
    assert "flake8_importstyle.rules.form" in loaded
    assert "flake8_importstyle.resolve" in loaded  # `_re.compile`: re is a package, compile no submodule
    # ... which the folder listing answers: no source is read
    modules = ("rules.dynamic", "rules.removed", "rules.cache", "deprecations", "apis", "target", "fix", "cli")
    for module in (*modules, "namespaces", "contracts"):
        assert f"flake8_importstyle.{module}" not in loaded


@pytest.mark.slow
def test_the_gates_never_hide_a_finding_in_the_stdlib() -> None:
    """Every top-level module of the interpreter's stdlib, every code: the same findings with the gates."""
    import sysconfig
    import time

    start = time.perf_counter()
    paths = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    assert len(paths) > 100
    reported = set()
    for path in paths:
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            ast.parse(source)
        except SyntaxError:  # pragma: no cover - a test file of the stdlib's own
            continue
        gated, ungated = _both(source, str(path), {}, frozenset(CODES))
        assert gated == ungated, path
        reported |= {f.code for f in gated}
    assert len(reported) >= 3  # the sweep reaches more than one family
    assert time.perf_counter() - start < 120


def test_a_file_without_a_dotted_name_needs_no_resolver() -> None:
    """IPS402's gate: no name an import binds is followed by a dot, so neither the
    packages rules nor the resolver are imported, by the plugin's options either."""
    code = (
        "import ast, sys\n"
        "from flake8.main.application import Application\n"
        "from flake8_importstyle.plugin import Plugin\n"
        "app = Application()\n"
        "app.initialize(['--isolated', 'x.py'])\n"
        "source = 'import os\\n\\nprint(os)\\n'\n"
        "found = list(Plugin(ast.parse(source), source.splitlines(True), 'x.py').run())\n"
        "print(len(found), ' '.join(sorted(m for m in sys.modules if m.startswith('flake8_importstyle'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    count, *loaded = out.split()
    assert count == "0"
    assert "flake8_importstyle.rules.form" in loaded
    assert "flake8_importstyle.resolve" not in loaded
    assert "flake8_importstyle.rules.packages" not in loaded


def test_a_typical_file_reads_neither_the_target_nor_the_contracts(tmp_path: Path) -> None:
    """Through flake8's own option parsing, in a project with a ``requires-python`` and a
    ``setup.cfg`` that holds no import-linter section: linting a file that imports nothing
    IPS205-IPS207 look at never reads the target, and the contracts module is not imported."""
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.10"\n', encoding="utf-8")
    (tmp_path / "setup.cfg").write_text("[flake8]\nselect = IPS\n", encoding="utf-8")
    code = (
        "import ast, sys\n"
        "from flake8.main.application import Application\n"
        "from flake8_importstyle.plugin import Plugin\n"
        "from flake8_importstyle import target\n"
        "Application().initialize(['x.py'])\n"
        "source = 'import os\\nimport xml\\n\\nprint(os.path, xml.sax)\\n'\n"
        "found = list(Plugin(ast.parse(source), source.splitlines(True), 'x.py').run())\n"
        "print(len(found), target.project_default.cache_info().currsize, Plugin.config.project,\n"
        "      ' '.join(sorted(m for m in sys.modules if m.startswith('flake8_importstyle'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    count, read, project, *loaded = out.stdout.split()
    assert (count, read, project) == ("1", "0", str(tmp_path))  # IPS402 for xml.sax, target unread
    assert "flake8_importstyle.rules.packages" in loaded
    assert "flake8_importstyle.contracts" not in loaded
    assert "flake8_importstyle.rules.removed" not in loaded
