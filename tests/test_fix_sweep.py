"""The fixer on real code: a copy of the stdlib's top-level modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _run_fix(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8_importstyle", "fix", "-j", "2", "--config", "none.cfg", "."],
        cwd=folder,
        capture_output=True,
        text=True,
    )


def test_fixing_the_stdlib_keeps_every_file_working_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    source = Path(sysconfig.get_paths()["stdlib"])
    originals = sorted(source.glob("*.py"))
    for path in originals:
        shutil.copy2(path, tmp_path / path.name)
    (tmp_path / "none.cfg").write_text("")

    first = _run_fix(tmp_path)
    assert first.returncode in (0, 1), first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    rewritten = {line.split(" ", 1)[1] for line in first.stdout.splitlines() if line.startswith("rewrote ")}
    for path in originals:
        copy = tmp_path / path.name
        if f"./{path.name}" in rewritten or path.name in rewritten:
            compile(copy.read_bytes(), str(copy), "exec")
        else:
            assert copy.read_bytes() == path.read_bytes(), f"{path.name} changed but was not reported"
    assert rewritten, "nothing in the stdlib was fixed: the sweep tests nothing"
    print(f"\nfixer sweep: {len(originals)} files, {len(rewritten)} rewritten")

    second = _run_fix(tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "rewrote" not in second.stdout
