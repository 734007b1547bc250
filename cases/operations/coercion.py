"""Coercion (Law 15/2012/QH13 Art. 86; docs/legal/enforcement.md#coercion): a decision
enforcing the sanction decision, drafted from the case in enforcement and proposed by one
official, signed by a supervisor who did not propose it, numbered in its own series, frozen
and delivered. The limitation period for enforcing (Art. 74) guards it: past it only the
remedial measures may still be enforced."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from auth.permissions import has_permission
from cases.documents.coercion import coercion_snapshot, render_coercion
from cases.enforcement import standing
from cases.models import (
    Case,
    CaseAction,
    CaseState,
    CoercionDecision,
    CoercionMethod,
    CoercionState,
)
from cases.operations.base import check, require
from catalogue.engine import enforcement as enforcement_data
from core import audit
from core.agency import agency, symbol
from core.clock import clock
from core.documents import freeze
from core.models import DocumentKind
from core.numbering import next_number
from extensions import db
from legal.dates import format_date_vn
from legal.enforcement import EnforcementError, coercion_decree


def _guard(case: Case, method: str, on: date) -> None:
    """Coercion enforces a decision not complied with after its time limit (Law 15/2012/QH13
    Art. 86(1)): a method on the fine only once the last day to pay has passed with money
    unpaid (the compliance deadline, or the postponement's end or the instalment's last day
    in force: `cases.enforcement.standing`'s `pay_by`), and a remedial measure only once its
    own deadline has passed with it pending. Past the limitation period for enforcing
    (Art. 74(1)) only remedial measures may be enforced; the fine no longer. Raises
    OperationError naming the field "method"."""
    s = standing(case, on)
    check(s is not None, _("There is no decision in force to enforce."), "method")
    if method != CoercionMethod.remedial:
        check(s.limitation_ends is None or on <= s.limitation_ends,
              _("The limitation period for enforcing ended on %(day)s: the fine can no longer "
                "be enforced (Art. 74); only remedial measures may be.",
                day=format_date_vn(s.limitation_ends) if s.limitation_ends else ""), "method")
        # the fine, or the surcharge of a fine paid late (Art. 78(1)), unpaid
        check(s.balance > 0 or s.surcharge_unpaid > 0, _("Nothing of the fine is unpaid."),
              "method")
        check(s.fine_overdue or s.surcharge_late, _(
            "The fine is not late: it may be paid until %(day)s. Coercion enforces only a "
            "decision not complied with after its time limit (Art. 86).",
            day=format_date_vn(s.pay_by) if s.pay_by else "—"), "method")
    else:
        check(bool(s.pending), _("No remedial measure is pending."), "method")
        check(bool(s.overdue), _(
            "No remedial measure is past its deadline: coercion enforces only a decision not "
            "complied with after its time limit (Art. 86)."), "method")


def propose_coercion(user, case: Case, method: str, details: str) -> CoercionDecision:
    """Draft the coercion decision of a case in enforcement by `method` (Law Art. 86(1)) with
    `details` (the account, employer, property…); the amounts are the fine unpaid and the
    surcharge to today (VND). Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.pay) and case.state == CaseState.enforcement)
    check(method in CoercionMethod.__members__, _("Choose the method."), "method")
    check(bool((details or "").strip()), _("Say where and on what it is enforced."), "details")
    today = clock().today()
    _guard(case, method, today)
    check(not any(c.state == CoercionState.proposed for c in case.coercions),
          _("A coercion decision is already waiting for its signature."), "method")
    s = standing(case, today)
    doc = CoercionDecision(
        case_id=case.id, decision_id=case.decision.id, method=method, details=details.strip(),
        fine_due=s.balance if method != CoercionMethod.remedial else 0,
        surcharge=(s.surcharge - s.surcharge_paid) if method != CoercionMethod.remedial else 0,
        state=CoercionState.proposed, proposer_id=user.id, proposed_on=today)
    db.session.add(doc)
    db.session.flush()
    db.session.expire(case, ["coercions"])
    audit.record(user, "coercion.proposed", doc, case=case,
                 after={"method": method, "fine_due": doc.fine_due, "surcharge": doc.surcharge})
    return doc


def issue_coercion(user, doc: CoercionDecision, issued_on: date | None = None) -> None:
    """Sign and issue a proposed coercion decision: a supervisor who did not propose it
    (separation of duties), the next number of the year in the coercion series, the surcharge
    recomputed to the day of issue, the PDF rendered, signed and frozen with its SHA-256
    (`core.documents.freeze`, which also registers it). Refused past
    the limitation period for enforcing (but for remedial measures). Raises NotAllowed or
    OperationError."""
    case = doc.case
    require(has_permission(user, "decision.correct") and user.id != doc.proposer_id,
            _("Only a supervisor who did not propose it can sign the coercion decision."))
    check(doc.state == CoercionState.proposed, _("This decision is already issued."), "issued_on")
    today = clock().today()
    issued_on = issued_on or today
    check(doc.proposed_on <= issued_on <= today,
          _("The date must be between the proposal and today."), "issued_on")
    _guard(case, doc.method, issued_on)
    try:
        coercion_decree(issued_on, data=enforcement_data())
    except EnforcementError as exc:
        check(False, str(exc), "issued_on")
    if doc.method != CoercionMethod.remedial:
        s = standing(case, issued_on)
        doc.fine_due, doc.surcharge = s.balance, s.surcharge
    issuer = agency()["short_code"]
    doc.issuer, doc.year, doc.symbol = issuer, issued_on.year, symbol("coercion")
    doc.number = next_number(issuer, "coercion", issued_on.year)
    doc.issued_on, doc.signer_id, doc.state = issued_on, user.id, CoercionState.issued
    doc.snapshot = coercion_snapshot(case, doc, case.decision, user)
    frozen = freeze(render_coercion(doc.snapshot), kind=DocumentKind.decision,
                    reference=doc.full_number, signer_name=user.full_name, case_id=case.id)
    doc.pdf, doc.sha256 = frozen.pdf, frozen.sha256
    db.session.flush()
    audit.record(user, "coercion.issued", doc, case=case,
                 after={"number": doc.full_number, "sha256": doc.sha256,
                        "total": doc.fine_due + doc.surcharge})


def deliver_coercion(user, doc: CoercionDecision, sent_on: date,
                     delivered_on: date | None = None) -> None:
    """The coercion decision was sent on `sent_on` and received on `delivered_on` (None: not
    yet). Raises NotAllowed or OperationError."""
    case = doc.case
    require(case.may(user, CaseAction.pay))
    check(doc.state == CoercionState.issued, _("Issue the decision first."), "sent_on")
    today = clock().today()
    check(sent_on is not None and doc.issued_on <= sent_on <= today,
          _("The date must be between the decision and today."), "sent_on")
    check(delivered_on is None or sent_on <= delivered_on <= today,
          _("It cannot be received before it was sent."), "delivered_on")
    doc.sent_on, doc.delivered_on = sent_on, delivered_on
    audit.record(user, "coercion.delivered", doc, case=case,
                 after={"sent_on": sent_on.isoformat(),
                        "delivered_on": delivered_on.isoformat() if delivered_on else None})
