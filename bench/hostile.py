"""Hostile texts at the size cap: fichegen check side by side with pandoc reading the same text.

Run from the repository root (needs `pandoc`; standard library otherwise):

    python bench/hostile.py              # results in bench/hostile-results.md

For each pathological pattern (long runs of brackets, emphasis markers,
footnote markers, ...) a fiche whose essence is that pattern repeated up to the
size cap (2 MB) is checked in a fresh process, and pandoc converts the same text
from Markdown to plain text; both are timed from outside, alternating which goes
first. The acceptance bound of issue 17 is 2 s of checking per input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "hostile-results.md"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from fichegen.load import MAX_BYTES  # noqa: E402
from samples import MINIMAL  # noqa: E402

UNITS = ["[", "]", "[a](", "*", "*a_", "[^", "[^a]", "[^a", "<a:", "![", "`", "&#", " ", "prose "]


TIMEOUT = 30.0
"""Seconds before a run is stopped and shown as 'inf' (pandoc takes minutes on 2 MB of '[')."""


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    try:
        subprocess.run(command, cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return float("inf")
    return time.perf_counter() - started


def main() -> None:
    pandoc = shutil.which("pandoc")
    env_python = [sys.executable, "-c", "from fichegen.cli import main; main()"]
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    rows = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for index, unit in enumerate(UNITS):
            piece = "Een zin met *nadruk* en [link](https://x.nl). " if unit == "prose " else unit
            text = piece * ((MAX_BYTES - len(MINIMAL) - 200) // len(piece))
            fiche = MINIMAL.replace("essence: Essentie.", "essence: " + json.dumps(text))
            (folder / "x.yaml").write_text(fiche, encoding="utf-8")
            (folder / "x.md").write_text(text, encoding="utf-8")
            runs = [
                ("check", lambda: timed([*env_python, "check", "x.yaml"], folder)),
                ("pandoc", lambda: timed([pandoc, "-f", "markdown", "-t", "plain", "x.md"], folder))
                if pandoc
                else ("pandoc", lambda: float("nan")),
            ]
            if index % 2:
                runs.reverse()
            times = dict((label, run()) for label, run in runs)
            rows.append((unit, len(fiche), times["check"], times["pandoc"]))
            print(f"{unit!r:10} check {times['check']:6.2f} s   pandoc {times['pandoc']:6.2f} s")
    lines = [
        "# Hostile texts at the size cap: fichegen check and pandoc",
        "",
        "Wall time of a whole process each, on a shared machine (`python bench/hostile.py`).",
        "",
        "| pattern | file bytes | fichegen check (s) | pandoc md->plain (s) | ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    for unit, size, check, other in rows:
        ratio = check / other if other and other == other else float("nan")
        lines.append(
            f"| `{unit.strip() or 'spaces'}` | {size} | {check:.2f} | {other:.2f} | {ratio:.2f} |"
        )
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
