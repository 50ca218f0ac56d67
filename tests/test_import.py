"""fichegen import: foreign fiches (Word, PDF text, web page) become valid positions files."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from fichegen.cli import main
from fichegen.importing import plan_import
from fichegen.pipeline import check_file, read_fiche
from fichegen.read.errors import UnreadableError
from fichegen.read.labels import recognise
from fichegen.render.markdown import render_markdown
from fichegen.yamlwrite import dump_tree
from fuzzing import FUZZ, MARKUP_LINES, NASTY_CHARACTERS
from test_seed import markdown_words, seed_words, similarity

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "import"
SEED = DATA / "fiche-com-2025-744-actieplan-drugshandel.txt"


def run_import(tmp_path: Path, *sources: Path, extra: tuple[str, ...] = ()) -> Any:
    runner = CliRunner()
    out = tmp_path / "positions"
    args = ["import", *map(str, sources), "-o", f"{out}/", *extra]
    return runner.invoke(main, args, catch_exceptions=False), out


def load(path: Path) -> dict[str, Any]:
    return dict(YAML(typ="safe").load(path.read_text("utf-8")))


def imported(tmp_path: Path, source: Path) -> tuple[Path, dict[str, Any]]:
    result, out = run_import(tmp_path, source)
    assert result.exit_code == 0, result.output
    (path,) = sorted(out.glob("*.yaml"))
    validation = check_file(path)
    assert not validation.errors, [p.format() for p in validation.errors]
    return path, load(path)


def test_seed_text_imports_and_renders_back_to_the_published_words(tmp_path: Path) -> None:
    path, _tree = imported(tmp_path, SEED)
    assert path.name == "com-2025-744-actieplan-drugshandel.yaml"
    markdown = render_markdown(read_fiche(path))
    ratio = similarity(markdown_words(markdown), seed_words(SEED.read_text("utf-8")))
    assert ratio >= 0.98, ratio


def test_seed_section_1_becomes_structured_fields(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, SEED)
    general = tree["general"]
    assert tree["type"] == "communication"
    assert tree["title"] == "Mededeling over het EU actieplan tegen drugshandel"
    assert general["proposal_title"].startswith("MEDEDELING VAN DE COMMISSIE")
    assert general["date_received"] == "4 December 2025"
    assert general["com_numbers"] == ["COM(2025) 744"]
    assert general["eurlex"] == [
        {
            "url": "https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=COM%3A2025%3A744%3AFIN",
            "label": "EUR-Lex - 52025DC0744 - EN - EUR-Lex",
        }
    ]
    assert general["impact_assessment"] == "Niet opgesteld."
    assert general["council_formation"] == "Raad Justitie en Binnenlandse Zaken"
    assert general["lead_ministry"] == "Ministerie van Justitie en Veiligheid."
    verdicts = {key: tree["grounds"][key]["verdict"] for key in ("competence", "subsidiarity")}
    assert verdicts == {"competence": "positive", "subsidiarity": "positive"}


def test_seed_footnotes_at_page_bottoms_are_reattached(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, SEED)
    notes = tree["footnotes"]
    assert list(notes) == ["1", "2", "3", "4", "5", "6"]
    assert notes["3"] == "Drugsagentschap van de Europese Unie"
    assert "(https://zoek.officielebekendmakingen.nl/kst-29911-355.pdf)" in notes["5"]
    assert "drugsstrategie[^1] zich" in tree["essence"]
    assert "MAOC-N[^2] te" in tree["areas"][0]["actions"][1]["summary"]
    # the footnote text is not left in the body, and a page break does not split a sentence
    assert "BNC fiche EU drugsstrategie" not in tree["essence"]
    assert "voor de aanpak van drugshandel en georganiseerde criminaliteit" in tree["essence"]


def test_seed_actions_and_areas_are_recognised_where_the_text_names_them(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, SEED)
    areas = tree["areas"]
    assert len(areas) == 6
    assert [action["id"] for area in areas for action in area["actions"]] == list(range(1, 20))
    assert areas[1]["title"].startswith("Preventie van drugscriminaliteit")
    actions = {action["id"]: action for area in areas for action in area["actions"]}
    assert actions[2]["summary"].endswith("te versterken (actie 2)")
    assert actions[3]["summary"].startswith("en Frontex in te zetten")
    assert actions[2]["position"].startswith("Actie 2 gaat over")
    assert (
        actions[9]["title"]
        == "Inzet van innovatieve detectietechnieken ter bestrijding van drugshandel"
    )
    # a stance is only guessed where the cabinet plainly supports; the rest is left open
    assert actions[1]["stance"] == "support"
    assert actions[19]["stance"] == "no_position"
    assert tree["essence"].rstrip().endswith("gegroepeerd in zes thematische gebieden.")
    assert (
        tree["dutch_position"]["assessment"]
        .rstrip()
        .endswith("waar dit actieplan betrekking op heeft.")
    )


def test_actions_not_named_in_both_sections_stay_prose(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, CORPUS / "mededeling-waterweerbaarheid.docx")
    assert "areas" not in tree


def test_articles_named_in_sections_2_and_3b_become_elements(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, CORPUS / "wetgeving-productpaspoort.docx")
    elements = tree["elements"]
    assert [element["id"] for element in elements] == [3, 9]
    assert elements[0]["summary"].startswith("Artikel 3 regelt")
    assert elements[1]["position"] == "Over artikel 9 is het kabinet kritisch."


def test_written_file_says_where_it_came_from(tmp_path: Path) -> None:
    path, _tree = imported(tmp_path, SEED)
    head = path.read_text("utf-8").splitlines()[:3]
    assert "fiche-com-2025-744-actieplan-drugshandel.txt" in head[1]
    assert head[0].startswith("# yaml-language-server: $schema=")


def test_word_communication_in_the_official_layout(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, CORPUS / "mededeling-waterweerbaarheid.docx")
    general = tree["general"]
    assert tree["type"] == "communication"
    assert tree["title"] == "Mededeling over een Europese strategie voor waterweerbaarheid"
    assert general["com_numbers"] == ["COM(2025) 280 final", "SWD(2025) 140"]
    assert general["date_received"] == "4 juni 2025"
    assert general["eurlex"][0]["url"].endswith("CELEX:52025DC0280")
    assert general["impact_assessment"] == "Niet opgesteld.[^1]"
    assert general["lead_ministry"].startswith("Ministerie van Infrastructuur en Waterstaat, in")
    assert "een **slimme** watereconomie" in tree["essence"]
    assert "- Een watereconomie die water *efficiënt* gebruikt." in tree["essence"]
    assert tree["footnotes"]["2"] == "Zie ook de Europese Green Deal, COM(2019) 640."
    grounds = tree["grounds"]
    assert grounds["subsidiarity"]["verdict"] == "positive_with_reservations"
    assert grounds["proportionality"]["verdict"] == "not_yet_assessable"
    assert grounds["proportionality"]["reasoning"] == "De acties zijn nog niet uitgewerkt."
    assert tree["developing_countries"].startswith("De strategie noemt waterdiplomatie")


def test_web_page_gives_the_same_fiche_as_the_word_file(tmp_path: Path) -> None:
    _a, word = imported(tmp_path / "a", CORPUS / "mededeling-waterweerbaarheid.docx")
    _b, html = imported(tmp_path / "b", CORPUS / "mededeling-waterweerbaarheid.html")
    assert html == word


def test_text_copied_from_the_web_page_gives_the_same_fields(tmp_path: Path) -> None:
    _a, word = imported(tmp_path / "a", CORPUS / "mededeling-waterweerbaarheid.docx")
    _b, copied = imported(tmp_path / "b", CORPUS / "mededeling-waterweerbaarheid-webkopie.txt")
    # a copy from the browser loses the emphasis; the page's menu (with a marker) and
    # footer are kept, as nothing is dropped
    essence, menu = copied["essence"].split("\n\n[INVULLEN: ")
    assert essence == word["essence"].replace("**", "").replace("*", "").rstrip()
    assert menu.endswith("Menu Zoeken\n")
    assert copied["developing_countries"] == (
        word["developing_countries"].rstrip() + "\n\nOfficiële bekendmakingen\n"
    )
    for key in ("general", "dutch_position", "grounds", "footnotes"):
        assert copied[key] == word[key], key


def test_word_legislative_proposal_with_several_documents_and_links(tmp_path: Path) -> None:
    _path, tree = imported(tmp_path, CORPUS / "wetgeving-productpaspoort.docx")
    general = tree["general"]
    assert tree["type"] == "legislative"
    assert general["com_numbers"] == ["COM(2023) 312", "JOIN(2023) 17 final", "9736/23"]
    assert [link["url"] for link in general["eurlex"]] == [
        "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2023:312:FIN",
        "http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:52023JC0017",
    ]
    assert general["date_received"] == "juni 2023"
    assert general["legal_basis"].startswith("Artikel 114 van het Verdrag")
    assert general["decision_procedure"] == "Gekwalificeerde meerderheid"
    assert general["parliament_role"] == "Medebeslissing"
    assert tree["impact_assessment_summary"] == "De Commissie heeft drie opties onderzocht."
    assert tree["grounds"]["proportionality"]["verdict"] == "negative"
    assert tree["grounds"]["competitiveness"] == "Het gelijke speelveld verbetert."
    assert tree["legal"]["implementation_deadline"] == "Twintig dagen na publicatie; dat is kort."
    assert tree["implementation"] == "De NVWA houdt toezicht."


@pytest.mark.parametrize("name", ["oud-2009-buspassagiers.txt", "oud-2009-buspassagiers.docx"])
def test_the_2007_template_with_label_value_lines(tmp_path: Path, name: str) -> None:
    path, tree = imported(tmp_path, CORPUS / name)
    general = tree["general"]
    assert tree["type"] == "legislative"
    assert general["proposal_title"].startswith("Voorstel voor een verordening")
    assert general["com_numbers"] == ["COM(2008) 817", "17247/08"]
    assert general["date_received"] == "10 december 2008"
    assert general["impact_assessment"] == "SEC(2008) 2954"
    assert general["eurlex"][0]["url"].startswith("http://ec.europa.eu/prelex/")
    assert tree["grounds"]["subsidiarity"] == {
        "verdict": "positive",
        "reasoning": "Het grensoverschrijdend busvervoer vraagt om gemeenschappelijke regels.",
    }
    assert tree["grounds"]["proportionality"]["verdict"] == "positive_with_reservations"
    assert tree["dutch_position"]["assessment"].startswith("Nederland steunt het voorstel")
    # items the current format has no field for are kept, marked, and listed by check
    assert "Ministerie van Economische Zaken" in general["lead_ministry"]
    assert "[INVULLEN: overgenomen tekst onder 'Betrokken ministeries'" in general["lead_ministry"]
    problems = [p.format() for p in check_file(path).problems]
    assert any("Betrokken ministeries" in p and "[placeholder]" in p for p in problems)


def test_nothing_of_the_source_is_dropped(tmp_path: Path) -> None:
    source = CORPUS / "oud-2009-buspassagiers.txt"
    path, _tree = imported(tmp_path, source)
    words = Counter(re.findall(r"\w+", path.read_text("utf-8").lower()))
    for line in source.read_text("utf-8").splitlines():
        heading = recognise(line, in_general=True)
        content = line if heading is None else heading.value
        if heading is not None and heading.key in ("subsidiarity", "proportionality"):
            continue  # 'Subsidiariteit: positief' became the verdict
        for word in re.findall(r"\w+", content.lower()):
            assert words[word], f"{word!r} of the source is missing"


def test_covering_letter_with_three_fiches_gives_three_files(tmp_path: Path) -> None:
    result, out = run_import(tmp_path, CORPUS / "brief-drie-fiches.txt")
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.yaml"))
    trees = {load(path)["title"]: load(path) for path in files}
    assert sorted(trees) == [
        "Aanbeveling over vaardigheden",
        "Mededeling over de Europese havenstrategie",
        "Verordening over kritieke geneesmiddelen",
    ]
    for path in files:
        assert not check_file(path).errors
    ports = trees["Mededeling over de Europese havenstrategie"]
    assert ports["kamerstuk"] == "22 112, nr. 4011"
    assert ports["publication"] == {
        "letter": "22 112, nr. 4010",
        "letter_date": "14 maart 2025",
        "minister": "C.C.J. Veldkamp",
    }
    assert trees["Verordening over kritieke geneesmiddelen"]["kamerstuk"] == ("22 112, nr. 4012")
    assert trees["Verordening over kritieke geneesmiddelen"]["type"] == "legislative"
    assert trees["Aanbeveling over vaardigheden"]["type"] == "communication"
    # the page header, the page-bottom footnote and the hyphenation are undone
    assessment = ports["dutch_position"]["assessment"]
    assert "niet tot vertraging mogen leiden." in assessment
    assert "Tweede Kamer" not in assessment
    assert "sabotage.[^1]" in ports["essence"]
    assert ports["footnotes"] == {"1": "Zie ook het Actieplan drugshandel, COM(2025) 744."}
    medicines = trees["Verordening over kritieke geneesmiddelen"]
    assert medicines["general"]["com_numbers"] == ["COM(2025) 102", "COM(2025) 103"]
    assert medicines["footnotes"] == {"2": "Critical Medicines Act."}
    assert (
        medicines["legal"]["national_regulation"] == "De Geneesmiddelenwet moet worden aangepast."
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("leeg.txt", "the file is empty"),
        ("geen-fiche.txt", "this is not a BNC fiche"),
        ("beschadigd.docx", "this Word file is damaged"),
        ("versleuteld.docx", "encrypted (password-protected)"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, name: str, message: str
) -> None:
    result, out = run_import(tmp_path, SEED, CORPUS / name)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_existing_output_is_kept_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "positions" / "com-2025-744-actieplan-drugshandel.yaml"
    target.parent.mkdir()
    target.write_text("mine\n", encoding="utf-8")
    result, _out = run_import(tmp_path, SEED)
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert target.read_text("utf-8") == "mine\n"
    result, _out = run_import(tmp_path, SEED, extra=("--force",))
    assert result.exit_code == 0
    assert target.read_text("utf-8").startswith("# yaml-language-server")


def test_one_output_file_for_a_letter_of_three_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "een.yaml"
    result = CliRunner().invoke(
        main, ["import", str(CORPUS / "brief-drie-fiches.txt"), "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "3 fiches to write" in result.output
    assert not target.exists()


def test_dutch_error_message(tmp_path: Path, dutch: None) -> None:
    result, _out = run_import(tmp_path, CORPUS / "leeg.txt")
    assert result.exit_code == 2
    assert "het bestand is leeg" in result.output


SEED_LINES = SEED.read_text("utf-8").splitlines()


def import_and_check(text: str, suffix: str = ".txt") -> None:
    """Import a text; either a clear UnreadableError, or files that pass check."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"fiche{suffix}"
        source.write_text(text, encoding="utf-8")
        try:
            planned = plan_import([source], Path(folder) / "out")
        except UnreadableError as exc:
            assert exc.exit_code == 2 and exc.problems
            return
        for number, item in enumerate(planned):
            target = Path(folder) / f"{number}.yaml"
            target.write_text(item.text, encoding="utf-8")
            assert YAML(typ="safe").load(item.text) == _with_final_breaks(item.fiche.tree)
            errors = check_file(target).errors
            assert not errors, [problem.format() for problem in errors]


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SEED_LINES)),
            st.sampled_from(MARKUP_LINES) | st.text(alphabet=NASTY_CHARACTERS + "ab 1.)*_[]"),
        ),
        max_size=6,
    )
)
def test_markup_and_odd_characters_in_a_fiche_still_import_to_a_valid_file(
    insertions: list[tuple[int, str]],
) -> None:
    lines = list(SEED_LINES)
    for position, line in sorted(insertions, reverse=True):
        lines.insert(position, line)
    import_and_check("\n".join(lines))


@FUZZ
@given(st.text(max_size=400), st.sampled_from([".txt", ".html"]))
def test_any_text_is_imported_or_refused_never_a_crash(text: str, suffix: str) -> None:
    import_and_check(text, suffix)


def test_section_1_as_a_table_in_word(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Fiche: Mededeling over bodemgezondheid")
    document.add_paragraph("1. Algemene gegevens")
    table = document.add_table(rows=0, cols=2)
    for label, value in [
        ("Titel voorstel", "Mededeling over bodemgezondheid"),
        ("Datum ontvangst Commissiedocument", "5 juli 2023"),
        ("Nr. Commissiedocument", "COM(2023) 416 (herziening van de strategie)"),
        ("EUR-Lex", "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2023:416:FIN"),
        ("Nr. impact assessment Commissie en Opinie Raad voor Regelgevingstoetsing", "Geen"),
        ("Behandelingstraject Raad", "Milieuraad"),
        ("Eerstverantwoordelijk ministerie", "Ministerie van LVVN"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for text in ("2. Essentie voorstel", "De bodem is ziek."):
        document.add_paragraph(text)
    source = tmp_path / "tabel.docx"
    document.save(str(source))
    _path, tree = imported(tmp_path, source)
    general = tree["general"]
    assert general["date_received"] == "5 juli 2023"
    assert general["com_numbers"] == ["COM(2023) 416"]
    assert general["council_formation"] == "Milieuraad"
    # the words beside the number are not lost: kept, marked, in item e
    assert "(herziening van de strategie)" in general["impact_assessment"]
    assert (
        "[INVULLEN: overgenomen tekst onder 'Nr. Commissiedocument'"
        in (general["impact_assessment"])
    )
    assert tree["essence"] == "De bodem is ziek."


def test_two_fiches_on_one_document_get_two_names(tmp_path: Path) -> None:
    result, out = run_import(
        tmp_path, SEED, CORPUS / "../fiche-com-2025-744-actieplan-drugshandel.txt"
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.glob("*.yaml")) == [
        "com-2025-744-actieplan-drugshandel-2.yaml",
        "com-2025-744-actieplan-drugshandel.yaml",
    ]


def _with_final_breaks(value: Any) -> Any:
    """The tree as written: prose over several lines ends with a line break."""
    if isinstance(value, dict):
        return {key: _with_final_breaks(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_final_breaks(item) for item in value]
    if isinstance(value, str) and "\n" in value.strip("\n"):
        return value.rstrip("\n") + "\n"
    return value


@FUZZ
@given(
    st.recursive(
        st.text(max_size=40) | st.integers(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(min_size=1, max_size=8), children, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_the_yaml_writer_gives_back_what_it_was_given(value: Any) -> None:
    tree = {"key": value}
    assert YAML(typ="safe").load(dump_tree(tree)) == tree
