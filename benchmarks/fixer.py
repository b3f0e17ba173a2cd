"""What ``flake8-importstyle fix`` costs next to linting the same code with flake8.

Every measurement is one whole process, started from an empty temporary folder
with its output thrown away; its CPU time (user + system, its worker processes
included) and its peak resident memory (the largest of its processes) come
from ``os.wait4``. Four commands on each corpus, interleaved round by round in
an order that rotates from round to round, so that drift in the machine's
speed cancels out:

* ``lint``: ``flake8 --isolated --exit-zero DIR`` with this project installed,
  on a pristine copy of the corpus;
* ``fix 1st``: ``flake8-importstyle fix --isolated DIR`` on a fresh copy (the
  run that rewrites);
* ``fix 2nd``: the same command again on that copy (nothing is left to fix:
  the case pre-commit meets on most commits). The benchmark checks that this
  run changes no file;
* ``ruff``: ``ruff check --isolated --fix --unsafe-fixes --select
  PLR0402,PLC0414,ICN001`` on a fresh copy: the rules ruff and this project
  both fix (IPS102, IPS104, IPS106), for the record.

The ratios (fix / lint) are taken round by round and summarised as median
[min-max]. The corpora: the standard library's top-level modules (as
``overhead.py``) and Django's source tree (its sdist, fetched once by pip and
kept in ``benchmarks/.envs/``); ``--corpus`` names others.

One finding in a long file: a generated module of 10,000 lines whose one
finding (``import os.path`` and a use of it) the fixer rewrites, linted and
fixed alone: CPU time and peak memory of each.

``--baseline REF`` installs the project as it is at git revision REF in a
second environment and times its ``fix`` in the same rounds, against the same
lint: the before and after of a change, side by side.

Run from the repository root (POSIX only; needs pip to reach the package index
the first time)::

    python benchmarks/fixer.py                       # stdlib top level, Django, the long file
    python benchmarks/fixer.py --baseline main       # and main's fixer beside this tree's
    python benchmarks/fixer.py --no-django --rounds 3
    python benchmarks/fixer.py --check               # exit 1 if a target is missed
    python benchmarks/fixer.py --json

Exit status: 0 on success, 1 if ``--check`` fails, 2 if an environment cannot
be built or a command cannot be run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from overhead import (  # noqa: E402 - the benchmark's helpers, shared with overhead.py
    DEFAULT_ENVS,
    REPO_ROOT,
    STDLIB,
    EnvSpec,
    SetupError,
    child_environ,
    count_lines,
    ensure_env,
    host_flake8_requirement,
    installed_versions,
    log,
    rotated,
    run_logged,
)

FIXER, BASELINE = "fixer", "fixer-base"
DJANGO = "django==5.0.6"
#: ruff's codes for the rules both fix: IPS102 (PLR0402), IPS104 (PLC0414), IPS106 (ICN001)
RUFF_SELECT = "PLR0402,PLC0414,ICN001"
LINT, FIX1, FIX2, RUFF = "lint", "fix 1st", "fix 2nd", "ruff"
#: Exit statuses that mean the command ran: flake8 --exit-zero 0; fix 0 (nothing), 1
#: (rewrote), 2 (a file could not be read or parsed, which a corpus may hold)
OK = {LINT: frozenset({0}), FIX1: frozenset({0, 1, 2}), FIX2: frozenset({0, 1, 2}), RUFF: frozenset({0})}
LONG_LINES = 10_000

EXIT_CHECK_FAILED = 1
EXIT_SETUP_FAILED = 2


@dataclass(frozen=True)
class Sample:
    """One process (with its children): CPU (user + system) s, wall s, peak RSS in MB."""

    cpu: float
    wall: float
    rss: float


def run_measured(command: Sequence[str], workdir: Path, ok: frozenset[int]) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        cwd=workdir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_environ(),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SetupError(f"{' '.join(command)} exited with status {code}; run it by hand to see why")
    # ru_maxrss is in KB on Linux (bytes on macOS)
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Sample(usage.ru_utime + usage.ru_stime, wall, rss)


# ----------------------------------------------------------------- environments


def baseline_source(envs: Path, ref: str) -> Path:
    """The project's files at git revision *ref*, extracted under *envs*."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--verify", f"{ref}^{{commit}}"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SetupError(f"--baseline: {ref!r} is not a git revision of {REPO_ROOT} ({exc})") from None
    target = envs / "baseline-src" / commit
    if not (target / "pyproject.toml").exists() and not (target / "setup.cfg").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", commit],
            capture_output=True, check=True,
        ).stdout
        with tempfile.TemporaryFile() as tmp:
            tmp.write(archive)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(target, filter="data")
    return target


def build_envs(envs: Path, baseline: str | None, wants_ruff: bool) -> dict[str, Path]:
    flake8 = host_flake8_requirement()
    pythons = {
        FIXER: ensure_env(envs, EnvSpec(FIXER, (flake8, *(["ruff"] if wants_ruff else []), str(REPO_ROOT)),
                                        reinstall=True)),
    }
    if baseline is not None:
        source = baseline_source(envs, baseline)
        pythons[BASELINE] = ensure_env(envs, EnvSpec(BASELINE, (flake8, str(source)), reinstall=True))
    return pythons


def django_tree(envs: Path, python: Path) -> Path:
    """Django's package folder from its sdist, fetched once."""
    name = DJANGO.replace("==", "-")
    root = envs / "corpora" / name
    if (root / "django" / "__init__.py").exists():
        return root / "django"
    downloads = envs / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    if not list(downloads.glob("[Dd]jango-5.0.6.tar.gz")):
        log(f"fetching the {DJANGO} sdist")
        run_logged(
            [str(python), "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
             "--no-binary", ":all:", DJANGO, "-d", str(downloads)],
            envs / "downloads.log", f"pip download {DJANGO}",
        )
    sdist = next(downloads.glob("[Dd]jango-5.0.6.tar.gz"))
    with tempfile.TemporaryDirectory(dir=envs) as tmp, tarfile.open(sdist) as tar:
        tar.extractall(tmp, filter="data")
        (top,) = Path(tmp).iterdir()
        root.mkdir(parents=True, exist_ok=True)
        shutil.copytree(top / "django", root / "django")
    return root / "django"


# ----------------------------------------------------------------- corpora


@dataclass(frozen=True)
class Corpus:
    name: str
    #: a folder holding the corpus's files as they are copied for each run
    source: Path
    files: int
    lines: int


def stdlib_corpus(workdir: Path) -> Corpus:
    folder = workdir / "sources" / "stdlib"
    folder.mkdir(parents=True)
    files = sorted(p for p in STDLIB.iterdir() if p.suffix == ".py" and p.is_file())
    for path in files:
        shutil.copy2(path, folder / path.name)
    return Corpus("stdlib top level", folder, len(files), sum(count_lines(f) for f in files))


def tree_corpus(name: str, folder: Path) -> Corpus:
    files = [p for p in folder.rglob("*.py") if "__pycache__" not in p.parts]
    if not files:
        raise SetupError(f"{folder} holds no .py file")
    return Corpus(name, folder, len(files), sum(count_lines(f) for f in files))


def long_module(lines: int = LONG_LINES) -> str:
    """A module of *lines* lines with one finding the fixer rewrites: ``import os.path``
    (IPS101) and one use of ``os.path``, at the far end of the file."""
    out = ['"""A generated module with one finding."""', "", "import os.path", "import sys", "", ""]
    number = 0
    while len(out) < lines - 4:
        out += [
            f"def func_{number}(value, items):",
            f'    """Return the total of func_{number}."""',
            "    total = 0",
            "    for item in items:",
            "        if item > value:",
            f"            total += item * {number}",
            "        else:",
            "            total -= len(str(item))",
            "    return sys.getsizeof(total) + total",
            "",
            "",
        ]
        number += 1
    out += ["def where():", '    return os.path.join("a", "b")']
    return "\n".join(out) + "\n"


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.py"))}


# ----------------------------------------------------------------- measuring


def commands(pythons: dict[str, Path], target: Path, jobs: int | None) -> dict[str, list[str]]:
    j = ["-j", str(jobs)] if jobs else []
    out = {LINT: [str(pythons[FIXER]), "-m", "flake8", "--isolated", "--exit-zero", *j, str(target)]}
    for env, python in pythons.items():
        suffix = "" if env == FIXER else " (baseline)"
        fix = [str(python), "-m", "flake8_importstyle", "fix", "--isolated", *j, str(target)]
        out[FIX1 + suffix] = fix
        out[FIX2 + suffix] = fix
    ruff = pythons[FIXER].parent / "ruff"
    if ruff.exists():
        out[RUFF] = [str(ruff), "check", "--isolated", "--fix", "--unsafe-fixes", "--exit-zero",
                     "--select", RUFF_SELECT, str(target)]
    return out


def measure(
    pythons: dict[str, Path], corpus: Corpus, rounds: int, workdir: Path, jobs: int | None
) -> tuple[dict[str, list[Sample]], list[str]]:
    """1 warm-up + *rounds* rounds; the samples by command, and what the second runs changed."""
    pristine = tree_bytes(corpus.source)
    labels = list(commands(pythons, corpus.source, jobs))
    samples: dict[str, list[Sample]] = {label: [] for label in labels}
    problems: list[str] = []
    # a unit is what runs in one place of the rotation: lint; fix 1st then 2nd (per env); ruff
    units = [[LINT]] + [[f, s] for f, s in zip(labels[1::2], labels[2::2]) if f.startswith(FIX1)]
    if RUFF in labels:
        units.append([RUFF])
    # an empty folder to run in: the fixer reads the project's folder (by default the
    # current one) for what other files import, which must not be the benchmark's copies
    cwd = workdir / "cwd"
    cwd.mkdir(exist_ok=True)
    for number in range(1 + rounds):
        for unit in rotated(units, number):
            copy = workdir / "run" / corpus.source.name
            if copy.parent.exists():
                shutil.rmtree(copy.parent)
            shutil.copytree(corpus.source, copy)
            cmds = commands(pythons, copy, jobs)
            after_first: dict[str, bytes] = {}
            for label in unit:
                sample = run_measured(cmds[label], cwd, OK[label.split(" (")[0]])
                if number:
                    samples[label].append(sample)
                if label.startswith(FIX1):
                    after_first = tree_bytes(copy)
                elif label.startswith(FIX2) and tree_bytes(copy) != after_first:
                    problems.append(f"{corpus.name}: the second run of '{label}' changed files")
                elif label == LINT and tree_bytes(copy) != pristine:  # pragma: no cover
                    problems.append(f"{corpus.name}: flake8 changed files")
            if number == 0 and unit[0].startswith(FIX1):
                changed = sum(1 for k, v in after_first.items() if pristine.get(k) != v)
                log(f"{corpus.name}: '{unit[0]}' rewrote {changed} of {corpus.files} files")
        log(f"{corpus.name}: {'warm-up' if not number else f'round {number}/{rounds}'} done")
    return samples, problems


# ----------------------------------------------------------------- report


def spread(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def figures(samples: dict[str, list[Sample]]) -> dict[str, Any]:
    lint = samples[LINT]
    out: dict[str, Any] = {}
    for label, runs in samples.items():
        out[label] = {
            "cpu_s": spread([s.cpu for s in runs]),
            "wall_s": spread([s.wall for s in runs]),
            "rss_mb": spread([s.rss for s in runs]),
            "cpu_to_lint": spread([s.cpu / b.cpu for s, b in zip(runs, lint, strict=True)]),
            "rss_to_lint": spread([s.rss / b.rss for s, b in zip(runs, lint, strict=True)]),
        }
    return out


def format_table(report: dict[str, Any]) -> str:
    lines = [f"{report['python']}; {', '.join(f'{k} {v}' for k, v in report['versions'].items())}"]
    for case in report["cases"]:
        lines.append(
            f"{case['name']}: {case['files']:,} files, {case['lines']:,} lines,"
            f" {case['rounds']} rounds after 1 warm-up"
        )
        header = f"  {'command':<22}{'cpu s':>8}{'peak MB':>9}"
        lines.append(header + "   cpu / lint (median [min-max]); MB / lint")
        for label, fig in case["figures"].items():
            ratio = fig["cpu_to_lint"]
            lines.append(
                f"  {label:<22}{fig['cpu_s']['median']:>8.2f}{fig['rss_mb']['median']:>9.0f}"
                f"   {ratio['median']:.2f} [{ratio['min']:.2f}-{ratio['max']:.2f}];"
                f" {fig['rss_to_lint']['median']:.2f}"
            )
    check = report["check"]
    verdict = "ok" if check["passed"] else "FAILED: " + "; ".join(check["failures"])
    lines.append(f"check ({', '.join(f'{k} {v:g}' for k, v in check['targets'].items())}): {verdict}")
    return "\n".join(lines)


def check(report: dict[str, Any], targets: dict[str, float], problems: list[str]) -> list[str]:
    failures = list(problems)
    for case in report["cases"]:
        fig = case["figures"]
        pairs = [(FIX1, "first", "tree_first"), (FIX2, "second", "tree_second")]
        if case["long"]:
            pairs = [(FIX1, "one finding", "long_cpu")]
            rss = fig[FIX1]["rss_to_lint"]["median"]
            if rss > targets["long_rss"]:
                limit = targets["long_rss"]
                failures.append(f"{case['name']}: fix's memory {rss:.2f}x flake8's, over {limit:g}")
        for label, what, key in pairs:
            ratio = fig[label]["cpu_to_lint"]["median"]
            if ratio > targets[key]:
                failures.append(f"{case['name']}: {what} run {ratio:.2f}x the lint, over {targets[key]:g}")
    return failures


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Time flake8-importstyle's fixer against flake8's lint.")
    p.add_argument("--rounds", type=int, default=3, help="measured rounds per corpus (default: 3)")
    p.add_argument("--long-rounds", type=int, default=5, help="rounds of the long file (default: 5)")
    p.add_argument("--corpus", nargs="+", type=Path, metavar="DIR", help="folders to use instead of "
                   "the stdlib's top level and Django")
    p.add_argument("--no-django", action="store_true", help="leave Django out")
    p.add_argument("--no-stdlib", action="store_true", help="leave the stdlib out")
    p.add_argument("--no-ruff", action="store_true", help="do not time ruff")
    p.add_argument("--baseline", metavar="REF", help="also time the fixer of git revision REF")
    p.add_argument("--jobs", type=int, help="pass -j N to flake8 and to fix (default: their own)")
    p.add_argument("--envs", type=Path, default=DEFAULT_ENVS, help="where the environments live")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    p.add_argument("--first-target", type=float, default=2.0, help="fix 1st / lint (default: 2)")
    p.add_argument("--second-target", type=float, default=1.2, help="fix 2nd / lint (default: 1.2)")
    p.add_argument("--long-target", type=float, default=2.0, help="long file: fix / lint CPU (default: 2)")
    p.add_argument(
        "--long-rss-target", type=float, default=4.0, help="long file: fix / lint memory (default: 4)"
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    envs = args.envs.absolute()
    targets = {
        "tree_first": args.first_target,
        "tree_second": args.second_target,
        "long_cpu": args.long_target,
        "long_rss": args.long_rss_target,
    }
    problems: list[str] = []
    report: dict[str, Any] = {"python": f"{platform.python_implementation()} {platform.python_version()}"}
    try:
        envs.mkdir(parents=True, exist_ok=True)
        pythons = build_envs(envs, args.baseline, not args.no_ruff)
        versions = installed_versions(pythons[FIXER], ("flake8", "flake8-importstyle", "libcst", "ruff"))
        report["versions"] = {k: v for k, v in versions.items() if v}
        if args.baseline:
            report["baseline"] = args.baseline
        with tempfile.TemporaryDirectory(prefix="fixer-") as tmp:
            workdir = Path(tmp)
            corpora: list[Corpus] = []
            if args.corpus:
                corpora = [tree_corpus(str(p), p.absolute()) for p in args.corpus]
            else:
                if not args.no_stdlib:
                    corpora.append(stdlib_corpus(workdir))
                if not args.no_django:
                    corpora.append(tree_corpus(DJANGO, django_tree(envs, pythons[FIXER])))
            long_dir = workdir / "sources" / "long"
            long_dir.mkdir(parents=True)
            (long_dir / "module.py").write_text(long_module(), encoding="utf-8")
            cases = []
            for corpus, rounds, is_long in [
                *((c, args.rounds, False) for c in corpora),
                (Corpus(f"one finding in a {LONG_LINES:,}-line file", long_dir, 1,
                        count_lines(long_dir / "module.py")), args.long_rounds, True),
            ]:
                log(f"{corpus.name}: {corpus.files:,} files, {corpus.lines:,} lines")
                samples, found = measure(pythons, corpus, rounds, workdir, args.jobs)
                problems += found
                if is_long:  # the second run of one file is no case of its own
                    samples = {k: v for k, v in samples.items() if not k.startswith(FIX2)}
                cases.append({
                    "name": corpus.name, "files": corpus.files, "lines": corpus.lines, "rounds": rounds,
                    "long": is_long, "figures": figures(samples),
                })
    except SetupError as exc:
        print(f"fixer.py: {exc}", file=sys.stderr)
        return EXIT_SETUP_FAILED
    report["cases"] = cases
    failures = check(report, targets, problems)
    report["check"] = {"targets": targets, "passed": not failures, "failures": failures}
    print(json.dumps(report, indent=2) if args.json else format_table(report))
    if args.check and failures:
        print(f"fixer.py: check failed: {'; '.join(failures)}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
