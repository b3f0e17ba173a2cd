"""README.rst, the rule classes and the tests describe the same codes."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from flake8_importstyle import docs
from flake8_importstyle.rules import RULES

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
