"""IPS402's rewrite: the submodule a chain reaches is imported, where importing it provably does nothing."""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from flake8_importstyle import resolve
from flake8_importstyle.fix import ResolverFacts, fix_bytes, prefix_selector
from flake8_importstyle.proof import prove
from tests.conftest import config_from

#: A project next to the fixed file: ``kit``'s submodules, with and without effects on import.
KIT = {
    "kit/__init__.py": '"""A package that imports none of its submodules."""\n',
    "kit/consts.py": (
        '"""Only constants and definitions: importing it does nothing of its own."""\n'
        'NAME = "kit.consts"\n\n\nclass Error(Exception):\n    pass\n\n\ndef f():\n    return "kit.consts.f()"\n'
    ),
    "kit/inner/__init__.py": "",
    "kit/inner/leaf.py": 'NAME = "kit.inner.leaf"\n',
    "kit/loud.py": 'print("[load kit.loud]")\nNAME = "kit.loud"\n',
    "kit/registry.py": 'NAME = "kit.registry"\nREGISTERED = []\nREGISTERED.append(NAME)\n',
    "kit/heavy.py": 'import kit.loud\nNAME = "kit.heavy"\n',
    "kit/types.py": 'NAME = "kit.types"\n',
    "noisy/__init__.py": 'print("[load noisy]")\n',
    "noisy/consts.py": 'NAME = "noisy.consts"\n',
    # the program's entry point imports the submodules first: the chains work before the fix
    "loader.py": "import kit.consts\nimport kit.inner.leaf\nimport kit.loud\nimport kit.types\n",
}


def fix(tmp_path: Path, source: str, select: tuple[str, ...] = ("IPS",), **options: str):
    for name, text in KIT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    resolve.clear_caches()
    filename = str(tmp_path / "app.py")
    selected = prefix_selector(select, ())
    result = fix_bytes(source.encode(), filename, config_from(options), selected)
    again = fix_bytes(result.data, filename, config_from(options), selected)
    assert again.data == result.data, "a second run changed the file"
    return result


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import kit\n\nprint(kit.consts.NAME, kit.consts.f())\n",
            "from kit import consts\n\nprint(consts.NAME, consts.f())\n",
            id="in-place-of-the-package-import",
        ),
        pytest.param(
            "import os\n\nimport kit\n\nprint(kit.consts.NAME, kit.__name__, os.sep)\n",
            "import os\n\nimport kit\nfrom kit import consts\n\nprint(consts.NAME, kit.__name__, os.sep)\n",
            id="the-package-read-otherwise-too",
        ),
        pytest.param(
            "import kit\n\nprint(kit.inner.leaf.NAME)\n",
            "from kit.inner import leaf\n\nprint(leaf.NAME)\n",
            id="the-deepest-submodule",
        ),
        pytest.param(
            "import kit\n\nconsts = 1\nprint(kit.consts.NAME, consts)\n",
            "from kit import consts as kit_consts\n\nconsts = 1\nprint(kit_consts.NAME, consts)\n",
            id="the-name-taken",
        ),
        pytest.param(
            "import kit\n\nprint(kit.types.NAME)\n",
            "from kit import types as kit_types\n\nprint(kit_types.NAME)\n",
            id="never-a-standard-module-name",
        ),
        pytest.param(
            "import os\n\n\ndef f():\n    import kit\n    print(kit)\n    return kit.consts.NAME\n",
            "import os\n\nfrom kit import consts\n\n\ndef f():\n    import kit\n    print(kit)\n    return consts.NAME\n",
            id="a-function-chain-gets-its-import-at-module-level",
        ),
        pytest.param(
            "def f():\n    import kit\n    return kit.consts.NAME\n",
            "def f():\n    from kit import consts\n    return consts.NAME\n",
            id="a-function-import-read-for-nothing-else",
        ),
        pytest.param(
            "def f():\n    import noisy\n    return noisy.consts.NAME\n",
            "def f():\n    from noisy import consts\n    return consts.NAME\n",
            id="in-place-the-package-loads-when-it-did",
        ),
        pytest.param(
            "import kit\n\n\ndef f():\n    return kit.consts.NAME\n",
            "from kit import consts\n\n\ndef f():\n    return consts.NAME\n",
            id="a-chain-in-a-function",
        ),
    ],
)
def test_the_submodule_is_imported(tmp_path: Path, before: str, after: str) -> None:
    result = fix(tmp_path, before)
    assert result.data.decode() == after
    assert result.skipped == []


@pytest.mark.parametrize(
    ("before", "after", "select", "options"),
    [
        pytest.param(
            "import kit\n\nprint(kit.consts.NAME)\n",
            "import kit\nimport kit.consts\n\nprint(kit.consts.NAME)\n",
            ("IPS4",),
            {},
            id="IPS101-not-selected",
        ),
        pytest.param(
            "import kit\n\nprint(kit.consts.NAME)\n",
            "import kit\nimport kit.consts\n\nprint(kit.consts.NAME)\n",
            ("IPS",),
            {"allow-dotted": "kit.consts"},
            id="allow-dotted",
        ),
        pytest.param(
            "def f():\n    import kit\n    return kit.consts.NAME\n",
            "def f():\n    import kit\n    import kit.consts\n    return kit.consts.NAME\n",
            ("IPS4",),
            {},
            id="dotted-beside-a-function-import",
        ),
    ],
)
def test_the_dotted_style_adds_only_the_import(
    tmp_path: Path, before: str, after: str, select: tuple[str, ...], options: dict[str, str]
) -> None:
    result = fix(tmp_path, before, select, **options)
    assert result.data.decode() == after
    assert result.skipped == []


@pytest.mark.parametrize(
    ("source", "reason", "options"),
    [
        pytest.param(
            "import kit\n\nprint(kit.loud.NAME)\n",
            "importing kit.loud may do something, which it did not do there before: kit.loud:1 evaluates "
            "print('[load kit.loud]') when it is imported",
            {},
            id="a-print",
        ),
        pytest.param(
            "import kit\n\nprint(kit.registry.NAME)\n",
            "kit.registry:3 evaluates REGISTERED.append(NAME) when it is imported",
            {},
            id="a-registration",
        ),
        pytest.param(
            "import os\n\n\ndef f():\n    import noisy\n    print(noisy)\n    return noisy.consts.NAME\n",
            "importing noisy may do something, which it did not do there before: noisy:1 evaluates"
            " print('[load noisy]') when it is imported",
            {},
            id="the-package-loaded-earlier-at-the-top",
        ),
        pytest.param(
            "import kit\n\ntry:\n    print(kit.consts.NAME)\nexcept AttributeError:\n    print('not yet')\n",
            "the handler at line 5 catches the AttributeError that line 4 raises while nothing has imported"
            " kit.consts",
            {},
            id="the-attribute-error-caught",
        ),
        pytest.param(
            "import kit\n\nprint(kit.heavy.NAME)\n",
            "importing kit.heavy loads kit.loud, which may do something",
            {},
            id="an-import-with-effects",
        ),
        pytest.param(
            "import sys\n\nif sys.argv[1:]:\n    import kit\nprint(kit.consts.NAME)\n",
            "'kit' at line 5 may be read when the import at line 4 has not run",
            {},
            id="the-name-bound-otherwise",
        ),
        pytest.param(
            "from kit import inner\n\nprint(inner.leaf.NAME)\n",
            "'import kit.inner.leaf' binds 'kit', but the chain starts with 'inner' (bound to kit.inner)",
            {"allow-dotted": "kit.inner.leaf"},
            id="dotted-style-another-name",
        ),
    ],
)
def test_refused_with_the_line_that_blocks(
    tmp_path: Path, source: str, reason: str, options: dict[str, str]
) -> None:
    result = fix(tmp_path, source, **options)
    assert result.data.decode() == source
    reasons = [why for _, _, code, why in result.skipped if code == "IPS402"]
    assert reasons and reason in reasons[0], result.skipped


def test_a_compiled_submodule_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / f"native{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    result = fix(tmp_path, "import kit\n\nprint(kit.native.NAME)\n")
    reasons = [why for _, _, code, why in result.skipped if code == "IPS402"]
    assert reasons == ["importing kit.native may do something, which it did not do there before: kit.native has no"
                       " Python source to read"]


def test_the_proof_accepts_a_new_load_only_of_a_module_that_does_nothing(tmp_path: Path) -> None:
    """The check before writing, on its own: a module the original never loads may be loaded
    where it provably does nothing, unless a handler may catch the AttributeError it prevents."""
    fix(tmp_path, "")  # writes the project
    facts = ResolverFacts(str(tmp_path / "app.py"))
    assert prove("import kit\nprint(kit.consts.NAME)\n", "from kit import consts\nprint(consts.NAME)\n",
                 facts=facts) is None
    assert prove("import kit\nprint(kit.loud.NAME)\n", "from kit import loud\nprint(loud.NAME)\n",
                 facts=facts) == "the imports at line 1 would not load the same modules in the same order"
    caught = "try:\n    print({})\nexcept Exception:\n    pass\n"
    assert prove(
        "import kit\n" + caught.format("kit.consts.NAME"), "from kit import consts\n" + caught.format("consts.NAME"),
        facts=facts,
    ) == (
        "the handler at line 4 may catch the AttributeError of 'consts' at line 3, which the new import"
        " would prevent"
    )


PROGRAM = """\
import loader  # the entry point's imports, which the chains rely on
import kit


def later():
    return kit.consts.f(), kit.inner.leaf.NAME


print(kit.consts.NAME, kit.loud.NAME, sorted(k for k in __import__("sys").modules if k.startswith("kit")))
print(later())
"""


@pytest.mark.slow
def test_a_fixed_program_prints_the_same(tmp_path: Path) -> None:
    """Before and after the fix, in a fresh interpreter: the same output, and the
    submodule with a print of its own is left alone."""
    result = fix(tmp_path, PROGRAM)
    fixed = result.data.decode()
    assert "from kit import consts" in fixed and "from kit.inner import leaf" in fixed
    assert "kit.loud.NAME" in fixed
    assert [code for _, _, code, _ in result.skipped] == ["IPS402"]

    def run(text: str) -> str:
        (tmp_path / "app.py").write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-E", "-S", "-B", "app.py"], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        return proc.stdout

    before = run(PROGRAM)
    assert "[load kit.loud]" in before and "kit.consts" in before
    assert run(fixed) == before
