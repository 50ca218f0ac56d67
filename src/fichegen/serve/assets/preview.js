// A fiche's preview: every new version arrives as a server-sent event and replaces
// the problems and the fiche in place, so the scroll position stays where it was.
"use strict";
(function () {
  const body = document.body;
  const problems = document.getElementById("problems");
  const fiche = document.getElementById("fiche");
  const changes = document.getElementById("changes");
  const status = document.getElementById("status");
  const tabs = { fiche: document.getElementById("tab-fiche"), changes: document.getElementById("tab-changes") };
  const views = { fiche: document.getElementById("view-fiche"), changes: document.getElementById("view-changes") };
  let shown = Number(body.dataset.shown);
  let changesFor = -1;

  function showTab(name) {
    for (const key of Object.keys(tabs)) {
      tabs[key].setAttribute("aria-selected", String(key === name));
      views[key].hidden = key !== name;
    }
    if (name === "changes") loadChanges();
  }

  function loadChanges() {
    const version = Number(body.dataset.version);
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

  const events = new EventSource(body.dataset.events);
  events.addEventListener("fiche", (event) => {
    const data = JSON.parse(event.data);
    body.dataset.version = String(data.version);
    problems.innerHTML = data.problems;
    if (data.shown !== shown) {
      fiche.innerHTML = data.fiche;
      shown = data.shown;
      body.dataset.shown = String(shown);
    }
    status.textContent = data.status;
    if (!views.changes.hidden) loadChanges();
  });
})();
