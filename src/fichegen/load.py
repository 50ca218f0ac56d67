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
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from fichegen.errors import InputError, Location, Problem

MAX_BYTES = 2 * 1024 * 1024
"""A long legislative fiche is about 100 KB; anything twenty times that is not a fiche."""


@dataclass(frozen=True)
class Source:
    """A positions file as read: its name for messages, its text and its raw tree."""

    path: str
    text: str
    tree: Any


def read_source(path: Path | str, *, display: str | None = None) -> Source:
    """Read and parse one positions file; raise InputError with a located problem."""
    name = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise InputError(Problem(
                Location(name), f"file is {size / 1_048_576:.1f} MB, more than a fiche can be",
                code="too-large",
                hint=f"positions files are limited to {MAX_BYTES // 1_048_576} MB; "
                     "is this the right file?"))
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(Problem(Location(name), f"cannot read file: {exc.strerror}",
                                 code="unreadable")) from None
    return parse_source(data, name)


def parse_source(data: bytes, name: str) -> Source:
    """Parse bytes of YAML; the one place where text becomes a tree."""
    text = decode(data, name)
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise InputError(_problem_from_yaml(exc, name)) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise InputError(Problem(Location(name), f"invalid YAML: {exc}", code="syntax")) from None
    return Source(name, text, tree)


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without a byte-order mark; anything else is located and refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(Problem(Location(name, 1, 1), "file is UTF-16, not UTF-8",
                                 code="encoding", hint="save the file as UTF-8"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(Problem(
            Location(name, line, column), f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
            code="encoding", hint="save the file as UTF-8 (in Word or Notepad: 'UTF-8')")) from None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _problem_from_yaml(exc: MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    message = exc.problem or exc.context or "invalid YAML"
    hint = ""
    if "found duplicate key" in (exc.problem or "") or "duplicate key" in str(exc):
        message = str(exc.problem).replace("found duplicate key", "duplicate key")
        hint = "each key may appear once in a mapping; merge the two entries"
        return Problem(location, message.strip(), code="duplicate-key", hint=hint)
    if "\t" in message or "tab" in message:
        hint = "indent with spaces, not tabs"
    elif "mapping values are not allowed" in message:
        hint = "a value containing ': ' needs quotes, or use a block scalar (|)"
    elif "special characters are not allowed" in message:
        hint = "remove the control character or invisible character at this place"
    elif exc.context and exc.context_mark and mark is not exc.context_mark:
        message = f"{message} ({exc.context} at line {exc.context_mark.line + 1})"
    return Problem(location, f"invalid YAML: {message}", code="syntax", hint=hint)


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
