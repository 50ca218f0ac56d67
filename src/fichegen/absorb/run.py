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
from fichegen.i18n import _

from .document import (
    Changes,
    Comment,
    FieldText,
    NotAWordDocument,
    ReviewedDocument,
    TooBig,
    read_document,
)
from .markdown import field_markdown
from .yamledit import (
    PathNotFound,
    append_list_items,
    append_mapping_items,
    compose,
    insert_items,
    locate,
    replace_values,
)

REVIEW_NOTES = "internal_review_notes"


@dataclass
class Unmapped:
    place: str
    old: str
    new: str
    current: str | None = None  # a conflict: the value in the positions file now


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
    if not any(reviewed.iter_fields()) and not reviewed.positions and reviewed.revisions:
        # `fichegen diff -f docx` writes the changes between two versions as revisions, with
        # no anchors: what is inserted or deleted there is fichegen's own comparison, and
        # a co-reader's edits cannot be told apart from it.
        raise InputError(
            Problem(
                Location(str(document)),
                _(
                    "this Word file has tracked changes but no field anchors: it looks like a "
                    "comparison written by 'fichegen diff -f docx', which cannot be absorbed"
                ),
                code="absorb",
                hint=_(
                    "send co-readers the fiche written by 'fichegen render' or 'fichegen build' "
                    "and absorb that file; type edits made in this comparison into the "
                    "positions file by hand"
                ),
            )
        )
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
        root = _compose_or_none(path)
        result.listing = _listing(reviewed, root)
        result.comments = reviewed.comments
        _name_fields(result.comments, root)
        return result
    if not force and not dry_run:
        _refuse_uncommitted(path)
    absorb_into(
        result,
        reviewed,
        document,
        templates=templates,
        reference=reference,
        comments=comments,
        force=force,
    )
    if dry_run:
        return result
    original = path.read_bytes().decode("utf-8-sig")
    if result.text != original:
        write_atomic(path, result.text.encode("utf-8"))
        result.written.append(path)
    if result.unmapped:
        side = side_file(path)
        block = format_unmapped(result.unmapped, document)
        # Another co-reader's edits, not yet handled, stay: a new block is added below.
        earlier = side.read_text("utf-8") if side.is_file() else ""
        if block not in earlier:
            joined = earlier + ("\n" if earlier and not earlier.endswith("\n\n") else "") + block
            write_atomic(side, joined.encode("utf-8"))
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
    force: bool = False,
) -> None:
    from fichegen.pipeline import read_fiche, render_fiche
    from fichegen.render.anchors import source_id

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
    data = path.read_bytes()
    text = data.decode("utf-8-sig")
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
    # What the co-reader saw: the version the fiche was rendered from. When the file
    # changed since (another co-reader's edits absorbed), that version comes from git,
    # so only what this co-reader changed is taken, and never undoes the later edits.
    base, base_root = fresh, None
    if reviewed.source and reviewed.source != source_id(data):
        base_text = _git_version(path, reviewed.source)
        base_fiche = _check(base_text, path)[0] if base_text is not None else None
        if base_fiche is not None and base_text is not None:
            base_bytes = render_fiche(
                base_fiche, "docx", anchors=True, templates=templates, reference=reference
            )
            base, base_root = read_document(base_bytes, ours=True), compose(base_text)
        elif not force:
            raise UsageError(
                Problem(
                    Location(str(path)),
                    _(
                        "the positions file changed since {document} was rendered, and that "
                        "version is not in git: edits made since cannot be told apart from "
                        "the co-reader's"
                    ).format(document=document),
                    code="absorb",
                    hint=_(
                        "commit the positions file before sending its fiche round; "
                        "--force compares with the file as it is now, and may undo text "
                        "changed since"
                    ),
                )
            )
    footnote_keys = _footnote_keys(root)
    base_keys = _footnote_keys(base_root) if base_root is not None else footnote_keys
    added = _AddedFootnotes(reviewed, base, base_keys, taken=footnote_keys)
    edits: list[tuple[Any, str]] = []
    chosen: dict[str, FieldText] = {}
    result.unmapped += _removed_fields(reviewed, base, root)
    for ft in reviewed.iter_fields():
        before = base.fields.get(ft.name)
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
        before = base.fields[ft.name]
        try:
            located = locate(root, ft_path)
        except PathNotFound:
            result.unmapped.append(Unmapped(ft_path, before.plain(), ft.plain()))
            continue
        original = str(located.node.value)
        if base_root is not None and _value(base_root, ft_path) != original:
            now = fresh.fields.get(ft.name)
            if now is not None and now.key() == ft.key():
                continue  # the same edit was made in the YAML already
            _conflict(result, document, ".".join(map(str, located.yaml_path)), before, ft, original)
            continue
        refs = re.findall(r"\[\^([^\]\s]+)\]", original)
        key_of = added.namer(refs)
        markdown, dropped = field_markdown(ft, before, original, key_of)
        new_here = [k for k in added.used_in(markdown) if k not in refs]
        if new_here and not _is_markdown(fiche, located.yaml_path):
            # A plain-text field (a title, a date) cannot carry a footnote.
            for key in new_here:
                markdown = markdown.replace(f"[^{key}]", "")
                result.unmapped.append(
                    Unmapped(
                        ".".join(map(str, located.yaml_path)),
                        "",
                        _("footnote: {text}").format(text=added.plain(key)),
                    )
                )
                added.forget(key)
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
    edits += _stance_edits(result, reviewed, base, root, document, templates, base_root)
    insertions = _added_items(result, reviewed, base, root, base_root, document, added)
    new_notes = added.markdown(_footnote_namer(reviewed, footnote_keys, []))
    handled = {
        (" ".join(base.stance_cells[a].split()), " ".join(c.split()))
        for a, c in reviewed.stance_cells.items()
        if a in base.stance_cells
    }
    result.unmapped += [u for u in _outside_edits(reviewed, base) if (u.old, u.new) not in handled]
    notes_items: list[dict[str, Any]] = []
    if comments:
        result.comments = _new_comments(reviewed, fiche, templates)
        _name_fields(result.comments, root)
        notes_items = [_note(c) for c in result.comments]

    def build(subset: list[tuple[Any, str]]) -> str:
        out = insert_items(replace_values(text, subset), insertions)
        values = [e[1] for e in subset] + [value for _path, value in insertions]
        used = {k: v for k, v in new_notes.items() if any(f"[^{k}]" in value for value in values)}
        out = append_mapping_items(out, "footnotes", used)
        return append_list_items(out, REVIEW_NOTES, notes_items)

    new_text = build(edits)
    absorbed, errors = _check(new_text, path)
    if errors and edits:
        # Keep every edit that leaves the file valid; the others go to the side file.
        kept: list[tuple[Any, str]] = []
        for pair, edit in zip(edits, list(result.edits), strict=False):
            _fiche, problems = _check(build([*kept, pair]), path)
            if not problems:
                kept.append(pair)
                continue
            result.edits.remove(edit)
            result.unmapped.append(Unmapped(edit.path, edit.old, edit.new))
            result.notes.append(
                Problem(
                    Location(str(document)),
                    _("the edit of {field} was not absorbed: {reason}").format(
                        field=edit.path, reason=problems[0].message
                    ),
                    Severity.WARNING,
                    code="absorb-invalid",
                    hint=problems[0].hint,
                )
            )
        edits = kept
        new_text = build(edits)
        absorbed, errors = _check(new_text, path)
    if errors:
        raise InputError(
            [
                *errors,
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
    for key, value in new_notes.items():
        citing = [e.author for e in result.edits if f"[^{key}]" in e.new]
        if citing:
            result.edits.append(FieldEdit(f"footnotes.{key}", "", value, citing[0]))
    result.text = new_text
    result.report = _report(fiche, text, edits, result, path, absorbed)


MAX_DOCX_BYTES = 32 * 1024 * 1024
"""A reviewed fiche is a few hundred KB; a larger file is refused unread."""


def _read(document: Path, changes: Changes) -> ReviewedDocument:
    from fichegen.files import read_input

    data = read_input(document, MAX_DOCX_BYTES)  # a pipe or folder is refused, never waited on
    reason = ""
    if len(data) > MAX_DOCX_BYTES:
        reason = _("it is larger than a fiche's Word file can be")
    else:
        try:
            return read_document(data, changes)
        except TooBig as exc:
            reason = str(exc)
        except NotAWordDocument:
            pass
    raise InputError(
        Problem(
            Location(str(document)),
            _("this file is not a Word document (.docx)") + (f": {reason}" if reason else ""),
            code="absorb",
            hint=_("absorb a .docx written by 'fichegen render' or 'fichegen build'"),
        )
    )


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


class _AddedFootnotes:
    """Footnotes a reviewer added in Word: each gets a key no footnote of the file has.

    A Word footnote is one of the file's own when it holds a footnote's anchor, or
    (a footnote cited twice is written twice, the copy without anchors) when its
    text is that of one; any other footnote is new.
    """

    def __init__(
        self,
        reviewed: ReviewedDocument,
        fresh: ReviewedDocument,
        keys: list[str],
        taken: list[str],
    ) -> None:
        self.reviewed = reviewed
        self.keys = keys
        self.taken = set(keys) | set(taken)
        self.by_text: dict[str, str] = {}
        for fid, path in fresh.footnote_anchor.items():
            index = path[len("footnotes_") :]
            if path.startswith("footnotes_") and index.isdigit() and int(index) < len(keys):
                self.by_text.setdefault(_plain(fresh.footnotes[fid]), keys[int(index)])
        self.new: dict[str, str] = {}  # Word footnote id -> new key

    def namer(self, refs: list[str]) -> Callable[[str, int], str]:
        own = _footnote_namer(self.reviewed, self.keys, refs)

        def name(word_id: str, index: int) -> str:
            note = self.reviewed.footnotes.get(word_id)
            if note is None or word_id in self.reviewed.footnote_anchor:
                return own(word_id, index)
            known = self.by_text.get(_plain(note))
            if known:
                return known
            if word_id not in self.new:
                taken = self.taken | set(self.new.values())
                number = 1
                while f"word-{number}" in taken:
                    number += 1
                self.new[word_id] = f"word-{number}"
            return self.new[word_id]

        return name

    def used_in(self, markdown: str) -> list[str]:
        return [k for k in self.new.values() if f"[^{k}]" in markdown]

    def plain(self, key: str) -> str:
        for fid, k in self.new.items():
            if k == key:
                return _plain(self.reviewed.footnotes[fid])
        return ""

    def forget(self, key: str) -> None:
        self.new = {fid: k for fid, k in self.new.items() if k != key}

    def markdown(self, key_of: Callable[[str, int], str]) -> dict[str, str]:
        out = {}
        for fid, key in sorted(self.new.items(), key=lambda item: item[1]):
            text, _dropped = field_markdown(self.reviewed.footnotes[fid], None, "", key_of)
            if text.strip():
                out[key] = text
        return out


def _plain(note: FieldText) -> str:
    return " ".join(note.plain().split())


def _is_markdown(fiche: Any, yaml_path: tuple[str | int, ...]) -> bool:
    """Whether the model declares the value at `yaml_path` as Markdown (footnotes can go in)."""
    import dataclasses
    import typing

    from fichegen.model import Markdown

    hint: Any = type(fiche)
    for part in yaml_path:
        origin = typing.get_origin(hint)
        if dataclasses.is_dataclass(hint) and isinstance(part, str):
            hint = typing.get_type_hints(hint).get(part)
        elif origin is list:
            hint = typing.get_args(hint)[0]
        elif origin is dict:
            hint = typing.get_args(hint)[1]
        else:
            return False
        while typing.get_origin(hint) in (typing.Union, __import__("types").UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
    return hint is Markdown


def _removed_fields(
    reviewed: ReviewedDocument, fresh: ReviewedDocument, root: Any
) -> list[Unmapped]:
    """Fields whose text and anchors the reviewer deleted: reported, the YAML keeps them."""
    out = []
    for name, before in fresh.fields.items():
        if before.occurrence > 1 or name in reviewed.fields or not before.plain().strip():
            continue
        out.append(Unmapped(field_name(root, before.path), before.plain(), ""))
    return out


def _added_items(
    result: AbsorbResult,
    reviewed: ReviewedDocument,
    base: ReviewedDocument,
    root: Any,
    base_root: Any,
    document: Path,
    added: _AddedFootnotes,
) -> list[tuple[str, str]]:
    """New items typed after a list item (Enter after a condition): (item path, Markdown)."""
    out: list[tuple[str, str]] = []
    there = {(path, p.plain().strip()) for path, p in base.added_items}  # the template's own
    for path, paragraph in reviewed.added_items:
        if (path, paragraph.plain().strip()) in there:
            continue
        paragraph.list_kind = ""
        note = FieldText(path, path, 1, [paragraph])
        value, _dropped = field_markdown(note, None, "", added.namer([]))
        value = value.strip("\n") if "\n" not in value.strip("\n") else value
        if not value.strip():
            continue
        try:
            located = locate(root, path)
        except PathNotFound:
            result.unmapped.append(Unmapped(path, "", paragraph.plain()))
            continue
        where = ".".join(map(str, located.yaml_path))
        if base_root is not None and _value(base_root, path) != str(located.node.value):
            _conflict(result, document, where, "", paragraph.plain(), str(located.node.value))
            continue
        out.append((path, value))
        *parent, index = located.yaml_path
        where = ".".join(map(str, [*parent, int(index) + sum(p == path for p, _v in out)]))
        authors = sorted(
            {r.author for r in reviewed.revisions if r.text and r.text in paragraph.plain()}
        )
        result.edits.append(
            FieldEdit(
                where,
                "",
                value,
                ", ".join(a for a in authors if a) or reviewed.last_author or _("unknown"),
            )
        )
    return out


def _git_version(path: Path, blob: str) -> str | None:
    """The text of an earlier version of the positions file, by its git blob id."""
    from fichegen.diff.versions import read_blob

    if not re.fullmatch(r"[0-9a-f]{40}", blob):
        return None
    data = read_blob(path.resolve().parent, blob)
    try:
        return data.decode("utf-8-sig") if data is not None else None
    except UnicodeDecodeError:
        return None


def _value(root: Any, path: str) -> str | None:
    try:
        return str(locate(root, path).node.value)
    except PathNotFound:
        return None


def _conflict(
    result: AbsorbResult, document: Path, field: str, before: Any, after: Any, current: str
) -> None:
    """A field the co-reader changed that was changed in the YAML too since the render."""
    old = before.plain() if isinstance(before, FieldText) else str(before)
    new = after.plain() if isinstance(after, FieldText) else str(after)
    result.unmapped.append(Unmapped(field, old, new, current.strip("\n")))
    result.notes.append(
        Problem(
            Location(str(document)),
            _(
                "{field} was changed in the positions file too since this Word file was "
                "rendered; the co-reader's version is kept in the side file"
            ).format(field=field),
            Severity.WARNING,
            code="absorb-conflict",
            hint=_("compare both versions and make the edit in the YAML by hand"),
        )
    )


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
    base_root: Any = None,
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
            result.unmapped.append(Unmapped(field_name(root, f"{action}_stance"), before, cell))
            continue
        try:
            located = locate(root, f"{action}_stance")
        except PathNotFound:
            continue
        written = " ".join(str(located.node.value).lower().split())
        if by_label.get(written) == stance:
            continue
        if base_root is not None and _value(base_root, f"{action}_stance") != located.node.value:
            where = field_name(root, f"{action}_stance")
            _conflict(result, document, where, before, cell, str(located.node.value))
            continue
        # The user's style stays: a file that says "steun" gets a Dutch label back, not an id.
        value = str(stances[stance]["label"]) if written not in stances else stance
        if str(located.node.value)[:1].isupper():  # "Steun", as the user wrote it
            value = value[:1].upper() + value[1:]
        edits.append((located, value))
        result.edits.append(
            FieldEdit(
                ".".join(map(str, located.yaml_path)),
                str(located.node.value),
                value,
                _author(reviewed, f"{action}_stance"),
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

    labels = template_labels(templates)
    own = str(labels.get("internal_note", ""))  # fichegen's own notes
    # A review note of an internal version: already in the positions file.
    shown = str(labels.get("internal_review_note", "")) + ":"
    known = {(n.author, n.text.strip(), n.date) for n in fiche.internal_review_notes}
    return [
        c
        for c in reviewed.comments
        if c.author != own
        and not (shown != ":" and c.text.startswith(shown))
        and (c.author, c.text.strip(), c.date) not in known
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


def _check(text: str, path: Path) -> tuple[Any, list[Problem]]:
    """The fiche in `text` and its errors, counted as `check` counts them for this file."""
    from fichegen.config import ConfigFinder
    from fichegen.load import parse_source
    from fichegen.validate import validate

    result = validate(parse_source(text.encode("utf-8"), str(path)))
    errors = ConfigFinder().for_file(path).blocking(result.errors)
    if result.fiche is None and not errors:
        errors = list(result.errors)
    return result.fiche, errors


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


def _compose_or_none(path: Path) -> Any:
    try:
        return compose(path.read_bytes().decode("utf-8-sig"))
    except Exception:  # an unreadable positions file: the listing shows bookmark names
        return None


def field_name(root: Any, path: str) -> str:
    """A bookmark path ("dutch_position_assessment") as the YAML names it
    ("dutch_position.assessment"); the bookmark path when the file has no such value."""
    if root is not None:
        with contextlib.suppress(PathNotFound):
            return ".".join(map(str, locate(root, path).yaml_path))
    return path


def _name_fields(comments: list[Comment], root: Any) -> None:
    for comment in comments:
        if comment.path:
            comment.path = field_name(root, comment.path)


def _listing(reviewed: ReviewedDocument, root: Any = None) -> list[str]:
    lines = []
    for r in reviewed.revisions:
        kind = _("inserted") if r.kind == "insertion" else _("deleted")
        where = field_name(root, r.path) if r.path else (r.place or "?")
        lines.append(f"{r.author or '?'} {r.date} {where}: {kind} {r.text!r}")
    return lines


def comment_lines(comments: list[Comment]) -> list[str]:
    """Each comment on a line (author, date, field, the words it is on), replies indented."""
    lines = []
    for comment in comments:
        where = comment.path or comment.place or "?"
        if comment.quote:
            line = _('{author} {date} [{field}] on "{quote}": {text}').format(
                author=comment.author or "?",
                date=comment.date,
                field=where,
                quote=_shorten(comment.quote),
                text=comment.text,
            )
        else:
            line = _("{author} {date} [{field}]: {text}").format(
                author=comment.author or "?", date=comment.date, field=where, text=comment.text
            )
        lines.append(line)
        lines += [f"  {r.author or '?'} {r.date}: {r.text}" for r in comment.replies]
    return lines


def closing_lines(result: AbsorbResult, *, listing: bool, dry_run: bool) -> list[str]:
    """What was not placed, and what was written: the lines after the report."""
    lines = [
        _("not placed in a field ({place}): {text}").format(
            place=item.place or "?", text=item.new or item.old or _("(removed)")
        )
        for item in result.unmapped
    ]
    if listing:
        return lines
    if dry_run:
        lines.append(_("dry run: nothing written"))
    elif result.written:
        lines += [_("wrote {path}").format(path=path) for path in result.written]
    else:
        lines.append(_("no edits to absorb"))
    if result.unmapped and not dry_run:
        lines.append(
            _("see {path} for the edits that need a person").format(
                path=side_file(result.positions)
            )
        )
    return lines


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


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
        if item.current is not None:
            out.append(_("in the positions file now:") + " " + item.current)
        out.append("")
    return "\n".join(out)
