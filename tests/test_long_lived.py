"""flake8 run again and again inside one process, as an editor runs it.

The VS Code flake8 extension (microsoft/vscode-flake8, ``bundled/tool``) runs
flake8 inside its language server's own process when the server's
interpreter is the one configured: ``runpy.run_module("flake8",
run_name="__main__")`` with ``sys.argv``, ``sys.path``, the standard streams
and the working folder swapped for the run, ``SystemExit`` caught, lint after
lint; ``flake8 --version`` first, when the server starts. Modules imported
once stay imported, so whatever the plugin remembers outlives the run that
learnt it. :data:`DRIVER` does the same in a fresh child process, the files
changed between lints as a user edits them, and the tests check that each
lint reports what the files hold at that moment.

The other tests here are about what such a process pays: which modules a
plugin import brings in, and that the codes flake8 ignores by default agree
with the rules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

#: One child process that runs flake8 once per "lint" step, in-process, the way
#: the extension's ``lsp_utils.run_module`` does, and prints each run's output as JSON.
DRIVER = r'''
import contextlib
import io
import json
import os
import runpy
import sys

# the extension's TOOL_ARGS: its output parser strips the quotes again
FORMAT = "--format='%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s'"


def stream(name):
    buffer = io.BytesIO()
    buffer.name = name
    return io.TextIOWrapper(buffer, encoding="utf-8")


def run_flake8(argv, source=None):
    out, err = stream("<stdout>"), stream("<stderr>")
    saved = sys.argv, sys.path, sys.stdout, sys.stderr, sys.stdin
    sys.argv, sys.path = argv, [""] + sys.path[:]
    sys.stdout, sys.stderr = out, err
    if source is not None:
        sys.stdin = stream("<stdin>")
        sys.stdin.write(source)
        sys.stdin.seek(0)
    try:
        with contextlib.suppress(SystemExit):
            runpy.run_module("flake8", run_name="__main__")
    finally:
        sys.argv, sys.path, sys.stdout, sys.stderr, sys.stdin = saved
    out.seek(0)
    err.seek(0)
    return {"stdout": out.read(), "stderr": err.read()}


def main(workspace, plan_file):
    with open(plan_file, encoding="utf-8") as handle:
        plan = json.load(handle)
    server_cwd = os.getcwd()
    results = []
    for step in plan:
        if step["do"] == "write":
            for name, content in step["files"].items():
                path = os.path.join(workspace, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(content)
        elif step["do"] == "keep-times":  # the same modification time as before the edit
            path = os.path.join(workspace, step["file"])
            os.utime(path, ns=(step["ns"], step["ns"]))
        elif step["do"] == "version":
            os.chdir(workspace)
            results.append(run_flake8(["flake8", "--version"]))
            os.chdir(server_cwd)
        else:
            path = os.path.join(workspace, step["file"])
            argv = ["flake8", FORMAT, *step.get("args", ())]
            source = None
            if step.get("stdin"):  # notebooks' cells: the text through stdin, the path as display name
                with open(path, encoding="utf-8") as handle:
                    source = handle.read()
                argv += ["--stdin-display-name", path, "-"]
            else:
                argv.append(path)
            os.chdir(workspace)
            results.append(run_flake8(argv, source))
            os.chdir(server_cwd)
    print(json.dumps(results))


main(sys.argv[1], sys.argv[2])
'''

#: The project's flake8 config: only this plugin's codes, so the output is only them.
SETUP_CFG = "[flake8]\nselect = IPS\n"
APP = "import pkg\n\npkg.sub.run()\n"
SUB = "def run():\n    pass\n"
#: The finding APP gets while pkg/__init__.py does not import pkg.sub.
IPS402_SUB = (
    "3,1,I,IPS402:'pkg.sub' is a submodule that this file never imports; it works only if "
    "something else imported it first; write 'from pkg import sub'"
)


def drive(workspace: Path, plan: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Run *plan* in one child process; each lint's diagnostics as the extension parses them."""
    driver = workspace.parent / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    plan_file = workspace.parent / "plan.json"
    plan_file.write_text(json.dumps(list(plan)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    proc = subprocess.run(
        [sys.executable, str(driver), str(workspace), str(plan_file)],
        cwd=workspace.parent,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lints: list[list[str]] = []
    for result in json.loads(proc.stdout):
        assert result["stderr"] == "", result["stderr"]
        lines = [line[1:-1] if line.startswith("'") and line.endswith("'") else line for line in result["stdout"].splitlines()]
        assert not any("IPS001" in line for line in lines), lines
        lints.append(lines)
    return lints


def lint(name: str, *args: str, stdin: bool = False) -> dict[str, Any]:
    return {"do": "lint", "file": name, "args": list(args), "stdin": stdin}


def write(files: dict[str, str]) -> dict[str, Any]:
    return {"do": "write", "files": files}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    root.mkdir()
    for name, text in {"setup.cfg": SETUP_CFG, "app.py": APP, "pkg/__init__.py": "", "pkg/sub.py": SUB}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow
@pytest.mark.parametrize("stdin", [False, True], ids=["path", "stdin"])
def test_an_edit_to_a_package_changes_the_next_lint(workspace: Path, stdin: bool) -> None:
    """The issue's case, both ways: pkg/__init__.py gains ``from . import sub``
    and IPS402 goes; it loses it again and IPS402 comes back."""
    lints = drive(
        workspace,
        [
            {"do": "version"},
            lint("app.py", stdin=stdin),
            write({"pkg/__init__.py": "from . import sub\n"}),
            lint("app.py", stdin=stdin),
            lint("app.py", stdin=stdin),
            write({"pkg/__init__.py": ""}),
            lint("app.py", stdin=stdin),
        ],
    )
    version, *runs = lints
    assert "flake8-importstyle" in version[0]
    assert runs == [[IPS402_SUB], [], [], [IPS402_SUB]]


@pytest.mark.slow
def test_an_edit_that_keeps_size_and_time_is_seen(workspace: Path) -> None:
    """A quick edit may leave the file's size and modification time as they
    were: the resolver goes by the bytes, not by the file's times."""
    init = workspace / "pkg" / "__init__.py"
    init.write_text("from . import sub\n", encoding="utf-8")
    (workspace / "pkg" / "bus.py").write_text("", encoding="utf-8")
    stamp = init.stat().st_mtime_ns
    lints = drive(
        workspace,
        [
            lint("app.py"),
            write({"pkg/__init__.py": "from . import bus\n"}),  # the same length
            {"do": "keep-times", "file": "pkg/__init__.py", "ns": stamp},
            lint("app.py"),
        ],
    )
    assert lints == [[], [IPS402_SUB]]


@pytest.mark.slow
def test_a_new_submodule_and_a_name_that_becomes_a_module(workspace: Path) -> None:
    """New files are seen (folder listings are not kept from one lint to the
    next), and so are the answers IPS403 asks for."""
    uses = "import pkg\nfrom pkg import helper\n\npkg.extra.run()\nhelper()\n"
    lints = drive(
        workspace,
        [
            write({"uses.py": uses, "pkg/__init__.py": "def helper():\n    pass\n"}),
            lint("uses.py", "--extend-select=IPS403"),
            write({"pkg/extra.py": SUB, "pkg/helper.py": "", "pkg/__init__.py": "from . import helper\n"}),
            lint("uses.py", "--extend-select=IPS403"),
        ],
    )
    ips403 = "2,17,I,IPS403:'helper' is not a module; write 'import pkg' and use 'pkg.helper'"
    ips402 = (
        "4,1,I,IPS402:'pkg.extra' is a submodule that this file never imports; it works only if "
        "something else imported it first; write 'from pkg import extra'"
    )
    assert lints == [[ips403], [ips402]]


@pytest.mark.slow
def test_an_edited_requires_python_changes_the_next_lint(workspace: Path) -> None:
    """The target Python is read from ``pyproject.toml`` when a rule first needs it, and
    once per run: raising ``requires-python`` past 3.12 brings IPS205 (``get_loader``,
    deprecated in 3.12), lowering it again takes it away."""
    uses = "import pkgutil\n\npkgutil.get_loader('json')\n"
    project = '[project]\nname = "x"\nrequires-python = ">={}"\n'
    lints = drive(
        workspace,
        [
            write({"uses.py": uses, "pyproject.toml": project.format("3.10")}),
            lint("uses.py"),
            write({"pyproject.toml": project.format("3.12")}),
            lint("uses.py"),
            lint("app.py"),
            write({"pyproject.toml": project.format("3.11")}),
            lint("uses.py"),
        ],
    )
    assert [[line.split(":")[0] for line in found] for found in lints] == [
        [], ["3,1,I,IPS205"], [IPS402_SUB.split(":")[0]], []
    ]


# ------------------------------------------------------------------ what a run pays


def imported_by(code: str) -> set[str]:
    """The modules of this package that a fresh interpreter has imported after *code*."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith('flake8_importstyle')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(out.stdout.replace("'", '"')))


def test_loading_the_plugin_imports_no_rule() -> None:
    """``flake8 --version`` loads the plugin and asks for its options: the
    rules, the resolver and the fixer stay unimported until a file is checked."""
    loaded = imported_by(
        "from flake8.options.manager import OptionManager\n"
        "from flake8_importstyle.plugin import Plugin\n"
        "Plugin.add_options(OptionManager(version='0', plugin_versions='', parents=[], formatter_names=[]))"
    )
    assert loaded <= {"flake8_importstyle", "flake8_importstyle.plugin", "flake8_importstyle.config",
                      "flake8_importstyle.conventions"}, loaded


def test_the_codes_off_by_default_are_the_rules_off_by_default() -> None:
    from flake8_importstyle import plugin, rules

    assert plugin.OFF_BY_DEFAULT == rules.OFF_BY_DEFAULT
    assert set(plugin.OFF_BY_DEFAULT) == {rule.code for rule in rules.RULES if rule.default == "off"}
