"""Backups: the database (SQLite online backup, or pg_dump for PostgreSQL) and the files
under the instance folder (evidence), into one directory per backup."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from core.clock import LOCAL_TZ
from extensions import db


def backup(target_dir: Path | None = None) -> Path:
    """Write a consistent copy of the database and the evidence files to a new directory
    `<instance>/backups/YYYYmmdd-HHMMSS/` (or under `target_dir`); returns its path.

    SQLite: the online backup API (consistent while the app runs). PostgreSQL: ``pg_dump
    --format=custom`` (restore with pg_restore). Raises RuntimeError if pg_dump fails."""
    stamp = datetime.now(LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
    root = Path(target_dir or Path(current_app.instance_path) / "backups") / stamp
    root.mkdir(parents=True, exist_ok=False)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        dest = sqlite3.connect(root / "app.sqlite")
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
    else:
        env_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(["pg_dump", "--format=custom", "--no-owner",
                                 f"--file={root / 'app.pgdump'}", env_url],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {result.stderr.strip()}")
    evidence = Path(current_app.instance_path) / "evidence"
    if evidence.is_dir():
        shutil.copytree(evidence, root / "evidence")
    db.session.remove()
    return root
