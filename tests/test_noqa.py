"""``Noqa`` against the real flake8: a finding may be fixed exactly when flake8 reports it.

Every case is a file on disk. flake8 runs twice over all of them, once with
``--disable-noqa`` (every finding the plugin makes) and once without (what
flake8 reports); for each finding of the first run, ``Noqa(text).allows(line,
code)`` must be True exactly when the second run has it. The text given to
``Noqa`` is the file decoded as the fixer decodes it (its encoding, the BOM
dropped, line ends as they are).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_importstyle.noqa import Noqa

#: Statements and what the plugin reports for them.
STATEMENTS = (
    "import os.path",  # IPS101
    "import json as json",  # IPS104
    "import a.b as b",  # IPS102
)

#: After each statement: what flake8 makes of it is the test's expectation, not this list's.
COMMENTS = (
    "",
    "  # noqa",
    "  # NOQA",
    "  # NoQa",
    "  #noqa",
    "  #  noqa",
    "  # noqa:IPS101",
    "  # noqa: IPS101",
    "  # noqa:ips101",
    "  # noqa: ips101",
    "  # NOQA:Ips102",
    "  # noqa:E501,IPS1",
    "  # noqa:E501, IPS104",
    "  # noqa:IPS101,IPS104",
    "  # noqa: E501 IPS102",
    "  # noqa: IPS102 explained in words",
    "  # noqa : IPS101",
    "  # noqa:  IPS101",
    "  # noqa:\tIPS104",
    "  # noqa:IPS",
    "  # noqa:IPS10",
    "  # noqa:IPS1011",
    "  # noqa:E501",
    "  # noqa:,IPS101",
    "  # noqa:IPS101:E501",
    "  # noqa# IPS104",
    "  # type: ignore # noqa",
    "  # not a noqa: IPS101",
    "  # noqa-ish",
)

CASES: dict[str, str | bytes] = {
    "comments": "".join(f"{statement}{comment}\n" for statement in STATEMENTS for comment in COMMENTS),
    # the lines of a parenthesised statement are separate lines for flake8
    "parenthesised-noqa-on-the-last-line": "from x import (\n    a,\n    b as b,\n)  # noqa\n",
    "parenthesised-noqa-on-the-first-line": "from x import (  # noqa\n    b as b,\n    c as c,\n)\n",
    "parenthesised-noqa-on-the-name": "from x import (\n    a,\n    b as b,  # noqa: IPS104\n    c as c,\n)\n",
    "parenthesised-import": "import os.path, json as json; x = (\n    1,\n)  # noqa\n",
    # a backslash continuation is one line for flake8
    "backslash-codes": "import json as json, \\\n    xml.dom  # noqa: IPS101\n",
    "backslash-blanket": "import json as json, \\\n    xml.dom  # noqa\n",
    "backslash-three-lines": "import json as json, \\\n    os.path, \\\n    a.b as b  # NOQA\n",
    # a multi-line string shares its lines' noqa
    "string-ends-on-the-flagged-line": 's = """\n# noqa\n"""; import os.path\n',
    "string-ends-on-the-flagged-line-noqa-after": 's = """\n"""; import os.path  # noqa:IPS101\n',
    "string-starts-on-the-flagged-line": 'import os.path; s = """\n"""  # noqa\n',
    "string-between": 'import os.path; s = """\n# noqa\n"""; import json as json\nimport a.b as b\n',
    "string-escaped-newline": "import os.path; s = '\\\n# noqa'\n",
    "f-string": 'import os.path; s = f"""{1}\n# noqa"""\n',
    "docstring-on-the-next-line": 'import os.path\n"""# noqa"""\n',
    # flake8 searches the line's text, strings included
    "noqa-in-a-string": 'import os.path; s = "# noqa"\n',
    "noqa-codes-in-a-string": "import os.path; s = '# noqa:IPS104'\nimport json as json; s = '# noqa:IPS104'\n",
    "comment-on-the-line-above": "# noqa\nimport os.path\n",
    "comment-on-the-line-below": "import os.path\n# noqa\n",
    "semicolons": "import os.path; import json as json  # noqa:IPS104\n",
    "nested": "def f():\n    import os.path  # noqa:IPS101\n    import json as json\n    if x:\n        import a.b as b  # noqa\n",
    "crlf": b"import os.path  # noqa\r\nimport json as json\r\nimport a.b as b  # NOQA:IPS102\r\n",
    "crlf-multi-line-string": b'import os.path; s = """\r\n"""  # noqa\r\nimport json as json\r\n',
    "lone-cr": b"import os.path  # noqa\rimport json as json\rimport a.b as b; s = '''\r# noqa\r'''\r",
    "form-feed": "\x0cimport os.path  # noqa\n\x0c\nimport json as json\n",
    "separators-that-are-no-line-ends": (
        "import os.path  # x\x1c# noqa\nimport json as json  # x\x85# noqa\nimport a.b as b  # \u2028\nimport os.path\n"
    ),
    "bom": b"\xef\xbb\xbfimport os.path  # noqa\nimport json as json\n",
    "latin-1": b"# -*- coding: latin-1 -*-\nimport os.path  # noqa: IPS101 caf\xe9\nimport json as json  # \xe9\n",
    "no-final-newline": "import json as json\nimport os.path  # noqa",
    "file-noqa": "import os.path\n# flake8: noqa\n",
    "file-noqa-with-codes": "# flake8: noqa: E501\nimport os.path\n",
    "file-noqa-indented": "import os.path\n    # FLAKE8=NOQA\n",
    "file-noqa-on-a-code-line": "import os.path  # flake8: noqa\nimport json as json\n",
}

FINDING = re.compile(r"^(?P<name>[^:]+\.py):(?P<line>\d+):\d+: (?P<code>IPS\d+) ", re.MULTILINE)


def fixer_text(data: bytes) -> str:
    """The file's text as the fixer reads it: its declared encoding, without the BOM."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding).removeprefix("\ufeff")


def flake8_findings(folder: Path, *args: str) -> dict[str, set[tuple[int, str]]]:
    """flake8's IPS findings in every file of *folder*, by file name."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "IPS", *args, "."],
        cwd=folder, capture_output=True, text=True, check=False,
    )
    assert result.returncode in (0, 1) and result.stderr == "", result.stderr
    found: dict[str, set[tuple[int, str]]] = {}
    for match in FINDING.finditer(result.stdout):
        name = match["name"].removeprefix("./")
        found.setdefault(name, set()).add((int(match["line"]), match["code"]))
    return found


@pytest.fixture(scope="module")
def flake8_says(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[set[tuple[int, str]], set[tuple[int, str]]]]:
    """For each case: every finding of the plugin, and the ones flake8 reports."""
    folder = tmp_path_factory.mktemp("noqa")
    for name, content in CASES.items():
        (folder / f"{name}.py").write_bytes(content.encode() if isinstance(content, str) else content)
    made = flake8_findings(folder, "--disable-noqa")
    reported = flake8_findings(folder)
    return {name: (made.get(f"{name}.py", set()), reported.get(f"{name}.py", set())) for name in CASES}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_noqa_allows_exactly_what_flake8_reports(
    name: str, flake8_says: dict[str, tuple[set[tuple[int, str]], set[tuple[int, str]]]]
) -> None:
    content = CASES[name]
    made, reported = flake8_says[name]
    assert made, "the case must give findings, else it tests nothing"
    noqa = Noqa(fixer_text(content.encode() if isinstance(content, str) else content))
    allowed = {(line, code) for line, code in made if noqa.allows(line, code)}
    assert allowed == reported


@pytest.mark.slow
def test_the_cases_hold_both_outcomes(
    flake8_says: dict[str, tuple[set[tuple[int, str]], set[tuple[int, str]]]]
) -> None:
    """The differential test means something only if flake8 both reports and excuses findings,
    on the flagged line and on lines the comment is not on."""
    made, reported = flake8_says["comments"]
    assert len(reported) > 10 and len(made - reported) > 10
    made, reported = flake8_says["parenthesised-noqa-on-the-last-line"]
    assert reported == made  # `)  # noqa` excuses nothing above it
    made, reported = flake8_says["string-ends-on-the-flagged-line"]
    assert reported == set() and made == {(3, "IPS101")}  # the comment is two lines above the finding


@pytest.mark.parametrize(
    ("comment", "code", "allowed"),
    [
        pytest.param("# noqa:ips101", "IPS101", True, id="codes-are-compared-in-their-case"),
        pytest.param("# NOQA:IPS101", "IPS101", False, id="noqa-in-any-case"),
        pytest.param("# noqa : IPS101", "IPS104", False, id="space-before-the-colon-is-a-blanket-noqa"),
        pytest.param("# noqa:IPS101,E501", "IPS101", False, id="a-list"),
        pytest.param("# noqa:IPS101,E501", "IPS104", True, id="not-in-the-list"),
        pytest.param("# noqa:E501,IPS1", "IPS104", False, id="a-prefix"),
        pytest.param("#noqa", "IPS101", True, id="no-space-no-noqa"),
        pytest.param("# noqa", "ips101", False, id="blanket"),
        pytest.param("# noqa:IPS101", "ips101", True, id="a-lower-case-code-asked"),
    ],
)
def test_flake8s_rules(comment: str, code: str, allowed: bool) -> None:
    assert Noqa(f"import os.path  {comment}\n").allows(1, code) is allowed


def test_a_file_that_does_not_tokenize_is_read_line_by_line() -> None:
    # an unterminated triple-quoted string: tokenize fails, and flake8 searches each line alone
    noqa = Noqa("import os.path  # noqa\nimport json as json\nx = '''\n# noqa\n")
    assert [noqa.allows(line, "IPS101") for line in (1, 2, 3, 4)] == [False, True, True, False]
    assert noqa.line_for(2) == "import json as json\n"


@pytest.mark.parametrize("line", [-1, 0, 3, 10**6])
def test_a_line_the_file_does_not_have_is_allowed(line: int) -> None:
    # flake8 finds no text there (linecache gives "")
    noqa = Noqa("import os.path  # noqa\nx = 1  # noqa\n")
    assert noqa.allows(line, "IPS101") is True
    assert noqa.line_for(line) == ""


def test_disable_noqa_allows_everything() -> None:
    noqa = Noqa("# flake8: noqa\nimport os.path  # noqa\n", disable_noqa=True)
    assert noqa.allows(2, "IPS101") is True and noqa.ignores_file is False


def test_a_file_without_noqa_is_not_tokenized() -> None:
    noqa = Noqa("import os.path\n" * 1000 + "x = '''\n")
    assert all(noqa.allows(line, "IPS101") for line in range(1, 1001))
    assert "_processor" not in vars(noqa)


def test_the_lint_path_does_not_import_noqa() -> None:
    code = "import sys, flake8_importstyle.plugin; print('flake8_importstyle.noqa' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from(["import os.path", "  # noqa", "# NOQA:IPS1", "'''", '"', "\\", "(", ")", "\n", "\r",
                         "\r\n", "\x0c", "\t", " ", "x", "# flake8: noqa", "\x00", "é", "f'{", "}'"]),
    ).map("".join)
    | st.text(),
    line=st.integers(min_value=-2, max_value=30),
)
def test_noqa_never_raises(text: str, line: int) -> None:
    noqa = Noqa(text)
    assert isinstance(noqa.allows(line, "IPS101"), bool)
    assert isinstance(noqa.line_for(line), str)
