"""Start-up: each command imports only what it uses, so a quick command stays quick.

Each command runs in a fresh interpreter, which then lists the modules it
imported; the heavy ones (Word, Jinja, Markdown parser, YAML) must be absent
where the command has no use for them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fichegen.cli import main
from samples import MINIMAL as FICHE

WORD = {"docx", "lxml", "markdown_it", "mdit_py_plugins", "fichegen.render.docx"}
TEMPLATING = {"jinja2", "fichegen.render.markdown"}
YAML = {"ruamel"}


PROBE = textwrap.dedent("""\
    import json, sys
    from fichegen.cli import main
    try:
        main(sys.argv[2:], prog_name="fichegen")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    with open(sys.argv[1], "w") as stream:
        json.dump({"code": code, "modules": sorted(sys.modules)}, stream)
    """)


def imported_by(tmp_path: Path, *args: str) -> set[str]:
    """The top-level and fichegen modules a fresh `fichegen ARGS` imported."""
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(report), *args],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    result = json.loads(report.read_text("utf-8"))
    assert result["code"] in (0, None), f"fichegen {' '.join(args)} exited {result['code']}"
    modules: list[str] = result["modules"]
    return {m.split(".")[0] for m in modules} | {m for m in modules if m.startswith("fichegen.")}


@pytest.fixture
def fiche(tmp_path: Path) -> Path:
    path = tmp_path / "fiche.yaml"
    path.write_text(FICHE, "utf-8")
    return path


def test_help_imports_no_renderer_and_no_yaml(tmp_path: Path) -> None:
    assert imported_by(tmp_path, "--help") & (WORD | TEMPLATING | YAML) == set()


def test_check_imports_neither_word_nor_templates(tmp_path: Path, fiche: Path) -> None:
    if "check" not in main.commands:
        pytest.skip("no check command yet")
    modules = imported_by(tmp_path, "check", str(fiche))
    assert "ruamel" in modules  # the probe really ran the check
    assert modules & (WORD | TEMPLATING) == set()


def test_markdown_render_imports_nothing_for_word(tmp_path: Path, fiche: Path) -> None:
    modules = imported_by(tmp_path, "render", "--format", "md", "-o", "out.md", str(fiche))
    assert (tmp_path / "out.md").is_file()
    assert "jinja2" in modules
    assert modules & WORD == set()


def test_diff_as_text_imports_neither_word_nor_jinja(tmp_path: Path, fiche: Path) -> None:
    newer = tmp_path / "newer.yaml"
    newer.write_text(FICHE.replace("Essentie.", "Essentie, herzien."), "utf-8")
    modules = imported_by(tmp_path, "diff", str(fiche), str(newer))
    assert "fichegen.diff.report" in modules  # the probe really compared them
    assert modules & (WORD | {"jinja2"}) == set()


def test_serve_help_imports_no_server(tmp_path: Path) -> None:
    modules = imported_by(tmp_path, "serve", "--help")
    assert modules & ({"http", "fichegen.serve"} | WORD | TEMPLATING | YAML) == set()


def test_a_valid_fiche_loads_no_mistake_explainers(tmp_path: Path, fiche: Path) -> None:
    modules = imported_by(tmp_path, "render", "-o", "out.docx", str(fiche))
    assert (tmp_path / "out.docx").is_file()
    assert "fichegen.render.docx" in modules  # the probe really rendered it
    # the YAML-mistake and template-error explainers: only a file with a mistake needs them
    assert "fichegen.syntax" not in modules
    assert "fichegen.render.jinjatext" not in modules


def test_markdown_render_and_check_start_no_git(tmp_path: Path, fiche: Path) -> None:
    """Only a Word or PDF render carries a date from git: Markdown and check never ask it."""
    rendered = imported_by(tmp_path, "render", "--format", "md", "-o", "out.md", str(fiche))
    checked = imported_by(tmp_path, "check", str(fiche))
    assert "fichegen.render.markdown" in rendered and "fichegen.check" in checked
    for modules in (rendered, checked):
        assert modules & {"fichegen.dates", "subprocess"} == set()
