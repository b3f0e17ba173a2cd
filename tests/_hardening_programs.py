"""A hypothesis strategy for import-heavy programs that exercise the rules' own paths.

hypothesmith generates any valid code, but rarely an import the rules care
about. These programs are made of what the rules read: imports of every form
and alias, nested in if/try/def/class/with/for/while/match, removals from
``sys.modules`` and imports again, ``importlib.reload``, ``__import__`` and
``import_module`` calls with odd arguments, replacements of
``builtins.__import__``, removed APIs, and uses (and rebindings) of the
imported names. Every program compiles; :func:`spliced` also inserts such
statements between the statements of real stdlib modules.
"""

from __future__ import annotations

import ast
import sys

from hypothesis import strategies as st

from tests._hardening import stdlib_root

MODULES = (
    "os", "os.path", "sys", "json", "importlib", "importlib.util", "builtins", "imp", "pkgutil",
    "numpy", "pandas", "matplotlib", "matplotlib.pyplot", "xml.dom.minidom", "xml.etree.ElementTree",
    "concurrent.futures", "a.b.c", "a.b", "config", "settings", "six.moves", "naïve.modulé",
    "collections.abc", "tkinter", "geopandas", "pickle",
)
FROM_MODULES = (
    "os", "sys", "json", "importlib", "importlib.util", "builtins", "pkgutil", "matplotlib", "numpy",
    "a.b", "config", "settings", "six.moves", "six", "collections", "xml.dom", "naïve",
)
RELATIVE = (".", "..", ".sub", "..pkg.mod")
NAMES = (
    "path", "np", "pd", "plt", "os", "sys", "json", "importlib", "reload", "modules", "import_module",
    "__import__", "m", "x", "util", "find_loader", "get_loader", "config", "DEBUG", "a", "b", "futures",
    "minidom", "modulé", "setattr", "builtins", "system", "moves", "pyplot", "numpy", "os_path", "_sys",
)
#: Names a function may declare global (not its parameters' names).
GLOBALS = tuple(n for n in NAMES if n not in {"a", "p", "kw"})
KEYS = ('"config"', '"os.path"', '"a.b"', "name", "1", 'b"x"', 'f"{x}"', '"settings"', '"json"')
PREFIXES = ('"config"', '("a", "b")', "", "prefix", '"settings", 1', '"os"')
DUNDER_ARGS = (
    "()", "(*args)", "(**kw)", '("")', '("json")', '("a.b")', '("a.b", fromlist=["c"])', '("a.b", fromlist=[])',
    '("a.b", fromlist=None)', '("a", globals(), None, [], 1)', "(name)", '(b"x")', "(1)", '(".x")',
    '("a.b", level=0)', '(name="os.path")', '("x", foo=1)', '("os.path", None, None, [""], 0)', '("config")',
)
IMPORT_MODULE_ARGS = (
    '(".x")', '(b".x")', "()", '(".x", package=__package__)', '(".x", "pkg")', "(*a)", '("config")', "(name)",
    '(name=".y")', '("a.b")',
)
RELOADS = (
    "importlib.reload({})", "reload({})", "imp.reload({})", "importlib.reload()", "importlib.reload({}, {})",
    "importlib.reload(*{})", "__import__('importlib').reload({})",
)
REPLACEMENTS = (
    "builtins.__import__ = f", "builtins.__import__ += 1", 'setattr(builtins, "__import__", f)',
    "setattr(builtins)", "setattr(*a)", '__builtins__["__import__"] = f', 'builtins.__dict__["__import__"] = f',
    "__import__ = f", "import builtins as b2; b2.__import__ = f", 'setattr(builtins, name, f)',
)
REMOVED_APIS = (
    'importlib.find_loader("x")', 'pkgutil.get_loader("x")', "pkgutil.ImpImporter", 'imp.load_source("m", "p")',
    "importlib.util.set_package", "imp.reload(m)", 'util.find_loader("x")',
)
CHAINS = (
    "os.path.join", "os.path", "os.getcwd()", "matplotlib.pyplot.plot()", "numpy.zeros(3)", "a.b.c.d", "a.b",
    "xml.dom.minidom.parse", "concurrent.futures.Future", "naïve.modulé.f", "config.DEBUG", "settings.x",
    "sys.modules", "importlib.util.find_spec", "imp.reload", "json.dumps", "pandas.DataFrame", "np.array",
)


def _names() -> st.SearchStrategy[str]:
    return st.sampled_from(NAMES)


@st.composite
def _import(draw: st.DrawFn) -> str:
    parts = []
    for module in draw(st.lists(st.sampled_from(MODULES), min_size=1, max_size=3)):
        alias = draw(st.sampled_from([None, None, "same", "leaf", "name"]))
        if alias == "same" and "." not in module:
            parts.append(f"{module} as {module}")
        elif alias == "leaf" and "." in module:
            parts.append(f"{module} as {module.rpartition('.')[2]}")
        elif alias == "name":
            parts.append(f"{module} as {draw(_names())}")
        else:
            parts.append(module)
    lazy = "lazy " if draw(st.booleans()) and sys.version_info >= (3, 15) else ""
    return f"{lazy}import {', '.join(parts)}"


@st.composite
def _from_import(draw: st.DrawFn, module_level: bool) -> str:
    module = draw(st.one_of(st.sampled_from(FROM_MODULES), st.sampled_from(RELATIVE)))
    if module_level and draw(st.integers(0, 9)) == 0:
        return f"from {module} import *"
    names = []
    for name in draw(st.lists(_names(), min_size=1, max_size=3)):
        alias = draw(st.sampled_from([None, None, "same", "name"]))
        names.append(name if alias is None else f"{name} as {name}" if alias == "same" else f"{name} as {draw(_names())}")
    if len(names) > 1 and draw(st.booleans()):  # parenthesised, one name a line, a trailing comma
        inner = "".join(f"\n    {n}," for n in names)
        return f"from {module} import ({inner}\n)"
    return f"from {module} import {', '.join(names)}"


@st.composite
def _removal(draw: st.DrawFn) -> str:
    modules = draw(st.sampled_from(["sys.modules", "modules", "_sys.modules", "sys.modules.copy()"]))
    key = draw(st.sampled_from(KEYS))
    form = draw(st.integers(0, 8))
    if form == 0:
        return f"del {modules}[{key}]"
    if form == 1:
        return f"{modules}.pop({key}, None)"
    if form == 2:
        return f"{modules}.clear()"
    if form == 3:
        return draw(st.sampled_from(["del sys.modules", "sys.modules.pop()", "del sys.modules[1:2]", "sys.modules.pop(*a)"]))
    if form == 4:
        return f"{modules}.pop({key})"
    loop = draw(st.sampled_from(["list(sys.modules)", "sys.modules", "sys.modules.items()", "sorted(modules)", "tuple(sys.modules.keys())"]))
    target = "k, v" if loop.endswith("items()") else "k"
    prefix = draw(st.sampled_from(PREFIXES))
    test = draw(st.sampled_from([f"k.startswith({prefix})", 'k == "config"', '"config" == k', f"k.startswith({prefix}) or k == \"a\"", "k"]))
    return f"for {target} in {loop}:\n    if {test}:\n        del sys.modules[k]"


@st.composite
def _dynamic(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        call = f"__import__{draw(st.sampled_from(DUNDER_ARGS))}"
        return draw(st.sampled_from([call, f"x = {call}", f"y = {call}.b.c", f"z = builtins.{call}", f"w = importlib.{call}"]))
    if kind == 1:
        func = draw(st.sampled_from(["importlib.import_module", "import_module", "im"]))
        return f"mod = {func}{draw(st.sampled_from(IMPORT_MODULE_ARGS))}"
    if kind == 2:
        return draw(st.sampled_from(RELOADS)).format(*(draw(_names()) for _ in range(2)))
    if kind == 3:
        return draw(st.sampled_from(REPLACEMENTS))
    if kind == 4:
        return f"v = {draw(st.sampled_from(REMOVED_APIS))}"
    return draw(_removal())


@st.composite
def _use(draw: st.DrawFn) -> str:
    name = draw(_names())
    chain = draw(st.sampled_from(CHAINS))
    return draw(
        st.sampled_from(
            [
                f"print({name})", f"{name}.attr.sub(1)", f"y = {chain}", f"print({chain})", f"{name} = 1", f"del {name}",
                f"{name}.x = 1", f"{name} += 1", f'eval("{name}")', f'__all__ = ["{name}"]',
                f'def g(p: "{chain}"): pass', f"h = lambda: {chain}", f"[{name} for {name} in range(3)]",
                f"f({name}=1)", f"{chain}.attr = 2", f"del {chain}" if not chain.endswith(")") else "pass",
                f"q = {chain}, {name}", f"globals()[{name!r}]", f"(r := {chain})",
            ]
        )
    )


@st.composite
def _scenario(draw: st.DrawFn) -> str:
    """A few statements that belong together: what IPS301 and IPS302 look for, with variations."""
    module = draw(st.sampled_from(["config", "settings", "a.b", "pkg.config"]))
    leaf = module.rpartition(".")[2]
    bound = module.partition(".")[0]
    if draw(st.booleans()):  # IPS302: a from-import, a reload, a use of the stale name
        reload = draw(st.sampled_from(["import importlib", "from importlib import reload", "import imp"]))
        call = {"import importlib": "importlib.reload", "from importlib import reload": "reload"}.get(reload, "imp.reload")
        name = draw(st.sampled_from(["DEBUG", "value", leaf]))
        use = draw(st.sampled_from([f"print({name})", f"{name}.x", f"y = {name}", f"{name} = 1"]))
        target = bound if draw(st.booleans()) else module
        return "\n".join([reload, f"import {module}", f"from {module} import {name}", f"{call}({target})", use])
    removal = draw(
        st.sampled_from(
            [
                f'del sys.modules["{module}"]',
                f'sys.modules.pop("{module}", None)',
                "sys.modules.clear()",
                f'for k in list(sys.modules):\n    if k.startswith("{bound}"):\n        del sys.modules[k]',
                f'for k in list(sys.modules):\n    if k == "{module}":\n        del sys.modules[k]',
            ]
        )
    )
    again = draw(st.sampled_from([f"import {module}", f"from {module} import x", f'importlib.import_module("{module}")',
                                  f'm = __import__("{module}")']))
    return "\n".join(["import sys", "import importlib", f"import {module}", removal, again])


def _simple(module_level: bool) -> st.SearchStrategy[str]:
    return st.one_of(_import(), _from_import(module_level), _dynamic(), _dynamic(), _use(), _use(), _scenario())


def _indent(block: list[str], unit: str) -> list[str]:
    return [unit + line if line.strip() else line for text in block for line in text.split("\n")]


@st.composite
def _block(draw: st.DrawFn, depth: int, module_level: bool, unit: str, in_loop: bool = False) -> list[str]:
    """Statements (each a string, maybe of several lines) of one suite."""
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if depth > 0 and draw(st.integers(0, 2)) == 0:
            out.append("\n".join(draw(_compound(depth - 1, module_level, unit, in_loop))))
        elif draw(st.integers(0, 6)) == 0:  # two statements on one line
            first, second = draw(_simple(False)), draw(_simple(False))
            if any("\n" in s or s.startswith("def ") for s in (first, second)):
                out += [first, second]
            else:
                out.append(f"{first}; {second}")
        else:
            statement = draw(_simple(module_level))
            comment = draw(st.sampled_from(["", "", "", "  # noqa", "  # noqa: IPS101", "  # noqa: E501,IPS2"]))
            if "\n" not in statement:
                statement += comment
            out.append(statement)
        if in_loop and draw(st.integers(0, 5)) == 0:
            out.append("break")
    return out


@st.composite
def _compound(draw: st.DrawFn, depth: int, module_level: bool, unit: str, in_loop: bool) -> list[str]:
    kind = draw(st.integers(0, 10))

    def body(*, level: bool = module_level, loop: bool = in_loop) -> list[str]:
        return _indent(draw(_block(depth, level, unit, loop)), unit)

    if kind == 0:
        test = draw(st.sampled_from(["x", "TYPE_CHECKING", "typing.TYPE_CHECKING", "sys.version_info >= (3, 12)"]))
        lines = [f"if {test}:", *body()]
        if draw(st.booleans()):
            lines += ["elif y:", *body()]
        if draw(st.booleans()):
            lines += ["else:", *body()]
        return lines
    if kind == 1:
        handler = draw(st.sampled_from(["ImportError", "ModuleNotFoundError", "(ImportError, AttributeError)", "Exception", "KeyError", ""]))
        lines = ["try:", *body(), f"except {handler}:".replace("except :", "except:"), *body()]
        if draw(st.booleans()):
            lines += ["else:", *body()]
        if draw(st.booleans()):
            lines += ["finally:", *body()]
        return lines
    if kind == 2 and sys.version_info >= (3, 11):  # no `break` in an except* block
        return ["try:", *body(loop=False), "except* ImportError:", *body(loop=False)]
    if kind in (2, 3):
        decorator = draw(st.sampled_from(["", "@functools.cache\n", "@decorate(os.path)\n"]))
        head = draw(st.sampled_from(["def f(p):", "async def af(p):", "def g(p=os.path.sep, *a, **kw):"]))
        first = [f"{unit}global {draw(st.sampled_from(GLOBALS))}"] if draw(st.integers(0, 3)) == 0 else []
        return [*(decorator.split("\n")[:-1]), head, *first, *body(level=False, loop=False)]
    if kind == 4:
        base = draw(st.sampled_from(["", "(Base)", "(os.PathLike)", "(metaclass=abc.ABCMeta)"]))
        return [f"class C{base}:", *body(level=False, loop=False)]
    if kind == 5:
        target = draw(st.sampled_from(["", " as cm", f" as {draw(_names())}"]))
        return [f"with ctx(){target}:", *body()]
    if kind == 6:
        target = draw(_names())
        lines = [f"for {target} in items:", *body(loop=True)]
        if draw(st.booleans()):
            lines += ["else:", *body()]
        return lines
    if kind == 7:
        return ["while x:", *body(loop=True), f"{unit}break"]
    if kind == 8:
        return [
            "match x:", f"{unit}case 1 | 2:", *_indent(body(), unit), f"{unit}case {{'k': os_path, **rest}}:",
            *_indent(body(), unit), f"{unit}case _:", *_indent(body(), unit),
        ]
    if kind == 9 and depth > 0:  # a def in a class in an if: several scopes at once
        return ["if x:", f"{unit}class K:", f"{unit * 2}def m(self):", *_indent(_indent(body(level=False, loop=False), unit), unit)]
    return ["if x:", *body()]


@st.composite
def programs(draw: st.DrawFn, max_depth: int = 3) -> str:
    """One import-heavy program that compiles."""
    unit = draw(st.sampled_from(["    ", "    ", "  ", "\t"]))
    head = []
    if draw(st.booleans()):
        head.append('"""Docstring."""')
    if draw(st.booleans()):
        head.append("from __future__ import annotations")
    if draw(st.booleans()):
        head.append(draw(st.sampled_from(["import sys", "import sys as _sys", "from sys import modules", "import importlib"])))
    body = draw(_block(max_depth, True, unit))
    source = "\n".join([*head, *body]) + "\n"
    return source


# ------------------------------------------------------------- real code


def _real_modules() -> list[tuple[str, list[int]]]:
    """Small import-heavy stdlib modules (the fixer is slow on large ones with many findings,
    see test_scaling.py), and the lines after which a statement may be inserted:
    the last line of each top-level statement after the docstring and ``__future__`` imports."""
    out = []
    for name in ("importlib/__init__.py", "importlib/util.py", "importlib/machinery.py", "runpy.py"):
        path = stdlib_root() / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        body = ast.parse(text).body
        first = 0
        while first < len(body) and (
            (first == 0 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant))
            or (isinstance(body[first], ast.ImportFrom) and body[first].module == "__future__")
        ):
            first += 1
        ends = [stmt.end_lineno or stmt.lineno for stmt in body[max(first - 1, 0):]]
        out.append((text, ends if first else [0, *ends]))
    return out


_REAL: list[tuple[str, list[int]]] | None = None


def real_modules() -> list[tuple[str, list[int]]]:
    global _REAL
    if _REAL is None:
        _REAL = _real_modules()
    return _REAL


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """A real stdlib module with generated statements inserted between its top-level statements."""
    modules = real_modules()
    text, ends = modules[draw(st.integers(0, len(modules) - 1))]
    inserts: dict[int, list[str]] = {}
    for _ in range(draw(st.integers(1, 6))):
        at = ends[draw(st.integers(0, len(ends) - 1))]
        inserts.setdefault(at, []).extend(s + "\n" for s in draw(_block(1, True, "    ")))
    out: list[str] = inserts.get(0, [])
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        out.append(line)
        out.extend(inserts.get(number, []))
    return "".join(out)
