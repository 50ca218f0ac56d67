"""The Markdown the pipeline renders, as HTML for the preview.

The same parser settings as the Word writer (CommonMark, tables, footnotes),
so the preview has the headings, tables and footnotes the .docx has. Raw HTML
in a fiche is shown as text, never run. Two touches the Word writer also
makes: a stance cell gets the colour of its stance (from labels.yaml), and an
internal note (a quote starting with its label) is marked as one.
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)
    parser.add_render_rule("footnote_caption", _footnote_number)
    return parser


def _footnote_number(
    self: object, tokens: list[Token], idx: int, options: object, env: object
) -> str:
    """A footnote reference as Word shows it: its number, raised (not "[1]" or "[1:1]")."""
    return str(tokens[idx].meta["id"] + 1)


@functools.cache
def _report_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def report_to_html(markdown: str) -> str:
    """HTML of a `fichegen diff -f md` report: its ~~removed~~ words struck through."""
    return _report_parser().render(markdown)


def markdown_to_html(
    markdown: str, stances: dict[str, str], note_label: str | tuple[str, ...] = ""
) -> str:
    """HTML of `markdown`; `stances` maps a stance label to its CSS class.

    A quote starting with `note_label` (or one of them: internal notes, review
    notes) is marked as internal."""
    body = _parser().render(markdown)
    if stances:
        cells = "|".join(re.escape(html.escape(label, quote=False)) for label in stances)
        by_text = {html.escape(label, quote=False): name for label, name in stances.items()}
        body = re.sub(
            f"<td>({cells})</td>",
            lambda match: f'<td class="{by_text[match[1]]}">{match[1]}</td>',
            body,
        )
    for each in (note_label,) if isinstance(note_label, str) else note_label:
        if not each:
            continue
        label = re.escape(html.escape(each, quote=False))
        body = re.sub(
            f"<blockquote>\n<p><strong>{label}:?</strong>",
            lambda match: match[0].replace("<blockquote>", '<blockquote class="intern">', 1),
            body,
        )
    return body
