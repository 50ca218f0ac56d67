"""The HTTP side of `fichegen serve`: safe by default, read-only, and quiet.

Built on the standard library's `http.server` (one thread per request): a
preview for one person on their own machine needs no more, and it adds no
dependency to every install of fichegen. Server-sent events carry each new
version of a fiche to the open page.

Safety: the server listens on 127.0.0.1 only; it answers only requests whose
Host header is a loopback name (a web page cannot reach it by pointing its
own domain at 127.0.0.1, "DNS rebinding"); it serves the fiches it found and
its own assets, looked up by name in a table, never a path built from the
request; only GET and HEAD exist.
"""

from __future__ import annotations

import errno
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from fichegen.errors import FichegenError, Location, Problem, UsageError
from fichegen.i18n import _
from fichegen.serve import pages
from fichegen.serve.history import Commit, read_history
from fichegen.serve.workspace import FicheFile, Settings, Workspace

HOST = "127.0.0.1"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
KEEPALIVE = 15.0
"""Seconds between two comments on an idle event stream, so a dead page is noticed."""
ASSETS = Path(__file__).parent / "assets"
ASSET_TYPES = {
    "style.css": "text/css; charset=utf-8",
    "preview.js": "text/javascript; charset=utf-8",
    "overview.js": "text/javascript; charset=utf-8",
    "stream.js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def is_loopback_host(header: str | None) -> bool:
    """Whether a Host header names this machine's loopback (with any port)."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not rest[1:].isdigit()) or (rest and rest[0] != ":"):
            return False
    else:
        name, colon, port = host.partition(":")
        if colon and not port.isdigit():
            return False
    return name in LOOPBACK_NAMES


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    workspace: Workspace
    changes: dict[str, tuple[tuple[int, Commit | None], str]]


class Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "fichegen"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is the user's, and only the CLI prints."""

    # -- methods --------------------------------------------------------------

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _refuse_method(self) -> None:
        self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, _("Only reading is possible here."), True)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    # -- routing ----------------------------------------------------------------

    def _respond(self, body: bool) -> None:
        if not is_loopback_host(self.headers.get("Host")):
            address = f"http://{HOST}:{self.server.server_address[1]}/"
            text = _(
                "fichegen serve only answers requests for localhost or 127.0.0.1: "
                "open {address} instead."
            ).format(address=address)
            self._send_text(HTTPStatus.FORBIDDEN, text, body, overview=address)
            return
        path = unquote(urlsplit(self.path).path)
        workspace = self.server.workspace
        kind, _slash, key = path.lstrip("/").partition("/")
        try:
            if path == "/":
                history = read_history(_folder(workspace))
                self._send_html(pages.overview_page(workspace, history), body)
            elif path == "/rows":
                history = read_history(_folder(workspace))
                self._send_html(pages.overview_rows(workspace, history), body)
            elif path == "/live":
                self._stream_overview(body)
            elif kind == "assets" and key in ASSET_TYPES:
                self._send(HTTPStatus.OK, ASSET_TYPES[key], (ASSETS / key).read_bytes(), body)
            elif path == "/assets/stances.css":
                self._send(HTTPStatus.OK, "text/css; charset=utf-8", _stance_css(workspace), body)
            elif kind in ("fiche", "live", "changes", "word") and (fiche := workspace.find(key)):
                self._fiche_route(kind, fiche, body)
            else:
                text = _(
                    "There is nothing at this address. A fiche that was renamed, moved or "
                    "deleted is no longer here: the overview lists the fiches there are."
                )
                self._send_text(HTTPStatus.NOT_FOUND, text, body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away

    def _fiche_route(self, kind: str, fiche: FicheFile, body: bool) -> None:
        workspace = self.server.workspace
        workspace.ensure_read(fiche, render=True)
        if kind == "fiche":
            self._send_html(pages.preview_page(workspace, fiche), body)
        elif kind == "live":
            self._stream_fiche(fiche, body)
        elif kind == "changes":
            self._send_html(self._changes(fiche), body)
        else:
            self._send_word(fiche, body)

    # -- responses --------------------------------------------------------------

    def _send(
        self, status: HTTPStatus, kind: str, content: bytes, body: bool, **extra: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        for name, value in {**SECURITY_HEADERS, **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(content)

    def _send_html(self, text: str, body: bool) -> None:
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", text.encode("utf-8"), body)

    def _send_text(self, status: HTTPStatus, text: str, body: bool, overview: str = "/") -> None:
        page = pages.message_page(f"{status.value} {_status_phrase(status)}", text, overview)
        extra = {"Allow": "GET, HEAD"} if status is HTTPStatus.METHOD_NOT_ALLOWED else {}
        self._send(status, "text/html; charset=utf-8", page.encode("utf-8"), body, **extra)

    def _send_word(self, fiche: FicheFile, body: bool) -> None:
        workspace = self.server.workspace
        good = fiche.good
        if good is None:
            self._send_text(
                HTTPStatus.CONFLICT,
                _("This fiche has errors; fix them first, then download it again."),
                body,
            )
            return
        try:
            document = workspace.render_docx(good, fiche) if body else b""
        except FichegenError as exc:
            text = "\n".join(problem.format() for problem in exc.problems)
            self._send_text(HTTPStatus.INTERNAL_SERVER_ERROR, text, body)
            return
        suffix = "-intern" if workspace.settings.audience == "internal" else ""
        name = f"{Path(fiche.key).stem}{suffix}.docx"
        self._send(
            HTTPStatus.OK,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            document,
            body,
            **{"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )

    def _changes(self, fiche: FicheFile) -> str:
        from fichegen.serve.changes import changes_since_commit

        if fiche.has_errors and not fiche.good:
            return pages.no_changes_yet()
        cache = self.server.changes
        commit = read_history(_folder(self.server.workspace)).last_commit(fiche.path)
        version = (fiche.version, commit)  # a new commit changes what "since" means
        if fiche.key in cache and cache[fiche.key][0] == version:
            return cache[fiche.key][1]
        # while the file has errors, the changes of the version the Fiche tab shows
        shown = fiche.good.fiche if fiche.good and fiche.has_errors else None
        markdown, problems = changes_since_commit(
            fiche.path, self.server.workspace.settings.audience, shown
        )
        text = pages.changes_html(markdown, problems, commit)
        cache[fiche.key] = (version, text)
        return text

    def _start_stream(self, body: bool) -> bool:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if not body:
            return False
        self.wfile.write(b"retry: 500\n\n")
        self.wfile.flush()
        return True

    def _stream_fiche(self, fiche: FicheFile, body: bool) -> None:
        workspace = self.server.workspace
        if not self._start_stream(body):
            return
        sent = -1
        while not workspace.stopping:
            if fiche.version != sent:
                sent = fiche.version
                self.wfile.write(pages.preview_event(workspace, fiche).encode("utf-8"))
            elif not workspace.wait_for_change(lambda: fiche.version, sent, KEEPALIVE):
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()

    def _stream_overview(self, body: bool) -> None:
        workspace = self.server.workspace
        if not self._start_stream(body):
            return
        sent = workspace.generation
        while not workspace.stopping:
            if workspace.generation != sent:
                sent = workspace.generation
                self.wfile.write(f"event: changed\ndata: {sent}\n\n".encode())
            elif not workspace.wait_for_change(lambda: workspace.generation, sent, KEEPALIVE):
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()


def _folder(workspace: Workspace) -> Path:
    root = workspace.root
    return root.parent if root.is_file() else root


def _stance_css(workspace: Workspace) -> bytes:
    rules = []
    for key, entry in workspace.labels()["stances"].items():
        shading = str(entry.get("shading", "")).strip().lstrip("#")
        if shading.isalnum() and len(shading) in (3, 6):
            rules.append(f".stance-{key} {{ background: #{shading}; }}")
    return ("\n".join(rules) + "\n").encode("utf-8")


@dataclass
class Server:
    """A running server: its address, its workspace, and how to stop it."""

    url: str
    workspace: Workspace
    http: _HTTPServer
    threads: list[threading.Thread]

    def close(self) -> None:
        self.workspace.stop()
        self.http.shutdown()
        self.http.server_close()
        for thread in self.threads:
            thread.join(timeout=5)


def start_server(settings: Settings, port: int = 0) -> Server:
    """Start serving in background threads (port 0: any free port); `close()` stops it."""
    if not settings.root.exists():
        raise UsageError(
            Problem(Location(str(settings.root)), _("no such file or folder"), code="usage")
        )
    workspace = Workspace(settings)
    try:
        http = _HTTPServer((HOST, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(_port_in_use(port)) from None
        raise UsageError(
            Problem(Location("fichegen serve"), _("cannot listen: {error}").format(error=exc))
        ) from None
    http.workspace = workspace
    http.changes = {}
    threads = [
        threading.Thread(target=http.serve_forever, name="fichegen-serve", daemon=True),
        threading.Thread(target=workspace.watch, name="fichegen-watch", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return Server(f"http://{HOST}:{http.server_address[1]}/", workspace, http, threads)


def _port_in_use(port: int) -> Problem:
    """What to do when the port is taken: most often by a fichegen serve in another window."""
    url = f"http://{HOST}:{port}/"
    if _is_fichegen_serve(port):
        return Problem(
            Location("fichegen serve"),
            _("fichegen serve is already running on port {port} (in another window?)").format(
                port=port
            ),
            code="usage",
            hint=_(
                "open {url} in your browser; or stop that one with Ctrl-C in its window; "
                "or start this one on another port: --port {other}"
            ).format(url=url, other=port + 1),
        )
    return Problem(
        Location("fichegen serve"),
        _("port {port} is already in use").format(port=port),
        code="usage",
        hint=_(
            "choose another one, for example --port {other}, or --port 0 for any free port"
        ).format(other=port + 1),
    )


def _is_fichegen_serve(port: int) -> bool:
    """Whether the program listening on the port answers as fichegen serve does."""
    import http.client

    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("HEAD", "/", headers={"Host": f"{HOST}:{port}"})
        return connection.getresponse().getheader("Server", "").startswith("fichegen")
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def run_serve(
    settings: Settings,
    *,
    port: int,
    open_browser: bool = False,
    on_ready: Callable[[str], None] = lambda url: None,
    on_no_browser: Callable[[str], None] = lambda url: None,
) -> None:
    """Serve until Ctrl-C (or SIGTERM, which the CLI turns into one); then stop cleanly."""
    server = start_server(settings, port)
    stopped = threading.Event()
    try:
        on_ready(server.url)
        if open_browser and not _open_browser(server.url):
            on_no_browser(server.url)
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _open_browser(url: str) -> bool:
    """Whether a browser could be asked to open the url (none on a server without a desktop)."""
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def _status_phrase(status: HTTPStatus) -> str:
    """The heading of an error page in the user's language ("Niet gevonden")."""
    phrases = {
        HTTPStatus.NOT_FOUND: _("Not found"),
        HTTPStatus.FORBIDDEN: _("Not allowed"),
        HTTPStatus.METHOD_NOT_ALLOWED: _("Not possible"),
        HTTPStatus.CONFLICT: _("Not available yet"),
        HTTPStatus.INTERNAL_SERVER_ERROR: _("Error"),
    }
    return phrases.get(status, status.phrase)
