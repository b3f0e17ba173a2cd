"""The documentation of each code, rendered from the rule classes.

README.rst holds the rendered text between ``.. codes-begin`` and
``.. codes-end``; ``python -m flake8_importstyle.docs README.rst`` writes it
and a test keeps the two equal, so the message, reason and examples live in
one place: the rule class.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from flake8_importstyle.rules import RULES, Example, Rule

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
    return any(example.fixed is not None for example in rule.examples)


def rule_section(rule: type[Rule]) -> str:
    """One rule's section: heading, default, options, reason, examples."""
    title = rule.title()
    options = ", ".join(f"``{o}``" for o in rule.options) or "none"
    lines = [f".. _{rule.code}:", "", title, "-" * len(title), ""]
    fix = " Fixed by ``flake8-importstyle fix``." if fixable(rule) else ""
    lines += [f"Default: {rule.default}. Options: {options}.{fix}", ""]
    lines += [rule.reason(), ""]
    for example in rule.examples:
        lines += _example(example)
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
    options = ", ".join(rule.options) or "none"
    lines = [rule.title(), "", f"Default: {rule.default}.", f"Options: {options}.", ""]
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
    appendix = rule.appendix()
    if appendix:
        lines += [appendix, ""]
    return "\n".join(lines).rstrip() + "\n"


def codes_table(rules: Iterable[type[Rule]]) -> str:
    rows = [(f"`{r.code}`_", r.default, r.message.format(**r.sample)) for r in rules]
    return simple_table(("Code", "Default", "Message"), rows)


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
