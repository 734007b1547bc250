"""What a decided case owes at a given day (docs/legal/enforcement.md): the fine, what was
paid, the balance, the late-payment surcharge to date, the measures pending or overdue, and
the next legal step. Read-only: the case page, the reminders and the scheduler job use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cases.models import Case, CaseState, Decision, Obligation, ObligationState, PlanState
from legal.enforcement import EnforcementError, late_payment_rule, late_payment_surcharge
from legal.enforcement import limitation as enforcement_limitation


@dataclass
class Standing:
    """A decided case on `today`. Amounts in VND; dates in Vietnam."""

    today: date
    fine: int = 0
    paid: int = 0
    balance: int = 0  # fine - paid, never below 0
    overpaid: int = 0  # paid - fine when more was paid than the fine
    pay_by: date | None = None  # last day to pay (the compliance deadline)
    fine_overdue: bool = False
    surcharge: int = 0  # late-payment surcharge owed to `today` (if the balance is paid today)
    surcharge_verified: bool = True
    surcharge_basis: str = ""
    limitation_ends: date | None = None  # last day the fine may be enforced (Art. 74)
    time_barred: bool = False
    pending: list[Obligation] = field(default_factory=list)
    overdue: list[Obligation] = field(default_factory=list)
    received: bool = False

    @property
    def fine_settled(self) -> bool:
        return self.balance == 0

    @property
    def measures_settled(self) -> bool:
        return not self.pending

    @property
    def complete(self) -> bool:
        """Paid in full and every measure done or enforced (or impossible, with its reason)."""
        return self.fine_settled and self.measures_settled

    @property
    def non_compliant(self) -> bool:
        """Past a deadline with money unpaid or a measure pending: enforcement is due."""
        return self.fine_overdue or bool(self.overdue)


def surcharge_to(decision: Decision, tranches: list[tuple[date, int]], today: date) -> int:
    """The surcharge on `decision`'s fine (VND). `tranches` [(last day, VND)]: the whole fine
    by the compliance deadline, or the instalments granted (no surcharge runs on an
    instalment before its own last day: Circular 18/2023/TT-BTC Art. 5(2)). Payments settle
    the tranches in date order; each part paid late bears the surcharge for its own days,
    and what is still unpaid as if paid on `today` (Law 15/2012/QH13 Art. 78(1);
    legal.enforcement.late_payment_surcharge)."""
    payments = [[p.paid_on, p.amount]
                for p in sorted(decision.payments, key=lambda p: (p.paid_on, p.id))]
    total = 0
    for due, amount in tranches:
        owed = amount
        for p in payments:
            if owed == 0:
                break
            part = min(p[1], owed)
            if part:
                total += late_payment_surcharge(part, due, p[0])
                p[1] -= part
                owed -= part
        if owed > 0:
            total += late_payment_surcharge(owed, due, today)
    return total


def tranches_of(case: Case, decision: Decision, pay_by: date | None) -> list[tuple[date, int]]:
    """The instalments of the plan granted for `decision`, or the whole fine by `pay_by`."""
    plan = next((p for p in getattr(case, "instalment_plans", ())
                 if p.decision_id == decision.id and p.state == PlanState.granted), None)
    if plan is not None:
        return plan.tranches
    return [(pay_by, decision.total_fine)] if pay_by is not None else []


def standing(case: Case, today: date) -> Standing | None:
    """The case's standing on `today`, or None when it has no decision in force."""
    decision = case.decision
    if decision is None:
        return None
    s = Standing(today=today, fine=decision.total_fine)
    s.paid = sum(p.amount for p in decision.payments)
    s.balance = max(s.fine - s.paid, 0)
    s.overpaid = max(s.paid - s.fine, 0)
    s.received = decision.delivered_on is not None
    row = next((d for d in case.deadlines if d.key == "compliance"), None)
    s.pay_by = row.due_on if row is not None else None
    limit = next((d for d in case.deadlines if d.key == "enforcement_limit"), None)
    s.limitation_ends = limit.due_on if limit is not None else None
    s.time_barred = s.limitation_ends is not None and today > s.limitation_ends and s.balance > 0
    tranches = tranches_of(case, decision, s.pay_by)
    # the first tranche not covered by the payments: its last day is the one to meet
    covered = s.paid
    for due, amount in tranches:
        if covered >= amount:
            covered -= amount
            continue
        s.pay_by = due
        break
    s.fine_overdue = (s.balance > 0 and s.pay_by is not None and today > s.pay_by
                      and not s.time_barred)
    s.surcharge = surcharge_to(decision, tranches, today)
    if s.pay_by is not None:
        try:
            rule = late_payment_rule(s.pay_by)
            s.surcharge_verified, s.surcharge_basis = rule.verified, rule.basis
        except EnforcementError:
            s.surcharge_verified = False
    obligations = [o for o in case.obligations if o.decision_id == decision.id]
    s.pending = [o for o in obligations if o.state == ObligationState.pending]
    s.overdue = [o for o in s.pending if o.overdue(today)]
    return s


def measures_survive_limitation() -> bool:
    """Law 15/2012/QH13 Art. 74(1): remedial measures are carried out even after the fine can
    no longer be enforced."""
    return enforcement_limitation().measures_survive


def next_step(case: Case, s: Standing | None) -> str:
    """A code naming the next legal step of a decided case (the case page words it)."""
    if s is None or case.state in (CaseState.closed, CaseState.dismissed,
                                   CaseState.transferred):
        return "none"
    if not s.received:
        return "deliver"
    if s.complete:
        return "close"
    if s.time_barred and s.measures_settled:
        return "close_time_barred"
    if s.non_compliant:
        return "coerce"
    return "wait"
