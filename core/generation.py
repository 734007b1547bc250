"""The data generation: one number in the one-row table `data_generation`, raised in the
same transaction as every write to the database, whichever process makes it. A reader that
reads it before anything else knows that what it goes on to read is at least that new; a
value computed from those reads may be kept under that number, and is out of date as soon
as the number has moved (`web.page_cache` keeps pages so, across worker processes).

How a write is seen: every statement that changes rows (INSERT, UPDATE, DELETE, MERGE,
TRUNCATE, DDL; an UPDATE or DELETE that matched no row does not count) marks its database
connection; when that connection commits, the number is raised just before the COMMIT, on
the same connection, so it is in the same transaction. A rolled-back transaction raises
nothing. Not counted: the SQLite scheduler's lease renewals (`core.lease`, every 20 s,
shown on no page) and the raise itself.

A GET never commits (docs/architecture.md), so reading pages never moves the number.
"""

from __future__ import annotations

import os
import re
import threading
import weakref

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from extensions import db

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|ALTER|DROP|COPY)\b",
                    re.I)
_CTE_WRITE = re.compile(r"^\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.I | re.S)
_MATCHING = re.compile(r"^\s*(UPDATE|DELETE)\b", re.I)  # rowcount 0: nothing changed
# Writes no page shows: the scheduler's lease (SQLite), and the generation itself.
_IGNORED = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(scheduler_leases|'
                      r'data_generation)\b', re.I)
_FLAG = "data_written"  # in the pooled connection's info dict
_RAISE = "UPDATE data_generation SET value = value + 1 WHERE id = 1"
READ = text("SELECT value FROM data_generation WHERE id = 1")


def _after_execute(conn, cursor, statement, _parameters, _context, _executemany) -> None:
    info = conn.info
    if info.get(_FLAG):
        return
    if not (_WRITE.match(statement) or _CTE_WRITE.match(statement)):
        return
    if _IGNORED.match(statement):
        return
    if _MATCHING.match(statement) and cursor.rowcount == 0:
        return
    info[_FLAG] = True


_HAS_TABLE = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_generation'",
    "postgresql": "SELECT to_regclass('data_generation') IS NOT NULL",
}
_TABLE_SEEN = "data_generation_table"  # in the pooled connection's info dict


def _has_table(conn, cursor) -> bool:
    """The table exists (not yet while the migrations that precede it run); once seen on
    a connection it is not looked for again there."""
    if conn.info.get(_TABLE_SEEN):
        return True
    cursor.execute(_HAS_TABLE.get(conn.dialect.name, _HAS_TABLE["postgresql"]))
    row = cursor.fetchone()
    if row and row[0]:
        conn.info[_TABLE_SEEN] = True
        return True
    return False


def _before_commit(conn) -> None:
    if conn.info.pop(_FLAG, False):
        # the DBAPI cursor: in this very transaction, before its COMMIT, without going
        # through the statement events again
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            if _has_table(conn, cursor):
                cursor.execute(_RAISE)
        finally:
            cursor.close()


def _forget(conn, *_args) -> None:
    conn.info.pop(_FLAG, None)


def _checkin(_dbapi_connection, record) -> None:
    record.info.pop(_FLAG, None)


def mark_written(conn) -> None:
    """Count a write `conn` (a SQLAlchemy Connection) made past the statement events — the
    driver's COPY (`core.bulk.insert_rows`): its transaction raises the generation when it
    commits."""
    conn.info[_FLAG] = True


def install(engine: Engine) -> None:
    """Watch `engine`'s writes and raise the generation with each transaction that made
    one (idempotent)."""
    for name, fn in (("after_cursor_execute", _after_execute), ("commit", _before_commit),
                     ("rollback", _forget), ("checkin", _checkin)):
        if not event.contains(engine, name, fn):
            event.listen(engine, name, fn)


def current() -> int | None:
    """The generation now, or None when it cannot be read (the row missing, the database
    unreachable: then nothing may be kept under it).

    On PostgreSQL it is read on a connection of this process's own, in autocommit: one
    round trip, no transaction begun or ended, and what the request reads next (each of its
    statements sees what was committed when it starts) is at least as new. On SQLite it is
    the request's own session, whose snapshot starts with this read."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return db.session.execute(READ).scalar()
    held = _readers.get(engine)
    if held is None or held[0] != os.getpid():  # a forked worker opens its own
        held = _readers[engine] = (os.getpid(), threading.Lock(), [None])
    _pid, lock, conn = held
    with lock:
        for attempt in (1, 2):
            try:
                if conn[0] is None:
                    conn[0] = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                return conn[0].execute(READ).scalar()
            except DBAPIError:
                if conn[0] is not None:
                    conn[0].invalidate()
                    conn[0].close()
                conn[0] = None
                if attempt == 2:
                    return None
    return None


# engine → (pid, lock, [its connection]): the reader of each engine in this process
_readers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
