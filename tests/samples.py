"""Small inputs several test modules share."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

# A complete, valid communication fiche of one action: the smallest thing that renders.
MINIMAL = textwrap.dedent("""\
    type: communication
    title: Test
    general:
      proposal_title: Titel
      date_received: juni 2023
      com_numbers: ["COM(2023) 1"]
      eurlex: [{url: "https://eur-lex.europa.eu/x"}]
      impact_assessment: Niet opgesteld.
      council_formation: Raad JBZ
      lead_ministry: Ministerie van Justitie en Veiligheid
    essence: Essentie.
    areas:
      - id: 1
        title: Gebied
        actions:
          - id: 1
            title: Actie een
            summary: De Commissie wil iets.
            stance: support
    dutch_position:
      dutch_policy: Beleid.
      assessment: Beoordeling.
      force_field: Krachtenveld.
    grounds:
      competence: {verdict: positive, reasoning: Bevoegd.}
      subsidiarity: {verdict: positive, reasoning: Subsidiair.}
      proportionality: {verdict: negative, reasoning: Niet proportioneel.}
      financial: Geen.
      regulatory_burden: Geen.
    """)


def git(folder: Path, *args: str) -> str:
    """Run git in `folder` (a test's own repository) and return what it prints."""
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout


def git_as_anna(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Commits in a test's repository by one known author, untouched by the machine's git config."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in (("NAME", "Anna de Vries"), ("EMAIL", "anna@example.org")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
