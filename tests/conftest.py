from __future__ import annotations

import ast
from collections.abc import Mapping

import pytest

from flake8_importstyle.config import Config
from flake8_importstyle.rules import Finding, check_tree


def config_from(options: Mapping[str, str]) -> Config:
    """A Config from ``importstyle-*`` option values keyed without the prefix."""
    return Config.from_options(**{key.replace("-", "_"): value for key, value in options.items()})


def lint(source: str, filename: str = "example.py", **options: str) -> list[Finding]:
    lines = source.splitlines(keepends=True)
    return check_tree(ast.parse(source), lines, filename, config_from(options))


def codes(source: str, filename: str = "example.py", **options: str) -> list[str]:
    return [f.code for f in lint(source, filename, **options)]


@pytest.fixture
def lint_fn():
    return lint
