"""Stored legal deadlines of a case, recomputed whenever a triggering act is recorded."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db
from legal.deadlines import RULES


class DeadlineState(Choice):
    open = "open", _l("Open")
    met = "met", _l("Met")
    missed = "missed", _l("Missed")
    cancelled = "cancelled", _l("Cancelled")


class RuleCode(Choice):
    """The deadline rules: the keys of legal/data/deadline_rules.yaml
    (docs/legal/time-limits.md#rules)."""

    decision = "decision", _l("Time limit to issue the sanction decision")
    decision_transfer = ("decision_transfer",
                         _l("Time limit to issue the decision (file transferred)"))
    decision_explanation = ("decision_explanation",
                            _l("Time limit to issue the decision (explanation)"))
    decision_extended = ("decision_extended",
                         _l("Time limit to issue the decision (extended)"))
    explanation_hearing_request = ("explanation_hearing_request",
                                   _l("Time for the violator to ask for a hearing"))
    explanation_written = ("explanation_written",
                           _l("Time for the violator to explain in writing"))
    delivery = "delivery", _l("Time limit to deliver the decision")
    compliance = "compliance", _l("Time limit to comply (pay the fine)")
    enforcement_limit = "enforcement_limit", _l("Limitation period for enforcing the decision")
    sanction_limitation = "sanction_limitation", _l("Limitation period for sanctioning")
    national_db_entry = "national_db_entry", _l("Entry into the national database")
    licence_withdrawal_notice = ("licence_withdrawal_notice",
                                 _l("Licence withdrawal sent to the licensing body"))
    semiannual_report = "semiannual_report", _l("Six-monthly report to the Ministry")
    coordination_response = "coordination_response", _l("Coordination response due")
    complaint_settlement = "complaint_settlement", _l("Time limit to settle a complaint")
    instalment_due = "instalment_due", _l("Instalment of the fine due")
    postponement_decision = ("postponement_decision",
                             _l("Time limit to decide on a postponement of the fine"))
    postponement_end = "postponement_end", _l("End of the postponement of the fine")
    reduction_forward = ("reduction_forward",
                         _l("Time limit to forward a request to reduce the fine"))
    reduction_decision = ("reduction_decision",
                          _l("Time limit to decide on a reduction of the fine"))
    licence_launch = "licence_launch", _l("Launch of the site after its licence")
    licence_expiry = "licence_expiry", _l("Licence expiry")
    report_due = "report_due", _l("Report due")
    inspection_on_site = "inspection_on_site", _l("Time limit of the team's work on site")
    inspection_report = "inspection_report", _l("Team's result report due")


# The violator's own periods (the right to explain, docs/legal/procedure.md#workflow):
# reminded while they run, never overdue — once passed, the window has simply closed.
VIOLATOR_WINDOWS = frozenset({RuleCode.explanation_hearing_request,
                              RuleCode.explanation_written})


def still_due(today: date):
    """SQL filter: every deadline but a violator's window that has already passed."""
    return or_(Deadline.rule_code.not_in([c.value for c in VIOLATOR_WINDOWS]),
               Deadline.due_on >= today)


# Percent of each PostgreSQL page the deadlines fill when written (migration c3f1a8e5d2b7).
DEADLINES_FILLFACTOR = 70


class Deadline(db.Model):
    """A legal deadline of a case, of a registry entry (licence expiry, launch within 90
    days) or of a report owed to the Ministry. `scope` names its owner ("case:12",
    "site:5", "report:3"); `key` is unique within it."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_deadlines_state_due_on", "state", "due_on"),  # what is due, by date
        # the dashboard's overdue and upcoming lists counted from the index alone
        Index("ix_deadlines_open_due", "due_on", "id", "case_id", "rule_code",
              postgresql_where=text("state = 'open'"), sqlite_where=text("state = 'open'")),
        check_in("state", DeadlineState),
        # room on each page (PostgreSQL): the planner's marks (reminded_key, escalated_key,
        # in no index) are then rewritten in place, without new index entries (a HOT update)
        {"postgresql_with": {"fillfactor": DEADLINES_FILLFACTOR}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    report_obligation_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_obligations.id"), index=True)
    # an inspection campaign's (inspections, above: named by its table)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    # rule code, or "coordination_response:<request id>" for one per request
    key: Mapped[str] = mapped_column(String(60))
    rule_code: Mapped[str] = mapped_column(String(40))
    coordination_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("coordination_requests.id"))
    due_on: Mapped[date]
    legal_basis: Mapped[str] = mapped_column(Text)
    regime: Mapped[str] = mapped_column(String(10), default="2012")
    verified: Mapped[bool] = mapped_column(default=True)  # False: the rule text is unverified
    inputs: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default=DeadlineState.open)
    met_on: Mapped[date | None]
    # The planner's marks: the last reminder and escalation it planned (outbox key stems), so
    # a cycle with nothing new to send reads no outbox rows.
    reminded_key: Mapped[str | None] = mapped_column(String(120))
    escalated_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    case = relationship("Case", back_populates="deadlines")
    site = relationship("Site")
    report_obligation = relationship("ReportObligation")
    campaign = relationship("Campaign")
    coordination_request = relationship("CoordinationRequest")

    @property
    def rule(self):
        return RULES[self.rule_code]

    @property
    def owner_label(self) -> str:
        """What the deadline is about, as an e-mail subject shows it: a case code, a domain,
        a report's title."""
        if self.case is not None:
            return self.case.code
        if self.site is not None:
            return self.site.domain
        if self.report_obligation is not None:
            return self.report_obligation.title
        if self.campaign is not None:
            return self.campaign.code
        return self.scope

    def days_left(self, today: date) -> int:
        """Calendar days from `today` to the due date (negative when overdue)."""
        return (self.due_on - today).days

    def is_overdue(self, today: date) -> bool:
        return (self.state == DeadlineState.open and today > self.due_on
                and self.rule_code not in VIOLATOR_WINDOWS)
