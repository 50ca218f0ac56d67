"""The fast road (C parser) and the round-trip loader give the same tree, located alike."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from fichegen.load import MAX_DEPTH
from fichegen.yamltree import NotPlain, compose_tree

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    [
        *ROOT.glob("positions/*.yaml"),
        *ROOT.glob("tests/golden/*/*.yaml"),
        *ROOT.glob("tests/invalid/*.yaml"),
    ]
)


def round_trip(text: str) -> Any:
    return YAML(typ="rt").load(text)


def assert_same(fast: Any, slow: Any, path: str = "$") -> None:
    """Same values, same container and string types, same line and column everywhere.

    The one allowed difference: an empty value. The C parser places it right
    after its key, where the user left it empty; the round-trip loader at the
    next token.
    """
    mine: Any = fast  # ruamel's containers, with .lc (isinstance narrows them to dict)
    located: Any = slow
    if isinstance(slow, dict):
        assert type(fast) is type(slow), path
        assert list(fast) == list(slow), path
        assert (mine.lc.line, mine.lc.col) == (located.lc.line, located.lc.col), path
        for key in slow:
            assert mine.lc.key(key) == located.lc.key(key), f"{path}.{key}"
            if slow[key] is not None:
                assert mine.lc.value(key) == located.lc.value(key), f"{path}.{key} value"
            assert_same(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, list):
        assert type(fast) is type(slow), path
        assert len(fast) == len(slow), path
        for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
            assert mine.lc.item(index) == located.lc.item(index), f"{path}[{index}]"
            assert_same(a, b, f"{path}[{index}]")
    else:
        if isinstance(slow, str):
            assert type(fast) is type(slow), path
        assert fast == slow, path


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_roads_agree_on_every_file_of_the_repository(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        fast = compose_tree(text, MAX_DEPTH)
    except NotPlain:
        return  # the round-trip loader takes it; nothing to compare
    assert_same(fast, round_trip(text))


def test_the_examples_take_the_fast_road() -> None:
    for path in ROOT.glob("positions/*.yaml"):
        compose_tree(path.read_text("utf-8"), MAX_DEPTH)  # raises NotPlain otherwise


scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=10), children, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(tree=trees, block=st.booleans())
def test_both_roads_agree_on_generated_documents(tree: Any, block: bool) -> None:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = not block
    stream = io.StringIO()
    yaml.dump(tree, stream)
    text = stream.getvalue()
    try:
        fast = compose_tree(text, MAX_DEPTH)
    except NotPlain:
        return
    assert_same(fast, round_trip(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1]\nb: *x\n",
        "a: !!python/object:os.system x\n",
        "a: 1\na: 2\n",
        "a: [1\n",
        "--- a\n--- b\n",
        "a: " + "[" * 40 + "]" * 40,
    ],
)
def test_anything_unusual_takes_the_round_trip_road(text: str) -> None:
    with pytest.raises(NotPlain):
        compose_tree(text, MAX_DEPTH)


def test_a_million_levels_of_nesting_neither_crashes_nor_hangs(tmp_path: Path) -> None:
    # The C composer recurses in C and would crash the interpreter; run it in a
    # child so a crash shows as a failed test rather than a dead test run.
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 1_000_000 + "]" * 1_000_000, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "fichegen.cli", "check", str(deep)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert f"{deep}:1:" in result.stdout + result.stderr
    assert "nesting deeper than" in result.stdout + result.stderr
