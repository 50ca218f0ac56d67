"""The `absorb` command: read the edited Word fiche, compare it with a fresh rendering
of the positions file, and write each changed field back into the YAML."""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from fichegen.errors import InputError, Location, Problem, Severity, UsageError
from fichegen.i18n import _, os_reason

from .document import Changes, Comment, FieldText, NotAWordDocument, ReviewedDocument, read_document
from .markdown import field_markdown
from .yamledit import PathNotFound, append_list_items, compose, locate, replace_values

REVIEW_NOTES = "internal_review_notes"


@dataclass
class Unmapped:
    place: str
    old: str
    new: str


@dataclass
class FieldEdit:
    path: str
    old: str
    new: str
    author: str


@dataclass
class AbsorbResult:
    """What absorb found and did; the CLI prints it."""

    positions: Path
    edits: list[FieldEdit] = field(default_factory=list)
    report: str = ""  # the changes in the format of `fichegen diff`, per author
    listing: list[str] = field(default_factory=list)  # --changes list
    comments: list[Comment] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings: formatting lost, unknown word
    written: list[Path] = field(default_factory=list)
    text: str = ""  # the new positions file


def run_absorb(
    document: Path,
    positions: Path | None = None,
    *,
    changes: Changes = "accept",
    comments: bool = True,
    dry_run: bool = False,
    force: bool = False,
    templates: Path | None = None,
    reference: Path | None = None,
) -> AbsorbResult:
    from fichegen.files import write_atomic

    reviewed = _read(document, changes)
    if not any(reviewed.iter_fields()) and not reviewed.positions:
        raise InputError(
            Problem(
                Location(str(document)),
                _("this Word file is not a fiche rendered by fichegen: it has no field anchors"),
                code="absorb",
                hint=_("absorb a .docx written by 'fichegen render' or 'fichegen build'"),
            )
        )
    path = _positions_path(document, positions, reviewed)
    result = AbsorbResult(path)
    if changes == "list":
        result.listing = _listing(reviewed)
        result.comments = reviewed.comments
        return result
    if not force and not dry_run:
        _refuse_uncommitted(path)
    absorb_into(
        result, reviewed, document, templates=templates, reference=reference, comments=comments
    )
    if dry_run:
        return result
    original = path.read_bytes().decode("utf-8-sig")
    if result.text != original:
        write_atomic(path, result.text.encode("utf-8"))
        result.written.append(path)
    if result.unmapped:
        side = side_file(path)
        write_atomic(side, format_unmapped(result.unmapped, document).encode("utf-8"))
        result.written.append(side)
    return result


def side_file(positions: Path) -> Path:
    """Where edits that map to no field are kept: beside the positions file."""
    return positions.with_name(positions.stem + ".niet-verwerkt.txt")


def absorb_into(
    result: AbsorbResult,
    reviewed: ReviewedDocument,
    document: Path,
    *,
    templates: Path | None = None,
    reference: Path | None = None,
    comments: bool = True,
) -> None:
    from fichegen.pipeline import read_fiche, render_fiche

    path = result.positions
    fiche = read_fiche(path)
    if reviewed.com and reviewed.com != fiche.com_number:
        raise InputError(
            Problem(
                Location(str(document)),
                _("this Word file is the fiche of {com}, not of {path} ({own})").format(
                    com=reviewed.com, path=path, own=fiche.com_number
                ),
                code="absorb",
                hint=_("give the positions file the fiche was rendered from"),
            )
        )
    fresh_bytes = render_fiche(
        fiche,
        "docx",
        anchors=True,
        source_path=str(path),
        templates=templates,
        reference=reference,
    )
    fresh = read_document(fresh_bytes, ours=True)
    text = path.read_bytes().decode("utf-8-sig")
    root = compose(text)
    unknown_paths = [f for f in reviewed.iter_fields() if f.name not in fresh.fields]
    if unknown_paths and not any(f.name in fresh.fields for f in reviewed.iter_fields()):
        raise InputError(
            Problem(
                Location(str(document)),
                _("this Word file belongs to another positions file than {path}").format(path=path),
                code="absorb",
                hint=_("give the positions file the fiche was rendered from"),
            )
        )
    footnote_keys = _footnote_keys(root)
    edits: list[tuple[Any, str]] = []
    chosen: dict[str, FieldText] = {}
    for ft in reviewed.iter_fields():
        before = fresh.fields.get(ft.name)
        if before is None:
            result.unmapped.append(Unmapped(ft.path, "", ft.plain()))
            continue
        if ft.key() == before.key():
            continue
        if ft.occurrence > 1:  # a copy (the stance table): the field's own place decides
            result.unmapped.append(Unmapped(ft.path.replace("_", "."), before.plain(), ft.plain()))
        elif ft.path not in chosen:
            chosen[ft.path] = ft
    for ft_path, ft in chosen.items():
        before = fresh.fields[ft.name]
        try:
            located = locate(root, ft_path)
        except PathNotFound:
            result.unmapped.append(Unmapped(ft_path, before.plain(), ft.plain()))
            continue
        original = str(located.node.value)
        refs = re.findall(r"\[\^([^\]\s]+)\]", original)
        key_of = _footnote_namer(reviewed, footnote_keys, refs)
        markdown, dropped = field_markdown(ft, before, original, key_of)
        if not original.endswith("\n") and not located.node.style:
            markdown = markdown.rstrip("\n") if "\n" not in markdown.rstrip("\n") else markdown
        if markdown == original:
            continue
        author = _author(reviewed, ft_path)
        edits.append((located, markdown))
        result.edits.append(
            FieldEdit(".".join(map(str, located.yaml_path)), original, markdown, author)
        )
        if dropped:
            result.notes.append(
                Problem(
                    Location(str(document)),
                    _("formatting Markdown cannot carry was left out in {field}: {what}").format(
                        field=".".join(map(str, located.yaml_path)), what=", ".join(dropped)
                    ),
                    Severity.WARNING,
                    code="absorb-format",
                )
            )
    edits += _stance_edits(result, reviewed, fresh, root, document, templates)
    new_text = replace_values(text, edits)
    handled = {
        (" ".join(fresh.stance_cells[a].split()), " ".join(c.split()))
        for a, c in reviewed.stance_cells.items()
        if a in fresh.stance_cells
    }
    result.unmapped += [u for u in _outside_edits(reviewed, fresh) if (u.old, u.new) not in handled]
    if comments:
        result.comments = _new_comments(reviewed, fiche, templates)
        for comment in result.comments:
            with contextlib.suppress(PathNotFound):
                comment.path = ".".join(map(str, locate(root, comment.path).yaml_path))
        new_text = append_list_items(new_text, REVIEW_NOTES, [_note(c) for c in result.comments])
    result.text = new_text
    absorbed = _validate(new_text, path)
    result.report = _report(fiche, text, edits, result, path, absorbed)


def _read(document: Path, changes: Changes) -> ReviewedDocument:
    try:
        data = document.read_bytes()
    except OSError as exc:
        raise UsageError(
            Problem(
                Location(str(document)),
                _("cannot read file: {reason}").format(reason=os_reason(exc)),
            )
        ) from None
    try:
        return read_document(data, changes)
    except NotAWordDocument:
        raise InputError(
            Problem(
                Location(str(document)),
                _("this file is not a Word document (.docx)"),
                code="absorb",
                hint=_("absorb a .docx written by 'fichegen render' or 'fichegen build'"),
            )
        ) from None


def _positions_path(document: Path, given: Path | None, reviewed: ReviewedDocument) -> Path:
    if given is not None:
        if not given.is_file():
            raise UsageError(Problem(Location(str(given)), _("positions file not found")))
        return given
    recorded = reviewed.positions
    candidates = [Path(recorded), document.parent / recorded, document.parent.parent / recorded]
    for candidate in candidates:
        if recorded and candidate.is_file():
            return candidate
    raise UsageError(
        Problem(
            Location(str(document)),
            _("the positions file of this fiche ({recorded}) is not found").format(
                recorded=recorded or "?"
            ),
            hint=_("name it: fichegen absorb {document} positions/x.yaml").format(
                document=document
            ),
        )
    )


def _refuse_uncommitted(path: Path) -> None:
    folder = path.resolve().parent
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--", path.resolve().name],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except OSError:
        return  # no git: nothing to protect against
    if done.returncode == 0 and done.stdout.strip():
        raise UsageError(
            Problem(
                Location(str(path)),
                _("the positions file has uncommitted changes"),
                code="absorb",
                hint=_(
                    "commit them first, so the absorbed edits are one reviewable diff, "
                    "or use --force"
                ),
            )
        )


def _footnote_keys(root: Any) -> list[str]:
    from ruamel.yaml.nodes import MappingNode

    if isinstance(root, MappingNode):
        for key, value in root.value:
            if key.value == "footnotes" and isinstance(value, MappingNode):
                return [str(k.value) for k, _v in value.value]
    return []


def _footnote_namer(
    reviewed: ReviewedDocument, keys: list[str], refs: list[str]
) -> Callable[[str, int], str]:
    def name(word_id: str, index: int) -> str:
        anchor = reviewed.footnote_anchor.get(word_id, "")
        if (
            anchor.startswith("footnotes_")
            and anchor[10:].isdigit()
            and int(anchor[10:]) < len(keys)
        ):
            return keys[int(anchor[10:])]
        if index < len(refs):
            return refs[index]
        return "?"

    return name


def _author(reviewed: ReviewedDocument, path: str) -> str:
    authors = sorted({r.author for r in reviewed.revisions if r.path == path and r.author})
    return ", ".join(authors) or reviewed.last_author or _("unknown")


def _stance_edits(
    result: AbsorbResult,
    reviewed: ReviewedDocument,
    fresh: ReviewedDocument,
    root: Any,
    document: Path,
    templates: Path | None,
) -> list[tuple[Any, str]]:
    from fichegen.render.markdown import template_labels

    stances = template_labels(templates)["stances"]
    by_label = {" ".join(str(v["label"]).lower().split()): k for k, v in stances.items()}
    by_label.update({k.lower(): k for k in stances})
    edits = []
    for action, cell in reviewed.stance_cells.items():
        before = fresh.stance_cells.get(action)
        if before is None or " ".join(cell.split()) == " ".join(before.split()):
            continue
        stance = by_label.get(" ".join(cell.lower().split()))
        if stance is None:
            result.notes.append(
                Problem(
                    Location(str(document)),
                    _("unknown stance {word!r} for {action}; the stance is left as it was").format(
                        word=cell.strip(), action=action.replace("_", ".")
                    ),
                    Severity.WARNING,
                    code="absorb-stance",
                    hint=_("use one of: {labels}").format(
                        labels=", ".join(str(v["label"]) for v in stances.values())
                    ),
                )
            )
            result.unmapped.append(Unmapped(action.replace("_", "."), before, cell))
            continue
        try:
            located = locate(root, f"{action}_stance")
        except PathNotFound:
            continue
        if located.node.value != stance:
            edits.append((located, stance))
            result.edits.append(
                FieldEdit(
                    ".".join(map(str, located.yaml_path)),
                    str(located.node.value),
                    stance,
                    _author(reviewed, action + "_title"),
                )
            )
    return edits


def _outside_edits(reviewed: ReviewedDocument, fresh: ReviewedDocument) -> list[Unmapped]:
    old = [o.text.strip() for o in fresh.outside]
    new = [o.text.strip() for o in reviewed.outside]
    out = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        place = (reviewed.outside[j1].place if j1 < len(reviewed.outside) else "") or (
            fresh.outside[i1].place if i1 < len(fresh.outside) else ""
        )
        out.append(Unmapped(place, "\n".join(old[i1:i2]), "\n".join(new[j1:j2])))
    return out


def _new_comments(reviewed: ReviewedDocument, fiche: Any, templates: Path | None) -> list[Comment]:
    from fichegen.render.markdown import template_labels

    own = str(template_labels(templates).get("internal_note", ""))  # fichegen's own notes
    known = {(n.author, n.text.strip(), n.date) for n in fiche.internal_review_notes}
    return [
        c
        for c in reviewed.comments
        if c.author != own and (c.author, c.text.strip(), c.date) not in known
    ]


def _note(comment: Comment) -> dict[str, Any]:
    note: dict[str, Any] = {"author": comment.author or "?", "text": comment.text}
    if comment.date:
        note["date"] = comment.date
    note["field"] = comment.path or comment.place
    if comment.quote:
        note["quote"] = comment.quote
    if comment.replies:
        note["replies"] = [
            {"author": r.author or "?", "text": r.text, **({"date": r.date} if r.date else {})}
            for r in comment.replies
        ]
    return note


def _validate(text: str, path: Path) -> Any:
    from fichegen.load import parse_source
    from fichegen.validate import validate

    result = validate(parse_source(text.encode("utf-8"), str(path)))
    if result.errors:
        raise InputError(
            [
                *result.errors,
                Problem(
                    Location(str(path)),
                    _(
                        "the absorbed edits would make the positions file invalid; "
                        "nothing was written"
                    ),
                    code="absorb",
                    hint=_("fix the Word file, or make the edit in the YAML by hand"),
                ),
            ]
        )
    return result.fiche


def _report(
    fiche: Any,
    text: str,
    edits: list[tuple[Any, str]],
    result: AbsorbResult,
    path: Path,
    absorbed: Any = None,
) -> str:
    """Each author's changes in the words of `fichegen diff`."""
    from fichegen.audience import for_audience
    from fichegen.diff.changes import compare
    from fichegen.diff.report import Naming, format_text
    from fichegen.load import parse_source
    from fichegen.render.markdown import TEMPLATES, load_labels
    from fichegen.validate import validate

    naming = Naming(load_labels(TEMPLATES), fiche.type)
    by_author: dict[str, list[tuple[Any, str]]] = {}
    for (located, value), edit in zip(edits, result.edits, strict=False):
        by_author.setdefault(edit.author, []).append((located, value))
    out = []
    for author, own in by_author.items():
        if len(by_author) == 1 and absorbed is not None:
            new = absorbed  # one author: their version is the absorbed file
        else:
            version = validate(parse_source(replace_values(text, own).encode("utf-8"), str(path)))
            new = version.fiche
        if new is None:
            continue
        changes = compare(for_audience(fiche, "public"), for_audience(new, "public"))
        if changes:
            out.append(_("Changes by {author}:").format(author=author) + "\n")
            out.append(format_text(changes, naming))
    return "".join(out)


def _listing(reviewed: ReviewedDocument) -> list[str]:
    lines = []
    for r in reviewed.revisions:
        kind = _("inserted") if r.kind == "insertion" else _("deleted")
        where = r.path.replace("_", ".") if r.path else (r.place or "?")
        lines.append(f"{r.author or '?'} {r.date} {where}: {kind} {r.text!r}")
    return lines


def format_unmapped(unmapped: list[Unmapped], document: Path) -> str:
    out = [
        _("Edits in {document} that fichegen could not place in a field:").format(
            document=document
        ),
        "",
    ]
    for item in unmapped:
        out.append(f"## {item.place or '?'}")
        if item.old:
            out.append(_("was:") + " " + item.old)
        out.append(_("now:") + " " + (item.new or _("(removed)")))
        out.append("")
    return "\n".join(out)
