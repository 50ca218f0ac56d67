"""The `fichegen` command: parse options, call the pipeline, print problems, pick exit codes.

Only this layer prints. Errors raised anywhere below carry their located
problems up to `_Group.invoke`, which shows each once and exits with the
error's code (1 for bad input, 2 for bad usage).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from fichegen import __version__
from fichegen.errors import FichegenError, Problem
from fichegen.i18n import LANGUAGES, _, ngettext


class _Group(click.Group):
    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        from fichegen import clitext
        from fichegen.i18n import set_language

        # The language is needed before click parses (its errors and help are texts too).
        set_language(_language_asked(sys.argv[1:] if args is None else list(args)))
        clitext.hook_click()
        with clitext.translated(self):
            return super().main(args, *rest, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _sigterm_as_interrupt():
                return super().invoke(ctx)
        except FichegenError as exc:
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(_("interrupted; no file was left half-written"), err=True)
            ctx.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own usage errors (exit 2) and exits, shown by click
        except Exception as exc:  # a bug, never the user's fault: say so in one line
            if os.environ.get("FICHEGEN_DEBUG"):
                raise
            click.echo(
                _("fichegen: internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"),
                err=True,
            )
            click.echo(
                "    "
                + _("hint")
                + ": "
                + _(
                    "this is a bug in fichegen; run again with FICHEGEN_DEBUG=1 "
                    "and report the traceback"
                ),
                err=True,
            )
            ctx.exit(3)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A kill (SIGTERM) unwinds like Ctrl-C, so temporary files are removed on the way out.

    Only in this process: forked workers (build) keep the default, quiet death.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


reference_docx_option = click.option(
    "--reference-docx",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .docx whose styles, page setup, header and footer the Word output takes.",
)
templates_option = click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="FICHEGEN_TEMPLATES",
    show_envvar=True,
    help="A folder of your own templates; its files replace the bundled ones.",
)


def audience_option(help: str) -> Any:
    """--audience, the same switch for every command that shows a fiche."""
    return click.option(
        "--audience",
        type=click.Choice(["public", "internal"]),
        default="public",
        show_default=True,
        help=help,
    )


def _language_asked(args: list[str]) -> str | None:
    """The value of --lang on a command line, before click reads it (None: not given)."""
    for index, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in LANGUAGES:
            return value
    return None


def _say_wrote(path: Path) -> None:
    """Name the file written; standard output (`-o -`) holds the result itself, so say nothing."""
    from fichegen.files import is_stream

    if not is_stream(path):
        click.echo(_("wrote {path}").format(path=path), err=True)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    # Not click.version_option: its text is fixed in English when this module loads.
    if value and not ctx.resilient_parsing:
        click.echo(_("fichegen, version {version}").format(version=__version__))
        ctx.exit()


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    from fichegen.i18n import set_language

    set_language(value)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    is_eager=True,
    expose_value=False,
    callback=_set_language,
    help="Language of the messages (default: Dutch; English with FICHEGEN_LANG=en or an "
    "English locale).",
)
def main() -> None:
    """Draft BNC fiches from structured YAML: check them, render them to Word, PDF or Markdown."""


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["docx", "md", "pdf"]),
    default=None,
    help="Output format: docx (Word, the default), md (Markdown) or pdf; with -o, the "
    "extension of the file decides.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: output/<name>.<format>).",
)
@reference_docx_option
@audience_option(
    "public: the version for parliament, without internal notes; internal: "
    "with them (Word comments, marked quotes in Markdown)."
)
@templates_option
def render(
    source: Path,
    fmt: str | None,
    output: Path | None,
    reference_docx: Path | None,
    audience: str,
    templates: Path | None,
) -> None:
    """Render a positions file into a fiche: Word (.docx), PDF or Markdown."""
    from fichegen.pipeline import run_render

    target, left = run_render(
        source, fmt, output, reference=reference_docx, audience=audience, templates=templates
    )
    _say_wrote(target)
    if left:
        click.echo(
            ngettext(
                "{count} placeholder [INVULLEN: ...] still to fill in",
                "{count} placeholders [INVULLEN: ...] still to fill in",
                left,
            ).format(count=left),
            err=True,
        )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "formats",
    default="md,docx",
    show_default=True,
    help="Formats to write, separated by commas: md, docx, pdf.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder to write into.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    show_default="all cores",
    help="Fiches rendered at once.",
)
@click.option("--force", is_flag=True, help="Render every fiche, changed or not.")
@click.option(
    "--prune", is_flag=True, help="Remove outputs whose fiche is gone or failed to build."
)
@reference_docx_option
@templates_option
@audience_option(
    "public: for parliament; internal: with internal notes (written as <name>-intern.<format>)."
)
@click.option("-v", "--verbose", is_flag=True, help="Name each fiche rendered and why.")
def build(
    paths: tuple[Path, ...],
    formats: str,
    output: Path,
    jobs: int | None,
    force: bool,
    prune: bool,
    reference_docx: Path | None,
    templates: Path | None,
    audience: str,
    verbose: bool,
) -> None:
    """Render every fiche under positions/ (or PATHS) into output/, only what changed.

    A fiche is rendered again when its YAML, a template, the reference document or
    fichegen changed, or its output is missing; output/.fichegen-build.json keeps
    track and is safe to delete.
    """
    from fichegen.build import Settings, parse_formats, plan_build, run_build

    settings = Settings(
        sources=paths or (Path("positions"),),
        output=output,
        jobs=jobs or 0,
        formats=parse_formats(formats),
        reference=reference_docx,
        templates=templates,
        audience=audience,
        force=force,
        prune=prune,
    )
    plan = plan_build(settings)
    if verbose:
        for task in plan.tasks:
            click.echo(f"{task.source}: {task.reason}", err=True)
    if plan.tasks and sys.stderr.isatty():
        with click.progressbar(length=len(plan.tasks), label=_("building"), file=sys.stderr) as bar:
            report = run_build(settings, plan=plan, progress=bar.update)
    else:
        report = run_build(settings, plan=plan)
    for problem in report.iter_problems():
        click.echo(problem.format(), err=True)
    click.echo(report.summary(), err=True)
    if not report.ok:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: lines for people, or JSON for other tools.",
)
@click.option("--list-rules", is_flag=True, help="List the rule ids and exit.")
@click.option(
    "--no-cache",
    is_flag=True,
    envvar="FICHEGEN_NO_CACHE",
    help="Check every file again, without the results kept in the user's cache "
    "(also FICHEGEN_NO_CACHE=1).",
)
def check(
    paths: tuple[Path, ...], strict: bool, fmt: str, list_rules: bool, no_cache: bool
) -> None:
    """Check positions files (or the YAML files in folders; positions/ without PATHS).

    Exit code 0 when there are no errors (warnings alone pass, unless --strict),
    1 when there are (a file that cannot be read, or does not exist, is one),
    2 for a wrong command line or configuration. Rules are
    configured in [tool.fichegen.check] of pyproject.toml or [check] of a
    fichegen.toml, found from each file's folder upwards.
    """
    from fichegen.check import format_json, format_rules, format_text, run_check

    if list_rules:
        click.echo(format_rules(), nl=False)
        return
    if not paths:
        if not Path("positions").is_dir():
            raise click.UsageError(
                _("give one or more files or folders to check (there is no positions/ here)")
            )
        paths = (Path("positions"),)
    report = run_check(paths, strict=strict, cached=not no_cache)
    click.echo(format_json(report) if fmt == "json" else format_text(report), nl=False)
    if report.exit_code:
        sys.exit(report.exit_code)


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "fiche_type",
    type=click.Choice(["communication", "legislative"]),
    required=True,
    help="communication (mededeling, aanbeveling) or legislative (wet- en regelgeving).",
)
@click.option(
    "--com",
    multiple=True,
    metavar="NUMBER",
    help="The Commission document's number, e.g. 'COM(2026) 123'; repeat for several.",
)
@click.option("--title", default="", help="The fiche's short title.")
@click.option(
    "--actions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An action list (.csv, .yaml, or .txt text of the PDF annex) to pre-fill the "
    "areas and actions, or the elements of a legislative fiche.",
)
@click.option("--force", is_flag=True, help="Replace TARGET if it exists.")
def new(
    target: Path,
    fiche_type: str,
    com: tuple[str, ...],
    title: str,
    actions: Path | None,
    force: bool,
) -> None:
    """Start a positions file: every section, with help text and [INVULLEN: ...] to fill in."""
    from fichegen.model import FicheType
    from fichegen.new import create_positions_file

    schema = create_positions_file(
        target, FicheType(fiche_type), com=com, title=title, actions=actions, force=force
    )
    if schema is not None:
        click.echo(_("wrote {path}, for the editor's help").format(path=schema), err=True)
    click.echo(
        _("wrote {path}; fill in every [INVULLEN: ...], then run 'fichegen check {path}'").format(
            path=target
        ),
        err=True,
    )


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of positions files, for editors (schema/fiche.schema.json)."""
    from fichegen.schema import schema_text

    if output is None:
        click.echo(schema_text(), nl=False)
        return
    from fichegen.files import write_atomic

    write_atomic(output, schema_text().encode("utf-8"))
    _say_wrote(output)


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "json", "docx"]),
    default="text",
    show_default=True,
    help="text for the terminal, md for a merge request, json for tools, docx for "
    "Word with tracked changes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (docx default: output/<name>-wijzigingen.docx).",
)
@click.option(
    "--author",
    help="Author of the Word revisions (default: the newer commit's author, else git's user.name).",
)
@audience_option("public: changes to internal notes are left out; internal: included.")
@reference_docx_option
@click.option("--exit-code", is_flag=True, help="Exit with 1 when the versions differ.")
@click.option(
    "--staged", is_flag=True, help="Without versions: compare git's index with HEAD instead."
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the removed and inserted words (auto: on a terminal, unless NO_COLOR is set).",
)
def diff(
    old: str | None,
    new: str | None,
    fmt: str,
    output: Path | None,
    author: str | None,
    audience: str,
    reference_docx: Path | None,
    exit_code: bool,
    staged: bool,
    color: str,
) -> None:
    """Show what changed between two versions of a fiche: actions, stances, words, footnotes.

    OLD and NEW are positions files or FILE@REVISION for a file in git (any
    revision: HEAD~3, main, a tag). Without NEW, OLD is compared with its file
    as it is now: 'fichegen diff positions/x.yaml@main'. Without either, every
    changed positions file is compared with HEAD, as 'git diff' does (--staged:
    the staged version). Rule violations in either version are warnings; a
    version that cannot be read exits with 2.
    """
    from fichegen.diff.run import DiffRequest, run_diff

    outcome = run_diff(
        DiffRequest(
            old,
            new,
            fmt,  # type: ignore[arg-type]
            output,
            author,
            audience,
            reference_docx,
            staged,
            _use_colour(color),
        )
    )
    for problem in outcome.notes:
        click.echo(problem.format(), err=True)
    if outcome.report:
        click.echo(outcome.report, nl=False, color=True)
    for target, count in outcome.written:
        said = ngettext(
            "wrote {target} ({count} change)", "wrote {target} ({count} changes)", count
        )
        click.echo(said.format(target=target, count=count), err=True)
    if not outcome.differs and fmt == "text":
        if len(outcome.comparisons) == 1:
            only = outcome.comparisons[0]
            message = _("no changes between {old} and {new}").format(
                old=only.old.name, new=only.new.name
            )
        else:
            message = _("no changes in the positions files")
        click.echo(message, err=True)
    if exit_code and outcome.differs:
        sys.exit(1)


def _use_colour(choice: str) -> bool:
    """--color: always, never, or (auto) when stdout is a terminal and NO_COLOR is not set."""
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@audience_option("public: a positions file without its internal notes; internal: with them.")
def textconv(file: Path, audience: str) -> None:
    """Print a .docx or a positions file as text, for 'git diff' (see the README)."""
    from fichegen.diff.textconv import textconv as convert

    conversion = convert(file, audience)
    for problem in conversion.warnings:
        click.echo(problem.format(), err=True)
    click.echo(conversion.text, nl=False)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["docx", "pdf", "md"]),
    default="docx",
    show_default=True,
    help="docx: the letter; pdf: the letter followed by the fiches, one bookmark each.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: output/brief.<format>).",
)
@click.option("--date", help="Date of the letter, e.g. '15 januari 2026'.")
@click.option("--minister", help="Name of the signing Minister of Foreign Affairs.")
@click.option("--number", help="The letter's number in series 22 112, when known.")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file with a [letter] table (default: fichegen.toml or pyproject.toml here).",
)
@reference_docx_option
@templates_option
def letter(
    sources: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    date: str | None,
    minister: str | None,
    number: str | None,
    config: Path | None,
    reference_docx: Path | None,
    templates: Path | None,
) -> None:
    """Write the covering letter with which the Minister sends fiches to the Tweede Kamer."""
    from fichegen.files import write_atomic
    from fichegen.letter import letter_info, render_letter

    info = letter_info(date, minister, number, config)
    target = output or Path("output") / f"brief.{fmt}"
    notes: list[Problem] = []
    data = render_letter(
        list(sources), fmt, info, reference=reference_docx, templates=templates, notes=notes
    )
    for note in notes:
        click.echo(note.format(), err=True)
    write_atomic(target, data)
    _say_wrote(target)


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the overview in the browser.")
@audience_option("public: the fiche for parliament; internal: with the internal notes, marked.")
@templates_option
@reference_docx_option
def serve(
    path: Path,
    port: int,
    open_browser: bool,
    audience: str,
    templates: Path | None,
    reference_docx: Path | None,
) -> None:
    """Show the fiches of PATH (default: this folder) in the browser, updated at every save.

    Only this computer can reach it (127.0.0.1); stop it with Ctrl-C.
    """
    from fichegen.serve import run_serve
    from fichegen.serve.workspace import Settings

    def ready(url: str) -> None:
        click.echo(_("fichegen serve: {url} (stop with Ctrl-C)").format(url=url), err=True)

    def no_browser(url: str) -> None:
        click.echo(
            _("fichegen serve: no browser could be opened; open {url} in your browser").format(
                url=url
            ),
            err=True,
        )

    settings = Settings(path, audience, templates, reference_docx)
    run_serve(
        settings, port=port, open_browser=open_browser, on_ready=ready, on_no_browser=no_browser
    )
    click.echo(_("fichegen serve: stopped"), err=True)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="A folder (default: positions/), or a .yaml file when there is one fiche.",
)
@click.option("--force", is_flag=True, help="Replace positions files that exist.")
def import_(files: tuple[Path, ...], output: Path | None, force: bool) -> None:
    """Import existing fiches (.docx, .html, or the text of a PDF) as positions files.

    A covering letter that bundles several fiches gives one file per fiche. Text
    that fits no field is kept with an [INVULLEN: ...] marker; 'fichegen check'
    lists them. Nothing is written when a file cannot be read (exit 2).
    """
    from fichegen.importing import run_import

    report = run_import(files, output, force=force)
    for problem in report.iter_warnings():
        click.echo(problem.format(), err=True)
    for item in report.written:
        click.echo(
            _("wrote {target} (from {source})").format(target=item.target, source=item.source),
            err=True,
        )


@main.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("positions", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--changes",
    type=click.Choice(["accept", "reject", "list"]),
    default="accept",
    show_default=True,
    help="Pending tracked changes: accept them, reject them, or only list them.",
)
@click.option("--no-comments", is_flag=True, help="Do not store Word comments as review notes.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Also when the positions file has uncommitted changes.")
@reference_docx_option
@templates_option
def absorb(
    document: Path,
    positions: Path | None,
    changes: str,
    no_comments: bool,
    dry_run: bool,
    force: bool,
    reference_docx: Path | None,
    templates: Path | None,
) -> None:
    """Write the edits in a reviewed Word fiche back into its positions file."""
    from fichegen.absorb.run import closing_lines, comment_lines, run_absorb

    result = run_absorb(
        document,
        positions,
        changes=changes,  # type: ignore[arg-type]
        comments=not no_comments,
        dry_run=dry_run,
        force=force,
        templates=templates,
        reference=reference_docx,
    )
    for line in result.listing:
        click.echo(line)
    if result.report:
        click.echo(result.report, nl=False, color=None)
    for line in comment_lines(result.comments):
        click.echo(line)
    for problem in result.notes:
        click.echo(problem.format(), err=True)
    for line in closing_lines(result, listing=changes == "list", dry_run=dry_run):
        click.echo(line, err=True)


if __name__ == "__main__":
    sys.exit(main())
