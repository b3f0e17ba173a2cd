"""Import contracts (IPS501-IPS503): read from import-linter's own configuration or from
``importstyle-contracts``, and matched against one file's direct imports.

The contract kinds whose answer for one file's direct imports is exact are read:
``forbidden``, ``layers`` and ``independence``. The others (``protected``,
``acyclic_siblings``, custom types) need the whole import graph and are skipped;
import-linter in CI checks them, and the indirect chains of the three read here.

Module expressions follow import-linter: ``*`` stands for one module name,
``**`` for one or more, each a whole part of the dotted name. Modules are
matched as packages (a module and everything inside it), as import-linter does
by default.

Nothing here imports the project; the files are read once per process and
again only when their ``stat`` changes.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Literal, NamedTuple

from flake8_importstyle.config import IMPORTLINTER_FILES, ConfigError, is_dotted_name

Kind = Literal["forbidden", "layers", "independence"]
#: import-linter's contract types this plugin answers for one file.
KINDS: tuple[Kind, ...] = ("forbidden", "layers", "independence")


class ContractFileError(ConfigError):
    """A malformed contract in an import-linter configuration file."""

    def __init__(self, path: str, where: str, value: str, why: str) -> None:
        ValueError.__init__(self, f"flake8-importstyle: {path}: {where}: {value!r} {why}")
        self.option = where
        self.value = value


class Expression(NamedTuple):
    """A module expression: one dotted name, or a pattern with ``*`` / ``**`` parts."""

    text: str
    pattern: re.Pattern[str] | None  # None: a plain name, compared as text

    def matches(self, name: str) -> bool:
        return name == self.text if self.pattern is None else self.pattern.fullmatch(name) is not None


_PART = r"[^.]+"


def _expression_problem(text: str) -> str | None:
    parts = text.split(".")
    last = ""
    for part in parts:
        if part in ("*", "**"):
            if last == "**":
                return "has a wildcard after '**' (import-linter refuses it)"
            if last == "*" and part == "**":
                return "has '**' after '*' (import-linter refuses it)"
            last = part
            continue
        if "*" in part:
            return "has a wildcard that is not a whole part of the name ('a.*', not 'a*')"
        last = ""
    plain = ".".join(p for p in parts if p not in ("*", "**"))
    if not plain or not is_dotted_name(plain):
        return "is not a dotted module name (with '*' or '**' for whole parts)"
    return None


def expression(text: str) -> Expression | str:
    """The expression for *text*, or why it is none (a phrase after the value)."""
    text = text.strip()
    problem = _expression_problem(text)
    if problem is not None:
        return problem
    if "*" not in text:
        return Expression(text, None)
    pieces = [
        rf"{_PART}(?:\.{_PART})*" if part == "**" else _PART if part == "*" else re.escape(part)
        for part in text.split(".")
    ]
    return Expression(text, re.compile(r"\.".join(pieces)))


def ancestors(name: str) -> Iterator[str]:
    """*name* and the packages holding it, innermost first (``a.b.c``, ``a.b``, ``a``)."""
    while name:
        yield name
        name = name.rpartition(".")[0]


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


class Layer(NamedTuple):
    tails: tuple[str, ...]
    independent: bool


class Contract(NamedTuple):
    """One contract, validated. Which fields matter depends on :attr:`kind`."""

    kind: Kind
    name: str
    #: forbidden: the importers; independence: the modules; layers: the containers
    modules: tuple[Expression, ...] = ()
    forbidden: tuple[Expression, ...] = ()
    layers: tuple[Layer, ...] = ()
    ignore: tuple[tuple[Expression, Expression], ...] = ()
    as_packages: bool = True

    def ignores(self, importer: str, imported: Iterable[str]) -> bool:
        return any(
            left.matches(importer) and any(right.matches(name) for name in imported)
            for left, right in self.ignore
        )


class Violation(NamedTuple):
    """One import that breaks a contract: the code, and the message's values."""

    code: str
    module: str
    imported: str
    rule: str
    contract: str

    @property
    def values(self) -> dict[str, str]:
        return {
            "module": self.module, "imported": self.imported, "rule": self.rule, "contract": self.contract
        }


class ContractSet(NamedTuple):
    """The contracts in force, and the import-linter session options that shape them."""

    contracts: tuple[Contract, ...] = ()
    #: import-linter's ``root_packages``: only modules inside them are checked, and other
    #: imported modules count as their top-level package; empty: every module is checked
    roots: tuple[str, ...] = ()
    exclude_type_checking: bool = False

    def __bool__(self) -> bool:
        return bool(self.contracts)

    def checks(self, module: str) -> bool:
        return not self.roots or any(within(module, root) for root in self.roots)

    def graph_names(self, imported: str) -> str:
        """The name import-linter's graph gives an imported module (an outside one: its package)."""
        if self.roots and not any(within(imported, root) for root in self.roots):
            return imported.partition(".")[0]
        return imported

    def merged(self, other: ContractSet) -> ContractSet:
        return ContractSet(
            self.contracts + other.contracts,
            self.roots or other.roots,
            self.exclude_type_checking or other.exclude_type_checking,
        )


def violations(contracts: ContractSet, importer: str, imported: Sequence[str]) -> list[Violation]:
    """What one import of *imported* by the module *importer* breaks.

    *imported* holds the names the import may stand for, the likeliest first
    (``from a.b import c``: ``a.b.c`` when it is a module, else ``a.b``); the first
    that breaks a contract is reported, and an ``ignore_imports`` entry matching any
    of them keeps the import. The importer's side of every contract is worked out
    once per module (:func:`_view`), so an import costs a few lookups per contract
    that concerns the file.
    """
    view = _view(contracts, importer)
    if not view:
        return []
    names = list(dict.fromkeys(contracts.graph_names(name) for name in imported))
    found: list[Violation] = []
    for contract, check in view:
        if contract.ignore and contract.ignores(importer, names):
            continue
        for name in names:
            if within(importer, name) or within(name, importer):
                continue  # a module importing its own package or its own submodule
            hit = check(name)
            if hit is not None:
                found.append(hit)
                break
    return found


Check = Callable[[str], "Violation | None"]
#: Per contract set (kept alive beside its id), each importer's checks.
_VIEWS: dict[int, tuple[ContractSet, dict[str, tuple[tuple[Contract, Check], ...]]]] = {}


def _view(contracts: ContractSet, importer: str) -> tuple[tuple[Contract, Check], ...]:
    entry = _VIEWS.get(id(contracts))
    if entry is None or entry[0] is not contracts:
        if len(_VIEWS) > 8:
            _VIEWS.clear()
        entry = _VIEWS[id(contracts)] = (contracts, {})
    views = entry[1]
    view = views.get(importer)
    if view is None:
        view = views[importer] = tuple(
            (contract, check) for contract in contracts.contracts
            for check in [_importer_side(contract, importer)] if check is not None
        )
    return view


class _Names(NamedTuple):
    """Module expressions, compiled for lookups: plain names in a set, the rest as patterns."""

    plain: frozenset[str]
    patterns: tuple[Expression, ...]
    as_packages: bool

    @classmethod
    def of(cls, expressions: Iterable[Expression], as_packages: bool = True) -> _Names:
        listed = tuple(expressions)
        plain = frozenset(e.text for e in listed if e.pattern is None)
        return cls(plain, tuple(e for e in listed if e.pattern is not None), as_packages)

    def modules(self, name: str) -> list[str]:
        """The modules the expressions name that *name* is part of, the outermost first."""
        names = list(ancestors(name))[::-1] if self.as_packages else [name]
        return [m for m in names if m in self.plain or any(e.matches(m) for e in self.patterns)]


def _apart(one: str, other: str) -> bool:
    return not (within(one, other) or within(other, one))


def _importer_side(contract: Contract, importer: str) -> Check | None:
    """The check of an imported module against *contract*, for imports by *importer*;
    None when the contract does not concern *importer* at all."""
    if contract.kind == "forbidden":
        sources = _Names.of(contract.modules, contract.as_packages).modules(importer)
        if not sources:
            return None
        targets = _Names.of(contract.forbidden, contract.as_packages)

        def forbidden(imported: str) -> Violation | None:
            for target in targets.modules(imported):
                for source in sources:
                    if _apart(source, target):  # import-linter skips overlapping pairs
                        rule = f"{source} -> {target} is forbidden"
                        return _violation("IPS501", contract, importer, imported, rule)
            return None

        return forbidden
    if contract.kind == "independence":
        modules = _Names.of(contract.modules)
        mine = modules.modules(importer)
        if not mine:
            return None

        def independence(imported: str) -> Violation | None:
            for other in modules.modules(imported):
                for own in mine:
                    if _apart(own, other):
                        rule = f"{own} and {other} are independent"
                        return _violation("IPS503", contract, importer, imported, rule)
            return None

        return independence
    return _layers_side(contract, importer)


def _layers_side(contract: Contract, importer: str) -> Check | None:
    tails = {tail: index for index, layer in enumerate(contract.layers) for tail in layer.tails}
    containers = _Names.of(contract.modules).modules(importer) if contract.modules else [""]
    mine = []  # (container, the importer's layer index, the layer's module)
    for container in containers:
        found = _layer_in(tails, container, importer)
        if found is not None:
            mine.append((container, *found))
    if not mine:
        return None

    def layers(imported: str) -> Violation | None:
        for container, low_index, low_name in mine:
            found = _layer_in(tails, container, imported)
            if found is None:
                continue
            high_index, high_name = found
            if high_index < low_index:
                rule = f"layer {low_name} is below {high_name}"
                return _violation("IPS502", contract, importer, imported, rule)
            if high_index == low_index and high_name != low_name and contract.layers[low_index].independent:
                rule = f"layers {low_name} and {high_name} are independent siblings"
                return _violation("IPS502", contract, importer, imported, rule)
        return None

    return layers


def _layer_in(tails: Mapping[str, int], container: str, name: str) -> tuple[int, str] | None:
    """The layer (index, module) that *name* is part of within *container*, if any."""
    if container:
        if not name.startswith(container + "."):
            return None
        rest = name[len(container) + 1:]
    else:
        rest = name
    for tail in list(ancestors(rest))[::-1]:
        index = tails.get(tail)
        if index is not None:
            return index, f"{container}.{tail}" if container else tail
    return None


def _violation(code: str, contract: Contract, importer: str, imported: str, rule: str) -> Violation:
    return Violation(code, importer, imported, rule, contract.name)


# --------------------------------------------------------------------------- reading


def _list(value: object) -> list[str]:
    """A field's items: a TOML list, or INI text split at its lines (import-linter's reading)."""
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        items = str(value).strip().split("\n")
    return [item.strip() for item in items if item.strip()]


class _Reader:
    """Turns one contract's raw fields into a :class:`Contract`; errors name *where* they are."""

    def __init__(self, fail: _Fail, fields: Mapping[str, object]) -> None:
        self.fail = fail
        self.fields = fields

    def expressions(self, key: str, *, required: bool = True) -> tuple[Expression, ...]:
        raw = self.fields.get(key)
        items = _list(raw) if raw is not None else []
        if required and not items:
            self.fail(key, "" if raw is None else str(raw), "is missing: the contract needs it")
        out = []
        for item in items:
            parsed = expression(item)
            if isinstance(parsed, str):
                self.fail(key, item, parsed)
            else:
                out.append(parsed)
        return tuple(out)

    def boolean(self, key: str, default: bool) -> bool:
        raw = self.fields.get(key)
        if raw is None:
            return default
        text = str(raw).strip().lower()
        if text not in ("true", "false"):
            self.fail(key, str(raw), "is not true or false")
        return text == "true"

    def ignore(self) -> tuple[tuple[Expression, Expression], ...]:
        raw = self.fields.get("ignore_imports")
        out = []
        for item in _list(raw) if raw is not None else []:
            left, arrow, right = item.partition("->")
            if not arrow or not left.strip() or not right.strip():
                self.fail("ignore_imports", item, "is not 'importer -> imported'")
            pair = expression(left), expression(right)
            for side, text in zip(pair, (left, right)):
                if isinstance(side, str):
                    self.fail("ignore_imports", item, f"names {text.strip()!r}, which {side}")
            out.append((pair[0], pair[1]))
        return tuple(out)  # type: ignore[arg-type]

    def layers(self) -> tuple[Layer, ...]:
        raw = self.fields.get("layers")
        items = _list(raw) if raw is not None else []
        if not items:
            self.fail("layers", "" if raw is None else str(raw), "is missing: the contract needs it")
        out = []
        seen: set[str] = set()
        for item in items:
            if "|" in item and ":" in item:
                self.fail("layers", item, "mixes '|' (independent) and ':' (not independent) siblings")
            separator = "|" if "|" in item else ":"
            tails = []
            for piece in (p.strip() for p in item.split(separator)):
                tail = piece[1:-1].strip() if piece.startswith("(") and piece.endswith(")") else piece
                if not is_dotted_name(tail):
                    self.fail("layers", item, f"names {piece!r}, which is not a dotted module name")
                if tail in seen:
                    self.fail("layers", item, f"names {tail!r} a second time: a module is in one layer")
                seen.add(tail)
                tails.append(tail)
            out.append(Layer(tuple(tails), separator == "|" or len(tails) == 1))
        return tuple(out)


class _Fail:
    def __init__(self, path: str, where: str) -> None:
        self.path = path
        self.where = where

    def __call__(self, key: str, value: str, why: str) -> None:
        raise ContractFileError(self.path, f"{self.where} {key}", value, why)


def contract_from_fields(path: str, where: str, fields: Mapping[str, object]) -> Contract | None:
    """A contract from import-linter's fields (``name``, ``type``, ...), or None for a kind
    that needs the whole graph; raises :class:`ContractFileError` for a malformed one."""
    fail = _Fail(path, where)
    kind = str(fields.get("type", "")).strip()
    if kind not in KINDS:
        if not kind:
            fail("type", "", "is missing: say forbidden, layers, independence (or another type)")
        return None
    name = str(fields.get("name", "")).strip() or where
    read = _Reader(fail, fields)
    ignore = read.ignore()
    if kind == "forbidden":
        return Contract(
            "forbidden", name, read.expressions("source_modules"), read.expressions("forbidden_modules"),
            ignore=ignore, as_packages=read.boolean("as_packages", True),
        )
    if kind == "independence":
        return Contract("independence", name, read.expressions("modules"), ignore=ignore)
    return Contract("layers", name, read.expressions("containers", required=False), layers=read.layers(),
                    ignore=ignore)


class _Session(NamedTuple):
    """import-linter's session options: its top-level section."""

    roots: tuple[str, ...]
    exclude_type_checking: bool
    include_external: bool


def _session(path: str, section: str, fields: Mapping[str, object]) -> _Session:
    raw = fields.get("root_packages", fields.get("root_package"))
    roots = tuple(_list(raw)) if raw is not None else ()
    for root in roots:
        if not is_dotted_name(root):
            raise ContractFileError(path, f"[{section}] root_packages", root, "is not a dotted module name")
    exclude = str(fields.get("exclude_type_checking_imports", "")).strip().lower() == "true"
    include = str(fields.get("include_external_packages", "")).strip().lower() == "true"
    return _Session(roots, exclude, include)


def _check_externals(path: str, where: str, contract: Contract, session: _Session) -> None:
    """What import-linter refuses of a forbidden contract's modules outside the root packages:
    any, unless ``include_external_packages = True``; with it, one below an outside package's
    top level (its graph holds outside packages as their top-level names only). Patterns
    are matched against the graph's modules, which one file cannot list: they pass."""
    if contract.kind != "forbidden" or not session.roots:
        return
    for forbidden in contract.forbidden:
        name = forbidden.text
        if forbidden.pattern is not None or any(within(name, root) for root in session.roots):
            continue
        if not session.include_external:
            why = (
                "is outside the root packages: import-linter checks an outside package only with "
                "include_external_packages = True in its top-level section"
            )
            raise ContractFileError(path, f"{where} forbidden_modules", name, why)
        if "." in name:
            top = name.partition(".")[0]
            why = f"is inside the outside package {top!r}: import-linter forbids outside packages whole"
            raise ContractFileError(path, f"{where} forbidden_modules", name, why)


def read_ini(path: str, text: str) -> ContractSet | None:
    """import-linter's contracts in an INI file (``setup.cfg``, ``.importlinter``), or None
    when it has no ``[importlinter]`` section."""
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ContractFileError(path, "file", first, "cannot be read as INI") from None
    if not parser.has_section("importlinter"):
        return None
    try:
        session = _session(path, "importlinter", dict(parser["importlinter"]))
        contracts = []
        for section in parser.sections():
            if not section.startswith("importlinter:"):
                continue
            contract = contract_from_fields(path, f"[{section}]", dict(parser[section]))
            if contract is not None:
                _check_externals(path, f"[{section}]", contract, session)
                contracts.append(contract)
    except configparser.Error as exc:  # interpolation errors surface when a value is read
        raise ContractFileError(path, "file", str(exc).splitlines()[0], "cannot be read as INI") from None
    return ContractSet(tuple(contracts), session.roots, session.exclude_type_checking)


def read_toml(path: str, text: str) -> ContractSet | None:
    """import-linter's contracts in ``pyproject.toml``'s ``[tool.importlinter]``, or None."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContractFileError(path, "file", str(exc), "cannot be read as TOML") from None
    tool = data.get("tool")
    session = tool.get("importlinter") if isinstance(tool, dict) else None
    if not isinstance(session, dict) or not session:
        return None
    raw_contracts = session.get("contracts", [])
    if not isinstance(raw_contracts, list) or not all(isinstance(c, dict) for c in raw_contracts):
        where = "[tool.importlinter] contracts"
        raise ContractFileError(path, where, str(raw_contracts), "is not a list of tables")
    options = {k: (str(v) if isinstance(v, bool) else v) for k, v in session.items()}
    found = _session(path, "tool.importlinter", options)
    contracts = []
    for index, fields in enumerate(raw_contracts):
        normal = {k: (str(v) if isinstance(v, bool) else v) for k, v in fields.items()}
        where = f"[[tool.importlinter.contracts]] {normal.get('id') or index + 1}"
        contract = contract_from_fields(path, where, normal)
        if contract is not None:
            _check_externals(path, where, contract, found)
            contracts.append(contract)
    return ContractSet(tuple(contracts), found.roots, found.exclude_type_checking)


#: Parsed files, keyed by path, with the ``stat`` they were read at.
_FILES: dict[str, tuple[tuple[int, int], ContractSet | None]] = {}


def read_file(path: str) -> ContractSet | None:
    """The contracts *path* holds (None: no import-linter section), read again only when the
    file's size or modification time changed."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _FILES.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    found: ContractSet | None = None
    if "importlinter" in text:  # the cheap test first: most setup.cfg files have none
        found = read_toml(path, text) if path.endswith(".toml") else read_ini(path, text)
    _FILES[path] = (key, found)
    return found


def project_contracts(folder: str | None) -> ContractSet:
    """import-linter's configuration in *folder*: the first of its files (in the order
    import-linter reads them) that holds an import-linter section."""
    if folder is None:
        return ContractSet()
    for name in IMPORTLINTER_FILES:
        found = read_file(os.path.join(folder, name))
        if found is not None:
            return found
    return ContractSet()


# --------------------------------------------------------------------------- the option

_OPTION_LINE = re.compile(
    r"(?P<kind>forbidden|layers|independence)(?:\s+in\s+(?P<containers>[^:]+?))?\s*:\s*(?P<spec>.*)"
)
_OPTION = "contracts"


def _option_expressions(line: str, text: str) -> tuple[Expression, ...]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise ConfigError(_OPTION, line, "names no module")
    out = []
    for item in items:
        parsed = expression(item)
        if isinstance(parsed, str):
            raise ConfigError(_OPTION, line, f"names {item!r}, which {parsed}")
        out.append(parsed)
    return tuple(out)


def parse_option(raw: str | Iterable[str] | None) -> tuple[Contract, ...]:
    """The contracts of ``importstyle-contracts``, one per line::

        forbidden: myproj.domain, myproj.models -> myproj.web, sqlalchemy
        layers: myproj.web > myproj.services | myproj.api > myproj.domain
        layers in myproj.apps.*: views > models
        independence: myproj.blue, myproj.green
        forbidden: myproj.domain -> myproj.web; ignore: myproj.domain.admin -> myproj.web.forms

    A contract is named by its own line in the messages (without its ``ignore``). After
    ``; ignore:``, imports the contract lets through, ``importer -> imported`` separated
    by commas, with wildcards as in import-linter's ``ignore_imports``.
    """
    if raw is None:
        return ()
    texts = [raw] if isinstance(raw, str) else list(raw)
    contracts = []
    for line in (piece.strip() for text in texts for piece in text.splitlines()):
        if not line:
            continue
        line, _, ignored = (part.strip() for part in line.partition(";"))
        ignore = _option_ignore(line, ignored) if ignored else ()
        match = _OPTION_LINE.fullmatch(line)
        if match is None:
            why = "is not 'forbidden: A -> B', 'layers: HIGH > LOW' or 'independence: A, B'"
            raise ConfigError(_OPTION, line, why)
        kind, spec = match.group("kind"), match.group("spec")
        containers = match.group("containers")
        if containers is not None and kind != "layers":
            raise ConfigError(_OPTION, line, "has 'in CONTAINERS', which only layers take")
        if kind == "forbidden":
            left, arrow, right = spec.partition("->")
            if not arrow:
                raise ConfigError(_OPTION, line, "is not 'forbidden: IMPORTERS -> IMPORTED'")
            contracts.append(
                Contract(
                    "forbidden", line, _option_expressions(line, left), _option_expressions(line, right),
                    ignore=ignore,
                )
            )
        elif kind == "independence":
            modules = _option_expressions(line, spec)
            if len(modules) < 2:
                raise ConfigError(_OPTION, line, "names one module: independence needs two or more")
            contracts.append(Contract("independence", line, modules, ignore=ignore))
        else:
            reader = _Reader(_option_fail(line), {"layers": [p for p in spec.split(">")]})
            layers = reader.layers()
            if len(layers) < 2 and len(layers[0].tails) < 2:
                raise ConfigError(_OPTION, line, "names one layer: write 'HIGH > LOW'")
            found = _option_expressions(line, containers) if containers is not None else ()
            contracts.append(Contract("layers", line, found, layers=layers, ignore=ignore))
    return tuple(contracts)


def _option_ignore(line: str, text: str) -> tuple[tuple[Expression, Expression], ...]:
    """The ``ignore: a -> b, c -> d`` after a contract's ``;``."""
    head, colon, pairs = text.partition(":")
    shown = f"{line}; {text}"
    if head.strip() != "ignore" or not colon or not pairs.strip():
        why = "has something after ';' that is not 'ignore: IMPORTER -> IMPORTED'"
        raise ConfigError(_OPTION, shown, why)
    fields = {"ignore_imports": [pair for pair in pairs.split(",") if pair.strip()]}
    return _Reader(_option_fail(shown), fields).ignore()


class _option_fail(_Fail):
    def __init__(self, line: str) -> None:
        super().__init__("", "")
        self.line = line

    def __call__(self, key: str, value: str, why: str) -> None:
        raise ConfigError(_OPTION, self.line, f"has {value!r}, which {why}" if value != self.line else why)
