"""Which text of a rendered fiche came from which field: anchors for `fichegen absorb`.

`mark_fields` returns a copy of the fiche whose text fields are `Marked`
strings, each knowing its path in the positions file. The Markdown filters
(`prose`, `inline`, `cell`) put an invisible marker before and after such a
text; the Word writer turns the markers into hidden bookmarks
(`render/docx/oxml/anchors.py`). Only the Word rendering is marked: the
Markdown output and everything a reader sees stay as they were.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")

START = "\ue010"  # render/notes.py uses U+E000-E002 for its own marks
END = "\ue012"
CLOSE = "\ue011"
_OFFSET = 0xE200
PREFIX = "_fg"
"""Every anchor bookmark's name starts with this; the field path follows."""

MARKER = re.compile("([\ue010\ue012])([\ue200-\ue27f]+)\ue011")


class _Shift(dict[int, int]):
    """A `str.translate` table moving every character by `_OFFSET` (computed once each)."""

    def __missing__(self, code: int) -> int:
        self[code] = code + _OFFSET
        return code + _OFFSET


_TO_MARKER = _Shift()
_FROM_MARKER = {code: code - _OFFSET for code in range(0xE200, 0xE280)}
"""The marker characters MARKER takes back to the path's own (ASCII) characters."""


def encode(path: str, end: bool = False) -> str:
    """The marker for the start (or end) of the field at `path` ("grounds_competence_reasoning")."""
    return (END if end else START) + path.translate(_TO_MARKER) + CLOSE


def has_markers(text: str) -> bool:
    return START in text or END in text


def iter_pieces(text: str) -> Iterator[str | tuple[bool, str]]:
    """Text pieces and (is_end, path) markers, in order."""
    position = 0
    for match in MARKER.finditer(text):
        if match.start() > position:
            yield text[position : match.start()]
        path = match.group(2).translate(_FROM_MARKER)
        yield (match.group(1) == END, path)
        position = match.end()
    if position < len(text):
        yield text[position:]


_UNMARKED = frozenset({"id", "url", "label", "meta", "com_numbers", "annex"})
"""Fields a reader does not edit as text in the fiche (or that sit inside a link target)."""

_CONTAINER = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]?)*")


class Marked(str):
    """A field's text that remembers where it stands in the positions file."""

    path: str

    def __new__(cls, value: str, path: str) -> Marked:
        marked = super().__new__(cls, value)
        marked.path = path
        return marked


def mark_fields(value: T, path: str = "") -> T:
    """A copy of a fiche (or any part of one) with every editable text field `Marked`."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if field.name in _UNMARKED or field.name.startswith("internal"):
                continue
            current = getattr(value, field.name)
            marked = mark_fields(current, _join(path, field.name))
            if marked is not current:
                changes[field.name] = marked
        return dataclasses.replace(value, **changes) if changes else value
    if type(value) is str:
        return Marked(value, path)  # type: ignore[return-value,arg-type]
    if isinstance(value, list):
        items = [mark_fields(item, _join(path, str(i))) for i, item in enumerate(value)]
        return items  # type: ignore[return-value]
    if isinstance(value, dict) and path == "footnotes":  # keys may hold '-', not allowed in names
        texts = enumerate(value.items())
        return {key: mark_fields(text, _join(path, str(i))) for i, (key, text) in texts}  # type: ignore[return-value]
    return value


def wrap(value: Any, text: str) -> str:
    """`text` (the filtered form of `value`) between its field's markers, if `value` is Marked."""
    if not isinstance(value, Marked) or not text:
        return text
    start = _CONTAINER.match(text).end()  # type: ignore[union-attr]  # after a list marker
    return text[:start] + encode(value.path) + text[start:] + encode(value.path, end=True)


def _join(path: str, name: str) -> str:
    return f"{path}_{name}" if path else name


def source_id(data: bytes) -> str:
    """The git blob id of a positions file's bytes (what `git hash-object` prints).

    A Word fiche records the id of the text it was rendered from, so that
    `fichegen absorb` can find that version in git when the file changed
    since: a co-reader's edits are then told apart from later edits in the YAML.
    The id says nothing about the content.
    """
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
