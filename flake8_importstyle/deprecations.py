"""Data tables: standard-library modules that Python deprecated and removed (IPS206), and
``pkg_resources``, which setuptools removed (IPS207).

Each module entry gives the Python versions that deprecated and removed it and what to
use instead, as the "What's New" pages and the module's own documentation give them; an
entry for a member (``pipes.quote``) gives that member's own replacement. A deprecated
module counts only with a removal scheduled, so every entry has both versions (the
``sre_*`` modules' 3.15 is that release's "What's New"). The deprecation is the first
release whose documentation deprecates the module. Where PEP 632 names no replacement
for a distutils member (``copy_tree``, ``mkpath``, ``copy_file``, the sysconfig paths),
the entry gives the stdlib function that does the same. ``imp`` is IPS205's
(:mod:`flake8_importstyle.apis`).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


class Removal(NamedTuple):
    deprecated: str
    removed: str
    #: what to use instead; None where the documentation names nothing
    replacement: str | None
    #: said after the replacement (or its absence)
    note: str = ""

    @property
    def advice(self) -> str:
        """``use X`` or ``the standard library has no replacement``, with the note."""
        said = f"use {self.replacement}" if self.replacement else "the standard library has no replacement"
        return f"{said}; {self.note}" if self.note else said

    @property
    def removed_version(self) -> tuple[int, int]:
        major, minor = self.removed.split(".")
        return int(major), int(minor)

    @property
    def deprecated_version(self) -> tuple[int, int]:
        major, minor = self.deprecated.split(".")
        return int(major), int(minor)


def _pep594(replacement: str | None, note: str = "") -> Removal:
    """PEP 594's "dead batteries": deprecated in 3.11, removed in 3.13."""
    return Removal("3.11", "3.13", replacement, note)


def _distutils(replacement: str | None, note: str = "") -> Removal:
    """PEP 632: distutils, deprecated in 3.10, removed in 3.12."""
    return Removal("3.10", "3.12", replacement, note)


REMOVED_MODULES = MappingProxyType(
    {
        # Python 3.10 and 3.11
        "formatter": Removal("3.4", "3.10", None),
        "parser": Removal("3.9", "3.10", "ast"),
        "symbol": Removal("3.9", "3.10", None),
        "binhex": Removal("3.9", "3.11", None),
        # Python 3.12
        "asynchat": Removal("3.6", "3.12", "asyncio"),
        "asyncore": Removal("3.6", "3.12", "asyncio"),
        "smtpd": Removal("3.6", "3.12", "the aiosmtpd package, or another asyncio-based server"),
        "distutils": _distutils(
            "setuptools, packaging, shutil or sysconfig", "see PEP 632's migration advice"
        ),
        "distutils.ccompiler": _distutils("setuptools"),
        "distutils.cmd.Command": _distutils("setuptools.Command"),
        "distutils.command": _distutils("setuptools.command"),
        "distutils.core.setup": _distutils("setuptools.setup"),
        "distutils.core.Extension": _distutils("setuptools.Extension"),
        "distutils.extension.Extension": _distutils("setuptools.Extension"),
        "distutils.errors": _distutils("setuptools.errors"),
        "distutils.fancy_getopt": _distutils("argparse"),
        "distutils.log": _distutils("logging"),
        "distutils.spawn.find_executable": _distutils("shutil.which"),
        "distutils.spawn.spawn": _distutils("subprocess.run"),
        "distutils.sysconfig": _distutils("sysconfig"),
        "distutils.sysconfig.get_python_lib": _distutils("sysconfig.get_path('purelib')"),
        "distutils.sysconfig.get_python_inc": _distutils("sysconfig.get_path('include')"),
        "distutils.util.get_platform": _distutils("sysconfig.get_platform"),
        "distutils.util.strtobool": _distutils(None, "PEP 632: reimplement it"),
        "distutils.version": _distutils("packaging.version"),
        "distutils.version.LooseVersion": _distutils("packaging.version.Version"),
        "distutils.version.StrictVersion": _distutils("packaging.version.Version"),
        "distutils.dir_util.copy_tree": _distutils("shutil.copytree(..., dirs_exist_ok=True)"),
        "distutils.dir_util.mkpath": _distutils("os.makedirs(..., exist_ok=True)"),
        "distutils.dir_util.remove_tree": _distutils("shutil.rmtree"),
        "distutils.file_util.copy_file": _distutils("shutil.copy2"),
        # Python 3.13: PEP 594's dead batteries
        "aifc": _pep594(None),
        "audioop": _pep594(None),
        "cgi": _pep594(
            "urllib.parse.parse_qsl for GET and HEAD, email.message or the multipart package for POST"
        ),
        "cgi.FieldStorage": _pep594(
            "urllib.parse.parse_qsl for GET and HEAD, email.message or the multipart package for POST"
        ),
        "cgi.parse": _pep594("urllib.parse.parse_qs"),
        "cgi.parse_header": _pep594("email.message.EmailMessage (get_content_type(), and params)"),
        "cgi.parse_multipart": _pep594("email.message.EmailMessage, or the multipart package"),
        "cgi.escape": Removal("3.2", "3.8", "html.escape"),
        "cgi.parse_qs": Removal("3.2", "3.8", "urllib.parse.parse_qs"),
        "cgi.parse_qsl": Removal("3.2", "3.8", "urllib.parse.parse_qsl"),
        "cgitb": _pep594(None, "the legacy-cgi package is a fork"),
        "chunk": _pep594(None),
        "crypt": _pep594("hashlib", "or the bcrypt, passlib, argon2-cffi, legacycrypt or crypt_r packages"),
        "imghdr": _pep594("the filetype, puremagic or python-magic packages"),
        "mailcap": _pep594("mimetypes"),
        "msilib": _pep594(None),
        "nis": _pep594(None),
        "nntplib": _pep594("the pynntp package"),
        "ossaudiodev": _pep594("the pygame package"),
        "pipes": _pep594("subprocess", "shlex.quote for pipes.quote"),
        "pipes.quote": _pep594("shlex.quote"),
        "sndhdr": _pep594("the filetype, puremagic or python-magic packages"),
        "spwd": _pep594("the python-pam package"),
        "sunau": _pep594(None),
        "telnetlib": _pep594("the telnetlib3 or Exscript packages"),
        "uu": _pep594("base64"),
        "xdrlib": _pep594(None),
        # Python 3.13: the rest
        "lib2to3": Removal("3.11", "3.13", None),
        "tkinter.tix": Removal("3.6", "3.13", "tkinter.ttk"),
        "typing.io": Removal("3.8", "3.13", "typing", "import its names from typing itself"),
        "typing.re": Removal("3.8", "3.13", "typing", "import its names from typing itself"),
        # Python 3.15
        "sre_compile": Removal("3.11", "3.15", "re", "sre_compile is re's internals"),
        "sre_constants": Removal("3.11", "3.15", "re", "sre_constants is re's internals"),
        "sre_parse": Removal("3.11", "3.15", "re", "sre_parse is re's internals"),
    }
)

#: Top-level names with an entry, for the cheap gate before the records are read.
REMOVED_TOP_LEVEL = frozenset(name.partition(".")[0] for name in REMOVED_MODULES)


def removal_for(name: str) -> str | None:
    """The most specific entry that *name* is or lies within (``distutils.spawn.spawn``
    for itself, ``distutils`` for ``distutils.cmd``), or None."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in REMOVED_MODULES:
            return candidate
    return None


#: setuptools' versions for pkg_resources: deprecated (a warning on import), removed.
PKG_RESOURCES_DEPRECATED = "67.5.0"
PKG_RESOURCES_REMOVED = "82.0.0"

#: pkg_resources' common APIs and what replaces each.
PKG_RESOURCES_APIS = MappingProxyType(
    {
        "get_distribution": "importlib.metadata.distribution(name)",
        "require": "importlib.metadata.distribution(name), and packaging.requirements to check its version",
        "iter_entry_points": "importlib.metadata.entry_points(group=group)",
        "get_entry_info": "importlib.metadata.distribution(name).entry_points.select(group=group, name=n)",
        "load_entry_point": "importlib.metadata.entry_points(group=group, name=name), then load()",
        "working_set": "importlib.metadata.distributions()",
        "DistributionNotFound": "importlib.metadata.PackageNotFoundError",
        "VersionConflict": "packaging.requirements.Requirement and packaging.version to check versions",
        "resource_filename": "importlib.resources.as_file(importlib.resources.files(package) / name)",
        "resource_string": "importlib.resources.files(package).joinpath(name).read_bytes()",
        "resource_stream": "importlib.resources.files(package).joinpath(name).open('rb')",
        "resource_exists": "importlib.resources.files(package).joinpath(name).is_file() (or is_dir())",
        "resource_isdir": "importlib.resources.files(package).joinpath(name).is_dir()",
        "resource_listdir": "importlib.resources.files(package).joinpath(name).iterdir()",
        "parse_version": "packaging.version.parse",
        "Requirement": "packaging.requirements.Requirement",
        "declare_namespace": "a namespace package without __init__.py (PEP 420)",
    }
)
#: ``get_distribution(name).version``
PKG_RESOURCES_VERSION = "importlib.metadata.version(name)"
#: ``iter_entry_points`` before Python 3.10, where ``entry_points()`` has no ``group=``
PKG_RESOURCES_ENTRY_POINTS_OLD = "importlib.metadata.entry_points()[group] (group= needs Python 3.10)"
PKG_RESOURCES_MODULE = "importlib.metadata and importlib.resources"
