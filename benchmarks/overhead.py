"""How much CPU time flake8-importstyle adds to flake8, next to a peer plugin.

The script times whole ``flake8`` processes in three virtual environments that
differ only in the plugin installed:

* ``bare``: flake8 alone;
* ``importstyle``: the same flake8 plus this project, installed (not editable)
  from the repository root again on every run, so the current tree is measured;
* ``tidy``: the same flake8 plus flake8-tidy-imports, for comparison.

flake8, pycodestyle, pyflakes and mccabe are pinned to the same versions in all
three (flake8 to the version importable by the interpreter running the script,
else the latest 7.x); the script checks this and stops if they differ.

Each measurement is one ``python -m flake8 --isolated -j 1 --exit-zero FILES``
process, run from an empty temporary folder so that no configuration file
applies, with its output thrown away.  Its CPU time (user + system) comes from
``getrusage(RUSAGE_CHILDREN)``; wall time is recorded too.  After one warm-up
round, each round runs the three configurations in turn, rotating the order
from round to round so that drift in machine speed cancels out.  The ratios to
``bare`` are taken round by round and summarised as median [min-max].

Every code on: the ``importstyle`` environment is also timed with the opt-in
codes IPS401 and IPS403 selected and every option set to a sample value
(:data:`EVERY_CODE_ARGS`), in the same rounds, against the same ``bare`` runs;
and with the default codes and a sample set of import contracts
(:data:`CONTRACT_ARGS`, IPS501-IPS503), reported without a target of its own.

The editor case: what one lint costs as an editor runs it, a new flake8
process per lint. Three commands, each in every environment, interleaved
round by round: ``flake8 FILE`` (by default the standard library's
``argparse.py``; no ``--isolated``, as an editor passes none, from an empty
folder), the same file through stdin (``flake8 --stdin-display-name FILE -``,
as editors lint an unsaved buffer), and ``flake8 --version`` (which loads
every plugin and asks for its options, and which editors run when they
start). What a plugin adds is the median, over the rounds, of its run's CPU
time minus the ``bare`` run's of the same round, in milliseconds: of flake8's
run inside the process (:data:`IN_RUN`: after the interpreter's start and
flake8's own imports, which are the same in every environment; a plugin is
loaded and runs inside it), which ``--check`` holds to the targets, and of the
whole process, beside it.

Run from the repository root (POSIX only; needs pip to reach the package index
the first time)::

    python benchmarks/overhead.py            # quick: the stdlib's top-level modules
    python benchmarks/overhead.py --full     # the whole stdlib, tests included
    python benchmarks/overhead.py --corpus src/ other.py --rounds 5
    python benchmarks/overhead.py --json     # the same figures as JSON
    python benchmarks/overhead.py --check --target 1.03   # exit 1 if too slow
    python benchmarks/overhead.py --editor-only --file-rounds 40   # the editor case alone

The environments are kept in ``benchmarks/.envs/`` (``--envs DIR``) and reused
while they match.  Exit status: 0 on success, 1 if ``--check`` fails, 2 if an
environment cannot be built or flake8 cannot be run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path
from typing import Any, NamedTuple, cast

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "flake8_importstyle"
DEFAULT_ENVS = REPO_ROOT / "benchmarks" / ".envs"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
DEFAULT_FILE = STDLIB / "argparse.py"

BARE, IMPORTSTYLE, TIDY = "bare", "importstyle", "tidy"
#: The importstyle environment with every code on and every option set.
EVERY = "every"
#: The importstyle environment with the default codes and a sample set of import contracts.
CONTRACTS = "contracts"
ENVS = (BARE, IMPORTSTYLE, TIDY)
CONFIGS = (BARE, IMPORTSTYLE, EVERY, CONTRACTS, TIDY)
#: The environment each configuration runs in.
ENV_OF = {BARE: BARE, IMPORTSTYLE: IMPORTSTYLE, EVERY: IMPORTSTYLE, CONTRACTS: IMPORTSTYLE, TIDY: TIDY}
LABELS = {
    BARE: "bare",
    IMPORTSTYLE: "importstyle",
    EVERY: "every code on",
    CONTRACTS: "contracts",
    TIDY: "tidy-imports",
}
#: IPS401 and IPS403 on, and a sample value for every option: the configuration
#: that asks the resolver the most questions.
EVERY_CODE_ARGS = (
    "--extend-select=IPS401,IPS403",
    "--importstyle-allow-dotted=xml.*,os.path",
    "--importstyle-no-from=json,subprocess",
    "--importstyle-aliases=numpy=np,collections.abc=abc",
    "--importstyle-banned=six.moves = use the standard library\ncgi = use email.message",
    "--importstyle-relative=siblings",
    "--importstyle-namespace-packages=tools",
    "--importstyle-names-ok=json,dataclasses",
    "--importstyle-target-python=3.10",
)
#: A sample contract set (IPS501-IPS503) over the stdlib's top-level modules, the corpus's
#: own module names: each kind once, the importer sides naming dozens of modules, as a
#: project's contracts name its packages.
CONTRACT_ARGS = (
    "--importstyle-contracts="
    "forbidden: argparse, logging, json, csv, email, http, urllib, xml, unittest, pdb, doctest, "
    "pydoc, tarfile, zipfile, shutil, tempfile -> socket, ssl, subprocess, ctypes, multiprocessing\n"
    "layers: http > email > base64 | binascii > string\n"
    "layers: asyncio > concurrent > threading > queue | heapq > functools\n"
    "independence: json, csv, tomllib, plistlib, configparser, netrc",
)
#: The extra command-line arguments of each configuration.
EXTRA_ARGS = {EVERY: EVERY_CODE_ARGS, CONTRACTS: CONTRACT_ARGS}
PLUGIN_DISTS = {IMPORTSTYLE: "flake8-importstyle", TIDY: "flake8-tidy-imports"}
#: The distributions that must be identical in all three environments.
CORE_DISTS = ("flake8", "pycodestyle", "pyflakes", "mccabe")
FLAKE8_FALLBACK = "flake8>=7,<8"

MARKER = "overhead-env.json"
FULL_EXCLUDED_DIRS = frozenset({"site-packages", "dist-packages"})
ALWAYS_SKIPPED_DIRS = frozenset({"__pycache__"})
CORPUS_ARGS = ("--isolated", "-j", "1", "--exit-zero")
#: The editor case's commands: name -> flake8's arguments (FILE stands for the file).
EDITOR_COMMANDS = {
    "path": ("FILE",),
    "stdin": ("--stdin-display-name", "FILE", "-"),
    "version": ("--version",),
}
#: flake8 exits 1 when it reports something; anything else means it failed.
FILE_OK_STATUSES = frozenset({0, 1})
WARMUP_ROUNDS = 1

EXIT_CHECK_FAILED = 1
EXIT_SETUP_FAILED = 2


class SetupError(Exception):
    """An environment cannot be built, or flake8 cannot be run: exit status 2."""


@dataclass(frozen=True)
class EnvSpec:
    """One virtual environment: its folder name and what pip installs in it."""

    name: str
    requirements: tuple[str, ...]
    #: Run ``pip install`` on every run, not only when the environment is (re)built.
    reinstall: bool = False


class Targets(NamedTuple):
    """What ``--check`` holds the figures to."""

    #: importstyle/bare CPU on the corpus (and no more than tidy-imports/bare)
    ratio: float
    #: every-code-on/bare CPU on the corpus
    every: float
    #: CPU ms importstyle may add to one lint of the editor's file, by path or through stdin
    lint_ms: float
    #: CPU ms importstyle may add to ``flake8 --version``
    version_ms: float


@dataclass(frozen=True)
class Corpus:
    files: tuple[Path, ...]
    lines: int
    description: str


@dataclass(frozen=True)
class Sample:
    """One flake8 process: CPU (user + system) and wall seconds; for the editor case also
    the CPU seconds of flake8's run inside it (:data:`IN_RUN`), None when not measured."""

    cpu: float
    wall: float
    run_cpu: float | None = None


#: The editor case's child: Python and flake8's own imports first (the same in every
#: environment), then flake8's ``main`` timed by the process's CPU clock. Everything a
#: plugin costs happens inside ``main`` (flake8 loads its plugins there), while the
#: interpreter's start and flake8's imports, two thirds of a short process and most of
#: its noise, are left out. The figure goes to the file named by the first argument.
IN_RUN = """
import sys, time
import flake8.main.cli, flake8.checker, flake8.style_guide, flake8.plugins.finder
import pycodestyle, pyflakes.checker, mccabe
out, argv = sys.argv[1], sys.argv[2:]
start = time.process_time()
try:
    status = flake8.main.cli.main(argv)
except SystemExit as exc:
    status = exc.code
elapsed = time.process_time() - start
with open(out, "w") as handle:
    handle.write(repr(elapsed))
sys.exit(status)
"""


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[overhead] {message}", file=sys.stderr, flush=True)


def env_python(env_dir: Path) -> Path:
    return env_dir / "bin" / "python"


def child_environ() -> dict[str, str]:
    """The environment for flake8 and queries: no PYTHONPATH leaking other code in."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def count_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def paired_ratios(numerator: Sequence[Sample], denominator: Sequence[Sample]) -> list[float]:
    return [n.cpu / d.cpu for n, d in zip(numerator, denominator, strict=True)]


def host_flake8_requirement() -> str:
    """``flake8==X`` for the flake8 importable here, else the latest 7.x."""
    if util.find_spec("flake8") is None:
        return FLAKE8_FALLBACK
    try:
        return f"flake8=={metadata.version('flake8')}"
    except metadata.PackageNotFoundError:
        return FLAKE8_FALLBACK


# --------------------------------------------------------------------------- environments


def run_logged(command: Sequence[str], log_file: Path, what: str) -> None:
    """Run *command* with its output appended to *log_file*; SetupError if it fails."""
    with log_file.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        status = subprocess.run(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode
    if status != 0:
        errors = [
            line.strip()
            for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.startswith("ERROR:")
        ]
        detail = f": {errors[-1]}" if errors else ""
        raise SetupError(f"{what} failed with status {status}{detail} (log: {log_file})")


def pip_install(python: Path, requirements: Iterable[str], log_file: Path, what: str) -> None:
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input"]
    run_logged([*command, *requirements], log_file, what)


def ensure_env(envs_dir: Path, spec: EnvSpec) -> Path:
    """Build the environment *spec* (or reuse a matching one); return its python."""
    env_dir = envs_dir / spec.name
    python = env_python(env_dir)
    log_file = envs_dir / f"{spec.name}.log"
    wanted = {
        "python": sys.version,
        "base_prefix": sys.base_prefix,
        "requirements": list(spec.requirements),
    }
    marker = env_dir / MARKER
    try:
        built = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        built = None
    what = f"cannot build the '{spec.name}' environment: pip install"
    if built == wanted and python.exists():
        if spec.reinstall:
            log(f"reinstalling into '{spec.name}': {' '.join(spec.requirements)}")
            log_file.write_text("", encoding="utf-8")
            pip_install(python, spec.requirements, log_file, what)
        else:
            log(f"reusing the '{spec.name}' environment")
        return python
    if env_dir.exists() and not (env_dir / "pyvenv.cfg").exists():
        raise SetupError(f"{env_dir} exists but is not a virtual environment; remove it or use --envs")
    log(f"building the '{spec.name}' environment: {' '.join(spec.requirements)}")
    envs_dir.mkdir(parents=True, exist_ok=True)
    log_file.write_text("", encoding="utf-8")
    venv = [sys.executable, "-m", "venv", "--clear", str(env_dir)]
    run_logged(venv, log_file, f"cannot build the '{spec.name}' environment: python -m venv")
    pip_install(python, spec.requirements, log_file, what)
    marker.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return python


def query_env(python: Path, code: str, *args: str) -> str:
    """Run *code* in isolated mode (no cwd or PYTHONPATH on sys.path); return its stdout."""
    with tempfile.TemporaryDirectory() as workdir:
        completed = subprocess.run(
            [str(python), "-I", "-c", code, *args],
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=child_environ(),
            check=False,
        )
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise SetupError(f"cannot run {python}: {last}")
    return completed.stdout


def installed_versions(python: Path, dists: Iterable[str]) -> dict[str, str | None]:
    """The version of each distribution installed for *python* (None if absent)."""
    code = (
        "import json, sys\n"
        "from importlib import metadata\n"
        "found = {}\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        found[name] = metadata.version(name)\n"
        "    except metadata.PackageNotFoundError:\n"
        "        found[name] = None\n"
        "print(json.dumps(found))\n"
    )
    versions: dict[str, str | None] = json.loads(query_env(python, code, *dists))
    return versions


def check_plugin_loaded(python: Path, name: str, dist: str) -> None:
    """flake8 lists the plugins it loaded in ``--version``: make sure *dist* is there."""
    banner = query_env(python, "from flake8.main.cli import main; main(['--version'])")
    if f"{dist}:" not in banner:
        raise SetupError(f"flake8 in the '{name}' environment does not load {dist}: {banner.strip()!r}")


def package_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".typed") and "__pycache__" not in path.parts
    }


def check_installed_tree(python: Path) -> None:
    """The installed flake8_importstyle must be exactly the working tree's package."""
    code = "from importlib import util; print(util.find_spec('flake8_importstyle').origin)"
    installed = Path(query_env(python, code).strip()).parent
    if installed == PACKAGE_DIR:
        raise SetupError(f"the '{IMPORTSTYLE}' environment imports the working tree, not an installed copy")
    ours, theirs = package_files(PACKAGE_DIR), package_files(installed)
    differing = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    if differing:
        raise SetupError(
            f"the installed flake8_importstyle differs from the working tree in {', '.join(differing)}"
            f" (a stale {REPO_ROOT / 'build'} folder, or a file edited during the install?)"
        )


@dataclass(frozen=True)
class Envs:
    pythons: dict[str, Path]
    #: Versions of CORE_DISTS, the same in every environment.
    core: dict[str, str]
    #: Versions of the plugins under test, by distribution name.
    plugins: dict[str, str]


def build_envs(envs_dir: Path) -> Envs:
    """Build or reuse the three environments and check that only their plugin differs."""
    bare = ensure_env(envs_dir, EnvSpec(BARE, (host_flake8_requirement(),)))
    core: dict[str, str] = {}
    for dist, version in installed_versions(bare, CORE_DISTS).items():
        if version is None:
            raise SetupError(f"{dist} is missing from the 'bare' environment")
        core[dist] = version
    pins = tuple(f"{dist}=={version}" for dist, version in core.items())
    specs = (
        EnvSpec(IMPORTSTYLE, (*pins, str(REPO_ROOT)), reinstall=True),
        EnvSpec(TIDY, (*pins, PLUGIN_DISTS[TIDY])),
    )
    pythons = {BARE: bare} | {spec.name: ensure_env(envs_dir, spec) for spec in specs}

    plugins: dict[str, str] = {}
    for name, python in pythons.items():
        plugin = PLUGIN_DISTS.get(name)
        versions = installed_versions(python, (*CORE_DISTS, *([plugin] if plugin else [])))
        differences = [
            f"{dist} {versions[dist]} in '{name}' but {core[dist]} in '{BARE}'"
            for dist in CORE_DISTS
            if versions[dist] != core[dist]
        ]
        if differences:
            raise SetupError(
                f"the environments differ: {'; '.join(differences)} (delete {envs_dir} to rebuild them)"
            )
        if plugin:
            check_plugin_loaded(python, name, plugin)
            plugins[plugin] = versions[plugin] or "?"
    check_installed_tree(pythons[IMPORTSTYLE])
    return Envs(pythons, core, plugins)


# --------------------------------------------------------------------------- corpus


def walk_py(root: Path, excluded: frozenset[str]) -> list[Path]:
    """Every ``.py`` file under *root*, skipping folders named in *excluded* and hidden ones."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if d not in excluded and d not in ALWAYS_SKIPPED_DIRS and not d.startswith(".")
        ]
        found.extend(Path(dirpath, f) for f in filenames if f.endswith(".py"))
    return sorted(found)


def select_corpus(full: bool, paths: Sequence[Path] | None) -> Corpus:
    stdlib = f"{platform.python_implementation()} {platform.python_version()} stdlib"
    files: list[Path] = []
    if paths:
        for path in (p.absolute() for p in paths):
            if path.is_dir():
                files.extend(walk_py(path, frozenset()))
            elif path.is_file():
                files.append(path)
            else:
                raise SetupError(f"--corpus: no such file or folder: {path}")
        files = list(dict.fromkeys(files))
        description = "given paths"
    elif full:
        files = walk_py(STDLIB, FULL_EXCLUDED_DIRS)
        description = f"{stdlib}, whole, without site-packages"
    else:
        files = sorted(p for p in STDLIB.iterdir() if p.suffix == ".py" and p.is_file())
        description = f"{stdlib}, top level"
    if not files:
        raise SetupError("the corpus holds no .py file")
    return Corpus(tuple(files), sum(count_lines(f) for f in files), description)


# --------------------------------------------------------------------------- measuring


def run_flake8(
    python: Path,
    args: Sequence[str],
    workdir: Path,
    ok: frozenset[int],
    name: str,
    stdin: Path | None = None,
    in_run: Path | None = None,
) -> Sample:
    """One whole flake8 process, output discarded; its CPU time comes from RUSAGE_CHILDREN.
    With *in_run* (a file for the figure), flake8 runs under :data:`IN_RUN`, which also
    times flake8's run inside the process."""
    command = [str(python), "-m", "flake8", *args]
    if in_run is not None:
        command = [str(python), "-c", IN_RUN, str(in_run), *args]
    source = stdin.open("rb") if stdin is not None else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(
        command,
        cwd=workdir,
        stdin=source if source is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_environ(),
        check=False,
    ).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if source is not None:
        source.close()
    if status not in ok:
        raise SetupError(
            f"flake8 in the '{name}' environment exited with status {status};"
            f" run '{python} -m flake8 --isolated FILE' to see why"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run_cpu = None
    if in_run is not None:
        run_cpu = float(in_run.read_text(encoding="utf-8"))
        in_run.unlink()
    return Sample(cpu=cpu, wall=wall, run_cpu=run_cpu)


def rotated(names: Sequence[str], shift: int) -> list[str]:
    shift %= len(names)
    return [*names[shift:], *names[:shift]]


def measure_corpus(
    pythons: dict[str, Path], corpus: Corpus, rounds: int, workdir: Path
) -> dict[str, list[Sample]]:
    """WARMUP_ROUNDS + *rounds* rounds of the four configurations, order rotated each round."""
    args = [*CORPUS_ARGS, *map(str, corpus.files)]
    samples: dict[str, list[Sample]] = {name: [] for name in CONFIGS}
    for number in range(WARMUP_ROUNDS + rounds):
        measured = number >= WARMUP_ROUNDS
        title = f"round {number - WARMUP_ROUNDS + 1}/{rounds}" if measured else "warm-up"
        for name in rotated(CONFIGS, number):
            extra = EXTRA_ARGS.get(name, ())
            sample = run_flake8(pythons[ENV_OF[name]], [*extra, *args], workdir, frozenset({0}), name)
            log(f"{title} {LABELS[name]:<12} cpu {sample.cpu:7.2f} s, wall {sample.wall:7.2f} s")
            if measured:
                samples[name].append(sample)
    return samples


def measure_editor(
    pythons: dict[str, Path], file: Path, rounds: int, workdir: Path
) -> dict[str, dict[str, list[Sample]]]:
    """Each editor command in each environment, interleaved, after one unmeasured round.

    Returns command -> environment -> samples, one per round.
    """
    samples: dict[str, dict[str, list[Sample]]] = {cmd: {env: [] for env in ENVS} for cmd in EDITOR_COMMANDS}
    for number in range(1 + rounds):
        for command, template in EDITOR_COMMANDS.items():
            args = [str(file) if arg == "FILE" else arg for arg in template]
            stdin = file if command == "stdin" else None
            for env in rotated(ENVS, number):
                figure = workdir / "in-run.txt"
                sample = run_flake8(pythons[env], args, workdir, FILE_OK_STATUSES, env, stdin, figure)
                if number:
                    samples[command][env].append(sample)
    log(f"editor case: {rounds} rounds of {file.name} done")
    return samples


# --------------------------------------------------------------------------- reporting


def spread(values: Sequence[float]) -> dict[str, Any]:
    """Paired ratios, round by round, with their median, min and max."""
    return {
        "per_round": list(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def added_ms(runs: Sequence[Sample], bare: Sequence[Sample]) -> dict[str, float]:
    """What a plugin adds to one flake8 process, in ms: the median of the round-by-round
    differences in CPU time, and in wall time."""
    pairs = list(zip(runs, bare, strict=True))
    added = {
        "cpu_ms": 1e3 * statistics.median(r.cpu - b.cpu for r, b in pairs),
        "wall_ms": 1e3 * statistics.median(r.wall - b.wall for r, b in pairs),
    }
    if all(r.run_cpu is not None and b.run_cpu is not None for r, b in pairs):
        added["run_cpu_ms"] = 1e3 * statistics.median(
            cast(float, r.run_cpu) - cast(float, b.run_cpu) for r, b in pairs
        )
    return added


def build_report(
    corpus: Corpus | None,
    envs: Envs,
    rounds: int,
    corpus_samples: dict[str, list[Sample]] | None,
    file: Path,
    editor_samples: dict[str, dict[str, list[Sample]]],
    targets: Targets,
) -> dict[str, Any]:
    """Every figure of the run, as plain data: the table and ``--json`` both show this."""
    failures: list[str] = []
    report: dict[str, Any] = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "versions": envs.core,
        "plugins": envs.plugins,
    }
    if corpus is not None and corpus_samples is not None:
        configs: dict[str, Any] = {}
        for name in CONFIGS:
            runs = corpus_samples[name]
            configs[name] = {
                "label": LABELS[name],
                "cpu_s": [s.cpu for s in runs],
                "wall_s": [s.wall for s in runs],
                "cpu_s_median": statistics.median(s.cpu for s in runs),
                "wall_s_median": statistics.median(s.wall for s in runs),
                "ratio_to_bare": (
                    None if name == BARE else spread(paired_ratios(runs, corpus_samples[BARE]))
                ),
            }
        ours = configs[IMPORTSTYLE]["ratio_to_bare"]["median"]
        every = configs[EVERY]["ratio_to_bare"]["median"]
        peer = configs[TIDY]["ratio_to_bare"]["median"]
        for failed, reason in (
            (ours > targets.ratio, f"importstyle/bare {ours:.3f} exceeds the target {targets.ratio:.3f}"),
            (ours > peer, f"importstyle/bare {ours:.3f} exceeds tidy-imports/bare {peer:.3f}"),
            (every > targets.every, f"every-code-on/bare {every:.3f} exceeds the target {targets.every:.3f}"),
        ):
            if failed:
                failures.append(reason)
        report.update(
            corpus={"description": corpus.description, "files": len(corpus.files), "lines": corpus.lines},
            flake8_args=list(CORPUS_ARGS),
            every_code_args=list(EVERY_CODE_ARGS),
            contract_args=list(CONTRACT_ARGS),
            warmup_rounds=WARMUP_ROUNDS,
            rounds=rounds,
            configs=configs,
        )
    editor: dict[str, Any] = {}
    for command, by_env in editor_samples.items():
        editor[command] = {
            "flake8_args": [str(file) if a == "FILE" else a for a in EDITOR_COMMANDS[command]],
            "cpu_s_median": {env: statistics.median(s.cpu for s in runs) for env, runs in by_env.items()},
            "wall_s_median": {env: statistics.median(s.wall for s in runs) for env, runs in by_env.items()},
            "added": {env: added_ms(runs, by_env[BARE]) for env, runs in by_env.items() if env != BARE},
        }
    limits = {"path": targets.lint_ms, "stdin": targets.lint_ms, "version": targets.version_ms}
    for command, limit in limits.items():
        # flake8's run inside the process, where everything a plugin costs happens (the
        # whole process's figure, noisier by the interpreter's start, is reported beside it)
        figures = editor[command]["added"][IMPORTSTYLE]
        added = figures.get("run_cpu_ms", figures["cpu_ms"])
        if added > limit:
            failures.append(f"importstyle adds {added:.1f} CPU ms to 'flake8 {command}', over {limit:g} ms")
    report["editor"] = {
        "file": str(file),
        "lines": count_lines(file),
        "rounds": len(editor_samples["path"][BARE]),
        "commands": editor,
    }
    report["check"] = {"targets": targets._asdict(), "passed": not failures, "failures": failures}
    return report


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_table(report: dict[str, Any], show_check: bool) -> str:
    versions = report["versions"]
    others = ", ".join(f"{dist} {version}" for dist, version in versions.items() if dist != "flake8")
    plugins = ", ".join(
        f"{dist} {version}{' (this tree)' if dist == PLUGIN_DISTS[IMPORTSTYLE] else ''}"
        for dist, version in report["plugins"].items()
    )
    lines = [f"flake8 {versions['flake8']} ({others}), {report['python']}", f"plugins: {plugins}"]
    if "corpus" in report:
        corpus = report["corpus"]
        lines += [
            f"corpus: {corpus['files']:,} files, {corpus['lines']:,} lines ({corpus['description']}),"
            f" {plural(report['rounds'], 'round')} after {report['warmup_rounds']} warm-up, -j 1",
            f"{'config':<15}{'cpu s (median)':<17}{'wall s (median)':<18}ratio to bare (median [min-max])",
        ]
        for config in report["configs"].values():
            ratio = config["ratio_to_bare"]
            shown = (
                "1.000" if ratio is None else f"{ratio['median']:.3f} [{ratio['min']:.3f}-{ratio['max']:.3f}]"
            )
            cpu, wall = config["cpu_s_median"], config["wall_s_median"]
            lines.append(f"{config['label']:<15}{cpu:<17.2f}{wall:<18.2f}{shown}")
    editor = report["editor"]
    lines.append(
        f"editor case ({Path(editor['file']).name}, {editor['lines']:,} lines, {editor['rounds']} rounds):"
        " bare's CPU s, and what each plugin adds (median of the rounds' differences),"
        " CPU ms in flake8's run / CPU ms of the whole process / wall ms"
    )
    for command, figures in editor["commands"].items():
        added = ", ".join(
            f"{LABELS[env]} {a.get('run_cpu_ms', float('nan')):+.1f} / {a['cpu_ms']:+.1f}"
            f" / {a['wall_ms']:+.1f}"
            for env, a in figures["added"].items()
        )
        lines.append(f"  flake8 {command:<8} bare {figures['cpu_s_median'][BARE]:.3f} s; {added}")
    if show_check:
        check = report["check"]
        verdict = "ok" if check["passed"] else "FAILED: " + "; ".join(check["failures"])
        lines.append(f"check ({', '.join(f'{k} {v:g}' for k, v in check['targets'].items())}): {verdict}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time flake8 bare, with flake8-importstyle and with flake8-tidy-imports.",
    )
    corpus = parser.add_mutually_exclusive_group()
    corpus.add_argument("--full", action="store_true", help="the whole stdlib, tests included (slow)")
    corpus.add_argument("--corpus", nargs="+", type=Path, metavar="PATH", help="files or folders to check")
    parser.add_argument("--rounds", type=positive_int, default=7, help="measured rounds (default: 7)")
    parser.add_argument(
        "--file", type=Path, default=DEFAULT_FILE, help="one file to time (default: the stdlib's argparse.py)"
    )
    parser.add_argument(
        "--file-rounds", type=positive_int, default=30, help="editor-case rounds (default: 30)"
    )
    parser.add_argument("--editor-only", action="store_true", help="time the editor case alone")
    parser.add_argument("--envs", type=Path, default=DEFAULT_ENVS, help="where the environments live")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--target", type=float, default=1.03, help="top importstyle/bare ratio for --check (default: 1.03)"
    )
    parser.add_argument(
        "--every-target", type=float, default=1.05, help="top every-code-on/bare ratio (default: 1.05)"
    )
    parser.add_argument(
        "--lint-ms", type=float, default=10.0, help="top CPU ms added to one editor lint (default: 10)"
    )
    parser.add_argument(
        "--version-ms", type=float, default=5.0, help="top CPU ms added to flake8 --version (default: 5)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if a figure misses its target (the ratios, and the editor case's ms)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    file: Path = args.file.absolute()
    targets = Targets(args.target, args.every_target, args.lint_ms, args.version_ms)
    corpus: Corpus | None = None
    corpus_samples: dict[str, list[Sample]] | None = None
    try:
        if not file.is_file():
            raise SetupError(f"--file: no such file: {file}")
        if not args.editor_only:
            corpus = select_corpus(args.full, args.corpus)
            log(f"corpus: {len(corpus.files):,} files, {corpus.lines:,} lines ({corpus.description})")
        envs = build_envs(args.envs.absolute())
        with tempfile.TemporaryDirectory(prefix="overhead-") as workdir:
            if corpus is not None:
                corpus_samples = measure_corpus(envs.pythons, corpus, args.rounds, Path(workdir))
            editor_samples = measure_editor(envs.pythons, file, args.file_rounds, Path(workdir))
    except SetupError as exc:
        print(f"overhead.py: {exc}", file=sys.stderr)
        return EXIT_SETUP_FAILED
    report = build_report(corpus, envs, args.rounds, corpus_samples, file, editor_samples, targets)
    print(json.dumps(report, indent=2) if args.json else format_table(report, args.check))
    if args.check and not report["check"]["passed"]:
        print(f"overhead.py: check failed: {'; '.join(report['check']['failures'])}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
