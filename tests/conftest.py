from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

import pytest

from flake8_importstyle.config import Config
from flake8_importstyle.rules import DEFAULT_CODES, Finding, check_tree
from flake8_importstyle.text import source_lines


def config_from(options: Mapping[str, str]) -> Config:
    """A Config from ``importstyle-*`` option values keyed without the prefix."""
    return Config.from_options(**{key.replace("-", "_"): value for key, value in options.items()})


def lint(
    source: str, filename: str = "example.py", *, extend_select: Iterable[str] = (), **options: str
) -> list[Finding]:
    """The findings of the default rules, and of the opt-in ones in *extend_select*."""
    lines = source_lines(source)
    selected = DEFAULT_CODES | set(extend_select)
    return check_tree(ast.parse(source), lines, filename, config_from(options), selected)


def codes(
    source: str, filename: str = "example.py", *, extend_select: Iterable[str] = (), **options: str
) -> list[str]:
    return [f.code for f in lint(source, filename, extend_select=extend_select, **options)]


@pytest.fixture
def lint_fn():
    return lint
