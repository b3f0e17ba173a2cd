"""README.rst, the rule classes and the tests describe the same codes."""

from __future__ import annotations

import configparser
import re
import textwrap
import warnings
from collections.abc import Mapping
from pathlib import Path

import pytest

from flake8_importstyle import __version__, docs
from flake8_importstyle.config import OPTION_NAMES, Config
from flake8_importstyle.rules import RULES, Example, Rule
from flake8_importstyle.rules.base import FIX_LABELS, Peer

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.rst").read_text(encoding="utf-8")
CODE = re.compile(r"\bIPS\d{3}\b")


def test_readme_codes_section_is_rendered_from_the_rules() -> None:
    assert docs.splice(README, docs.render()) == README, "run: python -m flake8_importstyle.docs README.rst"


def test_readme_tests_and_rules_name_the_same_codes() -> None:
    rule_codes = {rule.code for rule in RULES}
    assert len(rule_codes) == len(RULES)
    readme_codes = set(CODE.findall(README)) - {"IPS001"}
    tested = set()
    for path in (ROOT / "tests").rglob("*.py"):
        tested |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert readme_codes == rule_codes
    # IPS001 is the internal-error report; IPS999 is how the tests spell an unknown code
    assert tested - {"IPS001", "IPS999"} == rule_codes
    for code in rule_codes:
        assert re.search(rf"^{code} .+\n-+\n", README, re.M), f"no section for {code}"


def test_rules_are_documented() -> None:
    for rule in RULES:
        assert re.fullmatch(r"IPS\d{3}", rule.code)
        assert rule.reason(), rule.code
        assert rule.examples, rule.code
        rule.title()  # the sample fills every placeholder


def test_readme_is_valid_restructuredtext() -> None:
    docutils_core = pytest.importorskip("docutils.core")
    with warnings.catch_warnings():  # docutils 0.23 renames writer_name; older ones lack the new form
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        docutils_core.publish_string(
            README, writer_name="null", settings_overrides={"report_level": 2, "halt_level": 2}
        )


def test_splice_needs_its_markers() -> None:
    with pytest.raises(ValueError, match="codes-begin"):
        docs.splice("no markers here\n", "x")


# ------------------------------------------------ each rule's name, fix, limitations, release, peers

#: The form of each tool's codes and rule names, from the tools' own documentation.
PEER_CODE = {
    "ruff": re.compile(r"(?:[A-Z]{1,3}|PL[CERW])\d{3,4}"),  # ICN001, TID251, INP001, PLR0402
    "pylint": re.compile(r"[CRWEF]\d{4}"),  # R0402, C0414, W4901
    "flake8-tidy-imports": re.compile(r"I25[0-9]"),  # I250-I252 (I200-I202 before 4.0)
    "wemake-python-styleguide": re.compile(r"WPS\d{3}"),  # WPS301
    "flake8-import-conventions": re.compile(r"IC0\d\d"),  # IC001-IC010
}
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z][a-z0-9]*")


def _flat(text: str) -> str:
    """*text* with every run of white space one space (README and explain wrap lines)."""
    return " ".join(text.split())


def _section(code: str) -> str:
    start = README.index(f".. _{code}:\n")
    ends = [i for i in (README.find("\n.. _IPS", start + 1), README.find(docs.END, start)) if i != -1]
    return README[start:min(ends)]


def test_names_are_unique_kebab_case_and_no_code() -> None:
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    codes = {rule.code.lower() for rule in RULES}
    for name in names:
        assert KEBAB.fullmatch(name) and len(name) <= 40, name
        assert name not in codes and not CODE.search(name.upper()), name


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_its_metadata(rule: type[Rule]) -> None:
    assert rule.metadata_problems() == []
    assert rule.fix in FIX_LABELS and rule.fix_note.strip()
    assert rule.limitations and all(item.strip() for item in rule.limitations)
    assert rule.added == __version__  # every code so far came with the first release
    assert re.search(rf"^{re.escape(rule.added)} \(.*\)\n-+\n", README, re.M), "no changelog entry"


def test_the_fix_metadata_matches_the_fixer() -> None:
    from flake8_importstyle.fix import FIXABLE, UNSAFE

    assert {rule.code for rule in RULES if rule.fix != "never"} == set(FIXABLE)
    assert {rule.code for rule in RULES if rule.fix == "unsafe"} == set(UNSAFE) == {
        "IPS105", "IPS204", "IPS302", "IPS403"
    }
    for rule in RULES:
        assert bool(rule.unsafe_because) == (rule.fix == "unsafe"), rule.code
    for rule in RULES:
        shown = any(example.fixed is not None for example in rule.examples)
        assert shown == (rule.fix != "never"), rule.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_peer_codes_are_well_formed(rule: type[Rule]) -> None:
    for peer in rule.peers:
        assert peer.tool in PEER_CODE, peer
        assert peer.codes and all(PEER_CODE[peer.tool].fullmatch(c) for c in peer.codes), peer
        if peer.tool in ("ruff", "pylint"):  # both name every rule in kebab-case
            assert KEBAB.fullmatch(peer.name) and "-" in peer.name, peer
        if not peer.same:
            assert peer.note, f"{rule.code}: say how {peer.tool} {peer.codes[0]} differs"


def test_known_peers_are_mapped() -> None:
    """A few mappings checked against the peers' own documentation."""
    peers = {(rule.code, peer.tool, code) for rule in RULES for peer in rule.peers for code in peer.codes}
    for expected in [
        ("IPS102", "ruff", "PLR0402"),
        ("IPS102", "pylint", "R0402"),
        ("IPS104", "ruff", "PLC0414"),
        ("IPS104", "pylint", "C0414"),
        ("IPS105", "ruff", "ICN003"),
        ("IPS106", "ruff", "ICN001"),
        ("IPS107", "ruff", "TID251"),
        ("IPS107", "flake8-tidy-imports", "I251"),
        ("IPS108", "ruff", "TID252"),
        ("IPS108", "flake8-tidy-imports", "I252"),
        ("IPS101", "wemake-python-styleguide", "WPS301"),
        ("IPS401", "ruff", "INP001"),
    ]:
        assert expected in peers, expected


def _shows_the_metadata(rule: type[Rule], text: str) -> None:
    flat = _flat(text)
    assert f"{rule.code} {rule.name}: " in text.splitlines()[0 if text.startswith("IPS") else 2]
    label = FIX_LABELS[rule.fix]
    if rule.fix == "unsafe":  # the page says what the rewrite changes, and that it needs the flag
        assert label == "unsafe (only with --unsafe-fixes)"
        label += f": the rewrite changes what the program does ({rule.unsafe_because})"
    assert _flat(f"Fix: {label}. {rule.fix_note}") in flat
    assert f"Added in: {rule.added}" in flat
    for item in rule.limitations:
        assert _flat(item) in flat, item
    for peer in rule.peers:
        # a run of codes shows its first and last (IC003-IC010)
        assert f"{peer.tool} {peer.codes[0]}" in flat and peer.codes[-1] in flat, peer
        assert f"{peer.codes[-1]} {peer.name}".strip() in flat, peer
        assert _flat(peer.note) in flat, peer
    if not rule.peers:
        assert "Same as: none in ruff, pylint" in flat


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_readme_section_shows_the_metadata(rule: type[Rule]) -> None:
    section = _section(rule.code)
    _shows_the_metadata(rule, section)
    assert docs.rule_section(rule) in README
    same = [p for p in rule.peers if p.same]
    if same:
        assert ":Same as: " in section
    if any(not p.same for p in rule.peers):
        assert ":Similar: " in section
    row = next(line for line in README.splitlines() if line.startswith(f"`{rule.code}`_ "))
    assert row.split()[1] == rule.name and docs.FIX_SHORT[rule.fix] in row


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_shows_the_metadata(rule: type[Rule]) -> None:
    text = docs.explain(rule)
    _shows_the_metadata(rule, text)
    assert "Known limitations:" in text


def test_peer_ranges_are_shortened() -> None:
    assert docs._codes(("IC001", "IC003", "IC004", "IC005", "IC010")) == "IC001, IC003-IC005, IC010"
    assert docs._codes(("I250", "I251")) == "I250, I251"


def test_find_takes_a_code_or_a_name() -> None:
    for rule in RULES:
        assert docs.find(rule.code) is rule
        assert docs.find(rule.code.lower()) is rule
        assert docs.find(f" {rule.name} ") is rule
    assert docs.find("IPS999") is None
    assert docs.find("dotted") is None


def test_metadata_problems_are_found() -> None:
    class Bad(Rule):
        code = "IPS999"
        message = "m"
        sample: dict[str, str] = {}
        examples = (Example(bad="import os.path\n", good="from os import path\n"),)
        name = "Not_Kebab"
        fix = "always"
        unsafe_because = "it changes things"
        fix_note = ""
        limitations = ()
        added = "9.0.0"
        peers = (
            Peer("ruff", ("pl0402",), "manual_from_import"),
            Peer("flake8-tidy-imports", ("I250",), "a name", same=False),
        )

    problems = "\n".join(Bad.metadata_problems())
    for part in [
        "name 'Not_Kebab'",
        "fix_note is empty",
        "fix is 'always' but no example is fixed",
        "unsafe_because is given exactly when fix is 'unsafe'",
        "no limitations",
        "added '9.0.0'",
        "ruff codes ['pl0402']",
        "ruff name 'manual_from_import'",
        "flake8-tidy-imports has no rule names",
        "the note says not how",
    ]:
        assert part in problems, part

    class Missing(Rule):
        code = "IPS999"

    assert Missing.metadata_problems() == ["Missing lacks message, sample, examples, " + ", ".join(
        ["name", "fix", "fix_note", "limitations", "added", "peers"]
    )]


@pytest.mark.parametrize(("argument", "code"), [("IPS101", "IPS101"), ("dotted-import", "IPS101")])
def test_the_explain_command_shows_the_metadata(argument: str, code: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "flake8_importstyle", "explain", argument],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    rule = docs.find(code)
    assert rule is not None
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == docs.explain(rule)
    _shows_the_metadata(rule, result.stdout)
    assert "wemake-python-styleguide WPS301 DottedRawImportViolation" in _flat(result.stdout)


# ------------------------------------------------------------ the migration section


def _migration() -> str:
    start = README.index("\nMigrating from ruff and flake8-tidy-imports\n===")
    return README[start:README.index("\nWhat is checked, and where\n===", start)]


def test_migration_section_maps_the_peers_settings() -> None:
    section = _flat(_migration())
    for setting in [
        "lint.flake8-import-conventions.aliases",
        "lint.flake8-import-conventions.extend-aliases",
        "lint.flake8-import-conventions.banned-aliases",
        "lint.flake8-import-conventions.banned-from",
        "lint.flake8-tidy-imports.banned-api",
        "lint.flake8-tidy-imports.ban-relative-imports",
        "lint.flake8-tidy-imports.banned-module-level-imports",
        "flake8-tidy-imports ``banned-modules``",
        "flake8-tidy-imports ``ban-relative-imports``",
    ]:
        assert setting in section, setting
    for option in OPTION_NAMES:
        if option not in ("allow-dotted", "names-ok", "target-python"):
            assert f"importstyle-{option}" in section, option


def _ini_blocks(text: str) -> list[dict[str, str]]:
    """The ``[flake8]`` literal blocks of *text*, parsed as flake8 reads them."""
    blocks = []
    for match in re.finditer(r"::\n\n((?:(?: {8,}.*)?\n)+)", text):  # the blocks of a definition list
        body = textwrap.dedent(match.group(1))
        if body.lstrip().startswith("[flake8]"):
            parser = configparser.RawConfigParser()
            parser.read_string(body)
            blocks.append(dict(parser["flake8"]))
    return blocks


def test_migration_examples_are_valid_configuration() -> None:
    blocks = _ini_blocks(_migration())
    ours = [b for b in blocks if all(key.startswith("importstyle-") for key in b)]
    assert len(ours) >= 6
    configs = [Config.from_mapping({k.removeprefix("importstyle-"): v for k, v in b.items()}) for b in ours]
    # ruff's `aliases` replaced by numpy and pandas, extended by dask.dataframe
    assert dict(configs[0].aliases) == {"numpy": "np", "pandas": "pd", "dask.dataframe": "dd"}
    banned = next(c.banned for c in configs if c.banned and "mock" in c.banned)
    assert banned_entry(banned, "mock.patch") == "mock"
    assert banned_entry(banned, "example.yellow.truck") == "example.yellow"
    assert {c.relative for c in configs} >= {"never"}
    tidy = [b for b in blocks if "banned-modules" in b or "ban-relative-imports" in b]
    assert tidy, "flake8-tidy-imports' own syntax is shown beside ours"


def banned_entry(banned: Mapping[str, str], name: str) -> str | None:
    return Config(banned=banned).banned_entry(name)


def test_the_package_description_is_short_and_renders() -> None:
    """flake8 parses the package metadata of every plugin at each start (``flake8 --version``
    and each editor lint too): the long description is DESCRIPTION.rst, a page, not the
    whole README, and it names only codes that exist."""
    from docutils.core import publish_doctree

    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg", encoding="utf-8")
    assert setup["metadata"]["long_description"] == "file: DESCRIPTION.rst"
    description = (ROOT / "DESCRIPTION.rst").read_text(encoding="utf-8")
    assert len(description.encode("utf-8")) < 4000
    assert "include DESCRIPTION.rst" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    publish_doctree(description, settings_overrides={"report_level": 2, "halt_level": 2})
    ranges = re.findall(r"IPS(\d)(\d\d)-IPS\1(\d\d)", description)
    named = {f"IPS{family}{n:02d}" for family, low, high in ranges for n in range(int(low), int(high) + 1)}
    named |= set(re.findall(r"IPS\d{3}", description))
    codes = {rule.code for rule in RULES}
    assert named <= codes
    assert named >= codes  # every code is in one of the families it lists  # every code is in one of the families it lists


def test_the_installed_metadata_is_small() -> None:
    """What flake8 actually parses: the installed distribution's metadata (an editable
    install's too) stays a few kilobytes, not the 100 KB of the README."""
    from importlib import metadata

    found = metadata.distribution("flake8-importstyle")
    text = found.read_text("METADATA") or found.read_text("PKG-INFO") or ""  # a wheel, or an egg-info
    assert 0 < len(text.encode("utf-8")) < 8000
