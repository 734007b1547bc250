"""Gap-free counters per issuer, document type and year.

The increment is one atomic ``UPDATE … RETURNING`` inside the caller's transaction, so two
concurrent requests get two distinct consecutive numbers and a rolled-back transaction gives
its number back (no gap, no reuse).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.models import DocumentCounter
from extensions import db


def next_number(issuer: str, doc_type: str, year: int) -> int:
    """Reserve and return the next number (1, 2, …) for (issuer, doc_type, year).

    Must run inside the transaction that stores the numbered document. Never commits.
    """
    stmt = (
        update(DocumentCounter)
        .where(
            DocumentCounter.issuer == issuer,
            DocumentCounter.doc_type == doc_type,
            DocumentCounter.year == year,
        )
        .values(last_number=DocumentCounter.last_number + 1)
        .returning(DocumentCounter.last_number)
    )
    number = db.session.execute(stmt).scalar_one_or_none()
    if number is not None:
        return number
    try:
        with db.session.begin_nested():
            db.session.add(DocumentCounter(issuer=issuer, doc_type=doc_type, year=year,
                                           last_number=1))
        return 1
    except IntegrityError:  # another transaction created the row first
        return db.session.execute(stmt).scalar_one()


def peek_last(issuer: str, doc_type: str, year: int) -> int:
    """The last number handed out (0 when none) — for display only."""
    return db.session.scalar(
        select(DocumentCounter.last_number).where(
            DocumentCounter.issuer == issuer,
            DocumentCounter.doc_type == doc_type,
            DocumentCounter.year == year,
        )
    ) or 0
