"""A YAML syntax error explained in the user's terms, at the line where the mistake is.

The parser notices a mistake where it can no longer go on, often a few lines
after it (a sentence of a `|` text indented too little is reported at the next
key) and in its own words (`expected <block end>, but found '<scalar>'`). The
mistakes people make are few: a tab, an invisible character pasted from Word,
a key or a text line indented one space off, quotes inside quotes, text after
`|`, a colon or brackets in a value. `explain` looks for them in the lines up
to where the parser stopped, and returns the first one it finds, with a fix;
None when none matches (the caller then shows the parser's own message).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fichegen.errors import Location, Problem
from fichegen.i18n import N_, _, ngettext

INVISIBLE = {
    "\u00a0": N_("non-breaking space"),
    "\u2007": N_("figure space"),
    "\u202f": N_("narrow non-breaking space"),
    "\u200b": N_("zero-width space"),
    "\u200c": N_("zero-width non-joiner"),
    "\u200d": N_("zero-width joiner"),
    "\u2060": N_("word joiner"),
    "\ufeff": N_("zero-width no-break space"),
    "\u00ad": N_("soft hyphen"),
    "\u3000": N_("ideographic space"),
    **{chr(c): N_("wide space") for c in range(0x2000, 0x200B) if c != 0x2007},
}
"""Characters that look like a space or like nothing, and that YAML does not take as spaces."""

KEY = re.compile(r"(?P<key>[^\s#'\"\[\]{}:,&*!|>%@`-][^:#]*?|-[^\s:][^:#]*?)[ \t]*:(?=[ \t]|$)")
"""A key at the start of what follows the indentation and any '- '."""


def name_of(character: str) -> str:
    """How a message names an invisible character: its code point and what it is."""
    known = INVISIBLE.get(character)
    what = _(known) if known else unicodedata.name(character, "?").lower()
    return f"U+{ord(character):04X} ({what})"


@dataclass(frozen=True)
class _Finding:
    line: int  # 0-based
    column: int  # 0-based
    message: str
    hint: str


@dataclass
class _Line:
    """One line as the structure sees it: its indentation, any '- ', its key and its value."""

    number: int
    text: str
    indent: int  # spaces before the first other character
    start: int  # where the key or the value starts, after '- ' markers
    key: str | None
    value: str
    value_column: int


def _split(number: int, text: str) -> _Line:
    indent = len(text) - len(text.lstrip(" "))
    start = indent
    while text.startswith("- ", start) or text[start:].rstrip() == "-":
        start += 2
        while text.startswith(" ", start):
            start += 1
    match = KEY.match(text, start)
    if match:
        value_column = match.end() + 1
        while text.startswith((" ", "\t"), value_column):
            value_column += 1
        value = text[value_column:]
        return _Line(number, text, indent, start, match.group("key").strip(), value, value_column)
    return _Line(number, text, indent, start, None, text[start:], start)


def _is_blank_or_comment(text: str) -> bool:
    stripped = text.strip(" ")
    return not stripped or stripped.startswith("#")


BLOCK = re.compile(r"^[|>][-+0-9]*[ \t]*(#.*)?$")
BLOCK_WITH_TEXT = re.compile(r"^([|>][-+0-9]*)[ \t]+(?P<text>[^#\s].*)$")


def explain(text: str, name: str, line: int, column: int) -> Problem | None:
    """The first known mistake at or before the parser's stop (0-based line), as a Problem."""
    for finding in _findings(text.split("\n")):
        if finding.line > line:
            break
        return Problem(
            Location(name, finding.line + 1, finding.column + 1),
            finding.message,
            code="syntax",
            hint=finding.hint,
        )
    return None


def _findings(lines: list[str]) -> Iterator[_Finding]:
    """Every mistake found, in the order of the lines."""
    levels: list[int] = [0]  # the indentation of the keys of each open mapping
    siblings: dict[int, str] = {}  # the last key seen at each indentation
    opens = False  # the line before ended with a key without value: a deeper block may follow
    block: tuple[int, int | None, str] | None = None  # (key indent, text indent, key)
    quoted: str | None = None  # a quoted value goes on over the next lines
    kinds: dict[int, str] = {}  # whether a key or a list item was last at each indentation
    parents: dict[int, str] = {}  # the key whose part is at each indentation
    last_key = ""
    openers: dict[int, list[Any]] = {}  # the first line at each open level, and how many since
    for number, raw in enumerate(lines):
        raw = raw.rstrip("\r")
        if block is not None:
            parent, inner, key = block
            stripped = raw.strip(" ")
            if not stripped:
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            if raw[indent] == "\t" and (inner is None or indent < inner):
                yield from _tabs(number, raw)
            if inner is None and indent > parent:
                inner = indent
                block = (parent, inner, key)
            if inner is not None and indent >= inner:
                yield from _invisible_in(number, raw, indent, inside_text=True)
                continue
            if inner is not None and (indent > parent or not _looks_structural(raw)):
                yield _Finding(
                    number,
                    indent,
                    _(
                        "this line of the text under '{key}' is indented {spaces}, "
                        "less than the {inner} of the lines above it"
                    ).format(key=key, spaces=_spaces(indent), inner=inner),
                    _(
                        "indent every line of a text (after '|') by the same number of "
                        "spaces: give this line {inner} spaces"
                    ).format(inner=inner),
                )
            block = None
        if quoted is not None:
            if _closes(raw, quoted):
                quoted = None
            continue
        if _is_blank_or_comment(raw):
            yield from _invisible_in(number, raw, 0, inside_text=False)
            continue
        yield from _tabs(number, raw)
        yield from _invisible_in(number, raw, 0, inside_text=False)
        line = _split(number, raw)
        yield from _indentation(line, levels, siblings, opens, openers)
        if line.start > line.indent and not opens and kinds.get(line.indent) == "key":
            yield _Finding(
                line.number,
                line.indent,
                _("a list item ('- ') among the keys of '{parent}'").format(
                    parent=parents.get(line.indent, "?")
                ),
                _("remove the '- ': the keys of a part are written without a dash"),
            )
        kinds[line.indent] = "item" if line.start > line.indent else "key"
        if opens and line.key is not None and line.start == line.indent and last_key:
            parents[line.indent] = last_key
        if line.key is not None:
            last_key = line.key
        value = line.value.rstrip()
        item = line.key is None and line.start > line.indent
        opens = not value or value.startswith("#") or item
        if line.key is not None:
            siblings[line.start] = line.key
        if BLOCK.match(value) and (line.key is not None or line.start > line.indent):
            block = (line.start if line.key else line.indent, None, line.key or "-")
            continue
        finding = _value_mistake(line) or _unclosed(lines, line)
        if finding:
            yield finding
        elif value[:1] in ("'", '"') and not _closes(value[1:], value[0]):
            quoted = value[0]


def _unclosed(lines: list[str], line: _Line) -> _Finding | None:
    """A quote or bracket opening a value that is not closed before the next key."""
    value = line.value.rstrip()
    first = value[:1]
    if not first or first not in "'\"[{":
        return None
    if first in "'\"" and _closes(value[1:], first):
        return None
    if first in "[{" and _matching(value) >= 0:
        return None
    text = value
    for following in lines[line.number + 1 :]:
        if not _is_blank_or_comment(following):
            indent = len(following) - len(following.lstrip(" "))
            if indent <= line.indent and _looks_structural(following):
                break
        text += "\n" + following
        closed = _closes(text[1:], first) if first in "'\"" else _matching(text) >= 0
        if closed:
            return None
    closer = {"[": "]", "{": "}"}.get(first, first)
    return _Finding(
        line.number,
        line.value_column,
        _("the {sign} at the start of this value is never closed").format(sign=f"'{first}'"),
        _("end the value with {closer}, or leave out the {sign}").format(
            closer=f"'{closer}'", sign=f"'{first}'"
        ),
    )


def _looks_structural(raw: str) -> bool:
    """A key, a list item or a comment: what may follow the end of a text at its key's level."""
    line = _split(0, raw)
    return line.key is not None or line.start > line.indent or raw.lstrip().startswith("#")


def _tabs(number: int, raw: str) -> Iterator[_Finding]:
    lead = len(raw) - len(raw.lstrip(" \t-"))
    tab = raw.find("\t", 0, lead)
    if tab >= 0:
        yield _Finding(
            number,
            tab,
            _("a tab in the indentation"),
            _(
                "YAML counts spaces: replace the tab with spaces "
                "(and set your editor to insert spaces for the Tab key)"
            ),
        )


def _invisible_in(number: int, raw: str, start: int, *, inside_text: bool) -> Iterator[_Finding]:
    """An invisible character where YAML reads structure: the indentation or a key."""
    if inside_text:
        return
    stop = len(raw) - len(raw.lstrip(" -\t" + "".join(INVISIBLE)))
    match = KEY.match(raw, stop)
    if match:
        stop = match.end()
    for column in range(start, stop):
        character = raw[column]
        if character in INVISIBLE:
            yield _Finding(
                number,
                column,
                _("invisible character {name} here").format(name=name_of(character)),
                _(
                    "it often comes along when text is pasted from Word or a PDF; delete it "
                    "and type an ordinary space if one is needed"
                ),
            )
            return


def _indentation(
    line: _Line,
    levels: list[int],
    siblings: dict[int, str],
    opens: bool,
    openers: dict[int, list[Any]] | None = None,
) -> Iterator[_Finding]:
    """A key or a list item indented differently from the ones it belongs with."""
    indent = line.indent
    openers = {} if openers is None else openers
    if opens and indent > levels[-1]:
        openers.setdefault(-1, []).append(indent - levels[-1])  # the steps the file uses
        levels.append(indent)
        openers[indent] = [line, 1]
    elif indent in levels:
        del levels[levels.index(indent) + 1 :]
        if indent in openers:
            openers[indent][1] += 1
    elif line.key is not None or line.start > line.indent:
        deeper = indent > levels[-1]
        # one space off either way: the nearest level, the deeper one on a tie
        close = levels[-1] if deeper else min(levels, key=lambda lv: (abs(lv - indent), -lv))
        opener, count = openers.get(close, [None, 0])
        position = levels.index(close)
        steps = openers.get(-1, [])
        step = max({*steps, 2}, key=lambda size: (steps.count(size), size == 2))
        parent = levels[position - 1] if position else -1
        if (
            opener is not None
            and count == 1
            and position
            and indent - parent == step
            and close - parent != step
        ):
            # the first key of the part was off, and the next one is right
            what = (
                _("the key '{key}'").format(key=opener.key)
                if opener.key is not None and opener.start == opener.indent
                else _("this list item")
            )
            yield _Finding(
                opener.number,
                opener.indent,
                _("{what} is indented {spaces}, while the keys after it have {right}").format(
                    what=what, spaces=_spaces(opener.indent), right=indent
                ),
                _("give it {close} spaces, like the keys around it").format(close=indent),
            )
            return
        sibling = siblings.get(close)
        what = (
            _("the key '{key}'").format(key=line.key)
            if line.start == line.indent
            else _("this list item")
        )
        spaces = _spaces(indent)
        message = (
            _("{what} is indented {spaces}, more than the key above it ({close})")
            if deeper
            else _("{what} is indented {spaces}, while the keys around it have {close}")
        ).format(what=what, spaces=spaces, close=close)
        hint = (
            _("give it {close} spaces, like '{sibling}', to make it a key of the same part")
            if sibling
            else _("give it {close} spaces, like the keys around it")
        ).format(close=close, sibling=sibling)
        yield _Finding(line.number, indent, message, hint)
        return
    else:
        return  # the next line of a text
    if line.start > line.indent and levels[-1] != line.start:
        levels.append(line.start)  # '- key:' opens a mapping at the key's column


def _spaces(count: int) -> str:
    return ngettext("{count} space", "{count} spaces", count).format(count=count)


def _closes(text: str, quote: str) -> bool:
    return _closing(text, 0, quote) >= 0


def _closing(text: str, start: int, quote: str) -> int:
    """Where the quoted text starting after `start` ends (its closing quote), or -1."""
    index = start
    while index < len(text):
        character = text[index]
        if quote == '"' and character == "\\":
            index += 2
            continue
        if character == quote:
            if quote == "'" and text.startswith("''", index):
                index += 2
                continue
            return index
        index += 1
    return -1


def _value_mistake(line: _Line) -> _Finding | None:
    """Quotes, brackets, '|' or ': ' in a value, which YAML reads as structure."""
    value = line.value.rstrip()
    at = line.value_column
    if not value or value.startswith("#"):
        return None
    whole = value
    suggestion = _quoted(whole)
    first = value[0]
    if first in "|>" and line.key is not None:
        text = BLOCK_WITH_TEXT.match(value)
        if text:
            return _Finding(
                line.number,
                at + text.start("text"),
                _("text after '{sign}' on the same line").format(sign=first),
                _(
                    "after '{sign}' the text starts on the next line, indented further "
                    "than '{key}:'; or leave out the '{sign}' for a text of one line"
                ).format(sign=first, key=line.key),
            )
        return None
    if first in "'\"":
        end = _closing(value, 1, first)
        if end < 0:
            return None
        rest = value[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            if first == "'":
                hint = _(
                    "inside single quotes, write an apostrophe twice ({example}), or put the "
                    "whole text between double quotes"
                ).format(example="''t")
            else:
                hint = _("put the whole text between single quotes: {suggestion}").format(
                    suggestion=_quoted(value, prefer="'")
                )
            return _Finding(
                line.number,
                at + end,
                _(
                    "the text between quotes ends at this quote, but more text follows: {rest}"
                ).format(rest=_short(rest)),
                hint,
            )
        return None
    if first in "[{":
        end = _matching(value)
        rest = value[end + 1 :].strip() if end >= 0 else ""
        if end >= 0 and rest and not rest.startswith("#"):
            return _Finding(
                line.number,
                at,
                (
                    _("a value that starts with '[' is read as a list, not as text")
                    if first == "["
                    else _("a value that starts with '{' is read as a group of keys, not as text")
                ),
                _("put the whole text in quotes: {suggestion}").format(suggestion=suggestion),
            )
        return None
    if first in "*&!%@`":
        return _Finding(
            line.number,
            at,
            _("a value cannot start with '{sign}' without quotes").format(sign=first),
            _("put the whole text in quotes: {suggestion}").format(suggestion=suggestion),
        )
    colon = re.search(r":(?=[ \t]|$)", value)
    comment = re.search(r"[ \t]#", value)
    if colon and (comment is None or colon.start() < comment.start()):
        if line.key is None and line.start > line.indent:
            return None  # '- Voorwaarde: ...' is a key in YAML's eyes; validation explains
        return _Finding(
            line.number,
            at + colon.start(),
            _("a colon followed by a space inside a value"),
            _("YAML reads ': ' as a new key; put the whole text in quotes: {suggestion}").format(
                suggestion=suggestion
            ),
        )
    return None


def _matching(value: str) -> int:
    depth = 0
    for index, character in enumerate(value):
        if character in "[{":
            depth += 1
        elif character in "]}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _quoted(text: str, prefer: str = "") -> str:
    """`text` as a quoted YAML scalar, the way a person would write it."""
    shown = _short(text, 50)
    if prefer == "'" or ('"' in text and "'" not in text):
        return "'" + shown.replace("'", "''") + "'"
    if "'" in text and '"' not in text:
        return '"' + shown + '"'
    return "'" + shown.replace("'", "''") + "'"
