"""Import contracts: forbidden imports (IPS501), layers (IPS502) and independence (IPS503),
as import-linter's configuration or ``importstyle-contracts`` states them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from flake8_importstyle.contracts import ContractSet, Violation, violations
from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule

_MESSAGE = "{module} must not import {imported}: {rule} (contract {contract!r})"

#: The last file's violations: the three rules read them from one pass over its imports.
_LAST: list[tuple[ast.AST, list[tuple[int, int, Violation]]]] = []


def file_violations(file: FileContext) -> list[tuple[int, int, Violation]]:
    """Every contract the file's direct imports break, at each imported name's position."""
    contracts = file.config.contracts
    if not contracts:
        return []
    if _LAST and _LAST[0][0] is file.tree:
        return _LAST[0][1]
    found = _violations(file, contracts)
    _LAST[:] = [(file.tree, found)]
    return found


def _violations(file: FileContext, contracts: ContractSet) -> list[tuple[int, int, Violation]]:
    from flake8_importstyle.resolve import module_name

    importer = module_name(file.filename)
    if importer is None or not contracts.checks(importer):
        return []
    found: list[tuple[int, int, Violation]] = []
    for record in file.records:
        if record.is_future or (contracts.exclude_type_checking and record.context.type_checking):
            continue
        if not record.is_from:
            for name in record.names:
                found.extend((name.line, name.col, v) for v in violations(contracts, importer, [name.name]))
            continue
        base = file.absolute(record)
        if base is None:
            continue
        seen: set[Violation] = set()  # `from m import a, b`: one import of m, reported once
        for name in record.names:
            if name.name == "*":
                hits = violations(contracts, importer, [base])
            else:
                hits = _from_import(file, contracts, importer, base, f"{base}.{name.name}")
            found.extend((name.line, name.col, v) for v in hits if v not in seen)
            seen.update(hits)
    return found


def _from_import(
    file: FileContext, contracts: ContractSet, importer: str, base: str, full: str
) -> list[Violation]:
    """``from base import x``: import-linter's graph records ``base.x`` when it is a module,
    else ``base``; the resolver is asked only when the two answers differ."""
    hits = violations(contracts, importer, [full, base])
    graph_full = contracts.graph_names(full)
    if graph_full == contracts.graph_names(base) or not any(v.imported == graph_full for v in hits):
        return hits
    from flake8_importstyle.resolve import find, search_roots

    if find(full, search_roots(file.filename)) is None:  # surely no module: the import is of base
        return violations(contracts, importer, [base])
    return hits


class _ContractRule(Rule):
    message = _MESSAGE
    default = "when configured"
    options = ("importstyle-contracts",)
    fix = "never"
    fix_note = (
        "A broken contract is a design decision: move the code, or add the import to the "
        "contract's ``ignore_imports``."
    )
    added = "0.1.0"
    peers: ClassVar[tuple[Peer, ...]] = ()

    def check(self, file: FileContext) -> Iterator[Finding]:
        for line, col, violation in file_violations(file):
            if violation.code == self.code:
                yield self.finding(line, col, **violation.values)


_LIMITS = (
    "Direct imports only: a chain through other modules (``a`` imports ``b``, which imports "
    "``c``) is import-linter's to report, in CI.",
    "The file's module name comes from the ``__init__.py`` files above it; a file outside a "
    "package, or in a namespace package, is named by its folder below the package root only.",
)


class ForbiddenImport(_ContractRule):
    """A forbidden contract (import-linter's ``type = forbidden``) says some modules must not
    import others: ``myproj.domain`` must not import ``myproj.web`` or ``sqlalchemy``. Each
    module stands for itself and everything inside it; ``*`` in a name stands for one part,
    ``**`` for one or more. ``ignore_imports`` entries (``importer -> imported``) keep the
    imports they name, and a source module that overlaps a forbidden one (the same module,
    or one inside the other) is skipped, as import-linter does. Relative imports are resolved
    against the file's package first.
    """

    code = "IPS501"
    name = "forbidden-import"
    sample = {
        "module": "myproj.domain.models",
        "imported": "myproj.web",
        "rule": "myproj.domain -> myproj.web is forbidden",
        "contract": "Domain is independent of the web",
    }
    limitations = (
        *_LIMITS,
        "``as_packages = false`` is honoured; ``allow_indirect_imports`` changes nothing here, "
        "as only direct imports are checked.",
    )
    examples = (
        Example(
            bad="import web\n",
            good="import services\n",
            options={"contracts": "forbidden: domain -> web"},
            filename="domain.py",
        ),
        Example(
            bad="from sqlalchemy import orm\n",
            good="from domain import orm\n",
            options={"contracts": "forbidden: web -> sqlalchemy"},
            filename="web.py",
        ),
    )


class LayersBroken(_ContractRule):
    """A layers contract (import-linter's ``type = layers``) lists modules from the highest
    layer to the lowest: a higher layer may import a lower one, never the other way round.
    A layer written ``a | b`` holds independent siblings, which must not import each other;
    ``a : b`` holds siblings that may. With ``containers``, the layers are the containers'
    submodules (``myproj.*`` containers and a ``web`` layer make ``myproj.blog.web``), each
    container checked on its own. Optional layers in parentheses count when they exist.
    """

    code = "IPS502"
    name = "layers-broken"
    sample = {
        "module": "myproj.domain",
        "imported": "myproj.web",
        "rule": "layer myproj.domain is below myproj.web",
        "contract": "Layers",
    }
    limitations = (
        *_LIMITS,
        "``exhaustive`` (every module must be in a layer) needs the list of the container's "
        "modules, and closed layers the whole chain: import-linter reports those.",
    )
    examples = (
        Example(
            bad="import web\n",
            good="import domain\n",
            options={"contracts": "layers: web > services > domain"},
            filename="services.py",
        ),
        Example(
            bad="import billing\n",
            good="import domain\n",
            options={"contracts": "layers: web > billing | shipping > domain"},
            filename="shipping.py",
        ),
    )


class IndependenceBroken(_ContractRule):
    """An independence contract (import-linter's ``type = independence``) names modules that
    must not import each other, in either direction: ``myproj.blue`` and ``myproj.green``,
    or ``myproj.plugins.*`` for every plugin. Each module stands for everything inside it.
    """

    code = "IPS503"
    name = "independence-broken"
    sample = {
        "module": "myproj.blue.views",
        "imported": "myproj.green",
        "rule": "myproj.blue and myproj.green are independent",
        "contract": "Apps are independent",
    }
    limitations = _LIMITS
    examples = (
        Example(
            bad="from green import colour\n",
            good="from shared import colour\n",
            options={"contracts": "independence: blue, green"},
            filename="blue.py",
        ),
    )
