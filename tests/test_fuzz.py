"""Never crash, on any valid code: the flake8 adapter and the fixer under fuzzing.

* hypothesmith's programs (``from_grammar()``, ``from_node()``): any valid code,
  as flake8-bugbear tests itself.
* :mod:`tests._hardening_programs`: import-heavy programs of our own, and real
  stdlib modules with such statements spliced in, so that the rules' own
  paths run, not only the parser's.

For each program, ``Plugin(tree, lines, filename).run()`` (every rule on, with
the default options and with every option set) must neither raise nor report
IPS001, and each finding must sit inside the file. ``fix_bytes`` may refuse a
file (``FixError``), nothing else; when it changes the code, the result
compiles, keeps the original's ``ast`` but for imports and the names it
reads, reads no name that nothing binds, and a second run changes nothing.

``IMPORTSTYLE_FUZZ_EXAMPLES`` sets the examples per test (default 200); with
``CI`` set the runs are derandomized, so CI is reproducible.
"""

from __future__ import annotations

from collections import Counter

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from flake8_importstyle.config import Config
from flake8_importstyle.fix import fix_bytes
from tests._hardening import (
    CONFIGURED,
    FUZZ_EXAMPLES,
    IN_CI,
    AllRulesPlugin,
    ConfiguredPlugin,
    check_fix,
    compiles,
    plugin_findings,
    shape,
    unbound_names,
)
from tests._hardening_programs import programs, spliced


#: Draws below which a run is too short to be expected to reach every rule (a
#: 50-example run on CI once drew no dotted ``__import__`` without fromlist).
COVERAGE_EXAMPLES = 200


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


class Tally:
    """What a fuzz run covered, printed at its end (``pytest -s`` shows it)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: Counter[str] = Counter()

    def program(self, source: str, configured: bool) -> None:
        """Lint *source* and fix it, checking both; count what happened."""
        plugin = ConfiguredPlugin if configured else AllRulesPlugin
        findings = plugin_findings(source, plugin=plugin)
        self.counts["programs"] += 1
        self.counts["findings"] += len(findings)
        self.counts.update(text.split(" ", 1)[0] for _, _, text in findings)
        result = check_fix(source.encode("utf-8"), config=CONFIGURED if configured else Config())
        if result is None:
            self.counts["fixer refused the file"] += 1
        elif result.changed:
            self.counts["fixed"] += 1

    def report(self) -> str:
        codes = ", ".join(f"{code} {n}" for code, n in sorted(self.counts.items()) if code.startswith("IPS"))
        other = ", ".join(f"{k} {n}" for k, n in self.counts.items() if not k.startswith("IPS"))
        return f"\n{self.name}: {other}; findings by code: {codes or 'none'}"


def _encodable(source: str) -> bool:
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a string literal
        return False
    return True


@pytest.mark.parametrize(
    "strategy",
    [
        pytest.param(hypothesmith.from_grammar, id="from_grammar"),
        pytest.param(hypothesmith.from_node, id="from_node"),
    ],
)
def test_hypothesmith_programs_never_crash(strategy) -> None:
    tally = Tally(f"hypothesmith.{strategy.__name__}()")

    @fuzz_settings(FUZZ_EXAMPLES)
    @given(source=strategy(), configured=st.booleans())
    # found by from_node: a form feed in an indentation is no line break for flake8 or ast
    @example(source="class A:\n pass\nclass A:\n\x0c import A.A\n", configured=False)
    def check(source: str, configured: bool) -> None:
        assume(compiles(source) and _encodable(source))
        tally.program(source, configured)

    check()
    print(tally.report())
    assert tally.counts["programs"] >= FUZZ_EXAMPLES // 2


def test_import_heavy_programs_never_crash() -> None:
    tally = Tally("import-heavy programs")

    @fuzz_settings(FUZZ_EXAMPLES)
    @given(source=programs(), configured=st.booleans())
    def check(source: str, configured: bool) -> None:
        assert compiles(source), f"the generator made code that does not compile:\n{source}"
        tally.program(source, configured)

    check()
    print(tally.report())
    # the generator is aimed at the rules: most programs must give findings, and many a fix
    assert tally.counts["programs"] == FUZZ_EXAMPLES
    assert tally.counts["findings"] > FUZZ_EXAMPLES
    assert tally.counts["fixed"] > FUZZ_EXAMPLES // 5
    if FUZZ_EXAMPLES >= COVERAGE_EXAMPLES:
        # which codes a random run reaches is a matter of chance: claim coverage only over enough draws
        flagged = {code for code in tally.counts if code.startswith("IPS")}
        assert {"IPS101", "IPS104", "IPS106", "IPS201", "IPS202", "IPS301", "IPS302"} <= flagged, tally.report()


@pytest.mark.slow
def test_import_heavy_programs_never_crash_with_unsafe_fixes() -> None:
    """The unsafe rewrites (IPS105, IPS204, IPS302, the reload scenarios among them) on the
    same programs: no crash, code that compiles, no name left unbound, a second run idle."""
    counts: Counter[str] = Counter()

    @fuzz_settings(max(FUZZ_EXAMPLES // 2, 20))
    @given(source=programs(), configured=st.booleans())
    def check(source: str, configured: bool) -> None:
        result = check_fix(source.encode("utf-8"), config=CONFIGURED if configured else Config(), unsafe=True)
        counts["fixed" if result is not None and result.changed else "left"] += 1

    check()
    print(f"\nimport-heavy programs, --unsafe-fixes: {dict(counts)}")
    assert counts["fixed"], counts


def test_real_modules_with_statements_spliced_in_never_crash() -> None:
    tally = Tally("stdlib modules with import-heavy statements spliced in")

    # whole real modules take long to lint and fix: fewer examples
    @fuzz_settings(max(FUZZ_EXAMPLES // 40, 5))
    @given(source=spliced(), configured=st.booleans())
    def check(source: str, configured: bool) -> None:
        assert compiles(source), "the splice made code that does not compile"
        tally.program(source, configured)

    check()
    print(tally.report())
    assert tally.counts["findings"] > 0


# ----------------------------------------------------- what the fuzzing found

#: A guarded import binds a name that is also a builtin; renaming every use would
#: make them raise NameError when the import fails, instead of reaching the
#: builtin. (Found by fuzzing, with ``if x: import numpy as __import__``.)
SHADOWED_BUILTIN = b"try:\n    import numpy as input\nexcept ImportError:\n    pass\nprint(input('?'))\n"


def test_the_fixer_does_not_rename_a_conditionally_shadowed_builtin() -> None:
    result = fix_bytes(SHADOWED_BUILTIN, "x.py", Config())
    assert not result.changed, result.data
    assert any(code == "IPS106" for _, _, code, _ in result.skipped)


#: An ``import importlib`` in a function or class body does not bind ``importlib`` for the
#: module; the fixer's IPS201 and IPS205 rewrites once took it as if it did (found by
#: test_import_heavy_programs_never_crash under CI's derandomized seed).
IMPORTLIB_IN_A_NESTED_SCOPE = [
    pytest.param(b"def f():\n    import importlib\n\nm = __import__('json')\n", id="IPS201-function"),
    pytest.param(b"class C:\n    import importlib\n\nm = __import__('json')\n", id="IPS201-class"),
    pytest.param(b"import imp\n\n\ndef f():\n    import importlib\n\n\nimp.reload(m)\n", id="IPS205"),
]


@pytest.mark.parametrize("source", IMPORTLIB_IN_A_NESTED_SCOPE)
def test_the_fixer_adds_importlib_where_it_is_read(source: bytes) -> None:
    result = check_fix(source, config=Config())  # the rewrite reads no name that nothing binds
    assert result is not None


def test_the_fuzz_checks_can_fail() -> None:
    """The checks the fuzz tests make of a rewrite are not vacuous."""
    before = b"import os.path\nos.path.join(x)\n"
    assert shape(before) == shape(b"from os import path\npath.join(x)\n")
    assert shape(before) != shape(b"from os import path\npath.join(x, 1)\n")  # an argument added
    assert shape(before) != shape(b"from os import path\npath.join(x)\ny = 1\n")  # a statement added
    # a file binding its own __import__ keeps that meaning when a fix renames the binding away
    bound = b"y = __import__('x')\nimport matplotlib as __import__\n__import__('m')\n"
    renamed = b"y = __import__('x')\nimport matplotlib as mpl\nmpl('m')\n"
    assert shape(renamed, like=bound) == shape(bound)
    assert shape(b"y = __import__('x')\n__import__('m')\n") != shape(bound)
    assert unbound_names(b"from os import path\npath.join(x)\n") == {"x"}
    assert unbound_names(b"import os\ndef f():\n    return path.join(os.sep)\n") == {"path"}
    with pytest.raises(AssertionError):
        plugin_findings("import os.path\n", plugin=_Broken)


class _Broken(AllRulesPlugin):
    def run(self):
        yield 1, 0, "IPS001 flake8-importstyle could not check this file (ValueError: x)", type(self)
