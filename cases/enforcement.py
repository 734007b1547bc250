"""What a decided case owes at a given day (docs/legal/enforcement.md): the fine, what was
paid, the balance, the late-payment surcharge to date, the measures pending or overdue, and
the next legal step. Read-only: the case page, the reminders and the scheduler job use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from cases.models import (
    Case,
    CaseState,
    Decision,
    FineRelief,
    Obligation,
    ObligationState,
    PlanState,
    ReliefKind,
)
from catalogue.engine import enforcement as enforcement_data
from deadlines.mail import Money
from legal.enforcement import (
    EnforcementError,
    late_payment_rule,
    late_payment_surcharge,
    surcharge_free,
)
from legal.enforcement import limitation as enforcement_limitation


@dataclass
class Standing:
    """A decided case on `today`. Amounts in VND; dates in Vietnam."""

    today: date
    fine: int = 0
    relieved: int = 0  # reduced or exempted by a decision on a request (Art. 77)
    exempted: bool = False  # the rest of the fine exempted
    postponed_until: date | None = None  # a postponement granted (Art. 76): last day to pay
    paid: int = 0
    balance: int = 0  # fine - relieved - paid, never below 0
    overpaid: int = 0  # paid beyond the fine owed and its surcharge: to refund
    surcharge_paid: int = 0  # paid beyond the fine owed, up to the surcharge (Art. 78(1))
    pay_by: date | None = None  # last day to pay (the compliance deadline)
    fine_overdue: bool = False
    surcharge: int = 0  # late-payment surcharge owed to `today` (if the balance is paid today)
    surcharge_verified: bool = True
    surcharge_basis: str = ""
    surcharge_rate: str = ""  # "0,05 %" a day, from the rule in force on the first day late
    limitation_ends: date | None = None  # last day the fine may be enforced (Art. 74)
    time_barred: bool = False
    pending: list[Obligation] = field(default_factory=list)
    overdue: list[Obligation] = field(default_factory=list)
    received: bool = False

    @property
    def owed(self) -> int:
        """The fine as the decisions on the violator's requests leave it (VND)."""
        return max(self.fine - self.relieved, 0)

    @property
    def surcharge_unpaid(self) -> int:
        """The late-payment surcharge still owed once the fine itself is paid (VND; 0 while
        the fine is unpaid: the surcharge still runs then, and `fine_overdue` says so).
        Law 15/2012/QH13 Art. 78(1): the violator pays it on top of the fine."""
        return self.surcharge - self.surcharge_paid if self.balance == 0 else 0

    @property
    def surcharge_late(self) -> bool:
        """The fine was paid late and its surcharge is not paid: enforcement is due for it
        (Art. 78(1), Art. 86), unless the time to enforce has run out (Art. 74)."""
        return self.surcharge_unpaid > 0 and not self.time_barred

    @property
    def fine_settled(self) -> bool:
        """The fine owed and its late-payment surcharge paid."""
        return self.balance == 0 and self.surcharge_unpaid == 0

    @property
    def measures_settled(self) -> bool:
        return not self.pending

    @property
    def complete(self) -> bool:
        """Paid in full and every measure done or enforced (or impossible, with its reason)."""
        return self.fine_settled and self.measures_settled

    @property
    def non_compliant(self) -> bool:
        """Past a deadline with money unpaid (the fine, or the surcharge of a fine paid late)
        or a measure pending: enforcement is due."""
        return self.fine_overdue or self.surcharge_late or bool(self.overdue)


def granted_reliefs(decision: Decision, kinds: tuple[str, ...]) -> list[FineRelief]:
    """The requests of `kinds` granted for `decision`, in the order decided."""
    return [r for r in getattr(decision, "reliefs", ())
            if r.kind in kinds and r.state == PlanState.granted]


def relieved_amount(decision: Decision) -> int:
    """VND reduced or exempted by the decisions granted on the violator's requests
    (Law 15/2012/QH13 Art. 77)."""
    return sum(r.amount or 0 for r in granted_reliefs(
        decision, (ReliefKind.reduction, ReliefKind.exemption)))


def postponed_until(decision: Decision) -> date | None:
    """The last day of the latest postponement granted for `decision` (Art. 76), or None."""
    rows = granted_reliefs(decision, (ReliefKind.postponement,))
    return max((r.until for r in rows if r.until is not None), default=None)


def surcharge_free_periods(decision: Decision, today: date) -> list[tuple[date, date]]:
    """[(first, last day)] in which no late-payment surcharge runs on `decision`'s fine
    (Circular 18/2023/TT-BTC Art. 5(2), from 05/05/2023; legal.enforcement.surcharge_free):
    a postponement granted, from its decision to its last day, and a request to reduce or
    exempt the fine while it is considered, from its receipt to the day before its decision
    (to `today` while undecided). Before that circular no text was found: no period."""
    out, data = [], enforcement_data()
    for r in getattr(decision, "reliefs", ()):
        if r.kind == ReliefKind.postponement:
            if (r.state == PlanState.granted and r.until is not None
                    and surcharge_free("postponement", r.decided_on, data=data)):
                out.append((r.decided_on, r.until))
        elif surcharge_free("reduction_review", r.requested_on, data=data):
            end = (r.decided_on - timedelta(days=1)) if r.decided_on else today
            if end >= r.requested_on:
                out.append((r.requested_on, end))
    return out


def surcharge_to(decision: Decision, tranches: list[tuple[date, int]], today: date) -> int:
    """The surcharge on `decision`'s fine (VND). `tranches` [(last day, VND)]: the whole fine
    by the compliance deadline, or the instalments granted (no surcharge runs on an
    instalment before its own last day: Circular 18/2023/TT-BTC Art. 5(2)). Payments settle
    the tranches in date order; each part paid late bears the surcharge for its own days,
    and what is still unpaid as if paid on `today` (Law 15/2012/QH13 Art. 78(1);
    legal.enforcement.late_payment_surcharge)."""
    payments = [[p.paid_on, p.amount]
                for p in sorted(decision.payments, key=lambda p: (p.paid_on, p.id))]
    excluded = surcharge_free_periods(decision, today)
    total, data = 0, enforcement_data()
    for due, amount in tranches:
        owed = amount
        for p in payments:
            if owed == 0:
                break
            part = min(p[1], owed)
            if part:
                total += late_payment_surcharge(part, due, p[0], excluded, data=data)
                p[1] -= part
                owed -= part
        if owed > 0:
            total += late_payment_surcharge(owed, due, today, excluded, data=data)
    return total


def tranches_of(case: Case, decision: Decision, pay_by: date | None) -> list[tuple[date, int]]:
    """The instalments of the plan granted for `decision`, or the whole fine by `pay_by`
    (moved to the last day of a postponement granted: Art. 76); less what a reduction or an
    exemption took off (Art. 77), taken from the last instalments first."""
    plan = next((p for p in getattr(case, "instalment_plans", ())
                 if p.decision_id == decision.id and p.state == PlanState.granted), None)
    if plan is not None:
        tranches = plan.tranches
    else:
        until = postponed_until(decision)
        if until is not None and (pay_by is None or until > pay_by):
            pay_by = until
        tranches = [(pay_by, decision.total_fine)] if pay_by is not None else []
    relieved = relieved_amount(decision)
    out = []
    for due, amount in reversed(tranches):
        cut = min(relieved, amount)
        relieved -= cut
        out.append((due, amount - cut))
    return [t for t in reversed(out) if t[1] > 0]


def standing(case: Case, today: date) -> Standing | None:
    """The case's standing on `today`, or None when it has no decision in force."""
    decision = case.decision
    if decision is None:
        return None
    s = Standing(today=today, fine=decision.total_fine)
    s.relieved = min(relieved_amount(decision), s.fine)
    s.exempted = bool(granted_reliefs(decision, (ReliefKind.exemption,)))
    s.postponed_until = postponed_until(decision)
    s.paid = sum(p.amount for p in decision.payments)
    s.balance = max(s.owed - s.paid, 0)
    s.received = decision.delivered_on is not None
    row = next((d for d in case.deadlines if d.key == "compliance"), None)
    s.pay_by = row.due_on if row is not None else None
    if s.postponed_until is not None and (s.pay_by is None or s.postponed_until > s.pay_by):
        s.pay_by = s.postponed_until
    limit = next((d for d in case.deadlines if d.key == "enforcement_limit"), None)
    s.limitation_ends = limit.due_on if limit is not None else None
    tranches = tranches_of(case, decision, s.pay_by)
    s.surcharge = surcharge_to(decision, tranches, today)
    # what was paid beyond the fine goes to its surcharge first; only the rest is refunded
    s.surcharge_paid = min(max(s.paid - s.owed, 0), s.surcharge)
    s.overpaid = max(s.paid - s.owed - s.surcharge, 0)
    s.time_barred = (s.limitation_ends is not None and today > s.limitation_ends
                     and (s.balance > 0 or s.surcharge_unpaid > 0))
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
    if s.pay_by is not None:
        try:
            rule = late_payment_rule(s.pay_by, data=enforcement_data())
            s.surcharge_verified, s.surcharge_basis = rule.verified, rule.basis
            s.surcharge_rate = rate_text(rule.rate_per_10000)
        except EnforcementError:
            s.surcharge_verified = False
    obligations = [o for o in case.obligations if o.decision_id == decision.id]
    s.pending = [o for o in obligations if o.state == ObligationState.pending]
    s.overdue = [o for o in s.pending if o.overdue(today)]
    return s


def rate_text(per_10000: int) -> str:
    """A daily rate in ten-thousandths as Vietnamese writes it: 5 → "0,05 %"."""
    return f"{per_10000 // 100},{per_10000 % 100:02d} %"


def money_owed(case: Case, today: date) -> Money | None:
    """What `case` owes on `today` for the reminders and notices about its money: the fine
    unpaid, the late-payment surcharge if paid on `today` (Law 15/2012/QH13 Art. 78(1)),
    integer VND; None when it has no decision in force or nothing is unpaid."""
    s = standing(case, today)
    if s is None or s.balance == 0:
        return None
    return Money(unpaid=s.balance, surcharge=s.surcharge, on=today,
                 rate=s.surcharge_rate, basis=s.surcharge_basis)


def measures_survive_limitation() -> bool:
    """Law 15/2012/QH13 Art. 74(1): remedial measures are carried out even after the fine can
    no longer be enforced."""
    return enforcement_limitation(data=enforcement_data()).measures_survive


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
    if s.fine_overdue:
        return "coerce"  # the fine unpaid past its last day: coercion, and the surcharge runs
    if s.surcharge_late:
        return "collect_surcharge"  # the fine paid late, its surcharge not (Art. 78(1))
    if s.overdue:
        return "coerce_measures"  # only a measure is late; the fine is not due yet
    return "wait"
