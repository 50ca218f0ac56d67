"""Raw tree -> model, collecting every problem at once.

The conversion is driven by the dataclasses of `fichegen.model`: each field's
type says what the YAML value must be, so the rules for shape (unknown keys,
wrong types, missing fields) live in one generic walk. The rules a reviewer
checks by hand (a conditional stance lists conditions, footnotes resolve...)
follow as small functions over the converted values, each with a short id.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from fichegen import model
from fichegen.errors import Location, Problem, Severity
from fichegen.load import Source, item_location, key_location, node_location, value_location
from fichegen.model import ANNEXES, Action, Fiche, FicheType, Stance, Status

# Rule ids and what they guard; the id is printed with each problem so a team
# can look it up (and, in configuration, switch a warning off).
RULES: dict[str, str] = {
    "syntax": "the file is not valid YAML",
    "encoding": "the file is not UTF-8",
    "too-large": "the file is larger than a fiche can be",
    "unreadable": "the file cannot be read",
    "duplicate-key": "a key appears twice in one mapping",
    "unknown-key": "a key that the fiche format does not have",
    "wrong-type": "a value of the wrong kind (text, list, mapping, number)",
    "wrong-value": "a value outside the allowed choices",
    "missing": "a required field is absent or empty",
    "wrong-fiche-type": "a field that belongs to the other fiche type",
    "control-character": "a character that Word cannot hold",
    "duplicate-id": "two actions or areas with the same id",
    "stance-conditions": "a conditional stance lists no conditions",
    "stance-concerns": "a critical or opposing stance lists no concerns",
    "footnote-undefined": "a footnote reference without a footnote",
    "footnote-unused": "a footnote that no text refers to",
    "footnote-nested": "a footnote reference inside a footnote",
    "placeholder": "a placeholder left from 'fichegen new'",
    "final-undecided": "a final fiche with an action without position",
}

PLACEHOLDER = re.compile(r"\[INVULLEN\b[^\]]*\]")
"""What `fichegen new` writes where the civil servant still has to write."""

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
FOOTNOTE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab/newline/CR,
# lone surrogates, and the two non-characters U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

INVALID: Any = object()
"""Returned by a conversion that reported a problem; the parent then fails too."""


@dataclass
class Text:
    """A Markdown value as found in the file, for the rules that read prose."""

    value: str
    location: Location
    block: bool
    context: str


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
    if fiche is not None:
        problems += list(_check_rules(fiche, converter))
    problems.sort(key=lambda p: (p.location.line, p.location.column))
    return Validation(fiche, problems, converter.texts)


class _Converter:
    """Walks the raw tree along the model's type hints."""

    def __init__(self, source: Source):
        self.name = source.path
        self.lines = source.text.splitlines()
        self.problems: list[Problem] = []
        self.texts: list[Text] = []
        self.fiche_type: FicheType | None = None
        self.action_locations: dict[int, Location] = {}
        self.footnote_locations: dict[str, Location] = {}

    def report(self, location: Location, message: str, code: str, hint: str = "",
               severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(location, message, severity, code, hint))

    def fiche(self, tree: Any) -> Fiche | None:
        if tree is None:
            self.report(Location(self.name, 1, 1), "file is empty", "missing",
                        "start from an example in positions/ or run 'fichegen new'")
            return None
        if isinstance(tree, CommentedMap):
            raw_type = tree.get("type")
            if raw_type in {t.value for t in FicheType}:
                self.fiche_type = FicheType(raw_type)
        result = self.convert(Fiche, tree, node_location(self.name, tree) if isinstance(
            tree, CommentedMap) else Location(self.name, 1, 1), "the fiche")
        return None if result is INVALID else result

    # -- dispatch on the type hint -------------------------------------------------

    def convert(self, hint: Any, node: Any, where: Location, context: str) -> Any:
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            options = [a for a in get_args(hint) if a is not type(None)]
            if node is None:
                return None
            return self.convert(options[0], node, where, context)
        if origin is list:
            return self.sequence(get_args(hint)[0], node, where, context)
        if origin is dict:
            return self.mapping(get_args(hint)[1], node, where, context)
        if dataclasses.is_dataclass(hint):
            return self.record(hint, node, where, context)
        if isinstance(hint, type) and issubclass(hint, Enum):
            return self.choice(hint, node, where, context)
        if hint is model.Id:
            return self.identifier(node, where, context)
        return self.text(hint, node, where, context)

    def record(self, cls: Any, node: Any, where: Location, context: str) -> Any:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if not isinstance(node, CommentedMap):
            self.report(where, f"{context} must be a mapping of keys ({_first_keys(cls)}), "
                               f"not {_kind(node)}", "wrong-type")
            return INVALID
        hints = _hints(cls)
        values: dict[str, Any] = {}
        ok = True
        for key in node:
            at = key_location(self.name, node, key)
            spec = fields.get(key) if isinstance(key, str) else None
            if spec is None:
                self.report(at, f"unknown key '{key}' in {context}{_suggest(key, fields)}",
                            "unknown-key", f"the keys of {context} are: {', '.join(fields)}")
                ok = False
                continue
            if not model.applies(spec, self.fiche_type):
                other = ", ".join(t.value for t in spec.metadata["only"])
                self.report(at, f"'{key}' belongs in a {other} fiche, and this fiche's type is "
                                f"{self.fiche_type.value if self.fiche_type else '?'}",
                            "wrong-fiche-type", "remove it, or change 'type'")
                ok = False
                continue
            value = node[key]
            value_at = value_location(self.name, node, key)
            if value is None and model.is_required(spec, self.fiche_type):
                self.report(value_at, f"'{key}' in {context} is empty", "missing",
                            _doc_hint(spec))
                ok = False
                continue
            if value is None:
                continue
            converted = self.convert(hints[key], value, value_at, _describe(key, value, context))
            if converted is INVALID:
                ok = False
            else:
                values[key] = converted
        for spec in fields.values():
            if spec.name not in node and model.is_required(spec, self.fiche_type):
                self.report(where, f"missing required key '{spec.name}' in {context}", "missing",
                            _doc_hint(spec))
                ok = False
        if not ok:
            return INVALID
        instance = cls(**values)
        if cls is Action:
            self.action_locations[id(instance)] = where
        return instance

    def sequence(self, item_hint: Any, node: Any, where: Location, context: str) -> Any:
        if not isinstance(node, CommentedSeq):
            self.report(where, f"{context} must be a list (items starting with '- '), "
                               f"not {_kind(node)}", "wrong-type")
            return INVALID
        items = []
        for index, item in enumerate(node):
            at = item_location(self.name, node, index)
            converted = self.convert(item_hint, item, at, _item_context(item, context, index))
            items.append(converted)
        return INVALID if any(i is INVALID for i in items) else items

    def mapping(self, value_hint: Any, node: Any, where: Location, context: str) -> Any:
        if not isinstance(node, CommentedMap):
            self.report(where, f"{context} must be a mapping (key: value), not {_kind(node)}",
                        "wrong-type")
            return INVALID
        values = {}
        ok = True
        for key, value in node.items():
            at = key_location(self.name, node, key)
            if not isinstance(key, str) or not FOOTNOTE_KEY.match(key):
                self.report(at, f"'{key}' is not a valid key in {context}", "wrong-value",
                            "use letters, digits, '-' and '_'")
                ok = False
                continue
            if context == "footnotes":
                self.footnote_locations[key] = at
            converted = self.convert(value_hint, value, value_location(self.name, node, key),
                                     f"{context} '{key}'")
            if converted is INVALID:
                ok = False
            else:
                values[key] = converted
        return values if ok else INVALID

    def choice(self, enum: type[Enum], node: Any, where: Location, context: str) -> Any:
        allowed = [str(member.value) for member in enum]
        if isinstance(node, str) and node in allowed:
            return enum(node)
        suggestion = ""
        if isinstance(node, str):
            close = difflib.get_close_matches(node, allowed, n=1, cutoff=0.5)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
        self.report(where, f"{context} must be one of {', '.join(allowed)}; "
                           f"got {_show(node)}{suggestion}", "wrong-value")
        return INVALID

    def identifier(self, node: Any, where: Location, context: str) -> Any:
        if isinstance(node, bool) or not isinstance(node, int | str):
            self.report(where, f"{context} must be a number or a short name, not {_kind(node)}",
                        "wrong-type")
            return INVALID
        value = str(node)
        if not ID_PATTERN.match(value):
            self.report(where, f"{context} {_show(value)} is not a valid id", "wrong-value",
                        "use a number or letters, digits, '.', '_' and '-', without spaces")
            return INVALID
        return model.Id(value)

    def text(self, hint: Any, node: Any, where: Location, context: str) -> Any:
        if isinstance(node, bool) or not isinstance(node, str | int | float | datetime.date):
            self.report(where, f"{context} must be text, not {_kind(node)}", "wrong-type",
                        "put the text in quotes, or use a block (|) for several lines")
            return INVALID
        value = str(node)
        bad = NOT_XML.search(value)
        if bad:
            self.report(self.locate(where, value, bad.start(), _is_block(node)),
                        f"{context} contains the control character U+{ord(bad.group()):04X}, "
                        "which Word cannot hold", "control-character",
                        "delete it; it often comes from copying text out of a PDF")
            return INVALID
        if not value.strip() and hint in (model.Markdown, str):
            self.report(where, f"{context} is empty", "missing")
            return INVALID
        if hint is model.Markdown:
            self.texts.append(Text(value, where, _is_block(node), context))
            return model.Markdown(value)
        return value

    def locate(self, where: Location, value: str, offset: int, block: bool) -> Location:
        """The file location of `value[offset]`, for problems inside a text."""
        if not where.line:
            return where
        lines_before = value.count("\n", 0, offset)
        line = where.line + lines_before + (1 if block else 0)
        start = value.rfind("\n", 0, offset) + 1
        snippet = value[offset:offset + 12].split("\n")[0] or value[start:offset]
        for candidate in range(line, min(line + 4, len(self.lines) + 1)):
            column = self.lines[candidate - 1].find(snippet) if snippet else -1
            if column >= 0:
                return Location(where.path, candidate, column + 1)
        return where


# -- the rules a reviewer checks by hand ---------------------------------------------


def _check_rules(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    yield from _check_ids(fiche, converter)
    yield from _check_stances(fiche, converter)
    yield from _check_footnotes(fiche, converter)
    yield from _check_placeholders(fiche, converter)
    yield from _check_annex(fiche, converter)


def _where(converter: _Converter, action: Action) -> Location:
    return converter.action_locations.get(id(action), Location(converter.name))


def _check_ids(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    seen: dict[str, Location] = {}
    for action in fiche.iter_actions():
        at = _where(converter, action)
        if action.id in seen:
            yield Problem(at, f"action id {action.id} is used twice (first at line "
                              f"{seen[action.id].line})", code="duplicate-id",
                          hint="give every action its own id; ids are how diffs match versions")
        else:
            seen[action.id] = at
    area_ids: set[str] = set()
    for area in fiche.areas:
        if area.id in area_ids:
            yield Problem(Location(converter.name), f"area id {area.id} is used twice",
                          code="duplicate-id")
        area_ids.add(area.id)


def _check_stances(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    for action in fiche.iter_actions():
        at = _where(converter, action)
        if action.stance is Stance.SUPPORT_WITH_CONDITIONS and not action.conditions:
            yield Problem(at, f"action {action.id} has stance 'support_with_conditions' but no "
                              "conditions", code="stance-conditions",
                          hint="list them under 'conditions:', or change the stance")
        if action.stance in (Stance.CRITICAL, Stance.OPPOSE) and not action.concerns:
            yield Problem(at, f"action {action.id} has stance '{action.stance.value}' but no "
                              "concerns", code="stance-concerns",
                          hint="list them under 'concerns:', or change the stance")
        if fiche.status is Status.FINAL and action.stance is Stance.NO_POSITION:
            yield Problem(at, f"action {action.id} has no position yet, but the fiche is final",
                          code="final-undecided",
                          hint="decide the stance, or set 'status: draft'")


def _check_footnotes(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    used: set[str] = set()
    for text in converter.texts:
        in_footnote = text.context.startswith("footnotes '")
        for match in FOOTNOTE_REF.finditer(text.value):
            key = match.group(1)
            at = converter.locate(text.location, text.value, match.start(), text.block)
            if in_footnote:
                yield Problem(at, f"footnote reference [^{key}] inside a footnote",
                              code="footnote-nested",
                              hint="Word cannot put a footnote in a footnote; write the text out")
                continue
            used.add(key)
            if key not in fiche.footnotes:
                close = difflib.get_close_matches(key, list(fiche.footnotes), n=1)
                yield Problem(at, f"footnote [^{key}] is not defined"
                                  + (f" (did you mean '{close[0]}'?)" if close else ""),
                              code="footnote-undefined",
                              hint=f"add '{key}: <text>' under 'footnotes:'")
    for key in fiche.footnotes:
        if key not in used:
            yield Problem(converter.footnote_locations.get(key, Location(converter.name)),
                          f"footnote '{key}' is defined but never referenced",
                          Severity.WARNING, "footnote-unused",
                          f"refer to it with [^{key}] in a text, or remove it")


def _check_placeholders(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    severity = Severity.ERROR if fiche.status is Status.FINAL else Severity.WARNING
    for text in converter.texts:
        for match in PLACEHOLDER.finditer(text.value):
            at = converter.locate(text.location, text.value, match.start(), text.block)
            yield Problem(at, f"{text.context} still has the placeholder {match.group()}",
                          severity, "placeholder", "write the text in its place")


def _check_annex(fiche: Fiche, converter: _Converter) -> Iterator[Problem]:
    for name in fiche.annex:
        if name not in ANNEXES:
            yield Problem(Location(converter.name), f"unknown annex '{name}'"
                          + _suggest(name, ANNEXES), code="wrong-value",
                          hint=f"the annexes are: {', '.join(ANNEXES)}")


# -- small helpers for messages ------------------------------------------------------


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, vars(model))


def _suggest(word: Any, options: Any) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _doc_hint(spec: dataclasses.Field[Any]) -> str:
    return f"{spec.name}: {spec.metadata.get('doc', '')}"


def _first_keys(cls: Any) -> str:
    names = [f.name for f in dataclasses.fields(cls)]
    return ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


def _describe(key: str, value: Any, context: str) -> str:
    if context == "the fiche":
        return f"'{key}'"
    return f"'{key}' of {context}"


def _item_context(item: Any, context: str, index: int) -> str:
    noun = {"'actions' of": "action", "'elements'": "element", "'areas'": "area"}
    for prefix, word in noun.items():
        if context.startswith(prefix) and isinstance(item, CommentedMap) and "id" in item:
            return f"{word} {item['id']}"
    return f"item {index + 1} of {context}"


def _kind(node: Any) -> str:
    if node is None:
        return "empty"
    if isinstance(node, bool):
        return f"{str(node).lower()} (a yes/no value)"
    if isinstance(node, CommentedMap | dict):
        return "a mapping"
    if isinstance(node, CommentedSeq | list):
        return "a list"
    if isinstance(node, int | float):
        return f"the number {node}"
    if isinstance(node, str):
        return "text"
    return f"a {type(node).__name__}"


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else _kind(value)


def _is_block(node: Any) -> bool:
    return isinstance(node, LiteralScalarString | FoldedScalarString)

