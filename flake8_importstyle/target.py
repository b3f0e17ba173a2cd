"""The Python a project targets: ``importstyle-target-python``, else the lower bound of the
project's ``requires-python``, else the Python that runs the check (IPS205, IPS206, IPS207).

Nothing here imports or runs the project: ``pyproject.toml`` is read with ``tomllib``
(``tomli`` before Python 3.11), ``setup.cfg`` with ``configparser``.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from functools import lru_cache

Version = tuple[int, int]

#: flake8's own config files, in the order it reads them.
FLAKE8_CONFIGS = ("setup.cfg", "tox.ini", ".flake8")

#: (the patterns are compiled on first use, by ``re``'s own cache: every lint imports this
#: module to find the project's folder, few need a version read)
_VERSION = r"3\.(0|[1-9][0-9]?)"
#: one clause of a version specifier (PEP 440), the version cut to major.minor
_CLAUSE = r"\s*(~=|===|==|!=|<=|>=|<|>)\s*v?([0-9]+)(?:\.([0-9]+))?[0-9A-Za-z.*+!-]*\s*"


def running() -> Version:
    return sys.version_info[0], sys.version_info[1]


def parse_version(text: str) -> Version | None:
    """``(3, 10)`` for ``"3.10"``; None for anything that is not a Python 3 major.minor."""
    match = re.fullmatch(_VERSION, text.strip())
    return (3, int(match.group(1))) if match else None


def lower_bound(specifier: str) -> Version | None:
    """The oldest Python 3 major.minor a PEP 440 specifier admits (``>=3.9,<4`` -> 3.9).

    ``>=``, ``~=``, ``==`` and ``===`` set a bound; ``>3.9`` admits 3.9.1, so its bound is
    3.9; ``<``, ``<=`` and ``!=`` set none. None when no clause sets a bound, or when a
    clause cannot be read (the fallback, the running Python, is then used).
    """
    bounds: list[Version] = []
    for clause in specifier.split(","):
        if not clause.strip():
            continue
        match = re.fullmatch(_CLAUSE, clause)
        if match is None:
            return None
        op, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if op in ("<", "<=", "!="):
            continue
        if major < 3:  # `>=2.7`: every Python 3 qualifies
            bounds.append((3, 0))
        elif major == 3:
            bounds.append((3, minor))
        else:
            return None
    return max(bounds) if bounds else None


def _requires_python_pyproject(path: str) -> str | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError):  # unreadable or not TOML: pip would refuse it too
        return None
    project = data.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    return value if isinstance(value, str) else None


def _requires_python_setup_cfg(path: str) -> str | None:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    if parser.has_option("options", "python_requires"):
        return parser.get("options", "python_requires")
    return None


def project_target(folder: str) -> Version | None:
    """The lower bound of ``requires-python`` in *folder*'s ``pyproject.toml``, or of
    ``python_requires`` in its ``setup.cfg``; None when neither says."""
    for name, read in (
        ("pyproject.toml", _requires_python_pyproject),
        ("setup.cfg", _requires_python_setup_cfg),
    ):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            specifier = read(path)
            if specifier:
                bound = lower_bound(specifier)
                if bound is not None:
                    return bound
    return None


def _stat_key(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_dev


def folders_up(start: str) -> list[str]:
    """*start* and the folders above it that flake8 searches for its config file: it stops
    below the user's home folder (a ``~/setup.cfg`` is never a project's) and at the root."""
    home = os.path.expanduser("~")
    try:
        home_key = _stat_key(home) if home != "~" else None
    except OSError:
        home_key = None
    folder = os.path.abspath(start)
    folders = [folder]
    try:
        key = _stat_key(folder)
        while True:
            parent = os.path.dirname(folder)
            parent_key = _stat_key(parent)
            if parent_key == key or parent_key == home_key:
                return folders
            folder, key = parent, parent_key
            folders.append(folder)
    except OSError:  # a folder that vanished or cannot be read: search no higher
        return folders


def find_config_file(start: str | None = None) -> str | None:
    """The config file flake8 finds from *start* (the current folder) when neither
    ``--config`` nor ``--isolated`` is given: what ``flake8.options.config._find_config_file``
    does (a test holds the two equal), the first of setup.cfg, tox.ini, .flake8 with a
    ``[flake8]`` (or ``[flake8:local-plugins]``) section in *start* or above, a file that does
    not parse passed over. Only a file that exists is parsed: flake8 builds a config parser
    for each of the nine or so names it tries, which cost more than the rest of a lint's
    start (a missing file reads as empty there, so the answer is the same)."""
    for folder in folders_up(os.path.abspath(start or os.getcwd())):
        for name in FLAKE8_CONFIGS:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                continue
            parser = configparser.RawConfigParser()
            try:
                parser.read(path, encoding="UTF-8")
            except (UnicodeDecodeError, configparser.ParsingError):
                continue
            if "flake8" in parser or "flake8:local-plugins" in parser:
                return path
    return None


def pyproject_config() -> str | None:
    """The ``pyproject.toml`` whose ``[tool.flake8]`` table Flake8-pyproject reads instead
    of flake8's config file, when flake8 has loaded that plugin in this process (its hook
    replaces ``flake8.options.config.parse_config``); None otherwise."""
    hook = sys.modules.get("flake8p.hook")
    if hook is None:
        return None
    toml = getattr(hook, "toml_config", None)  # set from --toml-config; pyproject.toml by default
    path = os.path.abspath(os.fspath(toml) if isinstance(toml, (str, os.PathLike)) else "pyproject.toml")
    return path if _has_tool_flake8(path) else None


def _has_tool_flake8(path: str) -> bool:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "flake8" in tool


def config_folder(config: str | None, *, isolated: bool = False, start: str | None = None) -> str | None:
    """The folder of the configuration flake8 reads, which its paths are relative to: the
    ``pyproject.toml`` Flake8-pyproject reads (even under ``--isolated``, as that plugin
    does), else *config* (``--config``), else the file flake8's search finds from *start*;
    None when it reads none."""
    toml = pyproject_config()
    if toml is not None:
        return os.path.dirname(toml)
    if isolated:
        return None
    if config:
        return os.path.dirname(os.path.abspath(config))
    found = find_config_file(start)
    return os.path.dirname(found) if found is not None else None


def project_folder(config: str | None, start: str | None = None, *, isolated: bool = False) -> str | None:
    """The folder of the configuration flake8 reads (:func:`config_folder`), else (but for
    ``--isolated``) the nearest folder at or above *start*, below the home folder as flake8
    searches, with a ``pyproject.toml`` or ``setup.cfg``."""
    folder = config_folder(config, isolated=isolated, start=start)
    if folder is not None or isolated:
        return folder
    for candidate in folders_up(start or os.getcwd()):
        if any(os.path.isfile(os.path.join(candidate, n)) for n in ("pyproject.toml", "setup.cfg")):
            return candidate
    return None


@lru_cache(maxsize=64)
def project_default(folder: str) -> Version:
    """:func:`target_for` the project in *folder* when the option says nothing, read once
    per run: the flake8 adapter calls ``project_default.cache_clear()`` whenever flake8
    (re)reads its options, so a long-lived process sees an edited ``requires-python``."""
    return target_for(None, folder)


def target_for(option: str | None, folder: str | None) -> Version:
    """The target: the option's value (already validated), else the project's, else the
    running Python's."""
    if option:
        parsed = parse_version(option)
        if parsed is not None:
            return parsed
    if folder is not None:
        found = project_target(folder)
        if found is not None:
            return found
    return running()
