"""Writing output files so that a reader only ever sees the old or the complete new file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from fichegen.errors import Location, Problem, ToolError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise ToolError(Problem(Location(str(path)),
                                    f"cannot write file: {exc.strerror}")) from None
        raise
