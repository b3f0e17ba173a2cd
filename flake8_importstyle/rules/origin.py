"""Names imported from the module that defines them (IPS404)."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_importstyle import resolve
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule

#: How many plain re-imports are followed to the module that defines a name.
MAX_HOPS = 8


def _private(module: str) -> frozenset[str]:
    return frozenset(part for part in module.split(".") if part.startswith("_"))


def reimported_from(module: str, name: str, roots: resolve.Roots) -> str | None:
    """The module that *module* imports *name* from, when *module* only re-imports it: a
    plain module (not a package's ``__init__.py``, not a stub) whose one binding of
    *name* is an unconditional top-level ``from D import name``, without *name* in its
    ``__all__``; the re-imports are followed while they stay plain. None otherwise,
    and whenever a module cannot be found or read."""
    origin: str | None = None
    current = module
    seen = {module}
    for _ in range(MAX_HOPS):
        found = resolve.find(current, roots)
        if not isinstance(found, resolve.Module) or found.is_package or not found.runs_source:
            break
        names = resolve.namespace(found)
        if names is None or names.open or names.rewrites or names.stars or names.replaced_by:
            break
        listed = names.all_names
        if listed is resolve.UNKNOWN or (isinstance(listed, tuple) and name in listed):
            break
        bindings = names.bindings.get(name, ())
        if len(bindings) != 1:
            break
        (binding,) = bindings
        if binding.how is not resolve.Bound.FROM or binding.block:
            break
        source, _, leaf = binding.target.rpartition(".")
        if leaf != name or not source or source == current:
            break
        if _private(source) - _private(module):
            break  # the public module is the API; its private source is no better place
        if source in seen:
            return None  # a loop of re-imports: nothing defines the name
        seen.add(source)
        origin = current = source
    return origin


class ReimportedName(Rule):
    """``from myproj.models import Session`` where ``myproj.models`` does not define
    ``Session`` but only imports it (``from myproj.db.session import Session``): the import
    depends on an implementation detail of ``models``, and a refactor there breaks it.
    Import the name from the module that defines it.

    A name is only re-imported when the module's one binding of it is an unconditional
    top-level ``from D import name``, the name is not in its ``__all__``, and the module
    is not a package's ``__init__.py`` (a package's re-exports are its API) or a stub.
    Plain re-imports are followed to the module that defines the name. The modules are
    read, never imported; one that cannot be found or read gives no finding.
    """

    code = "IPS404"
    name = "reimported-name"
    message = "import {name!r} from {origin}, which defines it: {module} only re-imports it"
    sample = {"name": "Session", "origin": "myproj.db.session", "module": "myproj.models"}
    default = "off"
    fix = "never"
    fix_note = "The message names the module to import from; the fixer does not rewrite it yet."
    limitations = (
        "A module that re-exports on purpose without ``__all__`` (an ``import x as x`` convention "
        "in a plain module) is reported: list the name in its ``__all__``.",
        "A re-import under ``if``/``try`` or under another name (``from d import y as x``) is "
        "left alone, and so is a name reached through a star import.",
        "A source under a private module (``_impl``) is not suggested in place of a public one.",
    )
    added = "0.1.0"
    peers = ()
    examples = (
        Example(bad="from contextlib import wraps\n", good="from functools import wraps\n"),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        roots: resolve.Roots | None = None
        for record in file.records:
            if not record.is_from or record.is_future:
                continue
            module = file.absolute(record)
            if module is None:
                continue
            for name in record.names:
                if name.name == "*":
                    continue
                if roots is None:
                    roots = resolve.search_roots(file.filename)
                origin = reimported_from(module, name.name, roots)
                if origin is not None:
                    yield self.finding(name.line, name.col, name=name.name, origin=origin, module=module)
