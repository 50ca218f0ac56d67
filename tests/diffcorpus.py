"""Realistic edits of the bundled fiche, as a reviewer meets them in a merge request.

Each edit changes the positions file through ruamel's round trip, as a person
edits it (comments and layout kept). Shared by the golden tests of `diff`
(tests/test_diff_reports.py) and the benchmark (bench/run.py: all of them at
once, plus ten more rewrites, is the "20 edits" case).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"

Tree = Any
Edit = Callable[[Tree], None]


def edit(text: str, *changes: Edit) -> str:
    """The positions file text after the edits, comments and layout kept."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    tree = yaml.load(text)
    for change in changes:
        change(tree)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def action(tree: Tree, action_id: str) -> Tree:
    for area in tree["areas"]:
        for item in area["actions"]:
            if str(item["id"]) == action_id:
                return item
    raise KeyError(action_id)


def area(tree: Tree, area_id: str) -> Tree:
    return next(a for a in tree["areas"] if a["id"] == area_id)


def replace_in(node: Tree, key: str, old: str, new: str) -> None:
    """Replace words in a text, keeping it a block text ('|')."""
    text = str(node[key])
    assert old in text, f"{old!r} is not in {key}"
    node[key] = LiteralScalarString(text.replace(old, new, 1))


# -- the corpus ---------------------------------------------------------------------------------


def rewritten_sentence(tree: Tree) -> None:
    replace_in(
        tree["dutch_position"],
        "assessment",
        "Het kabinet is overwegend positief over het Commissievoorstel actieplan drugshandel.",
        "Het kabinet verwelkomt het Commissievoorstel actieplan drugshandel op hoofdlijnen.",
    )


def changed_number(tree: Tree) -> None:
    replace_in(
        action(tree, "12"),
        "position",
        "kaderbesluit 2004/757/JBZ",
        "kaderbesluit 2004/757/JBZ uit 2004",
    )
    replace_in(
        tree["grounds"],
        "financial",
        "EU-begroting 2021-2027",
        "EU-begroting 2028-2034",
    )


def sentence_moved(tree: Tree) -> None:
    item = action(tree, "5")
    lines = str(item["position"]).splitlines()
    lines.insert(0, lines.pop(2))  # the question to the Commission now comes first
    item["position"] = LiteralScalarString("\n".join(lines) + "\n")


def paragraph_split(tree: Tree) -> None:
    replace_in(
        tree["dutch_position"],
        "assessment",
        "\nHet actieplan richt zich vrijwel",
        "\n\nHet actieplan richt zich vrijwel",
    )


def conditions_changed(tree: Tree) -> None:
    conditions = action(tree, "2")["conditions"]
    conditions.pop(1)
    conditions.append("Evaluatie van de uitbreiding na twee jaar")


def stance_changed(tree: Tree) -> None:
    item = action(tree, "13")
    item["stance"] = "critical"
    item["concerns"] = ["De gevolgen voor de chemische industrie zijn nog onvoldoende in kaart"]


def action_added(tree: Tree) -> None:
    new = CommentedMap()
    new["id"] = 20
    new["title"] = "Drugsafval in de natuur"
    new["summary"] = LiteralScalarString(
        "De Commissie wil lidstaten ondersteunen bij het opruimen van drugsafval (actie 20).\n"
    )
    new["stance"] = "support"
    area(tree, "research")["actions"].append(new)


def action_removed(tree: Tree) -> None:
    actions = area(tree, "international")["actions"]
    actions.remove(action(tree, "19"))


def footnote_text_changed(tree: Tree) -> None:
    replace_in(
        tree["footnotes"],
        "maocn",
        "een samenwerkingsverband van acht EU-lidstaten en het VK",
        "een samenwerkingsverband van zeven EU-lidstaten en het Verenigd Koninkrijk",
    )


def footnote_reference_added(tree: Tree) -> None:
    tree["footnotes"]["europol"] = (
        "Agentschap van de Europese Unie voor samenwerking op het gebied van rechtshandhaving"
    )
    replace_in(
        action(tree, "2"),
        "position",
        "Actie 2 gaat over het uitbreiden van de operationele slagkracht van MAOC-N.",
        "Actie 2 gaat over het uitbreiden van de operationele slagkracht van MAOC-N en de "
        "samenwerking met Europol.[^europol]",
    )


CORPUS: dict[str, Edit] = {
    "rewritten-sentence": rewritten_sentence,
    "changed-number": changed_number,
    "sentence-moved": sentence_moved,
    "paragraph-split": paragraph_split,
    "conditions": conditions_changed,
    "stance": stance_changed,
    "action-added": action_added,
    "action-removed": action_removed,
    "footnote-text": footnote_text_changed,
    "footnote-reference": footnote_reference_added,
}
"""Name -> edit; each case of the issue's list once."""

TEXT_CASES = (
    "rewritten-sentence",
    "changed-number",
    "sentence-moved",
    "footnote-text",
    "footnote-reference",
)
"""The cases that only change words of texts the Word document shows as written."""


def _rewrite(action_id: str, old: str, new: str) -> Edit:
    def change(tree: Tree) -> None:
        replace_in(action(tree, action_id), "position", old, new)

    return change


MORE_EDITS: list[Edit] = [
    _rewrite("1", "een belangrijke stap", "een eerste stap"),
    _rewrite("3", "Voor wat betreft actie 3", "Wat betreft actie 3"),
    _rewrite("4", "Realisme is echter geboden", "Realisme blijft geboden"),
    _rewrite("6", "is in lijn", "past bij"),
    _rewrite("8", "Het kabinet", "Het kabinet zelf"),
    _rewrite("10", "inderdaad ook als prioriteit", "als prioriteit"),
    _rewrite("11", "Actie 11 betreft", "Actie 11 gaat over"),
    _rewrite("14", "Het kabinet", "Het kabinet als geheel"),
    _rewrite("16", "Aandachtsgebied nummer 5", "Het vijfde aandachtsgebied"),
    _rewrite("17", "Het kabinet", "Ook het kabinet"),
]
"""Ten more rewrites in the actions' positions: with the corpus, twenty edits at once."""


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
