"""Statistics on administrative sanctions for a period (docs/legal/enforcement.md#statistics):
cases, decisions, fines decided and collected, remedial measures, enforcement, coercion,
postponements, reductions and exemptions granted, and complaints. The layout of the Ministry
of Justice's reporting form for the period was not found: the rows are ours (status U), shown
with a warning."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from cases.enforcement import standing
from cases.models import (
    Case,
    CoercionDecision,
    CoercionState,
    Complaint,
    ComplaintOutcome,
    Decision,
    DecisionKind,
    DecisionStatus,
    FineRelief,
    Obligation,
    ObligationState,
    Payment,
    PlanState,
    ReliefKind,
)
from core.models import AuditEvent
from extensions import db

FORM_STATUS = "U"

# The rows' words on the page, in the user's language (the XLSX and PDF keep the Vietnamese
# of `figures`, the report's language).
ROW_LABELS: dict[str, object] = {
    "cases_opened": _l("Cases found"),
    "decisions": _l("Sanction decisions issued"),
    "decisions_cancelled": _l("Of which: cancelled"),
    "fines_decided": _l("Fines decided (đồng)"),
    "fines_collected": _l("Fines collected in the period (đồng)"),
    "fines_overpaid": _l("Paid beyond what was owed in the period, to refund (đồng)"),
    "measures_ordered": _l("Remedial measures ordered"),
    "measures_done": _l("Remedial measures carried out in the period"),
    "enforcement": _l("Cases moved to enforcement in the period"),
    "coercions": _l("Coercion decisions issued"),
    "postponements": _l("Fines postponed"),
    "reductions": _l("Fines reduced"),
    "exemptions": _l("Rests of fines exempted"),
    "fines_relieved": _l("Fines reduced or exempted in the period (đồng)"),
    "complaints": _l("Complaints received"),
    "complaints_settled": _l("Complaints settled"),
    "lawsuits": _l("Lawsuits"),
}


def figures(start: date, end: date) -> list[tuple[str, str, int]]:
    """[(code, Vietnamese label, value)] for the period `start`–`end` (inclusive; amounts in
    VND). A fixed number of queries."""
    def scalar(stmt) -> int:
        return int(db.session.scalar(stmt) or 0)

    sanction = (Decision.kind == DecisionKind.sanction)
    in_period = Decision.issued_on.between(start, end)
    granted = (FineRelief.state == PlanState.granted) & FineRelief.decided_on.between(start, end)
    collected, overpaid = collected_in(start, end)
    rows = [
        ("cases_opened", "Số vụ việc phát hiện",
         scalar(select(func.count(Case.id)).where(Case.detected_on.between(start, end)))),
        ("decisions", "Số quyết định xử phạt đã ban hành",
         scalar(select(func.count(Decision.id)).where(sanction, in_period))),
        ("decisions_cancelled", "Trong đó: bị hủy bỏ",
         scalar(select(func.count(Decision.id)).where(
             sanction, in_period, Decision.status == DecisionStatus.cancelled))),
        ("fines_decided", "Tổng số tiền phạt theo quyết định (đồng)",
         scalar(select(func.sum(Decision.total_fine)).where(
             sanction, in_period, Decision.status == DecisionStatus.issued))),
        ("fines_collected", "Số tiền phạt đã thu trong kỳ (đồng)", collected),
        ("fines_overpaid", "Số tiền nộp thừa trong kỳ, phải hoàn trả (đồng)", overpaid),
        ("measures_ordered", "Số biện pháp khắc phục hậu quả đã áp dụng",
         scalar(select(func.count(Obligation.id)).join(Decision, Obligation.decision_id
                                                       == Decision.id).where(in_period))),
        ("measures_done", "Số biện pháp khắc phục hậu quả đã thực hiện trong kỳ",
         scalar(select(func.count(Obligation.id)).where(
             Obligation.state.in_([ObligationState.done, ObligationState.enforced]),
             Obligation.done_on.between(start, end)))),
        ("enforcement", "Số vụ việc chuyển cưỡng chế thi hành trong kỳ",
         scalar(select(func.count(AuditEvent.id)).where(
             AuditEvent.action == "case.enforcement",
             func.date(AuditEvent.occurred_at).between(start, end)))),
        ("coercions", "Số quyết định cưỡng chế đã ban hành",
         scalar(select(func.count(CoercionDecision.id)).where(
             CoercionDecision.state == CoercionState.issued,
             CoercionDecision.issued_on.between(start, end)))),
        ("postponements", "Số trường hợp được hoãn thi hành quyết định phạt tiền",
         scalar(select(func.count(FineRelief.id)).where(
             granted, FineRelief.kind == ReliefKind.postponement))),
        ("reductions", "Số trường hợp được giảm tiền phạt",
         scalar(select(func.count(FineRelief.id)).where(
             granted, FineRelief.kind == ReliefKind.reduction))),
        ("exemptions", "Số trường hợp được miễn phần tiền phạt còn lại",
         scalar(select(func.count(FineRelief.id)).where(
             granted, FineRelief.kind == ReliefKind.exemption))),
        ("fines_relieved", "Số tiền phạt được giảm, miễn trong kỳ (đồng)",
         scalar(select(func.sum(FineRelief.amount)).where(
             granted, FineRelief.kind != ReliefKind.postponement))),
        ("complaints", "Số khiếu nại đã nhận",
         scalar(select(func.count(Complaint.id)).where(
             Complaint.received_on.between(start, end)))),
        ("complaints_settled", "Số khiếu nại đã giải quyết",
         scalar(select(func.count(Complaint.id)).where(
             Complaint.outcome != ComplaintOutcome.pending,
             Complaint.outcome_on.between(start, end)))),
        ("lawsuits", "Số vụ khởi kiện",
         scalar(select(func.count(Complaint.id)).where(
             Complaint.lawsuit_filed_on.between(start, end)))),
    ]
    return rows


def _relieved(decisions) -> dict[int, int]:
    """{decision id: VND taken off its fine by granted reductions and exemptions (Law
    15/2012/QH13 Art. 77; a postponement takes nothing off)} for the decisions selected by
    `decisions` (a select of decision ids). One query."""
    return {decision_id: int(amount or 0) for decision_id, amount in db.session.execute(
        select(FineRelief.decision_id, func.sum(FineRelief.amount))
        .where(FineRelief.decision_id.in_(decisions), FineRelief.state == PlanState.granted,
               FineRelief.kind != ReliefKind.postponement)
        .group_by(FineRelief.decision_id)).all()}


def collected_in(start: date, end: date) -> tuple[int, int]:
    """(VND collected on fines in `start`–`end`, VND paid in that period beyond what was
    owed): each decision's payments taken in the order paid, counted as collected up to what
    it owes — its fine less the reductions and exemptions granted on the violator's requests
    (Law 15/2012/QH13 Art. 77) — and the rest, beyond the late-payment surcharge (Art. 78(1),
    owed on top of the fine, not a fine), as an over-payment to refund. A part payment counts
    on the day it is paid. Two queries, and the cases of the few decisions paid beyond their
    fine read to count their surcharge."""
    paying = select(Payment.decision_id).where(Payment.paid_on.between(start, end))
    payments = db.session.execute(
        select(Payment.decision_id, Payment.paid_on, Payment.amount, Decision.total_fine)
        .join(Decision, Payment.decision_id == Decision.id)
        .where(Payment.decision_id.in_(paying), Payment.paid_on <= end)
        .order_by(Payment.decision_id, Payment.paid_on, Payment.id)).all()
    relieved = _relieved(paying)
    paid_in_all: dict[int, int] = {}
    for decision_id, _paid_on, amount, _fine in payments:
        paid_in_all[decision_id] = paid_in_all.get(decision_id, 0) + amount
    # what is paid beyond the fine goes to its late-payment surcharge first (Law 15/2012/QH13
    # Art. 78(1)); only the rest is an over-payment (read only for the few paying beyond)
    surcharges = _surcharges([d for d, fine in {p[0]: p[3] for p in payments}.items()
                              if paid_in_all[d] > max(fine - relieved.get(d, 0), 0)], end)
    collected = overpaid = 0
    total: dict[int, int] = {}
    for decision_id, paid_on, amount, fine in payments:
        owed = max(fine - relieved.get(decision_id, 0), 0)
        before = total.get(decision_id, 0)
        total[decision_id] = before + amount
        counted = max(min(before + amount, owed) - before, 0)
        refunded = owed + surcharges.get(decision_id, 0)
        beyond = max(before + amount - refunded, 0) - max(before - refunded, 0)
        if paid_on >= start:
            collected += counted
            overpaid += beyond
    return collected, overpaid


def _surcharges(decision_ids: list[int], on: date) -> dict[int, int]:
    """{decision id: its late-payment surcharge (VND) as its case's standing gives it on
    `on`} for `decision_ids`, each the decision in force of its case (another has none)."""
    if not decision_ids:
        return {}
    out = {}
    for decision in db.session.scalars(select(Decision).where(Decision.id.in_(decision_ids))):
        case = decision.case
        if case.decision is not None and case.decision.id == decision.id:
            s = standing(case, on)
            out[decision.id] = s.surcharge if s is not None else 0
    return out


def collected_by_decision(decision_ids: list[int]) -> dict[int, int]:
    """{decision id: VND collected on its fine to date} for `decision_ids`: all its payments,
    counted up to what it owes — the fine less granted reductions and exemptions (Law
    15/2012/QH13 Art. 77); what was paid beyond is an over-payment to refund, not money
    collected. Decisions with no payment are absent. Two queries whatever the number."""
    if not decision_ids:
        return {}
    ids = select(Decision.id).where(Decision.id.in_(decision_ids))
    relieved = _relieved(ids)
    return {decision_id: min(int(paid), max(fine - relieved.get(decision_id, 0), 0))
            for decision_id, fine, paid in db.session.execute(
                select(Payment.decision_id, Decision.total_fine, func.sum(Payment.amount))
                .join(Decision, Payment.decision_id == Decision.id)
                .where(Payment.decision_id.in_(ids))
                .group_by(Payment.decision_id, Decision.total_fine)).all()}
