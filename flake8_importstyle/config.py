"""One frozen, validated :class:`Config`, built once from flake8's options (or the fixer's)."""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple, cast

from flake8_importstyle.conventions import DEFAULT_ALIASES

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
)
Relative = Literal["allow", "siblings", "never"]


class ConfigError(ValueError):
    """A bad option value; ``str()`` is the one line the user sees."""

    def __init__(self, option: str, value: str, why: str) -> None:
        super().__init__(f"flake8-importstyle: importstyle-{option}: {value!r} {why}")
        self.option = option
        self.value = value


def is_dotted_name(text: str) -> bool:
    """``a.b.c`` where every part is a Python identifier."""
    return bool(text) and all(part.isidentifier() for part in text.split("."))


def within(name: str, package: str) -> bool:
    """Whether *name* is *package* or something inside it (``a.b.c`` is within ``a.b``)."""
    return name == package or name.startswith(package + ".")


def _items(raw: str | Iterable[str] | None) -> list[str]:
    """Comma- or newline-separated items, stripped, empties dropped."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    return [piece.strip() for item in raw for piece in item.replace("\n", ",").split(",") if piece.strip()]


def _modules(option: str, raw: str | Iterable[str] | None, *, wildcard: bool = False) -> tuple[str, ...]:
    out = []
    for item in _items(raw):
        name = item[:-2] if wildcard and item.endswith(".*") else item
        if not is_dotted_name(name):
            raise ConfigError(option, item, "is not a dotted module name")
        out.append(item)
    return tuple(out)


def _aliases(raw: str | Iterable[str] | None) -> Mapping[str, str]:
    aliases = dict(DEFAULT_ALIASES)
    for item in _items(raw):
        module, sep, alias = (part.strip() for part in item.partition("="))
        if not sep or "=" in alias:
            raise ConfigError("aliases", item, "is not 'module=alias' (or 'module=' to drop a default)")
        if not is_dotted_name(module):
            raise ConfigError("aliases", item, f"names {module!r}, which is not a dotted module name")
        if not alias:
            aliases.pop(module, None)
        elif not alias.isidentifier():
            raise ConfigError("aliases", item, f"names {alias!r}, which is not an identifier")
        else:
            aliases[module] = alias
    return MappingProxyType(aliases)


def _banned(raw: str | Iterable[str] | None) -> Mapping[str, str]:
    lines = [raw] if isinstance(raw, str) else list(raw or ())
    banned: dict[str, str] = {}
    for line in (piece.strip() for text in lines for piece in text.splitlines()):
        if not line:
            continue
        module, sep, reason = (part.strip() for part in line.partition("="))
        if not sep:
            raise ConfigError("banned", line, "is not 'module = reason'")
        if not is_dotted_name(module):
            raise ConfigError("banned", line, f"names {module!r}, which is not a dotted module name")
        banned[module] = reason
    return MappingProxyType(banned)


def _relative(raw: str | None) -> Relative:
    value = (raw or "allow").strip()
    if value not in RELATIVE_CHOICES:
        raise ConfigError("relative", value, f"is not one of {', '.join(RELATIVE_CHOICES)}")
    return cast(Relative, value)


def _folders(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    out = []
    for item in _items(raw):
        if any(c in item for c in "*?["):
            why = "is a pattern, not a folder (a folder covers the folders below it)"
            raise ConfigError("namespace-packages", item, why)
        out.append(item)
    return tuple(out)


def _target(raw: str | None) -> tuple[int, int]:
    from flake8_importstyle.target import parse_version, running

    if raw is None or not raw.strip():
        return running()
    parsed = parse_version(raw)
    if parsed is None:
        raise ConfigError("target-python", raw.strip(), "is not a Python version such as 3.10")
    return parsed


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
    #: the oldest Python the project runs on (IPS205-IPS207); the running one if not said
    target_python: tuple[int, int] = (sys.version_info[0], sys.version_info[1])

    @classmethod
    def from_options(
        cls,
        *,
        allow_dotted: str | Iterable[str] | None = None,
        no_from: str | Iterable[str] | None = None,
        aliases: str | Iterable[str] | None = None,
        banned: str | Iterable[str] | None = None,
        relative: str | None = None,
        namespace_packages: str | Iterable[str] | None = None,
        names_ok: str | Iterable[str] | None = None,
        target_python: str | None = None,
    ) -> Config:
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
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Config:
        """A Config from raw values keyed by option name without prefix (``"no-from"``)."""
        unknown = set(values) - set(OPTION_NAMES)
        if unknown:
            raise ValueError(f"unknown options: {sorted(unknown)}")
        kwargs = {name.replace("-", "_"): values[name] for name in OPTION_NAMES if name in values}
        return cls.from_options(**kwargs)  # type: ignore[arg-type]

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
