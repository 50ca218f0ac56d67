"""Files in and out: inputs are bounded regular files, outputs never destroy another file.

Every command reads its inputs through `read_input` (a pipe or device is
refused at once, never waited on) and `read_zip` (a Word file's members are
bounded, so a zip bomb is refused before it is unpacked). Every command writes
through `check_output` and `write_atomic`: the one guard that refuses an
output that is one of the command's inputs, a symbolic link, or outside the
folder the user chose, and that writes `-` and devices such as /dev/stdout
directly instead of renaming over them.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, ToolError, UsageError
from fichegen.i18n import _, os_reason

# -- inputs ------------------------------------------------------------------------------


def read_input(path: Path | str, limit: int, *, name: str | None = None) -> bytes:
    """At most `limit + 1` bytes of a regular file (the caller judges `len > limit`).

    A FIFO, device or folder is refused before a single byte is read: opening
    without blocking, then looking at what was opened, so nothing can hang.
    """
    shown = name or str(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _BINARY)
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise InputError(
                Problem(
                    Location(shown),
                    _("not a regular file"),
                    code="unreadable",
                    hint=_("give a file saved on disk, not a pipe, device or folder"),
                )
            )
        try:
            return stream.read(limit + 1)
        except OSError as exc:
            raise _unreadable(shown, exc) from None


def _unreadable(shown: str, exc: OSError) -> InputError:
    return InputError(
        Problem(
            Location(shown),
            _("cannot read file: {reason}").format(reason=os_reason(exc)),
            code="unreadable",
        )
    )


ZIP_MEMBERS = 2000
"""A Word file has a few dozen parts; thousands is not a document."""
ZIP_MEMBER_BYTES = 32 * 1024 * 1024
ZIP_TOTAL_BYTES = 64 * 1024 * 1024
"""A long fiche with a logo is a few MB unpacked."""
ZIP_RATIO = 200
"""Text compresses about ten times; a member two hundred times smaller packed is a bomb."""


class ZipLimitError(ValueError):
    """A zip that would unpack into more than a Word file can hold."""


def read_zip(data: bytes) -> dict[str, bytes]:
    """Every member of a zip, read within the limits above, whatever its headers claim.

    Raises zipfile.BadZipFile for a broken zip and ZipLimitError for one too big.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > ZIP_MEMBERS:
            raise ZipLimitError(
                _("it has {count} parts, more than a Word file has").format(count=len(infos))
            )
        members: dict[str, bytes] = {}
        total = 0
        for info in infos:
            _check_member(info.file_size, info.compress_size, total)
            chunks: list[bytes] = []
            size = 0
            with archive.open(info) as stream:  # the headers may lie: count what comes out
                while chunk := stream.read(1 << 16):
                    size += len(chunk)
                    _check_member(size, info.compress_size, total)
                    chunks.append(chunk)
            total += size
            members[info.filename] = b"".join(chunks)
        return members


def _check_member(size: int, packed: int, total: int) -> None:
    if (
        size > ZIP_MEMBER_BYTES
        or total + size > ZIP_TOTAL_BYTES
        or (size > 1024 * 1024 and size > ZIP_RATIO * max(packed, 1))
    ):
        raise ZipLimitError(_("it unpacks into more than a Word file can hold"))


# -- outputs -----------------------------------------------------------------------------

_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2, "-": 1}
_FD_PATH = re.compile(r"/(?:dev/fd|proc/self/fd|proc/thread-self/fd)/(\d+)")


def check_output(
    path: Path, *, inputs: Iterable[Path | None] = (), folder: Path | None = None
) -> None:
    """Refuse an output that would destroy a file other than the intended output.

    The output may not be one of `inputs` (by any name: a link or a hard link
    to it counts), may not be a symbolic link (writing through it could land
    anywhere), and with `folder` must lie inside that folder. Standard output
    (`-`, /dev/stdout), other devices and pipes are fine: they are written to.
    """
    if _descriptor(path) is not None:
        return
    if path.is_symlink():
        raise UsageError(
            Problem(
                Location(str(path)),
                _("the output is a symbolic link; fichegen does not write through links"),
                code="output",
                hint=_("remove the link, or choose another output file"),
            )
        )
    try:
        target = os.stat(path)
    except OSError:
        target = None
    if target is not None:
        for source in inputs:
            if source is None:
                continue
            with contextlib.suppress(OSError):
                if os.path.samestat(target, os.stat(source)):
                    raise UsageError(
                        Problem(
                            Location(str(path)),
                            _("the output is the input file {input}; it would be replaced").format(
                                input=source
                            ),
                            code="output",
                            hint=_("choose another output file with -o"),
                        )
                    )
    if folder is not None:
        inside = os.path.realpath(folder)
        where = os.path.realpath(path.parent)
        if os.path.commonpath([inside, where]) != inside:
            raise UsageError(
                Problem(
                    Location(str(path)),
                    _("the output would be written outside the folder {folder}").format(
                        folder=folder
                    ),
                    code="output",
                    hint=_("remove the symbolic link in {folder}").format(folder=folder),
                )
            )


def is_stream(path: Path) -> bool:
    """Whether `path` names a descriptor such as standard output (`-`), not a file on disk."""
    return _descriptor(path) is not None


def _descriptor(path: Path) -> int | None:
    """The file descriptor a path names directly (`-`, /dev/stdout, /dev/fd/3), if any."""
    text = str(path)
    if text in _STANDARD:
        return _STANDARD[text]
    found = _FD_PATH.fullmatch(text)
    return int(found.group(1)) if found else None


def write_atomic(
    path: Path, data: bytes, *, inputs: Iterable[Path | None] = (), folder: Path | None = None
) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over.

    The target passes `check_output` first. Standard output and other
    descriptors (`-`, /dev/stdout, /dev/fd/N) are written to as they are, so a
    shell redirection is filled, never replaced; so are devices and pipes,
    since a rename would replace the device itself.
    """
    check_output(path, inputs=inputs, folder=folder)
    descriptor = _descriptor(path)
    if descriptor is not None:
        _write_descriptor(path, descriptor, data)
        return
    if path.exists() and not path.is_file():
        _write_special(path, data)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(str(path)), _("cannot write file: {reason}").format(reason=os_reason(exc))
            )
        ) from None
    # The name is chosen before the file exists, so an interrupt at any moment
    # (even inside the call that creates it) knows what to remove.
    # The process id in the name tells a later run which temporaries a killed run left.
    temporary = path.parent / f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
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
        _remove_strays(path)
    except BaseException as exc:
        if not isinstance(exc, FileExistsError):  # never remove a file that is not ours
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(exc, OSError):
            raise ToolError(
                Problem(
                    Location(str(path)),
                    _("cannot write file: {reason}").format(reason=os_reason(exc)),
                )
            ) from None
        raise


_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _remove_strays(path: Path) -> None:
    """Remove temporaries of `path` left by a run that was killed (kill -9, power cut).

    Only those whose process is gone: a run writing the same file right now keeps its own.
    """
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)-[0-9a-f]{8}\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            found = pattern.fullmatch(entry.name)
            if found is None or int(found.group(1)) == os.getpid() or _alive(int(found.group(1))):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or not ours to judge: leave it
    return True


def _write_descriptor(path: Path, descriptor: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(str(path)), _("cannot write file: {reason}").format(reason=os_reason(exc))
            )
        ) from None


def _write_special(path: Path, data: bytes) -> None:
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise ToolError(
            Problem(
                Location(str(path)), _("cannot write file: {reason}").format(reason=os_reason(exc))
            )
        ) from None


def cache_folder() -> Path:
    """fichegen's folder in the user's cache: check results, compiled templates.

    FICHEGEN_CACHE_DIR when set, else the platform's cache folder.
    """
    own = os.environ.get("FICHEGEN_CACHE_DIR")
    if own:
        return Path(own)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fichegen"
