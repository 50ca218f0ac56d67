"""The language of every message a user reads: Dutch by default, English on request.

Messages are written in the code in English, wrapped in `_()`, and looked up in the
gettext catalog `locales/nl/LC_MESSAGES/fichegen.po` (compiled to `.mo`, which is
what runs). English is chosen with `--lang en`, `FICHEGEN_LANG=en`, or an English
locale (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` starting with `en`). After
editing the catalog, run `python tools/messages.py` to extract and compile it.

Fiche text (labels, stock phrases) is not here: it lives in the templates.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "fichegen"
LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("nl", "en")

_translation: gettext.NullTranslations | None = None
_language = ""
# click's own texts ("Usage:", "Missing argument"), in our catalog of them (see clitext.py).
CLICK_DOMAIN = "click"
_click_translation: gettext.NullTranslations | None = None


def language_from_environment() -> str:
    """`FICHEGEN_LANG`, else the first locale variable set; Dutch unless it says English."""
    chosen = os.environ.get("FICHEGEN_LANG", "").strip().lower()
    if chosen:
        return "en" if chosen.startswith("en") else "nl"
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    return "nl"


def set_language(language: str | None) -> None:
    """Switch every later message to `language` ('nl' or 'en'; None: from the environment)."""
    global _translation, _click_translation, _language
    language = _language = language or language_from_environment()
    if language == "en":
        _translation = _click_translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)
        _click_translation = gettext.translation(
            CLICK_DOMAIN, LOCALES, languages=[language], fallback=True
        )


def current() -> gettext.NullTranslations:
    if _translation is None:
        set_language(None)
    assert _translation is not None
    return _translation


def current_language() -> str:
    """The language messages are in now: 'nl' or 'en'."""
    current()
    return _language


def current_click() -> gettext.NullTranslations:
    """The catalog of click's own texts in the user's language."""
    if _click_translation is None:
        set_language(None)
    assert _click_translation is not None
    return _click_translation


def _(message: str) -> str:
    """`message` (English, as written in the code) in the user's language."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for `count`, in the user's language."""
    return current().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; `_()` translates it where it is shown."""
    return message


# The operating system's reasons (its own texts are English), for "cannot read file: {reason}".
_OS_REASONS = {
    "ENOENT": N_("no such file or folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("permission denied"),
    "EISDIR": N_("it is a folder"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk is full"),
    "EROFS": N_("the disk is read-only"),
    "EEXIST": N_("it already exists"),
    "ENAMETOOLONG": N_("the name is too long"),
    "ELOOP": N_("too many symbolic links"),
    "EBUSY": N_("the file is in use"),
    "ETXTBSY": N_("the file is in use"),
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in the user's language."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    translated = _(_OS_REASONS[name]) if name in _OS_REASONS else ""
    if translated and translated != _OS_REASONS[name]:
        return translated
    return exc.strerror or str(exc)  # English: the system's own words
