"""Import contracts (IPS501-IPS503): import-linter's configuration read in each of its
formats, its documented examples, ``importstyle-contracts``, and agreement with the real
import-linter on a small project."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flake8_importstyle.config import Config, ConfigError
from flake8_importstyle.contracts import ContractFileError, ContractSet, expression, project_contracts
from flake8_importstyle.rules import check_tree
from tests.conftest import lint

CODES = frozenset({"IPS501", "IPS502", "IPS503"})


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


def package(root: Path, *names: str) -> None:
    """Packages (folders with ``__init__.py``) under *root*: ``a/b`` makes ``a`` and ``a/b``."""
    for name in names:
        parts = name.split("/")
        for i in range(1, len(parts) + 1):
            init = root.joinpath(*parts[:i], "__init__.py")
            init.parent.mkdir(parents=True, exist_ok=True)
            init.touch()


def found(path: Path, config: Config) -> list[tuple[int, int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    return [(f.line, f.col, f.code) for f in check_tree(ast.parse(source), lines, str(path), config, CODES)]


def with_project(folder: Path, config: Config | None = None) -> Config:
    config = config or Config()
    return config._replace(contracts=(config.contracts or ContractSet()).merged(project_contracts(str(folder))))


# ------------------------------------------------------------------ module expressions


@pytest.mark.parametrize(
    ("text", "name", "matches"),
    [  # import-linter's (grimp's) own examples of module expressions
        ("mypackage.foo", "mypackage.foo", True),
        ("mypackage.*", "mypackage.foo", True),
        ("mypackage.*", "mypackage.foo.bar", False),
        ("mypackage.*.baz", "mypackage.foo.baz", True),
        ("mypackage.*.baz", "mypackage.foo.bar.baz", False),
        ("mypackage.*.*", "mypackage.foobar.baz", True),
        ("mypackage.**", "mypackage.foo.bar", True),
        ("mypackage.**", "mypackage.foo.bar.baz", True),
        ("mypackage.**", "mypackage", False),
        ("mypackage.**.qux", "mypackage.foo.bar.qux", True),
        ("mypackage.**.qux", "mypackage.qux", False),
        ("mypackage.foo", "mypackage.foobar", False),
    ],
)
def test_module_expressions_match_as_import_linter_defines_them(text: str, name: str, matches: bool) -> None:
    parsed = expression(text)
    assert not isinstance(parsed, str)
    assert parsed.matches(name) is matches


@pytest.mark.parametrize("text", ["mypackage.foo*", "mypackage.**.*", "mypackage.*.**", "my-package", ""])
def test_bad_module_expressions_are_refused(text: str) -> None:
    assert isinstance(expression(text), str)


# ------------------------------------------------------------------ the option


def ips5(source: str, filename: str, contracts: str) -> list[str]:
    return [f.code for f in lint(source, filename, contracts=contracts) if f.code in CODES]


def test_the_option_reads_each_kind() -> None:
    assert ips5("import web\n", "domain.py", "forbidden: domain, models -> web, sqlalchemy") == ["IPS501"]
    assert ips5("import sqlalchemy.orm\n", "models.py", "forbidden: domain, models -> sqlalchemy") == ["IPS501"]
    assert ips5("import web\n", "domain.py", "layers: web > services > domain") == ["IPS502"]
    assert ips5("import domain\n", "web.py", "layers: web > services > domain") == []
    assert ips5("import green.x\n", "blue.py", "independence: blue, green") == ["IPS503"]
    assert ips5("import blue\n", "green.py", "independence: blue, green") == ["IPS503"]
    assert ips5("import red\n", "green.py", "independence: blue, green") == []
    assert ips5("import x\n", "a.py", "layers in x.*: b > a") == []  # a top-level module is in no container


def test_the_option_ignores_imports_as_ignore_imports_does(tmp_path: Path) -> None:
    """``; ignore: importer -> imported, ...`` after a contract lets those imports through,
    wildcards included, for each kind; the contract's name in messages leaves it out."""
    package(tmp_path, "app/domain/deep", "app/web", "blue", "green")

    def codes(name: str, source: str, contracts: str) -> list[str]:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return [code for _, _, code in found(path, Config.from_options(contracts=contracts))]

    forbidden = "forbidden: app.domain -> app.web; ignore: app.domain.admin -> app.web.forms"
    assert codes("app/domain/admin.py", "import app.web.forms\n", forbidden) == []
    assert codes("app/domain/admin.py", "import app.web.views\n", forbidden) == ["IPS501"]
    assert codes("app/domain/models.py", "import app.web.forms\n", forbidden) == ["IPS501"]
    layers = "layers: app.web > app.domain; ignore: app.domain.* -> app.web.api"
    assert codes("app/domain/models.py", "import app.web.api\n", layers) == []
    assert codes("app/domain/deep/models.py", "import app.web.api\n", layers) == ["IPS502"]  # '*': one part
    independence = "independence: blue, green; ignore: blue.x -> green, green.y -> blue.*"
    assert codes("blue/x.py", "import green\n", independence) == []
    assert codes("green/y.py", "import blue.z\n", independence) == []
    assert codes("blue/z.py", "import green\n", independence) == ["IPS503"]
    source = "import app.web\n"
    (tmp_path / "app/domain/x.py").write_text(source, encoding="utf-8")
    (finding,) = check_tree(
        ast.parse(source), [source], str(tmp_path / "app/domain/x.py"), Config.from_options(contracts=forbidden),
        CODES,
    )
    assert finding.message.endswith("(contract 'forbidden: app.domain -> app.web')")


def test_one_import_of_a_module_is_reported_once() -> None:
    """``from web import a, b`` imports ``web`` once (a and b are no modules here)."""
    source = "from web import (\n    a,\n    b,\n)\nfrom web import c\n"
    found = [(f.line, f.col) for f in lint(source, "domain.py", contracts="forbidden: domain -> web")
             if f.code in CODES]
    assert found == [(2, 4), (5, 16)]


def test_the_message_names_the_contract_and_the_rule() -> None:
    (finding,) = [f for f in lint("import web.views\n", "domain.py", contracts="layers: web > domain")
                  if f.code in CODES]
    assert finding.message == (
        "domain must not import web.views: layer domain is below web (contract 'layers: web > domain')"
    )
    assert (finding.line, finding.col) == (1, 7)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("forbid: a -> b", "forbid: a -> b"),
        ("forbidden: a, b", "forbidden: a, b"),
        ("forbidden: a -> b*", "forbidden: a -> b*"),
        ("layers: web", "layers: web"),
        ("layers: a | b : c > d", "layers: a | b : c > d"),
        ("layers: a > b > a", "layers: a > b > a"),
        ("independence: a", "independence: a"),
        ("independence in x: a, b", "independence in x: a, b"),
        ("forbidden: a -> b; ignor: a -> b", "forbidden: a -> b; ignor: a -> b"),
        ("forbidden: a -> b; ignore:", "forbidden: a -> b; ignore:"),
        ("forbidden: a -> b; ignore: a.x", "forbidden: a -> b; ignore: a.x"),
        ("layers: a > b; ignore: b -> a*", "layers: a > b; ignore: b -> a*"),
    ],
)
def test_a_malformed_option_is_one_error_naming_it(value: str, shown: str) -> None:
    with pytest.raises(ConfigError) as error:
        Config.from_options(contracts=value)
    message = str(error.value)
    assert message.startswith(f"flake8-importstyle: importstyle-contracts: {shown!r} ")
    assert "\n" not in message


def test_no_contracts_cost_nothing() -> None:
    assert Config.from_options().contracts is None
    assert Config.from_options(contracts="\n  \n").contracts is None


# ------------------------------------------------------------------ import-linter's documented examples

FORBIDDEN_DOCS = """\
    [importlinter]
    root_package = mypackage
    include_external_packages = True

    [importlinter:contract:my-forbidden-contract]
    name = My forbidden contract
    type = forbidden
    source_modules =
        mypackage.one
        mypackage.two
        mypackage.three.blue
    forbidden_modules =
        mypackage.four
        mypackage.five.green
        django
        requests
    ignore_imports =
        mypackage.one.green -> mypackage.utils
        mypackage.two -> mypackage.four
"""


def test_forbidden_as_documented(tmp_path: Path) -> None:
    package(tmp_path, "mypackage/one", "mypackage/two", "mypackage/three/blue", "mypackage/four", "mypackage/five/green")
    write(tmp_path, {
        ".importlinter": FORBIDDEN_DOCS,
        "mypackage/one/alpha.py": """\
            import mypackage.four
            from mypackage.five import green
            from mypackage.five import red
            import django.db
            from requests import get
            import mypackage.three
        """,
        # the ignored import: mypackage.two (the module itself) -> mypackage.four
        "mypackage/two/__init__.py": "from mypackage import four\n",
        "mypackage/two/beta.py": "from mypackage import four\n",
        "mypackage/three/other.py": "import django\n",  # not a source module
    })
    config = with_project(tmp_path)
    assert found(tmp_path / "mypackage/one/alpha.py", config) == [
        (1, 7, "IPS501"), (2, 27, "IPS501"), (4, 7, "IPS501"), (5, 21, "IPS501"),
    ]
    assert found(tmp_path / "mypackage/two/__init__.py", config) == []
    assert found(tmp_path / "mypackage/two/beta.py", config) == [(1, 22, "IPS501")]
    assert found(tmp_path / "mypackage/three/other.py", config) == []


LAYERS_DOCS = """\
    [tool.importlinter]
    root_package = "mysite"

    [[tool.importlinter.contracts]]
    name = "My three-tier layers contract"
    type = "layers"
    layers = ["high", "(medium)", "low"]
    containers = ["mysite.blog", "mysite.comments"]
    ignore_imports = ["mysite.blog.low.thing -> mysite.blog.high"]

    [[tool.importlinter.contracts]]
    name = "Siblings"
    type = "layers"
    layers = ["mysite.api | mysite.cli", "mysite.orders : mysite.payments", "mysite.lib"]
"""


def test_layers_with_containers_and_siblings_as_documented(tmp_path: Path) -> None:
    package(tmp_path, "mysite/blog/high", "mysite/blog/low", "mysite/comments/high", "mysite/comments/low",
            "mysite/api", "mysite/cli", "mysite/orders", "mysite/payments", "mysite/lib")
    write(tmp_path, {
        "pyproject.toml": LAYERS_DOCS,
        "mysite/blog/low/models.py": """\
            from mysite.blog.high import views
            from ..high import views
            from mysite.comments.high import views
            from mysite.blog import medium
            from . import other
            from mysite.blog import high
        """,
        "mysite/blog/low/thing.py": "import mysite.blog.high\n",
        "mysite/blog/high/views.py": "from mysite.blog.low import models\n",
        "mysite/lib/util.py": "import mysite.cli\n",
        "mysite/api/main.py": "import mysite.cli\nimport mysite.lib\n",
        "mysite/orders/main.py": "import mysite.payments\nimport mysite.api\n",
    })
    config = with_project(tmp_path)
    # another container's high layer is no higher than this container's low one
    assert found(tmp_path / "mysite/blog/low/models.py", config) == [
        (1, 29, "IPS502"), (2, 19, "IPS502"), (6, 24, "IPS502"),
    ]
    assert found(tmp_path / "mysite/blog/low/thing.py", config) == []  # ignore_imports
    assert found(tmp_path / "mysite/blog/high/views.py", config) == []
    assert found(tmp_path / "mysite/lib/util.py", config) == [(1, 7, "IPS502")]
    assert found(tmp_path / "mysite/api/main.py", config) == [(1, 7, "IPS502")]  # independent siblings
    assert found(tmp_path / "mysite/orders/main.py", config) == [(2, 7, "IPS502")]  # ':' siblings may


def test_independence_with_wildcards_as_documented(tmp_path: Path) -> None:
    package(tmp_path, "mypackage/plugins/blue", "mypackage/plugins/green", "mypackage/utils")
    write(tmp_path, {
        "setup.cfg": """\
            [flake8]
            max-line-length = 110

            [importlinter]
            root_packages =
                mypackage
            exclude_type_checking_imports = true

            [importlinter:contract:plugins]
            name = Plugins are independent
            type = independence
            modules =
                mypackage.plugins.*
            ignore_imports =
                mypackage.plugins.*.legacy -> mypackage.plugins.**
        """,
        "mypackage/plugins/blue/main.py": """\
            from typing import TYPE_CHECKING
            from mypackage.plugins import green
            from ..green import colours
            from mypackage import utils
            def f():
                import mypackage.plugins.green.deep
            if TYPE_CHECKING:
                from mypackage.plugins.green import types
        """,
        "mypackage/plugins/blue/legacy.py": "import mypackage.plugins.green\n",
        "tests/test_blue.py": "import mypackage.plugins.green\n",
    })
    config = with_project(tmp_path)
    assert found(tmp_path / "mypackage/plugins/blue/main.py", config) == [
        (2, 30, "IPS503"), (3, 20, "IPS503"), (6, 11, "IPS503"),
    ]
    assert found(tmp_path / "mypackage/plugins/blue/legacy.py", config) == []
    assert found(tmp_path / "tests/test_blue.py", config) == []  # outside the root packages


def test_as_packages_false_checks_the_named_modules_only(tmp_path: Path) -> None:
    package(tmp_path, "pkg/a", "pkg/b")
    write(tmp_path, {
        ".importlinter": """\
            [importlinter]
            root_package = pkg
            [importlinter:contract:x]
            name = Exact
            type = forbidden
            as_packages = False
            source_modules = pkg.a
            forbidden_modules = pkg.b
        """,
        "pkg/a/__init__.py": "import pkg.b\nimport pkg.b.c\n",
        "pkg/a/inner.py": "import pkg.b\n",
    })
    config = with_project(tmp_path)
    assert found(tmp_path / "pkg/a/__init__.py", config) == [(1, 7, "IPS501")]
    assert found(tmp_path / "pkg/a/inner.py", config) == []


def test_a_name_imported_from_a_module_is_the_module_import_linter_sees(tmp_path: Path) -> None:
    package(tmp_path, "pkg/a", "pkg/b")
    write(tmp_path, {
        ".importlinter": """\
            [importlinter]
            root_package = pkg
            [importlinter:contract:x]
            name = No b.sub
            type = forbidden
            source_modules = pkg.a
            forbidden_modules = pkg.b.sub
        """,
        "pkg/b/sub.py": "",
        "pkg/a/m.py": "from pkg.b import sub\nfrom pkg.b import other\n",
    })
    # `other` is no module: the import is of pkg.b, which the contract allows
    assert found(tmp_path / "pkg/a/m.py", with_project(tmp_path)) == [(1, 18, "IPS501")]


def test_other_contract_types_are_left_to_import_linter(tmp_path: Path) -> None:
    write(tmp_path, {
        ".importlinter": """\
            [importlinter]
            root_package = pkg
            [importlinter:contract:x]
            name = Acyclic
            type = acyclic_siblings
            [importlinter:contract:y]
            name = Custom
            type = mypackage.contracts.MyContract
        """,
    })
    assert project_contracts(str(tmp_path)).contracts == ()


# ------------------------------------------------------------------ reading the files


def test_the_first_file_with_a_section_wins_in_import_linters_order(tmp_path: Path) -> None:
    write(tmp_path, {
        "setup.cfg": "[flake8]\nselect = E\n",  # no importlinter section: the next file counts
        ".importlinter": "[importlinter]\nroot_package = a\n[importlinter:contract:x]\nname = Ini\n"
        "type = independence\nmodules =\n    a.b\n    a.c\n",
        "pyproject.toml": '[tool.importlinter]\nroot_package = "a"\n',
    })
    assert [c.name for c in project_contracts(str(tmp_path)).contracts] == ["Ini"]


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / ".importlinter"
    body = "[importlinter]\nroot_package = a\n[importlinter:contract:x]\nname = {}\ntype = independence\n" \
        "modules =\n    a.b\n    a.c\n"
    path.write_text(body.format("First"), encoding="utf-8")
    assert project_contracts(str(tmp_path)).contracts[0].name == "First"
    assert project_contracts(str(tmp_path)) is project_contracts(str(tmp_path))  # parsed once
    path.write_text(body.format("Second one"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert project_contracts(str(tmp_path)).contracts[0].name == "Second one"


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        (".importlinter", "[importlinter]\n[importlinter:contract:x]\nname = X\ntype = forbidden\n"
         "source_modules = a\nforbidden_modules = b*\n", "[importlinter:contract:x] forbidden_modules: 'b*'"),
        (".importlinter", "[importlinter]\n[importlinter:contract:x]\nname = X\ntype = layers\n",
         "[importlinter:contract:x] layers: ''"),
        (".importlinter", "[importlinter]\n[importlinter:contract:x]\nname = X\ntype = independence\n"
         "modules = a\nignore_imports = a.b\n", "[importlinter:contract:x] ignore_imports: 'a.b'"),
        (".importlinter", "[importlinter]\n[importlinter:contract:x]\nname = X\n", "[importlinter:contract:x] type"),
        ("setup.cfg", "[importlinter\nroot = a\n", "file:"),
        ("pyproject.toml", "[tool.importlinter]\ncontracts = 3\n", "[tool.importlinter] contracts: '3'"),
        ("pyproject.toml", '[tool.importlinter]\n[[tool.importlinter.contracts]]\nname = "X"\ntype = "forbidden"\n'
         'source_modules = ["a"]\nforbidden_modules = ["b"]\nas_packages = "maybe"\n',
         "[[tool.importlinter.contracts]] 1 as_packages: 'maybe'"),
        # import-linter's own refusals of outside packages in a forbidden contract
        (".importlinter", "[importlinter]\nroot_package = a\n[importlinter:contract:x]\nname = X\n"
         "type = forbidden\nsource_modules = a.b\nforbidden_modules = requests\n",
         "[importlinter:contract:x] forbidden_modules: 'requests' is outside the root packages"),
        (".importlinter", "[importlinter]\nroot_package = a\ninclude_external_packages = True\n"
         "[importlinter:contract:x]\nname = X\ntype = forbidden\nsource_modules = a.b\n"
         "forbidden_modules = django.db\n",
         "[importlinter:contract:x] forbidden_modules: 'django.db' is inside the outside package 'django'"),
        ("pyproject.toml", '[tool.importlinter]\nroot_package = "a"\n[[tool.importlinter.contracts]]\nname = "X"\n'
         'type = "forbidden"\nsource_modules = ["a.b"]\nforbidden_modules = ["a.c", "requests"]\n',
         "[[tool.importlinter.contracts]] 1 forbidden_modules: 'requests' is outside"),
    ],
)
def test_a_malformed_contract_is_one_error_naming_the_file(tmp_path: Path, name: str, text: str, shown: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ContractFileError) as error:
        project_contracts(str(tmp_path))
    message = str(error.value)
    assert message.startswith(f"flake8-importstyle: {tmp_path / name}: {shown}"), message
    assert "\n" not in message


def test_outside_packages_are_forbidden_as_import_linter_allows_them(tmp_path: Path) -> None:
    """With ``include_external_packages = true`` (a TOML boolean too) an outside package may
    be forbidden whole; without root packages (our own option) nothing is outside."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "a"\ninclude_external_packages = true\n'
        '[[tool.importlinter.contracts]]\nname = "No requests"\ntype = "forbidden"\n'
        'source_modules = ["a.b"]\nforbidden_modules = ["requests", "a.c.*"]\n',
        encoding="utf-8",
    )
    (contract,) = project_contracts(str(tmp_path)).contracts
    assert [e.text for e in contract.forbidden] == ["requests", "a.c.*"]
    assert ips5("import requests.adapters\n", "b.py", "forbidden: b -> requests.adapters") == ["IPS501"]


def test_a_file_without_contracts_is_checked_with_one_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default configuration: the rules stop at ``config.contracts is None``, before
    the file's module name is even worked out."""
    from flake8_importstyle.rules import contracts as rules

    called: list[str] = []
    monkeypatch.setattr(rules, "_violations", lambda file, found: called.append(file.filename) or [])
    assert lint("import web\n", "domain.py") == []
    assert called == []
    lint("import web\n", "other.py", contracts="forbidden: domain -> web")
    assert called == ["other.py"]


# ------------------------------------------------------------------ real flake8, real import-linter

pytest_slow = pytest.mark.slow


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "IPS5", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest_slow
@pytest.mark.parametrize("form", ["setup.cfg", ".importlinter", "pyproject.toml"])
def test_flake8_reads_each_format(tmp_path: Path, form: str) -> None:
    package(tmp_path, "app/web", "app/domain")
    write(tmp_path, {"app/domain/models.py": "from app.web import views\n", "app/web/views.py": ""})
    ini = "[importlinter]\nroot_package = app\n[importlinter:contract:layers]\nname = Layers\ntype = layers\n" \
        "layers =\n    app.web\n    app.domain\n"
    toml = '[tool.importlinter]\nroot_package = "app"\n[[tool.importlinter.contracts]]\nname = "Layers"\n' \
        'type = "layers"\nlayers = ["app.web", "app.domain"]\n'
    (tmp_path / form).write_text(toml if form.endswith(".toml") else ini, encoding="utf-8")
    result = flake8(tmp_path, "app")
    assert result.stdout.splitlines() == [
        f"app{os.sep}domain{os.sep}models.py:1:21: IPS502 app.domain.models must not import app.web.views: "
        "layer app.domain is below app.web (contract 'Layers')"
    ]
    assert result.returncode == 1


@pytest_slow
def test_flake8_reads_the_option_from_config_and_command_line(tmp_path: Path) -> None:
    write(tmp_path, {"domain.py": "import web\n"})
    (tmp_path / "tox.ini").write_text("[flake8]\nimportstyle-contracts =\n    forbidden: domain -> web\n")
    assert "IPS501" in flake8(tmp_path, "domain.py").stdout
    result = flake8(tmp_path, "--isolated", "--importstyle-contracts", "layers: web > domain", "domain.py")
    assert "IPS502" in result.stdout


@pytest_slow
@pytest.mark.parametrize(
    ("files", "shown"),
    [
        ({".importlinter": "[importlinter]\n[importlinter:contract:x]\nname = X\ntype = layers\nlayers = a(\n"},
         ".importlinter: [importlinter:contract:x] layers: 'a('"),
        ({"setup.cfg": "[flake8]\nimportstyle-contracts = forbidden: a\n"}, "importstyle-contracts: 'forbidden: a'"),
    ],
)
def test_flake8_exits_with_one_line_for_a_malformed_contract(tmp_path: Path, files: dict[str, str], shown: str) -> None:
    write(tmp_path, {"a.py": "import b\n", **files})
    result = flake8(tmp_path, "a.py")
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and shown in lines[0] and "Traceback" not in result.stderr, result.stderr


AGREEMENT_PROJECT = {
    ".importlinter": """\
        [importlinter]
        root_packages =
            shop
        include_external_packages = True

        [importlinter:contract:layers]
        name = Shop layers
        type = layers
        containers =
            shop.apps.*
        layers =
            (views)
            (forms) | (api)
            models
        ignore_imports =
            shop.apps.*.models.legacy -> shop.apps.*.views

        [importlinter:contract:core]
        name = Core layers
        type = layers
        layers =
            shop.apps
            shop.core

        [importlinter:contract:forbidden]
        name = Models stay off the network
        type = forbidden
        source_modules =
            shop.apps.**.models
        forbidden_modules =
            requests
            shop.apps.*.api

        [importlinter:contract:indep]
        name = Apps are independent
        type = independence
        modules =
            shop.apps.*
    """,
    "shop/apps/cart/views.py": "from . import models, forms\nfrom shop.core import money\n",
    "shop/apps/cart/forms.py": "from .api import client\nfrom ..cart import models\n",
    "shop/apps/cart/api.py": "client = 1\nimport requests\n",
    "shop/apps/cart/models/__init__.py": """\
        from ..views import thing
        from shop.apps.cart import api
        import requests.adapters
        from shop.apps.orders import models as order_models
        def later():
            from shop.apps.cart.forms import Form
    """,
    "shop/apps/cart/models/legacy.py": "from shop.apps.cart import views\nfrom shop.apps.cart import forms\n",
    "shop/apps/orders/models.py": "import json\nfrom shop.core.money import Money\n",
    "shop/core/money.py": "from shop.apps.cart import models\nMoney = 1\n",
}
AGREEMENT_PACKAGES = ("shop/apps/cart/models", "shop/apps/orders", "shop/core")
_LINK = re.compile(r"^-\s+(\S+) -> (\S+) \((l\.\d+(?:, l\.\d+)*)\)$")


def _direct_violations(output: str) -> set[tuple[str, int]]:
    """(importer, line) of each one-link chain in lint-imports' report of broken contracts."""
    out = set()
    for block in re.split(r"\n\s*\n", output):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if len(lines) != 1:
            continue
        match = _LINK.match(lines[0].strip())
        if match:
            out |= {(match.group(1), int(number)) for number in re.findall(r"\d+", match.group(3))}
    return out


@pytest_slow
def test_agrees_with_import_linter(tmp_path: Path) -> None:
    lint_imports = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter is not installed (the test extra installs it)")
    package(tmp_path, *AGREEMENT_PACKAGES)
    write(tmp_path, AGREEMENT_PROJECT)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    linter = subprocess.run([lint_imports, "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env=env, check=False)
    assert linter.returncode == 1, linter.stdout + linter.stderr  # the project breaks its contracts
    expected = _direct_violations(linter.stdout)
    assert len(expected) >= 8, linter.stdout
    result = flake8(tmp_path, "shop")
    assert result.stderr == ""
    reported = set()
    for line in result.stdout.splitlines():
        path, row, _, _ = line.split(":", 3)
        module = path.removesuffix(".py").replace(os.sep, ".").removesuffix(".__init__")
        reported.add((module, int(row)))
    assert expected <= reported, (sorted(expected - reported), linter.stdout)
    assert reported <= expected, (sorted(reported - expected), linter.stdout)


@pytest_slow
@pytest.mark.parametrize(
    ("session", "forbidden", "refused"),
    [
        ("", "requests", "include_external_packages = True"),
        ("include_external_packages = True\n", "requests.adapters", "inside the outside package 'requests'"),
        ("include_external_packages = True\n", "requests", None),
    ],
)
def test_outside_packages_are_refused_where_import_linter_refuses_them(
    tmp_path: Path, session: str, forbidden: str, refused: str | None
) -> None:
    """import-linter itself refuses the first two configurations before it checks anything;
    flake8 gives one line for them, and reports the import for the third, as lint-imports does."""
    lint_imports = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter is not installed (the test extra installs it)")
    package(tmp_path, "shop", "requests")
    write(tmp_path, {
        "shop/views.py": "import requests\n",
        "requests/adapters.py": "",
        ".importlinter": f"[importlinter]\nroot_package = shop\n{session}[importlinter:contract:x]\nname = X\n"
                         f"type = forbidden\nsource_modules = shop.views\nforbidden_modules = {forbidden}\n",
    })
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    linter = subprocess.run([lint_imports, "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env=env, check=False)
    result = flake8(tmp_path, "shop")
    if refused is None:
        assert linter.returncode == 1 and "BROKEN" in linter.stdout, linter.stdout + linter.stderr
        assert result.stdout.splitlines() == [
            f"shop{os.sep}views.py:1:8: IPS501 shop.views must not import requests: "
            "shop.views -> requests is forbidden (contract 'X')"
        ]
        return
    assert linter.returncode != 0 and "Traceback" not in linter.stdout, linter.stdout + linter.stderr
    assert "external" in (linter.stdout + linter.stderr).lower(), linter.stdout + linter.stderr
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and refused in lines[0] and "Traceback" not in result.stderr, result.stderr
