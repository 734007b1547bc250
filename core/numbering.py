"""Gap-free counters per issuer, document type and year.

The increment is one atomic ``UPDATE … RETURNING`` inside the caller's transaction, so two
concurrent requests get two distinct consecutive numbers and a rolled-back transaction gives
its number back (no gap, no reuse). The row stays locked until the transaction ends: a check
that depends on the series (numbers follow dates) runs after taking the number, so a second
document of the series waits for the first to commit and then sees it.

The agency's documents (decisions, reports) are numbered in one series per kind and year
whatever the issuer code or the symbol printed (`next_document_number`): changing the code
on the agency page never restarts a series under a symbol already printed that year
(docs/legal/documents.md#numbering).
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


AGENCY = "agency"  # the counters' issuer for the agency's own documents


def next_document_number(kind: str, year: int) -> int:
    """Reserve the next number of the agency's series `kind` ("sanction", "amend", "correct",
    "cancel", "transfer", "report") for `year`: 1, 2, … consecutive and never reused,
    independent of the issuer code and the symbol (Decree 30/2020/NĐ-CP, Appendix I, Part I,
    II.3, P: the number is the document's order among those the body issues, unique in the
    year; docs/legal/documents.md#numbering).
    Locks the series until the transaction ends; never commits."""
    return next_number(AGENCY, kind, year)


def peek_last(issuer: str, doc_type: str, year: int) -> int:
    """The last number handed out (0 when none) — for display only."""
    return db.session.scalar(
        select(DocumentCounter.last_number).where(
            DocumentCounter.issuer == issuer,
            DocumentCounter.doc_type == doc_type,
            DocumentCounter.year == year,
        )
    ) or 0
