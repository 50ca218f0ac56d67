"""The pipeline as functions the commands call: read a fiche, render it, write it.

Each step lives in its own module (load, validate, render); this module only
chains them and turns collected problems into one `InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fichegen.errors import InputError
from fichegen.load import read_source
from fichegen.model import Fiche
from fichegen.validate import Validation, validate

Format = Literal["md", "docx", "pdf"]
FORMATS: tuple[Format, ...] = ("docx", "md", "pdf")


def check_file(path: Path | str) -> Validation:
    """Load and validate one file; a file that cannot be parsed is one located problem."""
    try:
        source = read_source(path)
    except InputError as exc:
        return Validation(None, exc.problems)
    return validate(source)


def read_fiche(path: Path | str) -> Fiche:
    """A valid fiche from a file, or an InputError carrying every error in it."""
    result = check_file(path)
    if result.errors or result.fiche is None:
        raise InputError(result.errors)
    return result.fiche


def render_fiche(fiche: Fiche, fmt: Format, *, reference: Path | None = None,
                 source_path: str = "") -> bytes:
    """The fiche in the given format, as bytes ready to be written."""
    from fichegen.render.markdown import render_markdown

    markdown = render_markdown(fiche)
    if fmt == "md":
        return markdown.encode("utf-8")
    return _render_word(fiche, markdown, reference, source_path)


def _render_word(fiche: Fiche, markdown: str, reference: Path | None, source_path: str) -> bytes:
    from fichegen.render.docx import DocumentInfo, render_docx
    from fichegen.render.markdown import stance_shading

    info = DocumentInfo(title=f"Fiche: {fiche.title}", subject=fiche.com_number,
                        cell_shading=stance_shading(), source_path=source_path)
    return render_docx(markdown, info, reference)


def default_output(source: Path, fmt: Format) -> Path:
    """Where `render` writes when not told: output/<name>.<format>, under the current folder."""
    return Path("output") / f"{source.stem}.{fmt}"
