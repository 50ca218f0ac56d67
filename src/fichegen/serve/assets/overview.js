// The overview: when any fiche changes, the rows are fetched again and replaced.
"use strict";
(function () {
  const rows = document.getElementById("fiches");
  if (!rows) return;
  const events = new EventSource("/live");
  events.addEventListener("changed", () => {
    fetch("/rows", { cache: "no-store" })
      .then((response) => response.text())
      .then((html) => {
        rows.innerHTML = html;
      });
  });
})();
