// A fiche's preview: every new version arrives as a server-sent event and replaces
// the problems and the fiche in place, so the scroll position stays where it was.
"use strict";
(function () {
  const body = document.body;
  const problems = document.getElementById("problems");
  const fiche = document.getElementById("fiche");
  const changes = document.getElementById("changes");
  const status = document.getElementById("status");
  const download = document.getElementById("download");
  const tabs = { fiche: document.getElementById("tab-fiche"), changes: document.getElementById("tab-changes") };
  const views = { fiche: document.getElementById("view-fiche"), changes: document.getElementById("view-changes") };
  let shown = Number(body.dataset.shown);
  let run = body.dataset.run; // the server's start: a restarted one counts versions anew
  let changesFor = "";
  let warningsOpen = false; // the reader unfolded the warnings: keep them so at the next save

  const scrolled = { fiche: 0, changes: 0 }; // each tab opens where the reader left it

  function showTab(name) {
    const current = views.fiche.hidden ? "changes" : "fiche";
    if (current === name) return;
    scrolled[current] = window.scrollY;
    body.dataset.tab = name; // the problems' note speaks of what this tab shows
    for (const key of Object.keys(tabs)) {
      tabs[key].setAttribute("aria-selected", String(key === name));
      views[key].hidden = key !== name;
    }
    window.scrollTo(0, scrolled[name]);
    if (name === "changes") loadChanges();
  }

  function loadChanges() {
    const version = run + ":" + body.dataset.version;
    if (changesFor === version) return;
    changesFor = version;
    fetch(body.dataset.changes, { cache: "no-store" })
      .then((response) => response.text())
      .then((html) => {
        if (changesFor === version) changes.innerHTML = html;
      });
  }

  tabs.fiche.addEventListener("click", () => showTab("fiche"));
  tabs.changes.addEventListener("click", () => showTab("changes"));
  problems.addEventListener(
    "toggle",
    (event) => {
      if (event.target.classList.contains("warnings-only")) warningsOpen = event.target.open;
    },
    true,
  );

  function show(data) {
    body.dataset.version = String(data.version);
    problems.innerHTML = data.problems;
    const warnings = problems.querySelector(".warnings-only");
    if (warnings) warnings.open = warningsOpen;
    if (data.shown !== shown || data.run !== run) {
      run = data.run;
      fiche.innerHTML = data.fiche;
      shown = data.shown;
      body.dataset.shown = String(shown);
      download.hidden = !shown; // nothing to download before a version without errors
    }
    status.textContent = data.status;
    status.classList.remove("offline");
    if (!views.changes.hidden) loadChanges();
  }

  followStream(body.dataset.events, status, {
    fiche: (event) => show(JSON.parse(event.data)),
  });
})();
