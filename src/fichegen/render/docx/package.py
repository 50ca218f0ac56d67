"""The OPC zip package under a .docx: read parts and relationships, write them reproducibly.

The lowest layer of the Word writer, comparable to python-docx's `opc/`: it knows
part names, content types and relationships, and nothing about paragraphs.
Writing is reproducible by construction: entries in a fixed order, one fixed
timestamp, fixed permissions, so the same parts always give the same bytes.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from fichegen.files import ZipLimitError, read_zip
from fichegen.i18n import _

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_RT_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT_OFFICE + "officeDocument"
RT_EXTENDED_PROPERTIES = _RT_OFFICE + "extended-properties"
RT_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
RT_STYLES = _RT_OFFICE + "styles"
RT_SETTINGS = _RT_OFFICE + "settings"
RT_WEB_SETTINGS = _RT_OFFICE + "webSettings"
RT_FONT_TABLE = _RT_OFFICE + "fontTable"
RT_THEME = _RT_OFFICE + "theme"
RT_HEADER = _RT_OFFICE + "header"
RT_FOOTER = _RT_OFFICE + "footer"
RT_NUMBERING = _RT_OFFICE + "numbering"
RT_FOOTNOTES = _RT_OFFICE + "footnotes"
RT_COMMENTS = _RT_OFFICE + "comments"
RT_ENDNOTES = _RT_OFFICE + "endnotes"
RT_HYPERLINK = _RT_OFFICE + "hyperlink"
RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_DOCUMENT = CT_WML + "document.main+xml"
CT_NUMBERING = CT_WML + "numbering+xml"
CT_FOOTNOTES = CT_WML + "footnotes+xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
CT_EXTENDED_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

COMPRESS_LEVEL = 1
"""zlib's fastest level: a fiche's document.xml deflates four times faster than at the
default 6, and the .docx grows from 22 to 26 KB."""


class PackageError(Exception):
    """The bytes are not a readable OPC package; callers turn this into a located error."""


@dataclass(frozen=True)
class Relationship:
    rid: str
    reltype: str
    target: str  # relative to the source part's folder, or a URL when external
    external: bool = False


@dataclass
class Part:
    name: str  # zip member name, e.g. "word/document.xml"
    content_type: str
    blob: bytes
    rels: list[Relationship] = field(default_factory=list)

    def target_name(self, rel: Relationship) -> str:
        """The zip member name a relationship of this part points to."""
        if rel.target.startswith("/"):
            return rel.target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.name), rel.target))


def rels_name(part_name: str) -> str:
    folder, base = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", base + ".rels")


@dataclass
class ZipReader:
    """The members of a package read once, with content types resolved."""

    members: dict[str, bytes]
    defaults: dict[str, str]
    overrides: dict[str, str]

    @classmethod
    def from_bytes(cls, data: bytes) -> ZipReader:
        try:
            members = read_zip(data)
            types = etree.fromstring(members["[Content_Types].xml"])
        except ZipLimitError as exc:
            raise PackageError(str(exc)) from exc
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
            raise PackageError(_("not a Word document ({error})").format(error=exc)) from exc
        defaults = {
            el.get("Extension", "").lower(): el.get("ContentType", "")
            for el in types.iter(f"{{{CT_NS}}}Default")
        }
        overrides = {
            el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
            for el in types.iter(f"{{{CT_NS}}}Override")
        }
        return cls(members, defaults, overrides)

    def rels(self, part_name: str) -> list[Relationship]:
        blob = self.members.get(rels_name(part_name))
        if blob is None:
            return []
        try:
            root = etree.fromstring(blob)
        except etree.XMLSyntaxError as exc:
            raise PackageError(
                _("broken relationships of {part} ({error})").format(part=part_name, error=exc)
            ) from exc
        return [
            Relationship(
                el.get("Id", ""),
                el.get("Type", ""),
                el.get("Target", ""),
                el.get("TargetMode") == "External",
            )
            for el in root.iter(f"{{{PR_NS}}}Relationship")
        ]

    def part(self, name: str) -> Part:
        if name not in self.members:
            raise PackageError(_("the package has no part {name}").format(name=name))
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        content_type = self.overrides.get(name) or self.defaults.get(ext, "")
        return Part(name, content_type, self.members[name], self.rels(name))

    def closure(self, source: Part, rels: Iterable[Relationship]) -> list[Part]:
        """Parts reachable from `source` through `rels`, each once, in a stable order."""
        seen: dict[str, Part] = {}
        queue = [(source, rel) for rel in rels]
        while queue:
            owner, rel = queue.pop(0)
            if rel.external:
                continue
            name = owner.target_name(rel)
            if name in seen or name not in self.members:
                continue
            part = self.part(name)
            seen[name] = part
            queue.extend((part, r) for r in part.rels)
        return list(seen.values())


def zip_timestamp(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    if moment is None or moment.year < 1980:
        return _ZIP_EPOCH
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def serialize_rels(rels: Iterable[Relationship]) -> bytes:
    root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
    for rel in rels:
        el = etree.SubElement(root, f"{{{PR_NS}}}Relationship")
        el.set("Id", rel.rid)
        el.set("Type", rel.reltype)
        el.set("Target", rel.target)
        if rel.external:
            el.set("TargetMode", "External")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def serialize_content_types(parts: Iterable[Part]) -> bytes:
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    binary: dict[str, str] = {}
    overrides: list[Part] = []
    for part in parts:
        ext = posixpath.splitext(part.name)[1].lstrip(".").lower()
        if part.content_type.endswith("xml") or ext == "xml" or ext in binary:
            overrides.append(part)
        else:
            binary[ext] = part.content_type
    defaults = {"rels": CT_RELATIONSHIPS, "xml": "application/xml", **binary}
    for ext in sorted(defaults):
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=ext, ContentType=defaults[ext])
    for part in overrides:
        etree.SubElement(
            root, f"{{{CT_NS}}}Override", PartName="/" + part.name, ContentType=part.content_type
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def write_package(
    package_rels: list[Relationship], parts: list[Part], moment: datetime | None = None
) -> bytes:
    """Zip the parts in the order given; each part's relationships follow it."""
    stamp = zip_timestamp(moment)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:

        def put(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # the same bytes on Windows and Unix
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=COMPRESS_LEVEL)

        put("[Content_Types].xml", serialize_content_types(parts))
        put("_rels/.rels", serialize_rels(package_rels))
        for part in parts:
            put(part.name, part.blob)
            if part.rels:
                put(rels_name(part.name), serialize_rels(part.rels))
    return buffer.getvalue()
