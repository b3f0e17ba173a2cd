"""The rules, in one explicit list, and the function that runs them on a file.

The rules live in one module per family; :data:`FAMILIES` lists each module
with its codes and its *gate*, the cheap test on a file that the family's own
checks make first. The lint path imports a family's module only for a file
that passes its gate, so a typical file imports the form and policy rules and
little else (``flake8 --version`` imports none). :data:`RULES` and
:data:`BY_CODE`, for the docs, the fixer and the tests, import every family
on first use.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

from flake8_importstyle.classify import records_from_ast
from flake8_importstyle.config import Config
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule
from flake8_importstyle.text import source_text

if TYPE_CHECKING:
    #: Every rule class, family by family (imports every family on first use).
    RULES: tuple[type[Rule], ...]
    #: Every rule class by its code (imports every family on first use).
    BY_CODE: dict[str, type[Rule]]

Gate = Callable[[FileContext, frozenset[str]], bool]


def _always(file: FileContext, codes: frozenset[str]) -> bool:
    return True


def _dynamic(file: FileContext, codes: frozenset[str]) -> bool:
    """IPS201-IPS203 look at ``__import__`` (also when imported from builtins); IPS204 at
    importlib's ``import_module``, IPS205 at imports of ``imp``, importlib or pkgutil."""
    return "__import__" in file.source or not _IMPORT_SYSTEM_MODULES.isdisjoint(file.imported_modules)


_IMPORT_SYSTEM_MODULES = frozenset({"imp", "importlib", "pkgutil"})

#: The top-level names of the modules in :data:`~flake8_importstyle.deprecations.REMOVED_MODULES`
#: (a test keeps the two equal), and pkg_resources.
_REMOVED_TOP_LEVEL = frozenset(
    {
        "aifc", "asynchat", "asyncore", "audioop", "binhex", "cgi", "cgitb", "chunk", "crypt",
        "distutils", "formatter", "imghdr", "lib2to3", "mailcap", "msilib", "nis", "nntplib",
        "ossaudiodev", "parser", "pipes", "smtpd", "sndhdr", "spwd", "sre_compile", "sre_constants",
        "sre_parse", "sunau", "symbol", "telnetlib", "tkinter", "typing", "uu", "xdrlib",
    }
)  # fmt: skip
_REMOVED_GATE = _REMOVED_TOP_LEVEL | {"pkg_resources"}


def _removed(file: FileContext, codes: frozenset[str]) -> bool:
    """IPS206 and IPS207 report only imports of the modules in their tables (and what they bind)."""
    return not _REMOVED_GATE.isdisjoint(file.imported_modules)


def _cache(file: FileContext, codes: frozenset[str]) -> bool:
    """IPS301 needs sys and a removal from ``modules``; IPS302 importlib (or imp) and ``reload``."""
    imported = file.imported_modules
    source = file.source
    return ("sys" in imported and "modules" in source) or (
        not imported.isdisjoint(("importlib", "imp")) and "reload" in source
    )


def _packages(file: FileContext, codes: frozenset[str]) -> bool:
    """IPS401 and IPS403 (opt-in) run whenever selected; IPS402 needs a name an absolute
    import binds followed by a dot in the text (``xml.etree``)."""
    if codes != {"IPS402"}:
        return True
    source = file.source
    return any(
        name.bound + "." in source
        for record in file.records
        if not record.level and not record.is_future
        for name in record.names
    )


def _contracts(file: FileContext, codes: frozenset[str]) -> bool:
    """IPS501-IPS503 report only against contracts, from the option or import-linter's files."""
    return file.config.contracts is not None


#: Each family: its module under ``flake8_importstyle.rules``, its rule classes by code
#: (the one explicit list of the rules), and its gate, which is False only for a file on
#: which none of the family's rules can report (tests run every example and fixture with
#: and without the gates). A new rule is one more entry here.
FAMILIES: tuple[tuple[str, Mapping[str, str], Gate], ...] = (
    (
        "form",
        {
            "IPS101": "DottedImport",
            "IPS102": "RedundantDottedAlias",
            "IPS103": "DottedAlias",
            "IPS104": "UselessAlias",
            "IPS105": "FromNoFromModule",
            "IPS106": "ConventionalAlias",
        },
        _always,
    ),
    ("policy", {"IPS107": "BannedImport", "IPS108": "RelativeImport"}, _always),
    (
        "dynamic",
        {
            "IPS201": "DunderImportCall",
            "IPS202": "DottedDunderImport",
            "IPS203": "ReplacedImportFunction",
            "IPS204": "RelativeImportModuleWithoutPackage",
            "IPS205": "RemovedImportApi",
        },
        _dynamic,
    ),
    ("removed", {"IPS206": "RemovedModule", "IPS207": "PkgResources"}, _removed),
    ("cache", {"IPS301": "ReimportAfterRemoval", "IPS302": "StaleNameAfterReload"}, _cache),
    (
        "packages",
        {"IPS401": "ImplicitNamespacePackage", "IPS402": "UnimportedSubmodule", "IPS403": "ModulesOnly"},
        _packages,
    ),
    ("origin", {"IPS404": "ReimportedName"}, _always),
    (
        "contracts",
        {"IPS501": "ForbiddenImport", "IPS502": "LayersBroken", "IPS503": "IndependenceBroken"},
        _contracts,
    ),
)

#: Every code, in the order of :data:`RULES`.
CODES: tuple[str, ...] = tuple(code for _, classes, _ in FAMILIES for code in classes)
#: The codes that flake8 ignores until they are selected (``extend-select = IPS403``);
#: a test keeps them equal to the rules whose ``default`` is ``"off"``.
OFF_BY_DEFAULT = ("IPS401", "IPS403", "IPS404")
#: The codes that report unless flake8's configuration says otherwise.
DEFAULT_CODES = frozenset(CODES) - frozenset(OFF_BY_DEFAULT)

#: Each family's rule instances, by module name, once imported.
_LOADED: dict[str, tuple[Rule, ...]] = {}


def _family_rules(module: str, classes: Mapping[str, str]) -> tuple[Rule, ...]:
    """The rules of one family, instantiated, in the order of :data:`FAMILIES`."""
    rules = _LOADED.get(module)
    if rules is None:
        found = import_module(f"{__name__}.{module}")
        rules = tuple(getattr(found, name)() for name in classes.values())
        _LOADED[module] = rules
    return rules


def __getattr__(name: str) -> Any:
    if name == "RULES":
        value: Any = tuple(
            type(rule) for module, classes, _ in FAMILIES for rule in _family_rules(module, classes)
        )
    elif name == "BY_CODE":
        value = {rule.code: rule for rule in __getattr__("RULES")}
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def check_tree(
    tree: ast.AST,
    lines: Sequence[str],
    filename: str,
    config: Config,
    codes: Collection[str] | None = None,
    *,
    gates: bool = True,
) -> list[Finding]:
    """Every finding of the rules whose code is in *codes* on one file, in position order.

    *codes* is what flake8 will report after ``select`` and ``ignore``; None
    means :data:`DEFAULT_CODES`. A rule whose findings would all be thrown
    away is not run at all, nor a family whose gate says the file cannot have
    its findings (``gates=False`` runs them all, for the tests that check the gates).
    """
    wanted = DEFAULT_CODES if codes is None else frozenset(codes)
    families = [
        (module, classes, wanted.intersection(classes), gate)
        for module, classes, gate in FAMILIES
        if not wanted.isdisjoint(classes)
    ]
    if not families:
        return []
    text = source_text(lines)
    records = records_from_ast(tree, lines, text)
    file = FileContext(tree=tree, lines=lines, filename=filename, config=config, records=records, source=text)
    findings = [
        f
        for module, classes, chosen, gate in families
        if not gates or gate(file, chosen)
        for rule in _family_rules(module, classes)
        if rule.code in chosen
        for f in rule.check(file)
    ]
    findings.sort()
    return findings


__all__ = [
    "BY_CODE",
    "CODES",
    "DEFAULT_CODES",
    "FAMILIES",
    "OFF_BY_DEFAULT",
    "RULES",
    "Example",
    "FileContext",
    "Finding",
    "Rule",
    "check_tree",
]
