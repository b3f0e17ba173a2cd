"""The rules, in one explicit list, and the function that runs them on a file."""

from __future__ import annotations

import ast
from collections.abc import Collection, Sequence

from flake8_importstyle.classify import records_from_ast
from flake8_importstyle.config import Config
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule
from flake8_importstyle.rules.contracts import ForbiddenImport, IndependenceBroken, LayersBroken
from flake8_importstyle.rules.origin import ReimportedName
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
from flake8_importstyle.rules.packages import ImplicitNamespacePackage, ModulesOnly, UnimportedSubmodule
from flake8_importstyle.rules.policy import BannedImport, RelativeImport
from flake8_importstyle.rules.removed import PkgResources, RemovedModule
from flake8_importstyle.text import source_text

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
    RemovedModule,
    PkgResources,
    ReimportAfterRemoval,
    StaleNameAfterReload,
    ImplicitNamespacePackage,
    UnimportedSubmodule,
    ModulesOnly,
    ReimportedName,
    ForbiddenImport,
    LayersBroken,
    IndependenceBroken,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}

#: The codes that report unless flake8's configuration says otherwise.
DEFAULT_CODES = frozenset(rule.code for rule in RULES if rule.default != "off")
#: The codes that flake8 ignores until they are selected (``extend-select = IPS403``).
OFF_BY_DEFAULT = tuple(rule.code for rule in RULES if rule.default == "off")

_INSTANCES = tuple(rule() for rule in RULES)


def check_tree(
    tree: ast.AST,
    lines: Sequence[str],
    filename: str,
    config: Config,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Every finding of the rules whose code is in *codes* on one file, in position order.

    *codes* is what flake8 will report after ``select`` and ``ignore``; None
    means :data:`DEFAULT_CODES`. A rule whose findings would all be thrown
    away is not run at all.
    """
    wanted = DEFAULT_CODES if codes is None else codes
    rules = [rule for rule in _INSTANCES if rule.code in wanted]
    if not rules:
        return []
    text = source_text(lines)
    records = records_from_ast(tree, lines, text)
    file = FileContext(tree=tree, lines=lines, filename=filename, config=config, records=records, source=text)
    findings = [f for rule in rules for f in rule.check(file)]
    findings.sort()
    return findings


__all__ = [
    "BY_CODE",
    "DEFAULT_CODES",
    "OFF_BY_DEFAULT",
    "RULES",
    "Example",
    "FileContext",
    "Finding",
    "Rule",
    "check_tree",
]
