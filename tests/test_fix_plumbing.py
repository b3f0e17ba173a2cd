"""The fixer's plumbing that keeps it fast: rendering and indexing a module a statement at a
time must give exactly what libcst gives for the whole module, the libcst parse must wait
until a rewrite needs it, and only the files with findings may go to worker processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from flake8_importstyle import cli
from flake8_importstyle.fix import LineMap, _NodeIndex, _Renderer, fix_bytes
from flake8_importstyle.text import source_lines
from tests.conftest import config_from

SOURCES = [
    pytest.param("", id="empty"),
    pytest.param("# only a comment\n", id="comment"),
    pytest.param("x = 1", id="no-trailing-newline"),
    pytest.param(
        "#!/usr/bin/env python\n# header\n\n'''doc'''\nimport os.path\n\n\n@dec(\n    1)\nclass A:\n"
        "    # inside\n    def f(self, a=os.path.sep):\n        return [a for a in 'x']  # c\n\n"
        "    x = 1; y = 2\n\n\nif True:\n    pass\nelse:\n    s = '''multi\nline'''\n# footer\n",
        id="nested",
    ),
    pytest.param("import os.path\r\nprint(os.path.sep)\r\n", id="crlf"),
    pytest.param("import os.path\rprint(os.path.sep)\r", id="lone-cr"),
    pytest.param("if x:\n\ty = (1,\n\t     2)\n", id="tabs"),
]


def _libcst_metadata(module: Any) -> tuple[dict[tuple[int, int], list[Any]], dict[Any, Any]]:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    starts: dict[tuple[int, int], list[Any]] = {}
    for node, pos in wrapper.resolve(PositionProvider).items():
        starts.setdefault((pos.start.line, pos.start.column), []).append(node)
    return starts, dict(wrapper.resolve(ParentNodeProvider))


@pytest.mark.parametrize("source", SOURCES)
def test_statement_by_statement_rendering_and_metadata_are_libcsts_own(source: str) -> None:
    module = cst.parse_module(source)
    renderer = _Renderer()
    assert renderer.code(module) == module.code
    assert renderer.data(module) == module.bytes
    starts, parents = _libcst_metadata(module)
    index = _NodeIndex(module, renderer)
    for start, nodes in starts.items():
        found = index.by_start.get(start, [])
        assert {id(n) for n in found} == {id(n) for n in nodes if n is not module}, start
    for node, parent in parents.items():
        assert index.parents.get(node) is parent
        assert index.parents[node] is parent
    assert index.parents.get(module) is None


def test_a_rebuilt_module_renders_its_new_statement_and_reuses_the_others() -> None:
    module = cst.parse_module("import a\nx = 1\n\n\ndef f():\n    return a.b\n")
    renderer = _Renderer()
    renderer.code(module)
    new = module.with_changes(body=[cst.parse_statement("from a import b\n"), *module.body[1:]])
    assert renderer.code(new) == new.code == "from a import b\nx = 1\n\n\ndef f():\n    return a.b\n"
    index = _NodeIndex(new, renderer)
    [name] = [n for n in index.by_start.get((6, 11), []) if isinstance(n, cst.Name)]
    assert name.value == "a"


def test_the_line_map_of_statement_pieces_maps_each_unchanged_line_to_itself() -> None:
    old_module = cst.parse_module("".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(50)))
    body = list(old_module.body)
    body[10] = cst.parse_statement("def f10():\n    x = 1\n    return x\n")
    del body[30]
    new_module = old_module.with_changes(body=body)
    renderer = _Renderer()
    old, new = renderer.code(old_module), renderer.code(new_module)
    pieces = (renderer.pieces(new_module), renderer.pieces(old_module))
    fast = LineMap(new, old, pieces)
    new_lines, old_lines = source_lines(new), source_lines(old)
    for number in range(1, len(new_lines) + 1):
        low, high = fast.span(number)
        assert 1 <= low <= high <= len(old_lines)
    for name in ("def f9():\n", "def f11():\n", "def f29():\n", "def f31():\n", "def f49():\n"):
        assert fast.span(new_lines.index(name) + 1) == (old_lines.index(name) + 1,) * 2


def test_a_file_whose_findings_are_refused_on_what_ast_shows_is_not_parsed_with_libcst(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_parse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("libcst.parse_module was called")

    monkeypatch.setattr(cst, "parse_module", no_parse)
    result = fix_bytes(b"import audioop\n\nprint(audioop.max(b'', 1))\n", "example.py", config_from({"target-python": "3.11"}))  # audioop: deprecated in 3.11
    assert not result.changed
    assert [(code, reason) for _, _, code, reason in result.skipped] == [
        ("IPS206", "audioop has no drop-in replacement the fixer knows")
    ]


def test_when_libcst_is_needed_and_cannot_parse_the_whole_file_is_left_with_that_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise cst.ParserSyntaxError("no", lines=["x"], raw_line=1, raw_column=0)

    monkeypatch.setattr(cst, "parse_module", broken)
    result = fix_bytes(b"import os.path\nimport xml.etree\nprint(os.path.sep, xml.etree)\n", "example.py",
                       config_from({}))
    assert not result.changed
    assert {reason for *_, reason in result.skipped} == {"libcst cannot parse this file (ParserSyntaxError)"}
    assert len(result.skipped) == 2


def test_only_the_files_with_fixable_findings_go_to_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = tmp_path / "clean.py"
    clean.write_text("import os\n\nprint(os.sep)\n")
    dirty = tmp_path / "dirty.py"
    dirty.write_text("import os.path\n\nprint(os.path.sep)\n")
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    sent: list[tuple[list[Path], int]] = []
    real = cli._run_pool

    def recording(paths: list[Path], settings: cli.Settings, jobs: int) -> Any:
        sent.append((list(paths), jobs))
        return real(paths, settings, jobs)

    monkeypatch.setattr(cli, "_run_pool", recording)
    settings = cli.Settings(options=(), exclude=(), filename=("*.py",), select=("IPS",), ignore=(), diff=True)
    outcomes = cli.fix_all([clean, dirty, broken], settings, 4)
    assert sent == [([dirty, broken], 2)]  # the unparsable file's worker says why
    by_name = {Path(o.path).name: o for o in outcomes}
    assert [Path(o.path).name for o in outcomes] == ["clean.py", "dirty.py", "broken.py"]
    assert (by_name["clean.py"].changed, by_name["clean.py"].error, by_name["clean.py"].skipped) == (False, None, [])
    assert by_name["dirty.py"].changed
    assert by_name["broken.py"].error is not None
