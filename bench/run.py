"""fichegen against pandoc, side by side: one fiche, a batch of 200, a no-op build, check,
import, memory.

Run from the repository root (standard library only; needs `fichegen` installed and `pandoc`):

    python bench/run.py                  # 7 interleaved repetitions, results in bench/results.md
    python bench/run.py --runs 3 --count 50
    python bench/run.py --fuzz 5000      # also a long property-test run (FICHEGEN_FUZZ_EXAMPLES)
    python bench/run.py --only diff --output bench/results-diff.md   # diff beside git's word diff
    python bench/run.py --only startup --output bench/results-startup.md   # each command's start

Each measurement is a whole process as a user starts it, timed from outside with
time.perf_counter. Tools A and B alternate within each repetition (A first on even
repetitions, B first on odd ones) so that a noisy neighbour hurts both alike;
the table shows medians. Pandoc converts the Markdown that fichegen renders from
the same fiche, so both produce the same document from the same text.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    met: bool | None
    """None: a row that informs, without a target of its own."""

    def cells(self) -> list[str]:
        ratio = f"{self.ours / self.theirs:.2f} x" if self.theirs else ""
        theirs = _show(self.theirs, self.unit) if self.theirs is not None else ""
        return [
            self.name,
            _show(self.ours, self.unit),
            theirs,
            ratio,
            self.target,
            "" if self.met is None else "yes" if self.met else "**no**",
        ]


def main(argv: Sequence[str] | None = None) -> int:
    options = _parse(argv)
    options.load_before = os.getloadavg()[0]
    # The bench reads fichegen's summaries (e.g. the no-op build's counts): in English.
    os.environ["FICHEGEN_LANG"] = "en"
    fichegen = _fichegen_command()
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        print("bench: pandoc is not installed (apt-get install pandoc)", file=sys.stderr)
        return 2
    compile_bytecode()
    options.load_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="fichegen-bench-"))
    # `check` keeps its results in a cache: the bench's own, never the user's.
    os.environ["FICHEGEN_CACHE_DIR"] = str(work / "cache")
    try:
        if options.only == "absorb":
            rows: list[Any] = [measure_absorb(options, fichegen, pandoc, work)]
        elif options.only == "diff":
            rows = measure_diff(options, fichegen, work)
        elif options.only == "startup":
            rows = measure_startup(options, fichegen, pandoc, work)
        elif options.only == "check":
            positions = generate_fiches(options.seed, work / "positions", options.count)
            rows = measure_check(options, fichegen, work, positions)
        else:
            rows = measure(options, fichegen, pandoc, work)
    finally:
        if options.keep:
            print(f"bench: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if options.only == "absorb":
        table = format_absorb_results(rows[0], options)
    elif options.only == "diff":
        table = format_diff_results(rows, options)
    elif options.only == "startup":
        table = format_startup_results(rows, options)
    elif options.only == "check":
        table = format_check_results(rows, options)
    else:
        table = format_results(rows, options, pandoc)
    print(table)
    options.output.write_text(table, encoding="utf-8")
    print(f"bench: wrote {options.output}", file=sys.stderr)
    return 0 if all(row.met is not False for row in rows) else 1


def compile_bytecode() -> None:
    """Compile fichegen's modules to bytecode first, as `pip install` and a first run do.

    With PYTHONDONTWRITEBYTECODE set (this machine sets it) and a source checkout,
    every run would compile fichegen from source again, which no user's run does.
    """
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import compileall, os, fichegen; "
            "compileall.compile_dir(os.path.dirname(fichegen.__file__), quiet=1)",
        ],
        check=True,
    )


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
    options.imports = import_profile([*fichegen, "render", "-o", str(work / "i.docx"), str(seed)])
    if options.import_only:
        built = work / "output"
        _run(
            [
                *fichegen,
                "build",
                "--format",
                "docx",
                "--jobs",
                str(options.jobs),
                "--output",
                str(built),
                str(positions),
            ]
        )
        return [measure_import(options, fichegen, pandoc, work, built)]
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
    # What no fichegen code can go below: the interpreter and the libraries a Word render
    # imports, started as often as pandoc in the same alternation.
    floor, floor_theirs = interleave(
        options.runs,
        lambda: _timed([sys.executable, "-c", FLOOR]),
        lambda: _timed([pandoc, str(work / "seed.md"), "-o", str(work / "b.docx")]),
    )
    rows.append(
        Row(
            "floor of one fiche: python + the libraries of a Word render, no fichegen",
            floor,
            floor_theirs,
            "s",
            "",
            True,
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

    rows += measure_check(options, fichegen, work, positions)

    rows.append(measure_import(options, fichegen, pandoc, work, output))

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

    rows += measure_diff(options, fichegen, work)
    preview, pandoc_html = measure_preview(options, fichegen, pandoc, work)
    for name, index, limit in (("median", 9, 0.050), ("95th percentile", 18, 0.150)):
        ours, theirs = _percentile(preview, index), _percentile(pandoc_html, index)
        rows.append(
            Row(
                f"preview: save -> new page in the browser, {name} (pandoc: md -> html)",
                ours,
                theirs,
                "s",
                f"< {limit:.3f} s",
                ours < limit,
            )
        )
    rows.append(measure_absorb(options, fichegen, pandoc, work))

    if options.fuzz:
        seconds, passed = run_fuzz(options.fuzz)
        rows.append(
            Row(f"property tests, {options.fuzz} examples each", seconds, None, "s", "pass", passed)
        )
    return rows


def measure_startup(
    options: argparse.Namespace, fichegen: list[str], pandoc: str, work: Path
) -> list[Row]:
    """Each command's whole process on one fiche, in turn with pandoc converting the same fiche.

    The cold path a user meets at every command: the Word render (the issue's
    target), the floor no fichegen code can go below, and the quick commands.
    """
    seed, markdown, newer = work / "seed.yaml", work / "seed.md", work / "newer.yaml"
    shutil.copyfile(options.seed, seed)
    _run([*fichegen, "render", "--format", "md", "-o", str(markdown), str(seed)])
    text = seed.read_text(encoding="utf-8")
    newer.write_text(re.sub(r"(?m)^title:.*$", "title: 'Een nieuwe titel'", text), "utf-8")
    commands = [
        ("render to Word", [*fichegen, "render", "-o", str(work / "a.docx"), str(seed)]),
        ("floor: python + the libraries of a Word render", [sys.executable, "-c", FLOOR]),
        ("render to Markdown", [*fichegen, "render", "-o", str(work / "a.md"), str(seed)]),
        ("check, no cache", [*fichegen, "check", "--no-cache", str(seed)]),
        ("diff of two versions (text)", [*fichegen, "diff", str(seed), str(newer)]),
        ("--help", [*fichegen, "--help"]),
    ]
    rows = []
    for name, command in commands:
        ours, theirs = interleave(
            options.runs,
            lambda command=command: _timed(command),
            lambda: _timed([pandoc, str(markdown), "-o", str(work / "b.docx")]),
        )
        target = "<= 1.2 x pandoc" if name == "render to Word" else ""
        rows.append(Row(name, ours, theirs, "s", target, not target or ours <= 1.2 * theirs))
    return rows


def measure_check(
    options: argparse.Namespace, fichegen: list[str], work: Path, positions: Path
) -> list[Row]:
    """`fichegen check` of the copies: cold (an empty cache, as a first run) and warm.

    Cold is what the target (< 1 s) is about: every fiche is read and checked,
    and its result written to the cache. Warm is the next run when nothing
    changed: each fiche is read and hashed, and its result read from the cache.
    Both alternate within each repetition; the cache is emptied before each cold
    run, outside the timing.
    """
    cache = Path(os.environ["FICHEGEN_CACHE_DIR"])
    check = [*fichegen, "check", *(str(p) for p in sorted(positions.glob("*.yaml")))]

    def cold(measure: Callable[[list[str]], float] = _timed) -> float:
        shutil.rmtree(cache, ignore_errors=True)
        return measure(check)

    def warm() -> float:
        _run(check)  # fills the cache when a cold run emptied it; untimed
        return _timed(check)

    cold_time, warm_time = interleave(options.runs, cold, warm, ("cold", "warm"))
    cold_cpu = _median(options.runs, lambda: cold(cpu_time))
    count = options.count
    return [
        Row(
            f"check of {count} fiches, cold (empty cache)",
            cold_time,
            None,
            "s",
            "< 1 s",
            cold_time < 1.0,
        ),
        Row(
            f"check of {count} fiches, cold, CPU time (user+sys, all processes)",
            cold_cpu,
            None,
            "s",
            "",
            None,
        ),
        Row(
            f"check of {count} fiches, warm (cache filled, nothing changed)",
            warm_time,
            None,
            "s",
            "",
            None,
        ),
    ]


def measure_diff(options: argparse.Namespace, fichegen: list[str], work: Path) -> list[Row]:
    """`fichegen diff A B` on the example with 20 realistic edits, beside `git diff --word-diff`.

    The edits are the corpus of the golden tests (tests/diffcorpus.py) plus ten
    rewrites; git compares the same two YAML files word by word, without any
    knowledge of the fiche, which is the floor a reviewer would otherwise use.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from diffcorpus import CORPUS, MORE_EDITS, edit  # the golden tests' edits

    old, new = work / "diff-old.yaml", work / "diff-new.yaml"
    text = options.seed.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    new.write_text(edit(text, *CORPUS.values(), *MORE_EDITS), encoding="utf-8")
    git = ["git", "diff", "--no-index", "--word-diff=plain", "--no-color", str(old), str(new)]

    def git_diff() -> float:
        started = time.perf_counter()
        subprocess.run(git, capture_output=True, check=False)  # exit 1: the files differ
        return time.perf_counter() - started

    rows = []
    for fmt in ("text", "md", "json"):
        ours, theirs = interleave(
            options.runs,
            lambda fmt=fmt: _timed([*fichegen, "diff", str(old), str(new), "-f", fmt]),
            git_diff,
        )
        rows.append(
            Row(
                f"diff -f {fmt}, example with 20 edits (other: git diff --word-diff)",
                ours,
                theirs,
                "s",
                "< 0.5 s",
                ours < 0.5,
            )
        )
    cpu = _median(
        options.runs, lambda: cpu_time([*fichegen, "diff", str(old), str(new), "-f", "md"])
    )
    rows.append(
        Row(
            "diff -f md, CPU time (user+sys; less disturbed by load)",
            cpu,
            None,
            "s",
            "< 0.5 s",
            cpu < 0.5,
        )
    )
    docx = _median(
        options.runs,
        lambda: _timed(
            [*fichegen, "diff", str(old), str(new), "-f", "docx", "-o", str(work / "t.docx")]
        ),
    )
    rows.append(Row("diff -f docx (tracked changes), same pair", docx, None, "s", "", True))
    return rows


def measure_preview(
    options: argparse.Namespace, fichegen: list[str], pandoc: str, work: Path
) -> tuple[list[float], list[float]]:
    """The warm path of `fichegen serve`: from a file's save to its new page on the event stream.

    Each save changes the title; the time runs until the event carrying the new
    rendering has arrived, as the open page receives it (putting it on screen
    is the browser's innerHTML assignment, a few ms more). Against it: pandoc
    turning the same fiche's Markdown into HTML, a whole process per save, as a
    script watching the file would run it.
    """
    folder = work / "serve"
    (folder / "positions").mkdir(parents=True)
    fiche = folder / "positions" / "seed.yaml"
    text = options.seed.read_text(encoding="utf-8")
    fiche.write_text(text, encoding="utf-8")
    title = re.search(r"^title:[ \t]*(.*)$", text, re.MULTILINE)
    if title is None:
        raise SystemExit(f"bench: {options.seed} has no top-level 'title:' line to vary")
    process = subprocess.Popen(
        [*fichegen, "serve", str(folder), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal, even when the bench itself runs in the background
        # (a background job of a script starts with SIGINT ignored, and so would serve)
        preexec_fn=_default_sigint,
    )
    try:
        assert process.stderr is not None
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stderr.readline())
        if found is None:
            raise SystemExit("bench: 'fichegen serve' did not say where it listens")
        connection = http.client.HTTPConnection("127.0.0.1", int(found[1]), timeout=30)
        connection.request("GET", "/live/positions/seed.yaml")
        stream = connection.getresponse()
        version = _next_event(stream)["version"]
        timings = []
        for save in range(options.saves + 3):
            marker = f"Bewaard {save}"
            changed = text[: title.start()] + f"title: '{marker}'" + text[title.end() :]
            started = time.perf_counter()
            fiche.write_text(changed, encoding="utf-8")
            while True:
                data = _next_event(stream)
                if data["version"] > version and marker in data["fiche"]:
                    break
            timings.append(time.perf_counter() - started)
            version = data["version"]
            time.sleep(0.05)  # a person saves a few times a minute, not in a loop
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise SystemExit("bench: 'fichegen serve' did not stop on SIGINT within 30 s") from None
    markdown = work / "seed.md"
    theirs = [
        _timed([pandoc, str(markdown), "-o", str(work / "seed.html")])
        for _ in range(options.saves + 3)
    ]
    print(
        f"bench: preview p50 {_percentile(timings[3:], 9) * 1000:.1f} ms over {options.saves} "
        f"saves, pandoc md -> html p50 {_percentile(theirs[3:], 9) * 1000:.1f} ms",
        file=sys.stderr,
    )
    return timings[3:], theirs[3:]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _next_event(stream: http.client.HTTPResponse) -> dict[str, Any]:
    """The data of the next event on a server-sent event stream."""
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("bench: the event stream of 'fichegen serve' ended")
        if line.startswith(b"data: {"):
            data: dict[str, Any] = json.loads(line[len(b"data: ") :])
            return data


def _percentile(values: list[float], index: int) -> float:
    """The (index+1)*5th percentile: index 9 is the median, 18 the 95th."""
    return statistics.quantiles(values, n=20, method="inclusive")[index]


FLOOR = (
    "import click, jinja2.sandbox, markdown_it, mdit_py_plugins.footnote, ruamel.yaml, lxml.etree"
)
"""The libraries a render to Word cannot do without: the floor of its start-up."""


def import_profile(command: list[str], top: int = 12) -> list[tuple[str, float]]:
    """The slowest imports of one command (`python -X importtime`), cumulative seconds each.

    Only the modules imported at the top level (by the command itself, not by
    another module), the median of three runs.
    """
    if Path(command[0]).name.startswith("fichegen"):  # the console script: its interpreter
        command = [sys.executable, "-m", "fichegen.cli", *command[1:]]
    runs: dict[str, list[float]] = {}
    for _ in range(3):
        result = subprocess.run(
            [command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True
        )
        for line in result.stderr.splitlines():
            parts = line.split("|")
            if len(parts) != 3 or not parts[1].strip().isdigit():
                continue
            name = parts[2].rstrip()[1:]  # nested imports are indented further
            if name.startswith(" ") or name in ("site", "encodings"):
                continue  # imported by another module, or the interpreter's own start
            runs.setdefault(name.strip(), []).append(int(parts[1]) / 1e6)
    medians = [(name, statistics.median(values)) for name, values in runs.items()]
    return sorted(medians, key=lambda item: -item[1])[:top]


IMPORT_COUNT = 100


def measure_import(
    options: argparse.Namespace, fichegen: list[str], pandoc: str, work: Path, built: Path
) -> Row:
    """`fichegen import` of 100 Word fiches in one run, beside pandoc reading the same files.

    The Word files are the batch's rendered fiches: fichegen reads them with the same
    code as a ministry's own (any .docx), and pandoc turns each into Markdown.
    """
    documents = sorted(built.glob("*.docx"))[:IMPORT_COUNT]
    if len(documents) < IMPORT_COUNT:
        raise SystemExit(f"bench: import needs {IMPORT_COUNT} fiches; run with --count >= 100")
    imported = work / "imported"

    def ours() -> float:
        return _timed([*fichegen, "import", *map(str, documents), "-o", f"{imported}/", "--force"])

    def theirs() -> float:
        return _timed_batch(
            [
                [pandoc, str(d), "-t", "markdown", "-o", str(d.with_suffix(".md"))]
                for d in documents
            ],
            options.jobs,
        )

    seconds, pandoc_seconds = interleave(options.runs, ours, theirs)
    return Row(
        f"import of {IMPORT_COUNT} Word fiches (pandoc: docx -> md, {options.jobs} at a time)",
        seconds,
        pandoc_seconds,
        "s",
        "< 10 s",
        seconds < 10.0,
    )


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
        # fichegen's bytecode is compiled beforehand (`compile_bytecode`), as an install does.
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
    runs: int,
    ours: Callable[[], float],
    theirs: Callable[[], float],
    names: tuple[str, str] = ("fichegen", "pandoc"),
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
            f"bench:   run {repetition + 1}/{runs}: {names[0]} {a[-1]:.3f} s, "
            f"{names[1]} {b[-1]:.3f} s",
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


def _table(header: list[str], rows: list[Row]) -> list[str]:
    """A Markdown table: a text column, three numbers, the target and whether it is met."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join(["---"] + ["---:"] * 3 + ["---", "---"]) + "|")
    return lines + ["| " + " | ".join(row.cells()) + " |" for row in rows]


def format_diff_results(rows: list[Row], options: argparse.Namespace) -> str:
    """The table of `--only diff`: fichegen diff beside git's word diff."""
    return _short_table(
        rows,
        options,
        "# fichegen diff benchmark",
        "git",
        "`python bench/run.py --only diff --output bench/results-diff.md` to repeat",
    )


def format_check_results(rows: list[Row], options: argparse.Namespace) -> str:
    """The rows of `--only check`, with date and load, to paste into results.md."""
    return _short_table(
        rows,
        options,
        "# fichegen check benchmark",
        "other",
        f"seed {options.seed.name}, {options.count} copies; "
        "`python bench/run.py --only check --output bench/results-check.md` to repeat",
    )


def _short_table(
    rows: list[Row], options: argparse.Namespace, title: str, other: str, repeat: str
) -> str:
    header = ["measurement", "fichegen", other, "ratio", "target", "met"]
    start = _median(options.runs, lambda: _timed([sys.executable, "-c", "pass"]))
    lines = [
        title,
        "",
        f"- date: {datetime.date.today().isoformat()}; machine: {os.cpu_count()} cores, "
        f"load average at the start {options.load_start:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f}; "
        f"interpreter start-up alone (`python -c pass`): {start:.3f} s",
        f"- {options.runs} interleaved runs, medians, whole processes; {repeat}",
    ]
    return "\n".join([*lines, "", *_table(header, rows)]) + "\n"


def format_startup_results(rows: list[Row], options: argparse.Namespace) -> str:
    """The table of `--only startup`: each command's whole process beside pandoc's."""
    header = ["command (one fiche)", "fichegen", "pandoc md -> docx", "ratio", "target", "met"]
    lines = [
        "# fichegen start-up benchmark",
        "",
        f"- date: {datetime.date.today().isoformat()}; machine: {os.cpu_count()} cores; "
        f"load average at the start {options.load_start:.1f}, at the end "
        f"{os.getloadavg()[0]:.1f}; python {platform.python_version()}",
        f"- floor: `python -c '{FLOOR}'`",
        f"- {options.runs} runs of each row, alternating with pandoc, medians, whole processes; "
        "`python bench/run.py --only startup --output bench/results-startup.md` to repeat",
    ]
    return "\n".join([*lines, "", *_table(header, rows)]) + "\n"


def format_absorb_results(row: Row, options: argparse.Namespace) -> str:
    """The absorb row on its own, with date and load, to paste into results.md."""
    lines = [
        f"- date: {datetime.datetime.now(datetime.UTC).isoformat(timespec='minutes')}; "
        f"load average before/after: {options.load_before:.1f}/{os.getloadavg()[0]:.1f}; "
        f"{options.runs} interleaved runs, medians; `python bench/run.py --only absorb`",
        "",
        "| measurement | fichegen | pandoc | ratio | target | met |",
        "|---|---:|---:|---:|---|---|",
        "| " + " | ".join(row.cells()) + " |",
    ]
    return "\n".join(lines) + "\n"


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
        *(
            [
                f"- CPU time (user+sys) of one fiche, YAML -> docx: fichegen "
                f"{options.cpu_one[0]:.3f} s, pandoc {options.cpu_one[1]:.3f} s "
                f"({options.cpu_one[0] / options.cpu_one[1]:.2f} x)"
            ]
            if getattr(options, "cpu_one", None)
            else []
        ),
        "- fichegen's modules compiled to bytecode before timing, as after `pip install`",
        f"- interpreter start-up alone (`python -c pass`): {options.python_start:.3f} s; "
        f"load average at the start {options.load_start:.1f}, at the end {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} cores; other work on the machine at the same time)",
        f"- the floor row runs `python -c '{FLOOR}'`: the libraries a Word render needs, "
        "no fichegen code",
        "- slowest imports of one render to Word (`python -X importtime`, cumulative): "
        + ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in options.imports),
        f"- seed: {options.seed.name} ({options.seed.stat().st_size // 1024} KB), "
        f"{options.count} copies, {options.runs} interleaved runs, medians; "
        f"`python bench/run.py` to repeat",
    ]
    return "\n".join([*lines, "", *_table(header, rows)]) + "\n"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="repetitions per measurement")
    parser.add_argument("--count", type=int, default=200, help="fiches in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="fiches converted at once")
    parser.add_argument("--seed", type=Path, default=SEED, help="the fiche to copy")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the table goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--saves", type=int, default=40, help="saves timed in the preview")
    parser.add_argument(
        "--only",
        choices=["diff", "absorb", "startup", "check"],
        help="measure only this (diff: fichegen diff beside git diff --word-diff; "
        "absorb: fichegen absorb of 30 edits beside pandoc reading the same .docx; "
        "startup: each command on one fiche beside pandoc, and the floor; "
        "check: fichegen check of the copies, cold and warm)",
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only measure 'fichegen import' of 100 Word fiches (with --output elsewhere)",
    )
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


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(
            f"bench: failed ({result.returncode}): {' '.join(command[:4])} ...\n"
            f"{result.stderr[-2000:]}"
        )


def _timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    _run(command, env)
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
