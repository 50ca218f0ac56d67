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

  // A tab in the background lets go of its stream (a browser keeps only a few
  // connections open to one server), and catches up when it is shown again.
  let events = null;
  function listen() {
    if (events) return;
    events = new EventSource("/live");
    events.addEventListener("open", () => {
      if (status.classList.contains("offline")) refresh(); // back after a stop
      status.textContent = "";
      status.classList.remove("offline");
    });
    events.addEventListener("changed", refresh);
    events.addEventListener("error", (event) => {
      status.textContent = document.body.dataset.offline;
      status.classList.add("offline");
      // the browser gave up on it (not on one since closed): try again in a while
      if (event.target === events && events.readyState === EventSource.CLOSED) retryLater();
    });
  }
  function stopListening() {
    if (events) events.close();
    events = null;
  }
  function retryLater() {
    stopListening();
    setTimeout(() => {
      if (document.visibilityState !== "hidden") listen();
    }, 2000);
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      stopListening();
    } else {
      listen();
      refresh();
    }
  });
  if (document.visibilityState !== "hidden") listen();
})();
