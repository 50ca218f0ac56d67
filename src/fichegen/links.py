"""The one link policy: which addresses become live links in a fiche, and how they are written.

A fiche links to web pages and e-mail addresses only: `https:`, `http:` and
`mailto:`. Any other address (`javascript:`, `ms-msdt:`, `search-ms:`,
`smb:`, `file:`, a relative path) stays plain text in every output: the
Markdown filter of the templates, the Word writer and `check` ask `allowed`,
and an address written into Markdown goes through `destination`, so no
character in it can end the link early or start another one.
"""

from __future__ import annotations

import html
import re

SCHEMES = ("https", "http", "mailto")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}):")
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060\ufeff]")
"""What browsers and Word skip in an address: blanks, controls, invisible marks."""
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def allowed(url: str) -> bool:
    """Whether `url` may become a live link: it starts with https:, http: or mailto:.

    Read as a browser reads it: character references decoded, backslash
    escapes removed, blanks and invisible characters ignored.
    """
    plain = _IGNORED.sub("", html.unescape(_ESCAPED.sub(r"\1", url)))
    found = _SCHEME.match(plain)
    return found is not None and found.group(1).lower() in SCHEMES


_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]")


def destination(url: str) -> str:
    """`url` as a Markdown link destination: every character that could end it percent-encoded."""
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), url)
