"""Every user-visible string in the code and templates is translated in both catalogues."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["app.py", "cli.py", "jobs.py", "admin", "auth", "cases", "catalogue", "core",
           "deadlines", "inspections", "registry", "web", "templates"]


def test_catalogues_cover_every_string(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-o", str(pot), "--omit-header", *SOURCES],
                   cwd=ROOT, check=True)
    wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert len(wanted) > 300
    for lang in ("vi", "en"):
        catalogue = read_po((ROOT / f"translations/{lang}/LC_MESSAGES/messages.po").open("rb"))
        have = {m.id: m.string for m in catalogue if m.id}
        missing = sorted(i for i in wanted if not have.get(i))
        assert missing == [], f"{lang}: run `make extract-messages` and translate: {missing}"
        flagged = [m.id for m in catalogue if m.id and "fuzzy" in m.flags]
        assert flagged == [], f"{lang}: fuzzy entries {flagged}"
