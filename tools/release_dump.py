"""Write tests/data/release-<N>.sql: a database at the current schema with the demo data,
kept so that later migrations are tested against real data of this release.

    .venv/bin/python tools/release_dump.py 1
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(release: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, INSTANCE_PATH=tmp, APP_TODAY="2014-11-12")
        env.pop("DATABASE_URL", None)
        flask = [sys.executable, "-m", "flask", "--app", "app"]
        for command in (["init-db"], ["demo-data"]):
            subprocess.run(flask + command, cwd=ROOT, env=env, check=True,
                           capture_output=True)
        con = sqlite3.connect(Path(tmp) / "app.sqlite")
        head = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        target = ROOT / "tests" / "data" / f"release-{release}.sql"
        with target.open("w", encoding="utf-8") as out:
            out.write(f"-- The database of release {release} (schema {head}) with the demo "
                      "data, used to test\n-- that migrations upgrade real data. Do not edit; "
                      "add a new file per release.\n")
            for line in con.iterdump():
                out.write(line + "\n")
        con.close()
        print(f"{target} (schema {head})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1")
