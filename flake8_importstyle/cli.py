"""The command line: ``flake8-importstyle fix|explain``.

Exit status (the pre-commit convention): 0 nothing changed, 1 at least one
file changed (or, with ``--diff``, would change), 2 a usage or configuration
error, or a file that could not be read, parsed or written.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import hashlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from flake8_importstyle import __version__
from flake8_importstyle.config import OPTION_NAMES, Config, ConfigError
from flake8_importstyle.proof import NO_READERS, Readers

#: What flake8 skips by default, and the usual virtual-environment and build folders.
DEFAULT_EXCLUDE = (
    ".svn", ".git", ".hg", ".bzr", "CVS", "__pycache__", ".tox", ".nox", ".eggs", "*.egg",
    ".venv", "venv", "build", "dist",
)


class UsageError(Exception):
    """A bad command line or configuration; ``str()`` is the one line shown."""


@dataclass(frozen=True)
class Settings:
    """What every worker needs; plain data, so that it pickles."""

    #: importstyle-* values as flake8 hands them, validated once in the main process
    options: tuple[tuple[str, str | tuple[str, ...]], ...]
    exclude: tuple[str, ...]
    filename: tuple[str, ...]
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    diff: bool
    #: where the files live that may read what a rewritten file's namespace holds
    context: tuple[str, ...] = ()
    #: the folder paths in messages are relative to
    root: str = "."
    #: flake8's ``disable-noqa``: every ``# noqa`` is ignored
    disable_noqa: bool = False
    #: ``--unsafe-fixes``: also make the rewrites that change what the program does
    unsafe: bool = False

    @property
    def config(self) -> Config:
        return _config(self.options)


@functools.lru_cache(maxsize=8)
def _config(options: tuple[tuple[str, str | tuple[str, ...]], ...]) -> Config:
    return Config.from_mapping(dict(options))


class NotWritten(Exception):
    """A fixed file left as it is on disk, for a reason that is no I/O error; ``str()`` says why."""


@dataclass(frozen=True)
class Fingerprint:
    """What a worker read, so that the main process can check, just before it replaces the
    file, that the file still holds it: the size and SHA-256 travel back, not a second copy."""

    size: int
    sha256: bytes

    @classmethod
    def of(cls, data: bytes) -> Fingerprint:
        return cls(len(data), hashlib.sha256(data).digest())


@dataclass
class Outcome:
    path: str
    changed: bool = False
    data: bytes = b""  # the fixed content, written by the main process
    read: Fingerprint | None = None  # what the worker fixed; the file must still hold it
    diff: bytes = b""  # with --diff: a patch, in the file's own bytes
    skipped: list[str] = field(default_factory=list)
    error: str | None = None
    #: module-level names the rewrite adds or removes (other files may read them)
    namespace: frozenset[str] = frozenset()


# ----------------------------------------------------------------- config


def flake8_argv(args: argparse.Namespace) -> list[str]:
    """The options of flake8's that choose its configuration, from the fixer's command line."""
    argv: list[str] = []
    if args.config is not None:
        argv += ["--config", args.config]
    for extra in args.append_config or ():
        argv += ["--append-config", extra]
    if args.isolated:
        argv.append("--isolated")
    if args.toml_config is not None:
        argv += ["--toml-config", args.toml_config]
    return argv


def flake8_options(argv: Sequence[str]) -> argparse.Namespace:
    """The options flake8 would run with for *argv* (and no file), read by flake8's own code.

    flake8's ``parse_args`` finds the config file (or takes ``--config``, ``--append-config``,
    ``--isolated``), loads the installed plugins, which may change how configuration is read
    (Flake8-pyproject reads ``[tool.flake8]``), and normalises each value as it does for the
    lint, so ``importstyle-no-from = json numpy`` is the same list here as there. Whatever
    flake8 refuses, the fixer refuses, in one line.
    """
    import configparser

    from flake8 import exceptions
    from flake8.options.parse_args import parse_args

    from flake8_importstyle.plugin import Plugin

    for flag, name in zip(argv, argv[1:]):
        if flag in ("--config", "--append-config") and "--isolated" not in argv:  # isolated reads neither
            _readable(name)
    saved = Plugin.config, Plugin.codes  # flake8 calls every plugin's parse_options, this one's too
    said = io.StringIO()  # what flake8's argument parser says on a refusal: its usage, then why
    try:
        with contextlib.redirect_stderr(said):
            options: argparse.Namespace = parse_args(list(argv))[1]
    except SystemExit as exc:  # the plugin refusing a value says its one line
        if isinstance(exc.code, str):
            raise UsageError(exc.code) from None
        if "--toml-config" in argv and "flake8p.hook" not in sys.modules:
            message = "flake8-importstyle: --toml-config is Flake8-pyproject's option, which is not installed"
            raise UsageError(message) from None
        why = said.getvalue().strip().splitlines() or ["flake8 refused its options"]
        raise UsageError(f"flake8-importstyle: {why[-1]}") from None
    except configparser.Error as exc:  # flake8 itself would show a traceback
        raise UsageError(f"flake8-importstyle: cannot parse the config: {_one_line(exc)}") from None
    except (exceptions.Flake8Exception, ValueError, OSError) as exc:
        raise UsageError(f"flake8-importstyle: flake8 cannot read its config: {_one_line(exc)}") from None
    finally:
        Plugin.config, Plugin.codes = saved
    sys.stderr.write(said.getvalue())  # a plugin's own note, where flake8 would have shown it
    return options


def _readable(name: str) -> None:
    if not os.path.isfile(name):
        raise UsageError(f"flake8-importstyle: cannot read the config file {name!r}")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _hashable(value: object) -> str | tuple[str, ...] | None:
    """An option's value as flake8 hands it (a list for a comma-separated option, or from a
    TOML list), kept in :class:`Settings`, which is hashed and pickled."""
    if isinstance(value, list):
        return tuple(item if isinstance(item, str) else repr(item) for item in value)
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(item.strip() for item in value.replace("\n", ",").split(",") if item.strip())


def settings_from(args: argparse.Namespace) -> Settings:
    from flake8.utils import normalize_paths

    from flake8_importstyle.target import config_folder, project_folder, project_target

    flake8 = flake8_options(flake8_argv(args))
    options = {
        name: value
        for name in OPTION_NAMES
        if (value := _hashable(getattr(flake8, "importstyle_" + name.replace("-", "_"), None))) is not None
    }
    folder = config_folder(args.config, isolated=args.isolated)
    base = Path(folder).resolve() if folder is not None else Path.cwd()
    if not options.get("target-python"):
        # as the flake8 plugin does: the project's requires-python, else the running Python
        project = project_folder(args.config, isolated=args.isolated)
        found = project_target(project) if project is not None else None
        if found is not None:
            options["target-python"] = "%d.%d" % found
    settled = tuple(sorted(options.items()))
    try:
        _config(settled)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    # the defaults always, plus the config's exclude and extend-exclude (flake8 made them
    # absolute, relative to the config's folder): the fixer never rewrites a virtual
    # environment or a build folder, even where a config's `exclude` replaced flake8's defaults
    exclude = [*normalize_paths(list(DEFAULT_EXCLUDE)), *flake8.exclude, *flake8.extend_exclude]
    return Settings(
        options=settled,
        exclude=tuple(dict.fromkeys(exclude)),
        filename=tuple(flake8.filename or ["*.py"]),
        select=tuple(c.upper() for c in _split(args.select)) or ("IPS",),
        ignore=tuple(c.upper() for c in _split(args.ignore)),
        diff=args.diff,
        context=(str(base), *(args.context or ())),
        root=str(base),
        disable_noqa=bool(flake8.disable_noqa),
        unsafe=args.unsafe_fixes,
    )


# ------------------------------------------------------------------ files


def discover(paths: Sequence[str], settings: Settings) -> list[Path]:
    """The files flake8 would check for these paths and this config (flake8's own discovery)."""
    from flake8.discover_files import expand_paths

    found = expand_paths(
        paths=list(paths),
        stdin_display_name="stdin",
        filename_patterns=list(settings.filename),
        exclude=list(settings.exclude),
    )
    return sorted({Path(name) for name in found}, key=lambda p: p.parts)


# ------------------------------------------------------------------ fixing


def write_atomically(path: Path, data: bytes, expected: Fingerprint | None = None) -> None:
    """Replace *path*'s content in one step, keeping its mode, owner and group.

    A symbolic link stays a link: its target is what gets rewritten. Refused
    (nothing written): a read-only file (``PermissionError``); a file with
    other hard links, which a new inode would split from it, and a file that
    no longer holds *expected*, what the fixer read: someone saved it
    meanwhile, and replacing it would lose their edit (:class:`NotWritten`).
    """
    named, path = path, Path(os.path.realpath(path))
    st = path.stat()
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{named} is read-only")
    _refuse_hard_links(st)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(tmp, st)
        os.chmod(tmp, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits
        if expected is not None:
            _refuse_changed(path, expected)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _refuse_hard_links(st: os.stat_result) -> None:
    """``os.replace`` gives the name a new inode: the file's other names would keep the old
    content, silently. Such a file is left for its owner to fix."""
    if st.st_nlink > 1:
        raise NotWritten(
            f"it has {st.st_nlink} hard links, and replacing it would leave the other links"
            " with the old content"
        )


def _keep_owner(tmp: str, st: os.stat_result) -> None:
    """Give the new file the old one's owner and group as far as this process may: root sets
    both; a user may set a group of its own on a file it owns. What it may not set stays the
    new file's (its mode is still kept): that is no reason to leave the file unfixed."""
    if not hasattr(os, "chown"):  # Windows
        return
    current = os.stat(tmp)
    if (current.st_uid, current.st_gid) == (st.st_uid, st.st_gid):
        return
    for uid in (st.st_uid, -1):  # -1: keep the new file's owner, still try the group
        try:
            os.chown(tmp, uid, st.st_gid)
            return
        except PermissionError:
            continue


def _refuse_changed(path: Path, expected: Fingerprint) -> None:
    """The last check before the replace: the file still holds what the fixer read (and still
    has one link), else an edit saved meanwhile would be lost."""
    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        _refuse_hard_links(st)
        digest = hashlib.sha256()
        if st.st_size == expected.size:
            for chunk in iter(functools.partial(handle.read, 1 << 20), b""):
                digest.update(chunk)
        if Fingerprint(st.st_size, digest.digest()) != expected:
            raise NotWritten("the file changed on disk while it was being fixed")


def internal_error(exc: BaseException) -> str:
    """The error line of a bug: the file is left alone and the run goes on."""
    message = str(exc).strip().splitlines()
    detail = f"{type(exc).__name__}: {message[0]}" if message else type(exc).__name__
    return f"internal error ({detail}); left unchanged, please report it"


def fix_path(path: Path, settings: Settings, readers: Readers = NO_READERS) -> Outcome:
    """Fix one file (in a worker process: libcst's parser can crash the process).

    Whatever this file raises is its error line: one bug must not stop the
    other files being fixed, nor show a traceback.
    """
    try:
        return _fix_path(path, settings, readers)
    except Exception as exc:
        return Outcome(str(path), error=internal_error(exc))


def _fix_path(path: Path, settings: Settings, readers: Readers) -> Outcome:
    from flake8_importstyle.fix import FixError, fix_bytes, prefix_selector
    from flake8_importstyle.rules import OFF_BY_DEFAULT

    outcome = Outcome(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        outcome.error = f"cannot read: {exc.strerror or exc}"
        return outcome
    selected = prefix_selector(settings.select, settings.ignore)
    # an opt-in code (IPS404) is fixed only where the selection names it more closely than IPS
    opt_in = [c for c in OFF_BY_DEFAULT if any(c.startswith(p) and len(p) > 3 for p in settings.select)]
    try:
        result = fix_bytes(
            data, str(path), settings.config, selected, readers, settings.disable_noqa, opt_in,
            unsafe=settings.unsafe,
        )
    except FixError as exc:
        outcome.error = str(exc)
        return outcome
    except RecursionError:
        outcome.error = "too deeply nested for libcst's parser; left unchanged"
        return outcome
    outcome.skipped = [
        f"{path}:{line}:{col}: {code} not fixed: {reason}" for line, col, code, reason in result.skipped
    ]
    if not result.changed:
        return outcome
    outcome.changed = True
    outcome.namespace = result.namespace
    if settings.diff:
        outcome.diff = unified_diff(data, result.data, str(path))
    else:
        outcome.data, outcome.read = result.data, Fingerprint.of(data)
    return outcome


# ------------------------------------------------------------------- diffs


def _patch_lines(data: bytes) -> list[bytes]:
    """Lines as ``patch`` and ``git apply`` read them: ended by ``\\n`` alone (a ``\\r``, a
    form feed or any other byte is part of its line)."""
    lines = [line + b"\n" for line in data.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


#: How git's ``quote_c_style`` writes the bytes that make it quote a name (other control
#: bytes as ``\ooo``).
_C_ESCAPES = {ord(char): b"\\" + letter.encode() for char, letter in zip('\a\b\t\n\v\f\r"\\', 'abtnvfr"\\')}


def _quoted(name: bytes) -> bytes:
    """*name* C-quoted as git quotes it, or as it is where that is not needed (non-ASCII bytes
    stay raw: both patch and git apply read them)."""
    if not any(_control(b) or b in b'"\\' for b in name):
        return name
    quoted = (_C_ESCAPES.get(b) or (b"\\%03o" % b if _control(b) else bytes([b])) for b in name)
    return b'"' + b"".join(quoted) + b'"'


def _control(byte: int) -> bool:
    return byte < 0x20 or byte == 0x7F


def diff_header_name(prefix: str, path: str) -> bytes:
    """The name on a ``---``/``+++`` line, in the path's own bytes. A name with a space ends
    with a tab, as git and GNU diff write it: patch and git apply then read the whole name
    (without it they take the space for the start of a date)."""
    name = os.fsencode(prefix + path)
    return _quoted(name) + (b"\t" if b" " in name else b"")


def unified_diff(old: bytes, new: bytes, path: str) -> bytes:
    """A patch of the file's own bytes (encoding, BOM and line ends as they are), which
    ``patch -p1`` and ``git apply`` both apply; a last line without a newline gets the usual
    marker."""
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _patch_lines(old),
        _patch_lines(new),
        diff_header_name("a/", path),
        diff_header_name("b/", path),
        lineterm=b"\n",
    )
    marker = b"\n\\ No newline at end of file\n"
    return b"".join(line if line.endswith(b"\n") else line + marker for line in lines)


# ----------------------------------------------------------------- workers


def _run_pool(paths: Sequence[Path], settings: Settings, jobs: int) -> tuple[list[Outcome], list[Path]]:
    """Outcomes of the files a pool finished, and the files left when a worker died."""
    outcomes: dict[Path, Outcome] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {path: pool.submit(fix_path, path, settings) for path in paths}
        for path, future in futures.items():
            try:
                outcomes[path] = future.result()
            except BrokenProcessPool:
                continue  # this file's worker (or another one) died; it is run again on its own
            except Exception as exc:  # the outcome did not come back (it did not pickle, ...)
                outcomes[path] = Outcome(str(path), error=internal_error(exc))
    return [outcomes[p] for p in paths if p in outcomes], [p for p in paths if p not in outcomes]


def fix_with_readers(outcomes: list[Outcome], paths: Sequence[Path], settings: Settings) -> list[Outcome]:
    """Fix again, knowing what other files read from it, each file whose rewrite adds
    or removes a module-level name that some file of the project reads.

    The workers fix each file as if nothing else read its namespace; only the
    few files whose namespace changed are looked up, and only the project's
    files whose text holds the module's name and one of those names are read.
    """
    from flake8_importstyle.project import ProjectIndex, context_files
    from flake8_importstyle.resolve import module_name

    changed = [o for o in outcomes if o.changed and o.namespace and not o.error]
    if not changed:
        return outcomes
    files = set(paths) | set(context_files(settings.context, settings.exclude, settings.filename))
    index = ProjectIndex(files, Path(settings.root))
    out = []
    for outcome in outcomes:
        module = module_name(outcome.path) if outcome in changed else None
        if module is not None:
            readers = index.readers(module, outcome.namespace, Path(outcome.path))
            if readers.names or readers.star:
                outcome = fix_path(Path(outcome.path), settings, readers)
        out.append(outcome)
    return out


def _nothing_to_fix(path: Path, settings: Settings) -> Outcome | None:
    """The outcome of a file that has no fixable finding, found in this process with
    ``ast`` alone (as flake8 lints it); None for a file a worker must look at: one
    with findings, or one that cannot be read or parsed (the worker says why)."""
    from flake8_importstyle.fix import Fixer, prefix_selector

    try:
        data = path.read_bytes()
        fixer = Fixer(
            str(path), settings.config, prefix_selector(settings.select, settings.ignore),
            disable_noqa=settings.disable_noqa,
        )
        if fixer.fixable(data):
            return None
    except Exception:  # noqa: BLE001 - unreadable, undecodable, unparsable: the worker reports it
        return None
    return Outcome(str(path))


def fix_all(paths: Sequence[Path], settings: Settings, jobs: int) -> list[Outcome]:
    """Fix every file; a file that kills its worker is reported, not fatal.

    Several files are linted here first, as cheaply as flake8 does: only the
    files with a fixable finding go to worker processes (libcst's parser, which can
    crash the process, runs only there), and no more workers start than those
    files.
    """
    done: list[Outcome] = []
    todo: list[Path] = []
    for path in paths:
        # one file goes to its worker as it is: the worker lints it first anyway
        outcome = _nothing_to_fix(path, settings) if len(paths) > 1 else None
        if outcome is None:
            todo.append(path)
        else:
            done.append(outcome)
    if todo:
        fixed, left = _run_pool(todo, settings, max(1, min(jobs, len(todo))))
        done += fixed
    else:
        left = []
    for path in left:  # one at a time, so the file that kills its process is known
        single, crashed = _run_pool([path], settings, 1)
        done += single
        crash = "libcst's parser crashed on this file; left unchanged"
        done += [Outcome(str(p), error=crash) for p in crashed]
    order = {str(p): i for i, p in enumerate(paths)}
    return sorted(done, key=lambda o: order[o.path])


# ------------------------------------------------------------------ commands


def cmd_fix(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    paths = discover(args.paths, settings)
    jobs = max(1, args.jobs if args.jobs else (os.cpu_count() or 1))
    outcomes = fix_all(paths, settings, min(jobs, max(1, len(paths))))
    outcomes = fix_with_readers(outcomes, paths, settings)
    status = 0
    # with --diff, stdout is a patch: the findings left alone go to stderr
    notes = sys.stderr if settings.diff else sys.stdout
    for outcome in outcomes:
        if outcome.changed and not settings.diff:
            write(outcome)
        if outcome.error:
            say(f"{outcome.path}: error: {outcome.error}", sys.stderr)
            status = 2
            continue
        for line in outcome.skipped:
            say(line, notes)
        if outcome.changed:
            if settings.diff:
                write_bytes(outcome.diff, sys.stdout)
            else:
                say(f"rewrote {outcome.path}", sys.stdout)
            status = max(status, 1)
    return status


def write(outcome: Outcome) -> None:
    """Write a fixed file (the workers only compute: a worker that dies can never leave a
    half-written file); what stops the write becomes the file's error."""
    try:
        write_atomically(Path(outcome.path), outcome.data, outcome.read)
    except NotWritten as exc:
        outcome.changed, outcome.error = False, f"not written: {exc}"
    except OSError as exc:
        outcome.changed, outcome.error = False, f"cannot write: {exc.strerror or exc}"
    except Exception as exc:  # a bug here must not stop the other files being written
        outcome.changed, outcome.error = False, internal_error(exc)


# ----------------------------------------------------------------- output


def tolerate_any_text() -> None:
    """Paths and reasons may hold what the terminal's encoding cannot show (a file ``é.py``
    under ``LANG=C`` or ``PYTHONIOENCODING=ascii``): show it escaped rather than crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def say(line: str, stream: TextIO) -> None:
    """Print one line; where the stream could not be reconfigured (a replaced ``sys.stdout``)
    and cannot encode it, print it escaped."""
    try:
        print(line, file=stream)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        print(line.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def write_bytes(data: bytes, stream: TextIO) -> None:
    """Write a patch as the bytes it is: it holds the files' own encodings, which no text
    stream's encoding can be trusted to carry."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream without bytes (a test's StringIO): the best text there is
        stream.write(data.decode("utf-8", "backslashreplace"))
        return
    stream.flush()  # what was printed before comes first
    buffer.write(data)


def cmd_explain(args: argparse.Namespace) -> int:
    from flake8_importstyle.docs import explain, find
    from flake8_importstyle.rules import BY_CODE

    rule = find(args.code)  # a code (IPS101) or a rule's name (dotted-import)
    if rule is None:
        known = ", ".join(sorted(BY_CODE))
        raise UsageError(f"flake8-importstyle: unknown code {args.code!r}; known: {known}")
    sys.stdout.write(explain(rule))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="flake8-importstyle", description="Fix and explain import style findings."
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    fix = sub.add_parser("fix", help="rewrite files in place (see --diff)")
    fix.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (searched recursively)")
    fix.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")
    fix.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated codes or prefixes to fix (default: IPS; opt-in IPS404 only where named)",
    )
    fix.add_argument("--ignore", metavar="CODES", help="comma-separated codes or prefixes not to fix")
    fix.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also make the rewrites that change what the program does on purpose"
        " (IPS105, IPS204, IPS302, IPS403); without it the fixer never changes behaviour",
    )
    fix.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: CPUs)"
    )
    fix.add_argument(
        "--config", metavar="FILE", help="read [flake8] from FILE instead of searching for it, as flake8 does"
    )
    fix.add_argument(
        "--append-config",
        action="append",
        metavar="FILE",
        help="read FILE's [flake8] after the others, as flake8 does (repeatable)",
    )
    fix.add_argument("--isolated", action="store_true", help="read no config file, as flake8 does")
    fix.add_argument(
        "--toml-config",
        metavar="FILE",
        help="the pyproject.toml to read [tool.flake8] from, as flake8 does with Flake8-pyproject",
    )
    fix.add_argument(
        "--context",
        action="append",
        metavar="PATH",
        help="also read PATH (files or folders, not rewritten) for what it imports from the files"
        " being fixed (default: the project's folder, where the config file is)",
    )
    fix.set_defaults(run=cmd_fix)
    explain = sub.add_parser("explain", help="print a code's documentation")
    explain.add_argument("code", metavar="CODE", help="a code (IPS101) or its name (dotted-import)")
    explain.set_defaults(run=cmd_explain)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    tolerate_any_text()
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        say(str(exc), sys.stderr)
        return 2
    except BrokenPipeError:  # `fix --diff | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
