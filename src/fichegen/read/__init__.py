"""Reading fiches that fichegen did not make: Word, the text of a PDF, a web page.

`read_document` turns a file into a `Document` (blocks and footnotes) whatever its
format; `letter.split_fiches` cuts a covering letter's bundle into fiches;
`fiche.map_fiche` turns one fiche's blocks into the fields of a positions file.
"""

from __future__ import annotations

from pathlib import Path

from fichegen.i18n import _, os_reason
from fichegen.read.document import Document, clean
from fichegen.read.errors import unreadable

MAX_BYTES = 50 * 1024 * 1024


def read_document(path: Path) -> Document:
    """The blocks and footnotes of a fiche file (.docx, .html, or text), or UnreadableError."""
    return clean(_read(path))


def _read(path: Path) -> Document:
    source = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise unreadable(source, _("this is a folder, not a file")) from None
    except OSError as exc:
        raise unreadable(
            source, _("cannot read the file: {reason}").format(reason=os_reason(exc))
        ) from None
    if not data.strip():
        raise unreadable(source, _("the file is empty"))
    if len(data) > MAX_BYTES:
        raise unreadable(source, _("the file is larger than any fiche can be"))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise unreadable(
            source,
            _("this is an encrypted (password-protected) or old-format (.doc) Word file"),
            _("open it in Word, remove the password or save it as .docx, and import that"),
        )
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() in (".docx", ".docm"):
        from fichegen.read.docx import read_docx

        return read_docx(data, source)
    if data.startswith(b"%PDF"):
        raise unreadable(
            source,
            _("this is a PDF; fichegen reads its text"),
            _("run 'pdftotext {name}' and import the .txt it writes").format(name=path.name),
        )
    text = _decode(data, source)
    head = text.lstrip()[:2000].lower()
    if (
        path.suffix.lower() in (".html", ".htm", ".xhtml")
        or head.startswith(("<!doctype html", "<html", "<?xml"))
        or "<body" in head
    ):
        from fichegen.read.html import read_html

        return read_html(text, source)
    from fichegen.read.text import read_text

    return read_text(text, source)


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise unreadable(source, _("this is not a text, Word or HTML file"))
    for encoding in (
        ("utf-8-sig", "utf-16")
        if data.startswith((b"\xff\xfe", b"\xfe\xff"))
        else (
            "utf-8-sig",
            "cp1252",
        )
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
