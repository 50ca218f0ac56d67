"""Markdown that would render wrongly: found by the parser the renderer uses.

Each Markdown text is parsed with markdown-it (imported only when a text has
a character that could go wrong). A small inline rule notes where the parser
meets `*`, `_`, `[`, `]` and `<`, and a post-processing rule, run after
emphasis and links are matched, sees which of them stayed literal: an
unmatched emphasis marker, a bracket that is not part of a link, a tag that
became raw HTML. Block tokens give headings, HTML blocks and indented code.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from fichegen.errors import Problem, Severity
from fichegen.facts import Facts
from fichegen.i18n import N_, _, current_language, ngettext
from fichegen.rules import severity_of

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token


_UNDERLINE = re.compile(r"[ \t]*(?:=+|-+)[ \t]*")


def is_suspect(value: str) -> bool:
    """Whether a text has a character or a line that could go wrong in Markdown.

    A text without any renders as plain paragraphs; it is not parsed. Besides
    the marker characters: a tab or four spaces anywhere (an indented code
    start, also after '>' or '- ') and a setext underline line (`===`, `---`).
    Each is looked for with `in`, which scans a text many times faster than a
    regex character class: every check reads every text here.
    """
    if (
        "*" in value
        or "_" in value
        or "[" in value
        or "]" in value
        or "<" in value
        or "#" in value
        or "\t" in value
        or "    " in value
    ):
        return True
    return any(
        ("=" in line or "-" in line) and _UNDERLINE.fullmatch(line) is not None
        for line in value.split("\n")
    )


EMPHASIS_NAMES = {1: N_("italic"), 2: N_("bold")}

MARKDOWN_BUDGET = 150_000
"""Characters of Markdown parsed per file: a long fiche has about 100 KB of text in all."""
MARKS_BUDGET = 10_000
"""Emphasis markers, brackets and '<' per file: a fiche has a few hundred. Parsing stays
well under two seconds within both budgets, whatever the text."""
MAX_FINDINGS = 50
"""Problems listed per text; the rest are counted in one more problem."""

_HTML_MESSAGE = N_("HTML '{}' is shown as it is, not as layout")
_HTML_HINT = N_("remove the tag; write **bold**, *italic* or a list with '- ' in Markdown")


@dataclass
class _Spot:
    """A character the inline parser met, and what came of it."""

    char: str
    pos: int
    token: int
    length: int = 1
    can_open: bool = False
    can_close: bool = False
    escaped: bool = False
    """A bracket written as \\[ or \\]: literal, but it still pairs with the other bracket."""


@dataclass(frozen=True)
class Finding:
    """A problem inside one text: where (line in the text, column in that line) and what."""

    line: int
    column: int
    rule: str
    message: str
    hint: str


_Mark = tuple[int, str, str, str]
"""A problem in an inline text: position in the parser's source, rule, message, hint."""


@dataclass
class _Env:
    """What the inline rules share during one parse (passed in markdown-it's `env`)."""

    spots: list[_Spot] = field(default_factory=list)
    inline: list[list[_Mark]] = field(default_factory=list)


def iter_prose_problems(facts: Facts) -> Iterator[Problem]:
    """Problems in the Markdown texts of one file, each at its line and column.

    Within MARKDOWN_BUDGET and MARKS_BUDGET per file: a file beyond them is not
    a fiche, and is refused in one problem rather than parsed for minutes.
    """
    characters = marks = 0
    for text in facts.texts:
        if not text.markdown or not is_suspect(text.value):
            continue
        characters += len(text.value)
        marks += sum(text.value.count(mark) for mark in "*_[]<")
        if characters > MARKDOWN_BUDGET or marks > MARKS_BUDGET:
            yield Problem(
                text.location,
                _(
                    "the texts hold more Markdown than a fiche can ({context} and after "
                    "are not checked)"
                ).format(context=text.context),
                code="too-large",
                hint=_(
                    "a fiche has about 100 KB of text and a few hundred '*', '_' and "
                    "brackets; is this the right file?"
                ),
            )
            return
        starts = _line_starts(text.value)
        findings = find_markdown_problems(text.value)
        for finding in findings[:MAX_FINDINGS]:
            offset = starts[min(finding.line, len(starts) - 1)] + finding.column
            yield Problem(
                facts.locate(text, offset),
                _("{message} (in {context})").format(message=finding.message, context=text.context),
                severity_of(finding.rule),
                finding.rule,
                finding.hint,
            )
        if len(findings) > MAX_FINDINGS:
            rest = findings[MAX_FINDINGS:]
            yield Problem(
                text.location,
                ngettext(
                    "{count} more Markdown problem (in {context})",
                    "{count} more Markdown problems (in {context})",
                    len(rest),
                ).format(count=len(rest), context=text.context),
                max((severity_of(f.rule) for f in rest), key=lambda s: s == Severity.ERROR),
                rest[0].rule,
                _("fix the problems above first"),
            )


def find_markdown_problems(value: str) -> list[Finding]:
    """What in one Markdown text would not render as its writer meant, in order.

    Each text is parsed once per language: `serve` checks the whole file at every
    save, and a build meets the same stock texts in many fiches.
    """
    if len(value) > CACHED_TEXT:
        return list(_findings.__wrapped__(value, current_language()))
    return list(_findings(value, current_language()))


CACHED_TEXT = 20_000
"""Longer texts are not kept: a fiche's texts are a few KB, and the cache stays small."""


@lru_cache(maxsize=4096)
def _findings(value: str, _language: str) -> tuple[Finding, ...]:
    """The findings of one text; `_language` keys the messages' language."""
    env = _Env()
    tokens = _parser().parse(value, {"fichegen": env})
    lines = value.split("\n")
    findings: list[Finding] = []
    inline_tokens = [t for t in tokens if t.type == "inline"]
    for token in tokens:
        findings += _block_findings(token, lines)
    for token, spots in zip(inline_tokens, env.inline, strict=False):
        position = _Positions(token, lines)
        for pos, rule, message, hint in spots:
            line, column = position(pos)
            findings.append(Finding(line, column, rule, message, hint))
    findings.sort(key=lambda f: (f.line, f.column))
    return tuple(findings)


# -- block level ---------------------------------------------------------------------


def _block_findings(token: Token, lines: list[str]) -> list[Finding]:
    if token.map is None:
        return []
    first, end = token.map
    if token.type == "heading_open" and token.markup.startswith("#"):
        column = lines[first].find("#")
        return [
            Finding(
                first,
                column,
                "markdown-heading",
                _(
                    "a line starting with '#' would be a heading, "
                    "which a text in a fiche cannot have"
                ),
                _("remove the '#' (the fiche would show it as it is), or write \\# to keep it"),
            )
        ]
    if token.type == "heading_open":
        last = min(end, len(lines)) - 1
        column = len(lines[last]) - len(lines[last].lstrip())
        return [
            Finding(
                last,
                column,
                "markdown-heading",
                _(
                    "the line '{line}' under a text would make that text a "
                    "heading, which a text in a fiche cannot have"
                ).format(line=lines[last].strip()),
                _("remove the line"),
            )
        ]
    if token.type == "html_block":
        column = max(lines[first].find("<"), 0)  # after any list or quote marker
        shown = token.content.strip().split("\n")[0][:40]
        return [
            Finding(first, column, "markdown-html", _(_HTML_MESSAGE).format(shown), _(_HTML_HINT))
        ]
    if token.type == "code_block":
        column = len(lines[first]) - len(lines[first].lstrip())
        return [
            Finding(
                first,
                column,
                "markdown-code",
                _("a line indented by four spaces or more becomes a block of code"),
                _("indent it as the lines above it, or less than four spaces more"),
            )
        ]
    return []


# -- inline level: note the characters, then judge what they became ----------------


def _spot(state: StateInline, silent: bool) -> bool:
    """Note where the parser meets a character that could be left over; never consume it."""
    char = state.src[state.pos]
    if silent or char not in "*_[]<\\":
        return False
    env: _Env = state.env["fichegen"]
    if char == "\\":
        following = state.src[state.pos + 1 : state.pos + 2]
        if following and following in "[]":
            env.spots.append(_Spot(following, state.pos + 1, -1, escaped=True))
        return False
    if state.pending:
        state.pushPending()  # so len(state.tokens) is where the character's own token goes
    spot = _Spot(char, state.pos, len(state.tokens))
    if char in "*_":
        scanned = state.scanDelims(state.pos, char == "*")
        spot.length, spot.can_open, spot.can_close = (
            scanned.length,
            scanned.can_open,
            scanned.can_close,
        )
    env.spots.append(spot)
    return False


def _judge(state: StateInline) -> None:
    """After emphasis and links are matched: which noted characters stayed literal."""
    env: _Env = state.env["fichegen"]
    spots, env.spots = env.spots, []
    tokens = state.tokens
    found: list[_Mark] = []
    brackets: list[_Spot] = []
    for spot in spots:
        if spot.char in "*_":
            found += _emphasis(spot, tokens)
        elif spot.char == "<":
            token = tokens[spot.token] if spot.token < len(tokens) else None
            if token is not None and token.type == "html_inline":
                found.append(
                    (
                        spot.pos,
                        "markdown-html",
                        _(_HTML_MESSAGE).format(token.content),
                        _(_HTML_HINT),
                    )
                )
        elif (
            spot.char == "]"
            or spot.escaped
            or spot.token >= len(tokens)
            or tokens[spot.token].type not in ("link_open", "image")
        ):
            brackets.append(spot)
    found += _brackets(brackets, state.src)
    env.inline.append(found)


def _emphasis(spot: _Spot, tokens: list[Token]) -> list[_Mark]:
    run = tokens[spot.token : spot.token + spot.length]
    left = [i for i, t in enumerate(run) if t.type == "text" and t.content == spot.char]
    if not left or not (spot.can_open or spot.can_close):
        return []
    marker = spot.char * len(left)
    name = _(EMPHASIS_NAMES.get(len(left), N_("bold italic")))
    if spot.can_open and not spot.can_close:
        message = _("'{marker}' starts {name} text that is not closed")
    elif spot.can_close and not spot.can_open:
        message = _("'{marker}' ends {name} text that was not started")
    else:
        message = _("'{marker}' inside a word is not matched by another '{marker}'")
    message = message.format(marker=marker, name=name)
    hint = _(
        "close it with '{marker}' (no space before it), or write \\{char} for a literal '{char}'"
    ).format(marker=marker, char=spot.char)
    return [(spot.pos + left[0], "markdown-emphasis", message, hint)]


def _brackets(spots: list[_Spot], src: str) -> list[_Mark]:
    """Literal brackets that do not pair up, and '](' that did not become a link."""
    found: list[_Mark] = []
    opened: list[_Spot] = []
    for spot in spots:
        if spot.char == "[":
            opened.append(spot)
            continue
        if src.startswith("](", spot.pos) and opened and not spot.escaped:
            found.append(
                (
                    opened.pop().pos,
                    "markdown-link",
                    _("this link is not valid"),
                    _(
                        "write a link as [text](https://address), with ')' after the "
                        "address and no spaces in it"
                    ),
                )
            )
        elif opened:
            opened.pop()
        elif not spot.escaped:
            found.append(
                (
                    spot.pos,
                    "markdown-link",
                    _("']' has no '[' before it"),
                    _("remove it, or write \\] for a literal bracket"),
                )
            )
    for spot in (spot for spot in opened if not spot.escaped):
        found.append(
            (
                spot.pos,
                "markdown-link",
                _("'[' is not closed by ']'"),
                _("close it, or write \\[ for a literal bracket"),
            )
        )
    return found


# -- positions -----------------------------------------------------------------------


class _Positions:
    """Line and column in the text of a position in an inline token's content.

    The content's lines are the text's lines without their indentation; where
    each one starts in its text line is found once, so a text with thousands
    of problems is still located in linear time.
    """

    def __init__(self, token: Token, lines: list[str]) -> None:
        self.src = token.content
        self.first = token.map[0] if token.map else 0
        self.lines = lines
        self.starts = _line_starts(self.src)
        self.columns: dict[int, int] = {}

    def __call__(self, pos: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, pos) - 1
        start = self.starts[index]
        line = min(self.first + index, len(self.lines) - 1)
        if index not in self.columns:
            end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.src)
            found = self.lines[line].find(self.src[start:end])
            self.columns[index] = found if found >= 0 else 0
        return line, self.columns[index] + pos - start


def _line_starts(value: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", value):
        starts.append(match.end())
    return starts


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    from fichegen.links import allowed

    parser = MarkdownIt("commonmark")
    # A link to an address the link policy refuses is reported as a broken link.
    parser.validateLink = allowed  # type: ignore[method-assign]
    # Before 'escape', to see escaped brackets too; it never consumes, so order is otherwise free.
    parser.inline.ruler.before("escape", "fichegen_spot", _spot)
    parser.inline.ruler2.before("fragments_join", "fichegen_judge", _judge)
    return parser
