"""Editors, through the real clients: python-lsp-server (pylsp) and flake8 on stdin.

pylsp's flake8 plugin runs ``flake8 -`` in a subprocess for every lint, with
the editor's buffer on stdin, ``--stdin-display-name`` set to the file's path
relative to the workspace root, and the workspace root as its working folder.
These tests start the real ``pylsp`` over stdio, speak LSP's JSON-RPC to it
(``Content-Length`` framing), and check the diagnostics it publishes: their
ranges (0-based lines and characters), codes and severities, that they follow
an edited buffer rather than the file on disk, and that the rules which find
packages on disk (IPS401-IPS403) see through the display name what they see
when flake8 reads the saved file.

python-lsp-server is in the ``test`` extra; the pylsp tests are skipped only
when it is not installed. Every read from the server has a deadline, so a
server that hangs fails the test with what it logged instead of hanging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest

pytestmark = pytest.mark.slow

#: Seconds a whole pylsp session may take, start-up to exit (pylsp waits 0.5 s before each lint).
BUDGET = 30.0
#: LSP's DiagnosticSeverity.Warning: pylsp's severity for every flake8 code but pyflakes' errors and E999.
WARNING = 2

#: flake8's default output format (a path may hold colons, a message too).
FLAKE8_LINE = re.compile(r"(?:.*?):(\d+):(\d+): (\w+) (.*)")

Message = dict[str, Any]
#: A diagnostic as the tests compare it: 0-based line and character, code, message.
Seen = tuple[int, int, str, str]


# --------------------------------------------------------------------- helpers


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")


def flake8(cwd: Path, *args: str, stdin: str = "") -> list[str]:
    """The real flake8 in *cwd* (its config file applies): its output lines, after checking it did not fail."""
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=stdin.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert err == "" and proc.returncode in (0, 1), out + err
    return out.splitlines()


def parse(lines: list[str]) -> list[Seen]:
    """flake8's ``path:row:col: CODE message`` lines as 0-based positions (how LSP counts)."""
    seen = []
    for line in lines:
        match = FLAKE8_LINE.match(line)
        assert match, line
        row, col, code, message = match.groups()
        seen.append((int(row) - 1, int(col) - 1, code, message))
    return seen


class Server:
    """A language server in a subprocess, and a minimal LSP client talking to it over stdio."""

    def __init__(self, command: list[str], root: Path, log: Path) -> None:
        self.root = root
        self.log_path = log
        self.deadline = time.monotonic() + BUDGET
        env = dict(os.environ)
        # pylsp runs the `flake8` it finds on PATH: make it the one installed next to this Python.
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        self._log: IO[bytes] = log.open("wb")
        self.proc = subprocess.Popen(
            command, cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
        )
        self.messages: queue.Queue[Message | None] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    # -- the wire: `Content-Length: N\r\n\r\n` then N bytes of JSON, both ways

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        try:
            while True:
                headers: dict[str, str] = {}
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if not line.strip():
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers["content-length"])
                body = stream.read(length)
                if len(body) < length:
                    return
                self.messages.put(json.loads(body.decode("utf-8")))
        finally:
            self.messages.put(None)  # the server closed its stdout

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Message) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Message | None = None) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params or {}})
        reply = self.wait_for(lambda m: m.get("id") == ident and "method" not in m, f"the reply to {method}")
        assert "error" not in reply, reply
        return reply.get("result")

    def wait_for(self, wanted: Callable[[Message], bool], what: str) -> Message:
        """The next message *wanted* accepts; a failed test, with pylsp's log, after the deadline."""
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.fail(f"waited {BUDGET:.0f} s for {what}")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                self.fail(f"pylsp closed its output (exit status {self.proc.poll()}) before {what}")
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})  # a request of the server's own
            elif wanted(message):
                return message

    def fail(self, why: str) -> NoReturn:
        self._log.flush()
        log = self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"{why}; pylsp's log ends with:\n{log}", pytrace=False)

    # -- LSP

    def initialize(self, settings: Message) -> None:
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.root.as_uri(),
                "rootPath": str(self.root),
                "workspaceFolders": [{"uri": self.root.as_uri(), "name": self.root.name}],
                "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"pylsp": settings}})

    def open(self, name: str, text: str, version: int = 1) -> str:
        uri = (self.root / name).as_uri()
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}},
        )
        return uri

    def change(self, uri: str, version: int, changes: list[Message]) -> None:
        self.notify(
            "textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}
        )

    def diagnostics(self, uri: str, version: int) -> list[Seen]:
        """flake8's diagnostics that pylsp publishes for *version* of the document *uri*.

        pylsp 1.10 does not say which version it linted (the field came with
        python-lsp-server's pull request 565, in 2024): then the next
        diagnostics for *uri* are taken, which are *version*'s because the
        tests wait for each version's diagnostics before they change the text.
        """
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version", version) == version,
            f"diagnostics for version {version} of {uri}",
        )
        seen = []
        for d in message["params"]["diagnostics"]:
            if d.get("source") != "flake8":
                continue  # another linter installed into pylsp's environment
            start, end = d["range"]["start"], d["range"]["end"]
            assert end["line"] == start["line"], d  # pylsp spans the rest of the finding's line
            assert d["severity"] == WARNING, d
            code = d["code"]
            assert d["message"].startswith(code + " "), d
            seen.append((start["line"], start["character"], code, d["message"].partition(" ")[2]))
        return seen

    def close(self) -> None:
        """Ask the server to exit (without waiting on a reply that may never come); kill it after 5 s."""
        try:
            if self.proc.poll() is None:
                self.next_id += 1
                self.send({"id": self.next_id, "method": "shutdown", "params": {}})
                self.notify("exit", {})
                self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass  # it died, or would not exit
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # a broken pipe to a dead server
                        stream.close()
            self._log.close()


#: pylsp's settings: its flake8 plugin on, and the linters that would repeat flake8's own checks off.
SETTINGS: Message = {
    "plugins": {
        "flake8": {"enabled": True},
        "pycodestyle": {"enabled": False},
        "pyflakes": {"enabled": False},
        "mccabe": {"enabled": False},
    }
}

#: The project's flake8 config: only this plugin's codes, the opt-in ones included.
CONFIG = "[flake8]\nselect = IPS\nextend-select = IPS401,IPS402,IPS403\n"


@pytest.fixture
def pylsp(tmp_path: Path) -> Iterator[Callable[[Path], Server]]:
    """Start the real pylsp in a project folder, initialised with :data:`SETTINGS`; stop it after the test."""
    pytest.importorskip("pylsp", reason="python-lsp-server is not installed: pip install '.[test]'")
    servers: list[Server] = []

    def start(root: Path) -> Server:
        server = Server([sys.executable, "-m", "pylsp"], root, tmp_path / f"pylsp-{len(servers)}.log")
        servers.append(server)
        server.initialize(SETTINGS)
        return server

    yield start
    for server in servers:
        server.close()


# ------------------------------------------------ 1. the buffer, not the file

ON_DISK = '"""Entry point."""\nimport os.path\nimport json\n\nprint(os.path.sep, json.dumps([]))\n'

IPS101 = "IPS101", "use 'from os import path' instead of 'import os.path'"
IPS104 = "IPS104", "useless alias: use 'import json'"


def test_diagnostics_follow_the_edited_buffer(pylsp: Callable[[Path], Server], tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root, {"setup.cfg": CONFIG, "app/__init__.py": "", "app/main.py": ON_DISK})
    server = pylsp(root)

    uri = server.open("app/main.py", ON_DISK)
    assert server.diagnostics(uri, 1) == [(1, 7, *IPS101)]

    # Two incremental edits, as an editor sends them: line 2 fixed, a finding
    # added on line 3 (after a non-ASCII character: LSP counts characters there
    # as flake8 does, not bytes). The file on disk keeps its `import os.path`.
    server.change(
        uri,
        2,
        [
            {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 14}},
             "text": "from os import path"},
            {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 11}},
             "text": 's = "é"; import json as json'},
        ],
    )
    assert server.diagnostics(uri, 2) == [(2, 16, *IPS104)]

    # Two lines inserted at the top: the finding moves down with its line.
    server.change(
        uri, 3, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                  "text": "# one\n# two\n"}]
    )
    assert server.diagnostics(uri, 3) == [(4, 16, *IPS104)]

    # The whole text replaced (a change without a range): the buffer is clean.
    server.change(uri, 4, [{"text": "from os import path\n\nprint(path.sep)\n"}])
    assert server.diagnostics(uri, 4) == []

    assert (root / "app/main.py").read_text(encoding="utf-8") == ON_DISK
    assert parse(flake8(root, "app/main.py")) == [(1, 7, *IPS101)]  # what the saved file still says


# ------------------------------- 2. the packages on disk, seen through stdin

#: IPS401 needs the file's folder; IPS402 finds ``mypkg`` under ``src/`` (the
#: package root above the file), IPS403 resolves ``.helpers`` against the
#: file's package: all three only through the display name.
PROJECT = {
    "setup.cfg": CONFIG,
    "tools/report.py": "def report():\n    return 1\n",
    "src/mypkg/__init__.py": "",
    "src/mypkg/sub/__init__.py": "def thing():\n    return 1\n",
    "src/mypkg/helpers.py": "def tool():\n    return 1\n",
    "src/mypkg/app.py": (
        "import os.path\n"
        "import mypkg\n"
        "from .helpers import tool\n"
        "\n"
        "print(os.path.sep, tool(), mypkg.sub.thing())\n"
    ),
}
#: What flake8 reports on each saved file, by code (the tests compare the whole findings).
EXPECTED_CODES = {"tools/report.py": ["IPS401"], "src/mypkg/app.py": ["IPS101", "IPS403", "IPS402"]}
EDITED_APP = (
    "import os.path\n"
    "import mypkg\n"
    "from mypkg import sub\n"
    "from .helpers import tool\n"
    "\n"
    "print(os.path.sep, tool(), mypkg.sub.thing(), sub)\n"
)


def test_pylsp_reports_what_flake8_reports_on_the_saved_file(
    pylsp: Callable[[Path], Server], tmp_path: Path
) -> None:
    root = tmp_path / "project"
    write(root, PROJECT)
    server = pylsp(root)
    uris = {}
    for name, codes in EXPECTED_CODES.items():
        on_disk = parse(flake8(root, name))
        assert sorted(code for _, _, code, _ in on_disk) == sorted(codes)
        uris[name] = server.open(name, PROJECT[name])
        assert server.diagnostics(uris[name], 1) == on_disk, name

    # An unsaved edit that imports the submodule: IPS402 goes, IPS403 moves
    # down a line; once saved, flake8 says the same of the file.
    app = "src/mypkg/app.py"
    server.change(uris[app], 2, [{"text": EDITED_APP}])
    in_buffer = server.diagnostics(uris[app], 2)
    assert [code for _, _, code, _ in in_buffer] == ["IPS101", "IPS403"]
    assert [code for _, _, code, _ in parse(flake8(root, app))] == EXPECTED_CODES[app]  # disk: unchanged
    (root / app).write_text(EDITED_APP, encoding="utf-8")
    assert parse(flake8(root, app)) == in_buffer


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_stdin_with_a_display_name_matches_the_saved_file(tmp_path: Path, absolute: bool) -> None:
    """pylsp names the file relative to the workspace root; VS Code's extension,
    for a notebook, by its absolute path. Either way the findings are the saved file's."""
    root = tmp_path / "project"
    write(root, PROJECT)
    for name, codes in EXPECTED_CODES.items():
        on_disk = parse(flake8(root, name))
        assert sorted(code for _, _, code, _ in on_disk) == sorted(codes)
        shown = str(root / name) if absolute else name
        from_stdin = flake8(root, f"--stdin-display-name={shown}", "-", stdin=PROJECT[name])
        assert parse(from_stdin) == on_disk
        assert all(line.startswith(shown + ":") for line in from_stdin)


def test_stdin_without_a_display_name_cannot_place_the_file(tmp_path: Path) -> None:
    """The control: without a name, the rules that need the file's place say nothing (never a guess)."""
    root = tmp_path / "project"
    write(root, PROJECT)
    assert flake8(root, "-", stdin=PROJECT["tools/report.py"]) == []
    assert [code for _, _, code, _ in parse(flake8(root, "-", stdin=PROJECT["src/mypkg/app.py"]))] == ["IPS101"]
