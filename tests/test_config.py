"""Option values: parsing, defaults, and one clear line for each bad value."""

from __future__ import annotations

import ast
import keyword

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flake8_importstyle.config import Config, ConfigError
from flake8_importstyle.conventions import DEFAULT_ALIASES


def test_defaults() -> None:
    config = Config.from_options()
    assert config == Config()
    assert dict(config.aliases) == dict(DEFAULT_ALIASES)
    assert config.relative == "allow"
    assert not config.banned and not config.no_from and not config.allow_dotted


def test_lists_from_config_and_command_line_forms() -> None:
    # flake8 hands a list for comma_separated_list options; a plain string also works
    assert Config.from_options(no_from=["json", " numpy "]).no_from == ("json", "numpy")
    assert Config.from_options(no_from="json,\n numpy").no_from == ("json", "numpy")
    assert Config.from_options(allow_dotted=["xml.*", "os.path"]).allow_dotted == ("xml.*", "os.path")


def test_aliases_add_override_and_remove() -> None:
    aliases = Config.from_options(aliases=["geopandas=gpd", "numpy = numeric", "tkinter="]).aliases
    assert aliases["geopandas"] == "gpd"
    assert aliases["numpy"] == "numeric"
    assert "tkinter" not in aliases
    assert aliases["pandas"] == "pd"


def test_banned_lines() -> None:
    banned = Config.from_options(banned="\n six.moves = use the stdlib \n\nos.system= use subprocess.run\npickle =\n").banned
    assert dict(banned) == {"six.moves": "use the stdlib", "os.system": "use subprocess.run", "pickle": ""}
    config = Config.from_options(banned="a = x\na.b = y")
    assert config.banned_entry("a.b.c") == "a.b"
    assert config.banned_entry("a.c") == "a"
    assert config.banned_entry("ab") is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"relative": "bad"}, "importstyle-relative: 'bad' is not one of allow, siblings, never"),
        ({"relative": "Never"}, "importstyle-relative: 'Never' is not one of allow, siblings, never"),
        (
            {"aliases": ["numpy=np=x"]},
            "importstyle-aliases: 'numpy=np=x' is not 'module=alias' (or 'module=' to drop a default)",
        ),
        ({"aliases": ["numpy"]}, "importstyle-aliases: 'numpy' is not 'module=alias' (or 'module=' to drop a default)"),
        ({"aliases": ["num py=np"]}, "importstyle-aliases: 'num py=np' names 'num py', which is not a dotted module name"),
        ({"aliases": ["numpy=n-p"]}, "importstyle-aliases: 'numpy=n-p' names 'n-p', which is not an identifier"),
        ({"banned": "six.moves"}, "importstyle-banned: 'six.moves' is not 'module = reason'"),
        ({"banned": "six..moves = x"}, "importstyle-banned: 'six..moves = x' names 'six..moves', which is not a dotted module name"),
        ({"no_from": ["1bad"]}, "importstyle-no-from: '1bad' is not a dotted module name"),
        ({"allow_dotted": ["xml.**"]}, "importstyle-allow-dotted: 'xml.**' is not a dotted module name"),
        ({"allow_dotted": ["a/b"]}, "importstyle-allow-dotted: 'a/b' is not a dotted module name"),
    ],
)
def test_bad_values_name_the_option_and_value(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_options(**options)  # type: ignore[arg-type]
    assert str(info.value) == f"flake8-importstyle: {message}"


def test_allow_dotted_patterns() -> None:
    config = Config.from_options(allow_dotted=["xml.*", "os.path"])
    assert config.dotted_allowed("xml.etree.ElementTree")
    assert config.dotted_allowed("os.path")
    assert not config.dotted_allowed("xmlrpc.client")
    assert not config.dotted_allowed("os.path.x")


def test_the_readme_lists_the_default_aliases() -> None:
    from pathlib import Path

    readme = " ".join((Path(__file__).parent.parent / "README.rst").read_text(encoding="utf-8").split())
    listed = readme.partition("The defaults: ")[2].partition(". Modules")[0]
    assert listed == ", ".join(f"{m}={a}" for m, a in sorted(DEFAULT_ALIASES.items()))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # a keyword, or a name Python reads as another (NFKC), would be written into code
        ({"aliases": "numpy=class"}, "importstyle-aliases: 'numpy=class' names 'class', which is a keyword"),
        ({"aliases": "numpy=None"}, "importstyle-aliases: 'numpy=None' names 'None', which is a keyword"),
        (
            {"aliases": "numpy=\ufb01le"},
            "importstyle-aliases: 'numpy=\ufb01le' names '\ufb01le', which is not written as Python reads names:"
            " it reads 'file' (NFKC)",
        ),
        (
            {"aliases": "numpy=\uff43\uff4c\uff41\uff53\uff53"},  # fullwidth 'class': Python reads the keyword
            "importstyle-aliases: 'numpy=\uff43\uff4c\uff41\uff53\uff53' names '\uff43\uff4c\uff41\uff53\uff53',"
            " which is not written as Python reads names: it reads 'class' (NFKC)",
        ),
        ({"aliases": "numpy=__debug__"}, "importstyle-aliases: 'numpy=__debug__' names '__debug__', which no import may bind"),
        (
            {"aliases": "json.class=js"},
            "importstyle-aliases: 'json.class=js' names 'json.class', which has the part 'class', a keyword",
        ),
        (
            {"aliases": "numpy=np, pandas=pd, numpy=nmp"},
            "importstyle-aliases: 'numpy=nmp' gives 'numpy' a second alias, after 'numpy=np': keep one",
        ),
        ({"no_from": ["json", "class"]}, "importstyle-no-from: 'class' is a keyword"),
        ({"names_ok": "a.if.b"}, "importstyle-names-ok: 'a.if.b' has the part 'if', a keyword"),
        (
            {"allow_dotted": "\uff58ml.*"},
            "importstyle-allow-dotted: '\uff58ml.*' is not written as Python reads names: it reads 'xml' (NFKC)",
        ),
        # two entries on one line: the second would be part of the first one's reason
        (
            {"banned": "six.moves = use the stdlib, os.system = use subprocess"},
            "importstyle-banned: 'six.moves = use the stdlib, os.system = use subprocess' holds two entries,"
            " 'six.moves' and 'os.system': write one 'module = reason' per line (a reason's own '=' goes in"
            " quotes or brackets)",
        ),
        (
            {"banned": "six.moves = no; mock=use unittest.mock"},
            "importstyle-banned: 'six.moves = no; mock=use unittest.mock' holds two entries, 'six.moves' and"
            " 'mock': write one 'module = reason' per line (a reason's own '=' goes in quotes or brackets)",
        ),
        (
            {"banned": "six.moves = use the stdlib mock = use unittest.mock"},
            "importstyle-banned: 'six.moves = use the stdlib mock = use unittest.mock' holds two entries,"
            " 'six.moves' and 'mock': write one 'module = reason' per line (a reason's own '=' goes in quotes"
            " or brackets)",
        ),
        ({"banned": "a = x\nb = y\na = z"}, "importstyle-banned: 'a = z' bans 'a' a second time: keep one entry"),
        ({"banned": "pass = x"}, "importstyle-banned: 'pass = x' names 'pass', which is a keyword"),
        # what Flake8-pyproject hands for TOML values that are no text
        ({"relative": ["never", "allow"]}, "importstyle-relative: 'never, allow' is a list; give one value"),
        ({"target_python": ["3.9", "3.10"]}, "importstyle-target-python: '3.9, 3.10' is a list; give one value"),
        ({"aliases": {"numpy": "np"}}, "importstyle-aliases: \"{'numpy': 'np'}\" is not text or a list of texts"),
        ({"no_from": ["json", 3]}, "importstyle-no-from: \"['json', 3]\" is not text or a list of texts"),
    ],
)
def test_values_that_would_make_bad_code_or_do_nothing_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_options(**options)  # type: ignore[arg-type]
    assert str(info.value) == f"flake8-importstyle: {message}"


def test_values_close_to_the_refused_ones_are_accepted() -> None:
    config = Config.from_options(
        aliases="numpy=match, pandas=type, json=_",  # soft keywords are names
        banned=(
            "os.system = use subprocess.run(args, shell=False)\n"  # an '=' in brackets
            "pickle = use 'json, safe=True' instead\n"  # in quotes
            "marshal = x == y is no reason\n"  # '==' is no entry
            "shelve = use sqlite3"
        ),
        no_from=["\u00e9t\u00e9", "numpy"],  # non-ASCII in NFKC form
        relative=["never"],  # a TOML list of one
        target_python=["3.11"],
    )
    assert (config.aliases["numpy"], config.aliases["pandas"], config.aliases["json"]) == ("match", "type", "_")
    assert config.banned["os.system"] == "use subprocess.run(args, shell=False)"
    assert config.banned["pickle"] == "use 'json, safe=True' instead"
    assert config.banned["marshal"] == "x == y is no reason"
    assert config.no_from == ("\u00e9t\u00e9", "numpy")
    assert (config.relative, config.target_python) == ("never", (3, 11))


_NAME_CHARS = st.sampled_from(
    [*"abcXYZ_019.", "\u0301", "\ufb01", "\uff43", "\u00e9", "\u2118", "\u00b7", "\u2168", "\u00aa", "\u00b2", "\u017f"]
)
_NAMES = st.one_of(
    st.sampled_from([*keyword.kwlist, *keyword.softkwlist, "__debug__"]),
    st.text(_NAME_CHARS, min_size=1, max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(alias=_NAMES)
def test_an_accepted_alias_is_the_name_python_binds(alias: str) -> None:
    """An alias the config accepts is written into code (``import numpy as ALIAS``): that code
    compiles, and binds exactly that name as Python reads it, so the rules, which compare it
    with the ``ast``'s names, and the fixer, which writes it, agree."""
    try:
        config = Config.from_options(aliases=f"numpy={alias}")
    except ConfigError:
        source = f"import numpy as {alias}"
        try:
            tree = ast.parse(source)
            compile(source, "<alias>", "exec")
        except SyntaxError:
            return
        assert tree.body[0].names[0].asname != alias  # type: ignore[attr-defined]
        return
    assert config.aliases["numpy"] == alias
    tree = ast.parse(f"import numpy as {alias}")
    compile(tree, "<alias>", "exec")
    assert tree.body[0].names[0].asname == alias  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(name=_NAMES)
def test_an_accepted_module_is_one_an_import_can_name(name: str) -> None:
    """A module the config accepts is one an import statement names as the ``ast`` gives it;
    a refused one cannot be (or is read as another name), so it could never match."""
    try:
        Config.from_options(no_from=name)
    except ConfigError:
        try:
            tree = ast.parse(f"import {name}")
        except SyntaxError:
            return
        assert tree.body[0].names[0].name != name  # type: ignore[attr-defined]
        return
    tree = ast.parse(f"import {name}")
    assert tree.body[0].names[0].name == name  # type: ignore[attr-defined]


def test_a_list_in_text_is_split_as_flake8_splits_it() -> None:
    """The same text means the same list here as flake8 hands over (``flake8.utils``), but for
    the alias pairs, whose ``=`` may have spaces around it."""
    from flake8.utils import parse_comma_separated_list

    for text in ["json numpy", "json,numpy", " json ,\n\tnumpy,", "xml.*\n    os.path"]:
        assert Config.from_options(no_from=text.replace("xml.*", "xml")).no_from == tuple(
            parse_comma_separated_list(text.replace("xml.*", "xml"))
        )
        assert Config.from_options(allow_dotted=text).allow_dotted == tuple(parse_comma_separated_list(text))
    assert Config.from_options(namespace_packages="src/a  tools").namespace_packages == ("src/a", "tools")
    assert Config.from_options(aliases="numpy = numeric,\n pandas = pds").aliases["pandas"] == "pds"
