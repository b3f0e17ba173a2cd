"""Real code, linted and fixed: the whole stdlib, and large projects from PyPI.

These runs take minutes, so they run once per CI run, on its default Python:
``IMPORTSTYLE_FULL_SWEEP=1`` turns them on (``.ci/run`` sets it there).

* The interpreter's whole stdlib (tests included, site-packages excluded)
  through the real ``flake8 -j 2`` with every rule on: no traceback, no
  IPS001, and exactly the findings of ``-j 1`` on a sample (the top-level
  modules and a few packages, :data:`SERIAL_SAMPLE`).
* Django (its sdist, with its test suite), numpy and pydantic (their wheels'
  sources), downloaded with pip: linted the same way.
* The fixer (``fix -j 2``) on copies of the stdlib's top-level modules and of
  the projects: every file it rewrote compiles, keeps the original's ``ast``
  but for imports and the names it reads (tests/_hardening.py, ``shape``), reads
  no name that nothing binds, and a second run changes nothing; every file it
  did not report is byte for byte the original; it reports an error only for
  a file that Python itself cannot compile.

The findings are counted per code and printed (``pytest -s``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from tests._hardening import (
    ALL_RULES_ARGS,
    FULL_SWEEP,
    compiles,
    count_codes,
    fix_cli,
    flake8,
    parse_findings,
    rewritten,
    shape,
    stdlib_root,
    stdlib_top_level,
    unbound_names,
)

pytestmark = pytest.mark.slow
full_sweep = pytest.mark.skipif(not FULL_SWEEP, reason="set IMPORTSTYLE_FULL_SWEEP=1 (CI does, for its default Python)")

#: (pip requirement, what to download): pinned, so a run sees the same code every time.
PROJECTS = (
    ("django==5.1.4", "sdist"),  # the sdist holds Django's test suite too
    ("numpy==2.1.3", "wheel"),
    ("pydantic==2.10.3", "wheel"),
)
STDLIB_EXCLUDE = ("--extend-exclude", "site-packages,dist-packages")
SOURCE_SUFFIXES = (".py", ".pyi")


def _table(title: str, counts: Counter[str], files: int) -> str:
    codes = ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))
    return f"\n{title}: {files} files, {sum(counts.values())} findings ({codes or 'none'})"


def _python_files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file() and not set(p.parts) & set(skip)
    )


# ------------------------------------------------------------------ the stdlib


#: What ``-j 1`` lints again to compare with ``-j 2``: the top-level modules and these
#: packages (on 3.11, 750 of the whole stdlib's 4,871 findings with every code on; the
#: whole stdlib once more under ``-j 1`` took three minutes of CI's budget for no other check).
SERIAL_SAMPLE = ("asyncio", "email", "importlib", "json", "logging", "xml", "test/test_importlib")


def _by_file(output: str) -> list[str]:
    """flake8's lines with each path normalised (``./email/x.py`` and ``email/x.py`` alike)."""
    lines = []
    for line in output.splitlines():
        path, sep, rest = line.partition(":")
        lines.append(os.path.normpath(path) + sep + rest)
    return sorted(lines)


@full_sweep
def test_the_whole_stdlib_lints_and_jobs_2_finds_exactly_what_jobs_1_finds() -> None:
    root = stdlib_root()
    files = _python_files(root, skip=("site-packages", "dist-packages"))
    assert len(files) > 1000
    parallel = flake8(root, "--isolated", "-j", "2", *ALL_RULES_ARGS, *STDLIB_EXCLUDE, ".", timeout=1800)
    sample = [p.name for p in stdlib_top_level()] + [name for name in SERIAL_SAMPLE if (root / name).is_dir()]
    serial = flake8(root, "--isolated", "-j", "1", *ALL_RULES_ARGS, *STDLIB_EXCLUDE, *sample, timeout=3600)
    assert parallel.stderr == serial.stderr == ""
    findings = parse_findings(parallel.stdout)
    in_sample = tuple(os.path.normpath(name) + os.sep for name in SERIAL_SAMPLE)
    sampled = [
        line
        for line in _by_file(parallel.stdout)
        if os.sep not in line.partition(":")[0] or line.startswith(in_sample)
    ]
    assert len(sampled) > 500, "the sample holds too few findings to compare"
    assert sampled == _by_file(serial.stdout)
    counts = count_codes(findings)
    print(_table(f"stdlib {sys.version.split()[0]}, flake8 -j 2 (and -j 1 on {len(sample)} files and packages)", counts, len(files)))
    assert counts["IPS101"] > 0


# -------------------------------------------------------------- PyPI projects


def _download(requirement: str, kind: str, into: Path) -> Path:
    """One archive from PyPI, with a retry: the network is the only flaky part."""
    binary = ("--no-binary", ":all:") if kind == "sdist" else ("--only-binary", ":all:")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", *binary, "--dest", str(into), requirement]
    for _attempt in range(3):
        before = set(into.iterdir())
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        new = sorted(set(into.iterdir()) - before)
        if result.returncode == 0 and new:
            return new[0]
    raise AssertionError(f"pip download {requirement} failed:\n{result.stdout}\n{result.stderr}")


def _extract_sources(archive: Path, into: Path) -> int:
    """Write the archive's .py and .pyi files under *into* (and nothing else, nowhere else)."""
    written = 0
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as whl:
            members = [(n, whl.read(n)) for n in whl.namelist() if n.endswith(SOURCE_SUFFIXES)]
    else:
        with tarfile.open(archive) as sdist:
            members = []
            for info in sdist.getmembers():
                if info.isfile() and info.name.endswith(SOURCE_SUFFIXES):
                    handle = sdist.extractfile(info)
                    assert handle is not None
                    members.append((info.name, handle.read()))
    for name, data in members:
        relative = Path(name)
        assert not relative.is_absolute() and ".." not in relative.parts, name
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each project's sources, in a folder of its own."""
    downloads = tmp_path_factory.mktemp("downloads")
    out = {}
    for requirement, kind in PROJECTS:
        name = requirement.partition("==")[0]
        folder = tmp_path_factory.mktemp(name)
        assert _extract_sources(_download(requirement, kind, downloads), folder) > 50
        out[requirement] = folder
    return out


@full_sweep
def test_projects_from_pypi_lint_without_a_crash(projects: dict[str, Path]) -> None:
    total: Counter[str] = Counter()
    files = 0
    for requirement, folder in projects.items():
        result = flake8(folder, "--isolated", "-j", "2", *ALL_RULES_ARGS, ".", timeout=1800)
        assert result.stderr == ""
        counts = count_codes(parse_findings(result.stdout))
        count = len(_python_files(folder))
        print(_table(requirement, counts, count))
        total += counts
        files += count
    print(_table("all projects", total, files))
    assert files > 3000


# ------------------------------------------------------------------ the fixer


@full_sweep
def test_the_fixer_on_copies_keeps_every_file_working(projects: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "stdlib").mkdir()
    for path in stdlib_top_level():
        shutil.copy2(path, tmp_path / "stdlib" / path.name)
    for requirement, folder in projects.items():
        shutil.copytree(folder, tmp_path / requirement.partition("==")[0])
    (tmp_path / "none.cfg").write_text("")
    originals = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in _python_files(tmp_path)}

    first = fix_cli(tmp_path, "-j", "2", "--config", "none.cfg", ".", timeout=3600)
    changed = {os.path.normpath(p) for p in rewritten(first.stdout)}
    errors = {
        os.path.normpath(path): why
        for path, why in (line.split(": error: ", 1) for line in first.stderr.splitlines() if ": error: " in line)
    }
    # Python's own warnings may leak to stderr (see test_odd_input.py): shown, not judged here
    leaked = [line for line in first.stderr.splitlines() if ": error: " not in line]
    assert set(errors) | changed <= set(originals)
    for name, why in errors.items():
        # only a file that Python itself cannot read or parse (or that crashes libcst) is an error
        assert not compiles(originals[name], name) or why.endswith("left unchanged"), (name, why)
    for name, before in originals.items():
        after = (tmp_path / name).read_bytes()
        if name not in changed:
            assert after == before, f"{name} changed but was not reported"
            continue
        assert after != before and compiles(after, name), name
        assert shape(after) == shape(before), f"{name}: the rewrite changed more than imports and names"
        assert unbound_names(after) <= unbound_names(before), f"{name} reads a name nothing binds"

    second = fix_cli(tmp_path, "-j", "2", "--config", "none.cfg", ".", timeout=3600)
    assert not rewritten(second.stdout), "a second run changed files"
    assert second.returncode == (2 if errors else 0)

    skipped = Counter(line.split(": ")[1].split()[0] for line in first.stdout.splitlines() if " not fixed: " in line)
    print(
        f"\nfixer on copies: {len(originals)} files, {len(changed)} rewritten, {len(errors)} reported as errors, "
        f"findings left with a reason: {sum(skipped.values())} ({', '.join(f'{c} {n}' for c, n in sorted(skipped.items()))}); "
        f"other lines on stderr: {leaked}"
    )
    assert changed


def test_the_sources_are_read_from_the_archives_only(tmp_path: Path) -> None:
    """The extraction writes source files under the folder it is given, and refuses anything else."""
    archive = tmp_path / "x.whl"
    with zipfile.ZipFile(archive, "w") as whl:
        whl.writestr("pkg/a.py", "import os\n")
        whl.writestr("pkg/data.bin", b"\x00")
    out = tmp_path / "out"
    assert _extract_sources(archive, out) == 1
    assert [p.relative_to(out).as_posix() for p in _python_files(out)] == ["pkg/a.py"]
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        info = tarfile.TarInfo("../evil.py")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(AssertionError):
        _extract_sources(bad, out)
