"""The CI snippets in docs/ci/ do what they say, as far as this machine can run them.

Each snippet's shell commands run in a positions repository with two commits
(the bundled fiche, then an edit of it), as the merge request's pipeline would:
the install step is left out (fichegen is this checkout), and `curl` and `gh`,
which would post the comment, are stand-ins that record what they were given.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from diffcorpus import CORPUS, edit, seed_text

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "ci"


def load(name: str) -> Any:
    return YAML(typ="safe").load((DOCS / name).read_text(encoding="utf-8"))


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, str, dict[str, str]]:
    """A positions repository whose second commit edits two fiches; its base commit; an env."""
    folder = tmp_path / "repo"
    (folder / "positions").mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    tools = tmp_path / "bin"
    tools.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Anna de Vries",
        "GIT_AUTHOR_EMAIL": "anna@example.org",
        "GIT_COMMITTER_NAME": "Anna de Vries",
        "GIT_COMMITTER_EMAIL": "anna@example.org",
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
        "FICHEGEN_LANG": "nl",
        "POSTED": str(tmp_path / "posted.md"),
    }
    _tool(tools / "fichegen", f'exec {shlex.quote(sys.executable)} -m fichegen.cli "$@"')
    _tool(tools / "curl", 'for a; do case "$a" in body@*) cp "${a#body@}" "$POSTED";; esac; done')
    _tool(
        tools / "gh",
        'while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$POSTED"; shift; done',
    )
    for name in ("x.yaml", "y.yaml"):
        (folder / "positions" / name).write_text(seed_text(), encoding="utf-8")
    git(folder, env, "init", "-q")
    git(folder, env, "add", ".")
    git(folder, env, "commit", "-q", "-m", "the fiche as sent to the working group")
    base = git(folder, env, "rev-parse", "HEAD").strip()
    (folder / "positions" / "x.yaml").write_text(
        edit(seed_text(), CORPUS["rewritten-sentence"], CORPUS["stance"]), encoding="utf-8"
    )
    (folder / "positions" / "new.yaml").write_text(seed_text(), encoding="utf-8")
    git(folder, env, "add", ".")
    git(folder, env, "commit", "-q", "-m", "comments of the working group")
    return folder, base, env


def _tool(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def git(folder: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def run_shell(script: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_review(folder: Path, env: dict[str, str], result: Any) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    posted = Path(env["POSTED"]).read_text(encoding="utf-8")
    assert posted.startswith("### Wijzigingen van `positions/x.yaml@")
    assert "~~is overwegend positief over~~ **verwelkomt**" in posted
    assert "| 13 Herziening juridisch kader precursoren | steun | kritisch |" in posted
    assert "new.yaml" not in posted  # a new fiche has nothing to compare with
    assert sorted(p.name for p in (folder / "output").iterdir()) == [
        "wijzigingen.md",
        "x-wijzigingen.docx",
    ]


def test_gitlab_job_posts_the_words_and_keeps_the_word_document(
    repository: tuple[Path, str, dict[str, str]],
) -> None:
    folder, base, env = repository
    job = load("gitlab-ci.yml")["fiches"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["artifacts"]["paths"] == ["output/"]
    assert all("pip install" in line for line in job["before_script"])
    env = {
        **env,
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "FICHEGEN_BOT_TOKEN": "secret",
        "CI_API_V4_URL": "https://gitlab.example.org/api/v4",
        "CI_PROJECT_ID": "7",
        "CI_MERGE_REQUEST_IID": "12",
    }
    result = run_shell("\n".join(job["script"]), folder, env)
    assert_review(folder, env, result)


def test_github_workflow_posts_the_words_and_keeps_the_word_document(
    repository: tuple[Path, str, dict[str, str]],
) -> None:
    folder, base, env = repository
    workflow = load("github-workflow.yml")
    assert workflow["permissions"]["pull-requests"] == "write"
    steps = workflow["jobs"]["review"]["steps"]
    expressions = {
        "github.event.pull_request.base.sha": base,
        "github.token": "secret",
        "github.event.pull_request.number": "12",
    }
    script = []
    for step in steps:
        if "run" not in step or "pip install" in step["run"]:
            continue
        for name, value in step.get("env", {}).items():
            found = re.fullmatch(r"\$\{\{\s*(.+?)\s*\}\}", str(value))
            script.append(f"export {name}={shlex.quote(expressions[found[1]] if found else value)}")
        assert "${{" not in step["run"]
        script.append(step["run"])
    result = run_shell("\n".join(script), folder, env)
    assert_review(folder, env, result)
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
