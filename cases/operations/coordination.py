"""Coordination requests to partner agencies, beside the main line of the case."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from cases import deadlines
from cases.models import Case, CaseAction, CoordinationRequest
from cases.operations.base import check, require
from cases.operations.intake import add_evidence
from core import audit
from core.agency import symbol
from core.clock import clock
from extensions import db
from legal.dates import format_date_vn
from legal.numbering import normalise_number

REQUEST_FIELDS = ("partner", "partner_name", "letter_number", "sent_on", "request_text",
                  "response_due_on")


def request_coordination(user, case: Case, data: dict) -> CoordinationRequest:
    """Record a coordination request (partner, letter number, what is asked, response due
    date) and create its response deadline. The letter number is stored as printed: "5" →
    "05/<the letter symbol>" (`legal.numbering.normalise_number`, a leading zero below 10).
    Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.coordinate))
    _check_request(case, data)
    req = CoordinationRequest(case_id=case.id, created_by_id=user.id, created_at=clock().now())
    for name in REQUEST_FIELDS:
        setattr(req, name, data.get(name))
    if req.letter_number:
        req.letter_number = normalise_number(req.letter_number, symbol("letter"))
    db.session.add(req)
    db.session.flush()
    audit.record(user, "coordination.requested", req, case=case,
                 after={"partner": req.partner, "letter": req.letter_number,
                        "due": req.response_due_on.isoformat()})
    deadlines.recompute(case)
    return req


def update_coordination(user, req: CoordinationRequest, data: dict) -> None:
    """Correct a coordination request until it is answered: its letter number (often known
    only once the letter is registered), addressee, dates and text, checked as when it was
    recorded; its response deadline follows. The change is audited (before and after).
    Raises NotAllowed, or OperationError (answered already; the checks of
    `request_coordination`)."""
    case = req.case
    require(case.may(user, CaseAction.coordinate))
    check(not req.answered, _("This request is answered: it can no longer be changed."))
    _check_request(case, data)
    before = {name: _shown(getattr(req, name)) for name in REQUEST_FIELDS}
    for name in REQUEST_FIELDS:
        setattr(req, name, data.get(name))
    if req.letter_number:
        req.letter_number = normalise_number(req.letter_number, symbol("letter"))
    after = {name: _shown(getattr(req, name)) for name in REQUEST_FIELDS}
    changed = [k for k in after if after[k] != before[k]]
    audit.record(user, "coordination.changed", req, case=case,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    deadlines.recompute(case)


def _shown(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _check_request(case: Case, data: dict) -> None:
    sent_on, due_on = data.get("sent_on"), data.get("response_due_on")
    check(sent_on is not None, _("The date the letter was sent is required."), "sent_on")
    check(due_on is not None, _("The response due date is required."), "response_due_on")
    check(sent_on <= clock().today(), _("The date cannot be in the future."), "sent_on")
    check(sent_on >= case.detected_on,
          _("The letter cannot be sent before the violation was detected (%(d)s).",
            d=format_date_vn(case.detected_on)), "sent_on")
    check(due_on >= sent_on, _("The response due date cannot be before the letter was sent."),
          "response_due_on")
    check(due_on <= sent_on + timedelta(days=365),
          _("The response due date must be within a year of the letter."), "response_due_on")


def record_response(user, req: CoordinationRequest, received_on, summary: str, *,
                    content: bytes | None = None, filename: str | None = None) -> None:
    """Record the partner's response (date received and a summary); meets its deadline.
    `content`/`filename`: the reply letter's file, kept as evidence of the case linked to
    the request (`add_evidence`: type checked by content, SHA-256). Raises NotAllowed or
    OperationError."""
    case = req.case
    require(case.may(user, CaseAction.coordinate))
    check(received_on is not None, _("The date the response was received is required."),
          "received_on")
    check(received_on >= req.sent_on,
          _("The response cannot arrive before the request was sent."), "received_on")
    check(received_on <= clock().today(), _("The date cannot be in the future."), "received_on")
    check(bool(summary), _("Summarise the response."), "summary")
    req.response_received_on = received_on
    req.response_summary = summary
    if content:
        reply = add_evidence(user, case, content=content, filename=filename,
                             note=_("Reply of %(partner)s to the coordination request",
                                    partner=req.partner_name))
        reply.coordination_id = req.id
    audit.record(user, "coordination.answered", req, case=case,
                 after={"received_on": received_on.isoformat()})
    deadlines.recompute(case)
