"""Hardening, second round: leaks, destroyed files, injection, hangs (issue 17).

One regression test per case the break test found, and a property test per
class: no public output holds internal text, no output path destroys another
file, no input under the size cap takes long to check.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fichegen.cli import main
from fichegen.diff.textconv import textconv
from fichegen.errors import InputError
from fichegen.files import ZipLimitError, read_zip
from fichegen.load import MAX_BYTES
from fichegen.pipeline import check_file, read_fiche, render_fiche
from fuzzing import FUZZ, dump_yaml, fiches, plain_text
from samples import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def docx_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def run_cli(*args: str, cwd: Path, timeout: float = 60, **kwargs: Any) -> Any:
    """The real command in its own process (for standard output, pipes and timeouts)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "FICHEGEN_LANG": "en"}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-c", "from fichegen.cli import main; main()", *args],
        cwd=cwd,
        env=env,
        timeout=timeout,
        **kwargs,
    )


# -- leaks ---------------------------------------------------------------------------------

SECRET_FOOTNOTE = (
    MINIMAL.replace(
        "        stance: support\n",
        "        stance: support\n        internal_notes: Marge tot 5%.[^marge]\n",
    ).replace("essence: Essentie.", "essence: Essentie.[^bron]")
    + "footnotes:\n  marge: ONDERHANDELINGSMARGE van het kabinet\n  bron: Openbare bron.\n"
)
assert "internal_notes" in SECRET_FOOTNOTE


def test_a_footnote_only_an_internal_note_refers_to_is_not_published(tmp_path: Path) -> None:
    source = write(tmp_path / "x.yaml", SECRET_FOOTNOTE)
    fiche = read_fiche(source)
    public_md = render_fiche(fiche, "md").decode("utf-8")
    assert "ONDERHANDELINGSMARGE" not in public_md
    assert "[^bron]: Openbare bron." in public_md  # the public footnote stays
    assert "ONDERHANDELINGSMARGE" not in docx_text(render_fiche(fiche, "docx"))
    assert "ONDERHANDELINGSMARGE" not in textconv(source).text
    internal = render_fiche(fiche, "md", audience="internal").decode("utf-8")
    assert "ONDERHANDELINGSMARGE" in internal


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_a_public_diff_does_not_show_a_footnote_of_an_internal_note(
    tmp_path: Path, fmt: str
) -> None:
    old = write(tmp_path / "old.yaml", MINIMAL)
    new = write(tmp_path / "new.yaml", SECRET_FOOTNOTE)
    result = cli("diff", str(old), str(new), "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "ONDERHANDELINGSMARGE" not in result.output
    assert "bron" in result.output  # the public footnote is a change


BROKEN_VARIANTS = {
    "rule": MINIMAL.replace("stance: support", "stance: support_with_conditions"),
    "syntax": MINIMAL + "title: [unclosed\n",
    "unknown-key": MINIMAL + "intern_notes: typo\n",
}


@pytest.mark.parametrize("kind", sorted(BROKEN_VARIANTS))
def test_textconv_of_a_file_that_cannot_render_shows_nothing_internal(
    tmp_path: Path, kind: str
) -> None:
    text = BROKEN_VARIANTS[kind] + "internal_notes: MINISTER WIL NIET\n"
    source = write(tmp_path / "x.yaml", text)
    result = cli("textconv", str(source))
    assert result.exit_code == 0
    assert "MINISTER" not in result.stdout
    assert "fingerprint" in result.stdout


def test_textconv_of_a_file_over_the_size_cap_shows_nothing_of_it(tmp_path: Path) -> None:
    source = write(tmp_path / "x.yaml", MINIMAL + "internal_notes: GEHEIM " + "x" * MAX_BYTES)
    result = cli("textconv", str(source))
    assert result.exit_code == 0
    assert "GEHEIM" not in result.stdout and len(result.stdout) < 200


def test_textconv_follows_the_teams_check_configuration(tmp_path: Path) -> None:
    write(tmp_path / "fichegen.toml", '[check]\ndisable = ["stance-conditions"]\n')
    source = write(tmp_path / "x.yaml", BROKEN_VARIANTS["rule"])
    result = cli("textconv", str(source))
    assert result.exit_code == 0
    assert "## 1. Algemene gegevens" in result.stdout


def test_textconv_reads_the_configuration_where_git_runs_for_a_temporary_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    write(repo / "fichegen.toml", '[check]\ndisable = ["stance-conditions"]\n')
    copy = write(tmp_path / "tmp" / "XXXX_x.yaml", BROKEN_VARIANTS["rule"])
    monkeypatch.chdir(repo)
    assert "## 1. Algemene gegevens" in cli("textconv", str(copy)).stdout


secret_notes = st.builds(lambda n: f"GEHEIM{n:05d}X", st.integers(0, 99_999))


@st.composite
def fiches_with_secrets(draw: st.DrawFn) -> dict[str, Any]:
    """A fiche whose internal notes refer to footnotes no public text refers to."""
    data = draw(fiches(text=plain_text, notes=secret_notes))
    secrets = draw(st.integers(1, 3))
    footnotes = data["footnotes"]
    for index in range(secrets):
        footnotes[f"geheim{index}"] = f"VOETGEHEIM{index}Y {draw(plain_text)}"
    for index in range(secrets):
        note = f"GEHEIM{index:05d}X [^geheim{index}]"
        where = draw(st.sampled_from(["fiche", "area", "action", "section"]))
        if where == "fiche":
            data["internal_notes"] = note
        elif where == "area":
            data["areas"][0]["internal_notes"] = note
        elif where == "action":
            data["areas"][-1]["actions"][-1]["internal_notes"] = note
        else:
            data["internal_section_notes"]["assessment"] = note
    return data


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(fiches_with_secrets())
def test_no_public_output_of_any_command_holds_internal_text(data: dict[str, Any]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        new = write(Path(folder) / "new.yaml", dump_yaml(data))
        result = check_file(new)
        if result.errors or result.fiche is None:
            return
        fiche = result.fiche
        stripped = {k: v for k, v in data.items() if not k.startswith("internal")}
        stripped["footnotes"] = {"ia": data["footnotes"]["ia"]}
        old = write(Path(folder) / "old.yaml", dump_yaml(stripped))
        outputs = [
            render_fiche(fiche, "md").decode("utf-8"),
            docx_text(render_fiche(fiche, "docx")),
            textconv(new).text,
        ]
        for fmt in ("text", "md", "json"):
            outputs.append(cli("diff", str(old), str(new), "-f", fmt).output)
        letter = Path(folder) / "brief.md"
        done = cli(
            "letter", str(new), "-f", "md", "-o", str(letter),
            "--date", "1 december 2026", "--minister", "D.M. van Weel", "--number", "4400",
        )  # fmt: skip
        assert done.exit_code == 0, done.output
        outputs.append(letter.read_text("utf-8"))
        for output in outputs:
            assert "GEHEIM" not in output


# -- destroyed files -----------------------------------------------------------------------


def test_render_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = write(tmp_path / "x.yaml", MINIMAL)
    (tmp_path / "link.md").symlink_to(source)
    os.link(source, tmp_path / "hard.md")
    for target in (
        source,
        tmp_path / "link.md",
        tmp_path / "hard.md",
        tmp_path / ".." / tmp_path.name / "x.yaml",
    ):
        result = cli("render", str(source), "-f", "md", "-o", str(target))
        assert result.exit_code == 2, result.output
        assert source.read_text("utf-8") == MINIMAL


def test_diff_and_new_refuse_to_write_over_their_inputs(tmp_path: Path) -> None:
    source = write(tmp_path / "x.yaml", MINIMAL)
    result = cli("diff", str(source), str(source), "-f", "md", "-o", str(source))
    assert result.exit_code == 2
    actions = write(tmp_path / "acties.csv", "id;titel\n1;Een actie\n")
    result = cli(
        "new", str(actions), "--type", "communication", "--actions", str(actions), "--force"
    )
    assert result.exit_code == 2
    assert source.read_text("utf-8") == MINIMAL
    assert actions.read_text("utf-8") == "id;titel\n1;Een actie\n"


def test_dev_stdout_inside_a_redirection_fills_the_file_and_does_not_replace_it(
    tmp_path: Path,
) -> None:
    source = write(tmp_path / "x.yaml", MINIMAL)
    target = write(tmp_path / "uit.md", "")
    target_inode = target.stat().st_ino
    with open(target, "wb") as stream:
        done = run_cli(
            "render",
            "x.yaml",
            "-f",
            "md",
            "-o",
            "/dev/stdout",
            cwd=tmp_path,
            stdout=stream,
            stderr=subprocess.PIPE,
        )
    assert done.returncode == 0, done.stderr
    assert target.stat().st_ino == target_inode
    assert "\n# Fiche: Test\n" in target.read_text("utf-8")
    assert source.read_text("utf-8") == MINIMAL
    assert not list(tmp_path.glob(".*.tmp"))


def test_dash_writes_to_standard_output(tmp_path: Path) -> None:
    write(tmp_path / "x.yaml", MINIMAL)
    done = run_cli("render", "x.yaml", "-f", "md", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\n# Fiche: Test\n" in done.stdout.decode("utf-8")
    assert not (tmp_path / "-").exists()


def test_build_never_writes_through_a_link_in_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "positions" / "x.yaml", MINIMAL)
    elsewhere = write(tmp_path / "elders" / "belangrijk.md", "niet overschrijven")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "x.md").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    result = cli("build", "--format", "md", "--jobs", "1")
    assert result.exit_code == 1
    assert "symbolic link" in result.output
    assert elsewhere.read_text("utf-8") == "niet overschrijven"


def test_build_never_writes_outside_its_folder_through_a_linked_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "positions" / "2024" / "x.yaml", MINIMAL)
    elsewhere = tmp_path / "elders"
    write(elsewhere / "x.md", "niet overschrijven")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "2024").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    result = cli("build", "--format", "md", "--jobs", "1")
    assert result.exit_code == 1
    assert "outside the folder" in result.output
    assert (elsewhere / "x.md").read_text("utf-8") == "niet overschrijven"


PATH_KINDS = [
    "input",
    "link-to-input",
    "hard-link",
    "link-to-other",
    "dangling-link",
    "other",
    "new",
    "new-in-folder",
]


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 40))
@given(
    kind=st.sampled_from(PATH_KINDS),
    command=st.sampled_from(["render-md", "render-docx", "diff-md", "diff-docx", "schema", "new"]),
)
def test_no_output_path_destroys_a_file_that_is_not_the_intended_output(
    kind: str, command: str
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = write(folder / "x.yaml", MINIMAL)
        actions = write(folder / "acties.csv", "id;titel\n1;Een actie\n")
        other = write(folder / "ander.txt", "van iemand anders")
        target = {
            "input": source,
            "link-to-input": folder / "l.out",
            "hard-link": folder / "h.out",
            "link-to-other": folder / "lo.out",
            "dangling-link": folder / "d.out",
            "other": other,
            "new": folder / "nieuw.out",
            "new-in-folder": folder / "sub" / "nieuw.out",
        }[kind]
        (folder / "l.out").symlink_to(source)
        os.link(source, folder / "h.out")
        (folder / "lo.out").symlink_to(other)
        (folder / "d.out").symlink_to(folder / "nergens")
        args = {
            "render-md": ["render", str(source), "-f", "md"],
            "render-docx": ["render", str(source)],
            "diff-md": ["diff", str(source), str(source), "-f", "md"],
            "diff-docx": ["diff", str(source), str(source), "-f", "docx"],
            "schema": ["schema"],
            "new": ["new", "--type", "communication", "--actions", str(actions), "--force"],
        }[command]
        if command == "new":
            args.insert(1, str(target))
        else:
            args += ["-o", str(target)]
        before = {p: p.read_bytes() for p in (source, actions, other)}
        cli(*args)
        reads_source = command.startswith(("render", "diff"))
        intended = (
            target
            if kind in ("other", "new", "new-in-folder") or (kind == "input" and not reads_source)
            else None
        )
        for path, data in before.items():
            if path != intended:
                assert path.read_bytes() == data, (kind, command, path)
        assert not (folder / "nergens").exists()
        assert not list(folder.rglob(".*.tmp"))


# -- injection -----------------------------------------------------------------------------


LENIENT = '[check]\ndisable = ["markdown-link", "markdown-html", "link-address"]\n'
"""A team that switched the Markdown rules off: the renderer must hold the line alone."""


def render_md(tmp_path: Path, essence: str, eurlex: str = "https://eur-lex.europa.eu/x") -> str:
    write(tmp_path / "fichegen.toml", LENIENT)
    text = MINIMAL.replace("essence: Essentie.", f"essence: {json.dumps(essence)}")
    text = text.replace('"https://eur-lex.europa.eu/x"', json.dumps(eurlex))
    source = write(tmp_path / "x.yaml", text)
    result = cli("render", str(source), "-f", "md", "-o", str(tmp_path / "x.md"))
    assert result.exit_code == 0, result.output
    return (tmp_path / "x.md").read_text("utf-8")


def render_docx(tmp_path: Path, essence: str, eurlex: str = "https://eur-lex.europa.eu/x") -> str:
    write(tmp_path / "fichegen.toml", LENIENT)
    text = MINIMAL.replace("essence: Essentie.", f"essence: {json.dumps(essence)}")
    text = text.replace('"https://eur-lex.europa.eu/x"', json.dumps(eurlex))
    fiche = read_fiche(write(tmp_path / "x.yaml", text))
    return docx_text(render_fiche(fiche, "docx"))


def live_html(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    found = [t.content for t in tokens if t.type == "html_block"]
    for token in tokens:
        found += [c.content for c in token.children or [] if c.type == "html_inline"]
    return found


def live_links(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    hrefs = []
    for token in parser.parse(markdown):
        for child in token.children or []:
            if child.type == "link_open":
                hrefs.append(str(child.attrs["href"]))
    return hrefs


def test_an_escaped_tag_stays_escaped_in_the_markdown(tmp_path: Path) -> None:
    source = write(
        tmp_path / "x.yaml",
        MINIMAL.replace("essence: Essentie.", 'essence: "\\\\<script>alert(1)\\\\</script>"'),
    )
    assert cli("check", str(source)).exit_code == 0
    markdown = render_md(tmp_path, "\\<script>alert(1)\\</script>")
    assert live_html(markdown) == []
    assert "<script>" not in live_html(render_md(tmp_path, "\\\\<script>"))  # check refuses it


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "ms-msdt:/id PCWDiagnostic",
        "search-ms:query=x",
        "smb://host/share",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "file:///etc/passwd",
        "relatief.html",
    ],
)
def test_only_web_and_mail_addresses_become_links(tmp_path: Path, address: str) -> None:
    essence = f"Zie [hier]({address}) en <{address}>."
    checked = tmp_path / "check" / "c.yaml"
    write(checked, MINIMAL.replace("essence: Essentie.", f"essence: {json.dumps(essence)}"))
    assert "[markdown-link]" in cli("check", str(checked)).output  # a refused link is broken
    for href in live_links(render_md(tmp_path, essence, eurlex=address)):
        assert href.startswith(("https://", "http://", "mailto:")), href
    word = render_docx(tmp_path, essence, eurlex=address)
    assert re.search(r'TargetMode="External"[^>]*Target="(?!https?:|mailto:)', word) is None
    assert re.search(r'Target="(?!https?:|mailto:)[^"]*"[^>]*TargetMode="External"', word) is None


def test_a_bracket_in_an_eurlex_address_cannot_add_a_second_link(tmp_path: Path) -> None:
    address = "https://eur-lex.europa.eu/x) [klik](javascript:alert(1)"
    links = live_links(render_md(tmp_path, "Essentie.", eurlex=address))
    assert len(links) == 1 and links[0].startswith("https://eur-lex.europa.eu/x")


def test_web_and_mail_links_stay_links(tmp_path: Path) -> None:
    essence = "Zie [de site](https://www.rijksoverheid.nl) of <mailto:a@b.nl>."
    links = live_links(render_md(tmp_path, essence))
    assert "https://www.rijksoverheid.nl" in links and "mailto:a@b.nl" in links


# -- inputs that hang ----------------------------------------------------------------------

ADVERSARIAL_UNITS = [
    "[",
    "]",
    "[a](",
    "*",
    "*a ",
    "_a ",
    "*a_",
    "[^",
    "[^a]",
    "[^a",
    "<a:",
    "<a ",
    "\\",
    " ",
    "![",
    "`",
    "&#",
    "[INVULLEN ",
    "**",
    "__",
    "[[",
    "]]",
    "([",
    "])",
]


def cpu_seconds_to_check(text: str) -> float:
    """CPU time of checking a fiche with `text` as its essence: other load does not count."""
    import tempfile

    data = MINIMAL.replace("essence: Essentie.", "essence: " + json.dumps(text))
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        f.write(data)
    try:
        started = time.process_time()
        check_file(f.name)
        return time.process_time() - started
    finally:
        os.unlink(f.name)


@pytest.mark.parametrize("unit", ["[", "[^", "[^a]", "*a_", "<a:", "![", " "])
def test_a_pathological_text_at_the_size_cap_is_checked_quickly(unit: str) -> None:
    text = unit * ((MAX_BYTES - len(MINIMAL) - 100) // len(unit))
    assert cpu_seconds_to_check(text) < 2


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 30))
@given(
    st.lists(
        st.tuples(st.sampled_from(ADVERSARIAL_UNITS), st.integers(1, 20_000)),
        min_size=1,
        max_size=6,
    )
)
def test_no_text_takes_more_than_two_seconds_to_check(parts: list[tuple[str, int]]) -> None:
    text = "".join(unit * count for unit, count in parts)[: MAX_BYTES // 2]
    assert cpu_seconds_to_check(text) < 2


def test_a_fifo_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    for command in (["check", "x.yaml"], ["render", "x.yaml", "-f", "md"], ["textconv", "x.yaml"]):
        done = run_cli(*command, cwd=tmp_path, timeout=30)
        assert b"not a regular file" in done.stdout + done.stderr, done
    done = run_cli(
        "new", "y.yaml", "--type", "communication", "--actions", "x.yaml", cwd=tmp_path, timeout=30
    )
    assert done.returncode == 1 and b"not a regular file" in done.stderr


def zip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ZipLimitError):
        read_zip(bomb)
    path = write(tmp_path / "bom.docx", bomb)
    result = cli("textconv", str(path))
    assert result.exit_code == 0 and "fingerprint" in result.stdout
    source = write(tmp_path / "x.yaml", MINIMAL)
    result = cli(
        "render", str(source), "--reference-docx", str(path), "-o", str(tmp_path / "x.docx")
    )
    assert result.exit_code == 1
    assert not (tmp_path / "x.docx").exists()


def test_a_zip_of_too_many_members_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(3000):
            archive.writestr(f"{index}.xml", b"")
    with pytest.raises(ZipLimitError):
        read_zip(buffer.getvalue())


def test_a_device_is_not_an_input() -> None:
    with pytest.raises(InputError, match="not a regular file"):
        read_fiche("/dev/zero")


# -- reliability ---------------------------------------------------------------------------


def test_textconv_of_a_corrupt_word_file_does_not_break_git_diff(tmp_path: Path) -> None:
    path = write(tmp_path / "x.docx", b"PK\x03\x04" + b"kapot" * 100)
    result = cli("textconv", str(path))
    assert result.exit_code == 0
    assert "warning" in result.stderr


def test_build_reports_every_failed_fiche_even_when_the_state_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fichegen import build

    write(tmp_path / "positions" / "goed.yaml", MINIMAL)
    write(tmp_path / "positions" / "fout1.yaml", BROKEN_VARIANTS["rule"])
    write(tmp_path / "positions" / "fout2.yaml", BROKEN_VARIANTS["syntax"])
    monkeypatch.chdir(tmp_path)

    def full_disk(*args: Any, **kwargs: Any) -> None:
        from fichegen.errors import Location, Problem, ToolError

        where = Location("output/.fichegen-build.json")
        raise ToolError(Problem(where, "cannot write file: No space left on device"))

    monkeypatch.setattr(build, "write_state", full_disk)
    result = cli("build", "--format", "md", "--jobs", "1")
    assert result.exit_code == 1
    assert "fout1.yaml" in result.output and "fout2.yaml" in result.output
    assert "No space left on device" in result.output


def test_build_names_outputs_of_gone_or_failing_fiches_and_prune_removes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "positions" / "weg.yaml", MINIMAL)
    write(tmp_path / "positions" / "stuk.yaml", MINIMAL.replace("title: Test", "title: Stuk"))
    write(tmp_path / "positions" / "blijft.yaml", MINIMAL)
    write(tmp_path / "output" / "eigen.md", "van de gebruiker")
    monkeypatch.chdir(tmp_path)
    assert cli("build", "--format", "md", "--jobs", "1").exit_code == 0
    (tmp_path / "positions" / "weg.yaml").unlink()
    write(tmp_path / "positions" / "stuk.yaml", BROKEN_VARIANTS["rule"])
    result = cli("build", "--format", "md", "--jobs", "1")
    assert (
        "output/weg.md: warning: left over: its fiche positions/weg.yaml is gone" in result.output
    )
    assert (
        "output/stuk.md: warning: out of date: its fiche positions/stuk.yaml failed"
        in result.output
    )
    assert (tmp_path / "output" / "weg.md").exists()
    result = cli("build", "--format", "md", "--jobs", "1", "--prune")
    assert "removed" in result.output
    remaining = sorted(p.name for p in (tmp_path / "output").glob("*.md"))
    assert remaining == ["blijft.md", "eigen.md"]


def test_a_later_write_removes_the_temporary_a_hard_kill_left(tmp_path: Path) -> None:
    from fichegen.files import write_atomic

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stray = write(tmp_path / f".x.md.{int(dead.stdout)}-0123abcd.tmp", "half")
    running = write(tmp_path / f".x.md.{os.getppid()}-0123abcd.tmp", "being written")
    write_atomic(tmp_path / "x.md", b"new")
    assert not stray.exists()
    assert running.exists()  # a process that still runs keeps its temporary
    assert (tmp_path / "x.md").read_bytes() == b"new"


def test_new_with_line_separators_in_the_action_list_reads_back_exactly(tmp_path: Path) -> None:
    actions = write(
        tmp_path / "a.csv", "id;titel;samenvatting\n1;Een;Zin een\u2028zin\u2029twee\x85drie\n"
    )
    result = cli(
        "new", str(tmp_path / "x.yaml"), "--type", "communication", "--actions", str(actions)
    )
    assert result.exit_code == 0, result.output
    checked = check_file(tmp_path / "x.yaml")
    assert checked.fiche is not None and not checked.errors, checked.errors
    action = checked.fiche.areas[0].actions[0]
    assert action.summary == "Zin een\u2028zin\u2029twee\x85drie"


@pytest.mark.skipif(
    __import__("fichegen.render.pdf").render.pdf.find_soffice() is None,
    reason="LibreOffice is not installed",
)
def test_the_same_fiche_gives_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    source = write(tmp_path / "x.yaml", MINIMAL)
    first = cli("render", str(source), "-f", "pdf", "-o", str(tmp_path / "a.pdf"))
    assert first.exit_code == 0, first.output
    time.sleep(1.1)  # LibreOffice stamps the second
    second = cli("render", str(source), "-f", "pdf", "-o", str(tmp_path / "b.pdf"))
    assert second.exit_code == 0, second.output
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert b"/CreationDate (D:20250101" in (tmp_path / "a.pdf").read_bytes()


def test_check_says_an_eurlex_address_is_not_a_web_address(tmp_path: Path) -> None:
    text = MINIMAL.replace('"https://eur-lex.europa.eu/x"', '"ms-msdt:/id PCWDiagnostic"')
    result = cli("check", str(write(tmp_path / "x.yaml", text)))
    assert result.exit_code == 1
    assert "does not start with https://" in result.output
    assert "[link-address]" in result.output


def test_check_warns_of_an_internal_note_on_a_section_the_fiche_leaves_out(
    tmp_path: Path,
) -> None:
    text = MINIMAL + "internal_section_notes:\n  developing_countries: Nergens te zien.\n"
    result = cli("check", str(write(tmp_path / "x.yaml", text)))
    assert result.exit_code == 0
    assert "[note-no-section]" in result.output


def test_a_footnote_in_an_internal_note_is_written_out_in_its_word_comment(
    tmp_path: Path,
) -> None:
    fiche = read_fiche(write(tmp_path / "x.yaml", SECRET_FOOTNOTE))
    with zipfile.ZipFile(io.BytesIO(render_fiche(fiche, "docx", audience="internal"))) as docx:
        comments = docx.read("word/comments.xml").decode("utf-8")
    assert "Marge tot 5%. (ONDERHANDELINGSMARGE van het kabinet)" in comments
    assert "[^marge]" not in comments


def test_build_refuses_a_pipe_as_reference_document_at_once(tmp_path: Path) -> None:
    write(tmp_path / "positions" / "x.yaml", MINIMAL)
    os.mkfifo(tmp_path / "huisstijl.docx")
    done = run_cli("build", "--reference-docx", "huisstijl.docx", cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert b"not a regular file" in done.stderr


def test_a_public_tracked_changes_document_holds_no_internal_footnote(tmp_path: Path) -> None:
    old = write(tmp_path / "old.yaml", MINIMAL)
    new = write(tmp_path / "new.yaml", SECRET_FOOTNOTE)
    target = tmp_path / "w.docx"
    result = cli("diff", str(old), str(new), "-f", "docx", "-o", str(target))
    assert result.exit_code == 0, result.output
    word = docx_text(target.read_bytes())
    assert "ONDERHANDELINGSMARGE" not in word and "Marge tot" not in word
    assert "Openbare bron" in word


def test_a_public_text_that_looks_like_a_note_stays_in_the_internal_word_file(
    tmp_path: Path,
) -> None:
    text = MINIMAL.replace(
        "essence: Essentie.", 'essence: "> **Interne notitie:** Dit is openbare tekst."'
    ).replace(
        "        stance: support\n", "        stance: support\n        internal_notes: Echt.\n"
    )
    fiche = read_fiche(write(tmp_path / "x.yaml", text))
    with zipfile.ZipFile(io.BytesIO(render_fiche(fiche, "docx", audience="internal"))) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        comments = docx.read("word/comments.xml").decode("utf-8")
    assert "Dit is openbare tekst." in body
    assert "Echt." in comments and "openbare" not in comments
