"""Deadlines of the registry and of the reports owed to the Ministry, stored like a case's
and reminded by the same planner; the rules themselves are in `deadlines.rules`.

- A licensed site: launch within 90 days of its licence (Circular 09/2014/TT-BTTTT Art. 2;
  met on the launch date) and the licence's expiry date.
- A report obligation: its due date, met when a report for it is issued; the six-monthly
  reports (Circular 09/2014 Art. 9, before 31/01 and 31/07) are created ahead by
  `ensure_semiannual`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.clock import clock
from deadlines import rules
from deadlines.models import Deadline
from deadlines.owners import Owner
from deadlines.store import store
from extensions import db
from registry.models import ObligationKind, RegistryStatus, ReportObligation, Site

LIVE = {RegistryStatus.licensed, RegistryStatus.registered, RegistryStatus.trial}
# A suspended licence still runs to its expiry date (suspension is temporary: the
# department still needs to know when the licence would lapse); a revoked one does not.
HOLDS_LICENCE = LIVE | {RegistryStatus.suspended}


LICENCE_COLUMNS = ("status", "licence_issued_on", "licence_expires_on", "launched_on")


def licence_deadlines(site: dict) -> dict:
    """The licence deadlines a site wants (`deadlines.rules.licence_deadlines`), from its
    columns (a dict with status, licence_issued_on, licence_expires_on, launched_on):
    key → (computed deadline, met on, None), the shape `deadlines.store` writes."""
    return rules.licence_deadlines(
        licensed=site["status"] == RegistryStatus.licensed,
        holds_licence=site["status"] in HOLDS_LICENCE,
        issued_on=site["licence_issued_on"], expires_on=site["licence_expires_on"],
        launched_on=site["launched_on"])


def recompute_site(site: Site, existing: dict[str, Deadline] | None = None, *,
                   flush: bool = True) -> None:
    """Store the site's licence deadlines (`deadlines.rules.licence_deadlines`); a revoked,
    ceased or unlicensed site's are cancelled.

    `existing`: the site's deadline rows by key when the caller has them (an import loads
    them for all its sites at once); read here otherwise. Flushes unless `flush` is false."""
    wanted = licence_deadlines({name: getattr(site, name) for name in LICENCE_COLUMNS})
    if existing is None:
        existing = {d.key: d for d in db.session.scalars(
            select(Deadline).where(Deadline.scope == f"site:{site.id}"))}
    store(f"site:{site.id}", existing, wanted, flush=flush, site_id=site.id)


def recompute_report(obligation: ReportObligation) -> None:
    """Store the deadline of a report owed (`deadlines.rules.report_deadline`), met once a
    report for it is issued. Flushes."""
    done = obligation.submitted
    wanted = rules.report_deadline(
        semiannual=obligation.kind == ObligationKind.semiannual,
        period_end=obligation.period_end, created_on=obligation.created_at.date(),
        due_on=obligation.due_on, basis=obligation.basis,
        submitted_on=done.issued_on if done else None)
    existing = {d.key: d for d in db.session.scalars(
        select(Deadline).where(Deadline.scope == f"report:{obligation.id}"))}
    store(f"report:{obligation.id}", existing, wanted, report_obligation_id=obligation.id)


def next_semiannual(today: date | None = None) -> ReportObligation | None:
    """The next six-monthly report obligation: the stored row, or a new one not added to
    the session (reading it writes nothing); None before the rule is in force. The due date
    is the last day before 31/01 or 31/07 (deadline rule semiannual_report;
    docs/legal/sites.md#semiannual-report)."""
    due = rules.next_semiannual_due(today or clock().today())
    if due is None:
        return None
    row = db.session.scalar(select(ReportObligation).where(
        ReportObligation.kind == ObligationKind.semiannual, ReportObligation.due_on == due))
    if row is None:
        start, end = rules.semiannual_period(due)
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


SITE_OWNER = Owner(
    fk=Deadline.site_id, relation="site", model=Site, inspector=Site.inspector_id,
    label=Site.domain, about=Site.name, path=lambda site_id: f"/sites/{site_id}")
"""The planner's view of a site's deadlines: its follower, or every supervisor."""

REPORT_OWNER = Owner(
    fk=Deadline.report_obligation_id, relation="report_obligation", model=ReportObligation,
    label=ReportObligation.title, about=ReportObligation.title,
    path=lambda _obligation_id: "/sites/reports")
"""The planner's view of a report owed: every supervisor."""
