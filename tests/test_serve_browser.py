"""`fichegen serve` in a real browser: Debian's Chromium, headless, driven by Selenium.

Nothing is downloaded: Selenium is pointed at Debian's chromedriver, so its
Selenium Manager never looks for a browser on the network. Without Chromium
or chromedriver (apt-get install chromium chromium-driver) these tests are
skipped. The screenshot of the preview is kept under pytest's temporary
folder (or $FICHEGEN_ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fichegen.serve import Server, start_server
from fichegen.serve.workspace import Settings
from serving import make_repository, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

webdriver = pytest.importorskip("selenium.webdriver")
if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
    pytest.skip("needs Debian's chromium and chromium-driver", allow_module_level=True)

from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

UPDATE_WITHIN = 5.0
"""Seconds a test waits for the page to follow a save (the page itself takes milliseconds)."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="fichegen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return make_repository(tmp_path / "repo")


@pytest.fixture
def server(repository: Path) -> Iterator[Server]:
    with serving(repository) as running:
        yield running


def wait_until(driver: Any, condition: Any, what: str) -> Any:
    try:
        return WebDriverWait(
            driver,
            UPDATE_WITHIN,
            poll_frequency=0.05,
            # the page replaces its content in place: an element can go while it is read
            ignored_exceptions=[NoSuchElementException, StaleElementReferenceException],
        ).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"the page did not show {what} within {UPDATE_WITHIN} s") from None


def text_of(driver: Any, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def open_preview(browser: Any, server: Server, name: str) -> None:
    browser.get(f"{server.url}fiche/positions/{name}")
    wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#fiche h1"), "the fiche")
    # the page listens for changes once its script ran and its event stream is open
    wait_until(
        browser,
        lambda d: d.execute_script("return document.readyState") == "complete",
        "a loaded page",
    )


def test_overview_lists_the_fiches_with_their_counts(browser: Any, server: Server) -> None:
    browser.get(server.url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#fiches tr")
    titles = [row.find_element(By.CSS_SELECTOR, "a").text for row in rows]
    assert titles == ["Test", "Mededeling over het EU actieplan tegen drugshandel"]
    seed = rows[1].text
    assert "positions/seed.yaml" in seed and "Eerste versie" in seed
    link = rows[1].find_element(By.CSS_SELECTOR, "a")
    link.click()
    wait_until(browser, lambda d: "/fiche/positions/seed.yaml" in d.current_url, "the preview")
    title = text_of(browser, "#fiche h1")
    assert title == "Fiche: Mededeling over het EU actieplan tegen drugshandel"


def test_saving_the_yaml_updates_the_open_page_without_reloading_it(
    browser: Any, server: Server, repository: Path
) -> None:
    open_preview(browser, server, "seed.yaml")
    browser.execute_script("window.notReloaded = true; window.scrollTo(0, 1500);")
    before = browser.execute_script("return window.scrollY")
    assert before > 0
    source = repository / "positions" / "seed.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "title: Mededeling over het EU actieplan tegen drugshandel",
            "title: Mededeling over het herziene actieplan",
            1,
        ),
        encoding="utf-8",
    )
    wait_until(
        browser,
        lambda d: text_of(d, "#fiche h1") == "Fiche: Mededeling over het herziene actieplan",
        "the new title",
    )
    assert browser.execute_script("return window.notReloaded") is True
    # still where the reader was (the browser's scroll anchoring may shift it a pixel or
    # so when the text above changes height); a reload would put it back at the top
    assert abs(browser.execute_script("return window.scrollY") - before) < 100


def test_an_error_appears_with_its_line_and_goes_when_fixed(
    browser: Any, server: Server, repository: Path
) -> None:
    open_preview(browser, server, "klein.yaml")
    source = repository / "positions" / "klein.yaml"
    good = source.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if "stance: support" in line)
    column = lines[number - 1].index("support") + 1
    source.write_text(good.replace("stance: support", "stance: supportt"), encoding="utf-8")
    wait_until(
        browser,
        lambda d: f"{number}:{column}" in text_of(d, "#problems"),
        f"the error at {number}:{column}",
    )
    problems = text_of(browser, "#problems")
    assert "supportt" in problems
    # the last good rendering stays visible under the problems
    assert text_of(browser, "#fiche h1") == "Fiche: Test"
    source.write_text(good, encoding="utf-8")
    wait_until(
        browser,
        lambda d: not d.find_element(By.ID, "problems").text.strip(),
        "no problems after the fix",
    )


def test_changes_tab_shows_what_changed_since_the_commit(
    browser: Any, server: Server, repository: Path, dutch: None
) -> None:
    source = repository / "positions" / "klein.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Essentie.", "Essentie, nu herzien."),
        encoding="utf-8",
    )
    open_preview(browser, server, "klein.yaml")
    tab = browser.find_element(By.ID, "tab-changes")
    assert tab.text == "Wijzigingen"
    tab.click()
    wait_until(
        browser, lambda d: "Essentie voorstel" in text_of(d, "#changes"), "the changed essence"
    )
    assert not browser.find_element(By.ID, "view-fiche").is_displayed()
    # said in words, not in the notation of `fichegen diff` (klein.yaml@HEAD)
    heading = text_of(browser, "#changes h3")
    assert heading.startswith("Wijzigingen sinds de laatste vastgelegde versie (commit van ")
    assert heading.endswith(" door Tester)") and "@" not in text_of(browser, "#changes")


def test_with_errors_each_tab_says_truly_what_it_shows(
    browser: Any, server: Server, repository: Path, dutch: None
) -> None:
    """While the file has errors, both tabs show the last version without them, and say so."""
    source = repository / "positions" / "klein.yaml"
    good = source.read_text(encoding="utf-8").replace("Essentie.", "Essentie, nu herzien.")
    source.write_text(good, encoding="utf-8")
    open_preview(browser, server, "klein.yaml")
    source.write_text(
        good.replace("nu herzien", "kapot herzien").replace("stance: support", "stance: supportt"),
        encoding="utf-8",
    )
    wait_until(browser, lambda d: "supportt" in text_of(d, "#problems"), "the error")
    assert "Hieronder staat de laatste versie zonder fouten" in text_of(browser, "#problems")
    browser.find_element(By.ID, "tab-changes").click()
    wait_until(browser, lambda d: "nu herzien" in text_of(d, "#changes"), "the changes")
    note = text_of(browser, "#problems .note-changes")
    assert note.startswith("Hieronder staan de wijzigingen van de laatste versie zonder fouten")
    assert "Hieronder staat de laatste versie" not in text_of(browser, "#problems")
    assert "kapot" not in text_of(browser, "#changes")
    source.write_text(good.replace("nu herzien", "weer herzien"), encoding="utf-8")
    wait_until(browser, lambda d: "weer herzien" in text_of(d, "#changes"), "the fixed changes")
    assert not text_of(browser, "#problems")


def test_each_tab_keeps_its_own_place(browser: Any, server: Server, repository: Path) -> None:
    """Far down in the fiche, the short list of changes still opens at its top, and the fiche
    comes back where the reader left it."""
    source = repository / "positions" / "seed.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("grondige monitoring", "strenge monitoring"),
        encoding="utf-8",
    )
    open_preview(browser, server, "seed.yaml")
    browser.execute_script("window.scrollTo(0, 3000);")
    browser.find_element(By.ID, "tab-changes").click()
    wait_until(browser, lambda d: "strenge" in text_of(d, "#changes"), "the changes")
    assert browser.execute_script("return window.scrollY") == 0
    browser.find_element(By.ID, "tab-fiche").click()
    assert abs(browser.execute_script("return window.scrollY") - 3000) < 5


def test_screenshot_of_the_preview(
    browser: Any, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    open_preview(browser, server, "seed.yaml")
    browser.set_window_size(1100, 1400)
    folder = Path(
        os.environ.get("FICHEGEN_ARTIFACTS") or tmp_path_factory.getbasetemp() / "artifacts"
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "serve-preview.png"
    assert browser.save_screenshot(str(target))
    assert target.stat().st_size > 10_000
    print(f"screenshot: {target}")


def test_overview_follows_the_files(browser: Any, server: Server, repository: Path) -> None:
    browser.get(server.url)
    browser.execute_script("window.notReloaded = true;")
    source = repository / "positions" / "klein.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: Test", "title: Nieuwe titel"),
        encoding="utf-8",
    )
    wait_until(browser, lambda d: "Nieuwe titel" in text_of(d, "#fiches"), "the new title")
    (repository / "positions" / "derde.yaml").write_text(
        source.read_text(encoding="utf-8").replace("Nieuwe titel", "Derde fiche"),
        encoding="utf-8",
    )
    wait_until(browser, lambda d: "Derde fiche" in text_of(d, "#fiches"), "the new fiche")
    assert browser.execute_script("return window.notReloaded") is True


def test_an_error_stays_in_sight_of_a_reader_further_down(
    browser: Any, server: Server, repository: Path
) -> None:
    """The reader is in the middle of the fiche when a save breaks it: the error shows there."""
    open_preview(browser, server, "seed.yaml")
    browser.execute_script("window.scrollTo(0, 3000);")
    source = repository / "positions" / "seed.yaml"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("stance: support\n", "stance: supportt\n", 1), "utf-8")
    wait_until(browser, lambda d: "supportt" in text_of(d, "#problems"), "the error")
    assert browser.execute_script("return window.scrollY") > 2000
    box = browser.execute_script(
        "const r = document.getElementById('problems').getBoundingClientRect();"
        "return [r.top, r.bottom, window.innerHeight];"
    )
    assert 0 <= box[0] < box[1] <= box[2]  # wholly in the window
    source.write_text(good, encoding="utf-8")
    wait_until(browser, lambda d: not d.find_element(By.ID, "problems").text.strip(), "no problems")


def test_a_drafts_warnings_are_folded_into_their_count(
    browser: Any, server: Server, repository: Path
) -> None:
    """Open placeholders do not push the fiche down; one click shows them, and they stay shown."""
    source = repository / "positions" / "klein.yaml"
    draft = "status: draft\n" + source.read_text(encoding="utf-8").replace(
        "Beleid.", '"Beleid [INVULLEN: het beleid] en [INVULLEN: nog meer]."'
    )
    source.write_text(draft, encoding="utf-8")
    open_preview(browser, server, "klein.yaml")
    assert text_of(browser, "#problems") == "2 warnings"
    assert not browser.find_element(By.CSS_SELECTOR, "#problems ul").is_displayed()
    browser.find_element(By.CSS_SELECTOR, "#problems summary").click()
    assert "het beleid" in text_of(browser, "#problems ul")
    source.write_text(draft.replace("title: Test", "title: Verder"), encoding="utf-8")
    wait_until(browser, lambda d: text_of(d, "#fiche h1") == "Fiche: Verder", "the new title")
    assert "het beleid" in text_of(browser, "#problems ul")


def _hide(browser: Any) -> None:
    """What the browser does to a tab the user left for another one."""
    _set_visibility(browser, "hidden")


def _show(browser: Any) -> None:
    _set_visibility(browser, "visible")


def _set_visibility(browser: Any, state: str) -> None:
    browser.execute_script(
        "Object.defineProperty(document, 'visibilityState', {value: arguments[0], "
        "configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));",
        state,
    )


def test_many_tabs_open_at_once(browser: Any, server: Server, repository: Path) -> None:
    """A browser keeps six connections to one server: tabs in the background let go of theirs,
    so a seventh tab still opens, and a tab shown again catches up with the saves it missed."""
    first = browser.current_window_handle
    browser.set_page_load_timeout(UPDATE_WITHIN)
    try:
        browser.get(server.url)
        _hide(browser)
        for number in range(7):
            browser.switch_to.new_window("tab")
            open_preview(browser, server, "seed.yaml" if number % 2 else "klein.yaml")
            _hide(browser)
        source = repository / "positions" / "klein.yaml"
        source.write_text(
            source.read_text(encoding="utf-8").replace("title: Test", "title: Gemist"), "utf-8"
        )
        _show(browser)
        wait_until(browser, lambda d: text_of(d, "#fiche h1") == "Fiche: Gemist", "the save")
    finally:
        browser.set_page_load_timeout(300)
        for handle in browser.window_handles:
            if handle != first:
                browser.switch_to.window(handle)
                browser.close()
        browser.switch_to.window(first)


def test_a_stopped_server_is_shown_on_the_open_page(
    browser: Any, server: Server, dutch: None
) -> None:
    open_preview(browser, server, "klein.yaml")
    server.close()
    wait_until(
        browser,
        lambda d: "Geen verbinding met fichegen serve" in text_of(d, "#status"),
        "that the server stopped",
    )


def test_no_download_button_before_a_version_without_errors(browser: Any, repository: Path) -> None:
    """A fiche broken from the start has nothing to download; the button comes with the fix."""
    source = repository / "positions" / "klein.yaml"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("title: Test", "title: Test\n  kapot: ja"), encoding="utf-8")
    with serving(repository) as server:
        browser.get(f"{server.url}fiche/positions/klein.yaml")
        wait_until(browser, lambda d: "3:3" in text_of(d, "#problems"), "the syntax error")
        assert not browser.find_element(By.ID, "download").is_displayed()
        source.write_text(good, encoding="utf-8")
        wait_until(browser, lambda d: d.find_element(By.ID, "download").is_displayed(), "it")
        assert text_of(browser, "#fiche h1") == "Fiche: Test"


def test_footnote_references_are_raised_numbers_linked_to_their_notes(
    browser: Any, server: Server
) -> None:
    """As in Word: a small raised "1", not "[1]"; it leads to the note at the end, and back."""
    open_preview(browser, server, "seed.yaml")
    references = browser.find_elements(By.CSS_SELECTOR, "#fiche .footnote-ref")
    assert [ref.text for ref in references[:3]] == ["1", "2", "3"]
    first = references[0]
    assert first.value_of_css_property("vertical-align") == "super"
    text_size = browser.find_element(By.CSS_SELECTOR, "#fiche p").value_of_css_property("font-size")
    assert float(first.value_of_css_property("font-size")[:-2]) < float(text_size[:-2])
    first.find_element(By.TAG_NAME, "a").click()
    note = browser.find_element(By.CSS_SELECTOR, "#fiche .footnote-item:target")
    assert note.text.startswith("BNC fiche EU drugsstrategie")
    bar = browser.execute_script("return document.querySelector('.top').offsetHeight")
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", note)
    assert bar <= top < browser.execute_script("return window.innerHeight")  # not under the bar
    note.find_element(By.CSS_SELECTOR, ".footnote-backref").click()
    wait_until(
        browser,
        lambda d: d.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return r.top > 0 && "
            "r.bottom < window.innerHeight",
            first,
        ),
        "the text of the first reference again",
    )


@pytest.mark.parametrize("kind", ["tab", "window"])
def test_the_same_fiche_open_twice_both_follow_each_save(
    browser: Any, server: Server, repository: Path, kind: str
) -> None:
    """The fiche open in two tabs or two windows, both in sight (side by side, or on two
    screens): every save reaches both, however many saves, and neither is reloaded."""
    first = browser.current_window_handle
    open_preview(browser, server, "seed.yaml")
    browser.switch_to.new_window(kind)
    second = browser.current_window_handle
    open_preview(browser, server, "seed.yaml")
    windows = (first, second)
    for handle in windows:
        browser.switch_to.window(handle)
        assert browser.execute_script("return document.visibilityState") == "visible"
        browser.execute_script("window.notReloaded = true;")
    source = repository / "positions" / "seed.yaml"
    original = source.read_text(encoding="utf-8")
    title = "title: Mededeling over het EU actieplan tegen drugshandel"
    try:
        for number in range(1, 4):
            source.write_text(original.replace(title, f"title: Versie {number}", 1), "utf-8")
            for handle in windows if number % 2 else windows[::-1]:
                browser.switch_to.window(handle)
                wait_until(
                    browser,
                    lambda d, n=number: text_of(d, "#fiche h1") == f"Fiche: Versie {n}",
                    f"save {number} in window {windows.index(handle) + 1}",
                )
        for handle in windows:
            browser.switch_to.window(handle)
            assert browser.execute_script("return window.notReloaded") is True
    finally:
        browser.switch_to.window(second)
        browser.close()
        browser.switch_to.window(first)


def test_an_open_page_follows_serve_started_again(browser: Any, repository: Path) -> None:
    """Stopped, the fiche edited meanwhile, serve started again: the page that stayed open
    shows the edit (the new server counts its versions from 1 again, as the old one did)."""
    source = repository / "positions" / "klein.yaml"
    with serving(repository) as server:
        port = server.http.server_address[1]
        open_preview(browser, server, "klein.yaml")
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: Test", "title: Tussendoor"), "utf-8"
    )
    restarted = start_server(Settings(repository), port=port)
    try:
        wait_until(browser, lambda d: text_of(d, "#fiche h1") == "Fiche: Tussendoor", "the edit")
    finally:
        restarted.close()


def test_a_page_the_browser_stopped_listening_for_tries_again(
    browser: Any, repository: Path
) -> None:
    """serve started again while the fiche was away (another branch checked out): the browser
    gets a 404 for the page's event stream and gives up on it; the page asks again every
    2 seconds, and follows the fiche once it is back."""
    source = repository / "positions" / "klein.yaml"
    good = source.read_text(encoding="utf-8")
    with serving(repository) as server:
        port = server.http.server_address[1]
        open_preview(browser, server, "klein.yaml")
    source.unlink()
    restarted = start_server(Settings(repository), port=port)
    try:
        wait_until(
            browser,
            lambda d: "404 (Not Found)" in str(d.get_log("browser")),  # Chromium's console
            "that its event stream was refused",
        )
        source.write_text(good.replace("title: Test", "title: Weer terug"), encoding="utf-8")
        wait_until(browser, lambda d: text_of(d, "#fiche h1") == "Fiche: Weer terug", "it")
    finally:
        restarted.close()
