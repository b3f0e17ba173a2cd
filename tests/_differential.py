"""Differential testing of the fixer: programs that print what they observe, run before and after ``fix``.

The fixer promises never to change what a program does. "It compiles and a
second run changes nothing" does not test that promise; running the program
does. So, as compiler writers test compilers (Csmith), this module

* generates small import-heavy programs (:func:`generate`, seeded, so every
  run of CI draws the same ones) that print what they observe: module
  identities, attribute reads, the type of every exception they catch, from
  module level, functions (called at once, or at the end, after later
  imports), class bodies, comprehensions, lambdas and closures, with imports
  under ``if TYPE_CHECKING:``, in ``try``/``except``, ``if``/``else``,
  loops, functions and class bodies, names that collide with the ones the
  fixer would pick, ``global``, ``del``, removals from ``sys.modules``
  (through ``sys``, another name for it or for the dict, ``getattr``)
  followed by imports again, dicts named ``modules`` that are not it, ``importlib.reload``, ``__import__``,
  ``imp.reload`` and a replaced ``builtins.__import__``;
* writes them next to small packages (:data:`PACKAGES`: a plain package, one
  whose ``__init__`` rebinds a submodule's name, one that imports its own
  submodule, one whose ``__init__`` binds a constant under a submodule's
  name, one with a module ``__getattr__``, nested packages, submodules named
  like builtins, fake ``numpy``/``pandas``/``matplotlib`` so that the
  IPS106 conventions fire, ``reex``, whose modules only re-import names,
  quietly or with a print of their own, for IPS404, ``relpkg``, whose
  ``relpkg.inner`` holds a share of the programs, run as ``python -m``, that
  import relatively for IPS108, and, for IPS402, submodules that do nothing on
  import (``quiet``, and one in each package above) beside ones that print or
  call), each printing a line when it is imported (but for the quiet ones), so
  the order of imports is observed too;
* runs each program in a fresh interpreter before and after ``fix_bytes``
  (:func:`run_all`, two subprocesses per program, on every core), and
  compares stdout, the exit status and the type of an uncaught exception.

Reads of ``sys.modules`` are written ``_m("os:path")``, so that a program
that only looks at a module does not give the fixer a reason to refuse; every
*removal* from ``sys.modules`` stands in the program itself (``sys.modules.pop``,
a loop that deletes keys), because the fixer guarantees behaviour for what a
file does, and a helper in another module that edits ``sys.modules`` is outside
what it can see (README.rst, "What the fixer cannot see").

The programs come from a seeded :class:`random.Random` rather than from
hypothesis: a program is a list of chunks, so the same seed draws the same
programs on every Python and every hypothesis version, drawing costs nothing
next to running, and :func:`reduce` cuts a failing program down chunk by chunk
and line by line, which is what shrinking would give, at the cost of runs
only for the programs that fail.

``python -m tests._differential [-n N] [--seed S] [--only I] [--reduce] [--json F]``
runs the same thing outside pytest: the tally, and failing programs (with
``--reduce``, cut down to what still fails the same way, and with the codes
whose rewrite alone makes them fail).
"""

from __future__ import annotations

import argparse
import ast
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flake8_importstyle.config import Config
from flake8_importstyle.fix import FixResult, fix_bytes
from flake8_importstyle.rules import DEFAULT_CODES, check_tree

#: The codes the fixer rewrites; each must be fixed at least once in a full run.
CODES = ("IPS101", "IPS102", "IPS103", "IPS104", "IPS106", "IPS108", "IPS201", "IPS205", "IPS402")
#: The codes off by default that every run selects, and each must be fixed at least once too.
OPT_IN = ("IPS404",)
#: The codes fixed only with ``--unsafe-fixes`` that the reload run (:func:`generate_reload`) covers.
UNSAFE_CODES = ("IPS302",)

#: The options every program is linted and fixed with: IPS108 flags every relative import.
CONFIG = Config(relative="never")
#: The package a share of the programs are modules of, run as ``python -m``, so that
#: they can import relatively (IPS108's rewrite); drawn from a random stream of its own,
#: so that every program draws what it drew before the programs had packages.
RELATIVE_PACKAGE = "relpkg.inner"
RELATIVE_SHARE = 0.15

#: Programs per run; CI sets fewer on the Pythons other than its default one.
PROGRAMS = int(os.environ.get("IMPORTSTYLE_DIFF_PROGRAMS", "1000"))
#: The seed of the run: the same seed draws the same programs on every machine.
SEED = int(os.environ.get("IMPORTSTYLE_DIFF_SEED", "0"))
#: Seconds a program may run; they all finish in well under one.
TIMEOUT = 20.0


# ------------------------------------------------------------------ packages


def _module(name: str, body: str = "") -> str:
    """A module that says when it is imported and what it is (``NAME``, ``f()``)."""
    return f'print("[load {name}]")\nNAME = "{name}"\n\n\ndef f():\n    return "{name}.f()"\n{body}'


#: The packages every program can import, written next to it (path -> source).
PACKAGES: dict[str, str] = {
    # plain: the submodule is only an attribute once something imports it
    "plainpkg/__init__.py": _module("plainpkg"),
    "plainpkg/sub.py": _module("plainpkg.sub"),
    "plainpkg/other.py": _module("plainpkg.other"),
    # rebinds: like unittest.main, pkg.sub is a function once the package is imported
    "rebind/__init__.py": _module("rebind", "\n\nfrom .sub import sub\nfrom .const import const\n"),
    "rebind/sub.py": _module("rebind.sub", '\n\ndef sub():\n    return "rebind.sub.sub()"\n'),
    "rebind/const.py": _module("rebind.const", "\n\nconst = 42\nreal = 'rebind.const.real'\n"),
    # imports its own submodule
    "eager/__init__.py": _module("eager", "\n\nfrom . import sub\n"),
    "eager/sub.py": _module("eager.sub"),
    # binds a constant under the name of a submodule that it does not import
    "shadow/__init__.py": _module("shadow", '\n\nsub = "shadow.sub, the constant"\n'),
    "shadow/sub.py": _module("shadow.sub"),
    # a module __getattr__ answers for the submodule's name until the submodule is imported
    "lazy/__init__.py": _module(
        "lazy",
        '\n\ndef __getattr__(name):\n    if name == "sub":\n        return "lazy.__getattr__(sub)"\n'
        "    raise AttributeError(name)\n",
    ),
    "lazy/sub.py": _module("lazy.sub"),
    "nested/__init__.py": _module("nested"),
    "nested/inner/__init__.py": _module("nested.inner"),
    "nested/inner/leaf.py": _module("nested.inner.leaf"),
    # submodules named like builtins
    "bpkg/__init__.py": _module("bpkg"),
    "bpkg/list.py": _module("bpkg.list"),
    "bpkg/id.py": _module("bpkg.id"),
    # the modules with conventional aliases (IPS106)
    "numpy/__init__.py": _module(
        "numpy", '\n\n__version__ = "0.0+fake"\nfrom . import linalg\n\n\ndef zeros(n):\n    return [0] * n\n'
    ),
    "numpy/linalg.py": _module("numpy.linalg", "\n\ndef norm(v):\n    return sum(v)\n"),
    "numpy/typing.py": _module("numpy.typing", "\n\nNDArray = list\n"),
    "pandas/__init__.py": _module("pandas", "\n\nclass DataFrame:\n    pass\n"),
    "matplotlib/__init__.py": _module("matplotlib", '\n\n__version__ = "0.0+fake"\n'),
    "matplotlib/pyplot.py": _module("matplotlib.pyplot", '\n\ndef plot(*args):\n    return "plot"\n'),
    # Python 3.12 removed imp; this stand-in keeps IPS205's programs running everywhere
    "imp.py": '"""A stand-in for the removed module: imp.reload is importlib.reload."""\n'
    "from importlib import reload\n",
}

# IPS404: names that modules only re-import from reex.defs. The fixer may import them from
# reex.defs only where importing the module does nothing of its own (quiet, chain); where it
# prints (loud), or loads a module that prints before reex.defs (early), it must refuse.
PACKAGES.update({
    # relpkg.inner holds the programs that import relatively; its __init__ binds a constant
    # under a submodule's name, which `from . import const` finds before the submodule
    "relpkg/__init__.py": _module("relpkg"),
    "relpkg/sib.py": _module("relpkg.sib"),
    "relpkg/inner/__init__.py": _module("relpkg.inner", '\n\nconst = "relpkg.inner.const, the constant"\n'),
    "relpkg/inner/leaf.py": _module("relpkg.inner.leaf"),
    "relpkg/inner/const.py": _module("relpkg.inner.const"),
    "reex/__init__.py": _module("reex"),
    "reex/defs.py": _module("reex.defs", "\n\nclass Thing:\n    pass\n\n\nthing = Thing()\nother = 'reex.defs.other'\n"),
    "reex/side.py": _module("reex.side"),
    "reex/quiet.py": (
        '"""Only imports, definitions and constants: importing it does nothing of its own."""\n'
        "from typing import Optional\n"
        "from reex.defs import Thing, thing, other\n\n"
        'OWN = "reex.quiet.OWN"\n\n\n'
        "def own(default: Optional[str] = OWN):\n    return default\n"
    ),
    "reex/chain.py": "from reex.quiet import Thing, thing\n",
    "reex/loud.py": 'from reex.defs import Thing, thing\nprint("[load reex.loud]")\nOWN = "reex.loud.OWN"\n',
    "reex/early.py": "import reex.side\nfrom reex.defs import Thing, thing\nOWN = 'reex.early.OWN'\n",
})


# IPS402: submodules that their packages do not import, reached through the package. The
# fixer may import them only where importing them does nothing of its own (quiet's consts and
# inner.leaf, and the quiet modules of the packages above); where one prints or calls, it must
# refuse. Each has a loader (`import loader_quiet_consts`), which a program imports first, as its
# entry point would: the chains work before the fix, as the rule says they only happen to.
SUBMODULES = (
    ("quiet", "consts"), ("quiet", "inner.leaf"), ("quiet", "loud"), ("quiet", "calls"),
    ("plainpkg", "quiet"), ("rebind", "quiet"), ("shadow", "quiet"), ("lazy", "quiet"),
)
PACKAGES.update({
    "quiet/__init__.py": '"""Imports none of its submodules, and does nothing of its own."""\n',
    "quiet/consts.py": 'NAME = "quiet.consts"\n\n\ndef f():\n    return "quiet.consts.f()"\n',
    "quiet/inner/__init__.py": '"""Nested, and quiet too."""\n',
    "quiet/inner/leaf.py": 'NAME = "quiet.inner.leaf"\n',
    "quiet/loud.py": _module("quiet.loud"),
    "quiet/calls.py": 'NAME = "-".join(["quiet", "calls"])\n',
    **{f"{package}/quiet.py": f'NAME = "{package}.quiet"\n' for package in ("plainpkg", "rebind", "shadow", "lazy")},
    **{f"loader_{package}_{sub.replace('.', '_')}.py": f"import {package}.{sub}\n" for package, sub in SUBMODULES},
})


def write_packages(folder: Path) -> None:
    for name, text in PACKAGES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ programs

#: The helpers every program imports: they print values the same way in every run.
#: They live in a module of their own so that the fixer does not read them again in
#: every program (it costs time in proportion to the file's length).
OBSERVE = '''\
"""Print what a program observes, the same way in every run: no ids, no paths."""
import sys


def _d(v):
    if type(v).__name__ == "module":
        return "<module " + v.__name__ + ">"
    if v is None or isinstance(v, (bool, int, float, str)):
        return repr(v)
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(_d(x) for x in v) + "]"
    q = getattr(v, "__qualname__", None)
    return "<" + type(v).__name__ + (" " + q if isinstance(q, str) else "") + ">"


def _p(label, *values):
    print(label, *[_d(v) for v in values])


def _e(label, exc):
    print(label, "raised", type(exc).__name__)


def _call(label, fn):
    try:
        fn()
    except Exception as exc:
        _e(label, exc)


def _m(key):
    """sys.modules[key], the key written a:b for a.b (so that no rename sees a name in it)."""
    return sys.modules.get(key.replace(":", "."))


_ON = True
_OFF = False
'''
PACKAGES["_observe.py"] = OBSERVE

#: What every program starts with.
PRELUDE = "import sys\nfrom _observe import _ON, _OFF, _call, _e, _m, _p\n"


@dataclass(frozen=True)
class Target:
    """A module a program imports, and an attribute that is there to read."""

    module: str
    attr: str

    @property
    def parent(self) -> str:
        return self.module.rpartition(".")[0]

    @property
    def leaf(self) -> str:
        return self.module.rpartition(".")[2]

    @property
    def root(self) -> str:
        return self.module.partition(".")[0]

    @property
    def key(self) -> str:
        """The module's name as ``_m`` takes it: a string no rename would touch."""
        return self.module.replace(".", ":")


DOTTED = tuple(
    Target(module, attr)
    for module, attr in (
        ("os.path", "sep"),
        ("xml.dom.minidom", "parseString"),
        ("xml.etree.ElementTree", "Element"),
        ("json.decoder", "JSONDecoder"),
        ("concurrent.futures", "Future"),
        ("email.mime.text", "MIMEText"),
        ("importlib.util", "find_spec"),
        ("importlib.machinery", "ModuleSpec"),
        ("logging.handlers", "RotatingFileHandler"),
        ("urllib.parse", "quote"),
        ("collections.abc", "Mapping"),
        ("unittest.mock", "Mock"),
        ("plainpkg.sub", "NAME"),
        ("plainpkg.sub", "f"),
        ("plainpkg.other", "NAME"),
        ("plainpkg.missing", "NAME"),
        ("rebind.sub", "NAME"),
        ("rebind.const", "real"),
        ("eager.sub", "NAME"),
        ("shadow.sub", "NAME"),
        ("lazy.sub", "NAME"),
        ("nested.inner", "NAME"),
        ("nested.inner.leaf", "NAME"),
        ("bpkg.list", "NAME"),
        ("bpkg.id", "NAME"),
        ("numpy.linalg", "norm"),
        ("numpy.typing", "NDArray"),
        ("matplotlib.pyplot", "plot"),
        ("matplotlib.pyplot", "NAME"),
    )
)
TOP = tuple(
    Target(module, attr)
    for module, attr in (
        ("numpy", "zeros"),
        ("numpy", "NAME"),
        ("pandas", "DataFrame"),
        ("matplotlib", "NAME"),
        ("os", "sep"),
        ("json", "dumps"),
        ("plainpkg", "NAME"),
        ("shadow", "sub"),
        ("rebind", "sub"),
    )
)
#: Modules imported heavily (unittest.mock pulls in asyncio) are drawn less often.
_HEAVY = frozenset({"unittest.mock", "concurrent.futures", "email.mime.text", "logging.handlers"})
#: Aliases for ``import a.b as X``: some are the names the fixer would want for itself.
ALIASES = ("mod", "sub", "path", "np", "plt", "ET", "leaf", "os_path", "m2", "inner", "pd", "minidom")
#: The conventional names of IPS106 (flake8_importstyle/conventions.py) for the modules drawn here.
CONVENTIONS = {
    "numpy": "np", "numpy.typing": "npt", "pandas": "pd", "matplotlib": "mpl", "matplotlib.pyplot": "plt",
    "xml.etree.ElementTree": "ET",
}


@dataclass(frozen=True)
class Form:
    """One way to import a target: the statement, the expression that then reads
    the target, and the names the statement binds."""

    target: Target
    kind: str
    statement: str
    expr: str
    binds: str

    @property
    def root_expr(self) -> str:
        """An expression for the top-level module (``a`` of ``import a.b``) or, failing that, the module."""
        return self.target.root if self.kind in ("dotted", "root") else self.expr


@dataclass(frozen=True)
class Program:
    """A generated program: chunks of source that a reduction can drop one by one.
    ``package``: the package it is a module of (run as ``python -m package.name``),
    or empty for a script beside the packages."""

    name: str
    chunks: tuple[str, ...]
    package: str = ""

    @property
    def source(self) -> str:
        return "".join(self.chunks)

    def path(self, folder: Path, suffix: str = "") -> Path:
        """Where the program (its fixed form: *suffix* ``_fixed``) is written under *folder*."""
        return folder.joinpath(*self.package.split(".") if self.package else (), f"{self.name}{suffix}.py")

    def command(self, path: Path) -> list[str]:
        """How the file *path* of this program runs: by path, or as a module of its package."""
        return ["-m", f"{self.package}.{path.stem}"] if self.package else [path.name]


#: IPS108's shapes: a relative import and the expression that reads what it binds, in a
#: module of relpkg.inner (``{a}``: an alias of the program's own).
RELATIVE_IMPORTS = (
    ("from . import leaf", "leaf.NAME"),
    ("from .leaf import NAME as {a}", "{a}"),
    ("from .leaf import (\n    f as {a},  # the sibling's\n)", "{a}()"),
    ("from .. import sib", "sib.f()"),
    ("from ..sib import NAME as {a}", "{a}"),
    ("from . import const", "const"),  # the package's constant, over its submodule
    ("from .. import inner as {a}", "{a}.NAME"),
    ("from ... import gone", "gone"),  # above the top-level package: ImportError, left
)


def _indent(lines: Iterable[str], by: str = "    ") -> list[str]:
    return [by + line if line else line for line in lines]


class _Builder:
    """Draws one program. Each draw adds chunks with a position in [0, 1]; the
    program is the prelude, the chunks in position order, then the deferred calls."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0
        self.chunks: list[tuple[float, int, list[str]]] = []
        self.finals: list[list[str]] = []
        self.header: list[str] = []
        self.forms: list[Form] = []
        self.module_forms: list[Form] = []  # forms whose import runs at module level

    # -- basics
    def label(self) -> str:
        self.count += 1
        return f"o{self.count}"

    def add(self, when: float, lines: list[str]) -> None:
        self.chunks.append((when, len(self.chunks), lines))

    def need(self, line: str) -> None:
        if line not in self.header:
            self.header.append(line)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[tuple[float, str]]) -> str:
        return self.rng.choices([o for _, o in options], weights=[w for w, _ in options])[0]

    # -- targets and forms
    def target(self) -> Target:
        while True:
            t = self.rng.choice(DOTTED) if self.chance(0.7) else self.rng.choice(TOP)
            if t.module not in _HEAVY or self.chance(0.25):
                return t

    def form(self, t: Target) -> Form:
        rng = self.rng
        if "." not in t.module:
            kind = self.pick([(5, "plain"), (2, "same"), (2, "alias"), (1, "dunder")])
            if kind == "plain":
                return Form(t, kind, f"import {t.module}", t.module, t.module)
            if kind == "same":
                return Form(t, kind, f"import {t.module} as {t.module}", t.module, t.module)
            if kind == "alias":
                alias = rng.choice(("numeric", "mod", "np", "pd", "m2"))
                return Form(t, kind, f"import {t.module} as {alias}", alias, alias)
            name = rng.choice(("mod", t.module, "m2"))
            return Form(t, kind, f'{name} = __import__("{t.module}")', name, name)
        kind = self.pick([(7, "dotted"), (3, "leaf_alias"), (3, "alias"), (3, "from"), (1, "from_alias"),
                          (2, "root"), (2, "dunder")])
        if kind == "dotted":
            return Form(t, kind, f"import {t.module}", t.module, t.root)
        if kind == "leaf_alias":
            return Form(t, kind, f"import {t.module} as {t.leaf}", t.leaf, t.leaf)
        if kind == "alias":
            alias = rng.choice([a for a in ALIASES if a != t.leaf])
            return Form(t, kind, f"import {t.module} as {alias}", alias, alias)
        if kind == "from":
            return Form(t, kind, f"from {t.parent} import {t.leaf}", t.leaf, t.leaf)
        if kind == "from_alias":
            alias = rng.choice([a for a in ALIASES if a != t.leaf])
            return Form(t, kind, f"from {t.parent} import {t.leaf} as {alias}", alias, alias)
        if kind == "root":
            return Form(t, kind, f"import {t.root}", t.module, t.root)
        name = rng.choice((t.leaf, "mod", "m2"))
        rest = t.module.partition(".")[2]
        if self.chance(0.2):
            return Form(t, kind, f'{name} = __import__("{t.module}", fromlist=[""])', name, name)
        return Form(t, kind, f'{name} = __import__("{t.module}").{rest}', name, name)

    # -- observations
    def value(self, form: Form) -> str:
        e, t = form.expr, form.target
        return self.pick([
            (3, e), (4, f"{e}.{t.attr}"), (1, f'getattr({e}, "NAME", "-")'), (2, f'{e} is _m("{t.key}")'),
            (1, f"{e}.f()" if t.module.split(".")[0] in _LOCAL else f"{e}.{t.attr}"),
        ])

    def observe(self, form: Form, when: float) -> None:
        """Read *form*'s expression in one of the contexts a read can be in."""
        label, value = self.label(), self.value(form)
        where = self.pick([
            (6, "module"), (3, "later"), (2, "now"), (2, "class"), (1, "comprehension"), (1, "lambda"),
            (1, "generator"), (1, "method"), (1, "default"), (1, "closure"), (1, "bare"), (1, "lambda_later"),
        ])
        if where == "module":
            self.add(when, _guard(label, [f"_p({label!r}, {value})"]))
        elif where == "bare":  # unguarded: an exception ends the program
            self.add(when, [f"_p({label!r}, {value})"])
        elif where in ("later", "now"):
            lines = [f"def _f{label}():", f"    _p({label!r}, {value})", ""]
            call = [f"_call({label!r}, _f{label})"]
            if where == "now":
                self.add(when, lines + call)
            else:
                self.add(when, lines)
                self.finals.append(call)
        elif where == "class":
            self.add(when, _guard(label, [f"class _K{label}:", f"    v = {value}", "", f"_p({label!r}, _K{label}.v)"]))
        elif where == "comprehension":
            self.add(when, _guard(label, [f"_p({label!r}, [{value} for _ in range(1)])"]))
        elif where == "generator":
            self.add(when, _guard(label, [f"_p({label!r}, next({value} for _ in 'x'))"]))
        elif where == "lambda":
            self.add(when, _guard(label, [f"_p({label!r}, (lambda: {value})())"]))
        elif where == "lambda_later":
            self.add(when, [f"_l{label} = lambda: {value}"])
            self.finals.append([f"_call({label!r}, lambda: _p({label!r}, _l{label}()))"])
        elif where == "method":
            self.add(when, [f"class _K{label}:", "    def m(self):", f"        return {value}", ""])
            self.finals.append([f"_call({label!r}, lambda: _p({label!r}, _K{label}().m()))"])
        elif where == "default":
            self.add(when, _guard(label, [f"def _f{label}(v={value}):", "    return v", "", f"_p({label!r}, _f{label}())"]))
        else:  # closure
            self.add(when, [f"def _f{label}():", "    def inner():", f"        return {value}", "",
                            f"    _p({label!r}, inner())", ""])
            self.finals.append([f"_call({label!r}, _f{label})"])

    # -- imports in their places
    def place(self, form: Form, when: float) -> None:
        """Put *form*'s import somewhere: plain, guarded, conditional, in a loop, a function or a class."""
        s = form.statement
        where = self.pick([
            (10, "plain"), (2, "type_checking"), (3, "try"), (2, "if"), (1, "loop"), (2, "function"),
            (1, "global"), (1, "class"),
        ])
        label = self.label()
        if where == "plain":
            self.add(when, [s])
            self.module_forms.append(form)
        elif where == "type_checking":
            self.need("from typing import TYPE_CHECKING")
            lines = ["if TYPE_CHECKING:", f"    {s}"]
            if self.chance(0.3):
                lines += ["else:", f"    {self.alternative(form)}"]
            self.add(when, lines)
            self.module_forms.append(form)
        elif where == "try":
            handler = self.pick([(4, "ImportError"), (3, "ModuleNotFoundError"), (1, "AttributeError"),
                                 (1, "(ImportError, AttributeError)"), (1, "Exception")])
            lines = ["try:", f"    {s}", f"except {handler} as exc:", f"    _e({label!r}, exc)"]
            if self.chance(0.4):
                lines.append(f"    {self.alternative(form)}")
            if self.chance(0.3):
                lines += ["else:", f"    _p({label!r}, 'imported')"]
            self.add(when, lines)
            self.module_forms.append(form)
        elif where == "if":
            flag = self.rng.choice(("_ON", "_OFF", "sys.version_info >= (3, 0)"))
            self.add(when, [f"if {flag}:", f"    {s}", "else:", f"    {self.alternative(form)}"])
            self.module_forms.append(form)
        elif where == "loop":
            self.add(when, ["for _i in range(2):", f"    {s}"])
            self.module_forms.append(form)
        elif where == "function":  # the function's own import, read right there
            value = self.value(form)
            lines = [f"def _f{label}():", f"    {s}", f"    _p({label!r}, {value})", ""]
            if self.chance(0.5):
                self.add(when, lines + [f"_call({label!r}, _f{label})"])
            else:
                self.add(when, lines)
                self.finals.append([f"_call({label!r}, _f{label})"])
        elif where == "global":  # a function binds the module's global
            self.add(when, [f"def _f{label}():", f"    global {form.binds}", f"    {s}", "",
                            f"_call({label!r}, _f{label})"])
            self.module_forms.append(form)
        else:
            value = self.value(form)
            self.add(when, _guard(label, [f"class _K{label}:", f"    {s}", f"    v = {value}", "", f"_p({label!r}, _K{label}.v)"]))

    def alternative(self, form: Form) -> str:
        """What another branch does instead of importing *form*."""
        t = form.target
        return self.pick([(2, "pass"), (2, f"import {t.root}"), (2, self.form(t).statement),
                          (1, f"{form.binds} = None")])

    # -- everything else
    def collision(self, when: float) -> None:
        """A name the fixer might want for itself, bound in one of the ways a name can be bound."""
        names = ["path", "np", "os_path", "sub", "plt", "pd", "ET", "minidom", "leaf", "inner", "mpl", "id",
                 "list", "importlib", "mod"]
        for form in self.forms:
            names += [form.target.leaf, form.target.module.replace(".", "_")]
        name, label = self.rng.choice(names), self.label()
        kind = self.pick([(3, "global"), (2, "param"), (1, "comprehension"), (1, "global_decl"), (1, "del"),
                          (1, "class"), (1, "loop"), (1, "except"), (1, "lambda"), (1, "local"), (1, "read")])
        if kind == "global":
            self.add(when, [f"{name} = {name!r}", f"_p({label!r}, {name})"])
        elif kind == "param":
            self.add(when, [f"def _f{label}({name}='param'):", f"    return {name}", "", f"_p({label!r}, _f{label}())"])
        elif kind == "comprehension":
            self.add(when, [f"_p({label!r}, [{name} for {name} in ('comp',)])"])
        elif kind == "global_decl":
            self.add(when, [f"def _f{label}():", f"    global {name}", f"    {name} = 'global {name}'", "",
                            f"_f{label}()", f"_p({label!r}, {name})"])
        elif kind == "del":
            self.add(when, [f"{name} = 1", f"del {name}", *_guard(label, [f"_p({label!r}, {name})"])])
        elif kind == "class":
            self.add(when, [f"class _K{label}:", f"    {name} = 'attr'", "", f"_p({label!r}, _K{label}.{name})"])
        elif kind == "loop":
            self.add(when, [f"for {name} in ('loop',):", "    pass", f"_p({label!r}, {name})"])
        elif kind == "except":
            self.add(when, ["try:", "    raise KeyError", f"except KeyError as {name}:",
                            f"    _p({label!r}, type({name}).__name__)"])
        elif kind == "lambda":
            self.add(when, [f"_p({label!r}, (lambda {name}='lambda': {name})())"])
        elif kind == "local":
            self.add(when, [f"def _f{label}():", f"    {name} = 'local'", f"    return {name}", "",
                            f"_p({label!r}, _f{label}())"])
        else:  # just a read: a builtin, or a global bound elsewhere
            self.add(when, _guard(label, [f"_p({label!r}, {name})"]))

    def dynamic(self, when: float) -> None:
        """The import system at run time: removals and imports again, reload, __import__, imp."""
        form = self.rng.choice(self.forms)
        t, label = form.target, self.label()
        kind = self.pick([(3, "drop"), (2, "reload"), (2, "imp"), (2, "dunder"), (1, "setattr"), (1, "hook"),
                          (1, "literal_drop"), (1, "alias_drop"), (1, "decoy"), (1, "del")])
        if kind in ("drop", "literal_drop", "alias_drop", "decoy"):
            key = self.rng.choice((t.key, t.root))
            name = key.replace(":", ".")
            if kind == "drop":  # the module and its submodules, as a loop over sys.modules
                lines = [f'for _k in [k for k in sys.modules if k == "{name}" or k.startswith("{name}.")]:',
                         "    del sys.modules[_k]"]
            elif kind == "alias_drop":  # through another name for sys or for sys.modules
                lines = self.rng.choice([
                    [f"import sys as _sy{label}", f'_sy{label}.modules.pop("{name}", None)'],
                    [f"from sys import modules as _sm{label}", f'_sm{label}.pop("{name}", None)'],
                    [f"_sd{label} = sys.modules", f'_sd{label}.pop("{name}", None)'],
                    [f'getattr(sys, "modules").pop("{name}", None)'],
                ])
            elif kind == "decoy":  # dicts called modules that are not sys.modules
                lines = [f"class _O{label}:", "    modules = {}", "", f'_O{label}.modules["{name}"] = 1',
                         f'_O{label}.modules.pop("{name}")', "modules = {}", f'modules["{name}"] = 2',
                         f'del modules["{name}"]']
            else:
                lines = [f'sys.modules.pop("{name}", None)']
            again = self.rng.choice(self.forms) if self.chance(0.3) else form
            if self.chance(0.5):
                lines += _guard(label, [f"_p({label!r}, {self.value(form)})"])
            lines += [again.statement] if self.chance(0.7) else [f"import {t.root}"]
            self.add(when, lines)
        elif kind == "reload":
            if self.chance(0.7):
                self.need("import importlib")
            else:
                self.add(when - 0.01, ["import importlib"])
            self.add(when, _guard(label, [f"_p({label!r}, importlib.reload({form.root_expr}))"]))
        elif kind == "imp":
            if self.chance(0.8):
                self.need("import imp")
            else:
                self.add(self.rng.random(), ["import imp"])
            self.add(when, _guard(label, [f"_p({label!r}, imp.reload({form.root_expr}))"]))
        elif kind == "dunder":
            rest = t.module.partition(".")[2]
            call = self.pick([(2, f'__import__("{t.module}")'),
                              (2, f'__import__("{t.module}").{rest}' if rest else f'__import__("{t.module}")'),
                              (1, f'__import__("{t.module}", fromlist=[""])')])
            self.add(when, _guard(label, [f"_p({label!r}, {call})"]))
        elif kind == "setattr" and "." in t.module:
            self.add(when, _guard(label, [f"import {t.parent}", f"setattr({t.parent}, {t.leaf!r}, 'patched')",
                                          f"_p({label!r}, {t.module})"]))
        elif kind == "hook":
            self.need("import builtins")
            self.add(when, [
                "_real_import = builtins.__import__", "",
                "",
                "def _hook(name, *args, **kwargs):",
                "    if name.partition('.')[0] in ('json', 'plainpkg', 'numpy'):",
                "        print('__import__', name)",
                "    return _real_import(name, *args, **kwargs)",
                "",
                "",
                "builtins.__import__ = _hook",
            ])
        else:  # del of what an import bound
            self.add(when, [f"del {form.binds}"] if form in self.module_forms else ["pass"])

    def scoped(self, when: float) -> None:
        """A function's, a method's or a class body's own import, read in that scope and the
        scopes inside it, beside what can see the names by their strings (eval/exec of a
        literal or a computed string, globals(), locals(), vars()), a del, a nonlocal, the
        name bound again, a class attribute read from outside: the fixer rewrites some
        and must refuse the others."""
        form = self.rng.choice(self.forms)
        s, b, label = form.statement, form.binds, self.label()
        value = self.value(form)
        kind = self.pick([
            (3, "closure"), (2, "method"), (2, "class"), (1, "class_attr"), (1, "class_vars"), (1, "del"),
            (1, "nonlocal"), (1, "locals"), (1, "eval_names"), (1, "exec_other"), (1, "exec_computed"),
            (1, "rebound"), (1, "class_comprehension"), (1, "globals_key"), (1, "globals_all"),
            (1, "module_exec"), (1, "locals_closure"), (1, "locals_class"), (1, "locals_comprehension"),
            (1, "eval_narrowed"), (1, "exec_namespace"), (1, "globals_prefix"),
        ])
        f = f"_f{label}"
        if kind == "closure":
            lines = [f"def {f}():", f"    {s}", "    def inner():", f"        return {value}", "",
                     f"    _p({label!r}, inner(), [{value} for _ in 'x'], (lambda: {value})())", ""]
            self.add(when, lines + [f"_call({label!r}, {f})"])
        elif kind == "method":
            self.add(when, [f"class _K{label}:", "    def m(self):", f"        {s}", f"        return {value}", ""])
            self.finals.append([f"_call({label!r}, lambda: _p({label!r}, _K{label}().m()))"])
        elif kind in ("class", "class_attr", "class_vars", "class_comprehension"):
            body = [f"class _K{label}:", f"    {s}"]
            if kind == "class_comprehension":  # a comprehension does not see the class's names
                body.append(f"    v = [{value} for _ in 'x']")
            else:
                body.append(f"    v = {value}")
            body += ["    def m(self):", "        return self.v", "", f"_p({label!r}, _K{label}.v, _K{label}().m())"]
            if kind == "class_attr":
                body.append(f"_p({label!r}, hasattr(_K{label}, {b!r}), _K{label}.{b})")
            elif kind == "class_vars":
                body.append(f"_p({label!r}, sorted(k for k in vars(_K{label}) if not k.startswith('_')))")
            self.add(when, _guard(label, body))
        elif kind == "del":
            self.add(when, [f"def {f}():", f"    {s}", f"    x = {value}", f"    del {b}", f"    _p({label!r}, x)",
                            "", f"_call({label!r}, {f})"])
        elif kind == "nonlocal":
            self.add(when, [f"def {f}():", f"    {s}", "    def g():", f"        nonlocal {b}",
                            f"        return {value}", "", f"    _p({label!r}, g())", "", f"_call({label!r}, {f})"])
        elif kind == "locals":
            self.add(when, [f"def {f}():", f"    {s}", f"    _p({label!r}, {value})",
                            f"    _p({label!r}, sorted(locals()))", "", f"_call({label!r}, {f})"])
        elif kind == "locals_closure":  # a closure's locals() holds the free names it reads
            self.add(when, [f"def {f}():", f"    {s}", "    def g():", f"        v = {value}",
                            "        return v, sorted(locals())", "", f"    _p({label!r}, g())", "",
                            f"_call({label!r}, {f})"])
        elif kind == "locals_class":  # a class body's locals() holds only its own names
            self.add(when, [f"def {f}():", f"    {s}", "    class C:", "        w = sorted(locals())",
                            f"    _p({label!r}, {value}, C.w)", "", f"_call({label!r}, {f})"])
        elif kind == "locals_comprehension":  # inline since 3.12: the function's names too
            self.add(when, [f"def {f}():", f"    {s}", f"    _p({label!r}, {value})",
                            f"    _p({label!r}, [sorted(locals()) for _ in 'x'])", "", f"_call({label!r}, {f})"])
        elif kind == "eval_names":  # a literal that reads the names: the old one, or the new
            name = self.rng.choice([b, form.target.leaf, form.target.module.replace(".", "_")])
            self.add(when, [f"def {f}():", f"    {s}", f"    _p({label!r}, {value})",
                            f"    _p({label!r}, eval({name!r}))", "", f"_call({label!r}, {f})"])
        elif kind == "exec_other":  # a literal that reads none of them
            self.add(when, [f"def {f}():", f"    {s}", f"    exec(\"_p('{label}', len('abc'))\")",
                            f"    _p({label!r}, {value})", "", f"_call({label!r}, {f})"])
        elif kind == "exec_computed":
            self.add(when, [f"def {f}(code):", f"    {s}", "    exec(code)", f"    _p({label!r}, {value})", "",
                            f"_call({label!r}, lambda: {f}('_p(' + repr('{label}') + ', ' + {b!r} + ')'))"])
        elif kind == "rebound":
            self.add(when, [f"def {f}(flag):", f"    {s}", "    if flag:", f"        {b} = None",
                            f"    _p({label!r}, {value})", "", f"_call({label!r}, lambda: {f}(_OFF))",
                            f"_call({label!r}, lambda: {f}(_ON))"])
        elif kind == "globals_key":  # module level: a literal key of the module's names
            key = self.rng.choice([b, form.target.leaf, "_p"])
            self.add(when, [s, *_guard(label, [f"_p({label!r}, {value})",
                                               f"_p({label!r}, globals().get({key!r}) is not None)"])])
            self.module_forms.append(form)
        elif kind == "globals_all":
            self.add(when, [s, *_guard(label, [f"_p({label!r}, {value})"]),
                            f"_p({label!r}, sorted(k for k in globals() if not k.startswith('_')))"])
            self.module_forms.append(form)
        elif kind == "eval_narrowed":  # eval of a name an if narrowed to literals, which may name b
            name = self.rng.choice([b, form.target.leaf, "None"])
            self.add(when, [f"def {f}(v):", f"    {s}", f"    _p({label!r}, {value})",
                            f"    if v in ['True', {name!r}]:", f"        _p({label!r}, eval(v))", "",
                            f"_call({label!r}, lambda: {f}({name!r}))"])
        elif kind == "exec_namespace":  # exec in a namespace of the caller's, reading b or not
            code = self.rng.choice([f"_p({label!r}, {b})", "x = 1"])
            self.add(when, [f"def {f}(code, ns):", f"    {s}", "    exec(code, ns)",
                            f"    _p({label!r}, {value}, sorted(k for k in ns if not k.startswith('_')))", "",
                            f"_call({label!r}, lambda: {f}({code!r}, {{'_p': _p}}))"])
        elif kind == "globals_prefix":  # module level: globals() held for keys with a literal prefix
            held = f"_n{label}"
            key = self.rng.choice([f"'_G{label}' + _k", f"f'_G{label}{{_k}}'", f"{b[:1]!r} + {b[1:]!r}"])
            self.add(when, [s, f"{held} = globals()", "for _k in 'ab':", f"    {held}[{key}] = None",
                            f"del {held}", *_guard(label, [f"_p({label!r}, {value})"])])
            self.module_forms.append(form)
        else:  # module level: exec of a literal that may or may not read the names
            text = self.rng.choice([f"_p('{label}', 1)", f"_p('{label}', {b})", f"{form.target.leaf} = 'exec'"])
            self.add(when, [s, *_guard(label, [f"exec({text!r})", f"_p({label!r}, {value})"])])
            self.module_forms.append(form)

    def rewrites(self) -> None:
        """Shapes of the newer rewrites (issue 10): a module bound twice in one run of
        imports (``from a import b`` then ``import a.b`` or ``import a.b as b``, with
        something between them or not), and attributes read off ``__import__("m")``."""
        rng = self.rng
        t = rng.choice(DOTTED)
        label = self.label()
        if self.chance(0.6):
            second = self.pick([(2, f"import {t.module}"), (2, f"import {t.module} as {t.leaf}")])
            between = self.pick([(4, ""), (1, "import json"), (1, "_between = 1"), (1, f"{t.leaf} = 'rebound'")])
            alias = self.pick([(3, t.leaf), (1, "m3")])
            first = f"from {t.parent} import {t.leaf}" if alias == t.leaf else f"from {t.parent} import {t.leaf} as m3"
            lines = [first, *([between] if between else []), second]
            if self.chance(0.3):
                lines.reverse()
            self.add(rng.uniform(0, 0.2), _guard(label, lines) if self.chance(0.2) else lines)
            reads = [f"{t.module}.{t.attr}" if second.endswith(t.module) else f"{t.leaf}.{t.attr}", f"{alias}.{t.attr}"]
            if self.chance(0.3):
                reads.append(f'getattr({t.root}, "NAME", "-")')
            for read in reads:
                where = self.pick([(3, "module"), (1, "function")])
                label = self.label()
                if where == "module":
                    self.add(rng.uniform(0.25, 1), _guard(label, [f"_p({label!r}, {read})"]))
                else:
                    self.add(rng.uniform(0.25, 1), [f"def _f{label}():", f"    return {read}", ""])
                    self.finals.append(_guard(label, [f"_p({label!r}, _f{label}())"]))
        else:
            rest = t.module.partition(".")[2]
            call = self.pick([
                (3, f'__import__("{t.module}").{rest}.{t.attr}'),
                (2, f'__import__("{t.root}").{rest}'),  # refused: not the whole name through the package
                (1, f'__import__("{t.module}", fromlist=["__name__"]).{t.attr}'),
                (1, f'__import__("{t.module}", None, None, [""]).{t.attr}'),
            ])
            self.add(rng.uniform(0, 1), _guard(label, [f"_p({label!r}, {call})"]))

    def reexport(self, when: float) -> None:
        """IPS404: names from a module that only re-imports them (:data:`PACKAGES`' ``reex``),
        read at once and later; sometimes the module is read another way too (its package's
        attribute, its key in sys.modules), or the import runs in a function."""
        label = self.label()
        module = self.pick([(3, "reex.quiet"), (1, "reex.chain"), (2, "reex.loud"), (2, "reex.early")])
        names = self.rng.sample(["Thing", "thing"], self.rng.choice((1, 2)))
        aliases = [f"{n} as _{n}{label}" if self.chance(0.3) else n for n in names]
        if module != "reex.chain" and self.chance(0.3):
            aliases.insert(self.rng.randint(0, len(aliases)), "OWN")
        bound = [a.rpartition(" as ")[2] for a in aliases]
        statement = f"from {module} import {', '.join(aliases)}"
        reads = [f"_p({label!r}, {', '.join(bound)})"]
        if self.chance(0.15):  # in a function: left alone, the fix rewrites module-level imports only
            self.add(when, [f"def _f{label}():", f"    {statement}", f"    {reads[0]}", "", f"_f{label}()"])
            return
        self.add(when, [statement, *reads])
        other = self.pick([(6, "none"), (1, "attribute"), (1, "key")])
        if other == "attribute":  # the package's attribute, set only by importing the module
            self.add(when + 0.002, ["import reex", *_guard(label, [f"_p({label!r}, {module})"])])
        elif other == "key":
            self.add(when + 0.002, [f"_p({label!r}, _m({module.replace('.', ':')!r}) is not None)"])
        self.finals.append([f"_p({label!r}, {', '.join(bound)})"])

    def submodule(self, when: float) -> None:
        """IPS402: ``import quiet`` and ``quiet.consts.NAME``, the submodule loaded first by the
        program's loader; read at module level, in a function (its own import, or the module's),
        with the package read otherwise too, or with the name the fixer wants taken."""
        label = self.label()
        package, sub = self.rng.choice(SUBMODULES)
        self.need(f"import loader_{package}_{sub.replace('.', '_')}")
        chain = f"{package}.{sub}.NAME"
        where = self.pick([(4, "module"), (2, "function"), (2, "global"), (1, "other"), (1, "taken")])
        if where == "module":
            self.add(when, [f"import {package}", f"_p({label!r}, {chain})"])
        elif where == "function":
            self.add(when, [f"def _f{label}():", f"    import {package}", f"    return {chain}", "",
                            f"_p({label!r}, _f{label}())"])
        elif where == "global":
            self.add(when, [f"import {package}", "", f"def _f{label}():", f"    return {chain}", ""])
            self.finals.append([f"_p({label!r}, _f{label}())"])
        elif where == "other":
            self.add(when, [f"import {package}", f"_p({label!r}, {chain}, {package}.__name__)"])
        else:  # the submodule's own name is taken: the fixer must pick another
            leaf = sub.rpartition(".")[2]
            self.add(when, [f"{leaf} = {label!r}", f"import {package}", f"_p({label!r}, {chain}, {leaf})"])

    def relative(self, rng: random.Random) -> None:
        """IPS108: relative imports in a module of :data:`RELATIVE_PACKAGE`, at module level
        or in a function called at the end, read at once. *rng*: the stream of its own."""
        for _ in range(rng.choice((1, 2, 3))):
            label = self.label()
            statement, read = (part.format(a=f"_r{label}") for part in rng.choice(RELATIVE_IMPORTS))
            when = rng.uniform(0, 1)
            if rng.random() < 0.3:
                body = _indent(statement.splitlines())
                self.add(when, [f"def _f{label}():", *body, f"    return {read}", ""])
                self.finals.append(_guard(label, [f"_p({label!r}, _f{label}())"]))
            else:
                self.add(when, _guard(label, [*statement.splitlines(), f"_p({label!r}, {read})"]))

    # -- the whole program
    def build(self, name: str, package: str = "") -> Program:
        rng = self.rng
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            t = self.target()
            for _ in range(rng.choice((1, 1, 1, 2))):
                self.forms.append(self.form(t))
        if self.chance(0.3):  # the same module again, another way
            self.forms.append(self.form(self.forms[0].target))
        for form in self.forms:
            self.place(form, rng.uniform(0, 0.25) if self.chance(0.75) else rng.uniform(0.3, 1))
        readable = self.module_forms or self.forms
        for _ in range(rng.randint(2, 6)):
            self.observe(rng.choice(readable) if self.chance(0.85) else rng.choice(self.forms), rng.uniform(0.1, 1))
        for _ in range(rng.choice((0, 0, 1, 2))):
            self.collision(rng.random())
        if self.chance(0.2):
            self.reexport(rng.uniform(0, 1))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            when = rng.uniform(0.3, 0.95)
            self.dynamic(when)
            self.observe(rng.choice(readable), when + 0.001)
        if self.chance(0.3):
            self.rewrites()
        for _ in range(rng.choice((0, 1, 1, 2))):
            self.scoped(rng.uniform(0.1, 1))
        if self.chance(0.3):  # drawn last, so the programs above draw as they did before it
            self.submodule(rng.uniform(0.1, 1))
        chunks = ["".join(line + "\n" for line in self.header) + PRELUDE]
        for _when, _order, lines in sorted(self.chunks):
            chunks.append("".join(line + "\n" for line in lines))
        chunks += ["".join(line + "\n" for line in final) for final in self.finals]
        chunks.append('print("done")\n')
        return Program(name, tuple(chunks), package)


#: The top-level names of the packages in :data:`PACKAGES`.
_LOCAL = frozenset(name.partition("/")[0].removesuffix(".py") for name in PACKAGES)


def _guard(label: str, lines: list[str]) -> list[str]:
    """*lines* in a ``try`` that prints the type of what they raise."""
    return ["try:", *_indent(lines), "except Exception as exc:", f"    _e({label!r}, exc)"]


def generate(index: int, seed: int = SEED) -> Program:
    """Program number *index* of the run *seed*: the same on every machine and Python."""
    builder = _Builder(random.Random(f"{seed}:{index}"))
    own = random.Random(f"{seed}:{index}:relative")
    package = RELATIVE_PACKAGE if own.random() < RELATIVE_SHARE else ""
    if package:
        builder.relative(own)
    return builder.build(f"p{seed}_{index:05d}", package)


# ------------------------------------------------- reloads, for --unsafe-fixes

#: Modules whose reload runs the same code again: the reloaded objects print as the
#: stale ones do (``_d`` shows no ids), so IPS302's unsafe rewrite (a stale ``x`` ->
#: ``M.x``) must keep what the program prints, and everything else the proof checks.
#: The programs never ask ``x is M.x``: that is the change the rewrite makes on purpose.
RELOADED = (("plainpkg", "NAME"), ("plainpkg.sub", "f"), ("plainpkg.other", "NAME"), ("numpy", "zeros"))


def generate_reload(index: int, seed: int = SEED) -> Program:
    """Program number *index* of the reload run *seed*: a from-import, a reload of its
    module and reads of the stale name, in the shapes IPS302's rewrite touches."""
    rng = random.Random(f"reload:{seed}:{index}")
    module, member = rng.choice(RELOADED)
    spelled = rng.choice((module, "m2")) if "." in module else module
    bound = rng.choice((member, member, "alias"))
    header = [PRELUDE]
    header.append(f"import {module}\n" if spelled == module else f"import {module} as m2\n")
    header.append(f"from {module} import {member}\n" if bound == member else f"from {module} import {member} as {bound}\n")
    call = rng.choice(("reload", "importlib.reload"))
    header.append("from importlib import reload\n" if call == "reload" else "import importlib\n")
    reads = [
        f"_p('r{i}', {read})\n"
        for i, read in enumerate(
            rng.sample(
                [bound, f"[{bound} for _ in range(2)]", f"{spelled}.{member}",
                 f"getattr({bound}, '__name__', {bound})", f"(lambda: 1)() and {bound}"], k=rng.randint(1, 3)
            )
        )
    ]
    body = [f"_p('before', {bound})\n"] if rng.random() < 0.5 else []
    body += [f"{call}({spelled})\n", *reads]
    if rng.random() < 0.3:
        body += [f"if {bound}:\n", f"    _p('branch', {bound})\n"]
    tail = rng.choice(
        ["", "", f"def later():\n    return {bound}\n_p('later', later())\n", f"{bound} = None\n_p('set', {bound})\n"]
    )
    if rng.random() < 0.4:  # the reload in a function
        body = ["def go():\n", *_indent(body), "go()\n"]
    return Program(f"r{seed}_{index:05d}", (*header, "\n", *body, tail))


# ------------------------------------------------------------------ running


@dataclass(frozen=True)
class Run:
    """What a program did: its stdout, exit status, and the type of the exception that ended it."""

    stdout: str
    status: int | None  # None: it timed out
    exception: str | None
    stderr: str

    def same_as(self, other: Run) -> bool:
        return (self.stdout, self.status, self.exception) == (other.stdout, other.status, other.exception)

    def render(self) -> str:
        status = "timed out" if self.status is None else f"exit {self.status}"
        tail = f", {self.exception}" if self.exception else ""
        return f"--- stdout ({status}{tail}):\n{self.stdout}" + (
            f"--- stderr (last lines):\n{_tail(self.stderr)}\n" if self.exception or self.status else ""
        )


_EXCEPTION_LINE = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::|$)")


def exception_type(stderr: str) -> str | None:
    """The type of the exception a traceback on *stderr* ends with (the last line
    that names one), without the message (which holds paths and ids)."""
    if "Traceback (most recent call last)" not in stderr:
        return None
    for line in reversed(stderr.splitlines()):
        match = _EXCEPTION_LINE.match(line)
        if match:
            return match["type"]
    return "?"


def _tail(text: str, lines: int = 6) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


class _Running:
    """A program running in a fresh interpreter, its output going to files (two
    programs run at once, and a pipe that nobody reads could stall one)."""

    def __init__(self, path: Path, command: Sequence[str] | None = None, cwd: Path | None = None) -> None:
        self.path = path
        self.out = path.with_suffix(".stdout")
        self.err = path.with_suffix(".stderr")
        with self.out.open("wb") as out, self.err.open("wb") as err:
            # -E: no PYTHON* variables; -S: no site, so no site-packages (a real numpy
            # cannot stand in for the fake one) and half the start-up time; unlike -I it
            # keeps the script's folder, which holds the packages, first on sys.path;
            # -B: no bytecode, so the runs cannot see each other's caches
            self.proc = subprocess.Popen(
                [sys.executable, "-E", "-S", "-B", *(command or [path.name])],
                cwd=cwd or path.parent, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            )

    def result(self, timeout: float = TIMEOUT) -> Run:
        try:
            status: int | None = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            status = None
        stdout = self.out.read_bytes().decode("utf-8", "replace")
        stderr = self.err.read_bytes().decode("utf-8", "replace")
        return Run(stdout, status, exception_type(stderr), stderr)


def run_file(path: Path, timeout: float = TIMEOUT) -> Run:
    """Run *path* in a fresh interpreter with its folder first on ``sys.path``."""
    return _Running(path).result(timeout)


def fixable_codes(source: str, filename: str) -> Counter[str]:
    """The fixable findings of the default rules on *source*, by code."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    found = check_tree(tree, source.splitlines(keepends=True), filename, CONFIG, DEFAULT_CODES | set(OPT_IN))
    return Counter(f.code for f in found if f.code in (*CODES, *OPT_IN, *UNSAFE_CODES))


@dataclass
class Outcome:
    """One program, fixed and run twice."""

    program: Program
    before: Run
    fixed: str | None = None  # None: the fixer raised
    after: Run | None = None
    changed: bool = False
    skipped: list[str] = field(default_factory=list)
    fixed_codes: Counter[str] = field(default_factory=Counter)
    error: str | None = None  # the fixer raised, or wrote code that does not compile

    @property
    def differs(self) -> bool:
        return self.after is not None and not self.before.same_as(self.after)

    @property
    def failed(self) -> bool:
        """The fixer raised or broke the code, the program behaved differently, or it
        hung (every program must finish quickly, before the fix too)."""
        return self.error is not None or self.differs or self.before.status is None

    @property
    def refused(self) -> bool:
        return not self.changed and bool(self.skipped)

    def signature(self) -> str:
        """What went wrong, coarsely, so failures group into classes."""
        if self.error is not None:
            return f"fixer error: {self.error.splitlines()[0][:80]}"
        assert self.after is not None
        before, after = self.before, self.after
        if before.status is None:
            return "the program does not finish"
        if before.exception != after.exception or before.status != after.status:
            return f"ends with {before.exception or before.status} -> {after.exception or after.status}"
        old, new = before.stdout.splitlines(), after.stdout.splitlines()
        for a, b in zip(old, new):
            if a != b:
                return f"prints {_shape(a)} -> {_shape(b)}"
        return f"prints {len(old)} lines -> {len(new)} lines"

    def report(self) -> str:
        """Everything needed to see the failure: both programs and both runs."""
        codes = ", ".join(sorted(self.fixed_codes)) or "none"
        parts = [f"=== {self.program.name}: {self.signature()} (codes fixed: {codes})", "--- program:",
                 self.program.source]
        if self.fixed is not None:
            parts += ["--- fixed program:", self.fixed]
        if self.skipped:
            parts += ["--- not fixed:", *self.skipped]
        parts += ["--- before", self.before.render()]
        if self.after is not None:
            parts += ["--- after", self.after.render()]
        if self.error:
            parts += ["--- error:", self.error]
        return "\n".join(parts)


def _shape(line: str) -> str:
    """A printed line without its label, values reduced to their kind."""
    words = line.split(" ", 1)
    rest = words[1] if len(words) > 1 else line
    if line.startswith("[load "):
        return "an import"
    if rest.startswith("raised "):
        return rest
    if rest.startswith("<module"):
        return "a module"
    if rest in ("True", "False"):
        return rest
    return "a value"


def check(
    program: Program, folder: Path, timeout: float = TIMEOUT, only: str | None = None, unsafe: bool = False
) -> Outcome:
    """Write *program* into *folder* (which holds the packages), run it, fix it, run the fix.

    The run before goes on while the fixer works, and the run after starts as soon
    as the fix is there; a program the fixer did not change is not run again.
    *only*: fix that one code (to find which rewrite changed a program); *unsafe*: with
    ``--unsafe-fixes`` (the reload programs, whose reloads change nothing they print)."""
    before_path, after_path = program.path(folder), program.path(folder, "_fixed")
    source = program.source
    before_path.write_text(source, encoding="utf-8")
    before = _Running(before_path, program.command(before_path), folder)
    outcome = Outcome(program, Run("", 0, None, ""))
    try:
        result = _fix(source, before_path, folder, only, unsafe)
    except Exception as exc:  # the fixer must never raise on a program that compiles
        outcome.error = f"fix_bytes raised {type(exc).__name__}: {exc}"
        outcome.before = before.result(timeout)
        return outcome
    outcome.changed = result.changed
    outcome.skipped = [f"{line}:{col}: {code} not fixed: {reason}" for line, col, code, reason in result.skipped]
    outcome.fixed = fixed = result.data.decode("utf-8")
    if not result.changed:
        outcome.before = outcome.after = before.result(timeout)
        return outcome
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(fixed, str(after_path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        outcome.error = f"the fixed program does not compile: {exc}"
        outcome.before = before.result(timeout)
        return outcome
    after_path.write_text(fixed, encoding="utf-8")
    after = _Running(after_path, program.command(after_path), folder)
    outcome.fixed_codes = fixable_codes(source, str(before_path)) - fixable_codes(fixed, str(before_path))
    outcome.before = before.result(timeout)
    outcome.after = after.result(timeout)
    return outcome


def _fix(source: str, path: Path, folder: Path, only: str | None, unsafe: bool = False) -> FixResult:
    """``fix_bytes`` as the command line runs it from *folder*, where an absolute import of
    a program's package is looked up first (as ``python -m`` looks it up)."""
    selected: Callable[[str], bool] = (lambda code: True) if only is None else only.__eq__
    here = os.getcwd()
    os.chdir(folder)
    try:
        return fix_bytes(source.encode("utf-8"), str(path), CONFIG, selected=selected, opt_in=OPT_IN, unsafe=unsafe)
    finally:
        os.chdir(here)


def run_all(programs: Sequence[Program], folder: Path, jobs: int | None = None,
            timeout: float = TIMEOUT, unsafe: bool = False) -> list[Outcome]:
    """:func:`check` every program, in worker processes (as many as cores, plus one
    to fill the gaps while a worker waits for its programs). The fixer runs in the
    workers, so a fixer that crashes or hangs the process cannot take pytest with it,
    and two fixers use both cores while the programs run beside them."""
    write_packages(folder)
    jobs = jobs or (os.cpu_count() or 1) + 1
    # spawn, not fork: forking a process that runs threads is unsafe (and warns from 3.12)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(check, program, folder, timeout, None, unsafe) for program in programs]
        return [future.result() for future in futures]


# ------------------------------------------------------------------ tally


@dataclass
class Tally:
    """What a run covered and found; :meth:`render` is what ``pytest -s`` shows."""

    programs: int = 0
    rewritten: int = 0
    refused: int = 0
    untouched: int = 0
    crashed_before: int = 0
    differed: int = 0
    errors: int = 0
    fixed: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @classmethod
    def of(cls, outcomes: Sequence[Outcome], seconds: float = 0.0) -> Tally:
        tally = cls(seconds=seconds)
        for o in outcomes:
            tally.programs += 1
            tally.rewritten += o.changed
            tally.refused += o.refused
            tally.untouched += not o.changed and not o.skipped
            tally.crashed_before += o.before.exception is not None
            tally.differed += o.differs
            tally.errors += o.error is not None
            tally.fixed.update(o.fixed_codes)
            if o.failed:
                tally.classes[o.signature()] += 1
        return tally

    def render(self) -> str:
        lines = [
            f"differential run: {self.programs} programs in {self.seconds:.0f}s (seed {SEED})",
            f"  rewritten: {self.rewritten}; refused (findings left, nothing changed): {self.refused}; "
            f"nothing to fix: {self.untouched}",
            f"  ended with an uncaught exception before the fix: {self.crashed_before}",
            "  fixed, by code: " + ", ".join(f"{code} {self.fixed[code]}" for code in (*CODES, *OPT_IN)),
            f"  behaved differently after the fix: {self.differed}; fixer errors: {self.errors}",
        ]
        for signature, count in self.classes.most_common():
            lines.append(f"    {count:5d}  {signature}")
        return "\n".join(lines)

    def too_few(self) -> list[str]:
        """Why the run proves too little: the fixer must rewrite enough programs, and every code."""
        problems = []
        if self.programs >= 20 and self.rewritten * 4 < self.programs:
            problems.append(f"only {self.rewritten} of {self.programs} programs were rewritten (floor: a quarter)")
        if self.programs >= 100:
            problems += [f"{code} was never fixed" for code in (*CODES, *OPT_IN) if not self.fixed[code]]
        return problems


# ------------------------------------------------------------------ reduction


def reduce(outcome: Outcome, folder: Path, timeout: float = TIMEOUT) -> Outcome:
    """Drop chunks (and then lines) of a failing program while it still fails the same
    way: the minimal program is what a report should show."""
    signature = outcome.signature()
    best = outcome
    chunks = list(outcome.program.chunks)
    step = 0

    def attempt(candidate: list[str]) -> Outcome | None:
        nonlocal step
        step += 1
        source = "".join(candidate)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(source, "<reduce>", "exec", dont_inherit=True)
        except SyntaxError:
            return None
        program = Program(f"{outcome.program.name}_r{step}", tuple(candidate), outcome.program.package)
        trial = check(program, folder, timeout)
        return trial if trial.failed and trial.signature() == signature else None

    changed = True
    while changed:  # whole chunks first, the prelude (chunk 0) kept
        changed = False
        for i in range(len(chunks) - 1, 0, -1):
            trial = attempt(chunks[:i] + chunks[i + 1:])
            if trial is not None:
                chunks, best, changed = chunks[:i] + chunks[i + 1:], trial, True
    changed = True
    while changed:  # then single lines, the prelude's included
        changed = False
        for i in range(len(chunks) - 1, -1, -1):
            lines = chunks[i].splitlines(keepends=True)
            for j in range(len(lines) - 1, -1, -1):
                if not lines[j].strip():
                    continue
                candidate = [*chunks[:i], "".join(lines[:j] + lines[j + 1:]), *chunks[i + 1:]]
                trial = attempt(candidate)
                if trial is not None:
                    chunks, best, changed = candidate, trial, True
                    lines = chunks[i].splitlines(keepends=True)
    return best


def blame(outcome: Outcome, folder: Path, timeout: float = TIMEOUT) -> list[str]:
    """The codes whose rewrite alone makes the program fail; empty when only their
    combination does."""
    return [
        code for code in sorted(outcome.fixed_codes)
        if check(
            Program(f"{outcome.program.name}_{code}", outcome.program.chunks, outcome.program.package),
            folder, timeout, code,
        ).failed
    ]


def analyse(outcome: Outcome, folder: Path, timeout: float = TIMEOUT) -> tuple[Outcome, list[str]]:
    """A failing program cut down, and the codes to blame for it."""
    small = reduce(outcome, folder, timeout)
    return small, blame(small, folder, timeout)


# ------------------------------------------------------------------ command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests._differential", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=PROGRAMS, help="programs (IMPORTSTYLE_DIFF_PROGRAMS)")
    parser.add_argument("--seed", type=int, default=SEED, help="the run's seed (IMPORTSTYLE_DIFF_SEED)")
    parser.add_argument("--only", type=int, action="append", help="run only program number I (repeatable)")
    parser.add_argument("--reduce", action="store_true", help="cut each failing program down, and blame codes")
    parser.add_argument("--show", type=int, default=3, help="failing programs to print per class")
    parser.add_argument("--json", type=Path, help="write every failure (reduced with --reduce) to this file")
    parser.add_argument("--print", dest="print_only", action="store_true", help="print the programs, run nothing")
    args = parser.parse_args(argv)
    indexes = args.only or range(args.n)
    programs = [generate(i, args.seed) for i in indexes]
    if args.print_only:
        for p in programs:
            print(f"# {p.name}\n{p.source}")
        return 0
    with tempfile.TemporaryDirectory(prefix="importstyle-diff-") as tmp:
        start = time.monotonic()
        outcomes = run_all(programs, Path(tmp))
        tally = Tally.of(outcomes, time.monotonic() - start)
        failures: list[tuple[Outcome, list[str] | None]] = [(o, None) for o in outcomes if o.failed]
        if args.reduce and failures:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=(os.cpu_count() or 1) + 1, mp_context=context) as pool:
                futures = [pool.submit(analyse, o, Path(tmp)) for o, _ in failures]
                failures = [(small, codes) for small, codes in (f.result() for f in futures)]
        shown: Counter[str] = Counter()
        for o, codes in failures:
            if shown[o.signature()] < args.show:
                shown[o.signature()] += 1
                blamed = "" if codes is None else f"\n--- to blame: {', '.join(codes) or 'only the codes together'}"
                print(o.report() + blamed + "\n")
        if args.json:
            args.json.write_text(json.dumps([
                {"name": o.program.name, "signature": o.signature(), "blame": codes, "source": o.program.source,
                 "fixed": o.fixed, "before": o.before.stdout, "after": o.after.stdout if o.after else None,
                 "before_end": [o.before.status, o.before.exception],
                 "after_end": [o.after.status, o.after.exception] if o.after else None,
                 "skipped": o.skipped, "error": o.error}
                for o, codes in failures
            ], indent=1))
        print(tally.render())
        for problem in tally.too_few():
            print("  too few:", problem)
    return 1 if tally.differed or tally.errors or tally.too_few() else 0


if __name__ == "__main__":
    raise SystemExit(main())
