"""Compiled templates are kept between runs, and a cache that cannot be written does no harm."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from fichegen.render import markdown


def test_compiled_templates_are_stored_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FICHEGEN_CACHE_DIR", str(tmp_path))
    cache = markdown._bytecode_cache()
    assert cache is not None
    environment = jinja2.Environment(
        loader=jinja2.DictLoader({"t.j2": "{{ 1 + 1 }}"}), bytecode_cache=cache
    )
    assert environment.get_template("t.j2").render() == "2"
    stored = list(tmp_path.glob("jinja-*/*.cache"))
    assert len(stored) == 1
    fresh = jinja2.Environment(
        loader=jinja2.DictLoader({"t.j2": "{{ 1 + 1 }}"}), bytecode_cache=cache
    )
    assert fresh.get_template("t.j2").render() == "2"


def test_an_unwritable_cache_folder_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("FICHEGEN_CACHE_DIR", str(blocker))
    assert markdown._bytecode_cache() is None


def test_the_xdg_cache_folder_is_used_when_fichegen_has_none_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FICHEGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert markdown._bytecode_cache() is not None
    assert list(tmp_path.glob("fichegen/jinja-*"))
