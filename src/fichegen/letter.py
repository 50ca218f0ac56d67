"""The covering letter: the Minister of Foreign Affairs sends a batch of fiches to the Tweede Kamer.

`fichegen letter A.yaml B.yaml -o brief.docx` writes the letter (template
`templates/letter.md.j2`) listing each fiche's title and Kamerstuk number;
`-f pdf` writes one PDF of the letter followed by the public fiches, with a
bookmark per fiche. Date, letter number and signing minister come from the
options, else from the `[letter]` table of `fichegen.toml` (or
`[tool.fichegen.letter]` of `pyproject.toml`) in the current folder.
"""

from __future__ import annotations

import io
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fichegen.dates import fiche_date
from fichegen.errors import Location, Problem, Severity, UsageError
from fichegen.i18n import _
from fichegen.model import Fiche, Status

Format = str  # "docx", "pdf" or "md"
KEYS = ("date", "minister", "number")


@dataclass(frozen=True)
class LetterInfo:
    """What the letter says besides the fiches."""

    date: str
    minister: str
    number: str = ""


def letter_info(
    date: str | None, minister: str | None, number: str | None, config: Path | None
) -> LetterInfo:
    """The options, completed from the configuration; date and minister are required."""
    settings = read_letter_config(config)
    given = {"date": date, "minister": minister, "number": number}
    values = {key: (given[key] or settings.get(key) or "").strip() for key in KEYS}
    missing = [key for key in ("date", "minister") if not values[key]]
    if missing:
        raise UsageError(
            Problem(
                Location("fichegen letter"),
                _("the letter needs {names}").format(names=", ".join(f"--{m}" for m in missing)),
                hint=_("give them as options, or under [letter] in fichegen.toml"),
            )
        )
    return LetterInfo(values["date"], values["minister"], values["number"])


def read_letter_config(path: Path | None) -> dict[str, str]:
    """The [letter] table of the given file, else of fichegen.toml or pyproject.toml here."""
    candidates = [path] if path else [Path("fichegen.toml"), Path("pyproject.toml")]
    for candidate in candidates:
        if candidate is None or not candidate.is_file():
            if path is not None:
                raise UsageError(Problem(Location(str(path)), _("configuration file not found")))
            continue
        try:
            data = tomllib.loads(candidate.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(
                Problem(
                    Location(str(candidate)),
                    _("cannot read the configuration: {error}").format(error=exc),
                )
            ) from exc
        table: Any = data.get("letter") if candidate.name != "pyproject.toml" else None
        if table is None:
            table = data.get("tool", {}).get("fichegen", {}).get("letter")
        if isinstance(table, dict):
            return {key: str(table[key]) for key in KEYS if key in table}
    return {}


def render_letter_markdown(
    fiches: list[Fiche], info: LetterInfo, templates: Path | None = None
) -> str:
    """The letter as Markdown; a batch holding a draft fiche is marked CONCEPT."""
    from fichegen.render.markdown import document_marks, letter_template

    marks = []
    if any(fiche.status is Status.DRAFT for fiche in fiches):
        marks = document_marks(
            next(f for f in fiches if f.status is Status.DRAFT), "public", templates
        )
    return letter_template(templates, fiches=fiches, letter=info, marks=marks)


def render_letter(
    sources: list[Path],
    fmt: Format,
    info: LetterInfo,
    *,
    reference: Path | None = None,
    templates: Path | None = None,
    notes: list[Problem] | None = None,
) -> bytes:
    """The letter (docx, md), or the letter followed by every fiche as one PDF.

    A fiche without its Kamerstuk number is named without one; `notes` gets a
    warning for it, so the user can fill it in before sending.
    """
    from fichegen.pipeline import read_fiche

    if not sources:
        raise UsageError(Problem(Location("fichegen letter"), _("give at least one fiche")))
    fiches = [read_fiche(source) for source in sources]
    if notes is not None:
        notes += [
            Problem(
                Location(str(source)),
                _("no Kamerstuk number yet; the letter names this fiche without one"),
                Severity.WARNING,
                code="letter-kamerstuk",
                hint=_("fill in 'kamerstuk:' (for example '22 112, nr. 4321') once it is known"),
            )
            for source, fiche in zip(sources, fiches, strict=True)
            if not (fiche.kamerstuk or "").strip()
        ]
    markdown = render_letter_markdown(fiches, info, templates)
    if fmt == "md":
        return markdown.encode("utf-8")
    word = _letter_word(fiches, markdown, info, reference, sources)
    if fmt == "docx":
        return word
    return _bundle(word, fiches, sources, reference, templates)


def _letter_word(
    fiches: list[Fiche],
    markdown: str,
    info: LetterInfo,
    reference: Path | None,
    sources: list[Path],
) -> bytes:
    from fichegen.render.docx import DocumentInfo, render_docx

    draft = any(fiche.status is Status.DRAFT for fiche in fiches)
    first_line = markdown.split("\n", 1)[0].strip("*") if draft else ""
    body = markdown.split("\n\n", 1)[1] if draft else markdown  # the mark goes in the header
    document = DocumentInfo(
        title=_letter_title(info),
        subject="22 112",
        marks=(first_line,) if draft else (),
        watermark=first_line,
        moment=max(fiche_date(source) for source in sources),
    )
    return render_docx(body, document, reference)


def _letter_title(info: LetterInfo) -> str:
    return "Brief van de Minister van Buitenlandse Zaken, " + info.date


def _bundle(
    letter: bytes,
    fiches: list[Fiche],
    sources: list[Path],
    reference: Path | None,
    templates: Path | None,
) -> bytes:
    """One PDF: the letter, then each public fiche, with a bookmark for each."""
    import pikepdf

    from fichegen.pipeline import word_for_pdf
    from fichegen.render.pdf import convert_to_pdf, finish_pdf

    moment = max(fiche_date(source) for source in sources)
    with tempfile.TemporaryDirectory(prefix="fichegen-letter-") as folder:
        base = Path(folder)
        words = [base / "00-brief.docx"]
        words[0].write_bytes(letter)
        for index, (fiche, source) in enumerate(zip(fiches, sources, strict=True), start=1):
            path = base / f"{index:02d}-{source.stem}.docx"
            path.write_bytes(
                word_for_pdf(
                    fiche, reference=reference, source_path=str(source), templates=templates
                )
            )
            words.append(path)
        pdfs = convert_to_pdf(words, base / "pdf")
        parts = [pikepdf.open(io.BytesIO(path.read_bytes())) for path in pdfs]
    bundle = parts[0]
    starts = [0]
    for part in parts[1:]:
        starts.append(len(bundle.pages))
        bundle.pages.extend(part.pages)
    # The parts' structure trees cannot be joined page by page: the bundle is a
    # reading copy, not an archival one (each fiche's own PDF is PDF/A).
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in bundle.Root:
            del bundle.Root[key]
    for page in bundle.pages:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
    with bundle.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in ("pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                del meta[key]
    with bundle.open_outline() as outline:
        outline.root.clear()
        outline.root.append(pikepdf.OutlineItem("Aanbiedingsbrief", 0))
        for fiche, start in zip(fiches, starts[1:], strict=True):
            outline.root.append(pikepdf.OutlineItem(f"Fiche: {fiche.title}", start))
    out = io.BytesIO()
    bundle.save(out)
    for part in parts:
        part.close()
    return finish_pdf(out.getvalue(), moment)
