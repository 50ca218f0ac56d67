"""The HTML of the overview and of a fiche's preview; every text a user reads goes through `_()`.

Pages are plain HTML with one stylesheet and one small script each (served
from `assets/`); the fiche itself is the HTML of the pipeline's Markdown,
made in `fichegen.serve.workspace`.
"""

from __future__ import annotations

import datetime
import gettext
import html
import json
from urllib.parse import quote

from fichegen.errors import Problem
from fichegen.i18n import _, current, ngettext
from fichegen.serve.history import Commit, History
from fichegen.serve.workspace import FicheFile, Summary, Workspace

TABS = ("fiche", "changes")
"""The tabs of a preview; `body[data-tab]` says which one is shown."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def url(kind: str, fiche: FicheFile) -> str:
    return f"/{kind}/{quote(fiche.key)}"


def _language() -> str:
    """The language the messages are in: Dutch from the catalog, else English (the ids)."""
    return "nl" if isinstance(current(), gettext.GNUTranslations) else "en"


def _page(title: str, body_attributes: str, body: str, script: str) -> str:
    return (
        "<!doctype html>\n"
        f'<html lang="{_language()}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="icon" href="data:,">\n'
        '<link rel="stylesheet" href="/assets/style.css">\n'
        '<link rel="stylesheet" href="/assets/stances.css">\n'
        '<script src="/assets/stream.js" defer></script>\n'
        f'<script src="/assets/{script}" defer></script>\n'
        f"</head>\n<body {body_attributes}>\n{body}\n</body>\n</html>\n"
    )


def _offline() -> str:
    """What an open page says when the server stopped (it follows again once it is back)."""
    return _(
        "No connection with fichegen serve: has it stopped? Start it again with "
        "'fichegen serve'; this page then follows your saves again by itself."
    )


def _audience_banner(workspace: Workspace) -> str:
    if workspace.settings.audience != "internal":
        return ""
    return (
        '<span class="intern-badge">'
        + _e(_("INTERNAL: shows internal notes, not for parliament"))
        + "</span>"
    )


# -- the overview ---------------------------------------------------------------


def overview_page(workspace: Workspace, history: History) -> str:
    root = workspace.settings.root.resolve()
    heading = _("Fiches")
    body = (
        f'<header class="bar"><strong class="brand">fichegen</strong>'
        f'<span class="where">{_e(root.name or root)}</span>'
        f"{_audience_banner(workspace)}"
        '<span id="status" class="muted" aria-live="polite"></span></header>\n'
        f'<main class="overview">\n<h1>{_e(heading)}</h1>\n'
        f"<table>\n<thead><tr>"
        + "".join(
            f"<th>{_e(label)}</th>"
            for label in (
                _("Fiche"),
                _("Type"),
                _("Status"),
                _("Errors"),
                _("Warnings"),
                _("Open placeholders"),
                _("Stances"),
                _("Last commit"),
            )
        )
        + "</tr></thead>\n"
        f'<tbody id="fiches">{overview_rows(workspace, history)}</tbody>\n</table>\n</main>'
    )
    attributes = f'class="overview" data-offline="{_e(_offline())}"'
    return _page(_("Fiches"), attributes, body, "overview.js")


def overview_rows(workspace: Workspace, history: History) -> str:
    fiches = workspace.all()
    if not fiches:
        empty = _(
            "No fiches found here: fichegen serve shows the YAML files under positions/, "
            "or those in the folder it is given."
        )
        return f'<tr><td colspan="8" class="empty">{_e(empty)}</td></tr>'
    rows = []
    labels = workspace.labels()
    for fiche in fiches:
        workspace.ensure_read(fiche)
        rows.append(_row(fiche, fiche.summary, history, labels))
    return "\n".join(rows)


def _row(
    fiche: FicheFile, summary: Summary | None, history: History, labels: dict[str, object]
) -> str:
    summary = summary or Summary("", "", "", 0, 0, 0, {})
    title = summary.title or _("(no title)")
    kinds = {"communication": _("communication"), "legislative": _("legislative")}
    states = {"draft": _("draft"), "final": _("final")}
    commit = history.last_commit(fiche.path)
    not_committed, uncommitted = _("not committed yet"), _("changed since the last commit")
    last = (
        f'<span class="commit"><span class="when">{_e(commit.date)}</span> · {_e(commit.author)}'
        "</span><br>"
        f'<span class="subject">{_e(commit.subject)}</span>'
        if commit
        else f'<span class="muted">{_e(not_committed)}</span>'
    )
    if commit and history.is_uncommitted(fiche.path):
        last += f'<br><span class="uncommitted">{_e(uncommitted)}</span>'
    return (
        f'<tr data-key="{_e(fiche.key)}">'
        f'<td><a href="{_e(url("fiche", fiche))}">{_e(title)}</a>'
        f'<br><span class="file">{_e(fiche.key)}</span></td>'
        f"<td>{_e(kinds.get(summary.type, summary.type))}</td>"
        f'<td class="status-{_e(summary.status)}">'
        f"{_e(states.get(summary.status, summary.status))}</td>"
        f'<td class="count{" bad" if summary.errors else ""}">{summary.errors}</td>'
        f'<td class="count{" warn" if summary.warnings else ""}">{summary.warnings}</td>'
        f'<td class="count{" warn" if summary.placeholders else ""}">{summary.placeholders}</td>'
        f"<td>{_stance_chips(summary.stances, labels)}</td>"
        f"<td>{last}</td></tr>"
    )


def _stance_chips(counts: dict[str, int], labels: dict[str, object]) -> str:
    stances = labels.get("stances", {})
    assert isinstance(stances, dict)
    chips = []
    for key, entry in stances.items():
        if counts.get(key):
            label = entry.get("label", key) if isinstance(entry, dict) else key
            chips.append(
                f'<span class="chip stance-{_e(key)}">{_e(label)}&nbsp;{counts[key]}</span>'
            )
    return " ".join(chips)


# -- a fiche's preview ----------------------------------------------------------


def preview_page(workspace: Workspace, fiche: FicheFile) -> str:
    payload = preview_payload(workspace, fiche)
    word = _("Download Word (.docx)")
    back, tab_fiche, tab_changes, loading = _("Overview"), _("Fiche"), _("Changes"), _("Loading…")
    body = (
        '<div class="top"><header class="bar">'
        f'<a class="back" href="/">← {_e(back)}</a>'
        f'<span class="where">{_e(fiche.key)}</span>'
        f"{_audience_banner(workspace)}"
        '<nav class="tabs" role="tablist">'
        f'<button type="button" role="tab" id="tab-fiche" aria-selected="true">{_e(tab_fiche)}'
        "</button>"
        f'<button type="button" role="tab" id="tab-changes" aria-selected="false">'
        f"{_e(tab_changes)}</button></nav>"
        f'<a class="button" id="download" href="{_e(url("word", fiche))}" download'
        f"{'' if payload['shown'] else ' hidden'}>{_e(word)}</a>"
        f'<span id="status" class="muted">{_e(payload["status"])}</span>'
        "</header>\n"
        f'<section id="problems" aria-live="polite">{payload["problems"]}</section></div>\n'
        '<main id="view-fiche"><article class="page" id="fiche">'
        f"{payload['fiche']}</article></main>\n"
        '<main id="view-changes" hidden><article class="page" id="changes">'
        f'<p class="muted">{_e(loading)}</p></article></main>'
    )
    attributes = (
        f'class="preview" data-tab="fiche" data-events="{_e(url("live", fiche))}" '
        f'data-changes="{_e(url("changes", fiche))}" '
        f'data-run="{payload["run"]}" data-version="{payload["version"]}" '
        f'data-shown="{payload["shown"]}" '
        f'data-offline="{_e(_offline())}"'
    )
    return _page(
        fiche.summary.title if fiche.summary else fiche.key, attributes, body, "preview.js"
    )


def preview_payload(workspace: Workspace, fiche: FicheFile) -> dict[str, object]:
    """What the page shows of the fiche now: sent whole at every change."""
    good = fiche.good
    nothing_yet = _("There is no version without errors to show yet.")
    return {
        "run": workspace.run,
        "version": fiche.version,
        "shown": good.version if good else 0,
        "problems": problems_html(fiche),
        "fiche": good.html if good else f'<p class="muted">{_e(nothing_yet)}</p>',
        "status": _saved_at(fiche),
    }


def _saved_at(fiche: FicheFile) -> str:
    """When the file was last saved, as read: the writer sees their last save arrive."""
    if fiche.stamp is None:
        return ""
    saved = datetime.datetime.fromtimestamp(fiche.stamp[0] / 1e9)
    time = saved.strftime("%H:%M:%S")
    if saved.date() == datetime.date.today():
        return _("saved at {time}").format(time=time)
    return _("saved on {date} at {time}").format(date=saved.strftime("%d-%m-%Y"), time=time)


def preview_event(workspace: Workspace, fiche: FicheFile) -> str:
    data = json.dumps(preview_payload(workspace, fiche), ensure_ascii=False)
    return f"event: fiche\nid: {fiche.version}\ndata: {data}\n\n"


def problems_html(fiche: FicheFile) -> str:
    problems = sorted(fiche.problems, key=lambda p: (p.location.line, p.location.column))
    if not problems:
        return ""
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    counts = []
    if errors:
        counts.append(ngettext("{n} error", "{n} errors", errors).format(n=errors))
    if warnings:
        counts.append(ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    # one note per tab, each true of what its tab shows (the page shows the one of its tab)
    notes: tuple[str, ...] = ()
    if errors and fiche.good:
        notes = (
            _("Below is the last version without errors; it is updated when they are fixed."),
            _(
                "Below are the changes of the last version without errors; "
                "they are updated when the errors are fixed."
            ),
        )
    elif errors:
        notes = (
            _("The fiche is shown as soon as it has no errors."),
            _("The changes are shown as soon as the fiche has no errors."),
        )
    note = "".join(
        f'<p class="note note-{tab}">{_e(text)}</p>' for tab, text in zip(TABS, notes, strict=False)
    )
    items = "\n".join(_problem(problem) for problem in problems)
    # errors stay open above the text wherever the reader is; warnings (a draft's open
    # placeholders) are folded into their count until the reader opens them
    return (
        f'<details class="problems {"has-errors" if errors else "warnings-only"}"'
        f"{' open' if errors else ''}><summary><h2>{_e(', '.join(counts))}</h2></summary>"
        f"<ul>{items}</ul>{note}</details>"
    )


def _problem(problem: Problem) -> str:
    where = problem.location
    place = f"{where.line}:{where.column}" if where.column else str(where.line or "")
    severity = _("error") if problem.is_error else _("warning")
    hint_label, place_label = _("hint"), _("line:column")
    hint = f'<div class="hint">{_e(hint_label)}: {_e(problem.hint)}</div>' if problem.hint else ""
    rule = f' <code class="rule">[{_e(problem.code)}]</code>' if problem.code else ""
    return (
        f'<li class="problem {"error" if problem.is_error else "warning"}">'
        f'<span class="place" title="{_e(place_label)}">{_e(place)}</span> '
        f'<span class="severity">{_e(severity)}</span> '
        f'<span class="message">{_e(problem.message)}</span>{rule}{hint}</li>'
    )


def no_changes_yet() -> str:
    """The Changes tab of a fiche that has never been without errors."""
    text = _("There is no version without errors to compare yet.")
    return f'<p class="muted">{_e(text)}</p>'


def changes_html(markdown: str, problems: list[Problem], commit: Commit | None = None) -> str:
    from fichegen.serve.html import report_to_html

    if problems:
        cannot = _("The changes since the last commit cannot be shown:")
        items = "\n".join(_problem(problem) for problem in problems)
        return f'<p class="muted">{_e(cannot)}</p><div class="problems"><ul>{items}</ul></div>'
    heading = (
        _("Changes since the last committed version (commit of {date} by {author})").format(
            date=commit.date, author=commit.author
        )
        if commit
        else _("Changes since the last committed version")
    )
    return f"<h3>{_e(heading)}</h3>\n{report_to_html(markdown)}"


def message_page(title: str, text: str, overview: str = "/") -> str:
    """An error page: what is wrong, what to do, and the way back to the overview."""
    back = _("Overview")
    body = (
        f'<main class="message"><h1>{_e(title)}</h1><p>{_e(text)}</p>'
        f'<p><a href="{_e(overview)}">← {_e(back)}</a></p></main>'
    )
    return _page(title, 'class="message"', body, "overview.js")
