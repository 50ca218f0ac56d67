"""`fichegen new`: a complete skeleton that loads, validates, renders and round-trips."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from fichegen import model
from fichegen.cli import main
from fichegen.model import FicheType
from fichegen.new import make_skeleton, yaml_io
from fichegen.pipeline import check_file, render_fiche
from fichegen.rules import PLACEHOLDER
from fichegen.schema import schema_text

TYPES = [t.value for t in FicheType]
ACTIONS_CSV = textwrap.dedent("""\
    id,title,summary,area,priority
    1,Vervoer,De Commissie wil vervoersgegevens gebruiken. Dat helpt de opsporing.,Routes,1.1
    2,MAOC-N,Het MAOC-N krijgt een sterkere rol.,Routes,1.2
    3,Toolbox,Een toolbox tegen rekrutering van jongeren.,Preventie,
    """)


def run_new(*args: str) -> Result:
    return CliRunner().invoke(main, ["new", *args])


def new_file(tmp_path: Path, fiche_type: str, *args: str) -> Path:
    target = tmp_path / "positions" / f"{fiche_type}.yaml"
    result = run_new(str(target), "--type", fiche_type, *args)
    assert result.exit_code == 0, result.output
    return target


def load(path: Path) -> Any:
    return yaml_io().load(path.read_text(encoding="utf-8"))


# -- what it writes -----------------------------------------------------------------


@pytest.mark.parametrize("fiche_type", TYPES)
def test_new_file_round_trips_through_ruamel_with_its_comments(
    tmp_path: Path, fiche_type: str
) -> None:
    text = new_file(tmp_path, fiche_type).read_text(encoding="utf-8")
    stream = io.StringIO()
    yaml_io().dump(yaml_io().load(text), stream)
    assert stream.getvalue() == text
    assert text.count("\n#") + text.count("  # ") > 40  # the comments survived


@pytest.mark.parametrize("fiche_type", TYPES)
def test_new_file_validates_with_only_placeholder_warnings(tmp_path: Path, fiche_type: str) -> None:
    result = check_file(new_file(tmp_path, fiche_type))
    assert result.fiche is not None
    assert result.problems, "a skeleton has placeholders to fill in"
    assert {(p.code, p.severity.value) for p in result.problems} == {("placeholder", "warning")}


@pytest.mark.parametrize("fiche_type", TYPES)
def test_every_text_of_a_new_file_has_a_placeholder(tmp_path: Path, fiche_type: str) -> None:
    result = check_file(new_file(tmp_path, fiche_type))
    assert result.texts
    assert [t.context for t in result.texts if not PLACEHOLDER.search(t.value)] == []


@pytest.mark.parametrize("fiche_type", TYPES)
def test_new_file_renders_with_placeholders_visible(tmp_path: Path, fiche_type: str) -> None:
    fiche = check_file(new_file(tmp_path, fiche_type)).fiche
    assert fiche is not None
    markdown = render_fiche(fiche, "md").decode("utf-8")
    assert "[INVULLEN: essentie voorstel]" in markdown
    assert render_fiche(fiche, "docx")[:2] == b"PK"


def test_legislative_skeleton_has_the_sections_of_the_full_example(tmp_path: Path) -> None:
    skeleton = check_file(new_file(tmp_path, "legislative")).fiche
    example = check_file(
        Path(__file__).parents[1] / "positions" / "com-2026-123-precursoren.yaml"
    ).fiche
    assert skeleton is not None and example is not None

    def headings(fiche: model.Fiche) -> list[str]:
        markdown = render_fiche(fiche, "md").decode("utf-8")
        return [
            h
            for h in re.findall(r"^#{2,} (.+)$", markdown, re.MULTILINE)
            if not h.startswith("Bijlage")
        ]

    assert headings(skeleton) == headings(example)


@pytest.mark.parametrize("fiche_type", TYPES)
def test_every_field_of_the_model_is_in_a_new_file(tmp_path: Path, fiche_type: str) -> None:
    tree = load(new_file(tmp_path, fiche_type))
    kind = FicheType(fiche_type)

    def missing(cls: Any, node: Any, where: str) -> list[str]:
        absent = []
        for field in dataclasses.fields(cls):
            if not model.applies(field, kind):
                assert field.name not in node, f"{where}{field.name} is of the other type"
                continue
            if field.name not in node:
                absent.append(where + field.name)
        return absent

    absent = missing(model.Fiche, tree, "")
    absent += missing(model.General, tree["general"], "general.")
    absent += missing(model.Grounds, tree["grounds"], "grounds.")
    items = tree["areas"][0]["actions"] if kind is FicheType.COMMUNICATION else tree["elements"]
    absent += missing(model.Action, items[0], "action.")
    assert absent == []


@pytest.mark.parametrize("fiche_type", TYPES)
def test_every_key_of_a_new_file_has_a_comment_above_it(tmp_path: Path, fiche_type: str) -> None:
    lines = new_file(tmp_path, fiche_type).read_text(encoding="utf-8").splitlines()
    uncommented = [
        line
        for before, line in itertools.pairwise(lines)
        if re.match(r"\s*(- )?[a-z_]+:", line) and not before.lstrip().startswith("#")
    ]
    assert uncommented == []


def test_comment_above_a_field_is_its_doc_from_the_model(tmp_path: Path) -> None:
    text = new_file(tmp_path, "legislative").read_text(encoding="utf-8")
    doc = model.General.__dataclass_fields__["legal_basis"].metadata["doc"]
    assert f"  # {doc}\n  legal_basis: |\n    [INVULLEN: de rechtsbasis van het voorstel]\n" in text


def test_new_file_starts_with_the_schema_modeline(tmp_path: Path) -> None:
    text = new_file(tmp_path, "communication").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/fiche.schema.json\n")


def test_modeline_points_at_the_schema_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "fiche.schema.json").write_text("{}", encoding="utf-8")
    target = tmp_path / "positions" / "2026" / "x.yaml"
    assert run_new(str(target), "--type", "communication").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schema/fiche.schema.json\n"
    )


def test_communication_has_one_example_area_with_one_undecided_action(tmp_path: Path) -> None:
    tree = load(new_file(tmp_path, "communication"))
    assert "elements" not in tree
    assert len(tree["areas"]) == 1
    (action,) = tree["areas"][0]["actions"]
    assert action["stance"] == "no_position"


def test_legislative_has_one_example_element(tmp_path: Path) -> None:
    tree = load(new_file(tmp_path, "legislative"))
    assert "areas" not in tree
    assert [e["stance"] for e in tree["elements"]] == ["no_position"]


def test_com_and_title_fill_their_fields_and_the_eurlex_link(tmp_path: Path) -> None:
    target = new_file(
        tmp_path,
        "legislative",
        "--com",
        "COM(2026) 123",
        "--com",
        "JOIN(2026) 7",
        "--title",
        "Drugsprecursoren",
    )
    fiche = check_file(target).fiche
    assert fiche is not None
    assert fiche.title == "Drugsprecursoren"
    assert fiche.general.com_numbers == ["COM(2026) 123", "JOIN(2026) 7"]
    assert [link.url for link in fiche.general.eurlex] == [
        "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=COM:2026:123:FIN",
        "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=JOIN:2026:7:FIN",
    ]


def test_make_skeleton_is_deterministic() -> None:
    assert make_skeleton(FicheType.LEGISLATIVE) == make_skeleton(FicheType.LEGISLATIVE)


# -- pre-filled from an action list -------------------------------------------------


def test_actions_fill_the_areas_of_a_communication(tmp_path: Path) -> None:
    actions = tmp_path / "acties.csv"
    actions.write_text(ACTIONS_CSV, encoding="utf-8")
    target = new_file(tmp_path, "communication", "--actions", str(actions))
    result = check_file(target)
    assert result.fiche is not None
    assert {p.code for p in result.problems} == {"placeholder"}
    areas = result.fiche.areas
    assert [(a.title, [x.id for x in a.actions]) for a in areas] == [
        ("Routes", ["1", "2"]),
        ("Preventie", ["3"]),
    ]
    assert {x.stance.value for x in result.fiche.iter_actions()} == {"no_position"}
    assert areas[0].actions[0].meta == {"priority": "1.1"}
    # one sentence a line, as in the examples
    assert (
        "    De Commissie wil vervoersgegevens gebruiken.\n"
        "          Dat helpt de opsporing.\n" in target.read_text(encoding="utf-8")
    )


def test_actions_become_the_elements_of_a_legislative_fiche(tmp_path: Path) -> None:
    actions = tmp_path / "acties.csv"
    actions.write_text(ACTIONS_CSV, encoding="utf-8")
    target = new_file(tmp_path, "legislative", "--actions", str(actions))
    result = check_file(target)
    assert result.fiche is not None and not result.errors
    assert [e.id for e in result.fiche.elements] == ["1", "2", "3"]
    assert result.fiche.elements[1].meta == {"priority": "1.2"}
    text = target.read_text(encoding="utf-8")
    stream = io.StringIO()
    yaml_io().dump(yaml_io().load(text), stream)
    assert stream.getvalue() == text


# -- errors -------------------------------------------------------------------------


def test_existing_file_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "fiche.yaml"
    target.write_text("mijn werk\n", encoding="utf-8")
    result = run_new(str(target), "--type", "communication")
    assert result.exit_code == 1
    assert f"{target}: error: file already exists" in result.output
    assert "--force" in result.output
    assert target.read_text(encoding="utf-8") == "mijn werk\n"


def test_force_replaces_the_file_without_leaving_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "fiche.yaml"
    target.write_text("mijn werk\n", encoding="utf-8")
    result = run_new(str(target), "--type", "legislative", "--force")
    assert result.exit_code == 0, result.output
    assert "type: legislative" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fiche.yaml", "schema"]


def test_unknown_type_is_a_usage_error(tmp_path: Path) -> None:
    result = run_new(str(tmp_path / "x.yaml"), "--type", "directive")
    assert result.exit_code == 2
    assert "directive" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_type_is_required(tmp_path: Path) -> None:
    result = run_new(str(tmp_path / "x.yaml"))
    assert result.exit_code == 2
    assert "--type" in result.output


def test_unreadable_action_list_is_a_located_error(tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.csv"
    result = run_new(str(tmp_path / "x.yaml"), "--type", "communication", "--actions", str(missing))
    assert result.exit_code == 1
    assert result.output.startswith(f"{missing}: error: ")
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_duplicate_action_ids_are_reported_where_they_stand(tmp_path: Path) -> None:
    actions = tmp_path / "acties.csv"
    actions.write_text("id,title\n1,Een\n2,Twee\n1,Nog een keer een\n", encoding="utf-8")
    result = run_new(str(tmp_path / "x.yaml"), "--type", "legislative", "--actions", str(actions))
    assert result.exit_code == 1
    assert f"{actions}:4:1: error: element id 1 is used twice" in result.output
    assert not (tmp_path / "x.yaml").exists()


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=40), com=st.lists(st.text(max_size=20), max_size=2))
def test_any_title_and_number_are_written_as_given(title: str, com: list[str]) -> None:
    text = make_skeleton(FicheType.COMMUNICATION, com, title)
    tree = yaml_io().load(text)
    assert tree["title"] == (title.strip() or "[INVULLEN: korte titel]")
    given = [number.strip() for number in com if number.strip()]
    placeholder = "[INVULLEN: nummer(s) van het Commissiedocument]"
    assert list(tree["general"]["com_numbers"]) == (given or [placeholder])


def test_a_repository_started_with_new_has_a_working_editor_schema(tmp_path: Path) -> None:
    target = new_file(tmp_path, "communication")
    modeline = target.read_text(encoding="utf-8").splitlines()[0]
    reference = modeline.split("$schema=")[1]
    schema = (target.parent / reference).resolve()
    assert schema == (tmp_path / "schema" / "fiche.schema.json").resolve()
    assert schema.read_text(encoding="utf-8") == schema_text()
    # a second fiche uses the schema that is there, and leaves it alone
    schema.write_text("{}", encoding="utf-8")
    new_file(tmp_path, "legislative")
    assert schema.read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize(
    ("fiche_type", "order"),
    [
        ("communication", ["general", "essence", "areas", "dutch_position", "grounds"]),
        (
            "legislative",
            [
                "general",
                "essence",
                "elements",
                "impact_assessment_summary",
                "dutch_position",
                "grounds",
                "legal",
                "implementation",
            ],
        ),
    ],
)
def test_the_skeleton_reads_in_the_order_of_the_fiche(
    tmp_path: Path, fiche_type: str, order: list[str]
) -> None:
    keys = list(load(new_file(tmp_path, fiche_type)))
    assert [key for key in keys if key in order] == order


def test_a_legislative_skeleton_speaks_of_onderdelen_never_of_acties(tmp_path: Path) -> None:
    text = new_file(tmp_path, "legislative").read_text(encoding="utf-8").lower()
    assert "onderdeel" in text
    assert "actie" not in text
    assert "actie" in new_file(tmp_path, "communication").read_text(encoding="utf-8")
