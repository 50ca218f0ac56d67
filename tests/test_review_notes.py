"""Co-readers' Word comments (internal_review_notes) in the internal version, and nowhere else.

The full Markdown and Word output is in the golden cases
`tests/golden/review-notes-*-intern/`; here is what a reader relies on.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

from fichegen.absorb.run import run_absorb
from fichegen.errors import InputError
from fichegen.pipeline import read_fiche, render_fiche, word_for_pdf
from fichegen.serve.html import markdown_to_html
from wordcheck import assert_valid_docx

GOLDEN = Path(__file__).parent / "golden"
LEGISLATIVE = GOLDEN / "review-notes-legislative-intern" / "input.yaml"
COMMUNICATION = GOLDEN / "review-notes-communication-intern" / "input.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LABEL = "Opmerking meelezer (intern)"
# Words that stand only in the review notes of the two inputs.
SECRETS = ["Piet (EZK)", "Anna (BZ)", "Kees (Fin)", "positief?", "BNC.", "havens*", "begroot"]


def part(docx: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        return archive.read(name).decode("utf-8") if name in archive.namelist() else ""


def internal_md(path: Path) -> str:
    return render_fiche(read_fiche(path), "md", audience="internal").decode("utf-8")


def section(markdown: str, heading: str) -> str:
    """The text under a heading, up to the next heading."""
    start = markdown.index(heading)
    following = re.search(r"^#{1,3} ", markdown[start + len(heading) :], re.MULTILINE)
    return markdown[start : start + len(heading) + following.start() if following else None]


def test_a_review_note_stands_after_the_text_it_is_on_with_who_when_and_the_words() -> None:
    markdown = internal_md(LEGISLATIVE)
    assessment = section(markdown, "### b) Beoordeling + inzet")
    text = assessment.index("Het kabinet verwelkomt het voorstel.")
    note = assessment.index(
        f"> **{LABEL}:** Piet (EZK), 30-11-2026 10:00, bij 3b Beoordeling + inzet, "
        "op \u201eHet kabinet verwelkomt het voorstel.\u201d\n>\n> Is dit niet *te* positief?\n"
        ">\n> *Antwoord van Marie (JenV), 30-11-2026 11:30:* Nee, zo afgesproken in de BNC.\n"
    )
    assert text < note
    # The note on element 2's position stands after that position, before element 3's.
    position = assessment.index(f"> **{LABEL}:** Anna (BZ), 30-11-2026 12:00, bij onderdeel 2")
    element_2 = assessment.index("Het kabinet steunt het generieke verbod op designerprecursoren.")
    assert element_2 < position < assessment.index("Het kabinet steunt onderdeel 3 (")
    implementation = section(markdown, "## 6. Implicaties voor uitvoering")
    assert "Joost (IenW), 30-11-2026 14:00" in implementation


def test_a_note_on_no_field_in_the_text_goes_to_a_block_at_the_end() -> None:
    markdown = internal_md(COMMUNICATION)
    block = markdown[markdown.index("## Opmerkingen van meelezers (intern)") :]
    assert f"> **{LABEL}:** Kees (Fin), bij voetnoot actieplan\n>\n> Bron van dit cijfer?" in block
    assert block.count(LABEL) == 1
    # Each note is shown once, wherever it stands.
    assert markdown.count(f"**{LABEL}:**") == 5


@pytest.mark.parametrize("path", [LEGISLATIVE, COMMUNICATION])
def test_public_versions_hold_no_review_note(path: Path) -> None:
    fiche = read_fiche(path)
    outputs = [render_fiche(fiche, "md").decode("utf-8")]
    docx = render_fiche(fiche, "docx", anchors=True, source_path=str(path))
    with zipfile.ZipFile(BytesIO(docx)) as archive:  # every part: comments, properties
        outputs += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    outputs.append(part(word_for_pdf(fiche), "word/document.xml"))
    for output in outputs:
        assert "meelezer" not in output
        for secret in SECRETS:
            assert secret not in output


@pytest.mark.parametrize("path", [LEGISLATIVE, COMMUNICATION])
def test_internal_word_file_is_valid_and_has_each_note_as_a_comment_by_its_author(
    path: Path,
) -> None:
    fiche = read_fiche(path)
    docx = render_fiche(fiche, "docx", audience="internal", anchors=True, source_path=str(path))
    assert_valid_docx(docx)
    comments = etree.fromstring(part(docx, "word/comments.xml").encode())
    by_author = {
        (c.get(f"{{{W}}}author"), c.get(f"{{{W}}}date")): "\n".join(
            "".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in c.iter(f"{{{W}}}p")
        )
        for c in comments.iter(f"{{{W}}}comment")
    }
    for note in fiche.internal_review_notes:
        text = by_author[(note.author, note.date or None)]
        assert text.startswith(f"{LABEL}: {note.author}")
        assert note.text.replace("*", "") in text
        for reply in note.replies:
            assert f"Antwoord van {reply.author}" in text and reply.text in text
    # Each comment is anchored: its range and its reference are in the text.
    document = part(docx, "word/document.xml")
    for number in range(len(by_author)):
        assert f'<w:commentRangeStart w:id="{number}"/>' in document
        assert f'<w:commentReference w:id="{number}"/>' in document
    assert f"{LABEL}:" not in document  # the notes are comments, not text


def test_the_pdf_shows_the_notes_in_the_text_marked_with_their_label() -> None:
    fiche = read_fiche(LEGISLATIVE)
    word = word_for_pdf(fiche, audience="internal")
    document = part(word, "word/document.xml")
    assert document.count(LABEL) == len(fiche.internal_review_notes)
    assert "Is dit niet " in document and "Antwoord van Marie (JenV)" in document


def test_absorbing_the_internal_version_takes_no_note_in_twice(tmp_path: Path) -> None:
    positions = tmp_path / "positions" / "fiche.yaml"
    positions.parent.mkdir()
    shutil.copy(LEGISLATIVE, positions)
    docx = tmp_path / "fiche-intern.docx"
    docx.write_bytes(
        render_fiche(
            read_fiche(positions),
            "docx",
            audience="internal",
            anchors=True,
            source_path=str(positions),
        )
    )
    before = positions.read_bytes()
    run_absorb(docx, positions, force=True)
    assert positions.read_bytes() == before


def test_the_web_preview_marks_review_notes_as_internal() -> None:
    html = markdown_to_html(internal_md(LEGISLATIVE), {}, ("Interne notitie", LABEL))
    assert html.count('<blockquote class="intern">\n<p><strong>Opmerking meelezer') == 5


def test_own_templates_that_leave_the_notes_out_are_refused(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[1] / "templates" / "legislative.md.j2"
    own = tmp_path / "sjablonen"
    own.mkdir()
    text = bundled.read_text("utf-8").replace("{{ r.review_rest() }}", "")
    (own / "legislative.md.j2").write_text(text, "utf-8")
    fiche = read_fiche(LEGISLATIVE)
    with pytest.raises(InputError) as caught:
        render_fiche(fiche, "md", audience="internal", templates=own)
    assert "would leave out 1 review note(s)" in caught.value.problems[0].message
    # The public version does not need them.
    assert render_fiche(fiche, "md", templates=own)


def test_the_refusal_is_in_dutch(tmp_path: Path, dutch: None) -> None:
    bundled = Path(__file__).resolve().parents[1] / "templates" / "legislative.md.j2"
    own = tmp_path / "sjablonen"
    own.mkdir()
    text = bundled.read_text("utf-8").replace("{{ r.review_rest() }}", "")
    (own / "legislative.md.j2").write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        render_fiche(read_fiche(LEGISLATIVE), "md", audience="internal", templates=own)
    problem = caught.value.problems[0]
    assert problem.message == "de interne versie zou 1 opmerking(en) van meelezers weglaten"
    assert problem.hint is not None and "{{ r.review_rest() }}" in problem.hint


def test_build_and_serve_show_the_notes_only_in_the_internal_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from fichegen.cli import main
    from serving import make_repository, request, serving

    repository = make_repository(tmp_path / "repo")
    shutil.copy(LEGISLATIVE, repository / "positions" / "precursoren.yaml")
    monkeypatch.chdir(repository)
    for audience in ("public", "internal"):
        result = CliRunner().invoke(
            main, ["build", "--format", "md", "--jobs", "1", "--audience", audience]
        )
        assert result.exit_code == 0, result.output
    output = repository / "output"
    assert f"**{LABEL}:** Piet (EZK)" in (output / "precursoren-intern.md").read_text("utf-8")
    assert "Piet (EZK)" not in (output / "precursoren.md").read_text("utf-8")
    with serving(repository) as public:
        assert "Piet (EZK)" not in request(public, "/fiche/positions/precursoren.yaml").text
    with serving(repository, audience="internal") as internal:
        page = request(internal, "/fiche/positions/precursoren.yaml").text
        assert '<blockquote class="intern">\n<p><strong>Opmerking meelezer' in page
        assert "Piet (EZK)" in page


def test_a_ministrys_own_building_blocks_still_work_with_review_notes(tmp_path: Path) -> None:
    """The review macros live apart from _fiche.md.j2, which a ministry may have replaced."""
    bundled = Path(__file__).resolve().parents[1] / "templates" / "_fiche.md.j2"
    own = tmp_path / "sjablonen"
    own.mkdir()
    (own / "_fiche.md.j2").write_text(bundled.read_text("utf-8"), "utf-8")
    markdown = render_fiche(
        read_fiche(LEGISLATIVE), "md", audience="internal", templates=own
    ).decode("utf-8")
    assert markdown.count(f"**{LABEL}:**") == 5
