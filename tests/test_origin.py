"""IPS404: a name imported from a module that only re-imports it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_importstyle import resolve
from flake8_importstyle.rules.origin import reimported_from
from tests.conftest import lint


def project(root: Path, files: dict[str, str]) -> resolve.Roots:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    resolve.clear_caches()
    return (str(root),)


FILES = {
    "app/__init__.py": "from app.db.session import Session\n",
    "app/db/__init__.py": "",
    "app/db/session.py": "class Session: ...\nclass Engine: ...\n",
    "app/db/_impl.py": "class Hidden: ...\n",
    "app/models.py": """\
        from app.db.session import Session, Engine
        from app.db._impl import Hidden
        from .db import session as session_module
        from app.chain import Token
        try:
            from app.db.session import Maybe
        except ImportError:
            Maybe = None
        from app.db.session import Twice
        Twice = 2
        from app.db.session import Listed
        __all__ = ["Listed"]
        class Own: ...
    """,
    "app/chain.py": "from app.models import Token\n",  # a loop: models <-> chain
    "app/plain.py": "from app.models import Session\n",
    "app/stubbed.pyi": "from app.db.session import Session as Session\n",
}


@pytest.mark.parametrize(
    ("module", "name", "origin"),
    [
        ("app.models", "Session", "app.db.session"),
        ("app.models", "Engine", "app.db.session"),
        ("app.plain", "Session", "app.db.session"),  # followed through models
        ("app.models", "Own", None),  # defined there
        ("app.models", "Hidden", None),  # a private source is not suggested
        ("app.models", "Maybe", None),  # conditional
        ("app.models", "Twice", None),  # bound twice
        ("app.models", "Listed", None),  # in __all__
        ("app", "Session", None),  # a package's re-export is its API
        ("app.stubbed", "Session", None),  # a stub
        ("app.missing", "Session", None),  # no such module
        ("app.models", "session_module", None),  # bound under another name
    ],
)
def test_reimported_from(tmp_path: Path, module: str, name: str, origin: str | None) -> None:
    roots = project(tmp_path, FILES)
    assert reimported_from(module, name, roots) == origin


def test_a_loop_of_reimports_ends(tmp_path: Path) -> None:
    roots = project(tmp_path, FILES)
    assert reimported_from("app.chain", "Token", roots) is None
    assert reimported_from("app.models", "Token", roots) is None


def test_it_is_off_by_default_and_names_the_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    source = "from app.models import Session, Own\n"
    assert [f for f in lint(source, "views.py") if f.code == "IPS404"] == []
    (finding,) = [f for f in lint(source, "views.py", extend_select=["IPS404"]) if f.code == "IPS404"]
    assert (finding.line, finding.col) == (1, 23)
    assert finding.message == "import 'Session' from app.db.session, which defines it: app.models only re-imports it"


@pytest.mark.slow
def test_flake8_reports_it_when_selected(tmp_path: Path) -> None:
    project(tmp_path, FILES)
    (tmp_path / "views.py").write_text("from app.models import Session\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "IPS404", "views.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.stdout.splitlines() == [
        "views.py:1:24: IPS404 import 'Session' from app.db.session, which defines it: app.models only re-imports it"
    ]
