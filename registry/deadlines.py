"""Deadlines of the registry and of the reports owed to the Ministry, stored like a case's
and reminded by the same planner.

- A licensed site: launch within 90 days of its licence (Circular 09/2014/TT-BTTTT Art. 2;
  met on the launch date) and the licence's expiry date.
- A report obligation: its due date, met when a report for it is issued; the six-monthly
  reports (Circular 09/2014 Art. 9, before 31/01 and 31/07) are created ahead by
  `ensure_semiannual`.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cases.deadlines import store
from cases.models import Deadline
from catalogue.engine import deadline_rules
from core.calendar import working_calendar
from core.clock import clock
from extensions import db
from legal import deadlines as rules
from registry.models import ObligationKind, RegistryStatus, ReportObligation, Site

LIVE = {RegistryStatus.licensed, RegistryStatus.registered, RegistryStatus.trial}
# A suspended licence still runs to its expiry date (suspension is temporary: the
# department still needs to know when the licence would lapse); a revoked one does not.
HOLDS_LICENCE = LIVE | {RegistryStatus.suspended}


def _compute(rule: str, start: date, **options):
    return rules.compute(rule, start, calendar=working_calendar(), rules=deadline_rules(),
                         **options)


def recompute_site(site: Site, existing: dict[str, Deadline] | None = None, *,
                   flush: bool = True) -> None:
    """The site's licence deadlines.

    - licence_launch: only while the site is licensed (Circular 09/2014 Art. 2);
    - licence_expiry: while the site holds a licence — licensed, registered, in trial or
      suspended; cancelled once it is revoked, ceased or unlicensed.

    `existing`: the site's deadline rows by key when the caller has them (an import loads
    them for all its sites at once); read here otherwise. Flushes unless `flush` is false."""
    wanted = {}
    if site.status == RegistryStatus.licensed and site.licence_issued_on is not None:
        try:
            wanted["licence_launch"] = (_compute("licence_launch", site.licence_issued_on),
                                        site.launched_on, None)
        except rules.RuleError:
            pass  # a licence issued before the Circular: no launch deadline
    if site.status in HOLDS_LICENCE and site.licence_expires_on is not None:
        start = min(site.licence_issued_on or site.licence_expires_on, site.licence_expires_on)
        wanted["licence_expiry"] = (_compute("licence_expiry", start,
                                             due_on=site.licence_expires_on), None, None)
    if existing is None:
        existing = {d.key: d for d in db.session.scalars(
            select(Deadline).where(Deadline.scope == f"site:{site.id}"))}
    store(f"site:{site.id}", existing, wanted, flush=flush, site_id=site.id)


def recompute_report(obligation: ReportObligation) -> None:
    rule = "semiannual_report" if obligation.kind == ObligationKind.semiannual else "report_due"
    if rule == "semiannual_report":
        computed = _compute(rule, obligation.period_end)
    else:
        computed = _compute(rule, min(obligation.created_at.date(), obligation.due_on),
                            due_on=obligation.due_on)
    computed = rules.ComputedDeadline(computed.rule_code, obligation.due_on,
                                      obligation.basis or computed.legal_basis,
                                      computed.regime, computed.status, computed.inputs,
                                      computed.name_vi)
    done = obligation.submitted
    existing = {d.key: d for d in db.session.scalars(
        select(Deadline).where(Deadline.scope == f"report:{obligation.id}"))}
    store(f"report:{obligation.id}", existing,
          {"report": (computed, done.issued_on if done else None, None)},
          report_obligation_id=obligation.id)


def semiannual_period(due: date) -> tuple[date, date]:
    """The half-year a six-monthly report due on `due` covers: due in January → the second
    half of the previous year; due in July → the first half of the year."""
    if due.month == 1:
        return date(due.year - 1, 7, 1), date(due.year - 1, 12, 31)
    return date(due.year, 1, 1), date(due.year, 6, 30)


def next_semiannual(today: date | None = None) -> ReportObligation | None:
    """The next six-monthly report obligation: the stored row, or a new one not added to
    the session (reading it writes nothing); None before the rule is in force. The due date
    is the last day before 31/01 or 31/07 (deadline rule semiannual_report;
    docs/legal/sites.md#semiannual-report)."""
    today = today or clock().today()
    try:
        due = rules.compute("semiannual_report", today - timedelta(days=1),
                            rules=deadline_rules()).due_on
    except rules.RuleError:
        return None
    row = db.session.scalar(select(ReportObligation).where(
        ReportObligation.kind == ObligationKind.semiannual, ReportObligation.due_on == due))
    if row is None:
        start, end = semiannual_period(due)
        row = ReportObligation(
            kind=ObligationKind.semiannual, due_on=due, period_start=start, period_end=end,
            title=f"Báo cáo 6 tháng ({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            basis="Điều 9 Thông tư số 09/2014/TT-BTTTT: báo cáo định kỳ 6 tháng trước ngày "
                  "31 tháng 01 và 31 tháng 7",
            created_at=clock().now())
    return row


def ensure_semiannual(today: date | None = None) -> ReportObligation | None:
    """Store the next six-monthly report obligation when missing, with its deadline; returns
    it (see `next_semiannual`). Flushes."""
    row = next_semiannual(today)
    if row is not None and row.id is None:
        db.session.add(row)
        db.session.flush()
        recompute_report(row)
    return row
