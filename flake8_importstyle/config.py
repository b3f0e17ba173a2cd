"""One frozen, validated :class:`Config`, built once from flake8's options (or the fixer's)."""


import fnmatch
import keyword
import re
import sys
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

from flake8_importstyle.conventions import DEFAULT_ALIASES

if TYPE_CHECKING:
    from flake8_importstyle.contracts import ContractSet

RELATIVE_CHOICES = ("allow", "siblings", "never")

#: Every option, without its ``importstyle-`` prefix: the flake8 adapter and
#: the fixer's config reader both go through :meth:`Config.from_mapping`.
OPTION_NAMES = (
    "allow-dotted",
    "no-from",
    "aliases",
    "banned",
    "relative",
    "namespace-packages",
    "names-ok",
    "target-python",
    "contracts",
)
Relative = Literal["allow", "siblings", "never"]

#: The files import-linter reads its configuration from, in its order (IPS501-IPS503):
#: here, so that the flake8 adapter can tell whether a project has any before it
#: imports :mod:`flake8_importstyle.contracts`.
IMPORTLINTER_FILES = ("setup.cfg", ".importlinter", "pyproject.toml")


class ConfigError(ValueError):
    """A bad option value; ``str()`` is the one line the user sees."""

    def __init__(self, option: str, value: str, why: str) -> None:
        super().__init__(f"flake8-importstyle: importstyle-{option}: {value!r} {why}")
        self.option = option
        self.value = value


def _nfkc_problem(text: str) -> str | None:
    if text.isascii():
        return None  # ASCII text is its own NFKC form (and most configurations are ASCII)
    import unicodedata  # not imported by flake8: about 0.3 ms per start, for no name at all

    normal = unicodedata.normalize("NFKC", text)
    return None if normal == text else f"is not written as Python reads names: it reads {normal!r} (NFKC)"


def _identifier_problem(text: str) -> str | None:
    """Why *text* is no name an import can bind, as Python reads it, or None (a phrase that
    follows "which").

    Python reads identifiers in NFKC form (``ﬁle`` is ``file``, and ``ｃｌａｓｓ`` is the
    keyword's text ``class``): a configured name must already be in that form, or it never
    equals a name in the code, and an alias written into code would bind another name."""
    if not text.isidentifier():
        return "is not an identifier"
    nfkc = _nfkc_problem(text)
    if nfkc is not None:
        return nfkc
    if keyword.iskeyword(text):
        return "is a keyword"
    if text == "__debug__":
        return "no import may bind"
    return None


def _dotted_problem(text: str) -> str | None:
    """Why *text* is no dotted module name an import can spell, as Python reads it, or None
    (a phrase that follows "which")."""
    parts = text.split(".")
    if not text or not all(part.isidentifier() for part in parts):
        return "is not a dotted module name"
    nfkc = _nfkc_problem(text)
    if nfkc is not None:
        return nfkc
    for part in parts:
        if keyword.iskeyword(part):
            return "is a keyword" if len(parts) == 1 else f"has the part {part!r}, a keyword"
    return None


def is_dotted_name(text: str) -> bool:
    """``a.b.c`` where every part is a Python identifier, in the form Python reads it
    (NFKC), and no keyword."""
    return _dotted_problem(text) is None


def within(name: str, package: str) -> bool:
    """Whether *name* is *package* or something inside it (``a.b.c`` is within ``a.b``)."""
    return name == package or name.startswith(package + ".")


Raw = str | Iterable[str] | None


def _pieces(option: str, raw: object) -> list[str]:
    """*raw* as a list of texts: flake8 hands a string, or a list for a comma-separated
    option; Flake8-pyproject may hand a TOML list (or a table, a number) for any option."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)) and all(isinstance(item, str) for item in raw):
        return list(raw)
    raise ConfigError(option, _shown(raw), "is not text or a list of texts")


def _shown(raw: object) -> str:
    return raw if isinstance(raw, str) else repr(raw)


def _single(option: str, raw: object) -> str | None:
    """One value: a string (or a list holding one, from a TOML list)."""
    pieces = _pieces(option, raw)
    if len(pieces) > 1:
        raise ConfigError(option, ", ".join(pieces), "is a list; give one value")
    return pieces[0] if pieces else None


#: How flake8 splits a ``comma_separated_list`` option given as text (``flake8.utils``).
_LIST_SEPARATOR = re.compile(r"[,\s]")


def _items(option: str, raw: object, *, spaces: bool = True) -> list[str]:
    """The items of a list option, stripped, empties dropped: a text is split at commas and
    whitespace, as flake8 splits its comma-separated options (``json numpy`` is two items),
    or with ``spaces=False`` at commas and newlines only (``numpy = np`` is one item)."""
    separator = _LIST_SEPARATOR if spaces else re.compile(r"[,\n]")
    pieces = (piece.strip() for item in _pieces(option, raw) for piece in separator.split(item))
    return [piece for piece in pieces if piece]


def _modules(option: str, raw: object, *, wildcard: bool = False) -> tuple[str, ...]:
    out = []
    for item in _items(option, raw):
        name = item[:-2] if wildcard and item.endswith(".*") else item
        problem = _dotted_problem(name)
        if problem is not None:
            raise ConfigError(option, item, problem)
        out.append(item)
    return tuple(out)


def _aliases(raw: object) -> Mapping[str, str]:
    aliases = dict(DEFAULT_ALIASES)
    given: dict[str, str] = {}
    for item in _items("aliases", raw, spaces=False):
        module, sep, alias = (part.strip() for part in item.partition("="))
        if not sep or "=" in alias:
            raise ConfigError("aliases", item, "is not 'module=alias' (or 'module=' to drop a default)")
        problem = _dotted_problem(module)
        if problem is not None:
            raise ConfigError("aliases", item, f"names {module!r}, which {problem}")
        if module in given:
            why = f"gives {module!r} a second alias, after {given[module]!r}: keep one"
            raise ConfigError("aliases", item, why)
        given[module] = item
        if not alias:
            aliases.pop(module, None)
            continue
        problem = _identifier_problem(alias)
        if problem is not None:
            raise ConfigError("aliases", item, f"names {alias!r}, which {problem}")
        aliases[module] = alias
    return MappingProxyType(aliases)


#: Where a banned entry's reason holds another entry: after a comma, a semicolon or a space
#: outside brackets and quotes, a dotted name and a lone ``=`` (``use run(shell=False)`` is one
#: entry; ``use the stdlib, os.system = use subprocess`` is two).
_ANOTHER_ENTRY = re.compile(r"[\s,;]\s*([^\W\d][\w.]*)\s*=(?!=)")


def _another_entry(reason: str) -> str | None:
    """The module of a second ``module = reason`` entry written into *reason*, if any."""
    depth, quote = 0, ""
    for index, char in enumerate(reason):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0 and char in " \t,;":
            match = _ANOTHER_ENTRY.match(reason, index)
            if match is not None and is_dotted_name(match.group(1)):
                return match.group(1)
    return None


def _banned(raw: object) -> Mapping[str, str]:
    banned: dict[str, str] = {}
    for line in (piece.strip() for text in _pieces("banned", raw) for piece in text.splitlines()):
        if not line:
            continue
        module, sep, reason = (part.strip() for part in line.partition("="))
        if not sep:
            raise ConfigError("banned", line, "is not 'module = reason'")
        problem = _dotted_problem(module)
        if problem is not None:
            raise ConfigError("banned", line, f"names {module!r}, which {problem}")
        second = _another_entry(reason)
        if second is not None:
            why = (
                f"holds two entries, {module!r} and {second!r}: write one 'module = reason' per line"
                " (a reason's own '=' goes in quotes or brackets)"
            )
            raise ConfigError("banned", line, why)
        if module in banned:
            raise ConfigError("banned", line, f"bans {module!r} a second time: keep one entry")
        banned[module] = reason
    return MappingProxyType(banned)


def _relative(raw: object) -> Relative:
    value = (_single("relative", raw) or "allow").strip()
    if value not in RELATIVE_CHOICES:
        raise ConfigError("relative", value, f"is not one of {', '.join(RELATIVE_CHOICES)}")
    return cast(Relative, value)


def _folders(raw: object) -> tuple[str, ...]:
    out = []
    for item in _items("namespace-packages", raw):
        if any(c in item for c in "*?["):
            why = "is a pattern, not a folder (a folder covers the folders below it)"
            raise ConfigError("namespace-packages", item, why)
        out.append(item)
    return tuple(out)


def _target(raw: object) -> tuple[int, int] | None:
    value = _single("target-python", raw)
    if value is None or not value.strip():
        return None
    from flake8_importstyle.target import parse_version

    parsed = parse_version(value)
    if parsed is None:
        raise ConfigError("target-python", value.strip(), "is not a Python version such as 3.10")
    return parsed


def _contracts(raw: object) -> "ContractSet | None":
    """``importstyle-contracts``: None (nothing to import, nothing to check) when not given."""
    lines = [piece for piece in _pieces("contracts", raw) if piece.strip()]
    if not lines:
        return None
    from flake8_importstyle.contracts import ContractSet, parse_option

    found = ContractSet(parse_option(lines))
    return found if found else None


class Config(NamedTuple):
    """Everything the rules may be told, validated (a named tuple: flake8 imports
    the plugin at every start, and a frozen dataclass costs more to create)."""

    allow_dotted: tuple[str, ...] = ()
    no_from: tuple[str, ...] = ()
    aliases: Mapping[str, str] = DEFAULT_ALIASES
    banned: Mapping[str, str] = MappingProxyType({})
    relative: Relative = "allow"
    namespace_packages: tuple[str, ...] = ()
    names_ok: tuple[str, ...] = ()
    #: the oldest Python the project runs on (IPS205-IPS207) as the option says it; None
    #: when it does not: :meth:`target` then reads the project's ``requires-python``
    target_python: tuple[int, int] | None = None
    #: IPS501-IPS503: ``importstyle-contracts`` and, through the flake8 adapter, the
    #: project's import-linter configuration; None when there is none
    contracts: "ContractSet | None" = None
    #: the project's folder (that of its flake8 configuration), where :meth:`target` reads
    #: ``requires-python``; None: no project, the running Python is the target
    project: str | None = None

    @classmethod
    def from_options(
        cls,
        *,
        allow_dotted: Raw = None,
        no_from: Raw = None,
        aliases: Raw = None,
        banned: Raw = None,
        relative: str | None = None,
        namespace_packages: Raw = None,
        names_ok: Raw = None,
        target_python: str | None = None,
        contracts: Raw = None,
    ) -> "Config":
        """Validate raw option values; raises :class:`ConfigError` naming the option and value."""
        return cls(
            allow_dotted=_modules("allow-dotted", allow_dotted, wildcard=True),
            no_from=_modules("no-from", no_from),
            aliases=_aliases(aliases),
            banned=_banned(banned),
            relative=_relative(relative),
            namespace_packages=_folders(namespace_packages),
            names_ok=_modules("names-ok", names_ok),
            target_python=_target(target_python),
            contracts=_contracts(contracts),
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> "Config":
        """A Config from raw values keyed by option name without prefix (``"no-from"``)."""
        unknown = set(values) - set(OPTION_NAMES)
        if unknown:
            raise ValueError(f"unknown options: {sorted(unknown)}")
        kwargs = {name.replace("-", "_"): values[name] for name in OPTION_NAMES if name in values}
        return cls.from_options(**kwargs)  # type: ignore[arg-type]

    def target(self) -> tuple[int, int]:
        """The oldest Python the project runs on: the option's, else the lower bound of the
        project's ``requires-python``, else the running Python's. The project's files are
        read only when a rule first asks (most files never import what IPS205-IPS207 look
        at), once per run (:func:`flake8_importstyle.target.project_default`)."""
        if self.target_python is not None:
            return self.target_python
        if self.project is None:
            return sys.version_info[0], sys.version_info[1]
        from flake8_importstyle.target import project_default

        return project_default(self.project)

    def dotted_allowed(self, module: str) -> bool:
        """Whether ``importstyle-allow-dotted`` exempts *module* from IPS101–IPS103."""
        return any(fnmatch.fnmatchcase(module, pattern) for pattern in self.allow_dotted)

    def no_from_entry(self, module: str) -> str | None:
        """The ``importstyle-no-from`` entry that covers *module*, if any."""
        return next((entry for entry in self.no_from if within(module, entry)), None)

    def banned_entry(self, name: str) -> str | None:
        """The ``importstyle-banned`` entry that covers *name*, the most specific first."""
        hits = [entry for entry in self.banned if within(name, entry)]
        return max(hits, key=len) if hits else None
