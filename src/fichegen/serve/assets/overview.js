// The overview: when any fiche changes, the rows are fetched again and replaced.
"use strict";
(function () {
  const rows = document.getElementById("fiches");
  const status = document.getElementById("status");
  if (!rows) return;

  function refresh() {
    fetch("/rows", { cache: "no-store" })
      .then((response) => response.text())
      .then((html) => {
        rows.innerHTML = html;
      });
  }

  followStream(
    "/live",
    status,
    {
      open: () => {
        if (status.classList.contains("offline")) refresh(); // back after a stop
        status.textContent = "";
        status.classList.remove("offline");
      },
      changed: refresh,
    },
    refresh, // a tab shown again catches up
  );
})();
