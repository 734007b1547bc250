"""Searching a table's folded search text on an index, not by reading every row.

A row's search text (a ``search_text`` column, folded by `legal.text.fold`) is matched
word by word, each word anywhere in it (``ha noi`` finds ``Hà Nội``). The tables searched
so are listed in `INDEXED`; for each, the index that answers it:

- PostgreSQL: a trigram GIN index (`pg_trgm`) on ``<table>.search_text``, named
  ``ix_<table>_search_trgm``, which serves ``LIKE '%word%'`` as it is;
- SQLite: an FTS5 table with the trigram tokenizer, ``<table>_search``, kept by triggers on
  the table; the words of three characters or more find the candidates there, and the same
  ``LIKE`` as on PostgreSQL keeps the exact meaning (an FTS5 ``LIKE`` has no escape).

The migrations create them (``b7c4e2d9a1f0`` for the cases, ``a4c9e1f3b7d2`` for the
registry and the outbox, with `sqlite_statements` and `postgresql_statements`). A word of
one or two characters has no trigram: alone it is matched by reading the texts.
"""

from __future__ import annotations

from sqlalchemy import column, select, table

from extensions import db
from legal.text import fold

INDEXED = ("cases", "sites", "notifications")  # tables whose search_text is indexed
MIN_INDEXED = 3  # characters: a trigram


def fts_table(name: str) -> str:
    """SQLite's FTS5 table for the table `name`."""
    return f"{name}_search"


def pg_index(name: str) -> str:
    """PostgreSQL's trigram index for the table `name`."""
    return f"ix_{name}_search_trgm"


# What the migrations create beside the models (SQLite's FTS5 tables and their shadow
# tables, PostgreSQL's trigram indexes): not in the metadata, so autogenerate and the schema
# check leave them alone (`include_object`).
INDEX_OBJECTS = frozenset(
    {f"{fts_table(t)}{suffix}" for t in INDEXED
     for suffix in ("", "_data", "_idx", "_docsize", "_config")}
    | {pg_index(t) for t in INDEXED})


def include_object(_obj, name, _type, reflected, compare_to) -> bool:
    """Alembic's filter: False for the search indexes' own objects found in the database."""
    return not (reflected and compare_to is None and name in INDEX_OBJECTS)


def words(model, text: str) -> list:
    """WHERE conditions: every word of `text` (folded) is in `model`'s search text (a
    model whose table is in `INDEXED`, with ``id`` and ``search_text`` columns). On SQLite
    the first condition narrows to the FTS5 index's candidates. No words: no condition."""
    terms = fold(text).split()
    conditions = [model.search_text.contains(term, autoescape=True) for term in terms]
    indexed = [term for term in terms if len(term) >= MIN_INDEXED]
    if indexed and db.session.get_bind().dialect.name == "sqlite":
        fts = table(fts_table(model.__tablename__), column("rowid"), column("search_text"))
        conditions.insert(0, model.id.in_(select(fts.c.rowid).where(
            *[fts.c.search_text.like(f"%{term}%") for term in indexed])))
    return conditions


def sqlite_statements(name: str) -> list[str]:
    """SQLite: the FTS5 trigram table of the table `name` (external content: the text stays
    in the table), the triggers that keep it, and its first filling."""
    fts = fts_table(name)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{name}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {name} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {name} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def sqlite_drop_statements(name: str) -> list[str]:
    """SQLite: what `sqlite_statements` created, dropped."""
    fts = fts_table(name)
    return [*(f"DROP TRIGGER IF EXISTS {fts}_{t}" for t in ("ai", "ad", "au")),
            f"DROP TABLE IF EXISTS {fts}"]


def postgresql_statements(name: str) -> list[str]:
    """PostgreSQL: the trigram GIN index of the table `name` (pg_trgm must exist)."""
    return [f"CREATE INDEX IF NOT EXISTS {pg_index(name)} ON {name} "
            f"USING gin (search_text gin_trgm_ops)"]
