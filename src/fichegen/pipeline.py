"""The pipeline as functions the commands call: read a fiche, render it, write it.

Each step lives in its own module (load, validate, render); this module only
chains them and turns collected problems into one `InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fichegen.errors import InputError
from fichegen.load import read_source
from fichegen.model import Fiche
from fichegen.validate import Validation, validate

if TYPE_CHECKING:
    from fichegen.render.notes import Note

Format = Literal["md", "docx", "pdf"]


def check_file(path: Path | str) -> Validation:
    """Load and validate one file; a file that cannot be parsed is one located problem."""
    try:
        source = read_source(path)
    except InputError as exc:
        return Validation(None, exc.problems)
    return validate(source)


def read_fiche(path: Path | str) -> Fiche:
    """A valid fiche from a file, or an InputError carrying every error in it.

    Errors are counted as `check` counts them: a rule the team switched off
    or down to a warning in its configuration does not stop a render.
    """
    from fichegen.config import ConfigFinder

    result = check_file(path)
    config = ConfigFinder().for_file(Path(path))
    errors = [
        adjusted
        for problem in result.errors
        if (adjusted := config.adjust(problem)) is not None and adjusted.is_error
    ]
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
    internal note; only `audience="internal"` shows them. With `anchors`, a Word
    fiche carries invisible anchors (bookmarks and a document property naming
    the positions file) for `fichegen absorb`; `render` and `build` ask for them.
    """
    from fichegen.audience import for_audience
    from fichegen.render.markdown import render_markdown

    fiche = for_audience(fiche, audience)
    if fmt == "md":
        return render_markdown(fiche, templates).encode("utf-8")
    if anchors:  # hidden bookmarks around each field, so `absorb` can read edits back
        from fichegen.render.anchors import mark_fields

        markdown = render_markdown(mark_fields(fiche), templates)
    else:
        markdown = render_markdown(fiche, templates)
    return _render_word(fiche, markdown, reference, source_path, audience, templates, anchors)


def _render_word(
    fiche: Fiche,
    markdown: str,
    reference: Path | None,
    source_path: str,
    audience: str,
    templates: Path | None,
    anchors: bool = False,
) -> bytes:
    from fichegen.render.docx import DocumentInfo, render_docx
    from fichegen.render.markdown import stance_shading, template_labels

    notes: list[Note] = []
    if audience == "internal":  # notes become Word comments; the public fiche has none
        from fichegen.render.notes import mark_notes

        # Without the label no template could have written a note (user labels.yaml).
        label = str(template_labels(templates).get("internal_note", ""))
        if label:
            markdown, notes = mark_notes(markdown, label)
    info = DocumentInfo(
        title=f"Fiche: {fiche.title}",
        subject=fiche.com_number,
        cell_shading=stance_shading(templates),
        source_path=source_path,
        custom_properties=_identity(fiche, source_path) if anchors else {},
    )
    docx = render_docx(markdown, info, reference)
    if notes:
        from fichegen.render.notes import add_comments

        docx = add_comments(docx, notes, author=label)
    return docx


def _identity(fiche: Fiche, source_path: str) -> dict[str, str]:
    """The document properties that tie a Word fiche to its positions file."""
    from fichegen.render.docx.oxml.anchors import PROPERTY_COM, PROPERTY_POSITIONS

    return {
        PROPERTY_POSITIONS: Path(source_path).as_posix() if source_path else "",
        PROPERTY_COM: fiche.com_number,
    }


def default_output(source: Path, fmt: Format, audience: str = "public") -> Path:
    """Where `render` writes when not told: output/<name>.<format>, under the current folder.

    Only the file's own name is used, so `../x.yaml` or `a/b.yaml` still land in
    output/; the internal version is output/<name>-intern.<format>, so it never
    replaces the public one.
    """
    suffix = "-intern" if audience == "internal" else ""
    return Path("output") / f"{source.stem}{suffix}.{fmt}"
