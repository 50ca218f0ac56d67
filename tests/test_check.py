"""`fichegen check`: every problem at once, located, as the team configured the rules.

The corpus `tests/invalid/<case>.yaml` holds one kind of mistake per file
(and a few files with several); `<case>.out` beside it is the exact output of
`fichegen check tests/invalid/<case>.yaml` run from the repository root.
Regenerate with `pytest --update-goldens` and read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Golden
from fichegen.cli import main
from fuzzing import EXAMPLES, FUZZ, dump_yaml, fiches, garbage_trees, markup_prose, nasty_text
from samples import MINIMAL

REPO = Path(__file__).resolve().parents[1]
CORPUS = sorted((REPO / "tests" / "invalid").glob("*.yaml"))
SEED = REPO / "positions" / "com-2025-744-actieplan-drugshandel.yaml"

# The minimal fiche with a footnote, so the footnote rules have something to check.
VALID = MINIMAL.replace("Niet opgesteld.", "Niet opgesteld.[^ia]") + (
    "footnotes:\n  ia: Geen impact assessment.\n"
)


def check(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args])


def write(folder: Path, text: str, name: str = "fiche.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- the corpus of invalid files ---------------------------------------------------


def test_the_corpus_has_forty_cases_or_more() -> None:
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("case", CORPUS, ids=[path.stem for path in CORPUS])
def test_invalid_file_gives_exactly_the_expected_output(
    case: Path, golden: Golden, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = check(str(case.relative_to(REPO)))
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if " error" in result.stdout.splitlines()[-1] else 0)
    golden(case.with_suffix(".out"), result.stdout)


def test_a_file_too_large_for_a_fiche_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = write(tmp_path, "title: x\n" + "# " + "x" * 3_000_000 + "\n")
    result = check(str(big))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{big}: error: file is 2.9 MB, more than a fiche can be [too-large]\n"
    )


def test_a_path_that_does_not_exist_is_a_located_error_and_the_rest_is_checked(
    tmp_path: Path,
) -> None:
    good = write(tmp_path, VALID)
    missing = tmp_path / "typo.yaml"
    result = check(str(missing), str(good))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{missing}: error: cannot read file: No such file or directory "
        "[unreadable]\n1 error in 1 of 2 files\n"
    )


def test_no_paths_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no positions/ here (with one, check checks it)
    result = check()
    assert result.exit_code == 2
    assert "give one or more files or folders" in result.output


# -- output and exit codes ---------------------------------------------------------


def test_a_clean_file_exits_0(tmp_path: Path) -> None:
    result = check(str(write(tmp_path, VALID)))
    assert (result.exit_code, result.stdout) == (0, "no problems in 1 file\n")


def test_warnings_alone_exit_0_and_fail_with_strict(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "  unused: Nergens naar verwezen.\n")
    result = check(str(path))
    assert result.exit_code == 0
    assert result.stdout.endswith("1 warning in 1 file\n")
    strict = check("--strict", str(path))
    assert strict.exit_code == 1
    assert (
        f"{path}:32:3: error: footnote 'unused' is defined but never referenced "
        "[footnote-unused]" in strict.stdout
    )
    assert strict.stdout.endswith("1 error in 1 file\n")


def test_a_folder_stands_for_the_yaml_files_under_it(tmp_path: Path) -> None:
    write(tmp_path, VALID, "positions/a.yaml")
    write(tmp_path, VALID.replace("stance: support", "stance: oppose"), "positions/sub/b.yml")
    write(tmp_path, "not yaml: [", "positions/notes.txt")
    result = check(str(tmp_path / "positions"))
    assert result.exit_code == 1
    assert "b.yml:19:9: error: action 1 has stance 'oppose' but no concerns" in result.stdout
    assert result.stdout.endswith("1 error in 1 of 2 files\n")


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = check(str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: error: folder has no .yaml or .yml files [unreadable]" in result.stdout


def test_problems_in_several_files_are_all_reported_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, VALID.replace("title: Test", "titel: Test"), "a.yaml")
    second = write(tmp_path, VALID.replace("[^ia]", "[^ai]"), "b.yaml")
    lines = check(str(first), str(second)).stdout.splitlines()
    assert [line.split(": ")[0] for line in lines if ": error: " in line] == [
        f"{first}:2:1",
        f"{second}:8:37",
    ]
    assert lines[-2:] == [
        "    hint: refer to it with [^ia] in a text, or remove it",
        "2 errors, 1 warning in 2 files",
    ]


def test_json_output_lists_every_problem_with_its_place(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("stance: support", "stance: suport"))
    result = check("--format", "json", str(path))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {"files": 1, "files_with_problems": 1, "errors": 1, "warnings": 0}
    assert data["problems"] == [
        {
            "path": str(path),
            "line": 19,
            "column": 17,
            "severity": "error",
            "rule": "wrong-value",
            "message": "'stance' of action 1 must be one of support, support_with_conditions, "
            "critical, oppose, no_position; got 'suport' (did you mean 'support'?)",
            "hint": "write the id or its Dutch label: support = steun; "
            "support_with_conditions = steun onder voorwaarden; critical = kritisch; "
            "oppose = afwijzend; no_position = nog geen positie",
        }
    ]


def test_list_rules_names_every_rule_with_its_default() -> None:
    result = check("--list-rules")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in result.stdout.splitlines() if line}
    assert rows["footnote-unused"] == ["warning", "a footnote that no text refers to"]
    assert rows["syntax"][0] == "error*"


# -- configuration -----------------------------------------------------------------

WITH_WARNING = VALID + "  unused: Nergens naar verwezen.\n"
WITH_HTML = VALID.replace("Beleid.", "Beleid <br> en meer.")


def test_pyproject_can_switch_a_rule_off(tmp_path: Path) -> None:
    write(tmp_path, '[tool.fichegen.check]\ndisable = ["footnote-unused"]\n', "pyproject.toml")
    result = check(str(write(tmp_path, WITH_WARNING, "positions/x.yaml")))
    assert (result.exit_code, result.stdout) == (0, "no problems in 1 file\n")


def test_fichegen_toml_can_make_an_error_a_warning_and_a_warning_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[check]\nwarn = ["markdown-html"]\nerror = ["footnote-unused"]\n',
        "fichegen.toml",
    )
    path = write(tmp_path, WITH_HTML + "  unused: Nergens naar verwezen.\n")
    lines = check(str(path)).stdout.splitlines()
    assert [line.split(": ")[1] for line in lines if line.startswith(str(path))] == [
        "warning",
        "error",
    ]


def test_the_nearest_config_wins_and_fichegen_toml_before_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[tool.fichegen.check]\ndisable = ["footnote-unused"]\n', "pyproject.toml")
    write(tmp_path, '[check]\nerror = ["footnote-unused"]\n', "strict/fichegen.toml")
    write(tmp_path, "[tool.other]\nx = 1\n", "strict/deeper/pyproject.toml")  # not ours: passed
    relaxed = write(tmp_path, WITH_WARNING, "relaxed.yaml")
    strict = write(tmp_path, WITH_WARNING, "strict/deeper/fiche.yaml")
    result = check(str(relaxed), str(strict))
    assert result.exit_code == 1
    assert result.stdout.endswith("1 error in 1 of 2 files\n")
    assert str(strict) in result.stdout and str(relaxed) not in result.stdout


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[check]\ndisable = ["footnote-unsed"]\n',
            "fichegen.toml:2:12: error: unknown rule 'footnote-unsed' in 'disable' of [check] "
            "(did you mean 'footnote-unused'?) [config]",
        ),
        (
            '[check]\nwarn = ["syntax"]\n',
            "fichegen.toml:2:9: error: rule 'syntax' cannot be switched off or made a warning "
            "[config]",
        ),
        (
            '[check]\ndisabled = ["footnote-unused"]\n',
            "fichegen.toml:2:1: error: unknown setting 'disabled' in [check] "
            "(did you mean 'disable'?) [config]",
        ),
        (
            '[check]\ndisable = "footnote-unused"\n',
            "fichegen.toml:2:1: error: 'disable' in [check] must be a list of rule ids [config]",
        ),
        (
            '[check]\nwarn = ["placeholder"]\nerror = ["placeholder"]\n',
            "fichegen.toml:3:10: error: rule 'placeholder' is in both 'warn' and 'error' "
            "of [check] [config]",
        ),
        (
            "[check\ndisable = []\n",
            "fichegen.toml:1:7: error: invalid TOML: Expected ']' at the end of a table "
            "declaration [config]",
        ),
    ],
)
def test_a_wrong_config_is_a_usage_error_located_in_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, config, "fichegen.toml")
    result = check(str(write(tmp_path, VALID)))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{tmp_path / message}"


# -- no input gives a traceback ----------------------------------------------------


def assert_checked(result: Result) -> None:
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_random_input_is_checked_without_a_crash(data: bytes) -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("x.yaml").write_bytes(data)
        assert_checked(runner.invoke(main, ["check", "x.yaml"]))


@settings(FUZZ, max_examples=max(EXAMPLES // 5, 20))  # slow; test_properties fuzzes more
@given(
    st.one_of(
        garbage_trees.map(dump_yaml),
        fiches(text=st.one_of(markup_prose, nasty_text)).map(dump_yaml),
    )
)
def test_random_fiches_are_checked_without_a_crash(data: bytes) -> None:
    runner = CliRunner()
    with runner.isolated_filesystem():
        Path("x.yaml").write_bytes(data)
        assert_checked(runner.invoke(main, ["check", "--format", "json", "x.yaml"]))


# -- what must check clean ---------------------------------------------------------


def test_the_seed_fiche_checks_clean() -> None:
    result = check(str(SEED))
    assert (result.exit_code, result.stdout) == (0, "no problems in 1 file\n")


def test_every_example_in_positions_and_golden_inputs_checks_without_errors() -> None:
    examples = [
        *sorted((REPO / "positions").glob("*.yaml")),
        *sorted((REPO / "tests" / "golden").glob("*/input.yaml")),
    ]
    assert examples
    result = check("--format", "json", *map(str, examples))
    data = json.loads(result.stdout)
    # Skeletons made by 'fichegen new' still have placeholders: warnings, never errors.
    assert data["summary"]["errors"] == 0, [p for p in data["problems"] if p["severity"] == "error"]
    assert {p["rule"] for p in data["problems"]} <= {"placeholder"}


def test_a_worker_killed_mid_check_does_not_hang_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that dies (the kernel's out-of-memory killer, say) is not waited for
    forever: the files are checked in the main process and every problem is still reported."""
    import os

    from fichegen import check as checking
    from fichegen.validate import Validation

    folder = tmp_path / "positions"
    folder.mkdir()
    for number in range(40):  # check.PARALLEL_FROM: checked in worker processes
        write(folder, VALID, f"fiche-{number:02d}.yaml")
    write(folder, VALID.replace("stance: support", "stance: steunen"), "fiche-39.yaml")
    expected = check("--no-cache", str(folder))
    main_process = os.getpid()
    real = checking.check_file

    def dies_in_a_worker(path: Path) -> Validation:
        if os.getpid() != main_process:
            os._exit(9)  # as a SIGKILL leaves it: no exception, no result
        return real(path)

    monkeypatch.setattr(checking, "check_file", dies_in_a_worker)  # the workers fork with it
    result = check("--no-cache", str(folder))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (result.output, result.exit_code) == (expected.output, expected.exit_code)


# -- pre-commit ----------------------------------------------------------------------


def test_the_pre_commit_hook_runs_check_on_positions_files() -> None:
    import re

    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe", pure=True).load(REPO / ".pre-commit-hooks.yaml")
    assert (hook["id"], hook["entry"], hook["language"]) == (
        "fichegen-check",
        "fichegen check",
        "python",
    )
    files = re.compile(hook["files"])
    assert files.search("positions/com-2025-744.yaml") and files.search("positions/x.yml")
    assert not files.search("tests/invalid/x.yaml") and not files.search("positions/notes.md")
