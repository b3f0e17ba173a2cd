"""Data table: import-system APIs that Python deprecated or removed (IPS205).

Each entry: the dotted name, what to use instead, and the Python versions
that deprecated and removed it (None: not removed yet), as the Python
documentation and its "What's New" pages give them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


class RemovedApi(NamedTuple):
    replacement: str
    deprecated: str
    removed: str | None


REMOVED_APIS = MappingProxyType(
    {
        "imp": RemovedApi("importlib", "3.4", "3.12"),
        "importlib.find_loader": RemovedApi("importlib.util.find_spec()", "3.4", "3.12"),
        "importlib.util.set_package": RemovedApi(
            "nothing: the import system sets __package__ itself", "3.4", "3.12"
        ),
        "importlib.util.set_loader": RemovedApi(
            "nothing: the import system sets __loader__ itself", "3.4", "3.12"
        ),
        "importlib.util.module_for_loader": RemovedApi("a loader's exec_module()", "3.4", "3.12"),
        "importlib.abc.Finder": RemovedApi(
            "importlib.abc.MetaPathFinder or importlib.abc.PathEntryFinder", "3.3", "3.12"
        ),
        "pkgutil.ImpImporter": RemovedApi("importlib's finders", "3.3", "3.12"),
        "pkgutil.ImpLoader": RemovedApi("importlib's loaders", "3.3", "3.12"),
        "pkgutil.find_loader": RemovedApi("importlib.util.find_spec()", "3.12", "3.14"),
        "pkgutil.get_loader": RemovedApi("importlib.util.find_spec()", "3.12", "3.14"),
    }
)


def removed_api(name: str) -> str | None:
    """The table entry that *name* is or lies within (``imp.reload`` is within ``imp``)."""
    if name in REMOVED_APIS:
        return name
    head = name.partition(".")[0]
    return head if head == "imp" else None
