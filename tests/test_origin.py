"""IPS404: a name imported from a module that only re-imports it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_importstyle import resolve
from flake8_importstyle.rules.origin import Opaque, effective_loads, import_effects, reimported_from
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


# ------------------------------------------------- what importing a module does (the fix's proof)

EFFECTS = {
    "lib/__init__.py": "",
    "lib/defs.py": "class Thing:\n    pass\n",
    "lib/noisy.py": 'print("[load lib.noisy]")\nclass Thing:\n    pass\n',
    "lib/plain.py": '''\
        """Only imports, definitions and constants."""
        from __future__ import annotations
        import typing
        from typing import TYPE_CHECKING, Optional
        from lib.defs import Thing
        from lib import defs
        if TYPE_CHECKING:
            from lib.noisy import Other
        LIMIT: int = -1
        NAMES = ("a", "b")
        TABLE = {"a": [1, 2], "b": NAMES}
        class Own(Exception):
            """A class."""
            size = 3
            def method(self, value: Other = None, *, flag=LIMIT) -> Optional[int]:
                return value
        class Child(Own):
            pass
        async def job(x=typing.Any):
            return x
    ''',
    "lib/calls.py": "from lib.defs import Thing\nREGISTRY = dict()\n",
    "lib/decorated.py": "from lib.defs import Thing\ndef keep(f):\n    return f\n@keep\ndef f():\n    pass\n",
    "lib/based.py": "from lib.defs import Thing\nclass Own(Thing):\n    pass\n",
    "lib/registers.py": "from lib.defs import Thing\nclass Own:\n    def __init_subclass__(cls):\n        pass\n",
    "lib/modules.py": "import sys\nfrom lib.defs import Thing\nsys.modules['x'] = Thing\n",
    "lib/builtins_write.py": "from lib.defs import Thing\n__builtins__ = {}\n",
    "lib/getattr.py": "from lib.defs import Thing\ndef __getattr__(name):\n    return name\n",
    "lib/conditional.py": "import sys\nfrom lib.defs import Thing\nif sys.platform:\n    X = 1\n",
    "lib/trying.py": "try:\n    from lib.defs import Thing\nexcept ImportError:\n    Thing = None\n",
    "lib/missing.py": "from lib.defs import Thing, Nothing\n",
    "lib/unknown_std.py": "from typing import NoSuchName\nfrom lib.defs import Thing\n",
    "lib/first_noisy.py": "from lib.noisy import Thing as Noisy\nfrom lib.defs import Thing\n",
    "lib/after.py": "from lib.noisy import Thing\nfrom lib.noisy import Thing as Again\n",
    "lib/annotated.py": "from lib.defs import Thing\ndef f(x: undefined_name):\n    pass\n",
    "lib/loop_a.py": "from lib.loop_b import Thing\n",
    "lib/loop_b.py": "from lib.loop_a import Thing\n",
}


@pytest.mark.parametrize(
    ("module", "effects"),
    [
        ("lib.defs", ()),
        ("lib.plain", ()),
        ("lib", ()),
        ("lib.noisy", "lib.noisy:1 evaluates print('[load lib.noisy]') when it is imported"),
        ("lib.calls", "lib.calls:2 evaluates dict() when it is imported, which may do something"),
        ("lib.decorated", "lib.decorated:4 decorates f(), a call"),
        ("lib.based", "lib.based:2 creates the class Own with a base that may run code"),
        ("lib.registers", "lib.registers:3 defines __init_subclass__, which runs when other code is created"),
        ("lib.modules", "lib.modules:3 assigns to something other than a name"),
        ("lib.builtins_write", "lib.builtins_write:2 binds __builtins__, which the import system or the builtins read"),
        ("lib.getattr", "lib.getattr binds names at run time (__getattr__, globals(), a star import, sys.modules)"),
        ("lib.conditional", "lib.conditional:3 runs a if statement when it is imported"),
        ("lib.trying", "lib.trying:1 runs a try statement when it is imported"),
        ("lib.missing", "lib.missing:1 imports 'Nothing' from lib.defs, which may not bind it"),
        ("lib.unknown_std", "lib.unknown_std:1 imports 'NoSuchName' from typing, which may not have it"),
        ("lib.annotated", "lib.annotated:2 evaluates undefined_name when it is imported, which may do something"),
        # a module with effects of its own is one effect, in its place, once
        ("lib.first_noisy", ("lib.noisy",)),
        ("lib.after", ("lib.noisy",)),
        ("lib.loop_a", "lib.loop_a is in a cycle of imports"),
        ("lib.loop_b", "lib.loop_b is in a cycle of imports"),
        ("lib.nothere", "lib.nothere cannot be found"),
    ],
)
def test_import_effects(tmp_path: Path, module: str, effects: tuple[str, ...] | str) -> None:
    roots = project(tmp_path, EFFECTS)
    found = import_effects(module, roots)
    if isinstance(effects, str):
        assert found == Opaque(effects)
    else:
        assert found == effects


def test_effective_loads_replace_each_module_by_what_it_loads(tmp_path: Path) -> None:
    roots = project(tmp_path, EFFECTS)
    assert effective_loads(["lib", "lib.first_noisy"], roots) == ["lib.noisy"]
    assert effective_loads(["lib", "lib.noisy"], roots) == ["lib.noisy"]
    assert effective_loads(["lib", "lib.calls"], roots) == ["lib.calls"]  # proved nothing: itself
    assert effective_loads(["lib", "lib.plain", "lib.defs"], roots) == []
