"""Bad, hostile or odd input and interrupts: an error a person can act on, never damage."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from fichegen.cli import main
from fichegen.errors import InputError, UsageError
from fichegen.files import write_atomic
from fichegen.load import MAX_BYTES, parse_source, read_source
from fichegen.pipeline import check_file, render_fiche
from samples import MINIMAL

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def render(runner: CliRunner, folder: Path, text: str | bytes, *options: str) -> tuple[int, str]:
    """Render a positions file to Markdown in `folder`; the exit code and all output."""
    source = folder / "x.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    source.write_bytes(text)
    result = runner.invoke(
        main, ["render", str(source), "-f", "md", "-o", str(folder / "x.md"), *options]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def first_error(output: str) -> str:
    return next(line for line in output.splitlines() if ": error: " in line)


# -- YAML: plain data only ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object/apply:os.system ['echo pwned']", "!!python/object/apply:os.system"),
        ("!!python/name:os.system ''", "!!python/name:os.system"),
        ("!include other.yaml", "!include"),
        ("!!str Essentie.", "!!str"),
        ("!!binary RXNzZW50aWUu", "!!binary"),
    ],
)
def test_tagged_values_are_refused_at_their_place(
    runner: CliRunner, tmp_path: Path, value: str, shown: str
) -> None:
    code, output = render(
        runner, tmp_path, MINIMAL.replace("essence: Essentie.", f"essence: {value}")
    )
    assert code == 1
    assert first_error(output).startswith(
        f"{tmp_path / 'x.yaml'}:11:10: error: the tag '{shown}' is not allowed"
    )
    assert "hint: fichegen reads plain data only" in output
    assert not (tmp_path / "x.md").exists()


def test_anchors_and_aliases_are_refused_with_a_hint(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.replace("dutch_policy: Beleid.", "dutch_policy: &b Beleid.").replace(
        "assessment: Beoordeling.", "assessment: *b"
    )
    code, output = render(runner, tmp_path, text)
    assert code == 1
    assert f"{tmp_path / 'x.yaml'}:21:17: error: anchor '&b' is not allowed" in output
    assert "repeat the text" in output


def test_a_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    started = time.process_time()  # CPU time: a busy machine does not count
    with pytest.raises(InputError) as caught:
        parse_source("\n".join(lines).encode(), "laughs.yaml")
    assert time.process_time() - started < 1
    assert (
        caught.value.problems[0]
        .format()
        .startswith("laughs.yaml:1:5: error: anchor '&a0' is not allowed")
    )


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 10_000,
        b"{" * 10_000,
        b"[" * 10_000 + b"]" * 10_000,
        b"".join(b"  " * i + b"- \n" for i in range(200)),
    ],
    ids=["open-lists", "open-mappings", "closed-lists", "indented-lists"],
)
def test_deep_nesting_is_refused_without_a_recursion_error(data: bytes) -> None:
    started = time.process_time()  # CPU time: a busy machine does not count
    with pytest.raises(InputError) as caught:
        parse_source(data, "deep.yaml")
    assert time.process_time() - started < 3
    problem = caught.value.problems[0]
    assert problem.location.line >= 1
    assert "nesting deeper than 32 levels" in problem.message


def test_a_file_larger_than_a_fiche_can_be_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    code, output = render(runner, tmp_path, b"# " + b"x" * MAX_BYTES + b"\n")
    assert code == 1
    assert "more than a fiche can be [too-large]" in output


def test_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source("/dev/zero")
    assert caught.value.problems[0].message == "not a regular file"


def test_invalid_utf8_is_located_at_the_byte(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.replace("Essentie.", "Essenti\u00eb.").encode("utf-8")
    text = text.replace("\u00eb".encode(), b"\xeb")  # as saved in Latin-1
    code, output = render(runner, tmp_path, text)
    assert code == 1
    assert first_error(output) == (
        f"{tmp_path / 'x.yaml'}:11:17: error: invalid UTF-8 byte 0xeb [encoding]"
    )
    assert "save the file as UTF-8" in output


def test_a_byte_order_mark_is_accepted(runner: CliRunner, tmp_path: Path) -> None:
    code, output = render(runner, tmp_path, b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert code == 0, output
    assert (tmp_path / "x.md").read_text("utf-8").startswith("**CONCEPT**\n\n# Fiche: Test\n")


def test_utf16_is_refused_with_a_hint(runner: CliRunner, tmp_path: Path) -> None:
    code, output = render(runner, tmp_path, MINIMAL.encode("utf-16"))
    assert code == 1
    assert "file is UTF-16, not UTF-8 [encoding]" in output


def test_duplicate_keys_are_refused_at_the_second(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.replace("essence: Essentie.", "essence: Essentie.\nessence: Nog eens.")
    code, output = render(runner, tmp_path, text)
    assert code == 1
    assert first_error(output).startswith(f"{tmp_path / 'x.yaml'}:12:1: error: duplicate key")
    assert "[duplicate-key]" in output


# -- text Word cannot hold -----------------------------------------------------------------


def test_escaped_control_character_is_reported_where_it_stands(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = MINIMAL.replace("essence: Essentie.", 'essence: "Essen\\x01tie."')
    code, output = render(runner, tmp_path, text)
    assert code == 1
    assert f"{tmp_path / 'x.yaml'}:11:" in first_error(output)
    assert "control character U+0001, which Word cannot hold [control-character]" in output


def test_raw_control_character_is_reported_with_line_and_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = MINIMAL.replace("force_field: Krachtenveld.", "force_field: Kracht\x0benveld.")
    code, output = render(runner, tmp_path, text)
    assert code == 1
    assert first_error(output).startswith(f"{tmp_path / 'x.yaml'}:23:22: error: ")
    assert "U+000B" in output


def test_error_messages_quoting_user_text_stay_on_one_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, output = render(runner, tmp_path, MINIMAL + '"tit\\nel\\e[31m": x\n')
    assert code == 1
    line = first_error(output)
    assert "unknown key 'tit\\nel\\x1b[31m'" in line
    assert "\x1b" not in output


# -- text that looks like code or structure -------------------------------------------------


def test_text_that_looks_like_jinja_is_printed_literally(runner: CliRunner, tmp_path: Path) -> None:
    jinja = "{{ fiche.title }} {% for x in range(3) %}X{% endfor %} {# weg #} {{ 7 * 7 }}"
    code, output = render(runner, tmp_path, MINIMAL.replace("Essentie.", f"'{jinja}'"))
    assert code == 0, output
    text = (tmp_path / "x.md").read_text("utf-8")
    assert jinja in text
    assert "49" not in text and "XXX" not in text


STRUCTURE = """\
# Kop
---
<script>alert(1)</script>
[^x]: een eigen voetnoot
| a | b |
|---|---|
```
## 9. Nep-sectie

    ingesprongen als code
"""


def test_markdown_and_html_in_prose_cannot_add_structure(tmp_path: Path) -> None:
    block = textwrap.indent(STRUCTURE, "      ")
    text = MINIMAL.replace("  assessment: Beoordeling.", f"  assessment: |\n{block}")
    source = tmp_path / "x.yaml"
    source.write_text(text, encoding="utf-8")
    fiche = check_file(source).fiche  # validation reports the markup; rendering must hold too
    assert fiche is not None
    markdown = render_fiche(fiche, "md").decode("utf-8")
    tokens = MarkdownIt("commonmark").enable("table").use(footnote_plugin).parse(markdown)
    types = [t.type for t in tokens]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not {
        "hr",
        "html_block",
        "fence",
        "code_block",
        "table_open",
        "footnote_block_open",
    } & set(types)
    assert "Kop" not in headings and "9. Nep-sectie" not in headings
    shown = "\n".join(
        "".join(
            child.content if child.type == "text" else "\n"
            for child in token.children or ()
            if child.type in ("text", "softbreak")
        )
        for token in tokens
        if token.type == "inline"
    )
    for line in filter(None, STRUCTURE.splitlines()):  # every line is there, as typed
        assert line.strip() in shown.splitlines()


def test_markdown_and_html_in_prose_reach_word_as_plain_text(tmp_path: Path) -> None:
    block = textwrap.indent(STRUCTURE, "      ")
    source = tmp_path / "x.yaml"
    source.write_text(
        MINIMAL.replace("  assessment: Beoordeling.", f"  assessment: |\n{block}"), encoding="utf-8"
    )
    fiche = check_file(source).fiche
    assert fiche is not None
    plain = check_file(_write(tmp_path / "plain.yaml", MINIMAL)).fiche
    assert plain is not None

    def paragraphs(docx: bytes) -> list[tuple[str, str]]:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
        return [
            (
                "".join(p.xpath(".//w:pStyle/@w:val", namespaces=NS)),
                "".join(p.xpath(".//w:t/text()", namespaces=NS)),
            )
            for p in body.iter(f"{{{NS['w']}}}p")
        ]

    marked = paragraphs(render_fiche(fiche, "docx"))
    headings = [p for p in marked if p[0].startswith(("Heading", "Title"))]
    assert headings == [
        p for p in paragraphs(render_fiche(plain, "docx")) if p[0].startswith(("Heading", "Title"))
    ]
    text = "\n".join(t for _, t in marked)
    assert "<script>alert(1)</script>" in text and "[^x]: een eigen voetnoot" in text


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- user templates run sandboxed, errors name template, line and name -----------------------


def test_broken_user_template_names_template_line_and_variable(
    runner: CliRunner, tmp_path: Path
) -> None:
    templates = tmp_path / "sjablonen"
    templates.mkdir()
    (templates / "communication.md.j2").write_text(
        "# {{ fiche.title }}\n\n{{ fiche.essence }}\n{{ onbekend }}\n", encoding="utf-8"
    )
    code, output = render(runner, tmp_path, MINIMAL, "--templates", str(templates))
    assert code == 1
    assert first_error(output) == (
        f"{templates / 'communication.md.j2'}:4: error: "
        "template error: the template uses 'onbekend', a name that does not exist [template]"
    )
    assert not (tmp_path / "x.md").exists()


def test_user_template_cannot_escape_the_sandbox(runner: CliRunner, tmp_path: Path) -> None:
    templates = tmp_path / "sjablonen"
    templates.mkdir()
    (templates / "communication.md.j2").write_text(
        "{{ fiche.__class__.__init__.__globals__['os'].system('touch pwned') }}\n", encoding="utf-8"
    )
    code, output = render(runner, tmp_path, MINIMAL, "--templates", str(templates))
    assert code == 1
    assert "error: template error: the template may not use '__init__'" in first_error(output)
    assert not Path("pwned").exists() and not (tmp_path / "pwned").exists()


def test_user_labels_are_read_as_plain_data_only(runner: CliRunner, tmp_path: Path) -> None:
    templates = tmp_path / "sjablonen"
    templates.mkdir()
    (templates / "labels.yaml").write_text("stances: !!python/name:os.system\n", encoding="utf-8")
    code, output = render(runner, tmp_path, MINIMAL, "--templates", str(templates))
    assert code == 1
    assert first_error(output).startswith(f"{templates / 'labels.yaml'}:1:10: error: the tag")


def test_user_template_overrides_one_file_and_keeps_the_rest(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "sjablonen"
    templates.mkdir()
    (templates / "communication.md.j2").write_text(
        '{% import "_fiche.md.j2" as f with context %}# Eigen: {{ fiche.title }}\n'
        '{{ f.item("a", "Titel", fiche.general.proposal_title) }}',
        encoding="utf-8",
    )
    monkeypatch.setenv("FICHEGEN_TEMPLATES", str(templates))
    code, output = render(runner, tmp_path, MINIMAL)
    assert code == 0, output
    assert (tmp_path / "x.md").read_text("utf-8") == "# Eigen: Test\n### a) Titel\n\nTitel\n"


# -- files: where output goes, and that it is whole ------------------------------------------


@pytest.mark.parametrize("name", ["../x.yaml", "sub/../../x.yaml", "a\\..\\x.yaml"])
def test_default_output_stays_under_output_for_odd_names(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    monkeypatch.chdir(work)
    source = work / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(MINIMAL, encoding="utf-8")
    result = runner.invoke(main, ["render", name, "-f", "md"])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*.md")]
    assert len(written) == 1
    assert written[0].parent == work / "output"


def test_internal_version_gets_its_own_default_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text(MINIMAL, encoding="utf-8")
    assert runner.invoke(main, ["render", "x.yaml", "-f", "md"]).exit_code == 0
    result = runner.invoke(main, ["render", "x.yaml", "-f", "md", "--audience", "internal"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["x-intern.md", "x.md"]


def test_writing_through_a_link_is_refused_and_both_stay(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("old", encoding="utf-8")
    (tmp_path / "link.md").symlink_to("real.md")
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(tmp_path / "link.md", b"new")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real.md").read_text("utf-8") == "old"


def test_written_files_are_readable_by_colleagues(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "x.md", b"data")
    finally:
        os.umask(previous)
    assert (tmp_path / "x.md").stat().st_mode & 0o777 == 0o644


def test_writing_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_atomic(fifo, b"through the pipe")
    assert reader.communicate(timeout=10)[0] == b"through the pipe"
    assert fifo.is_fifo()


# -- interrupts: a kill never leaves a broken or partial output ------------------------------

# Runs the CLI with a disk so slow that the kill lands while the new file is
# being written: the window where a careless writer leaves a broken target.
SLOW_DISK = """
import os, sys, time
os.fsync = lambda fd: time.sleep(60)
from fichegen.cli import main
sys.exit(main())
"""


def start_slow_render(source: Path, target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_DISK, "render", str(source), "-f", "md", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )


def ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C reaches the command as in a terminal, even when the tests run as a background job
    (whose shell hands on SIGINT ignored, so Python would install no handler for it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_temporary(folder: Path, process: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = list(folder.glob(".*.tmp"))
        if found:
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the render never started writing")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_kill_while_writing_keeps_the_previous_output_and_cleans_up(
    tmp_path: Path, sig: signal.Signals
) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    target = tmp_path / "x.md"
    target.write_text("previous complete version\n", encoding="utf-8")
    process = start_slow_render(source, target)
    wait_for_temporary(tmp_path, process)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "interrupted; no file was left half-written" in stderr
    assert "Traceback" not in stderr
    assert target.read_text("utf-8") == "previous complete version\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_hard_kill_while_writing_never_breaks_the_target(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    target = tmp_path / "x.md"
    target.write_text("previous complete version\n", encoding="utf-8")
    process = start_slow_render(source, target)
    stray = wait_for_temporary(tmp_path, process)
    process.kill()
    process.communicate(timeout=30)
    assert target.read_text("utf-8") == "previous complete version\n"
    assert stray.name.startswith(".x.md.")  # a SIGKILL may leave this, never more


def test_kills_at_any_moment_leave_old_or_complete_new_output(tmp_path: Path) -> None:
    source = tmp_path / "x.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    target = tmp_path / "x.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fichegen.cli",
            "render",
            str(source),
            "-f",
            "md",
            "-o",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    complete = target.read_text("utf-8")
    old = "previous complete version\n"
    for delay in (0.0, 0.1, 0.2, 0.3, 0.5):
        target.write_text(old, encoding="utf-8")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fichegen.cli",
                "render",
                str(source),
                "-f",
                "md",
                "-o",
                str(target),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.terminate()
        _, stderr = process.communicate(timeout=30)
        assert "Traceback" not in stderr
        assert target.read_text("utf-8") in (old, complete)
        assert not list(tmp_path.glob(".*.tmp"))


# -- commands that write YAML never destroy the user's file --------------------------------------


def test_new_never_replaces_an_existing_positions_file(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mijn-fiche.yaml"
    original = "# mijn aantekeningen, niet weggooien\n" + MINIMAL
    mine.write_text(original, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(mine.name)
    for target in (mine, link):
        result = runner.invoke(main, ["new", str(target), "--type", "communication"])
        assert result.exit_code == 1
        assert (
            f"{target}: error: file already exists; it was left as it is [exists]" in result.output
        )
    assert mine.read_text("utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "mijn-fiche.yaml"]


def test_new_skeleton_is_checked_and_rendered_without_a_crash(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "nieuw.yaml"
    result = runner.invoke(
        main,
        ["new", str(target), "--type", "communication", "--com", "COM(2026) 1", "--title", "Nieuw"],
    )
    assert result.exit_code == 0, result.output
    code, output = render(runner, tmp_path, target.read_bytes(), "--audience", "internal")
    assert code in (0, 1), output  # placeholders are warnings, empty sections errors
    assert all(
        ": error: " not in line or line.startswith(str(tmp_path / "x.yaml"))
        for line in output.splitlines()
    )
