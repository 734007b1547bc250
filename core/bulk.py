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

import json
from collections.abc import Iterable, Sequence

from psycopg import errors, sql
from sqlalchemy import (
    ARRAY,
    Column,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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
    _require_python_defaults(table, names)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    _copy(connection, table, table.name, names, rows)


def _require_python_defaults(table: Table, names: list[str]) -> None:
    """Raise ValueError naming the columns of `table` that have a Python-side default and
    are not among `names`: a bulk write bypasses the ORM, so nobody would fill them."""
    missing = [c.name for c in table.columns
               if c.name not in names and c.default is not None]
    if missing:
        raise ValueError(f"{table.name}: give {', '.join(missing)} (Python-side defaults)")


def _copy(connection, table: Table, target: str, names: list[str], rows: list[dict]) -> None:
    """COPY `rows` (their `names` columns, converted by `table`'s column types) into the
    table named `target` (`table` itself or a temporary copy of it)."""
    _copy_tuples(connection, table, target, names, ([row[n] for n in names] for row in rows))


def _copy_tuples(connection, table: Table, target: str, names: list[str],
                 rows: Iterable[Sequence], binary: bool = False) -> None:
    """COPY `rows` (sequences of the `names` columns' values, in that order) into the table
    named `target`, each value converted by `table`'s column type first (as an INSERT
    would). `rows` may be a generator: the server writes the rows while the next ones are
    made. `binary`: in COPY's binary format, the columns' types read from the catalogue
    (the server then parses no text: a fifth less of its work for e-mails' bodies), unless
    a column is JSON (its converted value is already text)."""
    generation.mark_written(connection)  # COPY goes past the statement events
    convert = [(i, fn) for i, fn in enumerate(
        table.c[name].type._cached_bind_processor(connection.dialect) for name in names)
        if fn is not None]
    driver = connection.connection.driver_connection
    types = _column_types(driver, target, names) if binary else None
    if types and any(t in ("json", "jsonb") for t in types):
        types = None
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(target), sql.SQL(", ").join(sql.Identifier(n) for n in names),
        sql.SQL(" (FORMAT BINARY)" if types else ""))
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            if convert:
                row = list(row)
                for i, fn in convert:
                    row[i] = fn(row[i])
            copy.write_row(row)


def _column_types(driver, target: str, names: list[str]) -> list[str]:
    """The PostgreSQL type names (``int4``, ``text``, ``timestamptz``…) of the columns
    `names` of the table `target`, in that order."""
    with driver.cursor() as cursor:
        found = dict(cursor.execute(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t "
            "ON t.oid = a.atttypid WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
            "AND NOT a.attisdropped", [sql.Identifier(target).as_string(driver)]).fetchall())
    return [found[n] for n in names]


def _staged(connection, table: Table, names: list[str], rows: list[dict]) -> str:
    """A temporary table shaped like `table`'s `names` columns (dropped at commit), filled
    with `rows` by COPY: the source of one INSERT … SELECT or UPDATE … FROM."""
    stage = f"stage_{table.name}"
    connection.exec_driver_sql(f'DROP TABLE IF EXISTS pg_temp."{stage}"')  # other columns
    connection.exec_driver_sql(
        f'CREATE TEMPORARY TABLE "{stage}" ON COMMIT DROP AS '
        f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{table.name}" '
        f'WITH NO DATA')
    _copy(connection, table, stage, names, rows)
    return stage


def insert_ignoring(table: Table, rows: list[dict], unique: list[str]) -> int:
    """Insert the rows of `rows` whose `unique` columns are not taken yet (INSERT … ON
    CONFLICT DO NOTHING: a concurrent writer's row wins silently); returns the number
    inserted. PostgreSQL: the rows are copied (COPY) into a temporary table, then one
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``; SQLite: one executemany. Columns with a
    Python-side default must be given (ValueError otherwise, as `insert_rows`)."""
    if not rows:
        return 0
    names = list(rows[0])
    _require_python_defaults(table, names)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        result = connection.execute(
            sqlite_insert(table).on_conflict_do_nothing(index_elements=unique), rows,
            execution_options={"preserve_rowcount": True})
        return result.rowcount
    stage = _staged(connection, table, names, rows)
    columns = ", ".join(f'"{n}"' for n in names)
    return connection.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM "{stage}" '
        f'ON CONFLICT ({", ".join(unique)}) DO NOTHING').rowcount


def taken(column: Column, values: Sequence) -> set:
    """Those of `values` already in `column` (of a table with a unique index on it, or the
    query reads the whole table), in one query: on PostgreSQL the values go as one array
    parameter (``= ANY(:values)``), on SQLite as one JSON parameter (``json_each``) — not
    tens of thousands of ``IN (…)`` placeholders."""
    if not values:
        return set()
    if db.session.get_bind().dialect.name == "postgresql":
        wanted = column == any_(literal(list(values), ARRAY(column.type)))
    else:
        listed = func.json_each(literal(json.dumps(list(values)))).table_valued("value")
        wanted = column.in_(select(listed.c.value))
    return set(db.session.scalars(select(column).where(wanted)))


def insert_new(table: Table, names: list[str], rows: Iterable[Sequence],
               unique: list[str]) -> int:
    """Insert `rows` (sequences of the `names` columns' values, in that order; a generator
    is welcome) into `table`, skipping those whose `unique` columns are taken, as
    `insert_ignoring` does; returns the number inserted. Columns with a Python-side default
    must be among `names` (ValueError otherwise).

    PostgreSQL: COPY straight into `table` inside a savepoint, the rows made while the
    server writes the previous ones — the fast path, when the caller has left out the rows
    already there (`taken`). If a row's key is taken all the same (a concurrent writer's
    row, committed or not: the COPY first waits for that writer's transaction), the COPY
    fails on the unique index (or, two writers waiting on each other's keys, one of them
    on a deadlock), the savepoint is rolled back and the same rows go through
    `insert_ignoring`: the other writer's row wins, as with ON CONFLICT DO NOTHING. No lock
    is taken. SQLite: one executemany of ``INSERT … ON CONFLICT DO NOTHING``."""
    _require_python_defaults(table, names)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return insert_ignoring(table, [dict(zip(names, row, strict=True)) for row in rows],
                               unique)
    made: list[Sequence] = []

    def kept(rows):
        for row in rows:
            made.append(row)
            yield row

    rows = iter(rows)
    savepoint = connection.begin_nested()
    try:
        _copy_tuples(connection, table, table.name, names, kept(rows), binary=True)
    except (errors.UniqueViolation, errors.DeadlockDetected):
        savepoint.rollback()
        return insert_ignoring(table, [dict(zip(names, row, strict=True))
                                       for row in [*made, *rows]], unique)
    savepoint.commit()
    return len(made)


def update_rows(table: Table, rows: list[dict], key: str = "id") -> None:
    """Set, in each row of `table` whose `key` column equals a row's `key`, the other
    columns of that row (dicts with the same keys, `key` among them). PostgreSQL: COPY into
    a temporary table and one ``UPDATE … FROM``; SQLite: one executemany."""
    if not rows:
        return
    names = list(rows[0])
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(
            update(table).where(table.c[key] == bindparam(f"b_{key}"))
            .values({n: bindparam(f"b_{n}") for n in names if n != key}),
            [{f"b_{n}": value for n, value in row.items()} for row in rows])
        return
    stage = _staged(connection, table, names, rows)
    setting = ", ".join(f'"{n}" = s."{n}"' for n in names if n != key)
    connection.exec_driver_sql(
        f'UPDATE "{table.name}" AS t SET {setting} FROM "{stage}" AS s '
        f'WHERE t."{key}" = s."{key}"')
