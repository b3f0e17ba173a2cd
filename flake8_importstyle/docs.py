"""The documentation of each code, rendered from the rule classes.

README.rst holds the rendered text between ``.. codes-begin`` and
``.. codes-end``; ``python -m flake8_importstyle.docs README.rst`` writes it
and a test keeps the two equal, so the message, reason, examples, fix,
limitations, release and other tools' codes live in one place: the rule class.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from flake8_importstyle.rules import RULES, Example, Rule
from flake8_importstyle.rules.base import FIX_LABELS, PEER_TOOLS, Peer

BEGIN = ".. codes-begin"
END = ".. codes-end"


def _code_block(source: str) -> list[str]:
    body = ("    " + line if line else "" for line in source.splitlines())
    return [".. code-block:: python", "", *body, ""]


def _example(example: Example) -> list[str]:
    out: list[str] = []
    settings = [f"``importstyle-{key} = {value}``" for key, value in example.options.items()]
    where = f"in ``{example.filename}``" if example.filename != "example.py" else ""
    if settings:
        out += [f"With {', '.join([*settings, where] if where else settings)}:", ""]
    elif where:
        out += [f"{where[0].upper()}{where[1:]}:", ""]
    if example.bad == example.good:
        out += ["Accepted:", "", *_code_block(example.good)]
        return out
    out += ["Bad:", "", *_code_block(example.bad), "Good:", "", *_code_block(example.good)]
    if example.fixed == example.good:
        out += ["``flake8-importstyle fix`` rewrites the bad code into the good one.", ""]
    elif example.fixed is not None:
        out += ["``flake8-importstyle fix`` rewrites the bad code into:", "", *_code_block(example.fixed)]
    return out


def fixable(rule: type[Rule]) -> bool:
    """Whether ``flake8-importstyle fix`` rewrites some of the rule's findings."""
    return rule.fix != "never"


#: The codes table's short form of :data:`~flake8_importstyle.rules.base.FIX_LABELS`.
FIX_SHORT = {"always": "yes", "sometimes": "some cases", "unsafe": "unsafe", "never": "no"}


def find(text: str) -> type[Rule] | None:
    """The rule a code (``IPS101``, ``ips101``) or a name (``dotted-import``) means."""
    wanted = text.strip()
    return next(
        (rule for rule in RULES if wanted.upper() == rule.code or wanted.lower() == rule.name), None
    )


def fix_text(rule: type[Rule]) -> str:
    """``safe (proven before writing), in some cases. Module-level imports, ...``"""
    if rule.fix == "unsafe":
        changes = f"the rewrite changes what the program does ({rule.unsafe_because})"
        return f"{FIX_LABELS[rule.fix]}: {changes}. {rule.fix_note}"
    return f"{FIX_LABELS[rule.fix]}. {rule.fix_note}"


def _split_code(code: str) -> tuple[str, int]:
    """``("IC", 3)`` for ``IC003``."""
    prefix = code.rstrip("0123456789")
    return prefix, int(code[len(prefix):] or -1)


def _codes(codes: Sequence[str]) -> str:
    """``IC001, IC003-IC010``: runs of three or more consecutive codes shortened."""
    runs: list[list[str]] = []
    for code in codes:
        prefix, number = _split_code(code)
        if runs and _split_code(runs[-1][-1]) == (prefix, number - 1):
            runs[-1].append(code)
        else:
            runs.append([code])
    return ", ".join(", ".join(run) if len(run) < 3 else f"{run[0]}-{run[-1]}" for run in runs)


def _peer(peer: Peer) -> str:
    text = f"{peer.tool} {_codes(peer.codes)}"
    if peer.name:
        text += f" {peer.name}"
    if peer.note:
        text += f" ({peer.note})"
    return text


def peer_lines(rule: type[Rule]) -> list[tuple[str, str]]:
    """("Same as" / "Similar", the peers), or one line saying there are none."""
    same = [_peer(p) for p in rule.peers if p.same]
    similar = [_peer(p) for p in rule.peers if not p.same]
    if not same and not similar:
        tools = list(PEER_TOOLS)
        return [("Same as", f"none in {', '.join(tools[:-1])} or {tools[-1]}")]
    out = []
    if same:
        out.append(("Same as", "; ".join(same)))
    if similar:
        out.append(("Similar", "; ".join(similar)))
    return out


def _wrap(text: str, indent: str) -> list[str]:
    """*text* in lines of at most 79 characters, the later ones indented (never
    breaking a word or a dotted or hyphenated name)."""
    return textwrap.wrap(
        text, width=79, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def fields(rule: type[Rule]) -> list[tuple[str, str]]:
    """The facts shown under a rule's heading (which holds its code and name), as
    (label, text) pairs."""
    return [
        ("Default", rule.default),
        ("Options", ", ".join(rule.options) or "none"),
        ("Fix", fix_text(rule)),
        ("Added in", rule.added),
        *peer_lines(rule),
    ]


def rule_section(rule: type[Rule]) -> str:
    """One rule's section: heading, facts, reason, examples, limitations, appendix."""
    title = rule.title()
    lines = [f".. _{rule.code}:", "", title, "-" * len(title), ""]
    for label, text in fields(rule):
        if label == "Options":
            text = ", ".join(f"``{o}``" for o in rule.options) or "none"
        lines += _wrap(f":{label}: {text}", "    ")
    lines += [""]
    lines += [rule.reason(), ""]
    for example in rule.examples:
        lines += _example(example)
    lines += ["Known limitations:", ""]
    for item in rule.limitations:
        lines += _wrap(f"* {item}", "  ")
    lines += [""]
    appendix = rule.appendix()
    if appendix:
        lines += [appendix, ""]
    return "\n".join(lines)


def simple_table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    """An reStructuredText simple table."""
    rows = list(rows)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule_line = " ".join("=" * w for w in widths)
    lines = [rule_line, " ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(), rule_line]
    lines += [" ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(rule_line)
    return "\n".join(lines)


def explain(rule: type[Rule]) -> str:
    """A code's documentation as plain text, for ``flake8-importstyle explain``."""
    lines = [rule.title(), ""]
    for label, text in fields(rule):
        lines += _wrap(f"{label}: {text}", "    ")
    lines += [""]
    lines += [rule.reason(), ""]
    for example in rule.examples:
        settings = [f"importstyle-{key} = {value}" for key, value in example.options.items()]
        if example.filename != "example.py":
            settings.append(f"in {example.filename}")
        if settings:
            lines += [f"With {', '.join(settings)}:", ""]
        pairs = [("Accepted", example.good)] if example.bad == example.good else [
            ("Bad", example.bad), ("Good", example.good)
        ]
        if example.fixed is not None and example.fixed != example.good:
            pairs.append(("flake8-importstyle fix rewrites the bad code into", example.fixed))
        for label, source in pairs:
            lines += [f"{label}:", "", *("    " + line if line else "" for line in source.splitlines()), ""]
    lines += ["Known limitations:", ""]
    for item in rule.limitations:
        lines += _wrap(f"* {item}", "  ")
    lines += [""]
    appendix = rule.appendix()
    if appendix:
        lines += [appendix, ""]
    return "\n".join(lines).rstrip() + "\n"


def codes_table(rules: Iterable[type[Rule]]) -> str:
    rows = [
        (f"`{r.code}`_", r.name, r.default, FIX_SHORT[r.fix], r.message.format(**r.sample)) for r in rules
    ]
    return simple_table(("Code", "Name", "Default", "Fix", "Message"), rows)


def render(rules: Iterable[type[Rule]] = RULES) -> str:
    """The generated part of README.rst."""
    rules = list(rules)
    parts = [codes_table(rules), ""]
    parts += [rule_section(rule) for rule in rules]
    return "\n".join(parts)


def splice(readme: str, generated: str) -> str:
    """*readme* with the text between the markers replaced by *generated*."""
    head, sep, rest = readme.partition(BEGIN + "\n")
    _, sep2, tail = rest.partition(END + "\n")
    if not sep or not sep2:
        raise ValueError(f"README.rst lacks the {BEGIN!r} / {END!r} markers")
    return f"{head}{BEGIN}\n\n{generated}\n{END}\n{tail}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "README.rst")
    text = path.read_text(encoding="utf-8")
    new = splice(text, render())
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
