"""Import form: IPS101–IPS106."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_importstyle.records import ImportRecord, Kind, Name
from flake8_importstyle.rules.base import Example, FileContext, Finding, Peer, Rule

_FORM_EXEMPT = {Kind.FUTURE, Kind.STAR}


def _dotted_imports(file: FileContext) -> Iterator[tuple[ImportRecord, Name, str, str]]:
    """``import a.b[ as x]`` names that IPS101–IPS103 judge: (record, name, parent, leaf).

    Exempt: ``importstyle-allow-dotted``; modules under ``importstyle-no-from``
    (the whole-module form is what that option asks for); modules with an
    alias convention (IPS106 speaks for those).
    """
    config = file.config
    for record in file.records:
        if record.is_from:
            continue
        for name in record.names:
            if "." not in name.name:
                continue
            if (
                config.dotted_allowed(name.name)
                or config.no_from_entry(name.name) is not None
                or name.name in config.aliases
            ):
                continue
            parent, _, leaf = name.name.rpartition(".")
            yield record, name, parent, leaf


class DottedImport(Rule):
    """``import a.b`` binds ``a``, not ``b``: every use then spells the whole
    chain ``a.b.x``, and the statement silently makes ``a`` usable too.
    ``from a import b`` binds exactly the module the code uses.
    """

    code = "IPS101"
    name = "dotted-import"
    fix = "sometimes"
    fix_note = (
        "Imports in every scope (module, function, method, class body), with every ``a.b.x`` they "
        "serve renamed to ``b.x``: ``import a`` stays where the file reads ``a`` otherwise, and ``from a "
        "import b as a_b`` is used where ``b`` is taken or names another module (a top-level module of "
        "the standard library, or one beside the file). Where a ``from a import b [as c]`` before it "
        "in the same run of imports (or right after it) binds the module to a name nothing else "
        "binds, the uses take that name and the import goes; where a plain ``import a`` there "
        "already loads ``a.b`` (``import os`` loads ``os.path``), the import goes and the uses stay: "
        "the minimal rewrite. Left with the "
        "reason: a name that ``del``, ``nonlocal``, ``locals()`` or ``exec`` may reach, a class "
        "attribute something may read, a chain that may be read before the "
        "import runs or from another binding, an import nothing reads (kept for its side effect), a "
        "package that binds ``b`` to something other than its submodule, and ``a/__init__.py`` itself; "
        "a rename whose chain changes length before a bracket whose continuation lines are aligned "
        "with it, and a new from-import that isort would put elsewhere where moving it would load "
        "modules in another order."
    )
    limitations = (
        (
            "Exemptions go by module name (``importstyle-allow-dotted``, ``importstyle-no-from``, "
            "``importstyle-aliases``); for a folder or a file use flake8's ``per-file-ignores``."
        ),
        (
            "An ``import a.b`` that nothing reads (kept for its side effect) is reported, but the "
            "fixer leaves it: a from-import nothing reads would look unused (F401). Put ``# noqa: "
            "IPS101`` on it."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "wemake-python-styleguide", ("WPS301",), "DottedRawImportViolation", same=False,
            note="also reports ``import a.b as c``, with no exemptions",
        ),
    )
    message = "use 'from {parent} import {leaf}' instead of 'import {module}'"
    sample = {"parent": "a", "leaf": "b", "module": "a.b"}
    options = ("importstyle-allow-dotted",)
    examples = (
        Example(
            bad="import os.path\n\nos.path.join('a', 'b')\n",
            good="from os import path\n\npath.join('a', 'b')\n",
            fixed="from os import path\n\npath.join('a', 'b')\n",
        ),
        Example(
            bad="import os.path\n\nos.path.join(os.getcwd(), 'b')\n",
            good="import os\nfrom os import path\n\npath.join(os.getcwd(), 'b')\n",
            fixed="import os\nfrom os import path\n\npath.join(os.getcwd(), 'b')\n",
        ),
        Example(
            bad="import os\nimport os.path\n\nos.path.join(os.getcwd(), 'b')\n",
            good="import os\n\nos.path.join(os.getcwd(), 'b')\n",
            fixed="import os\n\nos.path.join(os.getcwd(), 'b')\n",
        ),
        Example(
            bad="from xml import dom\nimport xml.dom\n\nprint(dom, xml.dom.minidom)\n",
            good="from xml import dom\n\nprint(dom, dom.minidom)\n",
            fixed="from xml import dom\n\nprint(dom, dom.minidom)\n",
        ),
        Example(
            bad="import xml.dom.minidom\n",
            good="import xml.dom.minidom\n",
            options={"allow-dotted": "xml.*"},
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for _record, name, parent, leaf in _dotted_imports(file):
            if name.asname is None:
                yield self.finding(name.line, name.col, parent=parent, leaf=leaf, module=name.name)


class RedundantDottedAlias(Rule):
    """``import a.b as b`` is ``from a import b`` written the long way round."""

    code = "IPS102"
    name = "redundant-dotted-alias"
    fix = "always"
    fix_note = (
        "``import a.b as b`` becomes ``from a import b``, in any scope: the same binding, so no use "
        "changes; where a ``from a import b`` before it in the same run of imports (or right after "
        "it) already binds the name, it is dropped instead of written twice. Left with the reason "
        "where ``a`` binds ``b`` to something other than its submodule, where ``a.b`` does not exist "
        "(the error would change from ``ModuleNotFoundError`` to ``ImportError``), and in "
        "``a/__init__.py`` itself."
    )
    limitations = (
        (
            "It does not read isort's settings: unlike ruff's PLR0402 it reports an ``import a.b as "
            "b`` that isort's ``add_imports`` (ruff's ``required-imports``) puts back; exempt it with "
            "``importstyle-allow-dotted``."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer("ruff", ("PLR0402",), "manual-from-import"),
        Peer("pylint", ("R0402",), "consider-using-from-import"),
        Peer(
            "flake8-tidy-imports", ("I250",), same=False,
            note="one code for this and IPS104's ``import a as a`` and ``from a import b as b``",
        ),
        Peer(
            "wemake-python-styleguide", ("WPS301",), "DottedRawImportViolation", same=False,
            note="reports every ``import a.b``, aliased or not",
        ),
    )
    message = "use 'from {parent} import {leaf}' instead of 'import {module} as {leaf}'"
    sample = {"parent": "a", "leaf": "b", "module": "a.b"}
    options = ("importstyle-allow-dotted",)
    examples = (
        Example(
            bad="import concurrent.futures as futures\n",
            good="from concurrent import futures\n",
            fixed="from concurrent import futures\n",
        ),
        Example(
            bad="from os import path\nimport os.path as path\n\npath.join('a', 'b')\n",
            good="from os import path\n\npath.join('a', 'b')\n",
            fixed="from os import path\n\npath.join('a', 'b')\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for _record, name, parent, leaf in _dotted_imports(file):
            if name.asname == leaf:
                yield self.finding(name.line, name.col, parent=parent, leaf=leaf, module=name.name)


class DottedAlias(Rule):
    """``import a.b as c`` mixes two forms; ``from a import b as c`` says the
    same in the form the rest of the file uses. Modules with an alias
    convention (``import matplotlib.pyplot as plt``) are left to IPS106.
    """

    code = "IPS103"
    name = "dotted-alias"
    fix = "always"
    fix_note = (
        "``import a.b as c`` becomes ``from a import b as c``, in any scope: the same binding. As for "
        "IPS102, left where ``a`` binds ``b`` to something else, where ``a.b`` does not exist, and in "
        "``a/__init__.py`` itself."
    )
    limitations = (
        (
            "A module with an alias convention is IPS106's: ``import matplotlib.pyplot as pp`` is "
            "reported as IPS106 (``plt``), and ``import matplotlib.pyplot as plt`` not at all. Drop "
            "the convention (``importstyle-aliases = matplotlib.pyplot=``) to have it judged here."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "wemake-python-styleguide", ("WPS301",), "DottedRawImportViolation", same=False,
            note="reports every ``import a.b``, aliased or not",
        ),
    )
    message = "use 'from {parent} import {leaf} as {alias}' instead of 'import {module} as {alias}'"
    sample = {"parent": "a", "leaf": "b", "module": "a.b", "alias": "c"}
    options = ("importstyle-allow-dotted", "importstyle-aliases")
    examples = (
        Example(
            bad="import xml.sax.saxutils as su\n",
            good="from xml.sax import saxutils as su\nimport matplotlib.pyplot as plt\n",
            fixed="from xml.sax import saxutils as su\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        for _record, name, parent, leaf in _dotted_imports(file):
            if name.asname is not None and name.asname != leaf:
                yield self.finding(
                    name.line, name.col, parent=parent, leaf=leaf, module=name.name, alias=name.asname
                )


class UselessAlias(Rule):
    """``import a as a`` and ``from m import x as x`` bind the name they would
    bind anyway. The form is the explicit re-export idiom of type checkers,
    so ``__init__.py`` files and ``.pyi`` stubs are exempt.
    """

    code = "IPS104"
    name = "useless-alias"
    fix = "always"
    fix_note = (
        "``import a as a`` becomes ``import a`` and ``from m import x as x`` becomes ``from m import "
        "x``, in any scope: the same binding, so nothing changes at run time. ruff marks its PLC0414 "
        "fix unsafe because the alias may be a re-export; here the files that re-export "
        "(``__init__.py``, ``.pyi``) are not reported at all."
    )
    limitations = (
        (
            "Only ``__init__.py`` files and ``.pyi`` stubs count as re-exporting: in another module, a "
            "``from m import x as x`` meant as an explicit re-export for type checkers (mypy's "
            "``--no-implicit-reexport``) is reported and fixed. Put ``# noqa: IPS104`` on it."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer("ruff", ("PLC0414",), "useless-import-alias", note="ruff too leaves ``__init__.py`` and stubs"),
        Peer(
            "pylint", ("C0414",), "useless-import-alias",
            note="pylint reports ``__init__.py`` too, unless ``allow-reexport-from-package`` is set",
        ),
        Peer(
            "flake8-tidy-imports", ("I250",), same=False,
            note="one code for this and IPS102's ``import a.b as b``, in every file",
        ),
        Peer(
            "wemake-python-styleguide", ("WPS113",), "SameAliasImportViolation",
            note="no longer reported since wemake-python-styleguide 1.0, which leaves it to PLC0414",
        ),
    )
    message = "useless alias: use '{replacement}'"
    sample = {"replacement": "import a"}
    examples = (
        Example(
            bad="import json as json\nfrom os import path as path\n",
            good="import json\nfrom os import path\n",
            fixed="import json\nfrom os import path\n",
        ),
        Example(
            bad="from os import path as path\n",
            good="from os import path as path\n",
            filename="stubs/os_helpers.pyi",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        if file.basename == "__init__.py" or file.basename.endswith(".pyi"):
            return
        for record in file.records:
            if record.is_future:
                continue
            for name in record.names:
                if name.asname is None or name.asname != name.name:
                    continue
                if record.is_from:
                    replacement = f"from {record.from_text} import {name.name}"
                else:
                    replacement = f"import {name.name}"
                yield self.finding(name.line, name.col, replacement=replacement)


class FromNoFromModule(Rule):
    """Some modules read best whole (``np.array``, ``json.dumps``): the
    module's name at each use says where a name comes from. List them in
    ``importstyle-no-from``; a listed package covers its submodules too.
    Modules so listed are also exempt from IPS101–IPS103. A star import from
    a listed module (``from json import *``) is reported too, as ruff's
    ICN003 does: it is the from-import the policy forbids, many times over.
    """

    code = "IPS105"
    name = "no-from-import"
    fix = "unsafe"
    unsafe_because = "each use reads the attribute when it runs, not once at the import"
    fix_note = (
        "With ``--unsafe-fixes``, an absolute module-level ``from m import a, b`` becomes ``import m`` "
        "(``as`` its configured alias) and every use of ``a`` and ``b`` becomes ``m.a`` and ``m.b``; "
        "where ``import m`` is there already, the from-import goes. An attribute replaced after the "
        "import (``mock.patch``, a plugin, a reload) is then seen by every use, which is why it is "
        "unsafe. Refused, with the reason: a star or local import, a dotted module (``import a.b`` "
        "binds ``a``), ``m``'s name taken in the file, a use the import does not serve alone, comments "
        "on the statement."
    )
    limitations = (
        (
            "Relative from-imports are not checked (``from .json import dumps``), nor star imports of "
            "a module that is not listed."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "ruff", ("ICN003",), "banned-import-from",
            note=(
                "ruff's ``banned-from`` names exact modules; here a listed package covers its "
                "submodules"
            ),
        ),
    )
    message = (
        "use '{replacement}' instead of 'from {module} import ...' ({entry!r} is in importstyle-no-from)"
    )
    sample = {"replacement": "import m", "module": "m", "entry": "m"}
    default = "when configured"
    options = ("importstyle-no-from", "importstyle-aliases")
    examples = (
        Example(
            bad="from json import dumps\n\ndumps({})\n",
            good="import json\n\njson.dumps({})\n",
            options={"no-from": "json"},
            fixed="import json\n\njson.dumps({})\n",
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        if not file.config.no_from:
            return
        for record in file.records:
            if not record.is_from or record.level or record.is_future:
                continue
            entry = file.config.no_from_entry(record.module)
            if entry is None:
                continue
            alias = file.config.aliases.get(record.module)
            replacement = f"import {record.module}" + (f" as {alias}" if alias else "")
            yield self.finding(
                record.line, record.col, replacement=replacement, module=record.module, entry=entry
            )


class ConventionalAlias(Rule):
    """Some modules have one name every reader expects (``np``, ``pd``,
    ``plt``); another name makes each use a small puzzle. Only the imported
    module's full name counts: ``import numpy.linalg`` is not ``numpy``.
    """

    code = "IPS106"
    name = "conventional-alias"
    fix = "sometimes"
    fix_note = (
        "Imports in every scope: the alias is added or changed and every use renamed (``from matplotlib "
        "import pyplot as pp`` becomes ``import matplotlib.pyplot as plt``). Left with the reason: a "
        "class attribute something may read, a conventional name already bound or used in the file, "
        "and a from-import whose module binds the name to something other than its submodule."
    )
    limitations = (
        (
            "One name per module, and only the imported module's full name counts (``import "
            "numpy.linalg`` is not ``numpy``); a module cannot be given a list of banned aliases "
            "(ruff's ``banned-aliases``)."
        ),
    )
    added = "0.1.0"
    peers = (
        Peer(
            "ruff", ("ICN001",), "unconventional-import-alias",
            note=(
                "ruff's defaults; ``plotly.graph_objects=go`` and ``statsmodels.api=sm`` are in its "
                "preview only"
            ),
        ),
        Peer(
            "flake8-import-conventions",
            ("IC001", "IC003", "IC004", "IC005", "IC006", "IC007", "IC008", "IC009", "IC010"),
            same=False,
            note=(
                "one code per module, a fixed list; for its IC002, ``geopandas`` unaliased, set "
                "``importstyle-aliases = geopandas=geopandas``"
            ),
        ),
    )
    message = "use 'import {module} as {alias}', the conventional name"
    sample = {"module": "numpy", "alias": "np"}
    default = "on, with defaults"
    options = ("importstyle-aliases",)
    examples = (
        Example(
            bad="import numpy\nimport pandas as pandas_lib\nfrom matplotlib import pyplot as pp\n",
            good="import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n",
            fixed="import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\n",
        ),
        Example(
            bad="import numpy\n\nnumpy.zeros(numpy.int8(3))\n",
            good="import numpy as np\n\nnp.zeros(np.int8(3))\n",
            fixed="import numpy as np\n\nnp.zeros(np.int8(3))\n",
        ),
        Example(
            bad="import numpy as numeric\n",
            good="import numpy as numeric\n",
            options={"aliases": "numpy="},
        ),
    )

    def check(self, file: FileContext) -> Iterator[Finding]:
        aliases = file.config.aliases
        if not aliases:
            return
        for record in file.records:
            if record.is_future or record.level or record.is_star:
                continue
            for name in record.names:
                module = record.full_name(name)
                if module is None:  # pragma: no cover - relative and star are skipped above
                    continue
                alias = aliases.get(module)
                if alias is None:
                    continue
                bound = name.asname if name.asname is not None else name.name
                if bound != alias:
                    yield self.finding(name.line, name.col, module=module, alias=alias)
