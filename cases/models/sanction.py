"""The violation record (biên bản), the violations it lists and the sanction decision."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from sqlalchemy.sql.expression import false as sa_false

from cases.models.enforcement import DeliveryMethod
from core.audit import Sealed
from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.numbering import document_number


class SanctionKind(Choice):
    """Main sanctions (Law 15/2012/QH13 Art. 21): warning or fine."""

    fine = "fine", _l("Fine")
    warning = "warning", _l("Warning")


class DecisionKind(Choice):
    """The sanction decision (MQĐ02), the decisions amending, correcting or cancelling one
    (MQĐ38–40) and the decision transferring a case."""

    sanction = "sanction", _l("Sanction decision")
    amend = "amend", _l("Decision amending")
    correct = "correct", _l("Decision correcting")
    cancel = "cancel", _l("Decision cancelling")
    transfer = "transfer", _l("Decision transferring the case")


class TransferTarget(Choice):
    """Where a transferred case goes (docs/legal/time-limits.md#transfer-to-criminal-proceedings;
    docs/legal/competence.md#above-competence)."""

    criminal = "criminal", _l("Criminal proceedings (signs of a crime)")
    competent = "competent", _l("The competent official (above our competence)")


class DecisionStatus(Choice):
    issued = "issued", _l("Issued")
    voided = "voided", _l("Voided (issued by mistake)")
    cancelled = "cancelled", _l("Cancelled")


class SignatureAbsence(Choice):
    """Whether the violator signed the record, and why not (Law 15/2012/QH13 Art. 58(2):
    witnesses or the commune authority's representative sign instead)."""

    signed = "signed", _l("The violator signed")
    absent = "absent", _l("The violator was absent")
    refused = "refused", _l("The violator refused to sign")


class ViolationRecord(Sealed, db.Model):
    """Biên bản vi phạm hành chính (form MBB01): one per case, with every content of the
    form of its period (docs/legal/documents.md#violation-record)."""

    __tablename__ = "violation_records"
    __table_args__ = (check_in("violator_signature", SignatureAbsence),)
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("case_id", "number", "made_on", "made_by_id", "sha256")

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    number: Mapped[str] = mapped_column(String(50))
    made_on: Mapped[date]
    made_time: Mapped[time | None]  # the hour and minute it was made (Vietnam time)
    place: Mapped[str] = mapped_column(String(300))
    # why it was made elsewhere than the place of the violation (the 2022 form asks)
    place_reason: Mapped[str | None] = mapped_column(Text)
    violation_time: Mapped[str | None] = mapped_column(String(300))  # as the record says it
    violation_place: Mapped[str | None] = mapped_column(String(500))
    violator_signature: Mapped[str] = mapped_column(String(10), default=SignatureAbsence.signed,
                                                    server_default="signed")
    witnesses: Mapped[str | None] = mapped_column(Text)  # one per line: name, address, ID
    signature_reason: Mapped[str | None] = mapped_column(Text)
    preventive_measures: Mapped[str | None] = mapped_column(Text)
    copies: Mapped[int] = mapped_column(default=2, server_default="2")
    made_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    violator_statement: Mapped[str | None] = mapped_column(Text)
    explanation_requested: Mapped[bool] = mapped_column(default=False)
    # The violator's right to explain (Law 15/2012/QH13 Art. 61(1)), decided when the record
    # is made (legal.procedure.explanation_right) and printed on it with the reason.
    explanation_right: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    explanation_reason: Mapped[str | None] = mapped_column(Text)
    # The head's written extension of the time limit to decide (Law 15/2012/QH13 Art. 66(1)):
    # when, by whom it was recorded, on what grounds, and the extension letter's reference.
    decision_extended_on: Mapped[date | None]
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_document: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Frozen when made, like a decision: the record the violator signed never changes.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))

    case = relationship("Case", back_populates="record")
    made_by = relationship("User", foreign_keys=[made_by_id])
    extended_by = relationship("User", foreign_keys=[extended_by_id])


class Violation(Sealed, db.Model):
    """One act of the case, under one catalogue clause, with its proposed sanction."""

    __tablename__ = "violations"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("case_id", "clause_id", "clause_version", "sanction_kind", "fine_amount",
                  "mitigating", "aggravating")
    __table_args__ = (
        ForeignKeyConstraint(["clause_id", "clause_version"],
                             ["legal_clauses.id", "legal_clauses.version"],
                             name="fk_violations_clause_version"),
        check_in("sanction_kind", SanctionKind),
        CheckConstraint("fine_amount IS NULL OR fine_amount >= 0", name="fine_not_negative"),
        CheckConstraint("mitigating >= 0 AND aggravating >= 0", name="circumstances_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The catalogue entry (point level) and the version of its text applied: the one in force
    # on the violation date, or a lighter later one (docs/legal/catalogue.md#versions).
    clause_id: Mapped[str] = mapped_column(String(80))
    clause_version: Mapped[int] = mapped_column(server_default="1")
    description: Mapped[str] = mapped_column(Text)
    circumstances: Mapped[str | None] = mapped_column(Text)
    mitigating: Mapped[int] = mapped_column(default=0)  # number of mitigating circumstances
    aggravating: Mapped[int] = mapped_column(default=0)
    # the circumstances named (legal.circumstances codes: "9.2", "10.1.b"); when chosen, the
    # numbers above are their counts (earlier rows have numbers only)
    mitigating_codes: Mapped[list | None] = mapped_column(JSON)
    aggravating_codes: Mapped[list | None] = mapped_column(JSON)
    sanction_kind: Mapped[str] = mapped_column(String(10), default=SanctionKind.fine)
    fine_amount: Mapped[int | None]  # integer VND; None for a warning
    additional_sanctions: Mapped[str | None] = mapped_column(Text)
    remedial_measures: Mapped[str | None] = mapped_column(Text)

    case = relationship("Case", back_populates="violations")
    clause = relationship("LegalClause")


DECISION_KINDS = ("sanction", "amend", "correct", "cancel", "transfer")


class Decision(Sealed, db.Model):
    """An issued decision. Frozen once issued: its PDF bytes and SHA-256 are stored and
    served unchanged; corrections are new linked decisions (amend MQĐ38, correct MQĐ39,
    cancel MQĐ40), never edits. A number issued by mistake is voided with a reason and
    never reused.

    kind: sanction (MQĐ02), amend / correct / cancel (linked by `amends_id`), transfer
    (MQĐ33 to criminal proceedings, or to the competent official).
    status: issued, voided (a mistake, the number stays used), cancelled (by a cancel
    decision)."""

    __tablename__ = "decisions"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("case_id", "kind", "status", "amends_id", "issuer", "number", "year",
                  "symbol", "issued_on", "signer_id", "total_fine", "sha256",
                  "template_version", "delivered_on", "national_db_entered_on", "paid_on",
                  "amount_paid")
    __table_args__ = (
        UniqueConstraint("issuer", "kind", "year", "number"),
        check_in("kind", DecisionKind),
        check_in("status", DecisionStatus),
        check_in("delivery_method", DeliveryMethod, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=DecisionKind.sanction)
    status: Mapped[str] = mapped_column(String(20), default=DecisionStatus.issued)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    content: Mapped[str | None] = mapped_column(Text)  # body of amend/correct/cancel/transfer
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issuer: Mapped[str] = mapped_column(String(50))
    number: Mapped[int]
    year: Mapped[int]
    symbol: Mapped[str] = mapped_column(String(30))  # "QĐ-XPVPHC"
    issued_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    total_fine: Mapped[int]  # integer VND
    compliance_days: Mapped[int] = mapped_column(default=10)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(20))
    snapshot: Mapped[dict] = mapped_column(JSON)
    delivered_on: Mapped[date | None]  # received by the violator: compliance runs from it
    # How and when it was sent (Law 15/2012/QH13 Art. 70: the 2-working-day delivery deadline
    # closes with the date sent) and the scan of the receipt or postal proof.
    delivery_method: Mapped[str | None] = mapped_column(String(20))
    sent_on: Mapped[date | None]
    delivery_proof_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    national_db_entered_on: Mapped[date | None]
    paid_on: Mapped[date | None]
    amount_paid: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case = relationship("Case", back_populates="decisions")
    signer = relationship("User", foreign_keys=[signer_id])
    amends = relationship("Decision", remote_side=[id], backref="corrections")
    delivery_proof = relationship("Evidence")

    @property
    def full_number(self) -> str:
        """"01/QĐ-XPVPHC" — the number and symbol as printed, a leading zero below 10
        (docs/legal/documents.md#numbering)."""
        return document_number(self.number, self.symbol)
