"""Helpers for tests/test_real_projects.py: real projects from PyPI, their own
test suites run before and after the fixer.

The fixer promises never to change what a program does. The strongest check
of that promise short of a proof is a project's own test suite: it was
written by people who know what the code must do, and it runs the code. So
each project here is downloaded as its pinned sdist (which holds its tests),
its suite is run on one copy, the fixer rewrites another copy, and the suite
is run again on that: the same tests must pass.

Everything the suite imports from the project must come from the copy under
test, never from an installed distribution (``packaging`` and ``docutils`` are
installed in this project's own test environment): the copy's import roots go
first on ``PYTHONPATH``, a ``.dist-info`` made from the sdist's ``PKG-INFO``
answers ``importlib.metadata`` for it, and a small pytest plugin (the probe)
records where every module of the project was loaded from, which the test
checks.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: The plugin each suite runs with (``-p``): it writes, when the session ends,
#: where every loaded module of the project's packages came from.
PROBE_MODULE = "_importstyle_probe"
PROBE_SOURCE = textwrap.dedent(
    '''\
    """Records where the project's modules were loaded from (tests/_real_projects.py)."""
    import json
    import os
    import sys


    def pytest_sessionfinish(session, exitstatus):
        package = os.environ["IMPORTSTYLE_PROBE_PACKAGE"]
        loaded = {
            name: getattr(module, "__file__", None)
            for name, module in list(sys.modules.items())
            if module is not None and (name == package or name.startswith(package + "."))
        }
        with open(os.environ["IMPORTSTYLE_PROBE_OUT"], "w", encoding="utf-8") as out:
            json.dump(loaded, out, indent=1, sort_keys=True)
    '''
)

#: Environment variables that would change how the child pytest or Python runs:
#: the suite must see the same interpreter setup before and after, and none of ours.
SCRUBBED_ENV = ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTEST_ADDOPTS", "PYTEST_PLUGINS",
                "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER", "COV_CORE_SOURCE", "COVERAGE_PROCESS_START")

CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8")  # the files flake8 (and the fixer) read, in its order


@dataclass(frozen=True)
class Project:
    """One pinned project: where its code and tests are, and how its suite runs."""

    name: str
    version: str
    #: the folder (relative to the sdist's root) that goes first on sys.path: "src" for a src layout
    import_root: str
    #: its top-level import name: every loaded module of it must come from the copy
    package: str
    #: what the fixer rewrites: the source folder and the tests folder (not docs or tools, which no test runs)
    source: str
    tests: str
    #: more pytest arguments: a part of the suite left out, said why in PROJECTS
    pytest_extra: tuple[str, ...] = ()
    #: pinned wheels the suite needs beyond pytest, installed into a private folder
    test_requirements: tuple[str, ...] = ()
    why: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def fix_paths(self) -> tuple[str, str]:
        return (self.source, self.tests)

    @property
    def pytest_args(self) -> tuple[str, ...]:
        return (self.tests, *self.pytest_extra)


@dataclass
class SuiteRun:
    """What one run of a project's suite did: each test id with its outcome."""

    outcomes: dict[str, str]
    returncode: int
    seconds: float
    output: str
    loaded_from: dict[str, str | None] = field(default_factory=dict)

    def with_outcome(self, outcome: str) -> set[str]:
        return {test for test, got in self.outcomes.items() if got == outcome}


@dataclass
class FixRun:
    """What ``fix`` did to a copy: the files it rewrote, the findings it left, the files it refused."""

    rewritten: set[str]
    not_fixed: list[str]
    errors: dict[str, str]
    returncode: int


# ------------------------------------------------------------------ download


def download_sdist(requirement: str, into: Path) -> Path:
    """The pinned sdist of *requirement* (``name==version``), with a retry: the network is the only flaky part.
    An sdist, not a wheel, because only the sdist ships the tests."""
    into.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "--dest", str(into), requirement]
    for _attempt in range(3):
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        archives = sorted(p for p in into.iterdir() if p.name.endswith((".tar.gz", ".zip")))
        if result.returncode == 0 and archives:
            return archives[0]
    raise AssertionError(f"pip download {requirement} failed:\n{result.stdout}\n{result.stderr}")


def install_wheels(requirements: Iterable[str], into: Path) -> Path:
    """Install pinned wheels (and nothing they depend on) into a folder of their own,
    for ``PYTHONPATH``: the suites' extra needs stay out of this project's environment."""
    requirements = list(requirements)
    into.mkdir(parents=True, exist_ok=True)
    if not requirements:
        return into
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--only-binary", ":all:",
               "--no-compile", "--target", str(into), *requirements]
    for _attempt in range(3):
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode == 0:
            return into
    raise AssertionError(f"pip install {requirements} failed:\n{result.stdout}\n{result.stderr}")


def extract_sdist(archive: Path, into: Path) -> Path:
    """Extract the sdist under *into* and return its one top folder.

    Files, folders and symlinks that stay inside that folder (docutils' tests
    read stylesheets through links into its source); anything else, an
    absolute path or ``..`` that leaves it, is refused, so an archive cannot
    write outside *into* (Python 3.10's tarfile has no extraction filters)."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as sdist:
        members = sdist.getmembers()
        tops = {Path(info.name).parts[0] for info in members}
        assert len(tops) == 1, f"{archive.name}: {len(tops)} top folders"
        top = os.path.normpath(into / tops.pop())
        for info in members:
            target = Path(os.path.normpath(into / info.name))
            link = os.path.normpath(target.parent / info.linkname) if info.issym() else str(target)
            if Path(info.name).is_absolute() or not all(
                p == top or p.startswith(top + os.sep) for p in (str(target), link)
            ):
                raise AssertionError(f"{archive.name}: unsafe member {info.name!r} -> {info.linkname!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            if info.isdir():
                target.mkdir(exist_ok=True)
            elif info.isfile():
                handle = sdist.extractfile(info)
                assert handle is not None
                target.write_bytes(handle.read())
                target.chmod(0o755 if info.mode & 0o111 else 0o644)
            elif info.issym():
                target.symlink_to(info.linkname)
            else:
                raise AssertionError(f"{archive.name}: {info.name!r} is neither a file, a folder nor a symlink")
    return Path(top)


def write_dist_info(root: Path, into: Path) -> Path:
    """A ``NAME-VERSION.dist-info`` holding the sdist's ``PKG-INFO`` as ``METADATA``.

    Some suites ask ``importlib.metadata`` about their own project (click's
    compares ``click.__version__`` with it); this answers without installing a
    second copy of the code, and, being first on ``PYTHONPATH``, before any
    installed distribution of the same name."""
    pkg_info = (root / "PKG-INFO").read_text(encoding="utf-8")
    name = re.search(r"^Name: *(.+)$", pkg_info, re.MULTILINE)
    version = re.search(r"^Version: *(.+)$", pkg_info, re.MULTILINE)
    assert name and version, f"{root}/PKG-INFO has no Name or Version"
    folder = into / f"{re.sub(r'[-_.]+', '_', name[1].strip())}-{version[1].strip()}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "METADATA").write_text(pkg_info, encoding="utf-8")
    return into


def copy_tree(source: Path, into: Path) -> Path:
    """A fresh copy of the pristine sdist tree, under the same folder name so that
    every relative path (and test id) is the same in both copies."""
    into.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copytree(source, into / source.name, symlinks=True))


# ------------------------------------------------------------------ the suite


def parse_junit(path: Path) -> dict[str, str]:
    """Each test id in a pytest ``--junitxml`` report with its worst outcome.

    One id can appear more than once (a failing teardown, subtests); a test
    counts as passed only if none of its entries failed."""
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    outcomes: dict[str, str] = {}
    for case in ET.parse(path).iter("testcase"):
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        tags = {child.tag for child in case}
        got = "failed" if tags & {"failure", "error"} else "skipped" if "skipped" in tags else "passed"
        if rank[got] >= rank[outcomes.get(test, "passed")]:
            outcomes[test] = got
    return outcomes


def suite_env(project: Project, root: Path, extra_paths: Iterable[Path], probe_out: Path) -> dict[str, str]:
    """The child's environment: ours less anything that changes how pytest or Python
    runs, the copy's import roots first on ``PYTHONPATH``, then the dist-info, the
    extra wheels and the probe."""
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED_ENV}
    paths = [str(root / project.import_root), *(str(p) for p in extra_paths)]
    env.update(
        PYTHONPATH=os.pathsep.join(paths),
        PYTHONDONTWRITEBYTECODE="1",  # the copies stay as extracted and fixed
        PYTHONHASHSEED="0",  # set iteration order the same in both runs
        IMPORTSTYLE_PROBE_PACKAGE=project.package,
        IMPORTSTYLE_PROBE_OUT=str(probe_out),
    )
    return env


def write_probe(into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    (into / f"{PROBE_MODULE}.py").write_text(PROBE_SOURCE, encoding="utf-8")
    return into


def run_suite(project: Project, root: Path, extra_paths: Iterable[Path], report_dir: Path,
              timeout: float = 900) -> SuiteRun:
    """The project's own pytest suite on the tree at *root*, with this interpreter,
    the project's own pytest configuration, and no cache (the two runs must not
    share state)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    junit, probe_out = report_dir / "junit.xml", report_dir / "probe.json"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", PROBE_MODULE,
               f"--junitxml={junit}", "-q", *project.pytest_args]
    start = time.monotonic()
    proc = subprocess.run(command, cwd=root, env=suite_env(project, root, extra_paths, probe_out),
                          capture_output=True, timeout=timeout, check=False)
    seconds = time.monotonic() - start
    output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    # 0: all passed, 1: some failed; anything else (interrupted, usage, internal error, no tests) is no run
    assert proc.returncode in (0, 1) and junit.is_file(), (project.requirement, root, output[-5000:])
    loaded = json.loads(probe_out.read_text(encoding="utf-8")) if probe_out.is_file() else {}
    return SuiteRun(parse_junit(junit), proc.returncode, seconds, output, loaded)


def foreign_modules(run: SuiteRun, root: Path) -> dict[str, str | None]:
    """The project's modules that the suite loaded from anywhere but the copy at *root*."""
    inside = str(root.resolve()) + os.sep
    return {
        name: where for name, where in run.loaded_from.items()
        if where is not None and not str(Path(where).resolve()).startswith(inside)
    }


def failure_report(run: SuiteRun, tests: Iterable[str], limit: int = 12000) -> str:
    """The parts of pytest's ``-q`` output about *tests* (their failure sections and
    summary lines), so a broken rewrite shows its traceback in the assertion."""
    names = {test.rpartition("::")[2] for test in tests}
    picked = []
    for section in re.split(r"\n(?=_{3,} )", run.output):
        header = section.partition("\n")[0]
        if header.startswith("___") and any(name in header for name in names):
            picked.append(section)
    summary = [line for line in run.output.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    return ("\n".join(picked) + "\n" + "\n".join(summary))[-limit:]


# ------------------------------------------------------------------ the fixer


def flake8_config(root: Path, fallback: Path) -> Path:
    """The project's own ``[flake8]`` file if it has one (the fixer would find it too),
    else *fallback*, an empty file outside the tree: the fixer must not climb out of
    the copy and read some folder's config above it."""
    for name in CONFIG_FILES:
        candidate = root / name
        if candidate.is_file():
            parser = configparser.RawConfigParser()
            parser.read(candidate, encoding="utf-8")
            if parser.has_section("flake8"):
                return candidate
    fallback.write_text("")
    return fallback


def fix_output(stdout: str, stderr: str, returncode: int) -> FixRun:
    """The fixer's report read back: ``rewrote PATH``, ``... not fixed: ...``, ``PATH: error: ...``."""
    rewritten = {os.path.normpath(line[len("rewrote "):]) for line in stdout.splitlines()
                 if line.startswith("rewrote ")}
    lines = stdout.splitlines() + stderr.splitlines()
    not_fixed = [line for line in lines if " not fixed: " in line]
    errors = {os.path.normpath(path): why for path, why in
              (line.split(": error: ", 1) for line in lines if ": error: " in line)}
    return FixRun(rewritten, not_fixed, errors, returncode)


def snapshot(root: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """Every Python file under *paths* (relative to *root*), by its path relative to *root*."""
    out = {}
    for sub in paths:
        for path in sorted((root / sub).rglob("*.py")):
            if path.is_file():
                out[os.path.normpath(path.relative_to(root).as_posix())] = path.read_bytes()
    return out


def changed_files(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


#: The projects, pinned. Each was picked because its sdist holds its tests, it is
#: pure Python, its suite runs offline with pytest alone (or two tiny wheels), and
#: today's fixer rewrites files in its source, not only in its tests.
PROJECTS = (
    Project(
        "click", "8.5.1", "src", "click", "src", "tests",
        why="IPS103 in 13 source modules (collections.abc as cabc), IPS101 in tests; suite ~12 s",
    ),
    Project(
        "docutils", "0.23", ".", "docutils", "docutils", "test",
        why="IPS101 renames (os.path -> path / os_path, pygments.formatter, ...) in 9 source modules; suite ~8 s",
    ),
    Project(
        "packaging", "26.4", "src", "packaging", "src", "tests",
        # test_version.py is 51,524 parametrised cases of version.py, 64 s of the suite's 84;
        # the fixer leaves version.py alone, and the specifier and requirement tests run it too
        pytest_extra=("--ignore=tests/test_version.py",),
        test_requirements=("pretend==1.0.9", "tomli_w==1.2.0"),
        why="IPS201 (__import__ -> importlib.import_module) in _manylinux.py, which "
            "test_manylinux.py drives through sys.modules; IPS101 in tests; suite ~20 s",
    ),
)
