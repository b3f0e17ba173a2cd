"""What an import *is*: the records that rules read instead of raw syntax.

Both front ends in :mod:`flake8_importstyle.classify` (flake8's ``ast`` tree on
the lint path, a libcst visitor for the fixer) produce these records, and a
test holds them equal on real code.
"""


import enum
from typing import NamedTuple


class Kind(enum.Enum):
    """The form of one imported name."""

    PLAIN = "plain"  # import a
    DOTTED = "dotted"  # import a.b
    ALIASED = "aliased"  # import a as x / import a.b as x
    FROM = "from"  # from m import x [as y]
    RELATIVE = "relative"  # from . import x / from .m import x
    STAR = "star"  # from m import *
    FUTURE = "future"  # from __future__ import x


class Scope(enum.Enum):
    """Where the statement runs."""

    MODULE = "module"
    FUNCTION = "function"
    CLASS = "class"


class Context(NamedTuple):
    """The statement's surroundings."""

    scope: Scope = Scope.MODULE
    type_checking: bool = False  # under `if TYPE_CHECKING:`
    guarded: bool = False  # inside `try:` whose handlers catch ImportError


MODULE_CONTEXT = Context()


class Name(NamedTuple):
    """One imported name, at its own position (1-based line, 0-based column in characters)."""

    name: str  # `a.b` in `import a.b`, `x` in `from m import x`, `*` for a star
    asname: str | None
    line: int
    col: int

    @property
    def bound(self) -> str:
        """The name this alias binds in the namespace."""
        if self.asname is not None:
            return self.asname
        return self.name.partition(".")[0]


class ImportRecord(NamedTuple):
    """One import statement: `import ...` or `from ... import ...`.

    Records are named tuples: flake8 runs the classifier on every file, and
    they are built and compared faster than frozen dataclasses.
    """

    is_from: bool
    module: str  # the from-module without its dots ("" for `from . import x`); "" for `import`
    level: int  # number of leading dots of a relative from-import
    names: tuple[Name, ...]
    line: int
    col: int
    context: Context = MODULE_CONTEXT
    lazy: bool = False  # PEP 810 `lazy import` / `lazy from ... import`

    @property
    def is_future(self) -> bool:
        return self.is_from and self.level == 0 and self.module == "__future__"

    @property
    def is_star(self) -> bool:
        return self.is_from and any(n.name == "*" for n in self.names)

    @property
    def from_text(self) -> str:
        """The module as written after `from` (`..pkg`)."""
        return "." * self.level + self.module

    def kind_of(self, name: Name) -> Kind:
        """The form in which this statement imports *name*."""
        if self.is_from:
            if self.is_future:
                return Kind.FUTURE
            if name.name == "*":
                return Kind.STAR
            if self.level:
                return Kind.RELATIVE
            return Kind.FROM
        if name.asname is not None:
            return Kind.ALIASED
        if "." in name.name:
            return Kind.DOTTED
        return Kind.PLAIN

    def full_name(self, name: Name) -> str | None:
        """The absolute dotted name *name* refers to, or None when relative or star."""
        if not self.is_from:
            return name.name
        if self.level or name.name == "*":
            return None
        return f"{self.module}.{name.name}"
