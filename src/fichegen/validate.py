"""Raw tree -> model, collecting every problem at once.

The conversion is driven by the dataclasses of `fichegen.model`: each field's
type says what the YAML value must be, so the rules for shape (unknown keys,
wrong types, missing fields) live in one generic walk. The rules a reviewer
checks by hand (a conditional stance lists conditions, footnotes resolve...)
are small functions in `fichegen.rules` and `fichegen.prose`, run over the
`Facts` the walk gathers on the way (`fichegen.facts`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from fichegen import model
from fichegen.errors import Location, Problem, Severity
from fichegen.facts import Facts, Path, Text
from fichegen.i18n import _
from fichegen.load import (
    Source,
    item_location,
    key_and_value_location,
    key_location,
    node_location,
)
from fichegen.model import Fiche, FicheType
from fichegen.prose import iter_prose_problems
from fichegen.rules import item_word, iter_rule_problems

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
"""Keys of free mappings (footnotes, meta): what `[^key]` can refer to."""

# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab/newline/CR,
# lone surrogates, and the two non-characters U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_C0 = bytes(byte for byte in range(32) if byte not in b"\t\n\r")
_NOT_C0 = bytes(byte for byte in range(256) if byte not in _C0)
"""Every byte but the C0 controls of NOT_XML: what `bytes.translate` deletes to keep only those."""


def _may_not_fit_xml(value: str) -> bool:
    """Whether NOT_XML would find something: the same answer, four times sooner.

    Every text of every check passes here, and a regex character class tests
    each character in turn. A lone surrogate cannot be encoded as UTF-8, a C0
    control stays one byte below 0x20 in UTF-8 (no other character has such a
    byte), and the two non-characters are looked for as they are.
    """
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return bool(data.translate(None, _NOT_C0)) or "\ufffe" in value or "\uffff" in value


INVALID: Any = object()
"""Returned by a conversion that reported a problem; the parent then fails too."""

_ABSENT: Any = object()
"""An optional field left empty: the dataclass default applies."""


@dataclass
class Validation:
    """The result of validating one file: the fiche when it could be built, and every problem."""

    fiche: Fiche | None
    problems: list[Problem]
    texts: list[Text] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def validate(source: Source) -> Validation:
    """Turn a parsed positions file into a Fiche, or say everything that is wrong with it."""
    converter = _Converter(source)
    fiche = converter.fiche(source.tree)
    problems = converter.problems
    facts = converter.facts
    problems += iter_prose_problems(facts)
    problems += iter_rule_problems(facts)
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    return Validation(fiche, problems, facts.texts)


class _Converter:
    """Walks the raw tree along the model's type hints."""

    def __init__(self, source: Source):
        self.name = source.path
        self.facts = Facts(source.path, source.text.splitlines())
        self.problems: list[Problem] = []
        self.fiche_type: FicheType | None = None

    def report(
        self,
        location: Location,
        message: str,
        code: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Problem(location, message, severity, code, hint))

    def fiche(self, tree: Any) -> Fiche | None:
        if tree is None:
            self.report(
                Location(self.name, 1, 1),
                _("file is empty"),
                "missing",
                _("start from an example in positions/ or run 'fichegen new'"),
            )
            return None
        where = Location(self.name, 1, 1)
        if isinstance(tree, CommentedMap | CommentedSeq):
            where = node_location(self.name, tree)
        if isinstance(tree, CommentedMap):
            raw_type = tree.get("type")
            if isinstance(raw_type, str) and raw_type in {t.value for t in FicheType}:
                self.fiche_type = FicheType(raw_type)
            self.facts.final = tree.get("status") == model.Status.FINAL.value
        result = self.convert(Fiche, tree, where, _("the fiche"), ())
        return None if result is INVALID else result

    def _at(self, where: Location) -> str:
        """The character of the file at a location ('' when unknown)."""
        try:
            return self.facts.lines[where.line - 1][where.column - 1]
        except IndexError:
            return ""

    # -- dispatch on the type hint -------------------------------------------------

    def convert(self, hint: Any, node: Any, where: Location, context: str, path: Path) -> Any:
        kind, inner = _shape(hint)
        if kind is _OPTIONAL:
            return None if node is None else self.convert(inner, node, where, context, path)
        self.facts.places[path] = where
        if kind is _TEXT:
            return self.text(inner, node, where, context, path)
        if kind is _RECORD:
            return self.record(inner, node, where, context, path)
        if kind is _LIST:
            return self.sequence(inner, node, where, context, path)
        if kind is _DICT:
            return self.mapping(inner, node, where, context, path)
        if kind is _CHOICE:
            return self.choice(inner, node, where, context)
        return self.identifier(node, where, context)

    def record(self, cls: Any, node: Any, where: Location, context: str, path: Path) -> Any:
        fields = _fields(cls, self.fiche_type)
        if not isinstance(node, CommentedMap):
            self.report(
                where,
                _("{context} must be a mapping of keys ({keys}), not {kind}").format(
                    context=context, keys=_first_keys(cls), kind=_kind(node)
                ),
                "wrong-type",
            )
            return INVALID
        values: dict[str, Any] = {}
        meant: set[str] = set()  # fields an unknown key was probably meant to be
        ok = True
        for key in node:
            spec = fields.get(key) if isinstance(key, str) else None
            if spec is None:
                close = _closest(key, fields)
                invisible = _invisible(key)
                self.report(
                    key_location(self.name, node, key),
                    _("unknown key {key} in {context}").format(key=_show(key), context=context)
                    + (_(" (did you mean '{close}'?)").format(close=close) if close else ""),
                    "unknown-key",
                    _("the key contains the invisible character {name}; delete it").format(
                        name=invisible
                    )
                    if invisible
                    else _("the keys of {context} are: {keys}").format(
                        context=context, keys=", ".join(fields)
                    ),
                )
                meant.add(close)
                ok = False
                continue
            value = self.field(spec, node, context, path)
            if value is INVALID:
                ok = False
            elif value is not _ABSENT:
                values[key] = value
        for spec in fields.values():
            if spec.required and spec.name not in node and spec.name not in meant:
                self.report(
                    self.facts.keys.get(path, where),
                    _("missing required key '{key}' in {context}").format(
                        key=spec.name, context=context
                    ),
                    "missing",
                    _doc_hint(spec.field),
                )
                ok = False
        if not ok:
            return INVALID
        instance = cls(**values)
        self.facts.records[path] = instance
        return instance

    def field(self, spec: _Field, node: CommentedMap, context: str, path: Path) -> Any:
        """The converted value of one key of a record, INVALID, or _ABSENT when left empty."""
        key = spec.name
        at, value_at = key_and_value_location(self.name, node, key)
        if not spec.applies:
            other = _(" or ").join(t.value for t in spec.field.metadata["only"])
            self.report(
                at,
                _("'{key}' belongs in a {other} fiche, and this fiche's type is {type}").format(
                    key=key, other=other, type=self.fiche_type.value if self.fiche_type else "?"
                ),
                "wrong-fiche-type",
                _("remove it, or change 'type'"),
            )
            return INVALID
        self.facts.keys[(*path, key)] = at
        value = node[key]
        # At the top, a key is named alone: 'essence' (not "'essence' of the fiche").
        described = (
            _("'{key}' of {context}").format(key=key, context=context) if path else f"'{key}'"
        )
        # An empty value (null, '' or an empty list) is the same as a missing key.
        blank = value is None or (isinstance(value, str) and (not value or value.isspace()))
        if blank or (spec.required and isinstance(value, list | dict) and not value):
            if not spec.required:
                return _ABSENT
            self.report(
                at if value is None else value_at,
                _("{what} is empty").format(what=described),
                "missing",
                _doc_hint(spec.field),
            )
            return INVALID
        return self.convert(spec.hint, value, value_at, described, (*path, key))

    def sequence(self, item_hint: Any, node: Any, where: Location, context: str, path: Path) -> Any:
        if not isinstance(node, CommentedSeq):
            self.report(
                where,
                _("{context} must be a list (items starting with '- '), not {kind}").format(
                    context=context, kind=_kind(node)
                ),
                "wrong-type",
                _("write each item on its own line, starting with '- '"),
            )
            return INVALID
        items = []
        for index, item in enumerate(node):
            at = item_location(self.name, node, index)
            items.append(
                self.convert(
                    item_hint, item, at, _item_context(item, context, index, path), (*path, index)
                )
            )
        return INVALID if any(i is INVALID for i in items) else items

    def mapping(self, value_hint: Any, node: Any, where: Location, context: str, path: Path) -> Any:
        if not isinstance(node, CommentedMap):
            self.report(
                where,
                _("{context} must be a mapping (key: value), not {kind}").format(
                    context=context, kind=_kind(node)
                ),
                "wrong-type",
            )
            return INVALID
        values = {}
        ok = True
        for key, value in node.items():
            at, value_at = key_and_value_location(self.name, node, key)
            if not isinstance(key, str) or not KEY_PATTERN.match(key):
                self.report(
                    at,
                    _("{key} is not a valid key in {context}").format(
                        key=_show(key), context=context
                    ),
                    "wrong-value",
                    _("use letters, digits, '-' and '_', without spaces"),
                )
                ok = False
                continue
            self.facts.keys[(*path, key)] = at
            converted = self.convert(
                value_hint,
                value,
                value_at,
                _("{context} '{key}'").format(context=context, key=key),
                (*path, key),
            )
            if converted is INVALID:
                ok = False
            else:
                values[key] = converted
        return values if ok else INVALID

    def choice(self, enum: type[Enum], node: Any, where: Location, context: str) -> Any:
        allowed = _choices(enum)
        if isinstance(node, str) and node in allowed:
            return enum(node)
        labels = dutch_labels(enum)
        meant = _label_of(node, labels)
        if meant:
            # The Dutch label the fiche shows ("steun onder voorwaarden") means its id;
            # the model holds the id, the file is left as the user wrote it.
            return enum(meant)
        # A near miss is suggested in the words it resembles: a label or an id.
        close = _closest(node, [*allowed, *labels.values()], 0.5)
        self.report(
            where,
            _("{context} must be one of {allowed}; got {value}").format(
                context=context, allowed=", ".join(allowed), value=_show(node)
            )
            + (_(" (did you mean '{close}'?)").format(close=close) if close else ""),
            "wrong-value",
            _("write the id or its Dutch label: {table}").format(
                table="; ".join(f"{key} = {label}" for key, label in labels.items())
            )
            if labels
            else "",
        )
        return INVALID

    def identifier(self, node: Any, where: Location, context: str) -> Any:
        if isinstance(node, bool) or not isinstance(node, int | str):
            self.report(
                where,
                _("{context} must be a number or a short name, not {kind}").format(
                    context=context, kind=_kind(node)
                ),
                "wrong-type",
            )
            return INVALID
        value = str(node)
        if not ID_PATTERN.match(value):
            self.report(
                where,
                _("{context} is {value}, which is not a valid id").format(
                    context=context, value=_show(value)
                ),
                "wrong-value",
                _("use a number or letters, digits, '.', '_' and '-', without spaces"),
            )
            return INVALID
        return model.Id(value)

    def text(self, hint: Any, node: Any, where: Location, context: str, path: Path) -> Any:
        # A date is text in YAML 1.2 and in the editor's schema; numbers and yes/no
        # are not: 1.10 would silently become '1.1'.
        if not isinstance(node, str | datetime.date):
            self.report(
                where,
                _("{context} must be text, not {kind}").format(context=context, kind=_kind(node)),
                "wrong-type",
                _text_hint(node, self._at(where) == "["),
            )
            return INVALID
        value = dutch_date(node) if isinstance(node, datetime.date) else str(node)
        block = isinstance(node, LiteralScalarString | FoldedScalarString)
        if not value.strip():
            self.report(where, _("{what} is empty").format(what=context), "missing")
            return INVALID
        bad = NOT_XML.search(value) if _may_not_fit_xml(value) else None
        if bad:
            text = Text(value, where, block, context, path)
            self.report(
                self.facts.locate(text, bad.start()),
                _("{context} contains the control character {code}, which Word cannot hold").format(
                    context=context, code=f"U+{ord(bad.group()):04X}"
                ),
                "control-character",
                _("delete it; it often comes from copying text out of a PDF"),
            )
            return INVALID
        self.facts.texts.append(
            Text(value, where, block, context, path, markdown=hint is model.Markdown)
        )
        return model.Markdown(value) if hint is model.Markdown else value


# -- small helpers for messages ------------------------------------------------------


@cache
def dutch_labels(enum: type[Enum]) -> dict[str, str]:
    """Id -> Dutch label of a stance or verdict, from the bundled `templates/labels.yaml`."""
    from fichegen import TEMPLATES
    from fichegen.errors import InputError
    from fichegen.load import read_source

    section = {model.Stance: "stances", model.Verdict: "verdicts"}.get(enum)
    if section is None:
        return {}
    try:
        entries = read_source(TEMPLATES / "labels.yaml").tree.get(section, {})
    except (InputError, AttributeError):
        return {}
    out = {}
    for key, entry in entries.items():
        label = entry.get("label") if isinstance(entry, dict) else entry
        if isinstance(label, str):
            out[str(key)] = label
    return out


def dutch_date(day: datetime.date) -> str:
    """A date as the fiche writes it: 2025-12-04 -> '4 december 2025'."""
    return f"{day.day} {dutch_months()[day.month - 1]} {day.year}"


@cache
def dutch_months() -> tuple[str, ...]:
    """The month names of the bundled `templates/labels.yaml` (fiche text, not code)."""
    from fichegen import TEMPLATES
    from fichegen.load import read_source

    months = read_source(TEMPLATES / "labels.yaml").tree["months"]
    return tuple(str(month) for month in months)


def _label_of(node: Any, labels: dict[str, str]) -> str:
    """The id whose Dutch label `node` is (any case, any spacing), or ''."""
    if not isinstance(node, str):
        return ""
    wanted = " ".join(node.lower().replace("_", " ").split())
    for key, label in labels.items():
        if wanted in (" ".join(label.lower().split()), key.replace("_", " ")):
            return key
    return ""


@cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a model dataclass (shared with the schema generator)."""
    return get_type_hints(cls, vars(model))


# What a type hint asks of a YAML value (the walk's dispatch, worked out once per hint).
_OPTIONAL, _TEXT, _RECORD, _LIST, _DICT, _CHOICE, _ID = (
    "optional",
    "text",
    "record",
    "list",
    "dict",
    "choice",
    "id",
)


@cache
def _choices(enum: type[Enum]) -> tuple[str, ...]:
    """The ids an enumeration allows, in the order a message lists them."""
    return tuple(str(member.value) for member in enum)


@cache
def _shape(hint: Any) -> tuple[str, Any]:
    """The kind of value a hint asks for, and the hint or class that says more."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return _OPTIONAL, next(a for a in get_args(hint) if a is not type(None))
    if origin is list:
        return _LIST, get_args(hint)[0]
    if origin is dict:
        return _DICT, get_args(hint)[1]
    if dataclasses.is_dataclass(hint):
        return _RECORD, hint
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _CHOICE, hint
    if hint is model.Id:
        return _ID, hint
    return _TEXT, hint


@dataclass(frozen=True)
class _Field:
    """A field of a model record as one fiche type has it."""

    field: dataclasses.Field[Any]
    hint: Any
    applies: bool
    required: bool

    @property
    def name(self) -> str:
        return self.field.name


@cache
def _fields(cls: type, fiche_type: FicheType | None) -> dict[str, _Field]:
    """The fields of a model record by key, worked out once per fiche type."""
    hints = type_hints(cls)
    return {
        spec.name: _Field(
            spec,
            hints[spec.name],
            model.applies(spec, fiche_type),
            model.is_required(spec, fiche_type),
        )
        for spec in dataclasses.fields(cls)
    }


def _closest(word: Any, options: Any, cutoff: float = 0.6) -> str:
    if not isinstance(word, str):
        return ""
    import difflib  # only a misspelt key or value needs it

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return close[0] if close else ""


def _suggest(word: Any, options: Any, cutoff: float = 0.6) -> str:
    close = _closest(word, options, cutoff)
    return _(" (did you mean '{close}'?)").format(close=close) if close else ""


def _doc_hint(spec: dataclasses.Field[Any]) -> str:
    return f"{spec.name}: {spec.metadata.get('doc', '')}"


def _text_hint(node: Any, bracket: bool = False) -> str:
    if isinstance(node, bool | int | float):
        return _("put it in quotes to make it text, exactly as written")
    if isinstance(node, CommentedMap) and len(node) == 1:
        key = next(iter(node))
        return _(
            "the ': ' after '{key}' makes YAML read a key with a value; "
            "put the whole text in quotes, or write it without ': '"
        ).format(key=key)
    if isinstance(node, CommentedSeq) and bracket:
        return _("a value that starts with '[' is read as a list; put the whole text in quotes")
    return _("write the text after the key, or use a block (|) for several lines")


def _first_keys(cls: Any) -> str:
    names = [f.name for f in dataclasses.fields(cls)]
    return ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


def _item_context(item: Any, context: str, index: int, path: Path = ()) -> str:
    word = item_word(path[-1]) if path and path[-1] in ("actions", "elements", "areas") else ""
    if word and isinstance(item, CommentedMap):
        ident = item.get("id")
        if (
            isinstance(ident, int | str)
            and not isinstance(ident, bool)
            and ID_PATTERN.match(str(ident))
        ):
            return f"{word} {ident}"
    return _("item {number} of {context}").format(number=index + 1, context=context)


def _invisible(key: Any) -> str:
    """The name of the first invisible character in a key, or ''."""
    if not isinstance(key, str):
        return ""
    from fichegen.syntax import INVISIBLE, name_of  # only an unknown key needs it

    found = next((c for c in key if c in INVISIBLE), None)
    return name_of(found) if found else ""


def _kind(node: Any) -> str:
    if node is None:
        return _("empty")
    if isinstance(node, bool):
        return _("{value} (a yes/no value)").format(value=str(node).lower())
    if isinstance(node, CommentedMap | dict):
        return _("a mapping")
    if isinstance(node, CommentedSeq | list):
        return _("a list")
    if isinstance(node, int | float):
        return _("the number {number}").format(number=node)
    if isinstance(node, str):
        return _("text")
    return f"a {type(node).__name__}"


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _kind(value)
