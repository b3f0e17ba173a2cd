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

An editor-like case is timed as well: ``flake8 --isolated FILE`` on one typical
file (by default the standard library's ``argparse.py``), bare against
importstyle, interleaved.

Run from the repository root (POSIX only; needs pip to reach the package index
the first time)::

    python benchmarks/overhead.py            # quick: the stdlib's top-level modules
    python benchmarks/overhead.py --full     # the whole stdlib, tests included
    python benchmarks/overhead.py --corpus src/ other.py --rounds 5
    python benchmarks/overhead.py --json     # the same figures as JSON
    python benchmarks/overhead.py --check --target 1.03   # exit 1 if too slow

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
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO_ROOT / "flake8_importstyle"
DEFAULT_ENVS = REPO_ROOT / "benchmarks" / ".envs"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
DEFAULT_FILE = STDLIB / "argparse.py"

BARE, IMPORTSTYLE, TIDY = "bare", "importstyle", "tidy"
CONFIGS = (BARE, IMPORTSTYLE, TIDY)
LABELS = {BARE: "bare", IMPORTSTYLE: "importstyle", TIDY: "tidy-imports"}
PLUGIN_DISTS = {IMPORTSTYLE: "flake8-importstyle", TIDY: "flake8-tidy-imports"}
#: The distributions that must be identical in all three environments.
CORE_DISTS = ("flake8", "pycodestyle", "pyflakes", "mccabe")
FLAKE8_FALLBACK = "flake8>=7,<8"

MARKER = "overhead-env.json"
FULL_EXCLUDED_DIRS = frozenset({"site-packages", "dist-packages"})
ALWAYS_SKIPPED_DIRS = frozenset({"__pycache__"})
CORPUS_ARGS = ("--isolated", "-j", "1", "--exit-zero")
FILE_ARGS = ("--isolated",)
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


@dataclass(frozen=True)
class Corpus:
    files: tuple[Path, ...]
    lines: int
    description: str


@dataclass(frozen=True)
class Sample:
    """One flake8 process: CPU (user + system) and wall seconds."""

    cpu: float
    wall: float


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


def run_flake8(python: Path, args: Sequence[str], workdir: Path, ok: frozenset[int], name: str) -> Sample:
    """One whole flake8 process, output discarded; its CPU time comes from RUSAGE_CHILDREN."""
    command = [str(python), "-m", "flake8", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(
        command,
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_environ(),
        check=False,
    ).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status not in ok:
        raise SetupError(
            f"flake8 in the '{name}' environment exited with status {status};"
            f" run '{python} -m flake8 --isolated FILE' to see why"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(cpu=cpu, wall=wall)


def rotated(names: Sequence[str], shift: int) -> list[str]:
    shift %= len(names)
    return [*names[shift:], *names[:shift]]


def measure_corpus(
    pythons: dict[str, Path], corpus: Corpus, rounds: int, workdir: Path
) -> dict[str, list[Sample]]:
    """WARMUP_ROUNDS + *rounds* rounds of the three configurations, order rotated each round."""
    args = [*CORPUS_ARGS, *map(str, corpus.files)]
    samples: dict[str, list[Sample]] = {name: [] for name in CONFIGS}
    for number in range(WARMUP_ROUNDS + rounds):
        measured = number >= WARMUP_ROUNDS
        title = f"round {number - WARMUP_ROUNDS + 1}/{rounds}" if measured else "warm-up"
        for name in rotated(CONFIGS, number):
            sample = run_flake8(pythons[name], args, workdir, frozenset({0}), name)
            log(f"{title} {LABELS[name]:<12} cpu {sample.cpu:7.2f} s, wall {sample.wall:7.2f} s")
            if measured:
                samples[name].append(sample)
    return samples


def measure_file(
    pythons: dict[str, Path], file: Path, rounds: int, workdir: Path
) -> dict[str, list[Sample]]:
    """``flake8 --isolated FILE``, bare and importstyle interleaved, after one unmeasured run each."""
    names = (BARE, IMPORTSTYLE)
    args = [*FILE_ARGS, str(file)]
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for name in names:
        run_flake8(pythons[name], args, workdir, FILE_OK_STATUSES, name)
    for number in range(rounds):
        for name in rotated(names, number):
            samples[name].append(run_flake8(pythons[name], args, workdir, FILE_OK_STATUSES, name))
    log(f"one file: {rounds} rounds of {file.name} done")
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


def build_report(
    corpus: Corpus,
    envs: Envs,
    rounds: int,
    corpus_samples: dict[str, list[Sample]],
    file: Path,
    file_samples: dict[str, list[Sample]],
    target: float,
) -> dict[str, Any]:
    """Every figure of the run, as plain data: the table and ``--json`` both show this."""
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
    peer = configs[TIDY]["ratio_to_bare"]["median"]
    failures = [
        reason
        for failed, reason in (
            (ours > target, f"importstyle/bare {ours:.3f} exceeds the target {target:.3f}"),
            (ours > peer, f"importstyle/bare {ours:.3f} exceeds tidy-imports/bare {peer:.3f}"),
        )
        if failed
    ]
    file_walls = {name: [s.wall for s in runs] for name, runs in file_samples.items()}
    file_ratios = [
        ours_s / bare_s for ours_s, bare_s in zip(file_walls[IMPORTSTYLE], file_walls[BARE], strict=True)
    ]
    return {
        "corpus": {"description": corpus.description, "files": len(corpus.files), "lines": corpus.lines},
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "versions": envs.core,
        "plugins": envs.plugins,
        "flake8_args": list(CORPUS_ARGS),
        "warmup_rounds": WARMUP_ROUNDS,
        "rounds": rounds,
        "configs": configs,
        "file": {
            "path": str(file),
            "lines": count_lines(file),
            "flake8_args": list(FILE_ARGS),
            "rounds": len(file_ratios),
            "wall_s": file_walls,
            "wall_s_median": {name: statistics.median(walls) for name, walls in file_walls.items()},
            "ratio": spread(file_ratios),
        },
        "check": {"target": target, "passed": not failures, "failures": failures},
    }


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_table(report: dict[str, Any], show_check: bool) -> str:
    corpus, versions, file = report["corpus"], report["versions"], report["file"]
    others = ", ".join(f"{dist} {version}" for dist, version in versions.items() if dist != "flake8")
    plugins = ", ".join(
        f"{dist} {version}{' (this tree)' if dist == PLUGIN_DISTS[IMPORTSTYLE] else ''}"
        for dist, version in report["plugins"].items()
    )
    lines = [
        f"corpus: {corpus['files']:,} files, {corpus['lines']:,} lines ({corpus['description']})",
        f"flake8 {versions['flake8']} ({others}), {plural(report['rounds'], 'round')} after"
        f" {report['warmup_rounds']} warm-up, -j 1",
        f"plugins: {plugins}",
        f"{'config':<15}{'cpu s (median)':<17}{'wall s (median)':<18}ratio to bare (median [min-max])",
    ]
    for config in report["configs"].values():
        ratio = config["ratio_to_bare"]
        shown = "1.000" if ratio is None else f"{ratio['median']:.3f} [{ratio['min']:.3f}-{ratio['max']:.3f}]"
        cpu, wall = config["cpu_s_median"], config["wall_s_median"]
        lines.append(f"{config['label']:<15}{cpu:<17.2f}{wall:<18.2f}{shown}")
    walls = file["wall_s_median"]
    lines.append(
        f"one file ({Path(file['path']).name}, {file['lines']:,} lines), wall s:"
        f" bare {walls[BARE]:.2f}, importstyle {walls[IMPORTSTYLE]:.2f}, ratio {file['ratio']['median']:.2f}"
    )
    if show_check:
        check = report["check"]
        verdict = "ok" if check["passed"] else "FAILED: " + "; ".join(check["failures"])
        lines.append(f"check (target {check['target']:.3f}, and no slower than tidy-imports): {verdict}")
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
    parser.add_argument("--file-rounds", type=positive_int, default=20, help="one-file rounds (default: 20)")
    parser.add_argument("--envs", type=Path, default=DEFAULT_ENVS, help="where the environments live")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--target", type=float, default=1.03, help="top importstyle/bare ratio for --check (default: 1.03)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if importstyle/bare exceeds --target or tidy-imports/bare",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    file: Path = args.file.absolute()
    try:
        if not file.is_file():
            raise SetupError(f"--file: no such file: {file}")
        corpus = select_corpus(args.full, args.corpus)
        log(f"corpus: {len(corpus.files):,} files, {corpus.lines:,} lines ({corpus.description})")
        envs = build_envs(args.envs.absolute())
        with tempfile.TemporaryDirectory(prefix="overhead-") as workdir:
            corpus_samples = measure_corpus(envs.pythons, corpus, args.rounds, Path(workdir))
            file_samples = measure_file(envs.pythons, file, args.file_rounds, Path(workdir))
    except SetupError as exc:
        print(f"overhead.py: {exc}", file=sys.stderr)
        return EXIT_SETUP_FAILED
    report = build_report(corpus, envs, args.rounds, corpus_samples, file, file_samples, args.target)
    print(json.dumps(report, indent=2) if args.json else format_table(report, args.check))
    if args.check and not report["check"]["passed"]:
        print(f"overhead.py: check failed: {'; '.join(report['check']['failures'])}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
