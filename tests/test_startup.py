"""What an application does once at start so that its first job or request does not: the
holiday rules loaded, and the objects made at start taken out of the garbage collector's
walks (`app._freeze_startup_objects`). Checked in a fresh Python process, where nothing of
another test is loaded yet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, secrets, sys
from app import create_app
seen = {"vietnam_before": "holidays.countries.vietnam" in sys.modules}
common = {"DATABASE_URL": "sqlite:///" + sys.argv[1] + "/p.sqlite", "INSTANCE_PATH": sys.argv[1],
          "SECRET_KEY": secrets.token_hex(32), "AUDIT_KEY": secrets.token_hex(32)}
create_app({**common, "TESTING": True})
seen["vietnam_after"] = "holidays.countries.vietnam" in sys.modules
seen["frozen_testing"] = gc.get_freeze_count()
create_app(common)
seen["frozen"] = gc.get_freeze_count()
seen["tracked"] = len(gc.get_objects())
print(json.dumps(seen))
"""


def test_start_loads_the_holiday_rules_and_freezes_what_it_made(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    # the package's rules for Viet Nam are read by create_app, not by the first calendar use
    assert seen["vietnam_before"] is False and seen["vietnam_after"] is True
    # a test application (TESTING) leaves the collector alone: what a test leaves behind
    # must stay collectable
    assert seen["frozen_testing"] == 0
    # any other start moves what it made out of the collector's walks: at least the
    # modules' and mappers' hundred thousand objects, and more than stay tracked after it
    assert seen["frozen"] > 100_000
    assert seen["frozen"] > seen["tracked"]
