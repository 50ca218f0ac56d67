"""The pipeline as functions the commands call: read a fiche, render it, write it.

Each step lives in its own module (load, validate, render); this module only
chains them and turns collected problems into one `InputError`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fichegen.errors import InputError, Location, Problem
from fichegen.i18n import _
from fichegen.load import parse_source, read_source
from fichegen.model import Fiche, Status
from fichegen.validate import Validation, validate

if TYPE_CHECKING:
    from fichegen.model import ReviewNote
    from fichegen.render.notes import Note

Format = Literal["md", "docx", "pdf"]


def check_file(path: Path | str) -> Validation:
    """Load and validate one file; a file that cannot be parsed is one located problem."""
    try:
        source = read_source(path)
    except InputError as exc:
        return Validation(None, exc.problems)
    return validate(source)


def check_bytes(data: bytes, name: str) -> Validation:
    """As `check_file`, for the bytes of a file already read (and at most MAX_BYTES)."""
    try:
        source = parse_source(data, name)
    except InputError as exc:
        return Validation(None, exc.problems)
    return validate(source)


def read_fiche(path: Path | str, *, date_ahead: bool = False) -> Fiche:
    """A valid fiche from a file, or an InputError carrying every error in it.

    Errors are counted as `check` counts them: a rule the team switched off
    or down to a warning in its configuration does not stop a render. With
    `date_ahead` (a Word or PDF render follows), git looks up the fiche's date
    meanwhile (see `dates.start`).
    """
    if not date_ahead:  # Markdown carries no date: no git, not even its module
        return _valid_fiche(path)
    from fichegen import dates

    dates.start(path)
    try:
        return _valid_fiche(path)
    except BaseException:
        dates.cancel(path)
        raise


def _valid_fiche(path: Path | str) -> Fiche:
    from fichegen.config import ConfigFinder

    result = check_file(path)
    errors = ConfigFinder().for_file(Path(path)).blocking(result.errors)
    if errors or result.fiche is None:
        raise InputError(errors or result.errors)
    return result.fiche


def render_fiche(
    fiche: Fiche,
    fmt: Format,
    *,
    reference: Path | None = None,
    source_path: str = "",
    audience: str = "public",
    templates: Path | None = None,
    anchors: bool = False,
) -> bytes:
    """The fiche in the given format, as bytes ready to be written.

    The public version (the default) is rendered from a fiche without any
    internal note; only `audience="internal"` shows them. A draft carries
    CONCEPT, the internal version INTERN (top line, page header). With
    `anchors`, a Word fiche carries invisible anchors (bookmarks and a document
    property naming the positions file) for `fichegen absorb`; `render` and
    `build` ask for them.
    """
    from fichegen.audience import for_audience
    from fichegen.render.markdown import document_marks, render_markdown

    marks = document_marks(fiche, audience, templates)
    fiche = for_audience(fiche, audience)
    if fmt == "md":
        return render_markdown(fiche, templates, marks).encode("utf-8")
    anchored = anchors and fmt == "docx"
    markdown, reviews = _word_markdown(fiche, templates, anchored)
    word = _render_word(
        fiche,
        markdown,
        reference,
        source_path,
        audience,
        templates,
        marks,
        for_pdf=fmt == "pdf",
        anchors=anchored,
        reviews=reviews,
    )
    if fmt == "docx":
        return word
    from fichegen.dates import fiche_date
    from fichegen.render.pdf import word_to_pdf

    return word_to_pdf(word, fiche_date(source_path), Path(source_path).stem or "fiche")


def word_for_pdf(
    fiche: Fiche,
    *,
    reference: Path | None = None,
    source_path: str = "",
    audience: str = "public",
    templates: Path | None = None,
) -> bytes:
    """The Word document LibreOffice turns into the fiche's PDF (`build` converts many at once).

    As the .docx, except that internal notes stand in the text as marked
    blocks: a PDF keeps no Word comments.
    """
    from fichegen.audience import for_audience
    from fichegen.render.markdown import document_marks, render_markdown

    marks = document_marks(fiche, audience, templates)
    fiche = for_audience(fiche, audience)
    markdown = render_markdown(fiche, templates)
    return _render_word(
        fiche, markdown, reference, source_path, audience, templates, marks, for_pdf=True
    )


def _word_markdown(
    fiche: Fiche, templates: Path | None, anchors: bool
) -> tuple[str, list[ReviewNote]]:
    """The Markdown the Word writer reads; with `anchors`, each field between hidden bookmarks.

    With it, the co-readers' notes in the order the Markdown shows them.
    """
    from fichegen.render.markdown import render_markdown, template_labels
    from fichegen.render.review import ReviewNotes

    review = ReviewNotes(fiche, template_labels(templates))
    if anchors:  # so that `absorb` can read the edits of co-readers back
        from fichegen.render.anchors import mark_fields

        return render_markdown(mark_fields(fiche), templates, review=review), review.shown
    return render_markdown(fiche, templates, review=review), review.shown


def _render_word(
    fiche: Fiche,
    markdown: str,
    reference: Path | None,
    source_path: str,
    audience: str,
    templates: Path | None,
    marks: list[str],
    *,
    for_pdf: bool = False,
    anchors: bool = False,
    reviews: list[ReviewNote] | None = None,
) -> bytes:
    from fichegen.dates import fiche_date
    from fichegen.render.docx import DocumentInfo, render_docx
    from fichegen.render.markdown import stance_shading, template_labels

    notes: list[Note] = []
    label = ""
    if audience == "internal":  # notes become Word comments; the public fiche has none
        from fichegen.render.notes import mark_notes

        labels = template_labels(templates)
        label = str(labels.get("internal_note", ""))
        marked = markdown
        if label:
            from fichegen.audience import iter_internal_notes

            texts = [text for _, text in iter_internal_notes(fiche)]
            marked, notes = mark_notes(markdown, label, texts)
        review_label = str(labels.get("internal_review_note", ""))
        if review_label and fiche.internal_review_notes:
            marked, found = mark_notes(marked, review_label, None, first=len(notes))
            notes += _by_reviewer(found, reviews, review_label)
        if not for_pdf:  # a PDF shows the notes where they stand, as marked quotes
            markdown = marked
        _check_notes_shown(fiche, notes, source_path or fiche.title)
    info = DocumentInfo(
        title=f"Fiche: {fiche.title}",
        subject=fiche.com_number,
        cell_shading=stance_shading(templates),
        source_path=source_path,
        marks=tuple(marks),
        watermark=marks[0] if fiche.status is Status.DRAFT and marks else "",
        moment=fiche_date(source_path),
        custom_properties=_identity(fiche, source_path) if anchors else {},
    )
    docx = render_docx(markdown, info, reference)
    if notes and not for_pdf:
        from fichegen.render.notes import add_comments

        docx = add_comments(docx, notes, author=label)
    return docx


def _by_reviewer(found: list[Note], reviews: list[ReviewNote] | None, label: str) -> list[Note]:
    """The co-readers' notes as comments by their author, at the moment they wrote them.

    The label stays in front of the text: it marks the comment as a review note
    for a reader, and for `absorb`, which does not take it in a second time.
    """
    import dataclasses

    by_order = reviews if reviews is not None and len(reviews) == len(found) else None
    shown = []
    for index, note in enumerate(found):
        head = f"{label}: {note.paragraphs[0]}" if note.paragraphs else label
        paragraphs = (head, *note.paragraphs[1:])
        if by_order is None:  # a template of the user's own: no way to tell who wrote which
            shown.append(dataclasses.replace(note, paragraphs=paragraphs))
            continue
        review = by_order[index]
        shown.append(
            dataclasses.replace(note, paragraphs=paragraphs, author=review.author, date=review.date)
        )
    return shown


def _check_notes_shown(fiche: Fiche, notes: list[Note], where: str) -> None:
    """An internal version that shows none of the fiche's notes is an error, never a public copy."""
    from fichegen.audience import iter_internal_notes

    if notes or not any(text.strip() for _path, text in iter_internal_notes(fiche)):
        return
    raise InputError(
        Problem(
            Location(where),
            _("the internal version would show none of the fiche's internal notes"),
            code="internal-notes",
            hint=_(
                "the templates must write each note as a quote starting with the label "
                "'internal_note' of labels.yaml; check your own templates"
            ),
        )
    )


def _identity(fiche: Fiche, source_path: str) -> dict[str, str]:
    """The document properties that tie a Word fiche to its positions file."""
    from fichegen.render.anchors import source_id
    from fichegen.render.docx.oxml.anchors import PROPERTY_COM, PROPERTY_POSITIONS, PROPERTY_SOURCE

    identity = {
        PROPERTY_POSITIONS: Path(source_path).as_posix() if source_path else "",
        PROPERTY_COM: fiche.com_number,
    }
    if source_path:  # which version of the file: absorb finds it in git if it changed since
        with contextlib.suppress(OSError):
            identity[PROPERTY_SOURCE] = source_id(Path(source_path).read_bytes())
    return identity


def run_render(
    source: Path,
    fmt: str | None,
    output: Path | None,
    *,
    reference: Path | None = None,
    audience: str = "public",
    templates: Path | None = None,
) -> tuple[Path, int]:
    """`fichegen render`: check `source`, write its fiche; where, and the placeholders left."""
    from fichegen.files import check_output, write_atomic
    from fichegen.rules import count_placeholders

    chosen = output_format(fmt, output)
    target = output or default_output(source, chosen, audience)
    inputs = (source, reference)
    check_output(target, inputs=inputs)
    fiche = read_fiche(source, date_ahead=chosen != "md")
    data = render_fiche(
        fiche,
        chosen,
        reference=reference,
        source_path=str(source),
        audience=audience,
        templates=templates,
        anchors=True,  # so `fichegen absorb` can read the edited Word file back
    )
    write_atomic(target, data, inputs=inputs)
    return target, count_placeholders(fiche)


def default_output(source: Path, fmt: Format, audience: str = "public") -> Path:
    """Where `render` writes when not told: output/<name>.<format>, under the current folder.

    Only the file's own name is used, so `../x.yaml` or `a/b.yaml` still land in
    output/; the internal version is output/<name>-intern.<format>, so it never
    replaces the public one.
    """
    suffix = "-intern" if audience == "internal" else ""
    return output_folder() / f"{source.stem}{suffix}.{fmt}"


def output_folder(here: Path | None = None) -> Path:
    """output/ of the repository: ../output when run inside positions/ (or a folder in it)."""
    here = (here or Path.cwd()).resolve()
    for up, folder in enumerate((here, *here.parents)):
        if folder.name == "positions":
            return Path(*[".."] * (up + 1), "output")
    return Path("output")


SUFFIXES: dict[str, Format] = {".docx": "docx", ".md": "md", ".pdf": "pdf"}


def output_format(fmt: str | None, output: Path | None) -> Format:
    """The format asked for: the extension of `output` decides; `fmt` may not contradict it."""
    from fichegen.errors import UsageError

    implied = SUFFIXES.get(output.suffix.lower()) if output is not None else None
    if fmt and implied and fmt != implied:
        raise UsageError(
            Problem(
                Location("fichegen"),
                _("--format {format} contradicts the extension of {path}").format(
                    format=fmt, path=output
                ),
                hint=_("leave out --format, or name the file .{format}").format(format=fmt),
            )
        )
    suffix = output.suffix if output is not None else ""
    if not implied and not fmt and suffix and output is not None and not output.is_char_device():
        # x.odt or x.doc would get Word bytes under a name that promises something else.
        raise UsageError(
            Problem(
                Location(str(output)),
                _("the extension {suffix} is not a format fichegen writes").format(suffix=suffix),
                hint=_("name the file .docx, .pdf or .md, or choose with --format"),
            )
        )
    return implied or fmt or "docx"  # type: ignore[return-value]
