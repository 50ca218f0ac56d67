"""A positions repository in git and a running `fichegen serve` over it, for the serve tests."""

from __future__ import annotations

import http.client
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fichegen.serve import Server, start_server
from fichegen.serve.workspace import Settings
from samples import MINIMAL

SEED = Path(__file__).parent / "golden" / "communication-seed" / "input.yaml"


def make_repository(folder: Path) -> Path:
    """A git repository with the seed fiche and a minimal one under positions/, committed."""
    positions = folder / "positions"
    positions.mkdir(parents=True)
    (positions / "seed.yaml").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (positions / "klein.yaml").write_text(MINIMAL, encoding="utf-8")
    git = ["git", "-c", "user.name=Tester", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=folder, check=True)
    subprocess.run([*git, "add", "."], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Eerste versie"], cwd=folder, check=True)
    return folder


@contextmanager
def serving(folder: Path, audience: str = "public") -> Iterator[Server]:
    server = start_server(Settings(folder, audience), port=0)
    try:
        yield server
    finally:
        server.close()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(
    server: Server, path: str, *, method: str = "GET", host: str | None = "127.0.0.1"
) -> Response:
    """One request as a browser would send it; `host=None` sends no Host header at all."""
    port = server.http.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", f"{host}:{port}" if host and ":" not in host else host)
        connection.endheaders()
        response = connection.getresponse()
        return Response(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()
