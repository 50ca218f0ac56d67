"""Action lists as rows: the `Row` every reader produces, CSV and YAML readers, and rows -> areas.

A reader turns a file into `Row`s, each remembering where it stands, plus the
problems it met; `build_areas` then turns rows into model `Area`s, checking
what holds for every format (unique ids, some text per action). The PDF-text
reader (`pdftext`) recovers the same rows from a flattened table.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.load import item_location, key_location, node_location, parse_source, value_location
from fichegen.model import Action, Area, Id, Markdown, Stance
from fichegen.validate import ID_PATTERN


@dataclass(frozen=True)
class AreaRef:
    """The area a row belongs to, as the source names it."""

    id: str
    title: str


DEFAULT_AREA = AreaRef("acties", "Acties")
"""Where rows go that name no area."""


@dataclass(frozen=True)
class Row:
    """One action as a reader found it, before it becomes a model `Action`.

    Either may be empty. Without a summary the title is the full text, and the
    title becomes its short form, as it does when there is no title at all.
    """

    id: str
    location: Location
    title: str = ""
    summary: str = ""
    area: AreaRef = DEFAULT_AREA
    meta: dict[str, str] = field(default_factory=dict)


# Column and key names, lowercased; the first of each tuple is the canonical one.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "nr", "nr.", "nummer"),
    "title": ("title", "titel"),
    "summary": ("summary", "samenvatting"),
    "area": ("area", "gebied"),
}
_FIELD_OF = {alias: name for name, aliases in FIELD_NAMES.items() for alias in aliases}


def field_of(name: str) -> str | None:
    """The canonical field a column or key name stands for, or None for a meta field."""
    return _FIELD_OF.get(name.strip().lower())


# --------------------------------------------------------------------------- rows -> areas


SUMMARY_TO_WRITE = "[INVULLEN: wat de Commissie met deze actie wil, in eigen woorden]"
"""The summary of an action imported with a title only (a placeholder `check` reports)."""


def build_areas(rows: list[Row]) -> tuple[list[Area], list[Problem]]:
    """Group rows into areas in order of first appearance; report duplicate ids and empty rows.

    Action ids are unique across the whole list: they are the Commission's
    numbers, and diffs match actions across versions by id.
    """
    problems: list[Problem] = []
    first_seen: dict[str, Location] = {}
    grouped: dict[str, tuple[AreaRef, list[Action]]] = {}
    for row in rows:
        problems.extend(_check_row(row, first_seen))
        first_seen.setdefault(row.id, row.location)
        text = row.summary or row.title
        title = make_title(text) if not (row.title and row.summary) else row.title
        action = Action(
            id=Id(row.id),
            title=title,
            # a summary that only repeats the title would pass unnoticed: ask for one
            summary=Markdown(SUMMARY_TO_WRITE if text == title else text),
            stance=Stance.NO_POSITION,
            meta=dict(row.meta),
        )
        grouped.setdefault(row.area.id, (row.area, []))[1].append(action)
    areas = [
        Area(id=Id(ref.id), title=ref.title, actions=actions) for ref, actions in grouped.values()
    ]
    return areas, problems


def _check_row(row: Row, first_seen: dict[str, Location]) -> Iterator[Problem]:
    if not ID_PATTERN.match(row.id):
        yield Problem(
            row.location,
            _("action id '{id}' is not a plain number or short name").format(id=row.id),
            code="wrong-id",
            hint=_(
                "use the Commission's number (e.g. 12), or letters, digits, '.', '_' and '-' only"
            ),
        )
    if row.id in first_seen:
        first = first_seen[row.id]
        yield Problem(
            row.location,
            _("action id {id} is used twice (first at line {line})").format(
                id=row.id, line=first.line
            ),
            code="duplicate-id",
            hint=_("give every action its own id; ids are how diffs match versions"),
        )
    if not (row.summary or row.title):
        yield Problem(
            row.location,
            _("action {id} has no text").format(id=row.id),
            code="empty-action",
            hint=_("give the action a title or a summary"),
        )


# --------------------------------------------------------------------------- short titles

TITLE_LIMIT = 80
"""A title fits one line of the overview table."""

_SLACK = 12
"""A sentence this little over the limit stays whole: cutting its last words says less."""

_MIN_CLAUSE = 40
"""A first clause shorter than this is mostly the start of an enumeration ('De monitoring, ')."""

_LIST_MARKER = re.compile(r"^\(?(?:[ivx]+|[a-z]|\d+)\)\s+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý“‘\"(])")
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]\s")
_DANGLING = frozenset(
    {
        "aan",
        "als",
        "bij",
        "de",
        "dat",
        "die",
        "door",
        "een",
        "en",
        "het",
        "in",
        "met",
        "naar",
        "of",
        "om",
        "op",
        "over",
        "te",
        "ter",
        "tot",
        "uit",
        "van",
        "voor",
        "zoals",
    }
)
"""Dutch function words that make a cut title read as broken off mid-phrase."""


def make_title(text: str) -> str:
    """A short title: the first sentence, else its first clause, else its words up to the limit.

    A leading list marker such as 'i) ' is dropped. A title cut inside a
    clause ends in '…', never on a dangling function word ('van', 'de') nor
    inside parentheses.
    """
    text = _LIST_MARKER.sub("", " ".join(text.split()), count=1)
    sentence = _SENTENCE_BREAK.split(text, maxsplit=1)[0].rstrip(" .")
    if len(sentence) <= TITLE_LIMIT + _SLACK:
        return sentence
    clause = _CLAUSE_BREAK.search(sentence)
    if clause and _MIN_CLAUSE <= clause.start() <= TITLE_LIMIT:
        return sentence[: clause.start()]
    cut = sentence[: TITLE_LIMIT + 1]
    title = cut[: cut.rfind(" ")] if " " in cut else cut[:TITLE_LIMIT]  # whole words only
    opened = title.rfind("(")
    if opened > 0 and ")" not in title[opened:]:
        title = title[:opened]
    words = title.split()
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:–- ") + "…"


# --------------------------------------------------------------------------- CSV

_DELIMITERS = ",;\t"


def parse_csv(text: str, source: str) -> tuple[list[Row], list[Problem]]:
    """Rows of a CSV with a header; `,`, `;` or tab as delimiter, whichever the header uses most."""
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        return [], [Problem(Location(source), _("file is empty"), code="empty")]
    delimiter = _sniff_delimiter(lines[header_index])
    records, error = _read_records(text, delimiter, source)
    if not records:
        return [], [error] if error else []
    (header_line, header), body = records[0], records[1:]
    columns, problems = _read_header(header, header_line, lines, delimiter, source)
    if error:
        problems.append(error)  # the rows read before it are still checked
    if any(p.code == "csv-header" for p in problems):
        return [], problems
    id_index = next(i for i, name in enumerate(columns) if field_of(name) == "id")
    found: list[tuple[Location, dict[str, str], dict[str, str]]] = []
    for line, cells in body:
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[len(columns) :]):
            problems.append(
                Problem(
                    Location(source, line, _column(lines, line, delimiter, len(columns))),
                    _("row has {cells} cells but the header has {columns}").format(
                        cells=len(cells), columns=len(columns)
                    ),
                    code="csv-row",
                    hint=_("put a cell that contains '{delimiter}' between double quotes").format(
                        delimiter=delimiter
                    ),
                )
            )
            continue
        fields: dict[str, str] = {}
        meta: dict[str, str] = {}
        for name, cell in zip(columns, cells, strict=False):
            canonical = field_of(name)
            if canonical == "summary":
                fields[canonical] = cell.strip()
            elif canonical:
                fields[canonical] = " ".join(cell.split())
            elif name and cell.strip():
                meta[name] = " ".join(cell.split())
        at = Location(source, line, _column(lines, line, delimiter, id_index))
        if not fields.get("id"):
            problems.append(
                Problem(
                    at,
                    _("row has no id"),
                    code="missing-id",
                    hint=_("fill in the action's number in the id column"),
                )
            )
            continue
        found.append((at, fields, meta))
    areas = _resolve_areas([fields.get("area", "") for _, fields, _ in found])
    rows = [
        Row(
            id=fields["id"],
            location=at,
            title=fields.get("title", ""),
            summary=fields.get("summary", ""),
            area=areas[fields.get("area", "")],
            meta=meta,
        )
        for at, fields, meta in found
    ]
    return rows, problems


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_records(
    text: str, delimiter: str, source: str
) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """The non-empty CSV records, each with the line it starts on, or the first syntax error."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if cells:
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        return records, Problem(
            Location(source, line),
            _("malformed CSV: {error}").format(error=exc),
            code="csv-syntax",
            hint=_(
                "a cell that starts with a double quote must end with one; "
                "write a double quote inside a cell as two"
            ),
        )
    return records, None


def _read_header(
    header: list[str], line: int, lines: list[str], delimiter: str, source: str
) -> tuple[list[str], list[Problem]]:
    columns = [name.strip() for name in header]
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for index, name in enumerate(columns):
        canonical = field_of(name) or name
        if name and canonical in seen:
            problems.append(
                Problem(
                    Location(source, line, _column(lines, line, delimiter, index)),
                    _("columns '{first}' and '{second}' both give the {field}").format(
                        first=seen[canonical], second=name, field=canonical
                    ),
                    code="csv-header",
                    hint=_("keep one of the two columns"),
                )
            )
        seen.setdefault(canonical, name)
    found = {field_of(name) for name in columns}
    for needed, dutch in (("id", "nr"), ("title", "titel")):
        if needed not in found:
            problems.append(
                Problem(
                    Location(source, line, 1),
                    _("the header has no '{column}' column").format(column=needed),
                    code="csv-header",
                    hint=_(
                        "the first row must name the columns; call this one '{column}' or "
                        "'{dutch}' (found: {found})"
                    ).format(column=needed, dutch=dutch, found=", ".join(repr(c) for c in columns)),
                )
            )
    return columns, problems


def _column(lines: list[str], line: int, delimiter: str, index: int) -> int:
    """The 1-based column where cell `index` starts on a one-line record, or 1 when unsure."""
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    starts = [0]
    quoted = False
    for position, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(position + 1)
    return starts[index] + 1 if index < len(starts) else 1


def _resolve_areas(values: list[str]) -> dict[str, AreaRef]:
    """Turn the area cells into areas: an id-like value is the id, a title gets a number.

    Numbers go to titles in order of first appearance, skipping numbers that
    other rows already use as ids.
    """
    refs: dict[str, AreaRef] = {"": DEFAULT_AREA}
    taken = {value for value in values if ID_PATTERN.match(value)}
    number = 0
    for value in dict.fromkeys(values):
        if not value or value in refs:
            continue
        if value in taken:
            refs[value] = AreaRef(value, value)
            continue
        number += 1
        while str(number) in taken:
            number += 1
        refs[value] = AreaRef(str(number), value)
    return refs


# --------------------------------------------------------------------------- YAML

_AREAS_KEYS = ("areas", "gebieden")
_ACTIONS_KEYS = ("actions", "acties")


def parse_yaml(text: str, source: str) -> tuple[list[Row], list[Problem]]:
    """Rows of a YAML list of actions, or of `areas: [{id, title, actions: [...]}]`."""
    try:
        tree = parse_source(text.encode("utf-8"), source).tree
    except InputError as exc:
        return [], exc.problems
    except AssertionError as exc:  # ruamel asserts on some directives, e.g. '%YAML 1.21'
        return [], [
            Problem(
                Location(source, 1, 1), _("invalid YAML: {error}").format(error=exc), code="syntax"
            )
        ]
    if tree is None:
        return [], [Problem(Location(source), _("file is empty"), code="empty")]
    reader = _YamlReader(source)
    if isinstance(tree, CommentedSeq):
        reader.read_actions(tree, None)
    elif isinstance(tree, CommentedMap) and _get(tree, _AREAS_KEYS) is not None:
        reader.read_areas(tree)
    elif isinstance(tree, CommentedMap) and _get(tree, _ACTIONS_KEYS) is not None:
        reader.read_actions(_get(tree, _ACTIONS_KEYS), None, node_location(source, tree))
    else:
        reader.problems.append(
            Problem(
                node_location(source, tree),
                _("expected a list of actions or a mapping with 'areas'"),
                code="yaml-shape",
                hint=_("write '- id: 1' entries, or 'areas:' with '- id', 'title' and 'actions'"),
            )
        )
    return reader.finish()


def _get(node: CommentedMap, names: tuple[str, ...]) -> Any:
    for key, value in node.items():
        if isinstance(key, str) and key.strip().lower() in names:
            return value
    return None


def _key(node: CommentedMap, names: tuple[str, ...]) -> Any:
    return next((k for k in node if isinstance(k, str) and k.strip().lower() in names), None)


class _YamlReader:
    """Collects rows and problems while walking the tree."""

    def __init__(self, source: str):
        self.source = source
        self.rows: list[tuple[Row, str | None]] = []  # with the raw `area` value, if any
        self.problems: list[Problem] = []

    def finish(self) -> tuple[list[Row], list[Problem]]:
        refs = _resolve_areas([area for _, area in self.rows if area is not None])
        rows = [row if area is None else _with_area(row, refs[area]) for row, area in self.rows]
        return rows, self.problems

    def read_areas(self, tree: CommentedMap) -> None:
        areas = _get(tree, _AREAS_KEYS)
        at = value_location(self.source, tree, _key(tree, _AREAS_KEYS))
        if not isinstance(areas, CommentedSeq):
            self._problem(at, "'areas' must be a list of areas", "write '- id: 1' under 'areas:'")
            return
        for index, area in enumerate(areas):
            where = item_location(self.source, areas, index)
            if not isinstance(area, CommentedMap):
                self._problem(
                    where,
                    "an area must be a mapping with id, title and actions",
                    "write 'id:', 'title:' and 'actions:' under '- '",
                )
                continue
            area_id = _text(_get(area, ("id",))) or ""
            title = _text(_get(area, ("title", "titel"))) or ""
            actions = _get(area, _ACTIONS_KEYS)
            if not title:
                self._problem(
                    where, f"area {area_id or index + 1} has no title", "add 'title:' to the area"
                )
            if actions is None:
                self._problem(
                    where,
                    f"area {area_id or title or index + 1} has no 'actions'",
                    "list the area's actions under 'actions:'",
                )
                continue
            ref = AreaRef(area_id or str(index + 1), title)
            self.read_actions(
                actions, ref, value_location(self.source, area, _key(area, _ACTIONS_KEYS))
            )

    def read_actions(self, actions: Any, area: AreaRef | None, at: Location | None = None) -> None:
        if not isinstance(actions, CommentedSeq):
            self._problem(
                at or Location(self.source),
                "'actions' must be a list of actions",
                "write each action as '- id: 1' with 'title:' below it",
            )
            return
        for index, action in enumerate(actions):
            where = item_location(self.source, actions, index)
            if not isinstance(action, CommentedMap):
                self._problem(
                    where,
                    "an action must be a mapping with id and title",
                    "write 'id:' and 'title:' under '- '",
                )
                continue
            self._read_action(action, area, where)

    def _read_action(self, node: CommentedMap, area: AreaRef | None, where: Location) -> None:
        fields: dict[str, str] = {}
        meta: dict[str, str] = {}
        for key, value in node.items():
            name = str(key).strip()
            canonical = field_of(name)
            text = _text(value, keep_lines=canonical == "summary")
            if text is None:
                self._problem(
                    value_location(self.source, node, key),
                    f"'{name}' must be text, not a mapping",
                    "write the value on one line, or as a list",
                )
            elif canonical:
                fields[canonical] = text
            elif text:
                meta[name] = text
        if not fields.get("id"):
            self._problem(where, "action has no id", "add 'id:' with the Commission's number")
            return
        at = key_location(self.source, node, _key(node, FIELD_NAMES["id"]))
        row = Row(
            id=fields["id"],
            location=at,
            title=fields.get("title", ""),
            summary=fields.get("summary", ""),
            area=area or DEFAULT_AREA,
            meta=meta,
        )
        self.rows.append((row, fields.get("area") if area is None else None))

    def _problem(self, at: Location, message: str, hint: str) -> None:
        self.problems.append(Problem(at, message, code="yaml-shape", hint=hint))


def _text(value: Any, *, keep_lines: bool = False) -> str | None:
    """A scalar or a list of scalars as one line of text; None for what cannot be text.

    With `keep_lines` a scalar keeps its line breaks (a summary is Markdown).
    """
    if value is None:
        return ""
    if isinstance(value, CommentedMap):
        return None
    if isinstance(value, CommentedSeq):
        items = [_text(item) for item in value]
        if any(item is None for item in items):
            return None
        return ", ".join(item for item in items if item)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).strip() if keep_lines else " ".join(str(value).split())


def _with_area(row: Row, area: AreaRef) -> Row:
    return Row(
        id=row.id,
        location=row.location,
        title=row.title,
        summary=row.summary,
        area=area,
        meta=row.meta,
    )
