"""A field's Word paragraphs back to Markdown, keeping the positions file's own lines.

Markdown carries bold, italic, links, footnote references and lists; the rest of
Word's formatting (colour, font, highlighting) cannot come back and is noted.
A paragraph the reviewer did not touch keeps its original Markdown source; a
changed one keeps the original's line breaks where the words around them are
unchanged, and puts new sentences on lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from .document import FieldText, Paragraph, Segment

_LIST_LINE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_SENTENCE_END = re.compile(r"[.!?](?:[)\"'”’*]|\[\^[^\]]+\])*$")
_ESCAPE = re.compile(r"([\\`*\[\]<])")


def field_markdown(
    reviewed: FieldText,
    fresh: FieldText | None,
    original: str,
    footnote_key: Callable[[str, int], str],
) -> tuple[str, list[str]]:
    """The Markdown for a changed field, and the formatting that could not come back."""
    dropped: list[str] = []
    listed = fresh is not None and fresh.paragraphs and fresh.paragraphs[0].list_kind
    if fresh is not None and listed and not _LIST_LINE.match(original):
        # The template made the list item (a condition's bullet), not the text.
        kind = fresh.paragraphs[0].list_kind
        for group in (reviewed.paragraphs, fresh.paragraphs):
            for p in group:
                if p.list_kind == kind:
                    p.list_kind = ""
    refs = iter(range(10_000))
    new_blocks = [_block(p, footnote_key, refs, dropped) for p in reviewed.paragraphs]
    new_blocks = [b for b in new_blocks if b.strip()] or [""]
    units = _units(original)
    old_blocks: list[str] = []
    if fresh is not None:
        fresh_refs = iter(range(10_000))
        old_blocks = [_block(p, footnote_key, fresh_refs, []) for p in fresh.paragraphs]
        old_blocks = [b for b in old_blocks if b.strip()]
    if len(old_blocks) != len(units):
        old_blocks = [" ".join(line.strip() for line in unit) for unit in units]
    out: list[list[str]] = []
    kinds = [p.list_kind for p in reviewed.paragraphs if _has_text(p)] or [""]
    matcher = SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(units[i1:i2])
            continue
        for offset, j in enumerate(range(j1, j2)):
            i = i1 + offset
            source = units[i] if op == "replace" and i < i2 else []
            out.append(_lines(new_blocks[j], source))
    text = _join(out, kinds)
    if original.endswith("\n") or "\n" in text:
        text += "\n"
    return text, sorted(set(dropped))


def _has_text(p: Paragraph) -> bool:
    return any(s.text.strip() or s.footnote for s in p.segments)


def _units(original: str) -> list[list[str]]:
    """The original Markdown split as Word splits it: paragraphs and list items, as lines."""
    units: list[list[str]] = []
    for chunk in re.split(r"\n[ \t]*\n", original.strip("\n")):
        lines = chunk.split("\n")
        if not lines or not chunk.strip():
            continue
        if _LIST_LINE.match(lines[0]):
            for line in lines:
                if _LIST_LINE.match(line) or not units:
                    units.append([line])
                else:
                    units[-1].append(line)
        else:
            units.append(lines)
    return units


def _join(units: list[list[str]], kinds: Sequence[str]) -> str:
    out = ""
    for index, unit in enumerate(units):
        text = "\n".join(unit)
        if index:
            both_items = _LIST_LINE.match(units[index - 1][0]) and _LIST_LINE.match(unit[0])
            out += "\n" if both_items else "\n\n"
        out += text
    return out


def _lines(block: str, source: list[str]) -> list[str]:
    """`block` (one line) broken into lines: the source's breaks kept, new sentences apart."""
    words = block.split(" ")
    old_words: list[str] = []
    breaks: set[int] = set()
    for line in source:
        old_words.extend(line.split())
        breaks.add(len(old_words) - 1)
    keep: set[int] = set()
    mapped: dict[int, int] = {}
    matcher = SequenceMatcher(None, old_words, words, autojunk=False)
    for op, i1, i2, j1, _j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                mapped[i1 + k] = j1 + k
    for i in breaks:
        if i in mapped and (i + 1 in mapped or _SENTENCE_END.search(words[mapped[i]])):
            keep.add(mapped[i])
    inverse = {v: k for k, v in mapped.items()}
    for j in range(len(words) - 1):
        neighbours = j in inverse and inverse.get(j + 1) == inverse[j] + 1
        if neighbours or not words[j + 1]:  # an unchanged stretch keeps the original's lines
            continue
        if _SENTENCE_END.search(words[j]) and words[j + 1][:1].isupper():
            keep.add(j)
    lines: list[str] = []
    current: list[str] = []
    for j, word in enumerate(words):
        current.append(word)
        if j in keep and j < len(words) - 1:
            lines.append(" ".join(current))
            current = []
    lines.append(" ".join(current))
    if _LIST_LINE.match(lines[0]):
        lines = [lines[0]] + ["  " + line for line in lines[1:]]
    return lines


def _block(
    paragraph: Paragraph,
    footnote_key: Callable[[str, int], str],
    refs: object,
    dropped: list[str],
) -> str:
    out: list[str] = []
    groups: list[tuple[tuple[bool, bool, str], list[Segment]]] = []
    for segment in paragraph.segments:
        dropped.extend(segment.dropped)
        style = (segment.bold, segment.italic, segment.link)
        if segment.footnote:
            groups.append(((False, False, ""), [segment]))
        elif groups and groups[-1][0] == style and not groups[-1][1][-1].footnote:
            groups[-1][1].append(segment)
        else:
            groups.append((style, [segment]))
    for (bold, italic, link), segments in groups:
        if segments[0].footnote:
            out.append(f"[^{footnote_key(segments[0].footnote, next(refs))}]")  # type: ignore[call-overload]
            continue
        text = _escape("".join(s.text for s in segments).replace("\t", " ").replace("\n", " "))
        core = text.strip()
        if not core:
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        if italic:
            core = f"*{core}*"
        if bold:
            core = f"**{core}**"
        if link:
            core = f"[{core}]({link})"
        out.append(lead + core + trail)
    text = re.sub(r"[ \u00a0]{2,}", " ", "".join(out)).strip()
    text = re.sub(r"\s+", lambda m: " " if "\u00a0" not in m.group(0) else m.group(0), text)
    if paragraph.list_kind == "bullet":
        return "- " + text
    if paragraph.list_kind == "number":
        return "1. " + text
    return text


def _escape(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
