"""The violator's explanation (Law 15/2012/QH13 Art. 61; docs/legal/procedure.md#right-to-explain):
a written explanation, a request for a hearing, the hearing itself (its own record, form
MBB03 from 2022) or a written waiver."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db


class ExplanationKind(Choice):
    """What the inspector records about the right to explain."""

    written = "written", _l("Written explanation")
    hearing_request = "hearing_request", _l("Request for a hearing")
    hearing = "hearing", _l("Explanation hearing held")
    waiver = "waiver", _l("Written waiver of the right to explain")


# Kinds that mean the violator used the right (the 2020 text gives the longer time limit to
# decide only then: Law Art. 66(1) as amended).
EXPLAINED = frozenset({ExplanationKind.written, ExplanationKind.hearing_request,
                       ExplanationKind.hearing})


class Explanation(db.Model):
    """One act of the violator's explanation. `received_on` is the day the document was
    received (written explanation, hearing request, waiver) or the hearing was held. A file
    (the letter, the signed waiver) is kept as the case's evidence (`evidence_id`). A hearing
    has its record: number, place, who took part, what the violator said, and its PDF frozen
    when made."""

    __tablename__ = "explanations"
    __table_args__ = (check_in("kind", ExplanationKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)  # summary, or the violator's words
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    # the hearing's record (kind == hearing)
    number: Mapped[str | None] = mapped_column(String(50))  # "01/BB-GTTT", as printed
    place: Mapped[str | None] = mapped_column(String(300))
    participants: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", back_populates="explanations")
    evidence = relationship("Evidence")
    recorded_by = relationship("User")
