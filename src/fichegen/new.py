"""`fichegen new`: the skeleton of a positions file, generated from the model.

The skeleton is made by walking the dataclasses of `fichegen.model`, so it
cannot drift from what the validator accepts: every field that applies to the
fiche type is written, preceded by its Dutch `doc` as a comment, and every
text the civil servant still has to write holds a placeholder `[INVULLEN: ...]`
(which `fichegen check` reports until it is replaced). The result is built as
ruamel round-trip nodes and dumped with the same settings a round trip uses,
so loading and dumping it again gives the same text.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import textwrap
import types
from collections.abc import Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from fichegen import model
from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.model import Area, Fiche, FicheType, Stance, Verdict

SCHEMA_IN_REPOSITORY = Path("schema") / "fiche.schema.json"
"""Where a repository of positions files keeps the JSON Schema."""

SCHEMA_REF = "../schema/fiche.schema.json"
"""The schema as seen from positions/, where positions files normally live."""

COMMENT_WIDTH = 88

READING_ORDER = (
    "type",
    "status",
    "title",
    "general",  # 1
    "essence",  # 2 (2a)
    "areas",  # 2: their summaries; 3b: their positions
    "elements",
    "impact_assessment_summary",  # 2b
    "dutch_position",  # 3
    "grounds",  # 4
    "legal",  # 5
    "implementation",  # 6
    "developing_countries",  # 5 or 7
    "footnotes",
    "annex",
    "internal_notes",
    "internal_section_notes",
)
"""The keys of a new file in the order the fiche reads them (section numbers after #)."""


def _reading_place(key: str) -> int:
    return READING_ORDER.index(key) if key in READING_ORDER else len(READING_ORDER)


# An enum field without a default gets the value that decides nothing yet.
UNDECIDED: dict[type[Enum], Enum] = {
    Stance: Stance.NO_POSITION,
    Verdict: Verdict.NOT_YET_ASSESSABLE,
}

# Where a Commission document stands on EUR-Lex, for the link in item 1d.
EURLEX_URL = "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri={kind}:{year}:{number}:FIN"
DOCUMENT_NUMBER = re.compile(
    r"^\s*(COM|JOIN)\s*\(\s*(\d{4})\s*\)\s*0*(\d+)(?:\s+final)?\s*$", re.IGNORECASE
)

# Between two sentences of imported prose: a full stop after a word, a capital next.
# Markdown joins the lines again; the file gets one sentence a line, so diffs stay small.
SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.!?])[ \t]+(?=[A-Z])")

TYPE_NAMES = {
    FicheType.COMMUNICATION: "mededeling of aanbeveling",
    FicheType.LEGISLATIVE: "wet- en regelgeving",
}

HEADER = """\
Nieuwe BNC-fiche ({kind}), gemaakt met 'fichegen new'.
Vervang elke [INVULLEN: ...] door de tekst die erbij hoort; boven elk veld staat
wat erin hoort. Welke nog open staan, toont: fichegen check {name}
Lopende tekst is Markdown, met één zin per regel; een lege regel begint een nieuwe
alinea. Voetnoten staan onderaan onder 'footnotes:' en worden in de tekst aangeroepen
met [^sleutel].
Velden met internal_notes zijn interne notities: die komen nooit in de versie voor
het parlement."""


def yaml_io() -> YAML:
    """The ruamel settings of positions files: the indentation of the examples in positions/."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long line of prose into two
    return yaml


def create_positions_file(
    path: Path,
    fiche_type: FicheType,
    *,
    com: Sequence[str] = (),
    title: str = "",
    actions: Path | None = None,
    force: bool = False,
) -> Path | None:
    """Write the skeleton of a new positions file; never replace a file unless forced.

    A repository without a schema gets `schema/fiche.schema.json` too, so the
    editor's modeline points at a file that exists; returns its path when written.
    """
    from fichegen.files import write_atomic

    if path.exists() and not force:
        raise InputError(
            Problem(
                Location(str(path)),
                _("file already exists; it was left as it is"),
                code="exists",
                hint=_("choose another name, or pass --force to replace it"),
            )
        )
    areas: list[Area] = []
    if actions is not None:
        from fichegen.importers import import_actions

        try:
            areas = import_actions(actions)
        except InputError as exc:  # told in the words of the fiche type: "onderdeel"
            raise InputError([_in_words_of_problem(p, fiche_type) for p in exc.problems]) from None
    schema = None
    if find_schema(path) is None:
        from fichegen.schema import schema_text

        folder = path.resolve().parent
        schema = (folder.parent if folder.name == "positions" else folder) / SCHEMA_IN_REPOSITORY
        schema.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(schema, schema_text().encode("utf-8"))
    text = make_skeleton(
        fiche_type, com, title, areas, schema_ref=schema_reference(path), name=str(path)
    )
    write_atomic(path, text.encode("utf-8"), inputs=(actions,))
    return schema


def find_schema(path: Path) -> Path | None:
    """The nearest schema/fiche.schema.json in the new file's folder or above it."""
    folder = path.resolve().parent
    for parent in (folder, *folder.parents):
        candidate = parent / SCHEMA_IN_REPOSITORY
        if candidate.is_file():
            return candidate
    return None


def schema_reference(path: Path) -> str:
    """The schema for the editor's modeline: the nearest schema/fiche.schema.json above
    the new file (written by `fichegen schema -o`), relative to it; else where it is
    from positions/."""
    folder = path.resolve().parent
    candidate = find_schema(path)
    if candidate is not None:
        try:
            return Path(os.path.relpath(candidate, folder)).as_posix()
        except ValueError:  # another drive on Windows: no relative path exists
            pass
    return SCHEMA_REF


def make_skeleton(
    fiche_type: FicheType,
    com: Sequence[str] = (),
    title: str = "",
    areas: Sequence[Area] = (),
    *,
    schema_ref: str = SCHEMA_REF,
    name: str = "<bestand>",
) -> str:
    """The YAML text of a new fiche: every field with its help text, placeholders to fill in.

    `areas` (from an action list) become the areas of a communication or, flattened,
    the elements of a legislative proposal; without them there is one example.
    """
    builder = _Builder(fiche_type)
    given: dict[str, Any] = {"type": fiche_type}
    if title.strip():
        given["title"] = _exact(title.strip())
    com = [_exact(number.strip()) for number in com if number.strip()]
    if com:
        given["general"] = {"com_numbers": com}
        links = _eurlex_links(com)
        if links:
            given["general"]["eurlex"] = links
    if areas and fiche_type is FicheType.COMMUNICATION:
        given["areas"] = list(areas)
    elif areas:
        given["elements"] = [action for area in areas for action in area.actions]
    root = builder.record(Fiche, given, indent=0, top=True)
    header = in_words_of(HEADER.format(kind=TYPE_NAMES[fiche_type], name=name), fiche_type)
    root.yaml_set_start_comment(f"yaml-language-server: $schema={schema_ref}\n{header}")
    stream = io.StringIO()
    yaml_io().dump(root, stream)
    return stream.getvalue()


def _exact(text: str) -> str:
    """Text from the command line, quoted where a plain YAML scalar would not keep it as given
    (YAML folds the line breaks NEL, LS and PS inside a plain scalar)."""
    if any(char in text for char in "\x85\u2028\u2029") or not text.isprintable():
        return DoubleQuotedScalarString(text)
    return text


def _eurlex_links(com: Sequence[str]) -> list[dict[str, str]]:
    links = []
    for number in com:
        match = DOCUMENT_NUMBER.match(number)
        if match:
            kind, year, serial = match.groups()
            links.append({"url": EURLEX_URL.format(kind=kind.upper(), year=year, number=serial)})
    return links


class _Builder:
    """Walks the dataclasses along their type hints, as the validator does, to write nodes."""

    def __init__(self, fiche_type: FicheType):
        self.fiche_type = fiche_type
        self.shown: set[Any] = set()  # list items written in full once, with comments

    def record(
        self,
        cls: Any,
        given: Any,
        indent: int,
        *,
        top: bool = False,
        full: bool = True,
        item: bool = False,
        context: str = "",
    ) -> CommentedMap:
        """A mapping for one dataclass: `given` is an instance, a dict of values, or None.

        `indent` is the column of its keys. `full` writes every field with its comment
        (the first item of its kind shows what an item may hold); otherwise only what
        has a value. The first key of a list `item` has its comment on the list, above the
        dash.
        """
        node = CommentedMap()
        hints = _hints(cls)
        fields = [f for f in dataclasses.fields(cls) if model.applies(f, self.fiche_type)]
        if top:  # the order the fiche reads, not the model's
            fields.sort(
                key=lambda f: READING_ORDER.index(f.name) if f.name in READING_ORDER else 99
            )
        # A record used for several fields (the three judgements) says which one it is.
        shared = {
            f.name
            for f in fields
            if dataclasses.is_dataclass(hints[f.name]) and _count(hints, hints[f.name]) > 1
        }
        for index, field in enumerate(fields):
            value = _given(given, field.name)
            required = model.is_required(field, self.fiche_type)
            if not full and not required and (value is _ABSENT or _is_default(field, value)):
                continue
            label = _what(field.metadata["doc"]) if field.name in shared else context
            node[field.name] = self.value(hints[field.name], field, value, indent, label)
            if full and (index or not item):
                before = _comment(in_words_of(field.metadata["doc"], self.fiche_type), indent)
                if top:
                    before = "\n" + before
                node.yaml_set_comment_before_after_key(field.name, before=before, indent=indent)
        return node

    def value(
        self, hint: Any, field: dataclasses.Field[Any], value: Any, indent: int, context: str
    ) -> Any:
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            if value is _ABSENT and not _asks_for(field, self.fiche_type):
                return None
            if value is None:
                return None
            hint = next(a for a in get_args(hint) if a is not type(None))
            origin = get_origin(hint)
        if origin is list:
            return self.sequence(get_args(hint)[0], field, value, indent, context)
        if origin is dict:
            return CommentedMap(value) if value is not _ABSENT else CommentedMap()
        if dataclasses.is_dataclass(hint):
            return self.record(
                hint, None if value is _ABSENT else value, indent + 2, context=context
            )
        asked = _asks_for(field, self.fiche_type)
        if value is _ABSENT and not asked and field.default is not dataclasses.MISSING:
            value = field.default
        if value == "":  # an optional text left out; written empty, as the validator wants
            return None
        if isinstance(hint, type) and issubclass(hint, Enum):
            chosen = UNDECIDED.get(hint) if value is _ABSENT else value
            return hint(chosen).value
        if hint is model.Id:
            return _identifier("1" if value is _ABSENT else value)
        if value is _ABSENT:
            value = in_words_of(_placeholder(field, context), self.fiche_type)
        if hint is model.Markdown:
            return _block(value)
        return _exact(value) if isinstance(value, str) else value

    def sequence(
        self, item_hint: Any, field: dataclasses.Field[Any], value: Any, indent: int, context: str
    ) -> CommentedSeq:
        if value is _ABSENT:
            if not _asks_for(field, self.fiche_type):
                return CommentedSeq()
            value = [_ABSENT]
        node = CommentedSeq()
        item_indent = indent + 4
        for index, item in enumerate(value):
            if dataclasses.is_dataclass(item_hint):
                given = None if item is _ABSENT else item
                full = item_hint not in self.shown
                self.shown.add(item_hint)
                node.append(
                    self.record(
                        item_hint, given, item_indent, full=full, item=True, context=context
                    )
                )
                if full:
                    first = next(
                        f
                        for f in dataclasses.fields(item_hint)
                        if model.applies(f, self.fiche_type)
                    )
                    node.yaml_set_comment_before_after_key(
                        index,
                        before=_comment(
                            in_words_of(first.metadata["doc"], self.fiche_type), item_indent
                        ),
                        indent=item_indent,
                    )
            else:
                node.append(self.value(item_hint, field, item, indent, context))
        return node


class _Absent:
    """No value was given for a field: the skeleton decides what to write."""


_ABSENT: Any = _Absent()


def _given(given: Any, name: str) -> Any:
    if given is None:
        return _ABSENT
    if isinstance(given, dict):
        return given.get(name, _ABSENT)
    return getattr(given, name)


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


def _asks_for(field: dataclasses.Field[Any], fiche_type: FicheType) -> bool:
    """Whether the skeleton puts something to fill in (a placeholder, an example item) here.

    Required fields, and the optional fields that only this type has: they make up
    its format (section 2b of a legislative fiche, the areas of a communication).
    """
    only = field.metadata.get("only")
    return model.is_required(field, fiche_type) or bool(only and fiche_type in only)


def _what(doc: str) -> str:
    """What a field holds, in a few words from its doc: 'a) De titel, zoals...' -> 'de titel'."""
    text = re.sub(r"^(\d+[a-z]?[.)]|[a-z]\))\s*", "", doc)
    text = re.split(r"[,;:]|\s\(|\.\s", text)[0].rstrip(". ")
    if len(text) > 1 and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


# What an action is called in a legislative fiche: an element, "onderdeel" (one word per type).
LEGISLATIVE_WORDS = [
    (re.compile(r"\bdeze actie\b"), "dit onderdeel"),
    (re.compile(r"\bde actie\b"), "het onderdeel"),
    (re.compile(r"\bacties\b"), "onderdelen"),
    (re.compile(r"\bactie\b"), "onderdeel"),
    # English messages (`--lang en`) say "element", as `check` does; a quoted key stays.
    (re.compile(r"(?<!')\bactions\b(?!')"), "elements"),
    (re.compile(r"(?<!')\baction\b(?!')"), "element"),
    (re.compile(r"(?<!')\bActions\b"), "Elements"),
    (re.compile(r"(?<!')\bAction\b"), "Element"),
]


def in_words_of(text: str, fiche_type: FicheType) -> str:
    """A help text or placeholder in the words of the fiche type ('onderdeel': legislative)."""
    if fiche_type is FicheType.LEGISLATIVE:
        for pattern, word in LEGISLATIVE_WORDS:
            text = pattern.sub(word, text)
    return text


def _in_words_of_problem(problem: Problem, fiche_type: FicheType) -> Problem:
    return dataclasses.replace(
        problem,
        message=in_words_of(problem.message, fiche_type),
        hint=in_words_of(problem.hint, fiche_type),
    )


def _placeholder(field: dataclasses.Field[Any], context: str) -> str:
    what = _what(field.metadata["doc"])
    return f"[INVULLEN: {what} ({context})]" if context else f"[INVULLEN: {what}]"


def _comment(doc: str, indent: int) -> str:
    return "\n".join(textwrap.wrap(doc, width=max(COMMENT_WIDTH - indent - 2, 40)))


def _block(text: str) -> Any:
    """Prose as a literal block (`|`), the way the examples write it: one sentence a line."""
    text = str(text)
    if not text.strip():
        return text
    if any(char in text for char in "\x85\u2028\u2029") or not text.replace("\n", "").isprintable():
        return DoubleQuotedScalarString(text)  # a literal block would change or refuse them
    if "\n" not in text.strip():
        text = SENTENCE_END.sub("\n", text.strip())
    return LiteralScalarString(text if text.endswith("\n") else text + "\n")


def _identifier(value: str) -> int | str:
    text = str(value)
    return int(text) if text.isdigit() and not text.startswith("0") else text


def _count(hints: dict[str, Any], hint: Any) -> int:
    return sum(1 for other in hints.values() if other == hint)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, vars(model))
