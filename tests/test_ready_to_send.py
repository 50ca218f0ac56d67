"""Ready to send: the marks on drafts and internal versions, and nothing the cabinet wrote lost.

Every output is read back with a reader of its own: python-docx for Word,
markdown-it for Markdown, openxml-audit for the validity of every .docx.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import assume, given
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from fichegen.errors import FichegenError, InputError
from fichegen.load import parse_source
from fichegen.model import Action, Annex, Fiche, Status
from fichegen.pipeline import default_output, read_fiche, render_fiche
from fichegen.render.markdown import prose
from fichegen.validate import validate
from fuzzing import FUZZ, dump_yaml, fiches
from samples import MINIMAL
from wordcheck import assert_valid_docx

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = [GOLDEN / "communication-seed/input.yaml", GOLDEN / "legislative-precursoren/input.yaml"]
CONCEPT = "CONCEPT"
INTERN = "INTERN - NIET VOOR DE KAMER"
MARKDOWN = MarkdownIt("commonmark").enable("table").use(footnote_plugin)

NOTED = MINIMAL.replace(
    "        stance: support\n",
    "        stance: support\n        internal_notes: GEHEIM-ACTIE\n",
)


def load(text: str, status: str = "draft") -> Fiche:
    result = validate(parse_source(f"{text}status: {status}\n".encode(), "x.yaml"))
    assert result.fiche is not None, [p.format() for p in result.errors]
    return result.fiche


def header_texts(data: bytes) -> list[str]:
    """The text of every header part, as python-docx reads it."""
    document = docx.Document(io.BytesIO(data))
    texts = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                texts.append("\n".join(p.text for p in header.paragraphs))
    return texts


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [name for name in archive.namelist() if name.endswith("xml")]
        return "".join(archive.read(name).decode("utf-8") for name in names)


# -- 1. CONCEPT and INTERN ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "audience", "marks"),
    [
        ("draft", "public", [CONCEPT]),
        ("draft", "internal", [CONCEPT, INTERN]),
        ("final", "internal", [INTERN]),
        ("final", "public", []),
    ],
)
def test_marks_in_markdown_and_word(status: str, audience: str, marks: list[str]) -> None:
    fiche = load(NOTED, status)
    markdown = render_fiche(fiche, "md", audience=audience).decode("utf-8")
    word = render_fiche(fiche, "docx", audience=audience)
    assert_valid_docx(word)
    first = markdown.split("\n\n", 1)[0]
    if marks:
        assert first == "**" + " · ".join(marks) + "**"
        assert header_texts(word) == [" · ".join(marks)]  # the header of every page
    else:
        assert first == "# Fiche: Test"
        assert header_texts(word) == []
        for text in (markdown, all_xml(word)):
            assert CONCEPT not in text and "INTERN" not in text
    # Only a draft has the watermark, and it says CONCEPT.
    watermark = re.findall(r'<v:textpath [^>]*string="([^"]*)"', all_xml(word))
    assert watermark == ([CONCEPT] if status == "draft" else [])
    # The body of the Word file never has the Markdown's top line.
    body = [p.text for p in docx.Document(io.BytesIO(word)).paragraphs]
    assert body[0] == "Fiche: Test"


def test_internal_file_name_says_intern() -> None:
    assert default_output(Path("p/x.yaml"), "pdf", "internal") == Path("output/x-intern.pdf")
    assert default_output(Path("p/x.yaml"), "docx") == Path("output/x.docx")


def test_a_reference_with_its_own_header_and_first_page_keeps_it_below_the_mark(
    tmp_path: Path,
) -> None:
    reference = docx.Document()
    section = reference.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "Ministerie van Buitenlandse Zaken"
    path = tmp_path / "huisstijl.docx"
    reference.save(str(path))
    word = render_fiche(load(MINIMAL), "docx", reference=path, audience="internal")
    assert_valid_docx(word)
    texts = header_texts(word)
    assert sorted(texts) == sorted(
        [f"{CONCEPT} · {INTERN}\nMinisterie van Buitenlandse Zaken", f"{CONCEPT} · {INTERN}"]
    )


def test_the_bundled_reference_document_is_valid_word() -> None:
    from fichegen.render.docx import DEFAULT_REFERENCE

    assert_valid_docx(DEFAULT_REFERENCE.read_bytes())


def test_templates_that_drop_the_notes_cannot_make_an_internal_copy(tmp_path: Path) -> None:
    from fichegen.render.markdown import TEMPLATES

    # A ministry's own building blocks whose note macro writes nothing.
    blocks = (TEMPLATES / "_fiche.md.j2").read_text("utf-8")
    start = blocks.index("{%- macro note(text) %}")
    end = blocks.index("{% endmacro -%}", start)
    blocks = blocks[:start] + "{%- macro note(text) %}\n" + blocks[end:]
    (tmp_path / "_fiche.md.j2").write_text(blocks, "utf-8")
    for fmt in ("docx", "pdf"):  # pdf: refused before LibreOffice is even started
        with pytest.raises(InputError) as caught:
            render_fiche(load(NOTED), fmt, audience="internal", templates=tmp_path)
        assert "none of the fiche's internal notes" in caught.value.problems[0].message
    # The public version needs no note, so it renders.
    assert render_fiche(load(NOTED), "docx", templates=tmp_path).startswith(b"PK")


# -- 3. every condition and concern ------------------------------------------------------------


def plain(markdown: str) -> str:
    """The words a reader sees in Markdown, whitespace collapsed, markup gone."""
    words: list[str] = []
    for token in MARKDOWN.parse(markdown):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        words.append(" ")
    return " ".join("".join(words).split())


def word_body(data: bytes) -> tuple[str, str]:
    """(the paragraphs, the tables) of a .docx as python-docx reads them, whitespace collapsed."""
    document = docx.Document(io.BytesIO(data))
    body = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    return " ".join(body.split()), " ".join(cells.split())


def entries(action: Action) -> list[tuple[str, str]]:
    kinds = [("voorwaarde", action.conditions), ("zorg", action.concerns)]
    return [(kind, str(entry)) for kind, texts in kinds for entry in texts]


def assert_everything_shown(fiche: Fiche) -> None:
    for annex in ([], [Annex.STANCE_OVERVIEW]):
        variant = dataclasses.replace(fiche, annex=annex)
        markdown = render_fiche(variant, "md").decode("utf-8")
        body_md, _, annex_md = markdown.partition("\n## Bijlage")
        body_md, annex_md = plain(body_md), plain(annex_md)
        body_word, tables = word_body(render_fiche(variant, "docx"))
        for action in variant.iter_actions():
            for kind, entry in entries(action):
                text = plain(prose(entry))
                where = f"{kind} of {action.id}: {text!r}"
                assert text in body_md, f"{where} missing from the Markdown body"
                assert text in body_word, f"{where} missing from the Word body"
                if annex:  # a table cell holds the text on one line
                    one_line = plain(prose(" ".join(entry.split())))
                    assert one_line in annex_md, f"{where} not in the annex"
                    assert one_line in tables or text in tables, f"{where} not in the annex"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_every_condition_and_concern_of_the_examples_is_in_the_body(path: Path) -> None:
    fiche = read_fiche(path)
    assert any(entries(action) for action in fiche.iter_actions())
    assert_everything_shown(fiche)


def test_an_action_with_its_own_text_still_lists_its_conditions_and_concerns() -> None:
    text = MINIMAL.replace(
        "        stance: support\n",
        "        stance: critical\n"
        "        position: Het kabinet heeft een eigen tekst.\n"
        "        conditions: [Eerst een evaluatie]\n"
        "        concerns: [De kosten, De uitvoering]\n",
    )
    markdown = render_fiche(load(text), "md").decode("utf-8")
    assert (
        "Het kabinet heeft een eigen tekst.\n\n"
        "Het kabinet stelt daarbij de volgende voorwaarde:\n\n- Eerst een evaluatie\n\n"
        "De zorgen van het kabinet betreffen:\n\n- De kosten\n- De uitvoering\n"
    ) in markdown


@FUZZ
@given(fiches())
def test_every_condition_and_concern_of_a_generated_fiche_is_in_the_body(
    data: dict[str, Any],
) -> None:
    try:
        result = validate(parse_source(dump_yaml(data), "fuzz.yaml"))
    except FichegenError:
        assume(False)
        return
    assume(result.fiche is not None and not result.errors)
    assert result.fiche is not None
    assert_everything_shown(dataclasses.replace(result.fiche, status=Status.FINAL))
