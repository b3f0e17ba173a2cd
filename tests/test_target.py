"""The Python a project targets: the option, else requires-python, else the running Python."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from flake8_importstyle.config import OPTION_NAMES, Config, ConfigError
from flake8_importstyle.plugin import Plugin
from flake8_importstyle.target import lower_bound, parse_version, project_folder, project_target, target_for


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        (">=3.9", (3, 9)),
        (">=3.9,<4", (3, 9)),
        ("<4, >=3.10.2", (3, 10)),
        ("~=3.11.2", (3, 11)),
        ("~=3.11", (3, 11)),
        ("==3.12.*", (3, 12)),
        (">3.8", (3, 8)),  # admits 3.8.1
        (">=3.8, !=3.9.*", (3, 8)),
        (">=2.7, !=3.0.*", (3, 0)),
        (">= 3.10", (3, 10)),
        ("<3.13", None),  # no lower bound
        ("!=3.9", None),
        ("", None),
        ("python3.9", None),  # not a specifier
        (">=4", None),
    ],
)
def test_lower_bound(specifier: str, expected: tuple[int, int] | None) -> None:
    assert lower_bound(specifier) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.10", (3, 10)),
        (" 3.9 ", (3, 9)),
        ("3", None),
        ("2.7", None),
        ("3.10.1", None),
        ("3.x", None),
        ("3.010", None),
    ],
)
def test_parse_version(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_version(text) == expected


def test_a_bad_option_value_is_one_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_options(target_python="3.x")
    assert (
        str(info.value)
        == "flake8-importstyle: importstyle-target-python: '3.x' is not a Python version such as 3.10"
    )
    assert Config.from_options(target_python="3.9").target_python == (3, 9)
    assert Config.from_options().target() == sys.version_info[:2]


def test_pyproject_first_then_setup_cfg(tmp_path: Path) -> None:
    assert project_target(str(tmp_path)) is None
    (tmp_path / "setup.cfg").write_text("[options]\npython_requires = >=3.8\n", encoding="utf-8")
    assert project_target(str(tmp_path)) == (3, 8)
    (tmp_path / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools"]\n', encoding="utf-8")
    assert project_target(str(tmp_path)) == (3, 8)  # no requires-python there: setup.cfg says
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.11"\n', encoding="utf-8"
    )
    assert project_target(str(tmp_path)) == (3, 11)


@pytest.mark.parametrize(
    "pyproject", ["[project\nrequires-python = '>=3.9'\n", "[project]\nrequires-python = 3.9\n", b"\xff\xfe"]
)
def test_an_unreadable_pyproject_falls_back(tmp_path: Path, pyproject: str | bytes) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(pyproject.encode() if isinstance(pyproject, str) else pyproject)
    assert project_target(str(tmp_path)) is None
    assert target_for(None, str(tmp_path)) == sys.version_info[:2]


def test_the_option_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.11"\n', encoding="utf-8")
    assert target_for("3.9", str(tmp_path)) == (3, 9)
    assert target_for(None, str(tmp_path)) == (3, 11)
    assert target_for(None, None) == sys.version_info[:2]


def test_the_project_folder_is_the_config_files(tmp_path: Path) -> None:
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    (tmp_path / "tox.ini").write_text("[flake8]\nselect = IPS\n", encoding="utf-8")
    (tmp_path / "src" / "setup.cfg").write_text("[metadata]\nname = x\n", encoding="utf-8")  # no [flake8]
    assert project_folder(None, str(sub)) == str(tmp_path)
    assert project_folder(str(sub / "my.cfg"), str(tmp_path)) == str(sub)
    (tmp_path / "tox.ini").unlink()
    assert project_folder(None, str(sub)) == str(tmp_path / "src")  # no flake8 config: nearest project file


def _options(**values: object) -> argparse.Namespace:
    names = [name.replace("-", "_") for name in OPTION_NAMES]
    return argparse.Namespace(**{f"importstyle_{n}": values.get(n) for n in names})


def test_the_plugin_reads_the_projects_requires_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = Plugin.config
    try:
        (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.9"\n', encoding="utf-8")
        (tmp_path / "setup.cfg").write_text("[flake8]\nselect = IPS\n", encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        Plugin.parse_options(_options())
        assert Plugin.config.target() == (3, 9)
        Plugin.parse_options(_options(target_python="3.12"))
        assert Plugin.config.target() == (3, 12)
    finally:
        Plugin.config = saved


# ------------------------------------------------ the config file, found as flake8 finds it

#: Layouts under a home folder ``home``; the search starts in ``home/proj/sub``.
SEARCHES = [
    pytest.param({"home/proj/sub/setup.cfg": "[flake8]\n"}, "home/proj/sub/setup.cfg", id="here"),
    pytest.param({"home/proj/tox.ini": "[flake8]\n"}, "home/proj/tox.ini", id="above"),
    pytest.param(
        {"home/proj/setup.cfg": "[flake8]\n", "home/proj/tox.ini": "[flake8]\n", "home/proj/.flake8": "[flake8]\n"},
        "home/proj/setup.cfg",
        id="setup.cfg-first",
    ),
    pytest.param(
        {"home/proj/tox.ini": "[testenv]\ncommands\n  pytest\n[flake8]\n", "home/proj/.flake8": "[flake8]\n"},
        "home/proj/.flake8",
        id="an-unparsable-tox.ini-is-passed-over",
    ),
    pytest.param({"home/proj/setup.cfg": b"[flake8]\n# \xff\n"}, None, id="not-utf-8"),
    pytest.param({"home/proj/sub/tox.ini": "[tox]\n", "home/proj/.flake8": "[flake8]\n"}, "home/proj/.flake8", id="no-section"),
    pytest.param({"home/proj/tox.ini": "[flake8:local-plugins]\n"}, "home/proj/tox.ini", id="local-plugins"),
    pytest.param({"home/setup.cfg": "[flake8]\n"}, None, id="not-in-the-home-folder"),
    pytest.param({"setup.cfg": "[flake8]\n"}, None, id="not-above-the-home-folder"),
    pytest.param(
        {"home/proj/sub/setup.cfg/x": "", "home/proj/tox.ini": "[flake8]\n"}, "home/proj/tox.ini",
        id="a-folder-named-setup.cfg",
    ),
]


def _layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes]) -> str:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    (tmp_path / "home/proj/sub").mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return str(tmp_path / "home/proj/sub")


@pytest.mark.parametrize(("files", "expected"), SEARCHES)
def test_the_config_file_is_the_one_flake8_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str | bytes], expected: str | None
) -> None:
    from flake8.options.config import _find_config_file as flake8_find

    from flake8_importstyle import target

    start = _layout(tmp_path, monkeypatch, files)
    want = str(tmp_path / expected) if expected else None
    assert flake8_find(start) == want
    assert target.find_config_file(start) == want


def test_the_search_parses_only_the_files_that_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flake8's own search builds a parser for each name in each folder; this one only for
    the files there are (a parser costs more than the rest of a lint's start)."""
    import configparser

    from flake8_importstyle import target

    start = _layout(tmp_path, monkeypatch, {"home/proj/tox.ini": "[flake8]\n"})
    built: list[object] = []
    real = configparser.RawConfigParser

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(configparser, "RawConfigParser", Counting)
    assert target.find_config_file(start) == str(tmp_path / "home/proj/tox.ini")
    assert len(built) == 1


def test_the_folders_searched_stop_below_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_importstyle.target import folders_up

    start = _layout(tmp_path, monkeypatch, {})
    assert folders_up(start) == [start, str(tmp_path / "home/proj")]
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))  # not a folder: the search goes to the root
    assert folders_up(start)[-1] == "/" and len(folders_up(start)) == len(Path(start).parts)


def test_no_project_file_above_the_home_folder_sets_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = _layout(tmp_path, monkeypatch, {"home/pyproject.toml": "[project]\nrequires-python = '>=3.9'\n"})
    assert project_folder(None, start) is None
    (tmp_path / "home/proj/pyproject.toml").write_text("[project]\nrequires-python = '>=3.9'\n", encoding="utf-8")
    assert project_folder(None, start) == str(tmp_path / "home/proj")
    assert project_folder(None, start, isolated=True) is None  # --isolated reads no project file


def test_flake8_pyprojects_toml_is_the_config_where_flake8_loaded_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flake8-pyproject's hook (loaded by flake8 as a plugin) reads ``[tool.flake8]`` of the
    current folder's pyproject.toml, or of its ``--toml-config``, even under ``--isolated``."""
    import types

    from flake8_importstyle.target import config_folder, pyproject_config

    start = _layout(tmp_path, monkeypatch, {"home/proj/sub/pyproject.toml": "[tool.flake8]\nselect = \"IPS\"\n"})
    monkeypatch.chdir(start)
    (tmp_path / "home/proj/setup.cfg").write_text("[flake8]\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "flake8p.hook", raising=False)
    assert pyproject_config() is None
    assert config_folder(None) == str(tmp_path / "home/proj")
    hook = types.ModuleType("flake8p.hook")
    hook.toml_config = Path("pyproject.toml")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "flake8p.hook", hook)
    assert pyproject_config() == str(Path(start) / "pyproject.toml")
    assert config_folder(None) == config_folder(None, isolated=True) == config_folder("x/y.cfg") == start
    hook.toml_config = Path("../other.toml")  # type: ignore[attr-defined]
    assert pyproject_config() is None  # no such file
    (tmp_path / "home/proj/other.toml").write_text("[tool.black]\n", encoding="utf-8")
    assert pyproject_config() is None  # no [tool.flake8]
    (tmp_path / "home/proj/other.toml").write_text("[tool.flake8]\n", encoding="utf-8")
    assert config_folder(None) == str(tmp_path / "home/proj")
