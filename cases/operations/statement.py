"""Importing a Treasury or bank statement (docs/legal/enforcement.md#statement-import): a CSV
or XLSX file, one row per payment with the decision number, the amount, the date and the
receipt. The preview matches each row to an issued sanction decision and says what it would
do — record it, record it and flag an over-payment, or skip it (no such decision, receipt
already recorded, a case that cannot take a payment) — without writing a payment; confirming
records every matched row in the caller's one transaction. The file is read with the
registry import's safeguards (`registry.reading`: archive size and ratio, declared sheet
dimension ignored, row limit, CSV encodings)."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from auth.permissions import has_permission
from cases.enforcement import standing
from cases.models import (
    Case,
    CaseAction,
    Decision,
    DecisionKind,
    DecisionStatus,
    PaymentPlace,
    StatementBatch,
    StatementOutcome,
)
from cases.operations.enforcement import add_payment
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from core.uploads import safe_filename
from extensions import db
from legal.dates import parse_date_vn
from legal.money import parse_vnd
from legal.numbering import normalise_number
from legal.text import fold
from registry.reading import ImportError_, Layout, read_rows

COLUMNS = [
    ("number", "Số quyết định", ["so qd", "decision", "decision number", "so quyet dinh xu phat"]),
    ("amount", "Số tiền", ["amount", "so tien nop", "so tien phat"]),
    ("paid_on", "Ngày nộp", ["date", "paid on", "ngay", "ngay nop tien"]),
    ("receipt_number", "Số biên lai", ["receipt", "receipt number", "so chung tu", "bien lai"]),
    ("place", "Nơi nộp", ["place", "paid at", "noi nop tien"]),
]
LAYOUT = Layout(COLUMNS, ("number", "amount", "paid_on"))
PLACE_WORDS = {PaymentPlace.treasury: ["kho bac", "kbnn", "treasury"],
               PaymentPlace.bank: ["ngan hang", "bank"],
               PaymentPlace.in_person: ["truc tiep", "in person"],
               PaymentPlace.online: ["truc tuyen", "dich vu cong", "online"]}


def _place(text: str) -> str:
    folded = fold(text or "")
    for place, words in PLACE_WORDS.items():
        if any(w in folded for w in words):
            return place
    return PaymentPlace.treasury


def _require(user) -> None:
    if not has_permission(user, "decision.issue"):
        raise NotAllowed(_("You are not allowed to do this."))


def preview(user, filename: str, content: bytes) -> StatementBatch:
    """Read the statement and record each row's outcome in a StatementBatch: `matched` (the
    decision in force with that number, its case taking payments), `overpaid` (matched, and
    with the rows above it more than the decision's balance), `unmatched`, `duplicate` (the
    receipt is already recorded, or repeats a row above) or `refused` (an unreadable amount
    or date, or a case that cannot take a payment: not delivered, closed, not yours).
    Amounts in VND. No payment is written. Raises NotAllowed, or OperationError when the
    file cannot be read."""
    _require(user)
    try:
        rows = read_rows(filename, content, LAYOUT)
    except ImportError_ as exc:
        raise OperationError(str(exc), "file") from exc
    decisions: dict[str, list[Decision]] = {}
    for d in db.session.scalars(
            select(Decision).where(Decision.kind == DecisionKind.sanction,
                                   Decision.status == DecisionStatus.issued)
            .options(selectinload(Decision.payments), selectinload(Decision.case))):
        decisions.setdefault(d.full_number, []).append(d)
    receipts = {p.receipt_number for ds in decisions.values() for d in ds for p in d.payments
                if p.receipt_number}
    pending: dict[int, int] = {}  # decision id → amount of the rows above
    out = []
    for line, values in rows:
        row = {"line": line, "number": values.get("number", ""),
               "amount_text": values.get("amount", ""), "paid_on_text": values.get("paid_on", ""),
               "receipt_number": values.get("receipt_number", "") or None,
               "place": _place(values.get("place", ""))}
        out.append(row)
        try:
            amount = parse_vnd(row["amount_text"])
            paid_on = parse_date_vn(row["paid_on_text"])
        except ValueError as exc:
            row.update(outcome=StatementOutcome.refused, message=str(exc))
            continue
        if amount <= 0:
            row.update(outcome=StatementOutcome.refused,
                       message=_("The amount must be more than 0 đồng."))
            continue
        row.update(amount=amount, paid_on=paid_on.isoformat())
        number = normalise_number(row["number"])
        found = [d for d in decisions.get(number, []) if d.issued_on <= paid_on]
        if not found:
            row.update(outcome=StatementOutcome.unmatched,
                       message=_("No sanction decision in force numbered %(n)s issued on or "
                                 "before the payment.", n=number or "—"))
            continue
        decision = max(found, key=lambda d: d.issued_on)
        case = decision.case
        row.update(decision_id=decision.id, case_id=case.id, case_code=case.code,
                   decision_number=decision.full_number, subject=case.subject_name)
        if row["receipt_number"] and row["receipt_number"] in receipts:
            row.update(outcome=StatementOutcome.duplicate,
                       message=_("Receipt %(r)s is already recorded.", r=row["receipt_number"]))
            continue
        if not case.may(user, CaseAction.pay) or paid_on > clock().today():
            row.update(outcome=StatementOutcome.refused,
                       message=_("Case %(code)s cannot take a payment now (it is not delivered, "
                                 "already closed, or not yours), or the date is in the future.",
                                 code=case.code))
            continue
        if row["receipt_number"]:
            receipts.add(row["receipt_number"])
        # what the row may pay without an over-payment: the fine as the reliefs leave it and
        # the late-payment surcharge to the day paid (the Treasury collects both, Law
        # 15/2012/QH13 Art. 78(1)), less what is recorded and the rows above
        s = standing(case, paid_on) if case.decision is decision else None
        owed = (s.owed + s.surcharge - s.paid) if s is not None else (
            decision.total_fine - sum(p.amount for p in decision.payments))
        balance = owed - pending.get(decision.id, 0)
        pending[decision.id] = pending.get(decision.id, 0) + amount
        if amount > balance:
            row.update(outcome=StatementOutcome.overpaid,
                       message=_("%(over)s đ more than the balance.",
                                 over=f"{amount - max(balance, 0):,}".replace(",", ".")))
        else:
            row.update(outcome=StatementOutcome.matched, message="")
    batch = StatementBatch(token=secrets.token_urlsafe(24), user_id=user.id,
                           filename=safe_filename(filename, "statement"), rows=out,
                           created_at=clock().now())
    db.session.add(batch)
    db.session.flush()
    return batch


RECORDED = (StatementOutcome.matched, StatementOutcome.overpaid)


def apply(user, batch: StatementBatch) -> tuple[int, bool]:
    """Record every matched (and over-paying) row of a previewed statement as a payment, in
    the caller's one transaction: one refusal (a case that changed meanwhile) raises and the
    caller rolls everything back. Returns (payments recorded, applied now); a batch already
    applied (a second click) records nothing and returns False. Raises NotAllowed or
    OperationError naming the line."""
    _require(user)
    if batch.user_id != user.id:
        raise NotAllowed(_("You are not allowed to do this."))
    db.session.refresh(batch, with_for_update=True)
    rows = [r for r in batch.rows if r["outcome"] in RECORDED]
    if batch.applied_at is not None:
        return len(rows), False
    cases = {}
    for row in rows:
        case = db.session.get(Case, row["case_id"])
        if case.id not in cases:
            if not case.may(user, CaseAction.pay) or case.decision is None \
                    or case.decision.id != row["decision_id"]:
                raise OperationError(_("Line %(line)d (%(n)s): the case changed since the "
                                       "preview; nothing was recorded. Upload the statement "
                                       "again.", line=row["line"], n=row["decision_number"]))
            cases[case.id] = case
        try:
            add_payment(user, case, date.fromisoformat(row["paid_on"]), row["amount"],
                        receipt_number=row["receipt_number"], place=row["place"])
        except (OperationError, NotAllowed) as exc:
            raise OperationError(_("Line %(line)d (%(n)s): %(message)s", line=row["line"],
                                   n=row["decision_number"], message=str(exc))) from exc
    batch.applied_at = clock().now()
    audit.record(user, "payment.imported", batch, note=batch.filename,
                 after={"recorded": len(rows), "rows": len(batch.rows)})
    return len(rows), True
