"""A paragraph as a sequence of words, tabs and footnote references, and back into runs.

Comparing paragraphs word by word needs each word with its formatting (the
run properties) and its hyperlink; writing the merged paragraph needs runs,
hyperlinks and `w:ins` / `w:del` wrappers in the right nesting (a hyperlink
holds the revisions, not the other way round).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from fichegen.diff.ooxml import R_ID, W_ID, Hyperlinks, Marks, local, set_text, w
from fichegen.diff.tokens import PARAGRAPH_WORDS, Link

State = Literal["keep", "ins", "del"]


@dataclass(frozen=True)
class Token:
    """A word, a run of spaces, a punctuation mark, a tab or a footnote reference, with format."""

    kind: str  # text, tab, br, fnref, fnmark, other
    text: str
    fmt: bytes  # the run properties, serialised
    link: Link  # ("url", address) or ("anchor", name) of the hyperlink it sits in
    rpr: etree._Element | None = field(default=None, compare=False, hash=False)
    element: etree._Element | None = field(default=None, compare=False, hash=False)
    hyperlink: etree._Element | None = field(default=None, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str, bytes, Link]:
        return (self.kind, self.text, self.fmt, self.link)

    @property
    def footnote(self) -> int:
        assert self.element is not None
        return int(self.element.get(W_ID, "0"))


def tokenize(p: etree._Element, links: Hyperlinks) -> list[Token]:
    tokens: list[Token] = []
    for child in p:
        name = local(child)
        if name == "pPr":
            continue
        if name == "r":
            tokens += _run_tokens(child, None, None)
        elif name == "hyperlink":
            link = _link_key(child, links)
            for inner in child:
                if local(inner) == "r":
                    tokens += _run_tokens(inner, link, child)
                else:
                    tokens.append(_other(inner, link, child))
        else:
            tokens.append(_other(child, None, None))
    return tokens


def _run_tokens(r: etree._Element, link: Link, hyperlink: etree._Element | None) -> list[Token]:
    rpr = r.find(w("rPr"))
    fmt = serialise(rpr) if rpr is not None else b""
    tokens = []
    for child in r:
        name = local(child)
        if name == "rPr":
            continue
        if name in ("t", "delText"):
            tokens += [
                Token("text", word, fmt, link, rpr, None, hyperlink)
                for word in PARAGRAPH_WORDS.findall(child.text or "")
            ]
        elif name in ("tab", "br", "footnoteRef"):
            tokens.append(Token(name, serialise(child).decode(), fmt, link, rpr, child, hyperlink))
        elif name == "footnoteReference":
            tokens.append(Token("fnref", "", fmt, link, rpr, child, hyperlink))
        else:
            tokens.append(
                Token("other", serialise(child).decode(), fmt, link, rpr, child, hyperlink)
            )
    return tokens


def _other(el: etree._Element, link: Link, hyperlink: etree._Element | None) -> Token:
    return Token("other", serialise(el).decode(), b"", link, None, el, hyperlink)


def _link_key(hyperlink: etree._Element, links: Hyperlinks) -> Link:
    rid = hyperlink.get(R_ID)
    if rid:
        return ("url", links.url(rid) or rid)
    return ("anchor", hyperlink.get(w("anchor"), ""))


def serialise(el: etree._Element) -> bytes:
    return etree.tostring(el, method="c14n")


class RunWriter:
    """Appends runs to a paragraph, opening hyperlinks and revision wrappers as needed."""

    def __init__(self, p: etree._Element, marks: Marks):
        self.p = p
        self.marks = marks
        self.link: Link = None
        self.target = p  # the paragraph or the current hyperlink
        self.state: State | None = None
        self.into = p  # where runs go: the target or a w:ins / w:del in it
        self.text_el: etree._Element | None = None
        self.text_fmt: bytes | None = None

    def container(self, link: Link, hyperlink: etree._Element | None, links: Hyperlinks) -> None:
        if link == self.link:
            return
        self.link, self.state, self.text_el = link, None, None
        if link is None or hyperlink is None:
            self.target = self.p
            return
        element = etree.SubElement(self.p, w("hyperlink"))
        for name, value in hyperlink.attrib.items():
            element.set(name, value)
        if link[0] == "url":
            element.set(R_ID, links.rid(link[1]))
        self.target = element

    def wrapper(self, state: State) -> None:
        if state == self.state:
            return
        self.state, self.text_el = state, None
        self.into = self.target if state == "keep" else etree.SubElement(self.target, w(state))
        if state != "keep":
            self.marks.stamp(self.into)

    def text(self, token: Token, state: State) -> None:
        if self.text_el is not None and self.text_fmt == token.fmt:
            set_text(self.text_el, (self.text_el.text or "") + token.text)
            return
        run = self._run(token)
        self.text_el = etree.SubElement(run, w("delText" if state == "del" else "t"))
        self.text_fmt = token.fmt
        set_text(self.text_el, token.text)

    def special(self, token: Token, element: etree._Element | None) -> None:
        run = self._run(token)
        if element is not None:
            run.append(element)
        self.text_el = None

    def marker(self, element: etree._Element) -> None:
        """A paragraph-level mark (a comment's or bookmark's start or end): never inside a run."""
        self.target.append(element)
        self.state, self.text_el = None, None  # the next runs get a wrapper after the mark

    def _run(self, token: Token) -> etree._Element:
        run = etree.SubElement(self.into, w("r"))
        if token.rpr is not None:
            run.append(copy.deepcopy(token.rpr))
        return run
