"""Change records -> text for a terminal, Markdown for a merge request, or JSON for tools.

Every format shows a changed text by the same word operations
(`operations.py`, the engine of the Word tracked changes), so all of them mark
the same removed and inserted words. Context is the changed sentence, never
the whole field.

Language: what a reader of the fiche sees is named as the fiche names it, in
Dutch, from `templates/labels.yaml` ("Actie 5 (Go-fast boten)", "4b
Subsidiariteit", "steun onder voorwaarden"); the keys an author types in the
positions file stay as typed (`position`, `conditions`); the tool's own words
("added", "text changed") are messages, Dutch by default (`i18n`). JSON
carries the raw values of the file (`support_with_conditions`), not labels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
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
from fichegen.diff.operations import Sentence, WordOp, sentences, text_operations
from fichegen.i18n import _, ngettext
from fichegen.model import FicheType, Link

JSON_VERSION = 1
"""The version of the JSON format (`schema/diff.schema.json`); raised on an incompatible change."""


@dataclass(frozen=True)
class Line:
    """One change in words: what it is about, what happened, and what is shown below it."""

    subject: str
    phrase: str = ""
    detail: str = ""
    sign: str = ""  # "+" or "-" for an item added or removed
    fallback: str = ""  # the phrase when the subject has no other change ("conditions changed")
    sentences: tuple[Sentence, ...] = ()  # the changed sentences of a text, words marked


@dataclass(frozen=True)
class Naming:
    """The Dutch names of one fiche type, from the labels file."""

    labels: dict[str, Any]
    fiche_type: FicheType

    def noun(self) -> str:
        """'Actie' or 'Onderdeel': what one stance-bearing item is called."""
        return str(self.labels["items"][self.fiche_type.value]["singular"]).capitalize()

    def action(self, ref: ActionRef) -> str:
        return f"{self.noun()} {ref.id} ({ref.title})"

    def area(self, ref: AreaRef) -> str:
        return _("Area {id} ({title})").format(id=ref.id, title=ref.title)

    def stance(self, value: Enum | None) -> str:
        if value is None:
            return _("(none)")
        return str(self.labels["stances"][value.value]["label"])

    def verdict(self, value: Enum) -> str:
        return str(self.labels["verdicts"][value.value])

    def field(self, path: str) -> tuple[str, str]:
        """A fiche-level field as (section label, rest of the key path), by its longest prefix."""
        names = self._fields()
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            label = names.get(".".join(parts[:end]))
            if label:
                rest = ".".join(parts[end:])
                # A ground's text is the section itself: "4a Bevoegdheid", not "...: reasoning".
                return label, "" if rest == "reasoning" else rest
        return path, ""

    def section(self, change: Change) -> tuple[int, str]:
        """The section of the fiche a change stands in, as (place in the fiche, label).

        An action's or area's summary is section 2, the rest of it section 3b;
        fields the labels file does not name come last, footnotes after them.
        """
        names = list(self._fields())
        path = _section_path(change)
        if path is None:
            return len(names) + 1, _("Footnotes")
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            key = ".".join(parts[:end])
            if key in names:
                return names.index(key), str(self._fields()[key])
        return len(names), path

    def _fields(self) -> dict[str, str]:
        names: dict[str, str] = self.labels.get("fields", {}).get(self.fiche_type.value, {})
        return names


def _section_path(change: Change) -> str | None:
    """The fiche-level key a change belongs under; None for footnotes."""
    match change:
        case FootnoteAdded() | FootnoteRemoved() | FootnoteChanged():
            return None
        case VerdictChanged(ground=ground):
            return ground
        case FieldChanged(field=name, owner=None) | TextChanged(field=name, owner=None):
            return name
        case FieldChanged(field="summary") | TextChanged(field="summary"):
            return "essence"
    return "dutch_position.assessment"


def describe(changes: Sequence[Change], naming: Naming) -> Iterator[Line]:
    """Each change as a line; the report groups them by subject."""
    for change in changes:
        yield _describe(change, naming)


def _describe(change: Change, naming: Naming) -> Line:
    match change:
        case FieldChanged(field, old, new, owner):
            subject, rest = _owner_and_field(owner, field, naming)
            return Line(subject, _join(rest, f"{_value(old)} -> {_value(new)}"))
        case TextChanged(field, count, owner, old, new):
            subject, rest = _owner_and_field(owner, field, naming)
            return Line(
                subject, _join(rest, _text_phrase(count, old, new)), sentences=_sentences(old, new)
            )
        case VerdictChanged(ground, old, new):
            subject, rest = naming.field(ground)
            phrase = _("verdict {old} -> {new}").format(
                old=naming.verdict(old), new=naming.verdict(new)
            )
            return Line(subject, _join(rest, phrase))
        case StanceChanged(action, old, new):
            phrase = _("stance {old} -> {new}").format(
                old=naming.stance(old), new=naming.stance(new)
            )
            return Line(naming.action(action), phrase)
        case ItemAdded(action, field, text) | ItemRemoved(action, field, text):
            sign = "+" if isinstance(change, ItemAdded) else "-"
            return Line(
                naming.action(action),
                "",
                f"{_item_noun(field)}: {_quote(text)}",
                sign,
                _items_changed(field),
            )
        case ActionAdded(action, area, stance, summary):
            phrase = _("added to area {area}").format(area=area) if area else _("added")
            return Line(naming.action(action), phrase, _new_action(naming, stance, summary), "+")
        case ActionRemoved(action, area, stance, summary):
            phrase = _("removed from area {area}").format(area=area) if area else _("removed")
            return Line(naming.action(action), phrase, _new_action(naming, stance, summary), "-")
        case ActionMoved(action, old_area, new_area, old_position, new_position):
            return Line(
                naming.action(action), _moved(old_area, new_area, old_position, new_position)
            )
        case AreaAdded(area):
            return Line(naming.area(area), _("added"))
        case AreaRemoved(area):
            return Line(naming.area(area), _("removed"))
        case AreaMoved(area, old_position, new_position):
            phrase = _("moved from position {old} to {new}").format(
                old=old_position, new=new_position
            )
            return Line(naming.area(area), phrase)
        case FootnoteAdded(key, text):
            return Line(_footnote(key), _("added"), _quote(text), "+")
        case FootnoteRemoved(key, text):
            return Line(_footnote(key), _("removed"), _quote(text), "-")
        case FootnoteChanged(key, count, old, new):
            return Line(
                _footnote(key), _text_phrase(count, old, new), sentences=_sentences(old, new)
            )
    raise TypeError(f"unknown change record {change!r}")


def _footnote(key: str) -> str:
    return _("Footnote '{key}'").format(key=key)


def _new_action(naming: Naming, stance: Enum | None, summary: str) -> str:
    text = _("stance: {stance}").format(stance=naming.stance(stance))
    if summary:
        text += "; " + _("summary: {summary}").format(summary=_quote(summary))
    return text


def _sentences(old: str, new: str) -> tuple[Sentence, ...]:
    if not old or not new:  # a text that came or went: the phrase says it, the words follow
        return tuple(sentences(text_operations(old, new)))
    return tuple(s for s in sentences(text_operations(old, new)) if s.words_changed)


def _owner_and_field(owner: Owner, field: str, naming: Naming) -> tuple[str, str]:
    if isinstance(owner, ActionRef):
        return naming.action(owner), field
    if isinstance(owner, AreaRef):
        return naming.area(owner), field
    return naming.field(field)


def _moved(old_area: str | None, new_area: str | None, old: int, new: int) -> str:
    if old_area == new_area:
        if new_area:
            return _("moved from position {old} to {new} in area {area}").format(
                old=old, new=new, area=new_area
            )
        return _("moved from position {old} to {new}").format(old=old, new=new)
    return _(
        "moved from area {old_area} (position {old}) to area {new_area} (position {new})"
    ).format(old_area=old_area, old=old, new_area=new_area, new=new)


def _text_phrase(count: int, old: str, new: str) -> str:
    """'added' for a text where there was none (an internal note, say), else what changed."""
    if not old:
        return _("added")
    if not new:
        return _("removed")
    if count == 0:
        return _("paragraph breaks changed")
    return ngettext(
        "text changed ({count} sentence)", "text changed ({count} sentences)", count
    ).format(count=count)


def _items_changed(field: str) -> str:
    """The phrase for a changed list, in the fiche's words: "voorwaarden gewijzigd"."""
    if field == "conditions":
        return _("conditions changed")
    if field == "concerns":
        return _("concerns changed")
    return _("{field} changed").format(field=field)


def _item_noun(field: str) -> str:
    if field == "conditions":
        return _("condition")
    if field == "concerns":
        return _("concern")
    return field.removesuffix("s")


def _join(rest: str, phrase: str) -> str:
    return f"{rest}: {phrase}" if rest else phrase


def _quote(text: str) -> str:
    one_line = " ".join(text.split())
    return f'"{one_line}"'


def _value(value: Any) -> str:
    if value is None or value == ():
        return _("(none)")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Link):
        return f"{value.label} <{value.url}>" if value.label else value.url
    if isinstance(value, tuple):
        return ", ".join(_value(v) for v in value)
    return _quote(str(value))


# -- grouping ----------------------------------------------------------------------------------


@dataclass
class _Group:
    subject: str
    phrases: list[str] = field(default_factory=list)
    details: list[Line] = field(default_factory=list)
    texts: list[Line] = field(default_factory=list)  # lines with changed sentences


def _group(lines: Iterator[Line]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    fallbacks: dict[str, list[str]] = {}
    for line in lines:
        group = groups.setdefault(line.subject, _Group(line.subject))
        if line.sign:
            group.details.append(line)
        if line.phrase:
            group.phrases.append(line.phrase)
        if line.sentences:
            group.texts.append(line)
        if line.fallback and line.fallback not in fallbacks.setdefault(line.subject, []):
            fallbacks[line.subject].append(line.fallback)
    for group in groups.values():
        if not group.phrases:
            group.phrases.extend(fallbacks.get(group.subject, []))
    return list(groups.values())


# -- text ----------------------------------------------------------------------------------------


def format_text(changes: list[Change], naming: Naming, *, color: bool = False) -> str:
    """For a terminal: one line per subject, items and changed sentences indented below.

    With colour, removed words are red and struck through and inserted words
    green; without, they are marked `[-removed-]{+inserted+}` as git's
    `--word-diff=plain` does.
    """
    out: list[str] = []
    for group in _group(describe(changes, naming)):
        out.append(
            _style(group.subject, color, bold=True)
            + ": "
            + "; ".join(_colour(p, color) for p in group.phrases)
        )
        for line in group.details:
            out.append(
                _style(
                    f"  {line.sign} {line.detail}", color, fg="green" if line.sign == "+" else "red"
                )
            )
        for line in group.texts:
            for sentence in line.sentences:
                out.append("    " + _marked_text(sentence.pieces, color))
    return "".join(line + "\n" for line in out)


def _style(text: str, color: bool, **styles: Any) -> str:
    return click.style(text, **styles) if color else text


def _colour(phrase: str, color: bool) -> str:
    if phrase.startswith(_("added")):
        return _style(phrase, color, fg="green")
    if phrase.startswith(_("removed")):
        return _style(phrase, color, fg="red")
    return phrase


def _marked_text(pieces: tuple[WordOp, ...], color: bool) -> str:
    out = []
    for piece in pieces:
        text = _one_line(piece.text)
        if piece.op == "equal":
            out.append(text)
        elif color:
            out.append(
                click.style(text, fg="red", strikethrough=True)
                if piece.op == "delete"
                else click.style(text, fg="green", underline=True)
            )
        else:
            out.append(f"[-{text}-]" if piece.op == "delete" else f"{{+{text}+}}")
    return "".join(out)


def _one_line(text: str) -> str:
    """The user's text cannot steer the terminal or break the line."""
    return "".join(ch if ch.isprintable() or ch == " " else " " for ch in text)


# -- Markdown ----------------------------------------------------------------------------------


def format_markdown(changes: list[Change], naming: Naming, old: str, new: str) -> str:
    """For a merge request: the changes under the fiche's section labels, in the fiche's order.

    Changed sentences show ~~removed~~ and **inserted** words; stance changes
    stand in a table per section; added or removed items are quoted whole.
    """
    out = [
        "### " + _("Changes from {old} to {new}").format(old=_code(old), new=_code(new)),
        "",
    ]
    if not changes:
        out += [_("No changes."), ""]
    sections: dict[tuple[int, str], list[Change]] = {}
    for change in changes:
        sections.setdefault(naming.section(change), []).append(change)
    for (_rank, label), members in sorted(sections.items(), key=lambda item: item[0][0]):
        out += [f"#### {_escape(label)}", ""]
        stances = [c for c in members if isinstance(c, StanceChanged)]
        if stances:
            out += _stance_table(stances, naming)
        rest: list[Change] = [c for c in members if not isinstance(c, StanceChanged)]
        for group in _group(describe(rest, naming)):
            out += _markdown_group(group, label)
        if rest:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _stance_table(stances: list[StanceChanged], naming: Naming) -> list[str]:
    was, becomes = _("old"), _("new")
    rows = [
        f"| {_cell(naming.noun())} | {_cell(was)} | {_cell(becomes)} |",
        "| --- | --- | --- |",
    ]
    for change in stances:
        rows.append(
            f"| {_cell(f'{change.action.id} {change.action.title}')} "
            f"| {_cell(naming.stance(change.old))} | {_cell(naming.stance(change.new))} |"
        )
    return [*rows, ""]


def _markdown_group(group: _Group, section: str) -> list[str]:
    phrases = "; ".join(_escape(p) for p in group.phrases)
    if group.subject == section:
        lines = [f"- {phrases}"] if phrases else []
        indent = "  " if phrases else ""
    else:
        lines = [f"- **{_escape(group.subject)}**" + (f": {phrases}" if phrases else "")]
        indent = "  "
    for line in group.details:
        verb = _("added") if line.sign == "+" else _("removed")
        lines.append(f"{indent}- {verb}: {_escape(line.detail)}")
    for line in group.texts:
        for sentence in line.sentences:
            lines.append(f"{indent}- {_marked_markdown(sentence.pieces)}")
    return lines


def _marked_markdown(pieces: tuple[WordOp, ...]) -> str:
    """~~removed~~ and **inserted**, markers hugging the words so GitLab and GitHub render them."""
    out: list[str] = []
    for index, piece in enumerate(pieces):
        text = _escape(" ".join(piece.text.split("\n")))
        if piece.op == "equal" or not text.strip():
            out.append(text if piece.op != "delete" else "")
            continue
        marker = "~~" if piece.op == "delete" else "**"
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        out.append(f"{lead}{marker}{text.strip()}{marker}{trail}")
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if (
            piece.op == "delete"
            and following is not None
            and following.op == "insert"
            and not trail
            and not following.text[:1].isspace()
        ):
            out.append(" ")
    return "".join(out).strip()


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|")


def _escape(text: str) -> str:
    """Arrows read better than '->' in rendered Markdown; markup characters show as typed."""
    return re.sub(r"([\\*_`<>\[\]~#|])", r"\\\1", text).replace(" -\\> ", " → ")


# -- JSON --------------------------------------------------------------------------------------


def json_records(changes: list[Change], fiche_type: FicheType) -> list[dict[str, Any]]:
    """Every record with its kind, its path in the positions file and the raw values of the file.

    A changed text also carries its word operations: applying them to `old`
    gives `new`.
    """
    records = []
    for change in changes:
        record: dict[str, Any] = {
            "change": _kind(change),
            "path": change_path(change, fiche_type),
            **as_plain(change),
        }
        if isinstance(change, TextChanged | FootnoteChanged):
            record["operations"] = [
                {"op": op.op, "text": op.text} for op in text_operations(change.old, change.new)
            ]
        records.append(record)
    return records


def format_json(comparisons: list[tuple[str, str, list[dict[str, Any]]]]) -> str:
    """The versioned JSON document: one entry per pair of versions compared."""
    document = {
        "version": JSON_VERSION,
        "comparisons": [
            {"old": old, "new": new, "changes": records} for old, new, records in comparisons
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def change_path(change: Change, fiche_type: FicheType) -> str:
    """Where a change is in the positions file: `areas[routes].actions[7].position` and the like.

    Actions and areas are named by their id, so a path stays the same when
    they move.
    """
    items = "elements" if fiche_type is FicheType.LEGISLATIVE else "actions"
    match change:
        case FieldChanged(field=name, owner=owner) | TextChanged(field=name, owner=owner):
            if isinstance(owner, ActionRef):
                return f"{items}[{owner.id}].{name}"
            if isinstance(owner, AreaRef):
                return f"areas[{owner.id}].{name}"
            return name
        case VerdictChanged(ground=ground):
            return f"{ground}.verdict"
        case StanceChanged(action=ref):
            return f"{items}[{ref.id}].stance"
        case ItemAdded(action=ref, field=name) | ItemRemoved(action=ref, field=name):
            return f"{items}[{ref.id}].{name}"
        case ActionAdded(action=ref) | ActionRemoved(action=ref) | ActionMoved(action=ref):
            return f"{items}[{ref.id}]"
        case AreaAdded(area=ref) | AreaRemoved(area=ref) | AreaMoved(area=ref):
            return f"areas[{ref.id}]"
        case FootnoteAdded(key=key) | FootnoteRemoved(key=key) | FootnoteChanged(key=key):
            return f"footnotes.{key}"
    raise TypeError(f"unknown change record {change!r}")


def _kind(change: Change) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(change).__name__).lower()
