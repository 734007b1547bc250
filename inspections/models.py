"""The campaign, its members, its planned checks and their records."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from core.audit import Sealed
from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.numbering import document_number


class CampaignStatus(Choice):
    """Where a campaign stands: planned, the team decision issued (running), reported."""

    planning = "planning", _l("Being planned")
    running = "running", _l("Team decision issued")
    reported = "reported", _l("Result reported")


class MemberAgency(Choice):
    """The agency a team member comes from (the directive names the Police and the
    Department of Culture, Sports and Tourism beside the Department)."""

    department = "department", _l("Department of Information and Communications")
    police = "police", _l("Provincial Police")
    culture = "culture", _l("Department of Culture, Sports and Tourism")
    other = "other", _l("Other agency")


class MemberRole(Choice):
    head = "head", _l("Head of the team")
    deputy = "deputy", _l("Deputy head")
    member = "member", _l("Member")


class CheckItem(Choice):
    """What a check looks at."""

    licence = "licence", _l("Licence or registration")
    content = "content", _l("Content published")
    storage = "storage", _l("Storage of information")
    reporting = "reporting", _l("Reporting to the authorities")
    operator = "operator", _l("Operator's details")


class CheckOutcome(Choice):
    no_violation = "no_violation", _l("No violation")
    violation = "violation", _l("Violation: case opened")
    referral = "referral", _l("Referred to another authority")


class ReferralTarget(Choice):
    police = "police", _l("Police (signs of a crime)")
    other = "other", _l("Another authority")


class DecisionState(Choice):
    """The team decision: drafted, then approved and issued by a supervisor who is not the
    drafter."""

    draft = "draft", _l("Draft")
    issued = "issued", _l("Issued")


check_members = Table(
    "inspection_check_members", db.metadata,
    Column("check_id", ForeignKey("inspection_checks.id"), primary_key=True),
    Column("member_id", ForeignKey("campaign_members.id"), primary_key=True),
)


class Campaign(Sealed, db.Model):
    """An inspection campaign: code, legal basis, scope in the registry (kinds, statuses,
    districts, or hand-picked sites), period, the due date of its result report."""

    __tablename__ = "campaigns"
    __table_args__ = (
        check_in("status", CampaignStatus),
        check_in("decision_state", DecisionState, nullable=True),
    )
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("code", "decision_state", "decision_issuer", "decision_number",
                  "decision_year", "decision_symbol", "decision_issued_on", "decision_sha256")

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(Text)
    # {"kinds": [...], "statuses": [...], "districts": [...], "site_ids": [...]}
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    period_start: Mapped[date]
    period_end: Mapped[date]
    report_due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.planning)
    obligation_id: Mapped[int | None] = mapped_column(ForeignKey("report_obligations.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    conclusion: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The team decision (quyết định thành lập đoàn), frozen once issued.
    decision_state: Mapped[str | None] = mapped_column(String(20))
    decision_drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_issuer: Mapped[str | None] = mapped_column(String(30))
    decision_number: Mapped[int | None]
    decision_year: Mapped[int | None]
    decision_symbol: Mapped[str | None] = mapped_column(String(30))
    decision_issued_on: Mapped[date | None]
    decision_data: Mapped[dict | None] = mapped_column(JSON)
    decision_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    decision_sha256: Mapped[str | None] = mapped_column(String(64))

    members = relationship("CampaignMember", back_populates="campaign",
                           order_by="CampaignMember.id", cascade="all, delete-orphan")
    checks = relationship("InspectionCheck", back_populates="campaign",
                          order_by="(InspectionCheck.planned_on, InspectionCheck.id)")
    created_by = relationship("User", foreign_keys=[created_by_id])
    decision_drafted_by = relationship("User", foreign_keys=[decision_drafted_by_id])
    decision_approved_by = relationship("User", foreign_keys=[decision_approved_by_id])
    obligation = relationship("ReportObligation")
    report = relationship("Report")

    @property
    def decision_full_number(self) -> str | None:
        """"01/QĐ-TTra" once issued (a leading zero below 10)."""
        if self.decision_number is None:
            return None
        return document_number(self.decision_number, self.decision_symbol)

    def member_for(self, user) -> CampaignMember | None:
        """The member linked to `user`, if any."""
        uid = getattr(user, "id", None)
        return next((m for m in self.members if uid is not None and m.user_id == uid), None)

    def __repr__(self) -> str:
        return f"<Campaign {self.code}>"


class CampaignMember(db.Model):
    """A person of the team: name, agency, role; a user of the product or not."""

    __tablename__ = "campaign_members"
    __table_args__ = (check_in("agency", MemberAgency), check_in("role", MemberRole))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))  # position in their agency
    agency: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20), default=MemberRole.member)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign = relationship("Campaign", back_populates="members")
    user = relationship("User")


class InspectionCheck(Sealed, db.Model):
    """One site of the plan: its date and members; once checked, its record (when, who,
    what was checked, findings, the operator's statement) and its outcome."""

    __tablename__ = "inspection_checks"
    __table_args__ = (
        UniqueConstraint("campaign_id", "site_id"),
        check_in("outcome", CheckOutcome, nullable=True),
        check_in("referral_target", ReferralTarget, nullable=True),
    )
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("campaign_id", "site_id", "checked_on", "outcome", "referral_number",
                  "referral_year", "referral_symbol", "record_sha256")
    __sealed_late__ = ("referral_sha256",)  # letters frozen since this column exists

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    planned_on: Mapped[date]
    checked_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(String(300))
    items: Mapped[list] = mapped_column(JSON, default=list)  # CheckItem codes
    findings: Mapped[str | None] = mapped_column(Text)
    statement: Mapped[str | None] = mapped_column(Text)  # the operator's statement
    operator_present: Mapped[str | None] = mapped_column(String(300))  # who represented it
    outcome: Mapped[str | None] = mapped_column(String(20))
    referral_target: Mapped[str | None] = mapped_column(String(20))
    referral_recipient: Mapped[str | None] = mapped_column(String(300))
    referral_reason: Mapped[str | None] = mapped_column(Text)
    referral_number: Mapped[int | None]
    referral_year: Mapped[int | None]
    referral_symbol: Mapped[str | None] = mapped_column(String(30))
    # the referral letter as issued (None for a letter numbered before letters were frozen:
    # it is rendered from the check's data when asked for)
    referral_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    referral_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    record_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    record_sha256: Mapped[str | None] = mapped_column(String(64))

    campaign = relationship("Campaign", back_populates="checks")
    site = relationship("Site")
    members = relationship("CampaignMember", secondary=check_members,
                           order_by="CampaignMember.id")
    recorded_by = relationship("User")
    evidence = relationship("CheckEvidence", back_populates="check",
                            order_by="CheckEvidence.id")
    # the case opened from this check (Case.check_id, declared by name in cases)
    cases = relationship("Case", backref="inspection_check")

    @property
    def checked(self) -> bool:
        return self.checked_on is not None

    @property
    def case(self):
        return self.cases[0] if self.cases else None

    @property
    def referral_full_number(self) -> str | None:
        if self.referral_number is None:
            return None
        return document_number(self.referral_number, self.referral_symbol)


class CheckEvidence(Sealed, db.Model):
    """A file attached to a check (a screenshot, a saved page, a document the operator
    handed over): stored outside static under a random name, its SHA-256 kept; listed in
    the record and copied to the case the check opens."""

    __tablename__ = "inspection_check_evidence"
    # Columns sealed by an HMAC (core.audit.Sealed): a change outside the application shows.
    __sealed__ = ("check_id", "stored_name", "size", "sha256")

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("inspection_checks.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    check = relationship("InspectionCheck", back_populates="evidence")
    added_by = relationship("User")
