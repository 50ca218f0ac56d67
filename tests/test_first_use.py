"""What a civil servant trips over the first time through the handleiding, fixed.

`python -m fichegen` works, `render -o -` does not announce a file called "-",
an English message about a legislative fiche's list says "element", and a
mistake in a user's template is told in Dutch with the line and the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fichegen.cli import main
from samples import MINIMAL

ROOT = Path(__file__).resolve().parents[1]


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(main, args, prog_name="fichegen")


def run_module(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m fichegen ARGS` in a real process: standard output is the real one."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "FICHEGEN_LANG": "nl"}
    return subprocess.run(
        [sys.executable, "-m", "fichegen", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_python_dash_m_fichegen_runs_the_command(tmp_path: Path) -> None:
    done = run_module(tmp_path, "rendr")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "Gebruik: fichegen [OPTIES] OPDRACHT [ARGUMENTEN]..."


def test_render_to_standard_output_does_not_announce_a_file(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL.replace("essence: Essentie.", "essence: '[INVULLEN: x]'"), "utf-8")
    done = run_module(tmp_path, "render", "x.yaml", "-f", "md", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("**CONCEPT**\n\n# Fiche: Test\n")
    assert done.stderr == "nog 1 plek [INVULLEN: ...] in te vullen\n"
    assert not (tmp_path / "-").exists()


def test_render_to_a_file_still_names_it(dutch: None, tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, "utf-8")
    target = tmp_path / "x.md"
    result = invoke(["render", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{target} geschreven\n"


@pytest.mark.parametrize(
    ("fiche_type", "expected"),
    [
        (
            "legislative",
            [
                "error: element id 1 is used twice (first at line 2) [duplicate-id]",
                "    hint: give every element its own id; ids are how diffs match versions",
                "error: element 3 has no text [empty-action]",
                "    hint: give the element a title or a summary",
            ],
        ),
        (
            "communication",
            [
                "error: action id 1 is used twice (first at line 2) [duplicate-id]",
                "    hint: give every action its own id; ids are how diffs match versions",
                "error: action 3 has no text [empty-action]",
                "    hint: give the action a title or a summary",
            ],
        ),
    ],
)
def test_an_action_list_for_a_legislative_fiche_speaks_of_elements_in_english(
    tmp_path: Path, fiche_type: str, expected: list[str]
) -> None:
    listing = tmp_path / "lijst.csv"
    listing.write_text("id,title\n1,Een\n1,Twee\n3,\n", "utf-8")
    target = tmp_path / "x.yaml"
    result = invoke(["new", str(target), "--type", fiche_type, "--actions", str(listing)])
    assert result.exit_code == 1
    lines = [
        line.removeprefix(f"{listing}:3:1: ").removeprefix(f"{listing}:4:1: ")
        for line in result.stderr.splitlines()
    ]
    assert lines == expected
    assert not target.exists()


def test_an_unsupported_action_list_for_a_legislative_fiche_says_elements(tmp_path: Path) -> None:
    listing = tmp_path / "lijst.odt"
    listing.write_text("x", "utf-8")
    result = invoke(
        ["new", str(tmp_path / "x.yaml"), "--type", "legislative", "--actions", str(listing)]
    )
    assert result.stderr.splitlines()[0] == (
        f"{listing}: error: cannot import elements from a '.odt' file [unknown-format]"
    )


# -- a mistake in the user's own template, in Dutch ------------------------------------------


def template_error(tmp_path: Path, template: str) -> list[str]:
    templates = tmp_path / "sjablonen"
    templates.mkdir(exist_ok=True)
    (templates / "communication.md.j2").write_text(template, encoding="utf-8")
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, "utf-8")
    target = tmp_path / "x.md"
    result = invoke(["render", str(source), "-o", str(target), "--templates", str(templates)])
    assert result.exit_code == 1
    assert not target.exists()
    prefix = f"{templates / 'communication.md.j2'}:"
    return [line.removeprefix(prefix) for line in result.stderr.splitlines()]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            "# {{ fiche.title }}\n{{ onbekend }}\n",
            [
                "2: error: fout in template: de template gebruikt 'onbekend', maar die naam "
                "bestaat niet [template]",
                "    tip: controleer de spelling; de velden van de fiche heten zoals in het "
                "positiebestand",
            ],
        ),
        (
            "# {{ fiche.titel }}\n",
            [
                "1: error: fout in template: de template vraagt om 'titel' van 'Fiche', maar dat "
                "veld bestaat niet [template]",
                "    tip: controleer de spelling; de velden van de fiche heten zoals in het "
                "positiebestand",
            ],
        ),
        (
            "# Titel\n{% if fiche.title %}\n{{ fiche.title }}\n",
            [
                "3: error: fout in template: de template houdt op terwijl het blok 'if' nog open "
                "is [template]",
                "    tip: sluit het af met {% endif %}; op die regel staat: {{ fiche.title }}",
            ],
        ),
        (
            "{% for a in fiche.areas %}\n{% endif %}\n",
            [
                "2: error: fout in template: de tag 'endif' staat er terwijl het blok 'for' nog "
                "open is [template]",
                "    tip: sluit eerst het blok 'for' af met {% endfor %}; op die regel staat: "
                "{% endif %}",
            ],
        ),
        (
            "# {{ fiche.title }\n",
            [
                "1: error: fout in template: onverwachte '}' [template]",
                "    tip: sluit elke '{{' af met '}}' en elke '{%' met '%}'; op die regel staat: "
                "# {{ fiche.title }",
            ],
        ),
        (
            "# {{ fiche.title | hoofdletters }}\n",
            [
                "1: error: fout in template: onbekend filter 'hoofdletters' [template]",
                "    tip: controleer de spelling van de naam na de '|'; op die regel staat: "
                "# {{ fiche.title | hoofdletters }}",
            ],
        ),
        (
            "{{ fiche.__class__ }}\n",
            [
                "1: error: fout in template: de template mag '__class__' van 'Fiche' niet "
                "gebruiken [template]",
                "    tip: een template kan de velden van de fiche lezen, niet de binnenkant van "
                "Python",
            ],
        ),
    ],
    ids=["undefined", "no-field", "unclosed-block", "wrong-end-tag", "brace", "filter", "sandbox"],
)
def test_a_template_mistake_is_told_in_dutch_with_its_line_and_fix(
    dutch: None, tmp_path: Path, template: str, expected: list[str]
) -> None:
    assert template_error(tmp_path, template) == expected


def test_an_unknown_kind_of_template_error_keeps_jinjas_words(tmp_path: Path) -> None:
    from fichegen.render.jinjatext import explain

    assert explain("something Jinja says in a new version") == (
        "something Jinja says in a new version",
        "",
    )


def test_the_letter_warns_about_a_fiche_without_kamerstuk_number(
    dutch: None, tmp_path: Path
) -> None:
    numbered = tmp_path / "a.yaml"
    numbered.write_text(MINIMAL + "kamerstuk: 22 112, nr. 4321\n", "utf-8")
    unnumbered = tmp_path / "b.yaml"
    unnumbered.write_text(MINIMAL, "utf-8")
    target = tmp_path / "brief.md"
    args = ["letter", str(numbered), str(unnumbered), "-f", "md", "-o", str(target)]
    result = invoke([*args, "--date", "15 januari 2026", "--minister", "Naam"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{unnumbered}: warning: nog geen Kamerstuknummer; de brief noemt deze fiche zonder "
        "nummer [letter-kamerstuk]",
        "    tip: vul 'kamerstuk:' in (bijvoorbeeld '22 112, nr. 4321') zodra het bekend is",
        f"{target} geschreven",
    ]
    assert "Fiche: Test (Kamerstuk 22 112, nr. 4321)" in target.read_text("utf-8")


def test_diff_names_a_grounds_text_by_its_section_and_counts_one_change(
    dutch: None, tmp_path: Path
) -> None:
    old = tmp_path / "oud.yaml"
    old.write_text(MINIMAL, "utf-8")
    new = tmp_path / "nieuw.yaml"
    new.write_text(MINIMAL.replace("reasoning: Bevoegd.}", "reasoning: Wel bevoegd.}"), "utf-8")
    result = invoke(["diff", str(old), str(new), "--color", "never"])
    assert result.stdout.splitlines() == [
        "4a Bevoegdheid: tekst gewijzigd (1 zin)",
        "    [-Bevoegd-]{+Wel bevoegd+}.",
    ]
    target = tmp_path / "wijzigingen.docx"
    result = invoke(["diff", str(old), str(new), "-f", "docx", "-o", str(target)])
    assert result.stderr == f"{target} geschreven (1 wijziging)\n"
