"""Load and memory: cost that grows linearly with file size, memory within 10% of
bare flake8's, and caches that are bounded.

* The plugin's ``run()`` is timed in-process (CPU time) on files of 1x, 10x
  and 100x a block of imports and calls (100, 1,000 and 10,000 lines), the
  minimum of several runs, each on fresh module names so that no cache
  carries over.
  The table is printed (``pytest -s``) in a form README.rst can take.
* Peak memory (``ru_maxrss`` of a fresh child process) of ``flake8 -j 1`` on the
  stdlib's top-level modules, with the plugin and without it: the same
  flake8 in the same interpreter, the plugin's entry point hidden
  (tests/_hardening_flake8.py). It takes half a minute, so it runs with the
  sweeps (``IMPORTSTYLE_FULL_SWEEP=1``).
"""

from __future__ import annotations

import ast
import functools
import gc
import importlib
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import flake8_importstyle
from flake8_importstyle.config import Config
from flake8_importstyle.fix import fix_bytes
from tests._hardening import FULL_SWEEP, AllRulesPlugin, stdlib_top_level

pytestmark = pytest.mark.slow

RUNNER = Path(__file__).with_name("_hardening_flake8.py")

#: Ten lines of what most files hold: imports of each form, and calls.
IMPORTS_AND_CALLS = """\
import os.path
import json as json
import numpy
from pkg{i} import mod{i} as mod{i}
import xml.etree.ElementTree as et{i}
from importlib import import_module
value{i} = json.dumps(mod{i}.x, default=os.path.join)
plugin{i} = import_module("plugins.p{i}")
legacy{i} = __import__("legacy{i}.sub")
print(numpy.array([value{i}]), et{i}, plugin{i}, legacy{i})
"""
#: Ten lines of what the IPS3xx rules follow: removals from sys.modules, imports again, reloads.
MODULE_CACHE = """\
import sys
import importlib
import config{i}
from config{i} import value{i}
del sys.modules["config{i}"]
import config{i}
importlib.reload(config{i})
for k in list(sys.modules):
    if k.startswith("cache{i}"): del sys.modules[k]
print(value{i}, config{i})
"""
BLOCKS = 10  # blocks of ten lines at 1x: 100 lines
SCALES = (1, 10, 100)
#: The most 100x may cost over 1x: 100 for linear cost, 10,000 for quadratic.
MAX_RATIO = 200


def _lint_seconds(unit: str, blocks: int, repetitions: int) -> tuple[float, int]:
    """The fastest of *repetitions* runs of the plugin, each on new module names; and its findings."""
    best, findings = float("inf"), 0
    for rep in range(repetitions):
        offset = (rep + 1) * 10_000_000
        source = "".join(unit.format(i=offset + i) for i in range(blocks))
        tree, lines = ast.parse(source), source.splitlines(keepends=True)
        gc.collect()
        start = time.process_time()  # CPU time: other processes on the machine do not count
        results = list(AllRulesPlugin(tree, lines, "scaling.py").run())
        best = min(best, time.process_time() - start)
        findings = len(results)
        assert not any(text.startswith("IPS001") for _, _, text, _ in results)
    return best, findings


@pytest.mark.parametrize(
    ("unit", "repetitions"),
    [
        pytest.param(IMPORTS_AND_CALLS, 2, id="imports-and-calls"),
        pytest.param(MODULE_CACHE, 2, id="sys.modules-and-reload"),
    ],
)
def test_lint_cost_grows_linearly_with_file_size(unit: str, repetitions: int) -> None:
    rows = []
    for scale in SCALES:
        # fewer repetitions where a run is long; the minimum is what counts
        seconds, findings = _lint_seconds(unit, BLOCKS * scale, 5 if scale < 100 else repetitions)
        rows.append((scale, BLOCKS * scale * unit.count("\n"), findings, seconds))
    base = rows[0][3]
    print("\n\n    ====== ======= ======== ========== =========")
    print("    size   lines   findings time (ms) vs 1x")
    print("    ====== ======= ======== ========== =========")
    for scale, lines, findings, seconds in rows:
        print(f"    {scale:>3}x   {lines:>7,} {findings:>8,} {seconds * 1000:>10.1f} {seconds / base:>8.1f}x")
    print("    ====== ======= ======== ========== =========")
    assert rows[-1][2] == 100 * rows[0][2], "the findings must grow with the file"
    assert rows[-1][3] / base < MAX_RATIO


def _fix_seconds(imports: int) -> float:
    source = "".join(f"import m{i}.sub\nm{i}.sub.f()\n" for i in range(imports)).encode()
    start = time.perf_counter()
    result = fix_bytes(source, "scaling.py", Config())
    assert result.changed
    return time.perf_counter() - start


def test_fixer_cost_grows_linearly_with_the_findings() -> None:
    _fix_seconds(5)  # libcst imported, caches warm
    small = min(_fix_seconds(20) for _ in range(3))
    large = min(_fix_seconds(160) for _ in range(2))
    print(f"\nfixer: 20 findings {small:.2f} s, 160 findings {large:.2f} s ({large / small:.1f}x)")
    assert large / small < 2 * 8


# ------------------------------------------------------------------- memory

_MEASURE = """\
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
ips = sum(1 for line in proc.stdout.splitlines() if b": IPS" in line)
traceback = b"Traceback" in proc.stdout + proc.stderr
print(proc.returncode, ips, int(traceback), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _start(mode: str, files: list[Path]) -> subprocess.Popen[str]:
    """flake8 -j 1 in a fresh child of a fresh process that reports the child's peak memory."""
    args = ["--isolated", "-j", "1", "--exit-zero", "--select", "E,F,W,C90,IPS", *map(str, files)]
    return subprocess.Popen(
        [sys.executable, "-c", _MEASURE, sys.executable, str(RUNNER), mode, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(not FULL_SWEEP, reason="set IMPORTSTYLE_FULL_SWEEP=1 (CI does, for its default Python)")
def test_peak_memory_with_the_plugin_stays_within_10_percent_of_bare_flake8() -> None:
    files = stdlib_top_level()
    assert len(files) > 100
    # the two runs at once, one a core: each has its own peak
    running = {mode: _start(mode, files) for mode in ("with", "without")}
    measured = {}
    for mode, proc in running.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        status, ips, traceback, kilobytes = map(int, out.split())
        assert (status, traceback) == (0, 0), (mode, out, err)
        measured[mode] = (ips, kilobytes)
    (ips_with, with_kb), (ips_without, without_kb) = measured["with"], measured["without"]
    assert ips_with > 0 and ips_without == 0, "the runner did not show or hide the plugin"
    ratio = with_kb / without_kb
    print(
        f"\npeak memory, flake8 -j 1 on {len(files)} stdlib modules: {with_kb / 1024:.1f} MiB with the "
        f"plugin ({ips_with} IPS findings), {without_kb / 1024:.1f} MiB without: {ratio:.3f}"
    )
    assert ratio <= 1.10


def test_every_cache_is_bounded() -> None:
    """Every ``functools.lru_cache`` in the package has a maxsize (``functools.cache`` has none)."""
    caches = {}
    for info in pkgutil.walk_packages(flake8_importstyle.__path__, "flake8_importstyle."):
        if info.name == "flake8_importstyle.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            members = vars(value).items() if isinstance(value, type) and value.__module__ == module.__name__ else ()
            for qualified, obj in [(name, value), *((f"{name}.{n}", v) for n, v in members)]:
                obj = getattr(obj, "__func__", obj)
                if isinstance(obj, functools.cached_property) or not hasattr(obj, "cache_parameters"):
                    continue
                caches[f"{info.name}.{qualified}"] = obj.cache_parameters()["maxsize"]
    assert caches, "no cache found: the search is broken"
    unbounded = sorted(name for name, size in caches.items() if size is None)
    assert not unbounded
    print(f"\n{len(caches)} caches, all bounded: " + ", ".join(f"{n.split('.', 1)[1]}={s}" for n, s in sorted(caches.items())))
