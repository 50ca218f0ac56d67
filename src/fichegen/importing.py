"""`fichegen import`: fiches made elsewhere (Word, PDF text, web page) as positions files.

Every input is read and mapped before anything is written, and every target is
checked first: a bad input or an existing file (without `force`) stops the whole
run with nothing written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fichegen.errors import Location, Problem, Severity
from fichegen.i18n import _
from fichegen.read import read_document
from fichegen.read.errors import UnreadableError, unreadable
from fichegen.read.fiche import MappedFiche, map_fiche
from fichegen.read.letter import split_fiches
from fichegen.yamlwrite import dump_tree

DEFAULT_FOLDER = Path("positions")
SCHEMA_REF = "../schema/fiche.schema.json"


@dataclass
class Imported:
    """One positions file to write: where, its text, and what the user should check."""

    target: Path
    text: str
    source: Path
    fiche: MappedFiche
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    written: list[Imported] = field(default_factory=list)

    def iter_warnings(self) -> list[Problem]:
        return [problem for item in self.written for problem in item.warnings]


def run_import(
    sources: Sequence[Path], output: Path | None = None, *, force: bool = False
) -> ImportReport:
    """Import every fiche in `sources`; write them only when all could be read."""
    from fichegen.files import write_atomic

    planned = plan_import(sources, output)
    targets = [item.target for item in planned]
    problems = []
    seen: set[Path] = set()
    for target in targets:
        if target in seen:
            problems.append(
                Problem(
                    Location(str(target)),
                    _("two imported fiches would be written to this one file"),
                    code="import",
                    hint=_("give a folder with -o, so that each fiche gets a file of its own"),
                )
            )
        seen.add(target)
        if target.exists() and not force:
            problems.append(
                Problem(
                    Location(str(target)),
                    _("file already exists; it was left as it is"),
                    code="exists",
                    hint=_("choose another name, or pass --force to replace it"),
                )
            )
    if problems:
        raise UnreadableError(problems)
    for item in planned:
        write_atomic(item.target, item.text.encode("utf-8"))
    return ImportReport(planned)


def plan_import(sources: Sequence[Path], output: Path | None) -> list[Imported]:
    """Every fiche of every source, mapped and dumped, with its target; nothing written."""
    planned: list[Imported] = []
    errors: list[Problem] = []
    for source in sources:
        try:
            planned += _import_file(source)
        except UnreadableError as exc:
            errors += exc.problems
    if errors:
        raise UnreadableError(errors)
    if output is not None and _is_file_target(output) and len(planned) > 1:
        raise unreadable(
            str(output),
            _("{count} fiches to write, but -o names one file").format(count=len(planned)),
            _("give a folder with -o, e.g. -o positions/"),
        )
    taken: set[str] = set()
    for item in planned:
        name = item.target.name
        number = 1
        while name in taken:  # two fiches on one document: -2, -3 after the name
            number += 1
            name = f"{item.target.stem}-{number}.yaml"
        taken.add(name)
        if output is None:
            item.target = DEFAULT_FOLDER / name
        elif _is_file_target(output):
            item.target = output
        else:
            item.target = output / name
    return planned


def _is_file_target(output: Path) -> bool:
    return output.suffix.lower() in (".yaml", ".yml") and not output.is_dir()


def _import_file(source: Path) -> list[Imported]:
    document = read_document(source)
    parts = split_fiches(document)
    result = []
    for part in parts:
        fiche = map_fiche(part.document, part.metadata)
        origin = source.name
        if part.count > 1:
            origin = _("{name}, fiche {index} of {count}").format(
                name=source.name, index=part.index + 1, count=part.count
            )
        text = dump_positions(fiche.tree, origin)
        name = file_name(fiche)
        warnings = [
            Problem(
                Location(str(source), notice.line),
                notice.message,
                Severity.WARNING,
                code="import",
            )
            for notice in fiche.notices
        ]
        result.append(Imported(Path(name), text, source, fiche, warnings))
    return result


def file_name(fiche: MappedFiche) -> str:
    """'com-2025-744-actieplan-drugshandel.yaml': the first number and the title's gist."""
    number = ""
    for candidate in fiche.com_numbers:
        match = re.match(r"([A-Z]+)\((\d{4})\)\s*(\d+)", candidate)
        council = re.match(r"(\d+)/(\d+)", candidate)
        if match:
            number = "-".join(match.groups()).lower()
            break
        if council and not number:
            number = f"st-{council.group(1)}-{council.group(2)}"
    words = [
        word
        for word in re.findall(r"[a-z0-9]+", _ascii(fiche.title).lower())
        if word not in _STOP_WORDS and len(word) > 2
    ]
    gist = "-".join(words[-2:]) if words else "fiche"
    return f"{number}-{gist}.yaml" if number else f"{gist}.yaml"


_STOP_WORDS = {
    "mededeling",
    "voorstel",
    "voor",
    "een",
    "het",
    "over",
    "van",
    "de",
    "en",
    "tot",
    "inzake",
    "betreffende",
    "verordening",
    "richtlijn",
    "besluit",
    "aanbeveling",
    "tegen",
    "met",
}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


HEADER = """\
yaml-language-server: $schema={schema}
Overgenomen met 'fichegen import' uit: {origin}
Controleer de tekst; 'fichegen check' toont elke [INVULLEN: ...] die nog open staat.
Het oordeel (verdict) bij bevoegdheid, subsidiariteit en proportionaliteit komt uit de zin
'De grondhouding van het kabinet is ...'; controleer het."""


ITEMS_NOTE = """\
De acties zijn herkend waar rubriek 2 en 3b ze noemen. Het oordeel per actie (stance)
is alleen ingevuld waar het kabinet duidelijk steunt (support); controleer elk oordeel
en vul bij no_position het juiste oordeel in."""


def dump_positions(tree: dict[str, Any], origin: str) -> str:
    """The YAML text of an imported fiche, in the layout of the examples in positions/."""
    header = HEADER.format(schema=SCHEMA_REF, origin=_one_line(origin))
    if tree.get("areas") or tree.get("elements"):
        header += "\n" + ITEMS_NOTE
    multiline = _literal_prose(tree)
    return dump_tree(multiline, header, SPACED)


SPACED = ("general", "essence", "dutch_position", "grounds", "areas", "elements", "footnotes",
          "publication")  # fmt: skip


def _literal_prose(value: Any) -> Any:
    """Prose over several lines ends with a line break, as a literal block (`|`) gives it."""
    if isinstance(value, dict):
        return {key: _literal_prose(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal_prose(item) for item in value]
    if isinstance(value, str) and "\n" in value.strip("\n"):
        return value.rstrip("\n") + "\n"
    return value


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)
