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

from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    Event,
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


_TAGS: dict[str, str] = {}
"""The resolved tag of each plain scalar seen (keys and stances repeat in every file)."""
_TAGS_KEPT = 20_000


class NotPlain(Exception):
    """The file needs the round-trip loader: it is malformed or more than plain data."""


def compose_tree(text: str, max_depth: int) -> Any:
    """The raw tree of a plain single-document YAML text, or NotPlain."""
    if any(separator in text for separator in UNUSUAL_LINE_BREAKS):
        raise NotPlain("the two parsers count lines differently around these")
    yaml = YAML(typ="safe")  # the C parser with ruamel's YAML 1.2 resolver, when installed
    if "CParser" not in yaml.Parser.__name__:
        raise NotPlain("no C parser on this platform")
    events = yaml.parse(text)
    try:
        return _Composer(yaml, events, max_depth).document()
    except (YAMLError, ValueError) as exc:
        raise NotPlain(str(exc)) from None


class _Composer:
    def __init__(self, yaml: YAML, events: Iterator[Event], max_depth: int):
        self.events = events
        self.max_depth = max_depth
        self.resolver = yaml.resolver
        self.constructor = yaml.constructor

    def document(self) -> Any:
        next(self.events)  # stream start
        event = next(self.events)
        if isinstance(event, StreamEndEvent):
            return None
        tree = self.node(next(self.events), 0)
        next(self.events)  # document end
        if not isinstance(next(self.events), StreamEndEvent):
            raise NotPlain("more than one document")
        return tree

    def node(self, event: Event, depth: int) -> Any:
        if getattr(event, "anchor", None) or getattr(event, "tag", None) or depth > self.max_depth:
            raise NotPlain("anchor, alias, tag or depth")
        if isinstance(event, ScalarEvent):
            return self.scalar(event)
        if isinstance(event, SequenceStartEvent):
            return self.sequence(event, depth)
        if isinstance(event, MappingStartEvent):
            return self.mapping(event, depth)
        raise NotPlain(type(event).__name__)  # an alias, or a document where a value belongs

    def scalar(self, event: ScalarEvent) -> Any:
        # Only a plain scalar can be a number, a boolean or null; keys and stances
        # repeat, so each distinct plain value is resolved once.
        tag = STR
        if not event.style:  # plain: the C parser says "", the Python one None
            tag = _TAGS.get(event.value) or self.resolve(event)
        if tag == STR:
            if event.style == "|":
                return LiteralScalarString(event.value)
            if event.style == ">":
                return FoldedScalarString(event.value)
            return event.value
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.constructor.construct_object(node)

    def resolve(self, event: ScalarEvent) -> str:
        if len(_TAGS) >= _TAGS_KEPT:
            _TAGS.clear()
        tag: str = self.resolver.resolve(ScalarNode, event.value, event.implicit)
        _TAGS[event.value] = tag
        return tag

    def sequence(self, start: SequenceStartEvent, depth: int) -> CommentedSeq:
        seq = CommentedSeq()
        seq._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        for event in self.events:
            if isinstance(event, SequenceEndEvent):
                return seq
            seq._yaml_set_idx_line_col(len(seq), [event.start_mark.line, event.start_mark.column])
            seq.append(self.node(event, depth + 1))
        raise NotPlain("unterminated sequence")

    def mapping(self, start: MappingStartEvent, depth: int) -> CommentedMap:
        mapping = CommentedMap()
        mapping._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        for event in self.events:
            if isinstance(event, MappingEndEvent):
                return mapping
            if not isinstance(event, ScalarEvent):
                raise NotPlain("a key that is not a scalar")
            key = self.node(event, depth + 1)
            if key in mapping or not isinstance(key, str):
                raise NotPlain("duplicate or odd key")
            value = next(self.events)
            mapping._yaml_set_kv_line_col(
                key,
                [
                    event.start_mark.line,
                    event.start_mark.column,
                    value.start_mark.line,
                    value.start_mark.column,
                ],
            )
            mapping[key] = self.node(value, depth + 1)
        raise NotPlain("unterminated mapping")
