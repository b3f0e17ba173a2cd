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
from collections.abc import Callable, Collection, Sequence
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


#: Each family: its module under ``flake8_importstyle.rules``, its codes, and its gate, which
#: is False only for a file on which none of the family's rules can report (tests run every
#: example and fixture with and without the gates). A new family is one more entry here.
FAMILIES: tuple[tuple[str, frozenset[str], Gate], ...] = (
    ("form", frozenset({"IPS101", "IPS102", "IPS103", "IPS104", "IPS105", "IPS106"}), _always),
    ("policy", frozenset({"IPS107", "IPS108"}), _always),
    ("dynamic", frozenset({"IPS201", "IPS202", "IPS203", "IPS204", "IPS205"}), _dynamic),
    ("removed", frozenset({"IPS206", "IPS207"}), _removed),
    ("cache", frozenset({"IPS301", "IPS302"}), _cache),
    ("packages", frozenset({"IPS401", "IPS402", "IPS403"}), _packages),
)

#: Every code, in the order of :data:`RULES`.
CODES: tuple[str, ...] = tuple(sorted(code for _, codes, _ in FAMILIES for code in codes))
#: The codes that flake8 ignores until they are selected (``extend-select = IPS403``);
#: a test keeps them equal to the rules whose ``default`` is ``"off"``.
OFF_BY_DEFAULT = ("IPS401", "IPS403")
#: The codes that report unless flake8's configuration says otherwise.
DEFAULT_CODES = frozenset(CODES) - frozenset(OFF_BY_DEFAULT)

#: Each family's rule instances, by module name, once imported.
_LOADED: dict[str, tuple[Rule, ...]] = {}


def _family_rules(module: str) -> tuple[Rule, ...]:
    """The rules of one family, instantiated, in the order of :data:`CODES`."""
    rules = _LOADED.get(module)
    if rules is None:
        found = import_module(f"{__name__}.{module}")
        classes = [
            c
            for c in vars(found).values()
            if isinstance(c, type) and issubclass(c, Rule) and c.__module__ == found.__name__
            and getattr(c, "code", None)
        ]
        rules = tuple(c() for c in sorted(classes, key=lambda c: c.code))
        _LOADED[module] = rules
    return rules


def __getattr__(name: str) -> Any:
    if name == "RULES":
        value: Any = tuple(type(rule) for module, _, _ in FAMILIES for rule in _family_rules(module))
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
    families = [(module, family & wanted, gate) for module, family, gate in FAMILIES if family & wanted]
    if not families:
        return []
    text = source_text(lines)
    records = records_from_ast(tree, lines, text)
    file = FileContext(tree=tree, lines=lines, filename=filename, config=config, records=records, source=text)
    findings = [
        f
        for module, chosen, gate in families
        if not gates or gate(file, chosen)
        for rule in _family_rules(module)
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
