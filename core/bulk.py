"""Writing thousands of rows in one transaction without the ORM's unit of work.

An import of 10 000 registry entries writes 40 000 rows (the sites, their status lines,
their audit events, their deadlines). Through the ORM each row is an object to track, and
SQLAlchemy sends them as large multi-row ``INSERT … VALUES … RETURNING`` statements to get
their ids back, which psycopg parses on the client: 10 s on PostgreSQL for the lot
(BENCHMARKS.md, "Registry import"). Here the ids are taken first and the rows go out as the
PostgreSQL's COPY (psycopg's ``cursor.copy``); on SQLite as the driver's executemany of
one short ``INSERT`` with no RETURNING (its module loops in C).

Taking the ids first, by dialect:

- PostgreSQL: ``nextval`` of the column's sequence, N at once (``generate_series``); the
  values are this transaction's alone, whatever other writers do.
- SQLite: the next ``max(id) + 1`` onwards, which is what SQLite itself would give (the
  tables are not AUTOINCREMENT). The caller must already hold SQLite's write lock — it has
  written in this transaction (the audit head's lock does), or began it with
  ``BEGIN IMMEDIATE`` as the application's writing requests do (`app._sqlite_begin`) — so
  no other writer can take the same ids before the rows are in.

The rows bypass the ORM: no object is in the session afterwards, mapper events do not run
(a `core.audit.Sealed` model's seal, `core.collation.keep_sort_key`'s keys): the caller
computes those columns itself. Column defaults of the table (Python or server side) apply.
"""

from __future__ import annotations

from psycopg import sql
from sqlalchemy import Table, func, insert, select, text

from core import generation
from extensions import db


def take_ids(table: Table, count: int) -> list[int]:
    """`count` new primary-key values for `table` (integer column ``id``), ascending, never
    given to anyone else (see the module docstring for the lock SQLite needs). Flushes the
    session first, so that pending ORM rows have theirs already."""
    if count <= 0:
        return []
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :n)"),
            {"table": table.name, "n": count}).all()
        return sorted(ids)
    last = db.session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(last + 1, last + 1 + count))


def insert_rows(table: Table, rows: list[dict]) -> None:
    """Insert every row of `rows` (dicts with the same keys, column names) into `table`:
    on PostgreSQL by COPY (psycopg's ``cursor.copy``, the values converted by the columns'
    own types first, as an INSERT would), elsewhere by one executemany of a single INSERT
    without RETURNING. A column a row leaves out takes its server default (or NULL);
    a column with a Python-side default must be given — raises ValueError naming it.
    Raises what the database raises (IntegrityError for a duplicate key)."""
    if not rows:
        return
    names = list(rows[0])
    missing = [c.name for c in table.columns
               if c.name not in names and c.default is not None]
    if missing:
        raise ValueError(f"{table.name}: give {', '.join(missing)} (Python-side defaults)")
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    generation.mark_written(connection)  # COPY goes past the statement events
    columns = [table.c[name] for name in names]
    convert = [c.type._cached_bind_processor(connection.dialect) for c in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([value if fn is None else fn(value)
                            for fn, value in zip(convert, (row[n] for n in names),
                                                 strict=True)])
