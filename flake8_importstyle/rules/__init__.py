"""The rules, in one explicit list, and the function that runs them on a file."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from flake8_importstyle.classify import records_from_ast
from flake8_importstyle.config import Config
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule
from flake8_importstyle.rules.cache import ReimportAfterRemoval, StaleNameAfterReload
from flake8_importstyle.rules.dynamic import (
    DottedDunderImport,
    DunderImportCall,
    RelativeImportModuleWithoutPackage,
    RemovedImportApi,
    ReplacedImportFunction,
)
from flake8_importstyle.rules.form import (
    ConventionalAlias,
    DottedAlias,
    DottedImport,
    FromNoFromModule,
    RedundantDottedAlias,
    UselessAlias,
)
from flake8_importstyle.rules.policy import BannedImport, RelativeImport

RULES: tuple[type[Rule], ...] = (
    DottedImport,
    RedundantDottedAlias,
    DottedAlias,
    UselessAlias,
    FromNoFromModule,
    ConventionalAlias,
    BannedImport,
    RelativeImport,
    DunderImportCall,
    DottedDunderImport,
    ReplacedImportFunction,
    RelativeImportModuleWithoutPackage,
    RemovedImportApi,
    ReimportAfterRemoval,
    StaleNameAfterReload,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}

_INSTANCES = tuple(rule() for rule in RULES)


def check_tree(tree: ast.AST, lines: Sequence[str], filename: str, config: Config) -> list[Finding]:
    """Every finding of every rule on one file, in position order."""
    records = records_from_ast(tree, lines)
    file = FileContext(tree=tree, lines=lines, filename=filename, config=config, records=records)
    findings = [f for rule in _INSTANCES for f in rule.check(file)]
    findings.sort()
    return findings


__all__ = ["BY_CODE", "RULES", "Example", "FileContext", "Finding", "Rule", "check_tree"]
