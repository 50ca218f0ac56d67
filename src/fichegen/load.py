"""YAML -> raw tree with locations (ruamel.yaml round-trip), refusing what is not plain data.

The raw tree is ruamel's CommentedMap/CommentedSeq with plain scalars; each
mapping and sequence remembers where its keys and items stand, which is how
every later problem can point at its source. Nothing here knows the fiche.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.yamltree import NotPlain, compose_tree

MAX_BYTES = 2 * 1024 * 1024
"""A long legislative fiche is about 100 KB; anything twenty times that is not a fiche."""

MAX_DEPTH = 32
"""A fiche nests about seven levels (fiche, areas, area, actions, action, conditions, text)."""


@dataclass(frozen=True)
class Source:
    """A positions file as read: its name for messages, its text and its raw tree."""

    path: str
    text: str
    tree: Any


def read_source(path: Path | str, *, display: str | None = None) -> Source:
    """Read and parse one positions file; raise InputError with a located problem."""
    from fichegen.files import read_input

    name = display or str(path)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # read_input says why it cannot be read
    if size > MAX_BYTES:
        raise InputError(_too_large(name, size))
    # A regular file only (a pipe would block), and one byte more than allowed at most.
    return parse_source(read_input(path, MAX_BYTES, name=name), name)


def parse_source(data: bytes, name: str) -> Source:
    """Parse bytes of YAML; the one place where text becomes a tree.

    Only plain data gets through: mappings, lists and scalars, no tags, no
    anchors or aliases, no nesting deeper than MAX_DEPTH.
    """
    if len(data) > MAX_BYTES:
        raise InputError(_too_large(name, len(data)))
    text = decode(data, name)
    try:
        return Source(name, text, compose_tree(text, MAX_DEPTH))
    except NotPlain:
        pass  # the round-trip loader says precisely what is wrong, or reads what is unusual
    try:
        tree = _yaml().load(text)
    except _NotPlainData as exc:
        raise InputError(
            Problem(_mark_location(name, exc.mark), exc.message, code=exc.code, hint=exc.hint)
        ) from None
    except MarkedYAMLError as exc:
        raise InputError(_problem_from_yaml(exc, name, text)) from None
    except ReaderError as exc:
        raise InputError(_problem_from_reader(exc, name, text)) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise InputError(
            Problem(Location(name), _("invalid YAML: {error}").format(error=exc), code="syntax")
        ) from None
    return Source(name, text, tree)


def _too_large(name: str, size: int) -> Problem:
    return Problem(
        Location(name),
        _("file is {size} MB, more than a fiche can be").format(size=f"{size / 1_048_576:.1f}"),
        code="too-large",
        hint=_("positions files are limited to {limit} MB; is this the right file?").format(
            limit=MAX_BYTES // 1_048_576
        ),
    )


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without a byte-order mark; anything else is located and refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            Problem(
                Location(name, 1, 1),
                _("file is UTF-16, not UTF-8"),
                code="encoding",
                hint=_("save the file as UTF-8"),
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Problem(
                Location(name, line, column),
                _("invalid UTF-8 byte {byte}").format(byte=f"0x{data[exc.start]:02x}"),
                code="encoding",
                hint=_("save the file as UTF-8 (in Word or Notepad: 'UTF-8')"),
            )
        ) from None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _PlainComposer
    return yaml


class _NotPlainData(Exception):
    """Raised by the composer at the first node that is more than plain data."""

    def __init__(self, mark: Any, message: str, code: str, hint: str):
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.code = code
        self.hint = hint


class _PlainComposer(Composer):
    """ruamel's composer, refusing tags, anchors, aliases and deep nesting before they act.

    Refusing at composition means no tagged value is ever constructed, an
    alias can never multiply (the "billion laughs"), and nesting stops long
    before Python's recursion limit.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise _NotPlainData(
                event.start_mark,
                _("alias '*{name}' is not allowed").format(name=event.anchor),
                "syntax",
                _("fichegen reads plain data only: repeat the text instead of using '&' and '*'"),
            )
        if event.anchor is not None:
            raise _NotPlainData(
                event.start_mark,
                _("anchor '&{name}' is not allowed").format(name=event.anchor),
                "syntax",
                _(
                    "fichegen reads plain data only: remove '&{name}' and "
                    "repeat the text where it is needed"
                ).format(name=event.anchor),
            )
        tag = getattr(event, "ctag", None)
        if tag is not None:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise _NotPlainData(
                event.start_mark,
                _("the tag '{tag}' is not allowed").format(tag=shown),
                "syntax",
                _(
                    "fichegen reads plain data only: remove the tag starting with '!', and put "
                    "the value in quotes if it must stay text"
                ),
            )
        if self.depth >= MAX_DEPTH:
            raise _NotPlainData(
                event.start_mark,
                _("nesting deeper than {depth} levels").format(depth=MAX_DEPTH),
                "syntax",
                _("a fiche nests about seven levels deep; check the brackets and indentation"),
            )
        return super().compose_node(parent, index)


def _mark_location(name: str, mark: Any) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


def _problem_from_reader(exc: ReaderError, name: str, text: str) -> Problem:
    """A character YAML refuses (a control character, mostly), at its line and column."""
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character
    shown = f"U+{character:04X}" if isinstance(character, int) else repr(character)
    return Problem(
        Location(name, line, column),
        _("the control character {code} is not allowed").format(code=shown),
        code="control-character",
        hint=_("delete it; it often comes from copying text out of a PDF"),
    )


def _problem_from_yaml(exc: MarkedYAMLError, name: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    message = exc.problem or exc.context or "invalid YAML"
    if "found duplicate key" in (exc.problem or "") or "duplicate key" in str(exc):
        key = str(exc.problem).replace("found duplicate key", "").strip()
        key = key.split(" with value")[0].strip().strip('"')
        first = _first_line_of_key(text, key, mark.line if mark else 0, location.column)
        return Problem(
            location,
            (
                _("duplicate key '{key}' (first at line {line})")
                if first
                else _("duplicate key '{key}'")
            ).format(key=key, line=first),
            code="duplicate-key",
            hint=_("each key may appear once in a mapping; merge the two entries"),
        )
    if mark is not None:
        from fichegen.syntax import explain  # only a file with a YAML mistake needs it

        explained = explain(text, name, mark.line, mark.column)
        if explained is not None:
            return explained
    hint = ""
    if "\t" in message or "tab" in message:
        hint = _("indent with spaces, not tabs")
    elif "mapping values are not allowed" in message:
        hint = _("a value containing ': ' needs quotes, or use a block (|)")
    elif "special characters are not allowed" in message:
        hint = _("remove the control character or invisible character at this place")
    elif exc.context and exc.context_mark and mark is not exc.context_mark:
        message = f"{message} ({exc.context} at line {exc.context_mark.line + 1})"
    else:
        hint = _("compare this line and the one above with an example: indentation, quotes, ':'")
    return Problem(
        location,
        _("the YAML cannot be read here (the parser says: {message})").format(message=message),
        code="syntax",
        hint=hint,
    )


def _first_line_of_key(text: str, key: str, before: int, column: int) -> int:
    """The 1-based line where `key` first stands at `column`, before line `before` (0-based)."""
    for number, line in enumerate(text.split("\n")[:before]):
        if line[column - 1 :].startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            return number + 1
    return 0


def key_location(name: str, node: CommentedMap, key: Any) -> Location:
    """Where a key of a mapping stands (1-based)."""
    try:
        line, column = node.lc.key(key)
    except (AttributeError, KeyError, TypeError):
        return node_location(name, node)
    return Location(name, line + 1, column + 1)


def value_location(name: str, node: CommentedMap, key: Any) -> Location:
    """Where the value of a key stands (1-based)."""
    try:
        line, column = node.lc.value(key)
    except (AttributeError, KeyError, TypeError):
        return key_location(name, node, key)
    return Location(name, line + 1, column + 1)


def key_and_value_location(name: str, node: CommentedMap, key: Any) -> tuple[Location, Location]:
    """Where a key of a mapping stands, and where its value does (one look-up for both)."""
    try:
        line, column, value_line, value_column = node.lc.data[key]
    except (AttributeError, KeyError, TypeError, ValueError):
        return key_location(name, node, key), value_location(name, node, key)
    return Location(name, line + 1, column + 1), Location(name, value_line + 1, value_column + 1)


def item_location(name: str, node: CommentedSeq, index: int) -> Location:
    """Where an item of a sequence stands (1-based)."""
    try:
        line, column = node.lc.item(index)
    except (AttributeError, KeyError, TypeError, IndexError):
        return node_location(name, node)
    return Location(name, line + 1, column + 1)


def node_location(name: str, node: Any) -> Location:
    """Where a mapping or sequence starts, or the file when unknown."""
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return Location(name)
    return Location(name, lc.line + 1, lc.col + 1)
