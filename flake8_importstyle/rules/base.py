"""What every rule is made of: a code, a message, a reason, examples, and a check."""


import ast
import os
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import ClassVar, Literal, NamedTuple

from flake8_importstyle.analysis import (
    Bindings,
    Scope,
    binds,
    bound_names,
    nodes_on_lines,
    scopes,
    search_any,
)
from flake8_importstyle.text import char_col, match_lines, source_text, word
from flake8_importstyle.config import Config
from flake8_importstyle.records import ImportRecord


class Finding(NamedTuple):
    """One problem, at a 1-based line and a 0-based column counted in characters."""

    line: int
    col: int
    code: str
    message: str


class Example(NamedTuple):
    """Code a rule flags (``bad``) and the code it accepts instead (``good``).

    ``options`` are ``importstyle-*`` option values (without the prefix) under
    which the example holds; ``filename`` is the name the file is checked as;
    ``fixed`` is what ``flake8-importstyle fix`` makes of ``bad``, for the
    codes it fixes.
    """

    bad: str
    good: str
    options: Mapping[str, str] = MappingProxyType({})
    filename: str = "example.py"
    fixed: str | None = None


#: The tools whose codes a rule's page maps to its own, with the pattern of their codes
#: and, where the tool has them, of their rule names (strings: only the tests and the
#: docs check them, so linting a file compiles none).
PEER_TOOLS: Mapping[str, tuple[str, str | None]] = MappingProxyType(
    {
        "ruff": (r"[A-Z]{1,4}[0-9]{3,4}", r"[a-z]+(-[a-z0-9]+)*"),
        "pylint": (r"[CRWEFI][0-9]{4}", r"[a-z]+(-[a-z0-9]+)*"),
        "flake8-tidy-imports": (r"I25[0-9]", None),
        "wemake-python-styleguide": (r"WPS[0-9]{3}", r"[A-Z][A-Za-z]+Violation"),
        "flake8-import-conventions": (r"IC[0-9]{3}", None),
    }
)

#: How ``flake8-importstyle fix`` treats a rule's findings, as a rule's page says it.
FIX_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "always": "safe (proven before writing)",
        "sometimes": "safe (proven before writing), in some cases",
        "unsafe": "unsafe (only with --unsafe-fixes)",
        "never": "not fixed",
    }
)

_KEBAB = r"[a-z][a-z0-9]*(-[a-z0-9]+)*"
_VERSION = r"[0-9]+\.[0-9]+\.[0-9]+"


class Peer(NamedTuple):
    """Another tool's rule that covers the same ground as one of ours.

    ``same``: it reports the same code (perhaps with other exemptions, said in
    ``note``); otherwise it is similar, and ``note`` says how it differs.
    ``codes`` are the tool's codes (several for a tool that gives each module
    its own code), ``name`` its rule's name where the tool names rules.
    """

    tool: Literal[
        "ruff", "pylint", "flake8-tidy-imports", "wemake-python-styleguide", "flake8-import-conventions"
    ]
    codes: tuple[str, ...]
    name: str = ""
    same: bool = True
    note: str = ""


#: Names whose rebinding is looked up line by line in one file before one walk of
#: the whole tree answers for all of them.
TARGETED_LOOKUPS = 32


class FileContext:
    """What a rule may read about one file; the costly facts are computed on first use."""

    def __init__(
        self,
        *,
        tree: ast.AST,
        lines: Sequence[str],
        filename: str,
        config: Config,
        records: list[ImportRecord],
        source: str | None = None,
    ) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename
        self.config = config
        self.records = records
        self._rebound_asked = 0
        # several rules ask for the same lines and nodes (IPS201 and IPS202 the same calls)
        self._lines: dict[tuple[re.Pattern[str], ...], list[int]] = {}
        self._nodes: dict[tuple[int, ...], list[ast.AST]] = {}
        #: The text, every line ended by ``\\n`` (:func:`~flake8_importstyle.text.source_text`).
        self.source = source_text(lines) if source is None else source

    @cached_property
    def bindings(self) -> Bindings:
        return Bindings.of(self.records, self.rebound)

    def rebound(self, name: str) -> bool:
        """Whether the file binds *name* other than by an import statement.

        Only the statements on the lines where *name* appears are read. A
        file whose text is not ASCII may spell a name in another Unicode form
        (identifiers are NFKC-normalised), so it is walked whole instead; so
        is a file asked about many names, where one walk costs less than
        a text search per name.
        """
        self._rebound_asked += 1
        if not self.source.isascii() or self._rebound_asked > TARGETED_LOOKUPS:
            return name in self._bound_anywhere
        return any(binds(node, name) for node in self.nodes_on(self.lines_matching(word(name))))

    @cached_property
    def _bound_anywhere(self) -> set[str]:
        return bound_names(self.tree)

    def lines_matching(self, *patterns: re.Pattern[str]) -> list[int]:
        """The lines where one of *patterns* matches the file's text."""
        found = self._lines.get(patterns)
        if found is None:
            found = self._lines[patterns] = match_lines(self.source, patterns)
        return found

    def lines_for(self, targets: Collection[str]) -> list[int]:
        """The lines where an expression can refer to one of the dotted *targets*:
        where their last word appears, or a name an import binds to one of them."""
        words = {target.rpartition(".")[2] for target in targets} | self.bindings.names_for(targets)
        return self.lines_matching(*(word(w) for w in sorted(words)))

    def nodes_on(self, lines: Collection[int]) -> list[ast.AST]:
        """The syntax nodes on *lines* (:func:`~flake8_importstyle.analysis.nodes_on_lines`),
        in source order."""
        key = tuple(sorted(set(lines)))
        nodes = self._nodes.get(key)
        if nodes is None:
            nodes = self._nodes[key] = sorted(nodes_on_lines(self.tree, key), key=_position)
        return nodes

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Every absolute module the file imports, with its parent packages."""
        modules: set[str] = set()
        for record in self.records:
            names = [record.module] if record.is_from else [n.name for n in record.names]
            if record.level:
                continue
            for name in names:
                parts = name.split(".")
                modules.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        return frozenset(modules)

    def may_use(self, modules: frozenset[str] | None, *words: re.Pattern[str]) -> bool:
        """Cheap gate: the file imports one of *modules* (None: no import needed)
        and one of *words* matches its text."""
        if modules is not None and not modules & self.imported_modules:
            return False
        return search_any(words, self.source)

    @cached_property
    def scopes(self) -> list[Scope]:
        return scopes(self.tree)

    def position(self, node: ast.AST) -> tuple[int, int]:
        """A node's line and its column in characters."""
        line: int = getattr(node, "lineno", 1)
        return line, char_col(self.lines, line, getattr(node, "col_offset", 0))

    @cached_property
    def basename(self) -> str:
        return os.path.basename(self.filename)

    @cached_property
    def package(self) -> str | None:
        """The dotted package this file belongs to, from the ``__init__.py`` files above it."""
        return package_of(self.filename)

    def absolute(self, record: ImportRecord) -> str | None:
        """The absolute module a from-import names, resolving relative ones when possible."""
        if not record.level:
            return record.module
        package = self.package
        if not package:  # stdin, or a file outside any package: nothing to resolve against
            return None
        from flake8_importstyle.resolve import absolute_module

        return absolute_module(record.level, record.module, package)


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def package_of(filename: str) -> str | None:
    """``pkg.sub`` for ``.../pkg/sub/mod.py`` when ``pkg`` and ``sub`` hold ``__init__.py``.

    Returns ``""`` for a file outside any package and None when the name is
    no path at all (stdin without a display name).
    """
    if not filename or filename in {"-", "stdin"}:
        return None
    folder = os.path.dirname(os.path.abspath(filename))
    parts: list[str] = []
    while os.path.isfile(os.path.join(folder, "__init__.py")) or os.path.isfile(
        os.path.join(folder, "__init__.pyi")
    ):
        name = os.path.basename(folder)
        if not name.isidentifier():
            break
        parts.append(name)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return ".".join(reversed(parts))


class Rule:
    """A rule: subclasses set the class attributes and implement :meth:`check`.

    The class docstring is the reason, shown by the README and ``explain``.
    """

    code: ClassVar[str]
    #: ``str.format`` template of the message (without the code).
    message: ClassVar[str]
    #: Values that turn :attr:`message` into the README heading.
    sample: ClassVar[Mapping[str, str]]
    #: When the rule reports: "on", "on, with defaults", "when configured", or "off"
    #: (flake8 ignores its code until it is selected).
    default: ClassVar[str] = "on"
    #: The options that control it (without ``--``).
    options: ClassVar[tuple[str, ...]] = ()
    examples: ClassVar[tuple[Example, ...]]
    #: A short kebab-case name, shown beside the code (``IPS101 dotted-import``);
    #: ``flake8-importstyle explain`` accepts it too.
    name: ClassVar[str]
    #: Whether ``flake8-importstyle fix`` rewrites the findings: "always" (each one,
    #: when the check before writing proves the rewrite), "sometimes" (the cases
    #: :attr:`fix_note` names), "unsafe" (only with ``--unsafe-fixes``: the rewrite
    #: changes what the program does, as :attr:`unsafe_because` says) or "never"
    #: (see :data:`FIX_LABELS`).
    fix: ClassVar[Literal["always", "sometimes", "unsafe", "never"]]
    #: For an "unsafe" fix: what the rewrite changes at run time, as the fixer says it
    #: when it leaves the finding (``TypeError becomes an import``); else empty.
    unsafe_because: ClassVar[str] = ""
    #: What the fixer rewrites and what it leaves, or why it fixes nothing.
    fix_note: ClassVar[str]
    #: What the rule does not see or cannot tell, as a user would meet it (reStructuredText).
    limitations: ClassVar[tuple[str, ...]]
    #: The release that added the code.
    added: ClassVar[str]
    #: The equivalent codes of other tools (none: an empty tuple).
    peers: ClassVar[tuple[Peer, ...]]

    def check(self, file: FileContext) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, line: int, col: int, **values: object) -> Finding:
        return Finding(line, col, self.code, self.message.format(**values))

    def at(self, file: FileContext, node: ast.AST, **values: object) -> Finding:
        """A finding at *node*'s position."""
        line, col = file.position(node)
        return self.finding(line, col, **values)

    @classmethod
    def title(cls) -> str:
        """The code, its name and its message, as the README heading shows them."""
        return f"{cls.code} {cls.name}: {cls.message.format(**cls.sample)}"

    @classmethod
    def appendix(cls) -> str:
        """reStructuredText shown after the examples (a rule's data table); empty by default."""
        return ""

    @classmethod
    def reason(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def metadata_problems(cls) -> list[str]:
        """What is missing or malformed in the class's documentation attributes
        (empty when all is well); the tests hold every rule to it."""
        from flake8_importstyle import __version__

        problems: list[str] = []
        missing = [
            attr
            for attr in ("code", "message", "sample", "examples", *_METADATA)
            if not hasattr(cls, attr)
        ]
        if missing:
            return [f"{cls.__name__} lacks {', '.join(missing)}"]
        code = cls.code
        if not re.fullmatch(_KEBAB, cls.name) or len(cls.name) > 40:
            problems.append(f"{code}: name {cls.name!r} is not a short kebab-case name")
        if cls.fix not in FIX_LABELS:
            problems.append(f"{code}: fix {cls.fix!r} is not one of {', '.join(FIX_LABELS)}")
        if not cls.fix_note.strip():
            problems.append(f"{code}: fix_note is empty")
        if (cls.fix == "unsafe") != bool(cls.unsafe_because.strip()):
            problems.append(f"{code}: unsafe_because is given exactly when fix is 'unsafe'")
        documented = any(example.fixed is not None for example in cls.examples)
        if documented != (cls.fix != "never"):
            problems.append(f"{code}: fix is {cls.fix!r} but {'an' if documented else 'no'} example is fixed")
        if not cls.limitations or not all(item.strip() for item in cls.limitations):
            problems.append(f"{code}: no limitations given")
        if not re.fullmatch(_VERSION, cls.added) or _release(cls.added) > _release(__version__):
            problems.append(f"{code}: added {cls.added!r} is no release up to {__version__}")
        for peer in cls.peers:
            pattern = PEER_TOOLS.get(peer.tool)
            if pattern is None:
                problems.append(f"{code}: unknown peer tool {peer.tool!r}")
                continue
            codes, names = pattern
            bad = [c for c in peer.codes if not re.fullmatch(codes, c)]
            if not peer.codes or bad:
                problems.append(f"{code}: {peer.tool} codes {list(peer.codes)!r} are malformed")
            if names is None and peer.name:
                problems.append(f"{code}: {peer.tool} has no rule names, yet {peer.name!r} is given")
            if names is not None and not re.fullmatch(names, peer.name):
                problems.append(f"{code}: {peer.tool} name {peer.name!r} is malformed")
            if not peer.same and not peer.note:
                problems.append(f"{code}: {peer.tool} {peer.codes[0]} is similar, but the note says not how")
        return problems


#: The documentation attributes every rule sets (see :meth:`Rule.metadata_problems`).
_METADATA = ("name", "fix", "fix_note", "limitations", "added", "peers")


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())
