"""Searching cases by words on an index, not by reading every case (`core.search`).

A case's search text (`Case.search_text`: code, subject, identity number, description, site
name and domain, folded by `legal.text.fold`) is matched word by word, each word anywhere in
it (``ha noi`` finds ``Hà Nội``), on a pg_trgm GIN index on PostgreSQL and an FTS5 trigram
table on SQLite (migration ``b7c4e2d9a1f0``). The case list counts a search's matches up to
`cases.views.pages.SEARCH_COUNT_CAP` only, so a broad search costs the same however many
cases match.
"""

from __future__ import annotations

from cases.models import Case
from core import search
from core.search import MIN_INDEXED, include_object  # noqa: F401 (kept where they were)

FTS_TABLE = search.fts_table("cases")
PG_INDEX = search.pg_index("cases")


def case_words(words: str) -> list:
    """WHERE conditions: every word of `words` (folded) is in the case's search text
    (`core.search.words`)."""
    return search.words(Case, words)
