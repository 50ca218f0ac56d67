// A page's live stream of server-sent events, shared by the overview and the preview.
// A browser keeps only a few connections open to one server: a tab in the background
// lets go of its stream, so that the tabs in front can load, and asks again when shown.
// A stream the browser gave up on (a stopped server) is tried again every 2 s.
"use strict";
window.followStream = function (url, status, listeners, onShown) {
  let events = null;
  function listen() {
    if (events) return;
    events = new EventSource(url);
    for (const [name, handler] of Object.entries(listeners)) events.addEventListener(name, handler);
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
      if (onShown) onShown();
    }
  });
  if (document.visibilityState !== "hidden") listen();
};
