"""Import form: IPS101–IPS106."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_importstyle.records import ImportRecord, Kind, Name
from flake8_importstyle.rules.base import Example, FileContext, Finding, Rule

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
    message = "use 'from {parent} import {leaf}' instead of 'import {module} as {leaf}'"
    sample = {"parent": "a", "leaf": "b", "module": "a.b"}
    options = ("importstyle-allow-dotted",)
    examples = (
        Example(
            bad="import concurrent.futures as futures\n",
            good="from concurrent import futures\n",
            fixed="from concurrent import futures\n",
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
