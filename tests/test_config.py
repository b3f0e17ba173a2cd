"""Option values: parsing, defaults, and one clear line for each bad value."""

from __future__ import annotations

import pytest

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
