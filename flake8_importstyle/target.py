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

Version = tuple[int, int]

#: flake8's own config files, in the order it reads them.
FLAKE8_CONFIGS = ("setup.cfg", "tox.ini", ".flake8")

_VERSION = re.compile(r"3\.(0|[1-9][0-9]?)")
#: one clause of a version specifier (PEP 440), the version cut to major.minor
_CLAUSE = re.compile(r"\s*(~=|===|==|!=|<=|>=|<|>)\s*v?([0-9]+)(?:\.([0-9]+))?[0-9A-Za-z.*+!-]*\s*")


def running() -> Version:
    return sys.version_info[0], sys.version_info[1]


def parse_version(text: str) -> Version | None:
    """``(3, 10)`` for ``"3.10"``; None for anything that is not a Python 3 major.minor."""
    match = _VERSION.fullmatch(text.strip())
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
        match = _CLAUSE.fullmatch(clause)
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


def project_folder(config: str | None, start: str | None = None) -> str | None:
    """The folder of the config file flake8 reads (*config*, if given; else the first of
    setup.cfg, tox.ini, .flake8 with a ``[flake8]`` section in *start* or above), else the
    nearest folder at or above *start* with a ``pyproject.toml`` or ``setup.cfg``."""
    if config:
        return os.path.dirname(os.path.abspath(config))
    folder = os.path.abspath(start or os.getcwd())
    candidates = [folder]
    while True:
        parent = os.path.dirname(candidates[-1])
        if parent == candidates[-1]:
            break
        candidates.append(parent)
    for candidate in candidates:
        for name in FLAKE8_CONFIGS:
            path = os.path.join(candidate, name)
            if os.path.isfile(path) and _has_flake8_section(path):
                return candidate
    for candidate in candidates:
        if any(os.path.isfile(os.path.join(candidate, n)) for n in ("pyproject.toml", "setup.cfg")):
            return candidate
    return None


def _has_flake8_section(path: str) -> bool:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section("flake8")


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
