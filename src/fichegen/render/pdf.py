"""Word -> PDF through LibreOffice, for reading a fiche the way a recipient will see it.

One `soffice --headless --convert-to pdf` process converts every file at once
(LibreOffice's start-up dominates the cost). It runs with its own throw-away
profile directory (-env:UserInstallation), so it neither collides with a
LibreOffice the user has open nor leaves state behind, and in its own process
group, so a timeout kills the whole tree (soffice is a wrapper around
soffice.bin).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from fichegen.errors import InputError, Location, Problem, ToolError

_CANDIDATES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    docx_paths: list[Path], outdir: Path, timeout: float = 120, *, soffice: str | None = None
) -> list[Path]:
    """Convert each .docx to outdir/<stem>.pdf with one LibreOffice run; returns the PDFs.

    `soffice` names the binary; by default "soffice" (or "libreoffice") on PATH.
    Raises ToolError when LibreOffice is missing, fails, times out or writes no PDF.
    """
    if not docx_paths:
        return []
    _check_inputs(docx_paths)
    binary = soffice or find_soffice()
    if binary is None or shutil.which(binary) is None:
        raise ToolError(
            Problem(
                Location(binary or "soffice"),
                "LibreOffice (soffice) is not installed or not on PATH",
                hint="install LibreOffice, e.g. 'apt-get install libreoffice-writer'",
            )
        )
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / (path.stem + ".pdf") for path in docx_paths]
    for target in targets:  # a stale PDF must not pass for a fresh one
        target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="fichegen-lo-") as profile:
        command = [
            binary,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(path) for path in docx_paths),
        ]
        stderr = _run(command, timeout)
    missing = [t for t in targets if not t.is_file() or t.stat().st_size == 0]
    if missing:
        raise ToolError(
            Problem(
                Location(str(docx_paths[targets.index(missing[0])])),
                f"LibreOffice wrote no PDF for {len(missing)} of {len(targets)} file(s)",
                hint=_tail(stderr) or "open the .docx in LibreOffice to see what is wrong",
            )
        )
    for source, target in zip(docx_paths, targets, strict=True):
        target.write_bytes(reproducible(target.read_bytes(), _created(source)))
    return targets


_CREATION = re.compile(rb"(/CreationDate\s*\(D:)(\d{14})")
_IDS = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]{32})(>\s*<)([0-9A-Fa-f]{32})(>)")
_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]{32})")


def reproducible(pdf: bytes, created: str) -> bytes:
    """The PDF with LibreOffice's clock and random ids replaced: same fiche, same bytes.

    The creation date becomes the Word file's (`created`, 14 digits, from
    SOURCE_DATE_EPOCH or 1980), and the document id and checksum a hash of the
    rest. Every replacement has the length of what it replaces, so the PDF's
    table of byte offsets stays right.
    """
    pdf = _CREATION.sub(lambda m: m.group(1) + created.encode("ascii"), pdf)
    blank = _CHECKSUM.sub(
        lambda m: m.group(1) + b"0" * 32,
        _IDS.sub(rb"\g<1>" + b"0" * 32 + rb"\g<3>" + b"0" * 32 + rb"\g<5>", pdf),
    )
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode("ascii")
    pdf = _IDS.sub(lambda m: m.group(1) + digest + m.group(3) + digest + m.group(5), pdf)
    return _CHECKSUM.sub(lambda m: m.group(1) + digest, pdf)


def _created(docx: Path) -> str:
    """The creation moment in a Word file's properties as 14 digits, else 1980-01-01."""
    try:
        with zipfile.ZipFile(docx) as archive:
            core = archive.read("docProps/core.xml")[:100_000].decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return "19800101000000"
    found = re.search(r"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)", core)
    return "".join(found.groups()) if found else "19800101000000"


def _check_inputs(paths: list[Path]) -> None:
    stems: dict[str, Path] = {}
    for path in paths:
        if not path.is_file():
            raise InputError(Problem(Location(str(path)), "no such .docx file"))
        other = stems.setdefault(path.stem, path)
        if other != path:
            raise InputError(
                Problem(
                    Location(str(path)),
                    f"would overwrite the PDF of {other}: both are named '{path.stem}'",
                    hint="convert them in separate runs or rename one",
                )
            )


def _run(command: list[str], timeout: float) -> str:
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ToolError(
            Problem(Location(command[0]), f"cannot start LibreOffice: {exc.strerror or exc}")
        ) from exc
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ToolError(
            Problem(
                Location(command[0]),
                f"LibreOffice did not finish converting within {timeout:g} s",
                hint="try again with a longer timeout, or check that soffice starts at all",
            )
        ) from exc
    text = err.decode("utf-8", "replace")
    if process.returncode != 0:
        raise ToolError(
            Problem(
                Location(command[0]),
                f"LibreOffice failed with exit code {process.returncode}",
                hint=_tail(text),
            )
        )
    return text


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])
