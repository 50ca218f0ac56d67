"""Keep the Dutch message catalog in step with the code, and compile it.

    python tools/messages.py           # add new message ids to the .po, compile the .mo
    python tools/messages.py --check   # exit 1 when an id has no Dutch text or the .mo is stale

Uses Babel (a test dependency), the ecosystem's gettext tooling: ids are found in every
`_("...")` and `ngettext("...", "...", n)` call under src/fichegen.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "fichegen"
PO = PACKAGE / "locales" / "nl" / "LC_MESSAGES" / "fichegen.po"
MO = PO.with_suffix(".mo")


def extract() -> Catalog:
    template = Catalog(domain="fichegen")
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for filename, lineno, message, _comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=keywords
    ):
        template.add(message, locations=[(filename, lineno)], context=context)
    return template


# Fixed header dates, so that the files change only when a message does.
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def load() -> Catalog:
    with PO.open("rb") as handle:
        return steady(read_po(handle, locale="nl", domain="fichegen"))


def steady(catalog: Catalog) -> Catalog:
    catalog.project, catalog.version = "fichegen", "1"
    catalog.creation_date = catalog.revision_date = FIXED
    catalog.last_translator = catalog.language_team = "fichegen"
    catalog.msgid_bugs_address = ""
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def missing(catalog: Catalog, template: Catalog) -> list[str]:
    """Message ids in the code with no Dutch text in the catalog."""
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if not found or not all(texts):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main(argv: list[str]) -> int:
    catalog, template = load(), extract()
    if "--check" in argv:
        problems = [f"no Dutch text for: {m!r}" for m in missing(catalog, template)]
        if not MO.exists() or MO.read_bytes() != compiled(catalog):
            problems.append(f"{MO.relative_to(ROOT)} is stale: run python tools/messages.py")
        print("\n".join(problems) or "catalog complete")
        return 1 if problems else 0
    catalog.update(template, no_fuzzy_matching=True)
    steady(catalog)
    with PO.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, width=100, no_location=True)
    MO.write_bytes(compiled(load()))
    for message_id in missing(catalog, template):
        print(f"to translate: {message_id!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
