"""`fichegen serve` over plain HTTP: what it serves, what it refuses, and how it stops."""

from __future__ import annotations

import datetime
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from fichegen.serve import Server
from fichegen.serve.server import is_loopback_host
from samples import MINIMAL
from serving import make_repository, request, serving
from test_hardening import ctrl_c_as_in_a_terminal

SEED = "/fiche/positions/seed.yaml"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "repo")


@pytest.fixture
def server(repository: Path) -> Iterator[Server]:
    with serving(repository) as running:
        yield running


def test_listens_on_the_loopback_address_only(server: Server) -> None:
    assert server.http.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_overview_lists_each_fiche_with_its_counts(server: Server) -> None:
    page = request(server, "/").text
    assert "Mededeling over het EU actieplan tegen drugshandel" in page
    assert 'href="/fiche/positions/klein.yaml"' in page
    assert "Eerste versie" in page  # the last commit


def test_overview_shows_when_and_by_whom_a_fiche_was_last_committed(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Date and time as the Dutch write them, in the time of the reader's machine."""
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    source = repository / "positions" / "klein.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Test", "Herzien"), "utf-8")
    environment = {**os.environ, "GIT_AUTHOR_DATE": "2026-03-05T13:07:00+00:00"}
    git = ["git", "-c", "user.name=Anna de Vries", "-c", "user.email=a@example.org"]
    subprocess.run([*git, "commit", "-qam", "Herzien"], cwd=repository, check=True, env=environment)
    with serving(repository) as server:
        page = request(server, "/").text
    assert ">05-03-2026 14:07</span> · Anna de Vries" in page


@pytest.mark.parametrize(
    "host",
    ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.1", "", None],
)
def test_refuses_a_host_header_that_is_not_loopback(server: Server, host: str | None) -> None:
    """A page on another site cannot read the server by resolving its name to 127.0.0.1."""
    for path in ("/", SEED, "/word/positions/seed.yaml", "/assets/style.css"):
        response = request(server, path, host=host)
        assert response.status == 403
        assert b"drugshandel" not in response.body


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
def test_answers_loopback_names(server: Server, host: str) -> None:
    assert request(server, "/", host=host).status == 200


def test_host_names_with_odd_ports_are_not_loopback() -> None:
    assert is_loopback_host("localhost:8000")
    assert is_loopback_host("[::1]:8000")
    assert not is_loopback_host("localhost:80@evil.example")
    assert not is_loopback_host("[::1]evil")


@pytest.mark.parametrize(
    "path",
    [
        "/fiche/../pyproject.toml",
        "/fiche/positions/../../secret.yaml",
        "/fiche/%2e%2e/secret.yaml",
        "/fiche/secret.yaml",
        "/fiche//etc/passwd",
        "/word/..%2fsecret.yaml",
        "/assets/../server.py",
        "/assets/%2e%2e/workspace.py",
        "/assets/",
        "/positions/seed.yaml",
        "/.git/config",
    ],
)
def test_serves_nothing_outside_the_fiches_and_its_assets(
    repository: Path, server: Server, path: str
) -> None:
    (repository / "secret.yaml").write_text("geheim: ja\n", encoding="utf-8")
    response = request(server, path)
    assert response.status == 404
    assert b"geheim" not in response.body
    assert b"[core]" not in response.body


def test_a_link_out_of_the_repository_is_not_a_fiche(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(MINIMAL.replace("title: Test", "title: Buiten"), encoding="utf-8")
    repository = make_repository(tmp_path / "repo")
    (repository / "positions" / "link.yaml").symlink_to(outside)
    with serving(repository) as server:
        assert "Buiten" not in request(server, "/").text
        assert request(server, "/fiche/positions/link.yaml").status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_has_no_write_endpoints(repository: Path, server: Server, method: str) -> None:
    before = (repository / "positions" / "seed.yaml").read_bytes()
    response = request(server, SEED, method=method)
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert (repository / "positions" / "seed.yaml").read_bytes() == before


def test_pages_forbid_scripts_from_elsewhere(server: Server) -> None:
    policy = request(server, SEED).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_html_in_a_fiche_is_shown_as_text_not_run(repository: Path, server: Server) -> None:
    # a team that switched the rule off gets its HTML rendered as text, as Word shows it
    (repository / "fichegen.toml").write_text('[check]\ndisable = ["markdown-html"]\n')
    source = repository / "positions" / "klein.yaml"
    source.write_text(
        MINIMAL.replace("Essentie.", "Essentie <script>alert(1)</script>."), encoding="utf-8"
    )
    page = request(server, "/fiche/positions/klein.yaml").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_browser_tab_shows_the_title_as_written(repository: Path, server: Server) -> None:
    source = repository / "positions" / "klein.yaml"
    source.write_text(MINIMAL.replace("title: Test", "title: Handel & douane"), "utf-8")
    page = request(server, "/fiche/positions/klein.yaml").text
    assert "<title>Handel &amp; douane</title>" in page


def test_preview_has_the_stance_table_and_footnotes_at_the_end(server: Server) -> None:
    page = request(server, SEED).text
    fiche = page[page.index('id="fiche"') :]
    assert '<td class="stance-support_with_conditions">steun onder voorwaarden</td>' in fiche
    assert fiche.index('class="footnotes"') > fiche.index("<table>")


def test_word_download_is_the_docx_of_the_preview(server: Server) -> None:
    response = request(server, "/word/positions/seed.yaml")
    assert response.status == 200
    assert response.headers["content-type"].endswith("wordprocessingml.document")
    assert "seed.docx" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.body)) as document:
        assert "drugshandel" in document.read("word/document.xml").decode("utf-8")


def test_with_errors_the_download_is_the_last_good_version(
    repository: Path, server: Server
) -> None:
    request(server, "/fiche/positions/klein.yaml")
    source = repository / "positions" / "klein.yaml"
    source.write_text(MINIMAL.replace("stance: support", "stance: supportt"), encoding="utf-8")
    page = wait_for_event(server, "klein.yaml", lambda data: "supportt" in data["problems"])
    assert "Actie een" in page["fiche"]  # the last good rendering is still there
    response = request(server, "/word/positions/klein.yaml")
    assert response.status == 200


def test_a_fiche_with_errors_from_the_start_has_no_download(repository: Path) -> None:
    source = repository / "positions" / "klein.yaml"
    source.write_text(MINIMAL.replace("stance: support", "stance: supportt"), encoding="utf-8")
    with serving(repository) as server:
        page = request(server, "/fiche/positions/klein.yaml").text
        assert "supportt" in page
        assert "no version without errors" in page
        assert request(server, "/word/positions/klein.yaml").status == 409


def test_the_event_stream_sends_each_saved_version(repository: Path, server: Server) -> None:
    source = repository / "positions" / "klein.yaml"
    first = wait_for_event(server, "klein.yaml", lambda data: True)
    source.write_text(MINIMAL.replace("title: Test", "title: Nieuw"), encoding="utf-8")
    later = wait_for_event(server, "klein.yaml", lambda data: "Fiche: Nieuw" in data["fiche"])
    assert later["version"] > first["version"]


def test_internal_notes_only_for_the_internal_audience(repository: Path) -> None:
    source = repository / "positions" / "klein.yaml"
    source.write_text(MINIMAL + "internal_notes: Niet naar buiten brengen.\n", encoding="utf-8")
    with serving(repository) as public:
        page = request(public, "/fiche/positions/klein.yaml").text
        assert "Niet naar buiten brengen" not in page
        document = request(public, "/word/positions/klein.yaml").body
        assert b"Niet naar buiten" not in zipfile.ZipFile(io.BytesIO(document)).read(
            "word/document.xml"
        )
    with serving(repository, audience="internal") as internal:
        page = request(internal, "/fiche/positions/klein.yaml").text
        assert '<blockquote class="intern">' in page
        assert "Niet naar buiten brengen" in page
        assert "intern-badge" in page
        response = request(internal, "/word/positions/klein.yaml")
        assert "klein-intern.docx" in response.headers["content-disposition"]


def test_the_preview_says_when_the_file_was_saved(
    repository: Path, server: Server, dutch: None
) -> None:
    """The time of the save on screen, not of the page's loading: the writer sees it arrive."""
    saved = time.mktime((2026, 3, 5, 9, 7, 30, 0, 0, -1))
    draft = repository / "klein.yaml.tmp"  # saved at once with its time, as an editor does
    draft.write_text(MINIMAL.replace("title: Test", "title: Bewaard"), encoding="utf-8")
    os.utime(draft, (saved, saved))
    draft.replace(repository / "positions" / "klein.yaml")
    data = wait_for_event(server, "klein.yaml", lambda data: "Bewaard" in data["fiche"])
    assert data["status"] == "bewaard op 05-03-2026 om 09:07:30"
    source = repository / "positions" / "klein.yaml"
    source.write_text(MINIMAL.replace("title: Test", "title: Vandaag"), encoding="utf-8")
    data = wait_for_event(server, "klein.yaml", lambda data: "Vandaag" in data["fiche"])
    today = datetime.datetime.fromtimestamp(source.stat().st_mtime)
    assert data["status"] == f"bewaard om {today:%H:%M:%S}"  # today: the time says enough


def test_changes_since_the_commit(repository: Path, server: Server) -> None:
    source = repository / "positions" / "klein.yaml"
    assert "No changes" in request(server, "/changes/positions/klein.yaml").text
    source.write_text(MINIMAL.replace("Essentie.", "Essentie, herzien."), encoding="utf-8")
    wait_for_event(server, "klein.yaml", lambda data: "herzien" in data["fiche"])
    assert "Essentie" in request(server, "/changes/positions/klein.yaml").text


def test_changes_strike_the_removed_words_through(repository: Path, server: Server) -> None:
    source = repository / "positions" / "seed.yaml"
    text = source.read_text(encoding="utf-8")
    sentence = "Het kabinet zal aandringen op een grondige monitoring"
    assert sentence in text
    source.write_text(text.replace(sentence, sentence.replace("grondige", "strenge")), "utf-8")
    page = request(server, "/changes/positions/seed.yaml").text
    assert "<s>grondige</s>" in page and "<strong>strenge</strong>" in page
    assert "~~" not in page


def test_changes_of_a_file_never_committed_say_why_not(repository: Path) -> None:
    (repository / "positions" / "nieuw.yaml").write_text(MINIMAL, encoding="utf-8")
    with serving(repository) as server:
        page = request(server, "/changes/positions/nieuw.yaml").text
    assert "cannot be shown" in page


def test_overview_in_dutch(server: Server, dutch: None) -> None:
    page = request(server, "/").text
    for text in ("Open plekken", "Fouten", "Waarschuwingen", "Standpunten", "Laatste commit"):
        assert text in page
    assert '<html lang="nl">' in page


def test_a_page_that_does_not_exist_says_what_to_do_in_dutch(server: Server, dutch: None) -> None:
    """The old address of a renamed fiche: where to look, and the way there."""
    response = request(server, "/fiche/positions/bestaat-niet.yaml")
    assert response.status == 404
    assert "<h1>404 Niet gevonden</h1>" in response.text
    assert "het overzicht toont de fiches die er zijn" in response.text
    assert '<a href="/">← Overzicht</a>' in response.text


def test_a_foreign_host_name_is_told_the_address_to_open(server: Server, dutch: None) -> None:
    response = request(server, "/", host="mijn-pc.example")
    assert response.status == 403
    assert f"open in plaats daarvan {server.url}." in response.text
    assert f'<a href="{server.url}">' in response.text


def test_a_file_that_comes_back_is_followed_again(repository: Path, server: Server) -> None:
    """A branch switched away and back, or a file moved out and in, while its page is open."""
    source = repository / "positions" / "klein.yaml"
    elsewhere = repository / "klein.yaml.bak"
    events = iter_events(server, "klein.yaml", timeout=20)
    try:
        assert "Actie een" in next(events)["fiche"]
        source.rename(elsewhere)
        gone = next(data for data in events if "the file is gone" in data["problems"])
        assert "open the fiche again from the overview" in gone["problems"]
        elsewhere.write_text(MINIMAL.replace("title: Test", "title: Terug"), encoding="utf-8")
        elsewhere.rename(source)
        back = next(data for data in events if "Fiche: Terug" in data["fiche"])
        assert back["problems"] == ""
    finally:
        events.close()


def test_port_in_use_is_a_clear_error(server: Server, repository: Path) -> None:
    from fichegen.errors import UsageError
    from fichegen.serve import start_server
    from fichegen.serve.workspace import Settings

    port = server.http.server_address[1]
    with pytest.raises(UsageError) as caught:
        start_server(Settings(repository), port=port)
    problem = caught.value.problems[0]
    assert f"fichegen serve is already running on port {port}" in problem.message
    assert f"open http://127.0.0.1:{port}/ in your browser" in problem.hint
    assert f"--port {port + 1}" in problem.hint


def test_port_in_use_by_another_program_says_which_to_try(repository: Path, dutch: None) -> None:
    from fichegen.errors import UsageError
    from fichegen.serve import start_server
    from fichegen.serve.workspace import Settings

    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(UsageError) as caught:
            start_server(Settings(repository), port=port)
    problem = caught.value.problems[0]
    assert problem.message == f"poort {port} is al in gebruik"
    assert f"bijvoorbeeld --port {port + 1}" in problem.hint


@pytest.mark.parametrize("opens", [True, False])
def test_open_says_what_to_do_when_no_browser_opens(
    repository: Path, tmp_path: Path, opens: bool
) -> None:
    """--open asks the browser of $BROWSER (here a script); without one the address is given."""
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\nexit {0 if opens else 1}\n')
    browser.chmod(0o755)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "BROWSER": str(browser)}
    process = subprocess.Popen(
        [sys.executable, "-m", "fichegen.cli", "serve", str(repository), "--port", "0", "--open"],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    assert process.stderr is not None
    try:
        url = process.stderr.readline().split()[2]
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text().strip() == url
        if not opens:
            line = process.stderr.readline()
            assert line.strip() == (
                f"fichegen serve: no browser could be opened; open {url} in your browser"
            )
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
    rest = process.stderr.read()
    assert ("no browser" in rest) is False and "Traceback" not in rest


def test_ctrl_c_stops_the_command_cleanly(repository: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "fichegen.cli", "serve", str(repository), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "http://127.0.0.1:" in line
    url = line.split()[2]
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/live/positions/seed.yaml")  # an open event stream
    assert connection.getresponse().status == 200
    process.send_signal(signal.SIGINT)
    try:
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
    rest = process.stderr.read()
    assert "stopped" in rest and "Traceback" not in rest
    connection.close()


def wait_for_event(
    server: Server, name: str, wanted: Callable[[dict[str, Any]], bool], timeout: float = 10.0
) -> dict[str, Any]:
    """The first event of the fiche's stream for which `wanted(data)` holds."""
    stream = iter_events(server, name, timeout)
    try:
        return next(data for data in stream if wanted(data))
    finally:
        stream.close()


def iter_events(
    server: Server, name: str, timeout: float = 10.0
) -> Generator[dict[str, Any], None, None]:
    """The events of the fiche's stream as they come, for `timeout` seconds at most."""
    port = server.http.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", f"/live/positions/{name}")
    response = connection.getresponse()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            line = response.readline().decode("utf-8")
            if line.startswith("data: {"):
                data: dict[str, Any] = json.loads(line[len("data: ") :])
                yield data
        raise AssertionError(f"no such event for {name} within {timeout} s")
    finally:
        connection.close()
