"""Change records -> text for a terminal, Markdown for a merge request, or JSON for tools.

Language: what a reader of the fiche sees is named as the fiche names it, in
Dutch, from `templates/labels.yaml` ("Actie 5 (Go-fast boten)", "4b
Subsidiariteit", "steun onder voorwaarden"); what an author types in the
positions file or the tool itself says stays English (field keys such as
`position` and `condition`, area ids, verbs such as "added" and "moved"). JSON
carries the raw values of the file (`support_with_conditions`), not labels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

import click

from fichegen.diff.changes import (
    ActionAdded,
    ActionMoved,
    ActionRef,
    ActionRemoved,
    AreaAdded,
    AreaMoved,
    AreaRef,
    AreaRemoved,
    Change,
    FieldChanged,
    FootnoteAdded,
    FootnoteChanged,
    FootnoteRemoved,
    ItemAdded,
    ItemRemoved,
    Owner,
    StanceChanged,
    TextChanged,
    VerdictChanged,
    as_plain,
)
from fichegen.model import FicheType, Link


@dataclass(frozen=True)
class Line:
    """One change in words: what it is about, what happened, and item lines below it."""

    subject: str
    phrase: str = ""
    detail: str = ""
    sign: str = ""  # "+" or "-" for an item added or removed
    fallback: str = ""  # the phrase when the subject has no other change ("conditions changed")


@dataclass(frozen=True)
class Naming:
    """The Dutch names of one fiche type, from the labels file."""

    labels: dict[str, Any]
    fiche_type: FicheType

    def action(self, ref: ActionRef) -> str:
        noun = self.labels["items"][self.fiche_type.value]["singular"]
        return f"{noun.capitalize()} {ref.id} ({ref.title})"

    def area(self, ref: AreaRef) -> str:
        return f"area {ref.id} ({ref.title})"

    def stance(self, value: Enum) -> str:
        return str(self.labels["stances"][value.value]["label"])

    def verdict(self, value: Enum) -> str:
        return str(self.labels["verdicts"][value.value])

    def field(self, path: str) -> tuple[str, str]:
        """A fiche-level field as (section label, rest of the key path), by its longest prefix."""
        names: dict[str, str] = self.labels.get("fields", {}).get(self.fiche_type.value, {})
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            label = names.get(".".join(parts[:end]))
            if label:
                return label, ".".join(parts[end:])
        return path, ""


def describe(changes: list[Change], naming: Naming) -> Iterator[Line]:
    """Each change as a line; the report groups them by subject."""
    for change in changes:
        yield _describe(change, naming)


def _describe(change: Change, naming: Naming) -> Line:
    match change:
        case FieldChanged(field, old, new, owner):
            subject, rest = _owner_and_field(owner, field, naming)
            return Line(subject, _join(rest, f"{_value(old)} -> {_value(new)}"))
        case TextChanged(field, sentences, owner):
            subject, rest = _owner_and_field(owner, field, naming)
            return Line(subject, _join(rest, _text_changed(sentences)))
        case VerdictChanged(ground, old, new):
            subject, rest = naming.field(ground)
            return Line(
                subject, _join(rest, f"verdict {naming.verdict(old)} -> {naming.verdict(new)}")
            )
        case StanceChanged(action, old, new):
            return Line(
                naming.action(action), f"stance {naming.stance(old)} -> {naming.stance(new)}"
            )
        case ItemAdded(action, field, text):
            return Line(
                naming.action(action),
                "",
                f"{_singular(field)}: {_quote(text)}",
                "+",
                f"{field} changed",
            )
        case ItemRemoved(action, field, text):
            return Line(
                naming.action(action),
                "",
                f"{_singular(field)}: {_quote(text)}",
                "-",
                f"{field} changed",
            )
        case ActionAdded(action, area):
            return Line(naming.action(action), "added" + (f" to area {area}" if area else ""))
        case ActionRemoved(action, area):
            return Line(naming.action(action), "removed" + (f" from area {area}" if area else ""))
        case ActionMoved(action, old_area, new_area, old_position, new_position):
            return Line(
                naming.action(action), _moved(old_area, new_area, old_position, new_position)
            )
        case AreaAdded(area):
            return Line(naming.area(area), "added")
        case AreaRemoved(area):
            return Line(naming.area(area), "removed")
        case AreaMoved(area, old_position, new_position):
            return Line(naming.area(area), f"moved from position {old_position} to {new_position}")
        case FootnoteAdded(key, text):
            return Line(f"Footnote '{key}'", "added", f"{_quote(text)}", "+")
        case FootnoteRemoved(key, text):
            return Line(f"Footnote '{key}'", "removed", f"{_quote(text)}", "-")
        case FootnoteChanged(key, sentences):
            return Line(f"Footnote '{key}'", _text_changed(sentences))
    raise TypeError(f"unknown change record {change!r}")


def _owner_and_field(owner: Owner, field: str, naming: Naming) -> tuple[str, str]:
    if isinstance(owner, ActionRef):
        return naming.action(owner), field
    if isinstance(owner, AreaRef):
        return naming.area(owner), field
    return naming.field(field)


def _moved(old_area: str | None, new_area: str | None, old: int, new: int) -> str:
    if old_area == new_area:
        where = f" in area {new_area}" if new_area else ""
        return f"moved from position {old} to {new}{where}"
    return f"moved from area {old_area} (position {old}) to area {new_area} (position {new})"


def _text_changed(sentences: int) -> str:
    if sentences == 0:
        return "paragraph breaks changed"
    return f"text changed ({sentences} sentence{'' if sentences == 1 else 's'})"


def _singular(field: str) -> str:
    return field.removesuffix("s")


def _join(rest: str, phrase: str) -> str:
    return f"{rest} {phrase}" if rest else phrase


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    return f'"{one_line}"'


def _value(value: Any) -> str:
    if value is None or value == ():
        return "(none)"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Link):
        return f"{value.label} <{value.url}>" if value.label else value.url
    if isinstance(value, tuple):
        return ", ".join(_value(v) for v in value)
    return _quote(str(value))


# -- the three formats ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    subject: str
    phrases: list[str]
    details: list[Line]


def _group(changes: list[Change], naming: Naming) -> list[_Group]:
    groups: dict[str, _Group] = {}
    fallbacks: dict[str, list[str]] = {}
    for line in describe(changes, naming):
        group = groups.setdefault(line.subject, _Group(line.subject, [], []))
        if line.sign:
            group.details.append(line)
        if line.phrase:
            group.phrases.append(line.phrase)
        if line.fallback and line.fallback not in fallbacks.setdefault(line.subject, []):
            fallbacks[line.subject].append(line.fallback)
    for group in groups.values():
        if not group.phrases:
            group.phrases.extend(fallbacks.get(group.subject, []))
    return list(groups.values())


def format_text(changes: list[Change], naming: Naming) -> str:
    """For a terminal: one line per subject, item lines indented; styled for colour.

    The styles are ANSI codes; `click.echo` removes them when the output is not
    a terminal.
    """
    out: list[str] = []
    for group in _group(changes, naming):
        out.append(
            click.style(group.subject, bold=True)
            + ": "
            + "; ".join(_colour(p) for p in group.phrases)
        )
        for line in group.details:
            colour = "green" if line.sign == "+" else "red"
            out.append(click.style(f"  {line.sign} {line.detail}", fg=colour))
    return "".join(line + "\n" for line in out)


def _colour(phrase: str) -> str:
    if phrase.startswith("added"):
        return click.style(phrase, fg="green")
    if phrase.startswith("removed"):
        return click.style(phrase, fg="red")
    return phrase


def format_markdown(changes: list[Change], naming: Naming, old: str, new: str) -> str:
    """A bullet list for a merge request description."""
    out = [f"### Changes from `{old}` to `{new}`", ""]
    if not changes:
        out.append("No changes.")
    for group in _group(changes, naming):
        out.append(
            f"- **{_escape(group.subject)}**: " + "; ".join(_escape(p) for p in group.phrases)
        )
        for line in group.details:
            verb = "added" if line.sign == "+" else "removed"
            out.append(f"  - {verb} {_escape(line.detail)}")
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    """Arrows read better than '->' in rendered Markdown; '*' and '_' must not start emphasis."""
    return re.sub(r"([*_`<>\[\]])", r"\\\1", text).replace(" -\\> ", " → ")


def format_json(changes: list[Change], old: str, new: str) -> str:
    """Every record with its kind and the raw values of the file (stance ids, not labels)."""
    records = [{"change": _kind(change), **as_plain(change)} for change in changes]
    return (
        json.dumps({"old": old, "new": new, "changes": records}, ensure_ascii=False, indent=2)
        + "\n"
    )


def _kind(change: Change) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(change).__name__).lower()
