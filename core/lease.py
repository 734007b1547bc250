"""One active scheduler at a time.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the life of
the process; a second scheduler blocks trying to take it and takes over the moment the
first one's connection goes away (process death closes it).

SQLite: a lease row (`scheduler_leases`) with an owner and an expiry, renewed every
`RENEW_SECONDS`; a second scheduler polls and takes the lease once it has expired.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.models import SchedulerLease
from extensions import db

log = logging.getLogger(__name__)

ADVISORY_KEY = 72_2013  # any constant shared by every scheduler of this application
LEASE_SECONDS = float(os.environ.get("SCHEDULER_LEASE_SECONDS", 60))
RENEW_SECONDS = LEASE_SECONDS / 3


class Lease:
    """Acquire with `acquire()` (blocks until this process is the active scheduler), keep
    with `keep_alive()` (a background thread on SQLite), give back with `release()`."""

    def __init__(self, app, name: str = "scheduler"):
        self.app = app
        self.name = name
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._connection = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- PostgreSQL ---------------------------------------------------------------------
    def _acquire_pg(self, poll: float) -> None:
        engine = db.engine
        self._connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        while not self._stop.is_set():
            got = self._connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                           {"k": ADVISORY_KEY}).scalar()
            if got:
                return
            log.info("another scheduler is active; waiting")
            self._stop.wait(poll)

    # ---- SQLite -------------------------------------------------------------------------
    def _try_sqlite(self) -> bool:
        # Wall-clock seconds, not the application clock: a lease is about processes, and the
        # demo's pinned date must not freeze it.
        now = time.time()
        lease = db.session.get(SchedulerLease, self.name)
        if lease is None:
            try:
                db.session.add(SchedulerLease(name=self.name, owner=self.owner,
                                              expires_at=now + LEASE_SECONDS))
                db.session.commit()
                return True
            except IntegrityError:
                db.session.rollback()
                return False
        taken = db.session.execute(
            text("UPDATE scheduler_leases SET owner = :me, expires_at = :exp "
                 "WHERE name = :name AND (owner = :me OR expires_at < :now)"),
            {"me": self.owner, "exp": now + LEASE_SECONDS, "name": self.name, "now": now},
        ).rowcount
        db.session.commit()
        return taken == 1

    def _acquire_sqlite(self, poll: float) -> None:
        while not self._stop.is_set():
            if self._try_sqlite():
                return
            log.info("another scheduler holds the lease; waiting")
            self._stop.wait(poll)

    def acquire(self, poll: float | None = None) -> None:
        """Block until this process holds the lease."""
        poll = poll if poll is not None else min(5.0, LEASE_SECONDS / 3)
        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                self._acquire_pg(poll)
            else:
                self._acquire_sqlite(poll)
        log.info("scheduler lease held by %s", self.owner)

    def keep_alive(self) -> None:
        """On SQLite, renew the lease in a background thread; if it is lost (the process was
        suspended longer than the lease), exit so two schedulers never run together."""
        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                return

        def renew():
            while not self._stop.wait(RENEW_SECONDS):
                with self.app.app_context():
                    if not self._try_sqlite():
                        log.error("scheduler lease lost; stopping this scheduler")
                        os._exit(3)

        self._thread = threading.Thread(target=renew, name="lease-renewal", daemon=True)
        self._thread.start()

    def release(self) -> None:
        self._stop.set()
        with self.app.app_context():
            if self._connection is not None:
                try:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:k)"),
                                             {"k": ADVISORY_KEY})
                finally:
                    self._connection.close()
                    self._connection = None
            elif db.engine.dialect.name != "postgresql":
                db.session.execute(text("DELETE FROM scheduler_leases WHERE name = :n AND "
                                        "owner = :me"), {"n": self.name, "me": self.owner})
                db.session.commit()
