"""Every message a user reads has a Dutch text, and the compiled catalog is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
