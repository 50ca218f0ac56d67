"""Writing output files so that a reader only ever sees the old or the complete new file."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from fichegen.errors import Location, Problem, ToolError
from fichegen.i18n import _


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over.

    A symbolic link is followed (the link stays, its target is replaced), and a
    target that is not a regular file (/dev/stdout, a pipe) is written to
    directly, since a rename would replace the device itself.
    """
    if path.exists() and not path.is_file():
        _write_special(path, data)
        return
    path = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(str(path)), _("cannot write file: {reason}").format(reason=exc.strerror)
            )
        ) from None
    # The name is chosen before the file exists, so an interrupt at any moment
    # (even inside the call that creates it) knows what to remove.
    temporary = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        # 0o666 before the umask, like any new file; an existing target keeps its mode.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):  # a new target, or a share without modes
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException as exc:
        if not isinstance(exc, FileExistsError):  # never remove a file that is not ours
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(exc, OSError):
            raise ToolError(
                Problem(
                    Location(str(path)),
                    _("cannot write file: {reason}").format(reason=exc.strerror),
                )
            ) from None
        raise


_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _write_special(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(str(path)), _("cannot write file: {reason}").format(reason=exc.strerror)
            )
        ) from None
