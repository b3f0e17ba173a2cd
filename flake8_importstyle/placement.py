"""Where a rewritten import goes: the place isort (and ruff's I001) would give it.

A rewrite that turns ``import a.b`` into ``from a import b`` in place leaves a
from-import among plain imports, which isort at its defaults
(``force_sort_within_sections = false``: a section's plain imports first,
then its from-imports, each in the order of their modules) reports as
unsorted. So once a step's rewrites are applied, each new from-import is
moved within its group (the run of import lines between two blank lines,
one section as isort writes them) to where isort would put it, but only
where the group without it is already in isort's order: a file that keeps
another order keeps the new line where the old one stood, the minimal diff.
A line with a comment above it stays where it is.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from typing import Any

#: One import line's place in isort's order: plain (0), from (1) or relative from (2), the
#: module (a relative one's dots first), then the names.
SortKey = tuple[int, tuple[int, str], str]


def _member_plain(name: str) -> str:
    """Names compared ignoring case (isort's ``order_by_type = false``)."""
    return name.lower()


def _member_by_type(name: str) -> str:
    """isort's default ``order_by_type``: CONSTANTS, then Classes, then the rest."""
    rank = "0" if name.isupper() and len(name) > 1 else "1" if name[:1].isupper() else "2"
    return rank + name.lower()


MEMBER_ORDERS: tuple[Callable[[str], str], ...] = (_member_plain, _member_by_type)


def sort_key(line: Any, member: Callable[[str], str]) -> SortKey | None:
    """The isort key of an import line (one ``import`` or ``from`` statement alone on its
    line), or None for any other statement."""
    import libcst as cst

    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    small = line.body[0]
    if isinstance(small, cst.Import):
        return (0, (0, _dotted(small.names[0].name).lower()), _asname(small.names[0]))
    if isinstance(small, cst.ImportFrom):
        if isinstance(small.names, cst.ImportStar):
            first = "*"
        else:
            first = member(_dotted(small.names[0].name))
        module = "" if small.module is None else _dotted(small.module).lower()
        # relative imports after every absolute one (isort's local section), the furthest
        # first (ruff's default)
        if small.relative:
            return (2, (-len(small.relative), module), first)
        return (1, (0, module), first)
    return None


def _dotted(node: Any) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return str(node.value)
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""  # pragma: no cover - an import names a Name or an Attribute


def _asname(alias: Any) -> str:
    asname = alias.asname
    return "" if asname is None else _dotted(asname.name).lower()


def _has_comment(line: Any) -> bool:
    return any(empty.comment is not None for empty in line.leading_lines)


def _starts_group(line: Any) -> bool:
    return any(empty.comment is None for empty in line.leading_lines)


def _group(body: Sequence[Any], index: int) -> range:
    """The run of import lines around *index* that no blank line divides."""
    start = index
    while start > 0 and not _starts_group(body[start]) and sort_key(body[start - 1], _member_plain):
        start -= 1
    end = index + 1
    while end < len(body) and not _starts_group(body[end]) and sort_key(body[end], _member_plain):
        end += 1
    return range(start, end)


def _is_sorted(keys: Sequence[SortKey]) -> bool:
    return all(a <= b for a, b in zip(keys, keys[1:]))


def _order(others: Sequence[Any], new: Sequence[Any]) -> list[Any] | None:
    """*others* (a group without its new lines) with each of *new* where isort puts it, or
    None where the group follows no order isort would write."""
    for member in MEMBER_ORDERS:
        keys = _keys(others, member)
        if keys is None or not _is_sorted(keys):
            continue
        out = list(others)
        for line in new:
            mine = sort_key(line, member)
            assert mine is not None  # a group holds import lines only
            at = bisect_right(keys, mine)
            out.insert(at, line)
            keys.insert(at, mine)
        return out
    return None


def _keys(lines: Sequence[Any], member: Callable[[str], str]) -> list[SortKey] | None:
    keys = [sort_key(line, member) for line in lines]
    return None if None in keys else [key for key in keys if key is not None]


@dataclasses.dataclass
class Placement:
    """A module with its new import lines moved, and what the moves mean."""

    module: Any
    #: some line was moved
    moved: bool = False
    #: the first old line (as code: libcst nodes have no line numbers here) of each group that
    #: keeps isort's order with plain and from-imports both, where a new line left in place
    #: would break that order
    required: list[str] = dataclasses.field(default_factory=list)


def _shows_isort_order(others: Sequence[Any]) -> bool:
    """Whether a sorted group has plain imports and from-imports both: then it keeps
    isort's order and is no run that happens to be sorted."""
    kinds = {key[0] for key in (sort_key(other, _member_plain) for other in others) if key}
    return kinds == {0, 1}


def _groups_in_isort_order(body: Sequence[Any], lines: Collection[Any]) -> bool:
    """Whether *body* has two groups of imports or more and each (without the new *lines*)
    is in isort's order: then the file keeps that order, even in a group of plain imports."""
    groups, index = [], 0
    while index < len(body):
        if sort_key(body[index], _member_plain) is None:
            index += 1
            continue
        group = _group(body, index)
        groups.append([body[i] for i in group if all(body[i] is not line for line in lines)])
        index = group.stop
    return len(groups) > 1 and all(_order(group, []) is not None for group in groups)


def _placed_group(members: list[Any], new: list[Any], placement: Placement, kept: bool) -> list[Any]:
    """The group *members* with its *new* lines moved into isort's order, where that is known."""
    others = [m for m in members if all(m is not line for line in new)]
    order = _order(others, new)
    if order is None or all(a is b for a, b in zip(order, members)):
        return members
    if any(_has_comment(line) for line in new) or (_has_comment(members[0]) and order[0] is not members[0]):
        return members  # a comment above a line stays with that line
    if kept or _shows_isort_order(others):
        placement.required.append(_code(others[0]))
    placement.moved = True
    lead = members[0].leading_lines
    moved = [item.with_changes(leading_lines=[]) if item is members[0] else item for item in order]
    moved[0] = moved[0].with_changes(leading_lines=lead)
    return moved


def _code(line: Any) -> str:
    import libcst as cst

    return cst.Module(body=[line.with_changes(leading_lines=[])]).code.strip()


def place(body: Sequence[Any], lines: Collection[Any], placement: Placement) -> list[Any]:
    """*body* with each of the new import *lines* moved to its place in its group."""
    items = list(body)
    kept = _groups_in_isort_order(items, lines)
    index = 0
    while index < len(items):
        if not any(items[index] is line for line in lines):
            index += 1
            continue
        group = _group(items, index)
        members = items[group.start:group.stop]
        new = [m for m in members if any(m is x for x in lines)]
        items[group.start:group.stop] = _placed_group(members, new, placement, kept)
        index = group.stop
    return items


def place_all(module: Any, lines: Collection[Any]) -> Placement:
    """*module* with each of *lines* (new import lines, by identity) in its place."""
    placement = Placement(module)
    if lines:
        placement.module = _rebuilt(module, lines, placement)
    return placement


def _rebuilt(node: Any, lines: Collection[Any], placement: Placement) -> Any:
    """*node* with its statement lists (and those of the blocks inside it) rearranged."""
    import libcst as cst

    blocks = (cst.Module, cst.BaseCompoundStatement, cst.BaseSuite, cst.Else, cst.ExceptHandler,
              cst.ExceptStarHandler, cst.Finally, cst.MatchCase)
    changes = {}
    for item in dataclasses.fields(node):
        value = getattr(node, item.name)
        if isinstance(value, (list, tuple)):
            new = [_rebuilt(v, lines, placement) if isinstance(v, blocks) else v for v in value]
            if any(v is line for v in new for line in lines):
                new = place(new, lines, placement)
            if any(a is not b for a, b in zip(new, value)):
                changes[item.name] = type(value)(new)
        elif isinstance(value, blocks):
            rebuilt = _rebuilt(value, lines, placement)
            if rebuilt is not value:
                changes[item.name] = rebuilt
    return node.with_changes(**changes) if changes else node
