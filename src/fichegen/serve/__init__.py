"""`fichegen serve`: the fiches of a repository in the browser, updated at every save.

A local web server (the standard library's `http.server`, one thread per
request) over three parts:

- `workspace`: which files are the repository's fiches, each file's latest
  check and its last good rendering, and a watcher that reads a file again
  as soon as it is saved;
- `pages`: the HTML of the overview and of a fiche's preview, made from the
  Markdown the pipeline renders (no rendering logic of its own);
- `server`: the HTTP side, safe by default (loopback only, loopback Host
  headers only, nothing but the fiches and the assets, no write endpoints).
"""

from __future__ import annotations

from fichegen.serve.server import Server, run_serve, start_server

__all__ = ["Server", "run_serve", "start_server"]
