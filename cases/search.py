"""Searching cases by words on an index, not by reading every case.

A case's search text (`Case.search_text`: code, subject, identity number, description, site
name and domain, folded by `legal.text.fold`) is matched word by word, each word anywhere in
it (``ha noi`` finds ``Hà Nội``). The index that answers it:

- PostgreSQL: a trigram GIN index (`pg_trgm`) on ``cases.search_text``, which serves
  ``LIKE '%word%'`` as it is (migration ``b7c4e2d9a1f0``);
- SQLite: an FTS5 table with the trigram tokenizer (``cases_search``, kept by triggers on
  ``cases``); the words of three characters or more find the candidates there, and the same
  ``LIKE`` as on PostgreSQL keeps the exact meaning (an FTS5 ``LIKE`` has no escape).

A word of one or two characters has no trigram: alone it is matched by reading the texts.
The case list counts a search's matches up to `cases.views.pages.SEARCH_COUNT_CAP` only,
so a broad search costs the same however many cases match.
"""

from __future__ import annotations

from sqlalchemy import column, select, table

from cases.models import Case
from extensions import db
from legal.text import fold

FTS_TABLE = "cases_search"
PG_INDEX = "ix_cases_search_trgm"
# What the migration creates beside the models (SQLite's FTS5 table and its shadow tables,
# PostgreSQL's trigram index): not in the metadata, so autogenerate and the schema check
# leave them alone (`include_object`).
INDEX_OBJECTS = frozenset({FTS_TABLE, f"{FTS_TABLE}_data", f"{FTS_TABLE}_idx",
                           f"{FTS_TABLE}_docsize", f"{FTS_TABLE}_config", PG_INDEX})
MIN_INDEXED = 3  # characters: a trigram


def include_object(_obj, name, _type, reflected, compare_to) -> bool:
    """Alembic's filter: False for the search index's own objects found in the database."""
    return not (reflected and compare_to is None and name in INDEX_OBJECTS)


def case_words(words: str) -> list:
    """WHERE conditions: every word of `words` (folded) is in the case's search text. On
    SQLite the first condition narrows to the FTS5 index's candidates."""
    terms = fold(words).split()
    conditions = [Case.search_text.contains(term, autoescape=True) for term in terms]
    indexed = [term for term in terms if len(term) >= MIN_INDEXED]
    if indexed and db.session.get_bind().dialect.name == "sqlite":
        fts = table(FTS_TABLE, column("rowid"), column("search_text"))
        conditions.insert(0, Case.id.in_(select(fts.c.rowid).where(
            *[fts.c.search_text.like(f"%{term}%") for term in indexed])))
    return conditions
