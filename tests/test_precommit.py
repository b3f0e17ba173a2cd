"""The ``importstyle-fix`` hook of ``.pre-commit-hooks.yaml``, run by the real pre-commit.

``pre-commit try-repo`` installs the hook the way a user's pre-commit would:
it clones the hook repository at a commit and ``pip install``\\ s it into a
fresh virtualenv (so it needs the package index). try-repo takes a
repository's HEAD plus its *tracked* changes only, so a new, uncommitted file
of the working tree (``.pre-commit-hooks.yaml`` itself, before it is
committed) would be missing: the test commits a snapshot of the working tree
(every file git does not ignore) into a temporary repository and tries that.

pre-commit is in the ``test`` extra; without it this test fails, unless
``IMPORTSTYLE_SKIP_PRECOMMIT=1`` says to skip it (for example offline).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
HOOK = "importstyle-fix"
SKIP = os.environ.get("IMPORTSTYLE_SKIP_PRECOMMIT") == "1"

#: The junk a checkout that is not a git repository may hold next to the sources.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", "__pycache__", "*.pyc", "*.egg-info", "build", "dist", ".venv", ".ci-venv*", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".hypothesis", ".envs",
)


def git(cwd: Path, *args: str, env: dict[str, str]) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def snapshot_of_the_working_tree(dest: Path, env: dict[str, str]) -> None:
    """A one-commit git repository in *dest* holding the working tree as it is now."""
    if (ROOT / ".git").exists():
        listed = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z", env=env)
        dest.mkdir()
        for name in filter(None, listed.split("\0")):
            source = ROOT / name
            if source.is_file():  # a tracked file may have been deleted in the working tree
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
    else:
        shutil.copytree(ROOT, dest, ignore=NOT_SOURCES)
    assert (dest / ".pre-commit-hooks.yaml").is_file()
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot", env=env)


def test_the_hook_rewrites_a_staged_file_fails_then_passes(tmp_path: Path) -> None:
    if SKIP:
        pytest.skip("IMPORTSTYLE_SKIP_PRECOMMIT=1")
    if find_spec("pre_commit") is None:
        pytest.fail(
            f"pre-commit is not installed in {sys.executable}: pip install 'pre-commit>=3' "
            "(it belongs to the test extra), or set IMPORTSTYLE_SKIP_PRECOMMIT=1 to skip this test",
            pytrace=False,
        )
    if shutil.which("git") is None:
        pytest.fail("this test needs git on PATH (or set IMPORTSTYLE_SKIP_PRECOMMIT=1)", pytrace=False)

    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),  # neither read nor fill the user's cache
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,  # no user hooks, templates or signing
    )
    hook_repo = tmp_path / "hook-repo"
    snapshot_of_the_working_tree(hook_repo, env)

    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", env=env)
    (work / "example.py").write_text("import os.path\nprint(os.path.sep)\n")
    git(work, "add", "example.py", env=env)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), HOOK, "--files", "example.py"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    first = try_repo()
    report = first.stdout + first.stderr
    assert first.returncode == 1, report
    assert re.search(
        r"^flake8-importstyle fix\.+Failed\n"
        r"- hook id: importstyle-fix\n"
        r"- exit code: 1\n"
        r"- files were modified by this hook\n"
        r"\n"
        r"rewrote example\.py\n",
        first.stdout,
        re.MULTILINE,
    ), report
    assert (work / "example.py").read_text() == "from os import path\nprint(path.sep)\n"

    second = try_repo()
    report = second.stdout + second.stderr
    assert second.returncode == 0, report
    assert re.search(r"^flake8-importstyle fix\.+Passed$", second.stdout, re.MULTILINE), report
    assert (work / "example.py").read_text() == "from os import path\nprint(path.sep)\n"
