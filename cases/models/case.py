"""The case (vụ việc) and its evidence."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auth.permissions import has_permission
from cases.models.enforcement import CloseReason
from cases.models.sanction import DecisionKind, DecisionStatus
from catalogue.models import SubjectKind
from core.audit import Sealed
from core.collation import keep_sort_key
from core.enums import Choice, check_in
from core.types import UTCDateTime
from deadlines.models import Deadline
from extensions import db
from legal.text import fold


class CaseState(Choice):
    """The lifecycle (docs/architecture.md#case-lifecycle)."""

    detected = "detected", _l("Detected")
    verifying = "verifying", _l("Verifying")
    record_made = "record_made", _l("Violation record made")
    sanction_proposed = "sanction_proposed", _l("Sanction proposed")
    approved = "approved", _l("Approved")
    decision_issued = "decision_issued", _l("Decision issued")
    delivered = "delivered", _l("Decision delivered")
    complied = "complied", _l("Complied")
    enforcement = "enforcement", _l("Enforcement")
    closed = "closed", _l("Closed")
    dismissed = "dismissed", _l("Dismissed")
    transferred = "transferred", _l("Transferred")


OPEN_STATES = frozenset(CaseState) - {CaseState.closed, CaseState.dismissed, CaseState.transferred}
# States in which the violations and the subject may still be edited: once the violation
# record is made it states them; only the proposed sanction may still change.
EDITABLE_STATES = frozenset({CaseState.detected, CaseState.verifying})
SANCTION_EDITABLE_STATES = frozenset({CaseState.detected, CaseState.verifying,
                                      CaseState.record_made})


class Gender(Choice):
    """The individual's gender, printed on the record and the decision from the 2017 forms
    (docs/legal/documents.md#forms)."""

    male = "male", _l("Male")
    female = "female", _l("Female")


class DetectionMethod(Choice):
    monitoring = "monitoring", _l("Monitoring")
    complaint = "complaint", _l("Complaint")
    ministry_referral = "ministry_referral", _l("Ministry referral")
    police_referral = "police_referral", _l("Police referral")
    campaign = "campaign", _l("Inspection campaign")


class CaseAction(Choice):
    """What a user may do to a case now: `Case.available_actions(user)` is the one answer,
    used by the views (403 before any input is read), the operations (`require`) and the
    case page (which panels and buttons it shows)."""

    verify = "verify"  # start verification
    add_evidence = "add_evidence"
    capture = "capture"  # ask for a capture of a web page (docs/evidence.md)
    watch = "watch"  # watch a page, stop a watch, mark its notices seen
    coordinate = "coordinate"  # request coordination, record a response
    edit = "edit"  # correct the case, add or remove violations (before the record)
    edit_sanction = "edit_sanction"  # change a violation's proposed sanction
    make_record = "make_record"
    extend = "extend"  # record the head's extension of the time limit to decide
    explain = "explain"  # record the violator's explanation, hearing or waiver
    propose = "propose"
    approve = "approve"  # approve or return the proposal
    issue = "issue"
    deliver = "deliver"
    pay = "pay"  # record a payment of the fine
    measure = "measure"  # record how a remedial measure of the decision was carried out
    close = "close"  # close the case when enforcement is time-barred (Art. 74)
    complaint = "complaint"  # record a complaint or a lawsuit against the decision, settle it
    dismiss = "dismiss"
    transfer = "transfer"
    correct = "correct"  # amend, correct or cancel the decision in force
    void = "void"  # void the number of a decision issued by mistake
    national_db = "national_db"  # record the decision's entry into the national database
    reopen = "reopen"  # reopen a closed case (a supervisor, with a reason)


class EvidenceKind(Choice):
    file = "file"
    url = "url"


PROPOSED = "state = 'sanction_proposed'"  # the rows of the partial index ix_cases_proposals


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        check_in("state", CaseState),
        check_in("subject_kind", SubjectKind),
        check_in("detection_method", DetectionMethod, name="detection_valid"),
        check_in("closed_reason", CloseReason, nullable=True),
        check_in("subject_gender", Gender),
        # open cases by state and their deadlines: answered from the index alone
        Index("ix_cases_state_id", "state", "id"),
        # the dashboard: proposals awaiting approval counted and ordered from the index
        # alone; a case's state read with its id (deadlines of open cases)
        Index("ix_cases_proposals", "proposed_at", "id", "supervisor_id",
              postgresql_where=text(PROPOSED), sqlite_where=text(PROPOSED)),
        Index("ix_cases_id_state", "id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # VV-2014-0007
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    # The subject (violator): individual or organisation with identity fields.
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_name: Mapped[str] = mapped_column(String(300))
    # Vietnamese alphabetical order of subject_name (core.collation), kept when it is set
    subject_key: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    subject_id_number: Mapped[str | None] = mapped_column(String(50))  # CCCD / tax number
    subject_id_issued_on: Mapped[date | None]
    subject_id_issued_by: Mapped[str | None] = mapped_column(String(200))
    subject_birth_date: Mapped[date | None]
    subject_nationality: Mapped[str | None] = mapped_column(String(100))
    subject_occupation: Mapped[str | None] = mapped_column(String(200))
    subject_gender: Mapped[str | None] = mapped_column(String(10))  # individuals
    subject_address: Mapped[str | None] = mapped_column(String(500))
    subject_representative: Mapped[str | None] = mapped_column(String(200))
    subject_representative_title: Mapped[str | None] = mapped_column(String(200))
    detection_method: Mapped[str] = mapped_column(String(30))
    # The check of an inspection campaign the case was opened from (inspections, which
    # sits above cases: named by its table, its relationship declared there)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_checks.id"),
                                                 index=True)
    # active_history: the old value is read before a change, for the kept counts
    # (cases.tallies)
    detected_on: Mapped[date] = mapped_column(index=True, active_history=True)
    violation_ended_on: Mapped[date | None]  # None: the violation is ongoing
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(30), default=CaseState.detected,
                                       active_history=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(Text)
    outcome_note: Mapped[str | None] = mapped_column(Text)  # dismissal / transfer reason
    closed_on: Mapped[date | None] = mapped_column(index=True, active_history=True)
    # why a decided case closed (cases.models.enforcement.CloseReason) and the grounds written
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    closing_grounds: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # list order
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)  # dashboard
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    site = relationship("Site", backref="cases")
    inspector = relationship("User", foreign_keys=[inspector_id])
    supervisor = relationship("User", foreign_keys=[supervisor_id])
    proposer = relationship("User", foreign_keys=[proposer_id])
    approver = relationship("User", foreign_keys=[approver_id])
    evidence = relationship("Evidence", back_populates="case", order_by="Evidence.id")
    violations = relationship("Violation", back_populates="case", order_by="Violation.id",
                              cascade="all, delete-orphan")
    coordination_requests = relationship("CoordinationRequest", back_populates="case",
                                         order_by="CoordinationRequest.id")
    record = relationship("ViolationRecord", back_populates="case", uselist=False)
    decisions = relationship("Decision", back_populates="case", order_by="Decision.id")
    explanations = relationship("Explanation", back_populates="case",
                                order_by="(Explanation.received_on, Explanation.id)")
    deadlines = relationship(Deadline, back_populates="case", order_by=Deadline.due_on)

    # ---- derived facts -------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def violation_date(self) -> date:
        """The date that decides which sanction clause applies
        (docs/legal/instruments.md#which-text-applies): the day the violation ended, or for an
        ongoing violation the day it was detected."""
        return self.violation_ended_on or self.detected_on

    @property
    def limitation_date(self) -> date | None:
        """Last day on which a sanction decision may be issued (stored sanction_limitation)."""
        row = next((d for d in self.deadlines if d.rule_code == "sanction_limitation"), None)
        return row.due_on if row is not None else None

    def is_time_barred(self, today: date) -> bool:
        limit = self.limitation_date
        return self.decision is None and limit is not None and today > limit

    def decision_overdue(self, today: date) -> date | None:
        """The decision time limit's last day when it has passed with no decision issued."""
        row = next((d for d in self.deadlines if d.key == "decision"), None)
        if row is None or self.decision is not None or today <= row.due_on:
            return None
        return row.due_on

    @property
    def has_unverified_law(self) -> bool:
        return any(not v.clause.verified for v in self.violations)

    @property
    def total_fine(self) -> int:
        return sum(v.fine_amount or 0 for v in self.violations)

    @property
    def decision(self):
        """The sanction decision in force (issued, not voided or cancelled), if any."""
        return next((d for d in self.decisions
                     if d.kind == DecisionKind.sanction and d.status == DecisionStatus.issued),
                    None)

    def refresh_search_text(self) -> None:
        site = self.site
        parts = [self.code, self.subject_name, self.subject_id_number, self.description,
                 site.name if site else None, site.domain if site else None]
        self.search_text = fold(" ".join(p for p in parts if p))

    # ---- guards (object checks; the role table is auth.permissions) ------------------------
    def can_view(self, user) -> bool:
        return has_permission(user, "case.view")

    def can_work(self, user) -> bool:
        """The case's inspector (or a supervisor) may work on it while it is open."""
        if not has_permission(user, "case.work") or not self.is_open:
            return False
        return user.id == self.inspector_id or user.is_supervisor

    def can_edit_violations(self, user) -> bool:
        return self.can_work(user) and self.state in EDITABLE_STATES

    def can_edit_sanction(self, user) -> bool:
        return self.can_work(user) and self.state in SANCTION_EDITABLE_STATES

    def can_approve(self, user) -> bool:
        """Separation of duties: a supervisor who did not propose the sanction."""
        return (
            has_permission(user, "sanction.approve")
            and self.state == CaseState.sanction_proposed
            and user.id != self.proposer_id
            and (self.supervisor_id is None or user.id == self.supervisor_id)
        )

    def can_transfer(self, user) -> bool:
        """A supervisor signs the transfer of an open case not yet decided."""
        return has_permission(user, "sanction.approve") and self.state in (
            CaseState.detected, CaseState.verifying, CaseState.record_made,
            CaseState.sanction_proposed, CaseState.approved)

    def can_correct(self, user) -> bool:
        """A supervisor voids, amends, corrects or cancels an issued decision."""
        return has_permission(user, "decision.correct") and self.decision is not None

    def can_extend_decision_time_limit(self, user) -> bool:
        """A supervisor, while the record is made and no decision issued (Law 15/2012/QH13
        Art. 66(1): the head grants the extension in writing)."""
        return (
            has_permission(user, "decision.extend")
            and self.state in (CaseState.record_made, CaseState.sanction_proposed,
                               CaseState.approved)
        )

    def can_record_national_db(self, user) -> bool:
        """The entry of the decision in force into the national database: the case's own
        inspector or a supervisor (the rule of other case work), with the right to issue;
        the case may be closed already (a warning is complied with on delivery)."""
        return (
            has_permission(user, "decision.issue")
            and self.decision is not None
            and (user.id == self.inspector_id or user.is_supervisor)
        )

    def can_issue(self, user) -> bool:
        return (
            has_permission(user, "decision.issue")
            and self.state == CaseState.approved
            and user.id in (self.inspector_id, self.approver_id, self.supervisor_id)
        )

    def available_actions(self, user) -> frozenset[CaseAction]:
        """Every `CaseAction` `user` may take on this case in its present state."""
        state, actions = self.state, set()
        if self.can_work(user):
            actions |= {CaseAction.add_evidence, CaseAction.capture, CaseAction.watch,
                        CaseAction.coordinate}
            actions |= {
                CaseState.detected: {CaseAction.verify, CaseAction.make_record,
                                     CaseAction.dismiss},
                CaseState.verifying: {CaseAction.make_record, CaseAction.dismiss},
                CaseState.record_made: {CaseAction.propose, CaseAction.dismiss},
                CaseState.decision_issued: {CaseAction.deliver, CaseAction.measure,
                                            CaseAction.complaint},
                CaseState.delivered: {CaseAction.pay, CaseAction.measure,
                                      CaseAction.complaint},
                CaseState.enforcement: {CaseAction.pay, CaseAction.measure,
                                        CaseAction.complaint},
            }.get(state, set())
        if (state in (CaseState.delivered, CaseState.enforcement)
                and has_permission(user, "decision.correct")):
            actions.add(CaseAction.close)
        if self.can_work(user) and self.awaiting_decision and self.record is not None \
                and self.record.explanation_right:
            actions.add(CaseAction.explain)
        if self.can_edit_violations(user):
            actions.add(CaseAction.edit)
        if self.can_edit_sanction(user):
            actions.add(CaseAction.edit_sanction)
        if self.can_approve(user):
            actions.add(CaseAction.approve)
        if self.can_issue(user):
            actions.add(CaseAction.issue)
        if self.can_transfer(user):
            actions.add(CaseAction.transfer)
        if self.can_extend_decision_time_limit(user):
            actions.add(CaseAction.extend)
        if self.can_record_national_db(user):
            actions.add(CaseAction.national_db)
        if state == CaseState.closed and has_permission(user, "case.reopen"):
            actions.add(CaseAction.reopen)
        if self.can_correct(user):
            actions.add(CaseAction.correct)
            if state == CaseState.decision_issued:
                actions.add(CaseAction.void)
        return frozenset(actions)

    def may(self, user, action: CaseAction) -> bool:
        """True when `user` may take `action` now (see `available_actions`)."""
        return action in self.available_actions(user)

    @property
    def awaiting_decision(self) -> bool:
        """The record is made and no decision issued yet (the time limit to decide runs)."""
        return self.state in (CaseState.record_made, CaseState.sanction_proposed,
                              CaseState.approved)

    @property
    def returned(self) -> bool:
        """The proposal came back from the supervisor and waits for the inspector."""
        return bool(self.return_reason) and self.state == CaseState.record_made

    def __repr__(self) -> str:
        return f"<Case {self.code} {self.state}>"


keep_sort_key(Case.subject_name, "subject_key")


class Evidence(Sealed, db.Model):
    """A file or a URL capture; the SHA-256 of the stored bytes proves it was not altered."""

    __tablename__ = "evidence"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("case_id", "kind", "url", "stored_name", "size", "sha256")
    __table_args__ = (check_in("kind", EvidenceKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    url: Mapped[str | None] = mapped_column(String(2000))
    filename: Mapped[str | None] = mapped_column(String(255))  # the user's file name
    stored_name: Mapped[str | None] = mapped_column(String(80))  # random name on disk
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # the partner's reply to a coordination request, when the file is that reply
    coordination_id: Mapped[int | None] = mapped_column(ForeignKey("coordination_requests.id"))
    # Withdrawn (added by mistake): kept, with its hash, in the case's history; never deleted
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    case = relationship("Case", back_populates="evidence")
    captured_by = relationship("User", foreign_keys=[captured_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
