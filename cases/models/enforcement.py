"""After the decision (docs/legal/enforcement.md): the remedial measures ordered for each
violation, the obligations they become when the decision is issued, and the payments of the
fine."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, backref, deferred, mapped_column, relationship

from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.numbering import document_number


class CostBearer(Choice):
    """Who pays for carrying out a remedial measure (Law 15/2012/QH13 Art. 85: the violator;
    when the authority carries it out, the violator reimburses)."""

    violator = "violator", _l("The violator")
    authority = "authority", _l("The authority (reimbursed by the violator)")


class ObligationState(Choice):
    pending = "pending", _l("Not carried out yet")
    done = "done", _l("Done")
    enforced = "enforced", _l("Enforced")
    impossible = "impossible", _l("Impossible")


class ObligationProof(Choice):
    """What shows a measure was carried out."""

    document = "document", _l("A document")
    capture = "capture", _l("A web capture of the site")
    confirmation = "confirmation", _l("A registrar's or the Ministry's confirmation")


class DeliveryMethod(Choice):
    """How the decision reached the violator (Law 15/2012/QH13 Art. 70)."""

    in_person = "in_person", _l("Handed over in person")
    post = "post", _l("By registered post")
    electronic = "electronic", _l("Electronically")


class PaymentPlace(Choice):
    treasury = "treasury", _l("State Treasury")
    bank = "bank", _l("Bank authorised by the Treasury")
    in_person = "in_person", _l("In person to the sanctioning official")
    online = "online", _l("Online (public services portal)")


class CloseReason(Choice):
    """Why an issued decision's case closed."""

    complied = "complied", _l("Fine paid and every measure carried out")
    exempted = "exempted", _l("Fine exempted and every measure carried out")
    time_barred = "time_barred", _l("Enforcement time-barred (Art. 74)")


class SiteStatusEffect(Choice):
    """The registry status a carried-out measure gives the case's site (the codes of
    `registry.models.RegistryStatus` it may set)."""

    ceased = "ceased", _l("Site taken down (ceased)")
    revoked = "revoked", _l("Domain or licence revoked")
    suspended = "suspended", _l("Suspended")


class ViolationMeasure(db.Model):
    """A remedial measure ordered for a violation: chosen from its catalogue clause's list,
    with the days the decision gives to carry it out and who bears the cost."""

    __tablename__ = "violation_measures"
    __table_args__ = (
        check_in("cost_bearer", CostBearer),
        CheckConstraint("days > 0", name="measure_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violations.id", ondelete="CASCADE"),
                                              index=True)
    text: Mapped[str] = mapped_column(Text)
    days: Mapped[int]  # calendar days from the receipt of the decision
    cost_bearer: Mapped[str] = mapped_column(String(20), default=CostBearer.violator)

    # loaded with the violations (one query for all of them: the case page lists them)
    violation = relationship("Violation", backref=backref("measures", lazy="selectin",
                                                          order_by="ViolationMeasure.id"))


class Obligation(db.Model):
    """A remedial measure of an issued decision, to be carried out by `due_on` (counted from
    the decision's receipt): pending, done (with its proof), enforced, or impossible (with
    the reason)."""

    __tablename__ = "obligations"
    __table_args__ = (
        check_in("state", ObligationState),
        check_in("cost_bearer", CostBearer),
        check_in("proof", ObligationProof, nullable=True),
        check_in("site_status", SiteStatusEffect, nullable=True),
        CheckConstraint("state != 'impossible' OR reason IS NOT NULL", name="impossible_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    days: Mapped[int]  # 0 for a measure recorded before tracking (no time limit known)
    cost_bearer: Mapped[str] = mapped_column(String(20), default=CostBearer.violator)
    responsible: Mapped[str] = mapped_column(String(300))
    # a measure written as free text on a decision issued before measures were tracked
    # (docs/legal/enforcement.md#measures-recorded-before-tracking): no time limit, never
    # overdue; someone records it done, enforced or impossible
    before_tracking: Mapped[bool] = mapped_column(default=False, server_default=false())
    due_on: Mapped[date | None]  # None until the decision is received
    state: Mapped[str] = mapped_column(String(20), default=ObligationState.pending)
    done_on: Mapped[date | None]
    proof: Mapped[str | None] = mapped_column(String(20))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("web_captures.id"))
    confirmation: Mapped[str | None] = mapped_column(Text)  # who confirmed, letter reference
    reason: Mapped[str | None] = mapped_column(Text)  # why impossible
    site_status: Mapped[str | None] = mapped_column(String(20))  # the registry change it made
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case = relationship("Case", backref="obligations")
    decision = relationship("Decision")
    evidence = relationship("Evidence")
    capture = relationship("WebCapture")

    @property
    def settled(self) -> bool:
        """Done or enforced: nothing left to do."""
        return self.state in (ObligationState.done, ObligationState.enforced)

    def overdue(self, today: date) -> bool:
        return (self.state == ObligationState.pending and self.due_on is not None
                and today > self.due_on)


class Payment(db.Model):
    """One payment of a fine (integer VND), with its receipt and where it was paid."""

    __tablename__ = "payments"
    __table_args__ = (
        check_in("place", PaymentPlace),
        CheckConstraint("amount > 0", name="payment_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[int]  # VND
    receipt_number: Mapped[str | None] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(20), default=PaymentPlace.treasury)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    decision = relationship("Decision", backref="payments")


class StatementOutcome(Choice):
    """What the preview of a Treasury or bank statement found for one row."""

    matched = "matched", _l("Matched")
    overpaid = "overpaid", _l("Matched, more than the balance")
    unmatched = "unmatched", _l("No decision with this number")
    duplicate = "duplicate", _l("Receipt already recorded")
    refused = "refused", _l("Cannot be recorded")


class StatementBatch(db.Model):
    """An uploaded statement (one row per payment), previewed and waiting for the user's
    confirmation: no payment is recorded until then, and then all in one transaction."""

    __tablename__ = "statement_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[list] = mapped_column(JSON)  # [{line, outcome, message, decision_id, …}]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ComplaintOutcome(Choice):
    """How a complaint against the decision was settled (Law on Complaints 2011 Art. 31:
    the decision kept, amended or corrected, or cancelled)."""

    pending = "pending", _l("Being settled")
    upheld = "upheld", _l("Decision upheld")
    amend = "amend", _l("Decision amended")
    correct = "correct", _l("Decision corrected")
    cancel = "cancel", _l("Decision cancelled")
    withdrawn = "withdrawn", _l("Complaint withdrawn")


class Complaint(db.Model):
    """A complaint against the sanction decision (first or second), the time to settle it
    from its acceptance, its outcome (a correction decision through the correction flow),
    and a lawsuit at court with its outcome."""

    __tablename__ = "complaints"
    __table_args__ = (
        check_in("outcome", ComplaintOutcome),
        CheckConstraint("round IN (1, 2)", name="round_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)  # first or second complaint
    complainant: Mapped[str] = mapped_column(String(300))
    received_on: Mapped[date]
    accepted_on: Mapped[date]  # thụ lý: the time to settle runs from it
    settler: Mapped[str] = mapped_column(String(300))  # who settles it
    complex_case: Mapped[bool] = mapped_column(default=False)
    remote: Mapped[bool] = mapped_column(default=False)
    days: Mapped[int]
    due_on: Mapped[date]
    suspended: Mapped[bool] = mapped_column(default=False)  # enforcement suspended (Art. 15)
    summary: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20), default=ComplaintOutcome.pending)
    outcome_on: Mapped[date | None]
    outcome_note: Mapped[str | None] = mapped_column(Text)
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    court: Mapped[str | None] = mapped_column(String(300))
    lawsuit_filed_on: Mapped[date | None]
    lawsuit_outcome: Mapped[str | None] = mapped_column(Text)
    lawsuit_outcome_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", backref=backref("complaints", order_by="Complaint.id"))
    decision = relationship("Decision", foreign_keys=[decision_id])
    correction = relationship("Decision", foreign_keys=[correction_id])


class PlanState(Choice):
    requested = "requested", _l("Requested")
    granted = "granted", _l("Granted")
    refused = "refused", _l("Refused")


class InstalmentPlan(db.Model):
    """The violator's request to pay the fine in instalments (Law 15/2012/QH13 Art. 79), its
    grounds and the economic hardship's confirmation, the schedule asked for
    ([{"due_on": ISO date, "amount": VND}]), and the decision on it."""

    __tablename__ = "instalment_plans"
    __table_args__ = (check_in("state", PlanState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    requested_on: Mapped[date]
    grounds: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(300))  # who confirmed the hardship
    schedule: Mapped[list] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default=PlanState.requested)
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", backref=backref("instalment_plans", order_by="InstalmentPlan.id"))

    @property
    def tranches(self) -> list[tuple[date, int]]:
        """[(due date, VND)] in date order."""
        return sorted((date.fromisoformat(t["due_on"]), int(t["amount"])) for t in self.schedule)


class ReliefKind(Choice):
    """What the violator asks for after the decision (Law 15/2012/QH13 Art. 76, 77)."""

    postponement = "postponement", _l("Postponement of the fine")
    reduction = "reduction", _l("Reduction of the rest of the fine")
    exemption = "exemption", _l("Exemption from the rest of the fine")


class HardshipCause(Choice):
    """The causes of economic hardship Art. 76(1) and 77 name (words in
    legal/data/enforcement.yaml)."""

    disaster = "disaster", _l("Natural disaster")
    catastrophe = "catastrophe", _l("Catastrophe")
    fire = "fire", _l("Fire")
    epidemic = "epidemic", _l("Epidemic")
    illness = "illness", _l("Serious illness")
    accident = "accident", _l("Accident")


class FineRelief(db.Model):
    """The violator's request to postpone the fine (Art. 76) or to reduce or exempt its rest
    (Art. 77): its date received, grounds, the cause of hardship and who confirmed it, the
    supporting document (evidence of the case), what is asked (months of postponement, VND
    of reduction; an exemption asks for the whole rest), the day a reduction request was
    forwarded to the direct superior, and the decision on it: granted (`until`, the last day
    of a postponement; `amount`, the VND reduced or exempted) or refused with the reason."""

    __tablename__ = "fine_reliefs"
    __table_args__ = (check_in("kind", ReliefKind), check_in("state", PlanState),
                      check_in("cause", HardshipCause))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    requested_on: Mapped[date]
    grounds: Mapped[str] = mapped_column(Text)
    cause: Mapped[str] = mapped_column(String(20))
    confirmed_by: Mapped[str | None] = mapped_column(String(300))
    medical_confirmed_by: Mapped[str | None] = mapped_column(String(300))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    months: Mapped[int | None]  # postponement asked for
    amount_asked: Mapped[int | None]  # VND, reduction asked for
    forwarded_on: Mapped[date | None]  # reduction: sent to the direct superior
    state: Mapped[str] = mapped_column(String(20), default=PlanState.requested)
    decided_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    until: Mapped[date | None]  # postponement granted: last day to pay
    amount: Mapped[int | None]  # VND reduced or exempted
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", backref=backref("reliefs", order_by="FineRelief.id"))
    decision = relationship("Decision", backref=backref("reliefs", order_by="FineRelief.id"))
    evidence = relationship("Evidence")
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class CoercionMethod(Choice):
    """Law 15/2012/QH13 Art. 86(1) (the words in legal/data/enforcement.yaml)."""

    salary = "salary", _l("Deduction from salary or income")
    account = "account", _l("Deduction from a bank account")
    distraint = "distraint", _l("Distraint of property for auction")
    third_party = "third_party", _l("Collection of money or property held by others")
    remedial = "remedial", _l("Remedial measures carried out by force")


class CoercionState(Choice):
    proposed = "proposed", _l("Proposed")
    issued = "issued", _l("Issued")


class CoercionDecision(db.Model):
    """A decision enforcing the sanction decision by coercion: drafted from the case and
    proposed by one official, signed by a supervisor who did not propose it, numbered in its
    own series, frozen (PDF, SHA-256, the data used) and delivered like the sanction
    decision."""

    __tablename__ = "coercion_decisions"
    __table_args__ = (
        check_in("method", CoercionMethod),
        check_in("state", CoercionState),
        UniqueConstraint("issuer", "year", "number", name="coercion_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text)  # the account, employer, property…
    fine_due: Mapped[int]  # VND unpaid when proposed
    surcharge: Mapped[int]  # VND late-payment surcharge to the day proposed
    state: Mapped[str] = mapped_column(String(20), default=CoercionState.proposed)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_on: Mapped[date]
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issuer: Mapped[str | None] = mapped_column(String(50))
    number: Mapped[int | None]
    year: Mapped[int | None]
    symbol: Mapped[str | None] = mapped_column(String(30))
    issued_on: Mapped[date | None]
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    sent_on: Mapped[date | None]
    delivered_on: Mapped[date | None]

    case = relationship("Case", backref=backref("coercions", order_by="CoercionDecision.id"))
    proposer = relationship("User", foreign_keys=[proposer_id])

    @property
    def full_number(self) -> str:
        return document_number(self.number, self.symbol) if self.number else ""
