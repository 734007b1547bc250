"""The department's case counts, kept as the cases change (`cases.tallies`): open cases by
state, and cases detected and closed per day. The dashboard reads a handful of these rows
instead of counting the cases table, so its figures cost the same at 10 000 cases as at
100 000."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class CaseStateCount(db.Model):
    """How many cases are in `state` now (every state, open or not)."""

    __tablename__ = "case_state_counts"

    state: Mapped[str] = mapped_column(String(30), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class CaseDayCount(db.Model):
    """How many cases were detected (`Case.detected_on`) and closed (`Case.closed_on`) on
    `day` (a plain date in Vietnam, as those columns)."""

    __tablename__ = "case_day_counts"

    day: Mapped[date] = mapped_column(primary_key=True)
    detected: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
