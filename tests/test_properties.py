"""For every input: a complete fiche or located errors, never a crash or a broken document.

Examples per test: FICHEGEN_FUZZ_EXAMPLES (200 by default, reproducible);
a long run: FICHEGEN_FUZZ_EXAMPLES=5000 pytest tests/test_properties.py
"""

from __future__ import annotations

import datetime
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from fichegen.cli import main
from fichegen.errors import FichegenError, Problem
from fichegen.load import parse_source
from fichegen.model import Fiche
from fichegen.pipeline import render_fiche
from fichegen.render.markdown import inline, render_markdown
from fichegen.render.markdown import prose as prose_filter
from fichegen.validate import validate
from fuzzing import (
    EXAMPLES,
    FUZZ,
    dump_yaml,
    fiches,
    garbage_trees,
    markup_prose,
    nasty_text,
    odd_text,
    plain_text,
    prose,
)

NAME = "positions/fuzz.yaml"
MARKDOWN = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
"""The parser the Word writer reads the Markdown with."""


def outcome(data: bytes) -> tuple[Fiche | None, list[Problem]]:
    """Load and validate as the CLI does; any exception but a located InputError fails."""
    try:
        source = parse_source(data, NAME)
    except FichegenError as exc:
        return None, exc.problems
    result = validate(source)
    return result.fiche, result.errors


def assert_located(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.location.path == NAME, problem.format()
        assert problem.location.line >= 1, f"no line: {problem.format()}"
        assert problem.format().count("\n") == (1 if problem.hint else 0), problem.format()


def blocks(markdown: str) -> list[tuple[str, str]]:
    """The document's skeleton: headings with their text, and every block that is not prose."""
    tokens = MARKDOWN.parse(markdown)
    skeleton = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            skeleton.append((token.tag, tokens[index + 1].content))
        elif token.type in (
            "hr",
            "html_block",
            "fence",
            "code_block",
            "table_open",
            "footnote_open",
        ):
            skeleton.append((token.type, ""))
    return skeleton


def plain(data: Any) -> Any:
    """The same fiche with every prose text replaced by 'x': the skeleton it must keep."""
    if isinstance(data, dict):
        return {
            key: value
            if key in ("type", "stance", "verdict", "id", "annex", "url", "title")
            else plain(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [plain(item) for item in data]
    if isinstance(data, str):
        return "x[^ia]" if data.endswith("[^ia]") else "x"
    return data


@FUZZ
@given(fiches(text=st.one_of(plain_text, odd_text)))
def test_generated_fiche_renders_completely_to_markdown_and_word(data: dict) -> None:
    fiche, errors = outcome(dump_yaml(data))
    assert not errors, errors
    assert fiche is not None
    markdown = render_markdown(fiche)
    assert markdown.startswith("# Fiche: ")
    assert "## 4. Grondhouding" in markdown
    assert markdown.endswith("\n")
    with zipfile.ZipFile(io.BytesIO(render_fiche(fiche, "docx", source_path=NAME))) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "4. Grondhouding" in body and body.rstrip().endswith("</w:document>")


@FUZZ
@given(fiches(text=st.one_of(prose, nasty_text)))
def test_fiche_with_control_characters_and_markup_gives_located_errors(data: dict) -> None:
    fiche, errors = outcome(dump_yaml(data))
    assert_located(errors)
    if fiche is not None:  # what validation refused must still render, or fail located
        render_markdown(fiche)
        try:
            render_fiche(fiche, "docx", source_path=NAME)
        except FichegenError as exc:
            assert_located(exc.problems)


@FUZZ
@given(garbage_trees)
def test_random_yaml_trees_give_located_errors_never_a_crash(data: Any) -> None:
    fiche, errors = outcome(dump_yaml(data))
    assert_located(errors)
    if fiche is not None and not errors:
        render_markdown(fiche)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_give_located_errors_never_a_crash(data: bytes) -> None:
    _, errors = outcome(data)
    assert_located(errors)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_gives_located_errors_never_a_crash(text: str) -> None:
    _, errors = outcome(text.encode("utf-8", "surrogatepass"))
    assert_located(errors)


@FUZZ
@given(fiches(text=markup_prose))
def test_markdown_in_prose_never_changes_the_document_structure(data: dict) -> None:
    fiche, _ = outcome(dump_yaml(data))  # markup is reported, but must also render safely
    baseline, baseline_errors = outcome(dump_yaml(plain(data)))
    assert fiche is not None and baseline is not None, baseline_errors
    assert blocks(render_markdown(fiche)) == blocks(render_markdown(baseline))


@FUZZ
@given(st.one_of(markup_prose, nasty_text))
def test_prose_filter_output_is_only_paragraph_level_markdown(text: str) -> None:
    for rendered in (prose_filter(text), inline(text)):
        types = {token.type for token in MARKDOWN.parse(rendered)}
        assert not types & {
            "heading_open",
            "hr",
            "html_block",
            "fence",
            "code_block",
            "table_open",
            "footnote_block_open",
        }, rendered
        inline_types = {
            child.type for token in MARKDOWN.parse(rendered) for child in token.children or ()
        }
        assert not inline_types & {"html_inline", "image"}, rendered
    assert "\n" not in inline(text).strip("\n")


# -- pairs of versions: fichegen diff -------------------------------------------------------------


def _reports(old: Fiche, new: Fiche) -> None:
    """Every report format of a comparison; the JSON's word operations rebuild the new texts."""
    from fichegen.diff.changes import compare
    from fichegen.diff.operations import WordOp, apply
    from fichegen.diff.report import (
        Naming,
        format_json,
        format_markdown,
        format_text,
        json_records,
    )
    from fichegen.render.markdown import TEMPLATES, load_labels

    changes = compare(old, new)
    naming = Naming(load_labels(TEMPLATES), new.type)
    for color in (False, True):
        text = format_text(changes, naming, color=color)
        assert bool(text) == bool(changes)
    format_markdown(changes, naming, "a.yaml@HEAD", "a.yaml")
    data = json.loads(format_json([("a", "b", json_records(changes, new.type))]))
    for change in data["comparisons"][0]["changes"]:
        if "operations" in change:
            ops = [WordOp(op["op"], op["text"]) for op in change["operations"]]
            assert apply(ops, change["old"]) == change["new"]


PAIRS = settings(FUZZ, max_examples=max(EXAMPLES // 4, 1))
"""Pairs cost two fiches each: a quarter of the examples (50 in CI, more in a long run)."""


@PAIRS
@given(
    fiches(text=st.one_of(plain_text, odd_text, markup_prose)),
    fiches(text=st.one_of(plain_text, odd_text, markup_prose)),
)
def test_any_pair_of_fiches_gives_every_report(first: dict, second: dict) -> None:
    old, _ = outcome(dump_yaml(first))
    new, _ = outcome(dump_yaml(second))
    assert old is not None and new is not None
    _reports(old, new)
    _reports(new, old)
    _reports(old, old)


@settings(FUZZ, max_examples=max(EXAMPLES // 8, 1))
@given(fiches(text=st.one_of(plain_text, markup_prose)), st.data())
def test_any_pair_of_fiches_gives_a_tracked_word_document(first: dict, data: st.DataObject) -> None:
    from fichegen.diff.revisions import accept_all
    from fichegen.diff.tracked import track_changes

    second = data.draw(fiches(text=st.one_of(plain_text, markup_prose)))
    old, _ = outcome(dump_yaml(first))
    new, _ = outcome(dump_yaml(second))
    assert old is not None and new is not None
    before, after = render_fiche(old, "docx"), render_fiche(new, "docx")
    tracked = track_changes(before, after, "x", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    assert accept_all(tracked)


_VERSION = st.one_of(
    fiches().map(dump_yaml),
    garbage_trees.map(dump_yaml),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@PAIRS
@given(_VERSION, _VERSION, st.sampled_from(["text", "md", "json"]))
def test_any_pair_of_files_gives_a_report_or_located_errors(
    first: bytes, second: bytes, fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        old, new = Path(folder) / "old.yaml", Path(folder) / "new.yaml"
        old.write_bytes(first)
        new.write_bytes(second)
        result = CliRunner().invoke(main, ["diff", str(old), str(new), "-f", fmt])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code == 2:
        assert all(
            line.startswith((str(old), str(new), "    hint:"))
            for line in result.stderr.splitlines()
        ), result.stderr


@given(st.text(alphabet=" \t\n=-ab.:()!`~>|+1*_[]<#\\", max_size=60))
def test_a_text_the_quick_look_passes_has_no_markdown_problem(text: str) -> None:
    from fichegen.prose import find_markdown_problems, is_suspect

    # the check parses only texts the quick look flags: it must never pass over a problem
    if not is_suspect(text):
        assert find_markdown_problems(text) == []
