"""The errors of reading a foreign fiche: each a located problem, exit code 2."""

from __future__ import annotations

from fichegen.errors import FichegenError, Location, Problem
from fichegen.i18n import _


class UnreadableError(FichegenError):
    """The file to import cannot be read as a fiche; nothing is written."""

    exit_code = 2


def unreadable(source: str, message: str, hint: str = "") -> UnreadableError:
    return UnreadableError(Problem(Location(source), message, code="import", hint=hint))


def not_a_fiche(source: str) -> UnreadableError:
    return unreadable(
        source,
        _("this is not a BNC fiche: the headings of the fiche format were not found"),
        _("import a fiche ('Fiche: ...' with '1. Algemene gegevens', '2. Essentie voorstel', ...)"),
    )
