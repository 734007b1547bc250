"""The deadline rules of sites and reports, computed on the calendar and rule texts in force
(the administrator's corrections included). Plain values in, wanted deadlines out: the
registry stores them (`registry.deadlines`). A case's rules are in `cases.deadlines`.

A wanted deadline is key → (ComputedDeadline, the day it was met or None, coordination
request id or None), the shape `deadlines.store.store` writes.
"""

from __future__ import annotations

from datetime import date, timedelta

from catalogue.engine import deadline_rules
from core.calendar import working_calendar
from legal import deadlines as rules


def compute(rule: str, start: date, **options) -> rules.ComputedDeadline:
    """`legal.deadlines.compute` on the working calendar and the rule texts in force.
    Raises legal.deadlines.RuleError when no text of `rule` is in force on `start`."""
    return rules.compute(rule, start, calendar=working_calendar(), rules=deadline_rules(),
                         **options)


def licence_deadlines(*, licensed: bool, holds_licence: bool, issued_on: date | None,
                      expires_on: date | None, launched_on: date | None) -> dict:
    """A site's licence deadlines (docs/legal/sites.md#launch):

    - licence_launch: 90 days from the licence, while the site is licensed, met on the launch
      date (Circular 09/2014/TT-BTTTT Art. 2; none for a licence older than the Circular);
    - licence_expiry: the date on the licence, while the site holds one (licensed,
      registered, in trial or suspended)."""
    wanted = {}
    if licensed and issued_on is not None:
        try:
            wanted["licence_launch"] = (compute("licence_launch", issued_on), launched_on, None)
        except rules.RuleError:
            pass  # a licence issued before the Circular: no launch deadline
    if holds_licence and expires_on is not None:
        start = min(issued_on or expires_on, expires_on)
        wanted["licence_expiry"] = (compute("licence_expiry", start, due_on=expires_on),
                                    None, None)
    return wanted


def report_deadline(*, semiannual: bool, period_end: date, created_on: date, due_on: date,
                    basis: str | None, submitted_on: date | None) -> dict:
    """The deadline of a report owed to the Ministry, due on `due_on` and met on the day the
    report was issued: the six-monthly report (Circular 09/2014 Art. 9;
    docs/legal/sites.md#semiannual-report) or a one-off request, whose `basis` is shown."""
    if semiannual:
        computed = compute("semiannual_report", period_end)
    else:
        computed = compute("report_due", min(created_on, due_on), due_on=due_on)
    computed = rules.ComputedDeadline(computed.rule_code, due_on, basis or computed.legal_basis,
                                      computed.regime, computed.status, computed.inputs,
                                      computed.name_vi)
    return {"report": (computed, submitted_on, None)}


def next_semiannual_due(today: date) -> date | None:
    """The last day of the next six-monthly report (30/01 or 30/07 after `today`); None
    before the rule is in force."""
    try:
        return compute("semiannual_report", today - timedelta(days=1)).due_on
    except rules.RuleError:
        return None


def semiannual_period(due: date) -> tuple[date, date]:
    """The half-year a six-monthly report due on `due` covers: due in January → the second
    half of the previous year; due in July → the first half of the year."""
    if due.month == 1:
        return date(due.year - 1, 7, 1), date(due.year - 1, 12, 31)
    return date(due.year, 1, 1), date(due.year, 6, 30)
