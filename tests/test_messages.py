"""Every message a user reads has a Dutch text, and the compiled catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from fichegen import i18n

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_id_has_a_dutch_text_and_the_catalog_is_compiled() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messages.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dutch_is_the_default_and_english_is_chosen_by_variable(monkeypatch) -> None:
    for name in ("FICHEGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    message = "interrupted; no file was left half-written"
    i18n.set_language(None)
    assert i18n._(message).startswith("onderbroken")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    i18n.set_language(None)
    assert i18n._(message) == message
    monkeypatch.setenv("FICHEGEN_LANG", "nl")
    i18n.set_language(None)
    assert i18n._(message).startswith("onderbroken")


# -- what a civil servant reads ------------------------------------------------------------

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from conftest import Golden  # noqa: E402
from fichegen.cli import main  # noqa: E402

DUTCH_CASES = [
    "syntax-tab",
    "syntax-bad-indentation",
    "syntax-colon-in-value",
    "syntax-unclosed-quote",
    "duplicate-key",
    "enum-typo-stance",
    "enum-typo-verdict",
    "several-mistakes",
    "legislative-element-vocabulary",
    "legislative-missing-sections",
    "footnote-undefined",
    "draft-placeholder",
    "date-com-number-tab",
]


@pytest.mark.parametrize("case", DUTCH_CASES)
def test_check_speaks_dutch_by_default(
    case: str, dutch: None, golden: Golden, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/invalid/nl/<case>.out: what `fichegen check` says to a Dutch user."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", f"tests/invalid/{case}.yaml"])
    assert "Traceback" not in result.output
    first = result.stdout.splitlines()[0]
    assert ": error: " in first or ": warning: " in first  # the tokens tools read stay
    golden(ROOT / "tests" / "invalid" / "nl" / f"{case}.out", result.stdout)


def test_lang_option_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    case = "tests/invalid/enum-typo-stance.yaml"
    monkeypatch.setenv("FICHEGEN_LANG", "nl")
    english = CliRunner().invoke(main, ["--lang", "en", "check", case]).stdout
    assert english.endswith("1 error in 1 file\n")
    monkeypatch.setenv("FICHEGEN_LANG", "en")
    dutch = CliRunner().invoke(main, ["--lang", "nl", "check", case]).stdout
    assert dutch.endswith("1 fout in 1 bestand\n")
    assert "moet een van deze zijn" in dutch


def test_one_word_per_fiche_type_in_every_message(dutch: None, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    legislative = (
        CliRunner()
        .invoke(main, ["check", "tests/invalid/legislative-element-vocabulary.yaml"])
        .stdout
    )
    assert "onderdeel 1" in legislative and "onderdeel 2 heeft standpunt" in legislative
    messages = legislative.replace("legislative-element-vocabulary.yaml", "")
    assert "actie" not in messages and "element" not in messages
    communication = CliRunner().invoke(main, ["check", "tests/invalid/several-mistakes.yaml"])
    assert "actie 2" in communication.stdout and "onderdeel" not in communication.stdout


def test_a_near_miss_of_a_dutch_stance_label_is_named_in_dutch(dutch: None, tmp_path) -> None:
    from fichegen.pipeline import check_file
    from samples import MINIMAL

    path = tmp_path / "x.yaml"
    for written, accepted in [("Steun", True), ("  steun ", True), ("steunen", False)]:
        path.write_text(MINIMAL.replace("stance: support", f"stance: {written}"), "utf-8")
        assert (check_file(path).problems == []) is accepted
    path.write_text(MINIMAL.replace("stance: support", "stance: steun onder voorwaarde"), "utf-8")
    (problem,) = [p for p in check_file(path).problems if p.code == "wrong-value"]
    assert "(bedoelt u 'steun onder voorwaarden'?)" in problem.message
    assert problem.hint.startswith("schrijf de Engelse naam of het Nederlandse label: ")
    assert "support_with_conditions = steun onder voorwaarden" in problem.hint


# -- click's own texts and the help of every command -----------------------------------


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(main, args, prog_name="fichegen")


def test_click_usage_errors_are_dutch(dutch: None) -> None:
    typo = invoke(["rendr"])
    assert typo.exit_code == 2
    assert typo.stderr.splitlines()[0] == "Gebruik: fichegen [OPTIES] OPDRACHT [ARGUMENTEN]..."
    assert "Fout: Onbekende opdracht 'rendr'. Bedoelt u 'render'?" in typo.stderr
    missing = invoke(["render"])
    assert missing.stderr.splitlines() == [
        "Gebruik: fichegen render [OPTIES] BRON",
        "Zie 'fichegen render --help' voor hulp.",
        "",
        "Fout: Ontbrekend argument 'BRON'.",
    ]
    assert "Fout: Onbekende optie '--bogus'." in invoke(["check", "--bogus"]).stderr
    wrong = invoke(["render", "-f", "odt", "x.yaml"]).stderr
    assert "Fout: Ongeldige waarde voor '-f' / '--format': 'odt' is niet een van" in wrong
    absent = invoke(["render", "--reference-docx", "weg.docx", "x.yaml"]).stderr
    assert "Bestand 'weg.docx' bestaat niet." in absent


def test_help_is_dutch_and_english_on_request(dutch: None) -> None:
    help_nl = invoke(["render", "--help"]).stdout
    assert help_nl.startswith("Gebruik: fichegen render [OPTIES] BRON\n")
    assert "Zet een positiebestand om in een fiche: Word (.docx), PDF of Markdown." in help_nl
    assert "Opties:" in help_nl and "Toon deze hulp en stop." in help_nl
    assert "[standaard: public]" in " ".join(help_nl.split()) and "--templates MAP" in help_nl
    overview = invoke(["--help"]).stdout
    assert "Opdrachten:" in overview and "PDF" in overview
    # English on request, in the same process: nothing of the Dutch run is left behind.
    help_en = invoke(["--lang", "en", "render", "--help"]).stdout
    assert help_en.startswith("Usage: fichegen render [OPTIONS] SOURCE\n")
    assert "Show this message and exit." in help_en
    assert "[default: public]" in " ".join(help_en.split())
    assert "--templates DIRECTORY" in help_en
    assert invoke(["render", "--help"]).stdout == help_nl


def test_every_command_has_dutch_help(dutch: None) -> None:
    from fichegen.clitext import iter_help_ids

    english = {" ".join(text.split()) for text in iter_help_ids(main) if len(text) > 12}
    for name in main.commands:
        shown = " ".join(invoke([name, "--help"]).stdout.split())
        assert shown.startswith(f"Gebruik: fichegen {name} ")
        assert not [text for text in english if text in shown], name


# -- the texts of templates, the Word writer, build and the action import, in Dutch -------


def test_a_template_error_is_dutch(dutch: None, tmp_path: Path) -> None:
    from samples import MINIMAL

    templates = tmp_path / "sjablonen"
    templates.mkdir()
    (templates / "communication.md.j2").write_text("{{ onbekend }}\n", encoding="utf-8")
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    args = ["render", "-f", "md", "--templates", str(templates), str(source)]
    result = invoke(args)
    assert result.exit_code == 1
    assert (
        f"{templates / 'communication.md.j2'}:1: error: fout in template: "
        "de template gebruikt 'onbekend', maar die naam bestaat niet [template]"
    ) in result.stderr
    assert "tip: controleer de spelling; de velden van de fiche heten zoals in het" in result.stderr
    missing = invoke([*args[:4], str(tmp_path / "weg"), str(source)])
    assert ": error: map met sjablonen niet gevonden [template]" in missing.stderr


def test_a_wrong_reference_style_is_dutch(dutch: None) -> None:
    from fichegen.render.docx.styles import _style_kind

    assert (_style_kind("paragraph"), _style_kind("character")) == ("alinea", "teken")


def test_the_action_import_speaks_of_onderdelen_in_a_legislative_fiche(
    dutch: None, tmp_path: Path
) -> None:
    actions = tmp_path / "acties.csv"
    actions.write_text("id,title\n1,Een\n2,Twee\n1,Nog een keer een\n", encoding="utf-8")
    target = str(tmp_path / "x.yaml")
    legislative = invoke(["new", "--type", "legislative", "--actions", str(actions), target])
    assert legislative.exit_code == 1
    assert f"{actions}:4:1: error: het onderdeel met nummer 1 komt twee keer voor" in (
        legislative.stderr
    )
    assert "tip: geef de onderdelen elk een eigen nummer" in legislative.stderr
    assert "actie" not in legislative.stderr.replace("acties.csv", "")
    communication = invoke(["new", "--type", "communication", "--actions", str(actions), target])
    assert f"{actions}:4:1: error: de actie met nummer 1 komt twee keer voor" in (
        communication.stderr
    )


def test_build_says_why_in_dutch(dutch: None, tmp_path: Path, monkeypatch) -> None:
    from samples import MINIMAL

    monkeypatch.chdir(tmp_path)
    (tmp_path / "positions").mkdir()
    (tmp_path / "positions" / "a.yaml").write_text(MINIMAL, encoding="utf-8")
    first = invoke(["build", "-f", "md", "-v"])
    assert "positions/a.yaml: nieuw" in first.stderr
    (tmp_path / "output" / "a.md").unlink()
    assert "positions/a.yaml: uitvoer ontbreekt" in invoke(["build", "-f", "md", "-v"]).stderr


def test_the_reasons_of_the_operating_system_are_dutch(dutch: None, tmp_path: Path) -> None:
    absent = invoke(["render", str(tmp_path / "weg.yaml")])
    assert absent.stderr == (
        f"{tmp_path / 'weg.yaml'}: error: kan het bestand niet lezen: bestand of map bestaat "
        "niet [unreadable]\n"
    )
    folder = invoke(["render", str(tmp_path)])
    assert f"Fout: Ongeldige waarde voor 'BRON': Bestand '{tmp_path}' is een map." in folder.stderr
    port = invoke(["serve", "--port", "abc"])
    assert "'abc' is geen geldig geheel getal." in port.stderr


def test_the_version_is_told_in_the_users_language(dutch: None) -> None:
    from fichegen import __version__

    assert invoke(["--version"]).stdout == f"fichegen, versie {__version__}\n"
    assert invoke(["--lang", "en", "--version"]).stdout == f"fichegen, version {__version__}\n"
