"""The fixer keeps behaviour: generated programs print the same before and after ``fix``.

:mod:`tests._differential` draws the programs, runs each in a fresh
interpreter before and after ``fix_bytes``, and compares stdout, the exit
status and the type of an uncaught exception. ``IMPORTSTYLE_DIFF_PROGRAMS``
sets how many (default 1000; CI runs fewer on its other Pythons) and
``IMPORTSTYLE_DIFF_SEED`` which ones (default 0, so every run draws the same).
``pytest -s`` shows the tally. A failure prints, per class of failure, one
program, its fixed form and both outputs, and the command that runs (and
cuts down) any of them again.

The harness's own checks (programs compile, draws are reproducible, outputs
are compared the way the module says) are fast and run everywhere; the run
itself is marked slow.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from flake8_importstyle.fix import FixResult
from tests import _differential as differential
from tests._differential import (
    CODES,
    PROGRAMS,
    SEED,
    TIMEOUT,
    Outcome,
    Program,
    Run,
    Tally,
    check,
    exception_type,
    fixable_codes,
    generate,
    run_all,
    write_packages,
)

#: Failures shown in full, at most one per class (the rest are listed by name).
SHOWN = 8


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    """Every program of the run, fixed and run twice (once per module: two tests read it)."""
    programs = [generate(i) for i in range(PROGRAMS)]
    start = time.monotonic()
    done = run_all(programs, tmp_path_factory.mktemp("differential"))
    print("\n" + Tally.of(done, time.monotonic() - start).render())
    return done


@pytest.mark.slow
def test_fixed_programs_behave_as_before(outcomes: list[Outcome]) -> None:
    failures = [o for o in outcomes if o.failed]
    if not failures:
        return
    by_class: dict[str, list[Outcome]] = {}
    for o in failures:
        by_class.setdefault(o.signature(), []).append(o)
    shown = [group[0] for group in sorted(by_class.values(), key=len, reverse=True)[:SHOWN]]
    names = ", ".join(o.program.name for o in failures)
    again = (
        f"python -m tests._differential --seed {SEED} --only N --reduce"
        f"   (N: the number after the '_' in a name; -n {PROGRAMS} --reduce for the whole run)"
    )
    pytest.fail(
        f"{len(failures)} of {len(outcomes)} programs behaved differently after the fix, "
        f"in {len(by_class)} classes:\n"
        + "\n".join(f"{len(g):5d}  {s}" for s, g in sorted(by_class.items(), key=lambda kv: -len(kv[1])))
        + "\n\n" + "\n\n".join(o.report() for o in shown)
        + f"\n\nall failing programs: {names}\nto run one again: {again}",
        pytrace=False,
    )


@pytest.mark.slow
def test_the_fixer_rewrites_enough(outcomes: list[Outcome]) -> None:
    """A fixer that refuses everything keeps behaviour too: the run must have rewritten
    a quarter of its programs, and fixed every fixable code at least once."""
    problems = Tally.of(outcomes).too_few()
    assert not problems, problems


@pytest.mark.slow
def test_unsafe_reload_rewrites_change_nothing_else(tmp_path: Path) -> None:
    """With --unsafe-fixes, IPS302's ``x`` -> ``M.x`` after reloads of modules that run the
    same code again: what the programs print stays (they never ask ``x is M.x``, the change
    made on purpose), and every finding left says why."""
    programs = [differential.generate_reload(i) for i in range(max(40, PROGRAMS // 5))]
    done = run_all(programs, tmp_path, unsafe=True)
    tally = Tally.of(done)
    print("\n" + tally.render() + f"\n  IPS302 (unsafe) fixed: {tally.fixed['IPS302']}")
    failed = [o for o in done if o.failed]
    assert not failed, failed[0].report()
    assert tally.crashed_before == 0
    assert tally.fixed["IPS302"] * 3 >= len(programs), tally.render()
    assert all("not fixed: " in line and line.split("not fixed: ")[1] for o in done for line in o.skipped)


# ------------------------------------------------------------------ the harness itself


def test_draws_are_reproducible() -> None:
    assert [generate(i).source for i in range(20)] == [generate(i).source for i in range(20)]
    assert generate(0).source != generate(0, seed=SEED + 1).source


def test_reload_programs_compile_and_have_stale_reads() -> None:
    flagged: Counter[str] = Counter()
    for i in range(100):
        program = differential.generate_reload(i)
        compile(program.source, program.name, "exec", dont_inherit=True)
        flagged.update(fixable_codes(program.source, "main.py"))
    assert flagged["IPS302"] >= 90, flagged  # a few draw their reads where none is stale


def test_every_program_compiles_and_most_have_something_to_fix() -> None:
    flagged: Counter[str] = Counter()
    for i in range(300):
        program = generate(i)
        compile(program.source, program.name, "exec", dont_inherit=True)
        flagged.update(fixable_codes(program.source, "main.py").keys())
    assert all(flagged[code] for code in CODES), flagged
    assert sum(flagged.values()) > 300, flagged


@pytest.mark.parametrize(
    ("stderr", "expected"),
    [
        ("", None),
        ("a warning\n", None),
        ("Traceback (most recent call last):\n  File \"x\", line 1\nNameError: name 'path' is not defined\n", "NameError"),
        ("Traceback (most recent call last):\n  ...\njson.decoder.JSONDecodeError: Expecting value\n", "json.decoder.JSONDecodeError"),
        ("Traceback (most recent call last):\n  ...\nKeyboardInterrupt\n", "KeyboardInterrupt"),
    ],
)
def test_exception_type(stderr: str, expected: str | None) -> None:
    assert exception_type(stderr) == expected


def test_a_run_differs_by_stdout_status_or_exception_type_only() -> None:
    base = Run("1\n", 1, "NameError", "Traceback ...\nNameError: name 'os' is not defined\n")
    assert base.same_as(Run("1\n", 1, "NameError", "Traceback ...\nNameError: name 'path' is not defined\n"))
    assert not base.same_as(Run("2\n", 1, "NameError", base.stderr))
    assert not base.same_as(Run("1\n", 0, None, ""))
    assert not base.same_as(Run("1\n", 1, "AttributeError", base.stderr))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "broken"),
    [
        ('print("a")\n', 'print("b")\n'),  # another stdout
        ("print(1)\n", "print(1)\nraise SystemExit(3)\n"),  # another exit status
        ("import sys\nprint(sys.argv[1])\n", "import sys\nprint(sys.argv[1:2])\n"),  # IndexError -> a value
        ("print(x)\n", "print(x.y)\nx = 1\n"),  # the same NameError, and the same output
    ],
)
def test_the_harness_sees_what_a_fixer_changes(
    source: str, broken: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a fixer that changes programs on purpose, the harness reports every change
    of stdout, exit status or exception type, and nothing else: a green run means something."""
    monkeypatch.setattr(differential, "fix_bytes", lambda data, filename, config, **_: FixResult(broken.encode(), True))
    write_packages(tmp_path)
    outcome = check(Program("broken", (source,)), tmp_path, TIMEOUT)
    assert outcome.after is not None and outcome.changed
    assert outcome.failed == ("x = 1" not in broken), outcome.report()
