"""The Word writer: Markdown -> .docx, read back independently with python-docx and lxml."""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it.token import Token

from fichegen.errors import FichegenError, InputError, UsageError
from fichegen.render.docx import DEFAULT_REFERENCE, DocumentInfo, render_docx
from fichegen.render.docx.dump import dump_docx
from fichegen.render.docx.oxml.numbering import NumberingPart
from fichegen.render.docx.reference import load_reference
from fichegen.render.docx.writer import DocxWriter

SAMPLES = Path(__file__).parent / "docx_samples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
SHADING = {"steun": "C6EFCE", "steun onder voorwaarden": "FFEB9C", "kritisch": "FFC7CE"}
INFO = DocumentInfo(
    title="Fiche: Mededeling over het EU actieplan tegen drugshandel",
    subject="COM(2025) 744",
    cell_shading=SHADING,
    source_path="positions/drugs.md",
)
SMALL = (SAMPLES / "small.md").read_text(encoding="utf-8")


def render(markdown: str, info: DocumentInfo = INFO, reference: Path | None = None) -> bytes:
    return render_docx(textwrap.dedent(markdown), info, reference)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def xstr(el: etree._Element, path: str) -> str:
    """The string value of an XPath expression (empty when nothing matches)."""
    # Called unbound: python-docx's element classes override xpath() without namespaces.
    return str(etree._Element.xpath(el, f"string({path})", namespaces=NS))


def xall(el: etree._Element, path: str) -> list[str]:
    """The values an XPath expression selects, as strings."""
    return [str(value) for value in etree._Element.xpath(el, path, namespaces=NS)]


def style_of(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""


# -- styles and text ------------------------------------------------------------------------------


def test_headings_get_title_and_heading_styles_in_document_order() -> None:
    doc = open_docx(render(SMALL))
    headings = [
        (style_of(p), p.text)
        for p in doc.paragraphs
        if style_of(p) in ("Title", "Heading 1", "Heading 2")
    ]
    assert headings == [
        ("Title", "Fiche: Mededeling over het EU actieplan tegen drugshandel"),
        ("Heading 1", "1. Algemene gegevens"),
        ("Heading 2", "a) Titel voorstel"),
        ("Heading 2", "d) EUR-Lex"),
        (
            "Heading 2",
            "e) Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing",
        ),
        ("Heading 1", "2. Essentie voorstel"),
        ("Heading 1", "Bijlage: overzicht kabinetspositie per actie"),
    ]


def test_heading_styles_carry_outline_levels_for_navigation_and_toc() -> None:
    styles = part(render(SMALL), "word/styles.xml")
    for level in (1, 2):
        outline = styles.xpath(
            f"w:style[w:name/@w:val='heading {level}']/w:pPr/w:outlineLvl/@w:val", namespaces=NS
        )
        assert outline == [str(level - 1)]


def test_body_text_is_normal_with_italic_and_bold_runs() -> None:
    doc = open_docx(render("Een *integrale* aanpak met **veiligheid**\nover twee regels.\n"))
    (p,) = doc.paragraphs
    assert style_of(p) == "Normal"
    assert p.text == "Een integrale aanpak met veiligheid over twee regels."
    assert [(r.text, r.italic, r.bold) for r in p.runs] == [
        ("Een ", None, None),
        ("integrale", True, None),
        (" aanpak met ", None, None),
        ("veiligheid", None, True),
        (" over twee regels.", None, None),
    ]


def test_deeper_headings_blockquotes_rules_and_code_have_their_own_styles() -> None:
    doc = open_docx(render("#### Vier\n\n> Citaat\n\n---\n\nTekst met `code`.\n"))
    styles = [style_of(p) for p in doc.paragraphs]
    assert styles == ["Heading 3", "Quote", "Normal", "Normal"]
    assert doc.paragraphs[2]._p.find("w:pPr/w:pBdr/w:bottom", NS) is not None
    code_run = doc.paragraphs[3].runs[-2]
    assert (code_run.text, code_run.font.name) == ("code", "Courier New")


def test_characters_xml_cannot_carry_are_dropped_and_tabs_kept() -> None:
    doc = open_docx(render("Een\x0bverticale\ttab.\n"))
    assert doc.paragraphs[0].text == "Eenverticale\ttab."


# -- footnotes ------------------------------------------------------------------------------------


def footnotes_of(data: bytes) -> dict[str, str]:
    root = part(data, "word/footnotes.xml")
    return {
        xstr(note, "@w:id"): "".join(note.itertext()).strip()
        for note in root.findall("w:footnote", NS)
        if note.get(w("type")) is None
    }


def test_footnotes_are_word_footnotes_referenced_in_document_order() -> None:
    data = render(SMALL)
    document = part(data, "word/document.xml")
    refs = [r.get(w("id")) for r in document.iter(w("footnoteReference"))]
    assert refs == ["1", "2", "3", "4"]
    assert footnotes_of(data) == {
        "1": "Zie de brief over impact assessments.",
        "2": "BNC fiche EU drugsstrategie",
        "3": "Maritime Analysis and Operations Centre – Narcotics.",
        "4": "BNC fiche EU drugsstrategie",  # the second reference to [^drugsstrategie]
    }
    # The reference sits right after the word it belongs to, in a heading as in text.
    heading = open_docx(data).paragraphs[6]
    assert style_of(heading) == "Heading 2"
    assert heading._p.xpath("string(w:r[last()]/w:footnoteReference/@w:id)") == "1"


def test_footnotes_part_has_separators_styles_and_number_marks() -> None:
    data = render(SMALL)
    root = part(data, "word/footnotes.xml")
    kinds = [(n.get(w("type")), n.get(w("id"))) for n in root.findall("w:footnote", NS)[:2]]
    assert kinds == [("separator", "-1"), ("continuationSeparator", "0")]
    assert xall(part(data, "word/settings.xml"), "w:footnotePr/w:footnote/@w:id") == ["-1", "0"]
    styles = open_docx(data).styles
    text_style = xstr(root, "w:footnote[@w:id='2']/w:p/w:pPr/w:pStyle/@w:val")
    assert styles.get_by_id(text_style, WD_STYLE_TYPE.PARAGRAPH).name == "footnote text"
    mark_style = xstr(root, "w:footnote[@w:id='2']/w:p/w:r[w:footnoteRef]/w:rPr/w:rStyle/@w:val")
    ref_style = styles.get_by_id(mark_style, WD_STYLE_TYPE.CHARACTER)
    assert isinstance(ref_style, CharacterStyle)
    assert ref_style.name == "footnote reference"
    assert ref_style.font.superscript is True


def test_footnote_text_keeps_links_and_emphasis() -> None:
    data = render("Tekst[^a].\n\n[^a]: Zie [de brief](https://example.nl/brief) over *lasten*.\n")
    notes = part(data, "word/footnotes.xml")
    rels = part(data, "word/_rels/footnotes.xml.rels")
    (rel,) = rels.findall("{*}Relationship")
    assert (rel.get("Id"), rel.get("Target"), rel.get("TargetMode")) == (
        xstr(notes, "w:footnote[@w:id='1']//w:hyperlink/@r:id"),
        "https://example.nl/brief",
        "External",
    )
    assert xstr(notes, "w:footnote[@w:id='1']//w:r[w:rPr/w:i]/w:t") == "lasten"


def test_a_footnote_cannot_refer_to_another_footnote() -> None:
    with pytest.raises(InputError, match="cannot refer to another footnote"):
        render("Tekst[^a].\n\n[^a]: Zie[^b].\n[^b]: Dieper.\n")


# -- lists ----------------------------------------------------------------------------------------


def numbering_of(data: bytes) -> dict[str, tuple[list[str], dict[str, str]]]:
    """numId -> (numFmt per level of its abstractNum, {ilvl: startOverride})."""
    root = part(data, "word/numbering.xml")
    formats = {
        xstr(a, "@w:abstractNumId"): xall(a, "w:lvl/w:numFmt/@w:val")
        for a in root.findall("w:abstractNum", NS)
    }
    return {
        xstr(num, "@w:numId"): (
            formats[xstr(num, "w:abstractNumId/@w:val")],
            {
                xstr(o, "@w:ilvl"): xstr(o, "w:startOverride/@w:val")
                for o in num.findall("w:lvlOverride", NS)
            },
        )
        for num in root.findall("w:num", NS)
    }


def list_paragraphs(data: bytes) -> list[tuple[str, str, str, str]]:
    """(style, numId, ilvl, text) for every paragraph with numbering."""
    return [
        (
            style_of(p),
            xstr(p._p, "w:pPr/w:numPr/w:numId/@w:val"),
            xstr(p._p, "w:pPr/w:numPr/w:ilvl/@w:val"),
            p.text,
        )
        for p in open_docx(data).paragraphs
        if p._p.find("w:pPr/w:numPr", NS) is not None
    ]


def test_bullets_and_nested_bullets_use_list_bullet_with_levels() -> None:
    data = render("- een\n- twee\n  - diep\n")
    items = list_paragraphs(data)
    assert [(s, lvl, t) for s, _, lvl, t in items] == [
        ("List Bullet", "0", "een"),
        ("List Bullet", "0", "twee"),
        ("List Bullet", "1", "diep"),
    ]
    numbering = numbering_of(data)
    assert {numbering[num][0][int(lvl)] for _, num, lvl, _ in items} == {"bullet"}
    assert numbering[items[2][1]][1] == {"1": "1"}  # the nested list is a w:num of its own


def test_every_ordered_list_restarts_at_its_own_first_number() -> None:
    data = render("1. a\n2. b\n\nTussen.\n\n1. c\n2. d\n\nEn:\n\n3. e\n4. f\n")
    items = list_paragraphs(data)
    assert [s for s, *_ in items] == ["List Number"] * 6
    num_ids = [num for _, num, _, _ in items]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3] != num_ids[4]
    numbering = numbering_of(data)
    assert [numbering[n][1] for n in dict.fromkeys(num_ids)] == [{"0": "1"}, {"0": "1"}, {"0": "3"}]
    assert {numbering[n][0][0] for n in num_ids} == {"decimal"}


def test_item_holding_only_a_nested_list_keeps_its_number_before_the_nested_items() -> None:
    items = list_paragraphs(render("1. - binnen\n2. twee\n"))
    assert [(lvl, text) for _, _, lvl, text in items] == [("0", ""), ("1", "binnen"), ("0", "twee")]


def test_second_paragraph_of_a_list_item_is_indented_without_a_number() -> None:
    doc = open_docx(render("1. eerste\n\n   vervolg\n2. tweede\n"))
    second = doc.paragraphs[1]
    assert second.text == "vervolg"
    assert xstr(second._p, "w:pPr/w:numPr/w:numId/@w:val") == "0"
    assert xstr(second._p, "w:pPr/w:ind/@w:left") == "360"


# -- links and tables -----------------------------------------------------------------------------


def test_links_are_hyperlinks_to_external_relationships() -> None:
    data = render(SMALL)
    doc = open_docx(data)
    (link,) = [h for p in doc.paragraphs for h in p.hyperlinks]
    assert link.text == "EUR-Lex - 52025DC0744 - EN - EUR-Lex"
    assert link.address == (
        "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=COM%3A2025%3A744%3AFIN"
    )
    assert doc.part.rels[link._hyperlink.rId].is_external
    assert link.runs[0].style.name == "Hyperlink"


def test_table_header_repeats_and_stance_cells_are_shaded() -> None:
    doc = open_docx(render(SMALL))
    (table,) = doc.tables
    style = doc.styles.get_by_id(xstr(table._tbl, "w:tblPr/w:tblStyle/@w:val"), WD_STYLE_TYPE.TABLE)
    assert style.name == "Table Grid"
    assert style.element.find("w:tblPr/w:tblBorders/w:insideH", NS) is not None
    rows = table.rows
    assert [r._tr.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True] + [False] * 3
    # no row breaks across a page: a stance and its condition are read together
    assert all(r._tr.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    fills = {
        cell.text: xstr(cell._tc, "w:tcPr/w:shd/@w:fill") for row in rows[1:] for cell in row.cells
    }
    assert fills == {
        "1. Vervoersgegevens": "",
        "steun": "C6EFCE",
        "": "",
        "2. MAOC-N": "",
        "steun onder voorwaarden": "FFEB9C",
        "uitbreiding mag effectiviteit niet schaden": "",
        "3. Frontex": "",
        "kritisch": "FFC7CE",
        "geen extra taken zonder middelen": "",
    }
    assert all(run.bold for cell in rows[0].cells for run in cell.paragraphs[0].runs)


def test_cell_shading_colour_must_be_hex() -> None:
    info = DocumentInfo("Fiche: x", "COM(2025) 1", cell_shading={"steun": "green"})
    with pytest.raises(InputError, match="'green', not a colour"):
        render("| a |\n|---|\n| steun |\n", info)


# -- page, properties, language -------------------------------------------------------------------


def sect_pr(data: bytes) -> etree._Element:
    found = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    assert found is not None
    return found


def test_page_is_a4_with_page_numbers_in_the_footer() -> None:
    data = render(SMALL)
    assert xall(sect_pr(data), "w:pgSz/@w:w | w:pgSz/@w:h") == ["11906", "16838"]
    footer = open_docx(data).sections[0].footer
    instructions = [str(t.text).strip() for t in footer._element.iter(w("instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Pagina ")


def test_default_language_is_dutch_and_follows_document_info() -> None:
    lang = "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val"
    assert part(render(SMALL), "word/styles.xml").xpath(lang, namespaces=NS) == ["nl-NL"]
    english = DocumentInfo("Fiche: x", "COM(2025) 1", language="en-GB")
    assert part(render("Text.\n", english), "word/styles.xml").xpath(lang, namespaces=NS) == [
        "en-GB"
    ]


def test_core_properties_are_fixed() -> None:
    props = open_docx(render(SMALL)).core_properties
    assert props.title == "Fiche: Mededeling over het EU actieplan tegen drugshandel"
    assert props.subject == "COM(2025) 744"
    assert props.language == "nl-NL"
    assert props.revision == 1
    assert (props.author, props.last_modified_by) == ("", "")
    assert props.created == props.modified == datetime(1980, 1, 1, tzinfo=UTC)


def test_body_text_of_the_reference_document_is_not_copied() -> None:
    assert b"Lopende tekst" in zipfile.ZipFile(DEFAULT_REFERENCE).read("word/document.xml")
    assert "Lopende tekst" not in dump_docx(render(SMALL))


# -- reproducibility ------------------------------------------------------------------------------


def test_same_input_gives_byte_identical_output(tmp_path: Path) -> None:
    first = render(SMALL)
    assert render(SMALL) == first
    copy = tmp_path / "reference.docx"  # loaded afresh, not from the cache
    copy.write_bytes(DEFAULT_REFERENCE.read_bytes())
    assert render(SMALL, reference=copy) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_zip_and_document_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = render(SMALL)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    assert open_docx(data).core_properties.created == datetime(2026, 1, 1, tzinfo=UTC)
    assert render(SMALL) == data


def test_malformed_source_date_epoch_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "gisteren")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH is 'gisteren'"):
        render(SMALL)


# -- reference documents --------------------------------------------------------------------------


def make_reference(path: Path, edit: Callable[[docx.document.Document], None]) -> Path:
    """A reference made the way a ministry would: python-docx's (Word's) default template."""
    doc = docx.Document()
    edit(doc)
    doc.save(str(path))
    return path


def georgia_with_wide_margins(doc: docx.document.Document) -> None:
    doc.styles["Normal"].font.name = "Georgia"
    doc.styles["Normal"].font.size = Pt(12)
    doc.sections[0].left_margin = Cm(4)
    doc.sections[0].right_margin = Cm(1.5)
    doc.add_paragraph("Voorbeeldtekst die niet in de fiche hoort.")


def test_custom_reference_changes_fonts_and_margins(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ministerie.docx", georgia_with_wide_margins)
    data = render(SMALL, reference=reference)
    doc = open_docx(data)
    assert doc.styles["Normal"].font.name == "Georgia"
    assert doc.styles["Normal"].font.size == Pt(12)
    margins = sect_pr(data).find("w:pgMar", NS)
    assert margins is not None
    assert (margins.get(w("left")), margins.get(w("right"))) == ("2268", "850")  # 4 and 1.5 cm
    assert "Voorbeeldtekst" not in dump_docx(data)
    # The bundled house style is not used at all.
    default = open_docx(render(SMALL))
    assert default.styles["Normal"].font.name is None  # Arial comes from docDefaults
    assert xstr(sect_pr(render(SMALL)), "w:pgMar/@w:left") == "1417"


def test_styles_missing_from_a_reference_are_added_from_our_defaults(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "kaal.docx", georgia_with_wide_margins)
    before = open_docx(reference.read_bytes()).styles
    assert "footnote text" not in [s.name for s in before]
    doc = open_docx(render(SMALL, reference=reference))
    note_style = doc.styles["footnote text"]
    assert note_style.base_style.name == "Normal"  # so it takes the reference's Georgia
    assert note_style.font.size == Pt(8)
    assert doc.styles["footnote reference"].font.superscript is True
    assert doc.styles["Hyperlink"].type == WD_STYLE_TYPE.CHARACTER
    # Styles the reference has are its own, not ours.
    assert doc.styles["Heading 1"].font.size == before["Heading 1"].font.size


def test_reference_style_of_the_wrong_type_is_an_input_error(tmp_path: Path) -> None:
    def paragraph_hyperlink(doc: docx.document.Document) -> None:
        doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.PARAGRAPH)

    reference = make_reference(tmp_path / "fout.docx", paragraph_hyperlink)
    with pytest.raises(InputError) as caught:
        render(SMALL, reference=reference)
    assert "style 'Hyperlink'" in str(caught.value)
    assert "is a paragraph style, but a fiche needs it as a character style" in str(caught.value)
    assert caught.value.problems[0].location.path.endswith("fout.docx")


def test_unreadable_reference_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"geen zip")
    with pytest.raises(InputError, match="not a Word document"):
        render(SMALL, reference=broken)
    with pytest.raises(InputError, match="cannot read reference document"):
        render(SMALL, reference=tmp_path / "bestaat-niet.docx")


# -- errors ---------------------------------------------------------------------------------------


def test_unknown_token_type_is_an_error_citing_its_line() -> None:
    reference = load_reference(None)
    writer = DocxWriter(
        reference.style_ids,
        NumberingPart(None),
        text_width=9000,
        shading={},
        source="fiche.md",
        first_rid=10,
    )
    tokens = [Token("paragraph_open", "p", 1, map=[6, 7]), Token("s_open", "s", 1)]
    with pytest.raises(InputError) as caught:
        writer.render(tokens)
    assert str(caught.value) == "fiche.md:7: error: cannot write Markdown element 's_open' to Word"


def test_images_and_raw_html_are_errors_but_comments_are_dropped() -> None:
    with pytest.raises(InputError, match=r"drugs\.md:3: error: a fiche cannot contain images"):
        render("Tekst.\n\n![figuur](x.png)\n")
    with pytest.raises(InputError, match=r"drugs\.md:1: error: raw HTML"):
        render("<div>blok</div>\n")
    assert "notitie" not in dump_docx(render("<!-- notitie -->\n\nTekst <!-- ook -->.\n"))


MARKDOWN_PIECES = st.sampled_from(
    [
        *("# ", "## ", "- ", "1. ", "3. ", "   ", "\n", "\n\n", "> ", "*", "**", "`", "---\n"),
        *("\\", "[^a]", "[^b]", "\n\n[^a]: Noot *a*.\n", "[^b]: [link](https://e.nl)\n"),
        *("^[inline]", "| a | b |\n|---|--:|\n| steun | x |\n", "[x](https://e.nl)", "\t"),
        "<!-- c -->",
    ]
)
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MARKDOWN_PIECES, ANY_TEXT), max_size=25).map("".join))
def test_any_markdown_gives_a_readable_docx_or_a_fichegen_error(text: str) -> None:
    try:
        data = render_docx(text, INFO)
    except FichegenError:
        return
    open_docx(data)
    dump_docx(data)


# -- dump, speed, imports -------------------------------------------------------------------------


def test_dump_of_the_sample(golden: Callable[[Path, str], None]) -> None:
    golden(SAMPLES / "small.dump", dump_docx(render(SMALL)))


def test_long_fiche_renders_well_within_the_time_budget() -> None:
    markdown = (SAMPLES / "long.md").read_text(encoding="utf-8")
    render_docx(markdown, INFO)  # warm-up: parser and reference load once per process
    times = []
    for _ in range(7):
        start = time.process_time()
        render_docx(markdown, INFO)
        times.append(time.process_time() - start)
    # ~10 ms on a developer machine; python-docx's proxy objects alone would take 250 ms.
    assert statistics.median(times) < 0.1


def test_rendering_does_not_import_python_docx() -> None:
    code = (
        "import sys; from fichegen.render.docx import DocumentInfo, render_docx; "
        "render_docx('# T\\n\\nTekst[^a].\\n\\n[^a]: Noot.\\n', DocumentInfo('T', 'S')); "
        "print('docx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_a_word_template_works_as_reference_and_gives_a_document(tmp_path: Path) -> None:
    template = tmp_path / "huisstijl.dotx"
    with zipfile.ZipFile(DEFAULT_REFERENCE) as source, zipfile.ZipFile(template, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, data)
    data = render(SMALL, reference=template)
    types = part(data, "[Content_Types].xml")
    main = types.find("{*}Override[@PartName='/word/document.xml']")
    assert main is not None
    assert main.get("ContentType", "").endswith("wordprocessingml.document.main+xml")
    assert open_docx(data).paragraphs[0].text.startswith("Fiche: Mededeling")
