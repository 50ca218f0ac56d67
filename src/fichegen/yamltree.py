"""A fast road to the raw tree the round-trip loader builds, for plain, well-formed files.

ruamel's round-trip loader is pure Python and takes about 30 ms for a fiche.
Its C parser (ruamel.yaml.clib, YAML 1.2 like the round-trip loader) reads the
same file into events in under 1 ms. This module composes those events into
the CommentedMap/CommentedSeq tree, with the line and column of every key,
value and item, as the round-trip constructor would. It composes in Python,
not with the C composer, because that one recurses in C and crashes the
process on a file nested a hundred thousand levels deep.

It only takes the easy road: the first thing that is not plain, well-formed
data (a syntax error, a tag, an anchor or alias, a duplicate key, deep
nesting, a second document) makes it give up with `NotPlain`, and `load`
parses the file again with the round-trip loader, whose messages are the ones
users see. A test keeps both roads equal.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

STR = "tag:yaml.org,2002:str"
UNUSUAL_LINE_BREAKS = ("\x85", "\u2028", "\u2029")  # NEL, LS, PS: found in text copied from PDFs


_PLAIN: dict[str, Any] = {}
"""The value of each plain scalar seen (keys and stances repeat in every file)."""
_PLAIN_KEPT = 20_000
_UNSEEN: Any = object()


class NotPlain(Exception):
    """The file needs the round-trip loader: it is malformed or more than plain data."""


def compose_tree(text: str, max_depth: int) -> Any:
    """The raw tree of a plain single-document YAML text, or NotPlain."""
    if any(separator in text for separator in UNUSUAL_LINE_BREAKS):
        raise NotPlain("the two parsers count lines differently around these")
    try:
        from ruamel.yaml.cyaml import CParser  # what `YAML(typ="safe").parse` drives
    except ImportError:
        raise NotPlain("no C parser on this platform") from None
    try:
        return _Composer(CParser(text), max_depth).document()
    except (YAMLError, ValueError) as exc:
        raise NotPlain(str(exc)) from None


class _Composer:
    """Events in, tree out; each event is taken from the C parser as it is needed.

    Containers are filled first and located in one go (`LineCol.data`, which
    ruamel's own `_yaml_set_*_line_col` helpers fill one entry at a time).
    """

    def __init__(self, parser: Any, max_depth: int):
        self.next_event = parser.get_event
        self.max_depth = max_depth
        self.yaml: YAML | None = None

    def document(self) -> Any:
        self.next_event()  # stream start
        if type(self.next_event()) is StreamEndEvent:
            return None
        tree = self.node(self.next_event(), 0)
        self.next_event()  # document end
        if type(self.next_event()) is not StreamEndEvent:
            raise NotPlain("more than one document")
        return tree

    def node(self, event: Any, depth: int) -> Any:
        # Only node events come here: scalars, starts of containers, and aliases
        # (which always have an anchor).
        if event.anchor or event.ctag or depth > self.max_depth:
            raise NotPlain("anchor, alias, tag or depth")
        kind = type(event)
        if kind is ScalarEvent:
            return self.scalar(event)
        if kind is MappingStartEvent:
            return self.mapping(event, depth)
        if kind is SequenceStartEvent:
            return self.sequence(event, depth)
        raise NotPlain(kind.__name__)

    def scalar(self, event: ScalarEvent) -> Any:
        if event.style:  # quoted or a block: text (the C parser says "" for plain)
            if event.style == "|":
                return LiteralScalarString(event.value)
            if event.style == ">":
                return FoldedScalarString(event.value)
            return event.value
        # Only a plain scalar can be a number, a boolean, a date or null; keys,
        # stances and ids repeat, so each distinct plain scalar is resolved once.
        value = _PLAIN.get(event.value, _UNSEEN)
        return self.resolve(event) if value is _UNSEEN else value

    def resolve(self, event: ScalarEvent) -> Any:
        if self.yaml is None:
            self.yaml = YAML(typ="safe")  # ruamel's YAML 1.2 resolver and constructors
        tag = self.yaml.resolver.resolve(ScalarNode, event.value, event.implicit)
        value = event.value
        if tag != STR:
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            value = self.yaml.constructor.construct_object(node)
        if len(_PLAIN) >= _PLAIN_KEPT:
            _PLAIN.clear()
        _PLAIN[event.value] = value  # text, or a number, boolean, date or None: immutable
        return value

    def sequence(self, start: SequenceStartEvent, depth: int) -> CommentedSeq:
        items: list[Any] = []
        places = {}
        while type(event := self.next_event()) is not SequenceEndEvent:
            places[len(items)] = [event.start_mark.line, event.start_mark.column]
            items.append(self.node(event, depth + 1))
        seq = CommentedSeq(items)
        _locate(seq, start, places)
        return seq

    def mapping(self, start: MappingStartEvent, depth: int) -> CommentedMap:
        mapping = CommentedMap()
        places: dict[Any, list[int]] = {}
        while type(event := self.next_event()) is not MappingEndEvent:
            if type(event) is not ScalarEvent:
                raise NotPlain("a key that is not a scalar")
            key = self.node(event, depth + 1)
            if not isinstance(key, str) or key in places:
                raise NotPlain("duplicate or odd key")
            value = self.next_event()
            places[key] = [
                event.start_mark.line,
                event.start_mark.column,
                value.start_mark.line,
                value.start_mark.column,
            ]
            mapping[key] = self.node(value, depth + 1)
        _locate(mapping, start, places)
        return mapping


def _locate(
    container: CommentedMap | CommentedSeq, start: Any, places: dict[Any, list[int]]
) -> None:
    """Where a container starts, and where each of its keys, values or items stands."""
    lc = container.lc
    lc.line, lc.col = start.start_mark.line, start.start_mark.column
    lc.data = places
