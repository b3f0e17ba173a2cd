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
    assert Config.from_options().target_python == sys.version_info[:2]


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
        assert Plugin.config.target_python == (3, 9)
        Plugin.parse_options(_options(target_python="3.12"))
        assert Plugin.config.target_python == (3, 12)
    finally:
        Plugin.config = saved
