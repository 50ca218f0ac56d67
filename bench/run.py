"""fichegen against pandoc, side by side: one fiche, a batch of 200, a no-op build, check, memory.

Run from the repository root (standard library only; needs `fichegen` installed and `pandoc`):

    python bench/run.py                  # 7 interleaved repetitions, results in bench/results.md
    python bench/run.py --runs 3 --count 50
    python bench/run.py --fuzz 5000      # also a long property-test run (FICHEGEN_FUZZ_EXAMPLES)

Each measurement is a whole process as a user starts it, timed from outside with
time.perf_counter. Tools A and B alternate within each repetition (A first on even
repetitions, B first on odd ones) so that a noisy neighbour hurts both alike;
the table shows medians. Pandoc converts the Markdown that fichegen renders from
the same fiche, so both produce the same document from the same text.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "positions" / "com-2025-744-actieplan-drugshandel.yaml"
RESULTS = ROOT / "bench" / "results.md"
MIB = 1024 * 1024


@dataclass
class Row:
    """One line of the results table."""

    name: str
    ours: float
    theirs: float | None
    unit: str
    target: str
    met: bool

    def cells(self) -> list[str]:
        ratio = f"{self.ours / self.theirs:.2f} x" if self.theirs else ""
        theirs = _show(self.theirs, self.unit) if self.theirs is not None else ""
        return [
            self.name,
            _show(self.ours, self.unit),
            theirs,
            ratio,
            self.target,
            "yes" if self.met else "**no**",
        ]


def main(argv: Sequence[str] | None = None) -> int:
    options = _parse(argv)
    fichegen = _fichegen_command()
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("bench: pandoc is not installed (apt-get install pandoc)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="fichegen-bench-"))
    try:
        rows = measure(options, fichegen, pandoc, work)
    finally:
        if options.keep:
            print(f"bench: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = format_results(rows, options, pandoc)
    print(table)
    options.output.write_text(table, encoding="utf-8")
    print(f"bench: wrote {options.output}", file=sys.stderr)
    return 0 if all(row.met for row in rows) else 1


def measure(options: argparse.Namespace, fichegen: list[str], pandoc: str, work: Path) -> list[Row]:
    """Prepare the fiches and their Markdown, then take every measurement."""
    seed = work / "seed.yaml"
    shutil.copyfile(options.seed, seed)
    _run([*fichegen, "render", "--format", "md", "-o", str(work / "seed.md"), str(seed)])
    positions = generate_fiches(options.seed, work / "positions", options.count)
    markdown = work / "markdown"
    _run([*fichegen, "build", "--format", "md", "--output", str(markdown), str(positions)])
    sources = sorted(markdown.glob("*.md"))
    print(
        f"bench: {options.count} fiches of {options.seed.stat().st_size // 1024} KB in {work}",
        file=sys.stderr,
    )

    options.python_start = _median(options.runs, lambda: _timed([sys.executable, "-c", "pass"]))
    rows = []
    one_ours, one_theirs = interleave(
        options.runs,
        lambda: _timed([*fichegen, "render", "-o", str(work / "a.docx"), str(seed)]),
        lambda: _timed([pandoc, str(work / "seed.md"), "-o", str(work / "b.docx")]),
    )
    rows.append(
        Row(
            "one fiche, YAML -> docx (whole process)",
            one_ours,
            one_theirs,
            "s",
            "<= 1.2 x pandoc",
            one_ours <= 1.2 * one_theirs,
        )
    )

    output = work / "output"
    build = [
        *fichegen,
        "build",
        "--format",
        "docx",
        "--jobs",
        str(options.jobs),
        "--output",
        str(output),
        str(positions),
    ]

    def build_from_scratch() -> float:
        shutil.rmtree(output, ignore_errors=True)
        return _timed(build)

    def pandoc_batch() -> float:
        for old in markdown.glob("*.docx"):
            old.unlink()
        return _timed_batch(
            [[pandoc, str(s), "-o", str(s.with_suffix(".docx"))] for s in sources], options.jobs
        )

    batch_ours, batch_theirs = interleave(options.runs, build_from_scratch, pandoc_batch)
    rows.append(
        Row(
            f"{options.count} fiches from scratch, {options.jobs} at a time",
            batch_ours,
            batch_theirs,
            "s",
            "<= 0.25 x pandoc",
            batch_ours <= 0.25 * batch_theirs,
        )
    )

    _run(build)

    def build_nothing() -> float:
        # fichegen's own code is an input of a build: if someone edits it during the
        # run, the next build is a real one; time the one after it.
        for _ in range(3):
            started = time.perf_counter()
            result = subprocess.run(build, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if result.returncode == 0 and "built 0," in result.stderr:
                return elapsed
        raise SystemExit(f"bench: the no-op build keeps rendering:\n{result.stderr}")

    no_op = _median(options.runs, build_nothing)
    rows.append(
        Row(f"no-op build of {options.count} fiches", no_op, None, "s", "< 0.5 s", no_op < 0.5)
    )

    fiches = [str(p) for p in sorted(positions.glob("*.yaml"))]
    if subprocess.run([*fichegen, "check", "--help"], capture_output=True).returncode == 0:
        check = _median(options.runs, lambda: _timed([*fichegen, "check", *fiches]))
        rows.append(Row(f"check of {options.count} fiches", check, None, "s", "< 1 s", check < 1.0))
    else:
        print("bench: no 'fichegen check' command; skipped", file=sys.stderr)

    memory_ours = peak_memory([*fichegen, "render", "-o", str(work / "m.docx"), str(seed)])
    memory_theirs = peak_memory([pandoc, str(work / "seed.md"), "-o", str(work / "n.docx")])
    options.cpu_one = (
        _median(
            options.runs,
            lambda: cpu_time([*fichegen, "render", "-o", str(work / "c.docx"), str(seed)]),
        ),
        _median(
            options.runs,
            lambda: cpu_time([pandoc, str(work / "seed.md"), "-o", str(work / "d.docx")]),
        ),
    )
    rows.append(
        Row(
            "peak memory of one render",
            memory_ours,
            memory_theirs,
            "MiB",
            "< 60 MiB",
            memory_ours < 60 * MIB,
        )
    )

    rows.append(measure_absorb(options, fichegen, pandoc, work))

    if options.fuzz:
        seconds, passed = run_fuzz(options.fuzz)
        rows.append(
            Row(f"property tests, {options.fuzz} examples each", seconds, None, "s", "pass", passed)
        )
    return rows


def measure_absorb(
    options: argparse.Namespace, fichegen: list[str], pandoc: str, work: Path
) -> Row:
    """fichegen absorb of the seed fiche with 30 edited fields, beside pandoc reading the
    same .docx to Markdown (the nearest thing another tool does with a reviewed fiche)."""
    folder = work / "absorb"
    folder.mkdir()
    positions = folder / "seed.yaml"
    shutil.copyfile(options.seed, positions)
    rendered = folder / "seed.docx"
    _run([*fichegen, "render", "-o", str(rendered), str(positions)])
    reviewed = folder / "reviewed.docx"
    edited = make_edits(rendered, reviewed, 30)
    if edited < 30:
        raise SystemExit(f"bench: only {edited} fields could be edited")

    def absorb() -> float:
        shutil.copyfile(options.seed, positions)
        return _timed([*fichegen, "absorb", "--force", str(reviewed), str(positions)])

    ours, theirs = interleave(
        options.runs,
        absorb,
        lambda: _timed([pandoc, str(reviewed), "-t", "markdown", "-o", str(folder / "r.md")]),
    )
    return Row(
        "absorb one fiche with 30 edits (whole process)", ours, theirs, "s", "< 1 s", ours < 1.0
    )


def make_edits(source: Path, target: Path, count: int) -> int:
    """A copy of a rendered fiche with the first words of `count` fields changed."""
    import zipfile

    with zipfile.ZipFile(source) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    done = 0

    def edit(match: re.Match[str]) -> str:
        nonlocal done
        if done >= count:
            return match.group(0)
        done += 1
        return match.group(1) + "Herzien: " + match.group(2)

    pattern = r'(w:name="_fg_[a-z_0-9]+"/><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t[^>]*>)([A-Z][^<]*)'
    xml = re.sub(pattern, edit, xml)
    members["word/document.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return done


def generate_fiches(seed: Path, folder: Path, count: int) -> Path:
    """`count` copies of the seed, each with its own title, as a positions folder."""
    folder.mkdir(parents=True)
    text = seed.read_text(encoding="utf-8")
    found = re.search(r"^title:[ \t]*(.*)$", text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"bench: {seed} has no top-level 'title:' line to vary")
    before, after = text[: found.start()], text[found.end() :]
    for number in range(1, count + 1):
        title = f"title: 'Kopie {number}: {_unquote(found[1])}'"
        (folder / f"fiche-{number:04d}.yaml").write_text(before + title + after, encoding="utf-8")
    return folder


def interleave(
    runs: int, ours: Callable[[], float], theirs: Callable[[], float]
) -> tuple[float, float]:
    """Medians of both, alternating which goes first; one untimed warm-up of each."""
    ours(), theirs()
    a: list[float] = []
    b: list[float] = []
    for repetition in range(runs):
        if repetition % 2 == 0:
            a.append(ours())
            b.append(theirs())
        else:
            b.append(theirs())
            a.append(ours())
        print(
            f"bench:   run {repetition + 1}/{runs}: fichegen {a[-1]:.3f} s, pandoc {b[-1]:.3f} s",
            file=sys.stderr,
        )
    return statistics.median(a), statistics.median(b)


def peak_memory(command: list[str]) -> float:
    """Peak resident memory of one command, in bytes, measured by a fresh parent process.

    RUSAGE_CHILDREN is the maximum over all children ever waited for, so a new
    parent whose only child is `command` reports that child's own peak.
    """
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    ).stdout
    peak = int(out.split()[-1])
    return float(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, else KiB


def cpu_time(command: list[str]) -> float:
    """User plus system CPU seconds of one command (less disturbed by a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    _run(command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_fuzz(examples: int) -> tuple[float, bool]:
    """The property tests (those built on tests/fuzzing.py) with many more examples."""
    tests = sorted(
        str(path)
        for path in (ROOT / "tests").glob("test_*.py")
        if re.search(
            r"^(from fuzzing import|import fuzzing)", path.read_text("utf-8"), re.MULTILINE
        )
    )
    if not tests:
        raise SystemExit("bench: --fuzz needs the property tests that use tests/fuzzing.py")
    environment = {**os.environ, "FICHEGEN_FUZZ_EXAMPLES": str(examples)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        env=environment,
        cwd=ROOT,
    )
    return time.perf_counter() - started, result.returncode == 0


def format_results(rows: list[Row], options: argparse.Namespace, pandoc: str) -> str:
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True)
    fichegen_version = subprocess.run(
        [*_fichegen_command(), "--version"], capture_output=True, text=True
    ).stdout.strip()
    header = ["measurement", "fichegen", "pandoc", "ratio", "target", "met"]
    lines = [
        "# fichegen benchmark",
        "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}",
        f"- python: {platform.python_version()}; {fichegen_version}; "
        f"{version.stdout.splitlines()[0] if version.stdout else 'pandoc ?'}",
        f"- CPU time (user+sys) of one fiche, YAML -> docx: fichegen {options.cpu_one[0]:.3f} s, "
        f"pandoc {options.cpu_one[1]:.3f} s ({options.cpu_one[0] / options.cpu_one[1]:.2f} x)",
        f"- interpreter start-up alone (`python -c pass`): {options.python_start:.3f} s; "
        f"load average at the end: {os.getloadavg()[0]:.1f}",
        f"- seed: {options.seed.name} ({options.seed.stat().st_size // 1024} KB), "
        f"{options.count} copies, {options.runs} interleaved runs, medians; "
        f"`python bench/run.py` to repeat",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * 3 + ["---", "---"]) + "|",
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="repetitions per measurement")
    parser.add_argument("--count", type=int, default=200, help="fiches in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="fiches converted at once")
    parser.add_argument("--seed", type=Path, default=SEED, help="the fiche to copy")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the table goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--fuzz",
        type=int,
        nargs="?",
        const=5000,
        default=0,
        metavar="EXAMPLES",
        help="also run the property tests this long",
    )
    return parser.parse_args(argv)


def _fichegen_command() -> list[str]:
    """The console script of this interpreter's install, as a user would start it."""
    script = Path(sys.executable).parent / "fichegen"
    if script.is_file():
        return [str(script)]
    found = shutil.which("fichegen")
    return [found] if found else [sys.executable, "-m", "fichegen.cli"]


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"bench: failed ({result.returncode}): {' '.join(command[:4])} ...\n"
            f"{result.stderr[-2000:]}"
        )


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    _run(command)
    return time.perf_counter() - started


def _timed_batch(commands: list[list[str]], jobs: int) -> float:
    """Run the commands `jobs` at a time, as `xargs -P jobs` would."""
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(_run, commands))
    return time.perf_counter() - started


def _median(runs: int, measure: Callable[[], float]) -> float:
    measure()
    return statistics.median(measure() for _ in range(runs))


def _show(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value / MIB:.1f} MiB"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _unquote(text: str) -> str:
    """The title as the inside of a single-quoted YAML scalar."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return text.replace("'", "''")


if __name__ == "__main__":
    sys.exit(main())
