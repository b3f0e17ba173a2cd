"""The flake8 adapter: options in, findings out; nothing else.

flake8 imports this module on every start, ``flake8 --version`` too, so it
imports next to nothing itself: the rules are imported when the first file
is checked, the resolver when a rule needs it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from flake8_importstyle import __version__
from flake8_importstyle.config import OPTION_NAMES, RELATIVE_CHOICES, Config, ConfigError

if TYPE_CHECKING:
    import argparse

    from flake8.options.manager import OptionManager

    from flake8_importstyle.rules.base import Finding

#: Reported, instead of aborting flake8's whole run, if a rule ever fails on a file.
INTERNAL_ERROR = "IPS001"
#: The entry point's code prefix (setup.cfg: ``IPS = flake8_importstyle.plugin:Plugin``).
PREFIX = "IPS"
#: The codes flake8 ignores until they are selected: those of the rules whose
#: ``default`` is "off" (tests/test_long_lived.py checks the two agree). Written
#: out here so that ``add_options``, which ``flake8 --version`` runs too, needs
#: no rule module.
OFF_BY_DEFAULT = ("IPS401", "IPS403", "IPS404")

OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--importstyle-allow-dotted",
        {
            "comma_separated_list": True,
            "metavar": "MODULES",
            "help": "Modules exempt from IPS101-IPS103 ('xml.*' means every submodule of xml).",
        },
    ),
    (
        "--importstyle-no-from",
        {
            "comma_separated_list": True,
            "metavar": "MODULES",
            "help": "Modules (and their submodules) to import whole, never 'from m import x' (IPS105).",
        },
    ),
    (
        "--importstyle-aliases",
        {
            # not comma_separated_list: flake8 would also split 'numpy = np' at its spaces
            "metavar": "MODULE=ALIAS",
            "help": "Alias conventions added to (or, with 'module=', removed from) the defaults (IPS106).",
        },
    ),
    (
        "--importstyle-banned",
        {
            "metavar": "LINES",
            "help": "One 'module = reason' per line: modules and names that must not be imported (IPS107).",
        },
    ),
    (
        "--importstyle-relative",
        {
            "metavar": "POLICY",
            "help": f"Relative imports: {', '.join(RELATIVE_CHOICES)} (default: allow) (IPS108).",
        },
    ),
    (
        "--importstyle-namespace-packages",
        {
            "comma_separated_list": True,
            "metavar": "FOLDERS",
            "help": "Folders (and the folders below them) that are namespace packages on purpose (IPS401).",
        },
    ),
    (
        "--importstyle-names-ok",
        {
            "comma_separated_list": True,
            "metavar": "MODULES",
            "help": "Modules (and their submodules) whose names may be imported under IPS403.",
        },
    ),
    (
        "--importstyle-target-python",
        {
            "metavar": "VERSION",
            "help": (
                "The oldest Python the project runs on, such as 3.10 (IPS205-IPS207; default: the lower "
                "bound of requires-python in pyproject.toml or setup.cfg, else the running Python)."
            ),
        },
    ),
    (
        "--importstyle-contracts",
        {
            "metavar": "LINES",
            "help": (
                "Import contracts, one per line: 'forbidden: A -> B', 'layers: HIGH > LOW', "
                "'independence: A, B' (IPS501-IPS503; import-linter's own configuration is read too)."
            ),
        },
    ),
)


class Plugin:
    """flake8 calls ``parse_options`` once per process, then ``run`` per file."""

    name = "flake8-importstyle"
    version = __version__

    config: ClassVar[Config] = Config()
    #: The codes flake8 reports with this configuration (None: the rules' defaults).
    codes: ClassVar[frozenset[str] | None] = None

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: OptionManager) -> None:
        for flag, kwargs in OPTIONS:
            manager.add_option(flag, default=None, parse_from_config=True, **kwargs)
        manager.extend_default_ignore(list(OFF_BY_DEFAULT))

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Called whenever flake8 starts a run, again and again in a process
        that runs flake8 lint after lint (an editor's language server): the
        resolver's answers are forgotten here, so each run sees the files as
        they are now. (A resolver not imported yet has nothing to forget: it is
        imported only for the files whose rules need it.)"""
        import sys

        resolve = sys.modules.get("flake8_importstyle.resolve")
        if resolve is not None:
            resolve.new_run()
        target = sys.modules.get("flake8_importstyle.target")
        if target is not None:
            target.project_default.cache_clear()
        try:
            cls.config = Config.from_mapping(
                {name: getattr(options, "importstyle_" + name.replace("-", "_")) for name in OPTION_NAMES}
            )
        except ConfigError as exc:
            # One line on stderr and exit status 1, never a traceback.
            raise SystemExit(str(exc)) from None
        cls.codes = selected_codes(options)
        wants_target = cls.config.target_python is None
        wants_contracts = cls.codes is None or not cls.codes.isdisjoint(CONTRACT_CODES)
        if not (wants_target or wants_contracts):
            return
        folder = _project_folder()  # once: the command line re-read, the folders walked
        if wants_target:
            # read when a rule first needs it (Config.target): most files never do
            cls.config = cls.config._replace(project=folder)
        if wants_contracts:
            try:
                cls.config = _with_project_contracts(cls.config, folder)
            except ConfigError as exc:
                raise SystemExit(str(exc)) from None

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        try:
            findings = check_tree(self.tree, self.lines, self.filename, self.config, self.codes)
        except (KeyboardInterrupt, SystemExit, GeneratorExit):  # pragma: no cover
            raise
        except BaseException as exc:  # noqa: B036 - a plugin's exception aborts all of flake8
            yield (
                1,
                0,
                f"{INTERNAL_ERROR} flake8-importstyle could not check this file "
                f"({type(exc).__name__}: {exc}); please report it",
                type(self),
            )
            return
        for f in findings:
            yield f.line, f.col, f"{f.code} {f.message}", type(self)


def check_tree(
    tree: ast.AST, lines: Sequence[str], filename: str, config: Config, codes: frozenset[str] | None
) -> list[Finding]:
    """:func:`flake8_importstyle.rules.check_tree`, the rules imported on the first call."""
    from flake8_importstyle.rules import check_tree as check

    return check(tree, lines, filename, config, codes)


#: The codes whose rules read import-linter's configuration.
CONTRACT_CODES = frozenset({"IPS501", "IPS502", "IPS503"})


def _with_project_contracts(config: Config, folder: str | None) -> Config:
    """*config* with the contracts of the project's import-linter configuration added
    (read once per file version, see :func:`flake8_importstyle.contracts.read_file`).

    Most projects have none: :mod:`flake8_importstyle.contracts` is imported only when
    one of import-linter's files in *folder* mentions it."""
    import os

    from flake8_importstyle.config import IMPORTLINTER_FILES

    where = folder or os.getcwd()
    if not any(_mentions_importlinter(os.path.join(where, name)) for name in IMPORTLINTER_FILES):
        return config
    from flake8_importstyle.contracts import ContractSet, project_contracts

    found = project_contracts(where)
    if not found:
        return config
    return config._replace(contracts=(config.contracts or ContractSet()).merged(found))


def _mentions_importlinter(path: str) -> bool:
    """Whether the file *path* can hold an import-linter section (False if it cannot be read:
    :func:`flake8_importstyle.contracts.read_file` reads nothing from it either)."""
    try:
        with open(path, "rb") as handle:
            return b"importlinter" in handle.read()
    except (OSError, ValueError):
        return False


def _project_folder() -> str | None:
    """The project's folder, where its config file is.

    flake8 keeps ``--config`` and ``--isolated`` from the options it hands to plugins, so
    they are read again from the command line when flake8 is the program running (the
    command, ``python -m flake8``, or one of its ``-j`` workers); otherwise, as when
    flake8 is driven through its API, the config is looked for from the current folder.
    (``--append-config`` adds options, not a folder; Flake8-pyproject's ``pyproject.toml``
    is found by ``project_folder``.)
    """
    import os
    import sys

    from flake8_importstyle.target import project_folder

    config: str | None = None
    isolated = False
    argv0 = sys.argv[0] if sys.argv else ""
    program = os.path.basename(os.path.dirname(argv0) if argv0.endswith("__main__.py") else argv0)
    if program.removesuffix(".exe") == "flake8" and any(  # not flake8-importstyle, the fixer
        arg.startswith(("--c", "--i")) for arg in sys.argv[1:]  # argparse takes '--conf' for '--config'
    ):
        from flake8.main.options import stage1_arg_parser

        try:
            first, _ = stage1_arg_parser().parse_known_args(sys.argv[1:])
        except SystemExit:  # pragma: no cover - flake8 itself has refused this command line
            first = None
        config = getattr(first, "config", None)
        isolated = bool(getattr(first, "isolated", False))
    return project_folder(config, isolated=isolated)


def selected_codes(options: argparse.Namespace) -> frozenset[str] | None:
    """The plugin's codes to check under *options*' ``select`` and ``ignore``.

    A code runs when flake8 would report it, so a rule whose findings would
    all be dropped costs nothing. An opt-in code (IPS401, IPS403) also needs
    a ``select`` or ``extend-select`` entry that names it more closely than
    the plugin's prefix (``IPS401``, ``IPS4``): ``extend-select = IPS``, the
    usual way to add the plugin to a narrowed ``select``, keeps them off,
    although flake8 alone would let an explicit ``IPS`` override their
    default ``ignore``. None (the rules' defaults) when *options* did not
    come from flake8's option parser.
    """
    if not hasattr(options, "extended_default_ignore"):
        return None
    from flake8.style_guide import Decision, DecisionEngine

    from flake8_importstyle.rules import CODES

    engine = DecisionEngine(options)
    chosen = [*(getattr(options, "select", None) or ()), *(getattr(options, "extend_select", None) or ())]

    def named(code: str) -> bool:
        return any(code.startswith(entry) and len(entry) > len(PREFIX) for entry in chosen)

    return frozenset(
        code
        for code in CODES
        if engine.decision_for(code) is Decision.Selected and (code not in OFF_BY_DEFAULT or named(code))
    )
