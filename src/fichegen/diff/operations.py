"""Word operations on a text of the positions file: what was deleted, inserted and kept.

The same engine as the Word tracked changes: the text is cut into words as a
paragraph is (`words.tokenize_text`) and aligned by `align.word_opcodes`, so
the terminal, the Markdown, the JSON and the .docx mark the same words.
Applying the operations to the old text gives the new text (`apply`).

`sentences` cuts the operations into what a reviewer reads: the changed
sentences (one sentence per line in a positions file), each with its removed
and inserted words, and nothing of the sentences that stayed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from fichegen.diff.align import block_opcodes, pair_blocks, word_opcodes
from fichegen.diff.tokens import TextToken, tokenize_text

OpName = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class WordOp:
    """A stretch of text kept (`equal`), removed (`delete`) or added (`insert`)."""

    op: OpName
    text: str


def text_operations(old: str, new: str) -> list[WordOp]:
    """The operations that turn `old` into `new` (see `_operations`); computed once per pair."""
    return list(_operations(old, new))


@lru_cache(maxsize=256)
def _operations(old: str, new: str) -> tuple[WordOp, ...]:
    """The operations that turn `old` into `new`, deletions before insertions, word by word.

    As in the Word document: paragraphs (blocks between blank lines) are aligned
    first, an edited paragraph is paired with the one it most resembles, and only
    paired paragraphs are compared word by word; the others are removed or added whole.
    """
    before, after = _paragraphs(old), _paragraphs(new)
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in block_opcodes([p.text for p in before], [p.text for p in after]):
        if tag == "equal":
            for k in range(i2 - i1):
                _paragraph_pair(ops, before[i1 + k], after[j1 + k])
            continue
        for op, i, j in pair_blocks(before[i1:i2], after[j1:j2], i1, j1, _similarity):
            if op == "pair":
                _paragraph_pair(ops, before[i], after[j])
            elif op == "del":
                _add(ops, "delete", before[i].text + before[i].gap)
            else:
                _add(ops, "insert", after[j].text + after[j].gap)
    return tuple(ops)


@dataclass(frozen=True)
class _Paragraph:
    text: str
    gap: str  # the blank lines (or leading/trailing spaces) after it


def _paragraphs(text: str) -> list[_Paragraph]:
    """Paragraphs with what separates them; the text before the first one is a paragraph ''."""
    pieces = _BLANK_LINES.split(text)
    lead = re.match(r"\s*", pieces[0])
    assert lead is not None
    result = [_Paragraph("", lead.group())] if lead.group() else []
    pieces[0] = pieces[0][lead.end() :]
    for index in range(0, len(pieces), 2):
        body = pieces[index]
        gap = pieces[index + 1] if index + 1 < len(pieces) else ""
        stripped = body.rstrip()
        result.append(_Paragraph(stripped, body[len(stripped) :] + gap))
    return result


_BLANK_LINES = re.compile(r"(\n[ \t]*\n\s*)")


def _paragraph_pair(ops: list[WordOp], old: _Paragraph, new: _Paragraph) -> None:
    if old.text == new.text:
        _add(ops, "equal", old.text)
    else:
        _words(ops, old.text, new.text)
    if old.gap == new.gap:
        _add(ops, "equal", old.gap)
    else:
        _add(ops, "delete", old.gap)
        _add(ops, "insert", new.gap)


@lru_cache(maxsize=1024)
def _tokens(text: str) -> list[TextToken]:
    """A paragraph's tokens, cut once: pairing compares each paragraph with several others."""
    return tokenize_text(text)


def _words(ops: list[WordOp], old: str, new: str) -> None:
    before, after = _tokens(old), _tokens(new)
    for tag, i1, i2, j1, j2 in word_opcodes(before, after):
        if tag == "equal":
            _add(ops, "equal", "".join(t.text for t in before[i1:i2]))
        else:
            _add(ops, "delete", "".join(t.text for t in before[i1:i2]))
            _add(ops, "insert", "".join(t.text for t in after[j1:j2]))


def _similarity(old: _Paragraph, new: _Paragraph) -> float:
    """Shared words in any order, as the tracked changes pair paragraphs (`tracked._similarity`)."""
    a = Counter(t.key for t in _tokens(old.text) if t.text.strip())
    b = Counter(t.key for t in _tokens(new.text) if t.text.strip())
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _add(ops: list[WordOp], op: OpName, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].op == op:
        ops[-1] = WordOp(op, ops[-1].text + text)
    else:
        ops.append(WordOp(op, text))


class OperationsMismatch(ValueError):
    """The operations do not fit the text they are applied to."""


def apply(ops: list[WordOp], old: str) -> str:
    """The new text: `old` with the operations applied (each kept or deleted stretch checked)."""
    position = 0
    out: list[str] = []
    for op in ops:
        if op.op == "insert":
            out.append(op.text)
            continue
        if not old.startswith(op.text, position):
            raise OperationsMismatch(f"{op.op} {op.text!r} does not stand at {position}")
        if op.op == "equal":
            out.append(op.text)
        position += len(op.text)
    if position != len(old):
        raise OperationsMismatch(f"{len(old) - position} characters of the old text left over")
    return "".join(out)


@dataclass(frozen=True)
class Sentence:
    """One changed sentence (or run of sentences changed together), as pieces to show."""

    pieces: tuple[WordOp, ...]

    @property
    def words_changed(self) -> bool:
        """False when only spaces or line breaks changed (a paragraph split or joined)."""
        return any(p.op != "equal" and p.text.strip() for p in self.pieces)


def sentences(ops: list[WordOp]) -> list[Sentence]:
    """The changed sentences: the operations cut into lines, unchanged lines left out.

    Lines are cut at every kept line break, and at line breaks that open or
    close a removed or inserted stretch (a sentence added on its own line).
    A line break inside such a stretch does not cut: sentences rewritten
    together are shown together, the break read as a space. Only sentences
    whose words changed are returned; spaces at their ends are dropped.
    """
    lines: list[list[WordOp]] = [[]]
    for op in ops:
        if op.op == "equal":
            parts = op.text.split("\n")
        else:
            body = op.text.strip("\n")
            head = op.text[: len(op.text) - len(op.text.lstrip("\n"))]
            tail = op.text[len(head) + len(body) :]
            parts = [""] * head.count("\n") + [body] + [""] * tail.count("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append(WordOp(op.op, part))
    return [
        Sentence(tuple(_tidy(line)))
        for line in lines
        if any(p.op != "equal" and p.text.strip() for p in line)
    ]


def _tidy(line: list[WordOp]) -> list[WordOp]:
    pieces = [WordOp(p.op, " ".join(p.text.split("\n"))) for p in line]
    while pieces and not pieces[0].text.strip():
        pieces.pop(0)
    while pieces and not pieces[-1].text.strip():
        pieces.pop()
    if pieces:
        first, last = pieces[0], pieces[-1]
        pieces[0] = WordOp(first.op, first.text.lstrip())
        pieces[-1] = WordOp(last.op, pieces[-1].text.rstrip())
    return pieces


def marked_words(ops: list[WordOp]) -> tuple[list[str], list[str]]:
    """The removed and the inserted words (no spaces), in order: what a reviewer sees marked."""
    removed: list[str] = []
    inserted: list[str] = []
    for op in ops:
        if op.op == "equal":
            continue
        words = [t.text for t in tokenize_text(op.text) if t.text.strip()]
        (removed if op.op == "delete" else inserted).extend(words)
    return removed, inserted
