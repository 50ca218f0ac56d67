"""Words as the diff compares them, without Word: the tokens of a positions file's text.

`words.py` cuts a Word paragraph into the same tokens (with their formatting);
the aligner (`align.py`) compares either kind. Kept apart from `words.py` so a
text or JSON diff does not load the XML library.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

PARAGRAPH_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
"""Words, runs of spaces and single punctuation marks: how a paragraph's text is cut."""

_TEXT_WORDS = re.compile(r"\[\^[^\]\s]+\]|\w+|\s+|[^\w\s]")
"""The words of a positions file's text: as in a paragraph, a `[^key]` reference one token."""

Link = tuple[str, str] | None
"""("url", address) or ("anchor", name) of the hyperlink a word sits in."""


class Word(Protocol):
    """What the word aligner compares: a word of a Word paragraph or of a positions file."""

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def key(self) -> tuple[str, str, bytes, Link]: ...


class TextToken(NamedTuple):
    """A word of a positions file's text: a `words.Token` without formatting, cheap to make."""

    kind: str
    text: str
    fmt: bytes = b""
    link: Link = None

    @property
    def key(self) -> tuple[str, str, bytes, Link]:
        return (self.kind, self.text, self.fmt, self.link)


def tokenize_text(text: str) -> list[TextToken]:
    """The words, spaces and punctuation of a text of the positions file, as Word's are cut.

    The same cuts as `words.tokenize` makes in a paragraph, so the text reports and
    the tracked changes mark the same words; every character is in exactly one token.
    """
    return [
        TextToken("fnref" if word.startswith("[^") else "text", word)
        for word in _TEXT_WORDS.findall(text)
    ]
