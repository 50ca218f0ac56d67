"""The command line's own texts in the user's language: click's, and our help texts.

Two kinds of text reach a user through click rather than through our `_()`:

- click's own texts ("Usage:", "Error: No such option", "Missing argument", "Show
  this message and exit."). click wraps each in the standard library's gettext
  functions, imported by name into each of its modules (`from gettext import
  gettext as _`), which look in the process-wide domain by the locale variables.
  `hook_click()` points those names at our catalog of click's texts (domain
  `click`, `locales/nl/LC_MESSAGES/click.po`), so they follow `--lang` and
  `FICHEGEN_LANG` like our own messages, without touching the process-wide
  gettext state other libraries (and git, LibreOffice) rely on.
- the help of our commands and options, written in English in `cli.py` (the
  docstrings and `help=`). Those are the message ids; `translated(command)` puts
  their Dutch text in place for one run and the English ids back afterwards.
  `tools/messages.py` collects them from the command tree into our catalog.
"""

from __future__ import annotations

import contextlib
import gettext
import importlib
import inspect
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from fichegen import i18n

# click's modules that wrap texts in gettext (the rest hold none).
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
)  # not click._termui_impl: its one text is the "d" of a progress bar's ETA of days


def click_gettext(message: str) -> str:
    return i18n.current_click().gettext(message)


def click_ngettext(singular: str, plural: str, count: int) -> str:
    return i18n.current_click().ngettext(singular, plural, count)


def hook_click() -> None:
    """Route click's texts through our catalog of them, in the language chosen now or later."""
    if any(name.endswith("_COMPLETE") for name in os.environ):
        # click loads it only when it completes, too late to be hooked: load it now.
        importlib.import_module("click.shell_completion")
    for name in CLICK_MODULES:
        # Only what is loaded: the pager and editor helpers are not worth their start-up time.
        module = sys.modules.get(name)
        if module is None:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def help_text(message: str) -> str:
    """One of our help texts, or one click wrote for us ("Show this message and exit.")."""
    ours = i18n._(message)
    return ours if ours != message else click_gettext(message)


def iter_help_ids(command: click.Command) -> Iterator[str]:
    """Every help text of a command tree, as written in the code (the message ids)."""
    for item in _walk(command):
        if isinstance(item, click.Command):
            yield from (inspect.cleandoc(text) for text in (item.help, item.short_help) if text)
            if item.options_metavar:
                yield item.options_metavar
            if isinstance(item, click.Group) and item.subcommand_metavar:
                yield item.subcommand_metavar
        elif isinstance(item, click.Argument):
            yield _argument_name(item)
        else:
            if isinstance(item.type, click.types._NumberParamTypeBase):
                yield item.type.name
            if getattr(item, "help", None):
                yield item.help
            if isinstance(getattr(item, "show_default", None), str):
                yield item.show_default


@contextlib.contextmanager
def translated(command: click.Command) -> Iterator[None]:
    """The help texts of `command` and everything under it in the user's language, for a run."""
    saved: list[tuple[Any, str, Any]] = []

    def put(owner: Any, attribute: str, value: Any) -> None:
        saved.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, value)

    try:
        for item in _walk(command):
            if isinstance(item, click.Command):
                # click makes --help once per command and keeps it: made again for this run.
                if getattr(item, "_help_option", None) is not None:
                    put(item, "_help_option", None)
                for attribute in ("help", "short_help", "options_metavar", "subcommand_metavar"):
                    if getattr(item, attribute, None):
                        text = inspect.cleandoc(getattr(item, attribute))
                        put(item, attribute, help_text(text))
            else:
                if isinstance(item.type, click.Path | click.types._NumberParamTypeBase):
                    # "file": the metavar (FILE) and "File 'x' does not exist.";
                    # "integer range": "'abc' is not a valid integer range."
                    put(item.type, "name", help_text(item.type.name))
                if isinstance(item, click.Argument):
                    if item.metavar is None:
                        put(item, "metavar", _argument_metavar(item))
                    continue
                if getattr(item, "help", None):
                    put(item, "help", help_text(item.help))
                if isinstance(getattr(item, "show_default", None), str):
                    put(item, "show_default", help_text(item.show_default))
        yield
    finally:
        for owner, attribute, value in reversed(saved):
            setattr(owner, attribute, value)


def _walk(command: click.Command) -> Iterator[Any]:
    yield command
    yield from command.params
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


def _argument_name(argument: click.Argument) -> str:
    return (argument.name or "").upper()


def _argument_metavar(argument: click.Argument) -> str:
    """What click shows for an argument (see click.Argument.make_metavar), its name translated."""
    name = help_text(_argument_name(argument))
    if not argument.required:
        name = f"[{name}]"
    if argument.nargs != 1:
        name += "..."
    return name
