"""The tables of removed modules (IPS206) and pkg_resources APIs (IPS207), checked against
the Pythons on this machine: what the table says is gone is gone, and was there before."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess

import pytest

from flake8_importstyle.deprecations import PKG_RESOURCES_APIS, REMOVED_MODULES, removal_for
from flake8_importstyle.apis import REMOVED_APIS

#: Built only on Windows: absent from every Python here.
WINDOWS_ONLY = frozenset({"msilib"})

#: Prints, for each dotted name on the command line, whether it resolves: as a module,
#: else as an attribute of its parent module.
PROBE = """
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
out = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        out[name] = True
        continue
    except ImportError:
        pass
    except Exception:
        pass
    parent, _, attr = name.rpartition(".")
    try:
        out[name] = bool(parent) and hasattr(importlib.import_module(parent), attr)
    except Exception:
        out[name] = False
print(json.dumps(out))
"""


def _pythons() -> dict[tuple[int, int], str]:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found: dict[tuple[int, int], str] = {}
    for path in sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3"))):
        match = re.search(r"versions/3\.(\d+)\.\d+/", path)
        if match and os.access(path, os.X_OK):
            found.setdefault((3, int(match.group(1))), path)
    return found


def _resolves(python: str, names: list[str]) -> dict[str, bool]:
    proc = subprocess.run(
        [python, "-I", "-c", PROBE, *names], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(proc.stdout)


def test_every_entry_has_versions_and_advice() -> None:
    for name, removal in REMOVED_MODULES.items():
        assert re.fullmatch(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", name), name
        assert removal.deprecated_version < removal.removed_version, name
        assert removal.replacement is None or removal.replacement.strip(), name
        assert removal.advice and "\n" not in removal.advice, name
        if "." in name and name.partition(".")[0] in REMOVED_MODULES:
            # a member's entry never outlives its module's
            assert removal.removed_version <= REMOVED_MODULES[name.partition(".")[0]].removed_version, name
    for api, replacement in PKG_RESOURCES_APIS.items():
        assert api.isidentifier() and replacement.strip(), api
    assert not set(REMOVED_MODULES) & set(REMOVED_APIS), "a name is IPS205's or IPS206's, never both"


def test_the_most_specific_entry_answers() -> None:
    assert removal_for("distutils.spawn.find_executable") == "distutils.spawn.find_executable"
    assert removal_for("distutils.spawn") == "distutils"
    assert removal_for("distutils.cmd") == "distutils"
    assert removal_for("pipes.quote") == "pipes.quote"
    assert removal_for("typing.io.IO") == "typing.io"
    assert removal_for("typing.List") is None
    assert removal_for("distutils_extra") is None


@pytest.mark.skipif(len(_pythons()) < 2, reason="needs two Pythons from pyenv")
def test_removed_modules_are_gone_from_the_newest_python_and_there_in_the_oldest() -> None:
    pythons = _pythons()
    oldest, newest = min(pythons), max(pythons)
    names = sorted(REMOVED_MODULES)
    before = _resolves(pythons[oldest], names)
    after = _resolves(pythons[newest], names)
    checked = 0
    for name in names:
        removal = REMOVED_MODULES[name]
        if removal.removed_version <= newest:
            assert not after[
                name
            ], f"{name}: the table says {removal.removed} removed it, yet {newest} has it"
            checked += 1
        else:
            assert after[name], f"{name}: scheduled for {removal.removed}, yet {newest} lacks it"
        if removal.removed_version > oldest and name not in WINDOWS_ONLY:
            assert before[name], f"{name}: removed in {removal.removed}, yet {oldest} lacks it"
    assert checked > 40
