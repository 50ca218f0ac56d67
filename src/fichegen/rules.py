"""The rules a reviewer checks by hand, each with a short id a team can configure.

`RULES` names every problem fichegen reports. The shape rules (syntax, wrong
types, missing fields...) are fixed: without them there is no fiche to check
further. The others are small functions over the `Facts` of the walk: the
texts and every record (action, area) that could be built, so they report
even when another part of the file is wrong. A team can switch them off or
change their severity in `[tool.fichegen.check]` (see `fichegen.config`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from fichegen.errors import Problem, Severity
from fichegen.facts import Facts, Path
from fichegen.model import FOOTNOTE_REF, Action, Area, Fiche, Link, SectionNotes, Stance

ERROR, WARNING = Severity.ERROR, Severity.WARNING
T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    severity: Severity = ERROR
    fixed: bool = False
    """A fixed rule cannot be switched off or made a warning: the fiche cannot be read without."""


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "syntax",
            "the file is not valid YAML, or more than plain data (tags, anchors)",
            fixed=True,
        ),
        Rule("encoding", "the file is not UTF-8", fixed=True),
        Rule("too-large", "the file is larger than a fiche can be", fixed=True),
        Rule("unreadable", "the file cannot be read or does not exist", fixed=True),
        Rule("duplicate-key", "a key appears twice in one mapping", fixed=True),
        Rule("unknown-key", "a key that the fiche format does not have", fixed=True),
        Rule("wrong-type", "a value of the wrong kind (text, list, mapping, number)", fixed=True),
        Rule(
            "wrong-value",
            "a value outside the allowed choices, or an invalid id or key",
            fixed=True,
        ),
        Rule("missing", "a required field is absent or empty", fixed=True),
        Rule("wrong-fiche-type", "a field that belongs to the other fiche type", fixed=True),
        Rule("control-character", "a character that Word cannot hold", fixed=True),
        Rule("config", "the configuration of 'fichegen check' is not valid", fixed=True),
        Rule("duplicate-id", "two actions or two areas with the same id"),
        Rule("stance-conditions", "a stance 'support_with_conditions' without conditions"),
        Rule("stance-concerns", "a stance 'critical' or 'oppose' without concerns"),
        Rule("final-undecided", "a final fiche with an action whose stance is 'no_position'"),
        Rule("final-placeholder", "a final fiche with a placeholder left from 'fichegen new'"),
        Rule("placeholder", "a draft with a placeholder left from 'fichegen new'", WARNING),
        Rule("footnote-undefined", "a footnote reference [^key] without a footnote"),
        Rule("footnote-unused", "a footnote that no text refers to", WARNING),
        Rule("footnote-nested", "a footnote reference inside a footnote"),
        Rule("markdown-emphasis", "a '*', '**' or '_' that does not open or close emphasis"),
        Rule("markdown-link", "a '[' or ']' that is not part of a link, or a broken link"),
        Rule("link-address", "a link whose address is not https, http or mailto"),
        Rule("note-no-section", "an internal note on a section the fiche leaves out", WARNING),
        Rule("markdown-heading", "a line in a text that would become a heading"),
        Rule("markdown-html", "raw HTML in a text, which the fiche shows as it is"),
        Rule("markdown-code", "a line indented four spaces more, which becomes a code block"),
    )
}

MAX_LOCATED = 50
"""Problems of one kind listed per text; a text with thousands is not a fiche."""

PLACEHOLDER = re.compile(r"\[INVULLEN\b[^\[\]]*\]")
"""What `fichegen new` writes where the civil servant still has to write."""


def severity_of(rule: str) -> Severity:
    """The default severity of a rule (configuration may change it later)."""
    known = RULES.get(rule)
    return known.severity if known else ERROR


def iter_rule_problems(facts: Facts) -> Iterator[Problem]:
    """Every reviewer's rule, over each part of the file that has the right shape."""
    yield from _check_ids(facts)
    yield from _check_stances(facts)
    yield from _check_footnotes(facts)
    yield from _check_placeholders(facts)
    yield from _check_link_addresses(facts)
    yield from _check_section_notes(facts)


def _problem(facts: Facts, where: Path, message: str, rule: str, hint: str) -> Problem:
    return Problem(facts.key_at(where), message, severity_of(rule), rule, hint)


def _records(facts: Facts, kind: type[T]) -> Iterator[tuple[Path, T]]:
    for path, record in facts.records.items():
        if isinstance(record, kind):
            yield path, record


def _check_ids(facts: Facts) -> Iterator[Problem]:
    yield from _check_unique(facts, Action, "action")
    yield from _check_unique(facts, Area, "area")


def _check_unique(facts: Facts, kind: type[Action | Area], noun: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for path, record in _records(facts, kind):
        where = (*path, "id")
        if record.id in seen:
            yield _problem(
                facts,
                where,
                f"{noun} id {record.id} is used twice (first at line {seen[record.id]})",
                "duplicate-id",
                f"give every {noun} its own id; ids are how diffs match versions",
            )
        else:
            seen[record.id] = facts.key_at(where).line


def _check_stances(facts: Facts) -> Iterator[Problem]:
    for path, action in _records(facts, Action):
        where = (*path, "stance")
        stance = action.stance
        if stance is Stance.SUPPORT_WITH_CONDITIONS and not action.conditions:
            yield _problem(
                facts,
                where,
                f"action {action.id} has stance 'support_with_conditions' but no conditions",
                "stance-conditions",
                "list them under 'conditions:', or change the stance",
            )
        if stance in (Stance.CRITICAL, Stance.OPPOSE) and not action.concerns:
            yield _problem(
                facts,
                where,
                f"action {action.id} has stance '{stance.value}' but no concerns",
                "stance-concerns",
                "list them under 'concerns:', or change the stance",
            )
        if facts.final and stance is Stance.NO_POSITION:
            yield _problem(
                facts,
                where,
                f"action {action.id} has stance 'no_position', but the fiche is final",
                "final-undecided",
                "decide the stance, or set 'status: draft'",
            )


def _check_footnotes(facts: Facts) -> Iterator[Problem]:
    defined = [str(path[1]) for path in facts.keys if len(path) == 2 and path[0] == "footnotes"]
    used: set[str] = set()
    known = set(defined)
    for text in facts.texts:
        if not text.markdown or "[^" not in text.value:
            continue
        located = 0
        for match in FOOTNOTE_REF.finditer(text.value):
            key = match.group(2)
            if key in known and not text.in_footnote:
                used.add(key)
                continue
            located += 1
            if located > MAX_LOCATED:  # thousands of wrong references: the first ones will do
                used.update(defined)  # not counted further: no footnote is called unused
                break
            at = facts.locate(text, match.start(2) - 2)
            if text.in_footnote:
                yield Problem(
                    at,
                    f"footnote reference [^{key}] inside footnote '{text.path[1]}'",
                    severity_of("footnote-nested"),
                    "footnote-nested",
                    "Word cannot put a footnote in a footnote; write the text out",
                )
                continue
            used.add(key)
            if key not in defined:
                close = difflib.get_close_matches(key, defined, n=1)
                yield Problem(
                    at,
                    f"footnote [^{key}] is not defined"
                    + (f" (did you mean '{close[0]}'?)" if close else ""),
                    severity_of("footnote-undefined"),
                    "footnote-undefined",
                    f"add '{key}: <text>' under 'footnotes:'",
                )
    for key in defined:
        if key not in used:
            yield _problem(
                facts,
                ("footnotes", key),
                f"footnote '{key}' is defined but never referenced",
                "footnote-unused",
                f"refer to it with [^{key}] in a text, or remove it",
            )


def _check_section_notes(facts: Facts) -> Iterator[Problem]:
    """A section note is shown beside its section: on a section left out, nobody sees it."""
    fiches = [record for _, record in _records(facts, Fiche)]
    if not fiches:
        return
    fiche = fiches[0]
    for path, notes in _records(facts, SectionNotes):
        for field in dataclasses.fields(notes):
            if getattr(notes, field.name) is None:
                continue
            owners = [fiche, fiche.dutch_position, fiche.grounds]
            found = [getattr(o, field.name) for o in owners if hasattr(o, field.name)]
            if found and not any(found):
                yield _problem(
                    facts,
                    (*path, field.name),
                    f"internal note for section '{field.name}', which this fiche leaves out; "
                    "it is shown nowhere",
                    "note-no-section",
                    f"write the section '{field.name}', or move the note to another section",
                )


def _check_link_addresses(facts: Facts) -> Iterator[Problem]:
    """The link fields (EUR-Lex): the link policy of `fichegen.links`, said where it applies."""
    from fichegen.links import allowed

    for path, link in _records(facts, Link):
        if not allowed(link.url) and not PLACEHOLDER.search(link.url):
            yield _problem(
                facts,
                (*path, "url"),
                f"the address {link.url[:60]!r} does not start with https://; "
                "the fiche shows it as text, not as a link",
                "link-address",
                "give the web address, starting with https://",
            )


def _check_placeholders(facts: Facts) -> Iterator[Problem]:
    final = facts.final
    rule = "final-placeholder" if final else "placeholder"
    for text in facts.texts:
        for count, match in enumerate(PLACEHOLDER.finditer(text.value)):
            if count == MAX_LOCATED:
                break
            message = f"{text.context} still has the placeholder {match.group()}"
            if final:
                message += ", but the fiche is final"
            yield Problem(
                facts.locate(text, match.start()),
                message,
                severity_of(rule),
                rule,
                "write the text in its place",
            )
