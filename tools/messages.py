"""Keep the Dutch message catalog in step with the code, and compile it.

    python tools/messages.py           # add new message ids to the .po, compile the .mo
    python tools/messages.py --check   # exit 1 when an id has no Dutch text or the .mo is stale

Uses Babel (a test dependency), the ecosystem's gettext tooling: ids are found in every
`_("...")` and `ngettext("...", "...", n)` call under src/fichegen, and in the help
texts of the commands (docstrings, `help=`), read from the command tree.

click's own texts ("Usage:", "Missing argument") have their own catalog, `click.po`,
extracted the same way from the installed click. A text a newer click adds is listed
"to translate" but does not fail --check (it shows in English until translated).
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
CLICK_PO = PO.with_name("click.po")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(domain="fichegen")
    for filename, lineno, message, _comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, locations=[(filename, lineno)], context=context)
    sys.path.insert(0, str(ROOT / "src"))
    from fichegen.cli import main
    from fichegen.clitext import iter_help_ids

    for message in iter_help_ids(main):
        template.add(message, locations=[("cli.py", 0)])
    return template


def extract_click() -> Catalog:
    import click

    template = Catalog(domain="click")
    for filename, lineno, message, _comments, context in extract_from_dir(
        Path(click.__file__).parent, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, locations=[(filename, lineno)], context=context)
    return template


# Fixed header dates, so that the files change only when a message does.
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def load(po: Path = PO) -> Catalog:
    if not po.exists():
        return steady(Catalog(locale="nl", domain=po.stem))
    with po.open("rb") as handle:
        return steady(read_po(handle, locale="nl", domain=po.stem))


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
    clicks, click_template = load(CLICK_PO), extract_click()
    if "--check" in argv:
        problems = [f"no Dutch text for: {m!r}" for m in missing(catalog, template)]
        for po, loaded in ((PO, catalog), (CLICK_PO, clicks)):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled(loaded):
                problems.append(f"{mo.relative_to(ROOT)} is stale: run python tools/messages.py")
        for message_id in missing(clicks, click_template):
            print(f"click text without Dutch (shown in English): {message_id!r}")
        print("\n".join(problems) or "catalog complete")
        return 1 if problems else 0
    for po, loaded, extracted in ((PO, catalog, template), (CLICK_PO, clicks, click_template)):
        loaded.update(extracted, no_fuzzy_matching=True)
        steady(loaded)
        with po.open("wb") as handle:
            write_po(handle, loaded, sort_output=True, width=100, no_location=True)
        po.with_suffix(".mo").write_bytes(compiled(load(po)))
        for message_id in missing(loaded, extracted):
            print(f"to translate ({po.name}): {message_id!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
