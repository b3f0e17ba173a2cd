"""Diffs a maintainer would merge: real projects fixed, and the fixed files
checked with the projects' own linters (issue 10).

A rewrite that keeps behaviour can still be a diff no maintainer merges: a
continuation line left out of alignment (E128), a new import out of order
(isort's I001), a name that shadows a module. So each pinned sdist is
extracted, its own lint run on its source and tests, ``python -m
flake8_importstyle fix`` run on them, and the lint run again; no fixed file
may have a finding it did not have before:

* ``flake8 --select F,E,W`` (pyflakes and pycodestyle) at the project's own
  settings: its ``[flake8]`` section where it has one, else ``--isolated``
  with pycodestyle's defaults and the line length the project's own linter
  uses (ruff's 88 for the Pallets projects, which configure no flake8);
* ``ruff check --select I001`` with the project's own isort settings (ruff
  reads them from its ``pyproject.toml``; docutils configures no isort, so
  ruff's defaults stand in: a block that was sorted must stay sorted).

Findings are compared as multisets of (file, code, message) with the
numbers in the message left out, so a finding that only moved (or an E501
whose length changed) is not new. It downloads, so it runs with the other
heavy sweeps (``IMPORTSTYLE_FULL_SWEEP=1``)::

    IMPORTSTYLE_FULL_SWEEP=1 python -m pytest -s tests/test_maintainer_diffs.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests._hardening import FULL_SWEEP, fix_cli, parse_findings, run
from tests._real_projects import (
    changed_files,
    copy_tree,
    download_sdist,
    extract_sdist,
    fix_output,
    flake8_config,
    snapshot,
)

#: One finding, as compared: the file, the code, the message without its numbers.
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Linted:
    """A pinned project and how its own lint runs."""

    name: str
    version: str
    fix_paths: tuple[str, ...]
    #: flake8's settings: () reads the project's own [flake8] section
    flake8_args: tuple[str, ...]
    why: str
    xfail: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


#: The Pallets projects lint with ruff only (select E, F, W, I; line-length left at 88; isort
#: force-single-line, order-by-type = false, in pyproject.toml); docutils ships no lint config
#: in its sdist (its tox.ini runs a bare flake8), so pycodestyle's defaults stand in.
RUFF_LINE = ("--isolated", "--max-line-length", "88")
PROJECTS = (
    Linted("click", "8.5.1", ("src", "tests"), RUFF_LINE, "IPS103/IPS101 in source and tests; most left where the isort order cannot be kept"),
    Linted("werkzeug", "3.1.9", ("src", "tests"), RUFF_LINE, "IPS101/IPS103 beside werkzeug/utils.py; most left where the isort order cannot be kept"),
    Linted("docutils", "0.23", ("docutils", "test"), ("--isolated",),
           "IPS101 renames (os.path, pygments.formatter, importlib.abc) in source and tests"),
)
#: jinja2 3.1.6 is left out: its one rewrite (tests/test_loader.py's three ``import importlib.*``)
#: is now refused, as its group keeps isort's order and moving the new from-imports after
#: ``import os`` ... ``import weakref`` would load modules in another order: it would prove nothing.

NUMBER = re.compile(r"\d+")


def _key(path: str, code: str, message: str) -> Key:
    return (path.removeprefix("./"), code, NUMBER.sub("N", message))


def flake8_findings(root: Path, project: Linted, files: list[str]) -> Counter[Key]:
    result = run([sys.executable, "-m", "flake8", "-j", "2", "--select", "F,E,W", *project.flake8_args,
                  *files], root, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return Counter(_key(path, code, text) for path, _, _, code, text in parse_findings(result.stdout))


def ruff_findings(root: Path, files: list[str]) -> Counter[Key]:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    # not tests._hardening.run: its crash markers ("Traceback") occur in the sorted imports ruff proposes
    result = subprocess.run([ruff, "check", "--no-fix", "--select", "I001", "--output-format", "json",
                             "--no-cache", *files], cwd=root, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return Counter(
        _key(str(Path(item["filename"]).relative_to(root.resolve())), item["code"], item["message"])
        for item in json.loads(result.stdout)
    )


def lint(root: Path, project: Linted, files: set[str]) -> Counter[Key]:
    """Both linters' findings in *files* (relative to *root*, as flake8 and ruff find their
    configuration from there): only the files the fixer rewrote, to keep the test short."""
    ordered = sorted(files)
    return flake8_findings(root, project, ordered) + ruff_findings(root, ordered)


def new_findings(before: Counter[Key], after: Counter[Key], files: Iterable[str]) -> Counter[Key]:
    """The findings in *files* that the fixed tree has and the original had not (as many times as more)."""
    wanted = set(files)
    return Counter({key: n for key, n in (after - before).items() if key[0] in wanted})


@pytest.mark.slow
@pytest.mark.skipif(not FULL_SWEEP, reason="downloads sdists: set IMPORTSTYLE_FULL_SWEEP=1 (CI does)")
@pytest.mark.parametrize(
    "project",
    [pytest.param(p, id=p.name, marks=[pytest.mark.xfail(reason=p.xfail, strict=True)] if p.xfail else [])
     for p in PROJECTS],
)
def test_a_fixed_file_has_no_new_lint_finding(project: Linted, tmp_path: Path) -> None:
    start = time.monotonic()
    archive = download_sdist(project.requirement, tmp_path / "download")
    pristine = extract_sdist(archive, tmp_path / "pristine")
    root = copy_tree(pristine, tmp_path / "copy")
    originals = snapshot(root, project.fix_paths)
    config = flake8_config(root, tmp_path / "empty.cfg")
    report = fix_output(*_fix(root, config, project))
    changed = changed_files(originals, snapshot(root, project.fix_paths))
    assert changed == report.rewritten
    assert changed, f"{project.requirement}: the fixer rewrote nothing: the test proves nothing"
    new = new_findings(lint(pristine, project, changed), lint(root, project, changed), changed)
    print(f"\n{project.requirement}: {len(changed)} files rewritten, {sum(new.values())} new findings, "
          f"{len(report.not_fixed)} 'not fixed' lines, {time.monotonic() - start:.0f} s")
    assert not new, "\n".join(f"{path}: {code} {message} (x{n})" for (path, code, message), n in sorted(new.items()))


def _fix(root: Path, config: Path, project: Linted) -> tuple[str, str, int]:
    result = fix_cli(root, "-j", "2", "--config", str(config), *project.fix_paths, timeout=600)
    return result.stdout, result.stderr, result.returncode


# ------------------------------------------------------------ the comparison


def test_a_finding_that_only_moved_is_not_new() -> None:
    before = Counter([_key("a.py", "E501", "line too long (90 > 88 characters)"),
                      _key("a.py", "F811", "redefinition of unused 'x' from line 3"),
                      _key("b.py", "E128", "continuation line under-indented for visual indent")])
    after = Counter([_key("./a.py", "E501", "line too long (95 > 88 characters)"),
                     _key("a.py", "F811", "redefinition of unused 'x' from line 4"),
                     _key("a.py", "E128", "continuation line under-indented for visual indent"),
                     _key("b.py", "E128", "continuation line under-indented for visual indent"),
                     _key("b.py", "E128", "continuation line under-indented for visual indent")])
    assert new_findings(before, after, ["a.py", "b.py"]) == Counter({
        ("a.py", "E128", "continuation line under-indented for visual indent"): 1,
        ("b.py", "E128", "continuation line under-indented for visual indent"): 1,
    })
    assert new_findings(before, after, ["a.py"]) == Counter({
        ("a.py", "E128", "continuation line under-indented for visual indent"): 1,
    })
