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
from sqlalchemy import Table, bindparam, func, insert, select, text, update
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
    missing = [c.name for c in table.columns
               if c.name not in names and c.default is not None]
    if missing:
        raise ValueError(f"{table.name}: give {', '.join(missing)} (Python-side defaults)")
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    _copy(connection, table, table.name, names, rows)


def _copy(connection, table: Table, target: str, names: list[str], rows: list[dict]) -> None:
    """COPY `rows` (their `names` columns, converted by `table`'s column types) into the
    table named `target` (`table` itself or a temporary copy of it)."""
    generation.mark_written(connection)  # COPY goes past the statement events
    convert = [table.c[name].type._cached_bind_processor(connection.dialect)
               for name in names]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(target), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([value if fn is None else fn(value)
                            for fn, value in zip(convert, (row[n] for n in names),
                                                 strict=True)])


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
    missing = [c.name for c in table.columns
               if c.name not in names and c.default is not None]
    if missing:
        raise ValueError(f"{table.name}: give {', '.join(missing)} (Python-side defaults)")
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
