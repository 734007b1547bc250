"""The violator's right to explain as a workflow (Law 15/2012/QH13 Art. 61;
docs/legal/procedure.md#right-to-explain): the inspector records a written explanation, a
request for a hearing, the hearing (its own record, printed and frozen) or a written waiver;
the sanction decision waits until the violator has explained or waived, or the windows have
closed."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from cases import deadlines
from cases.documents.explanation import render_hearing
from cases.models import Case, CaseAction, Explanation, ExplanationKind
from cases.operations.base import check, require
from cases.operations.intake import add_evidence
from core import audit
from core.clock import clock
from core.documents import freeze
from core.errors import OperationError
from core.models import DocumentKind
from extensions import db
from legal.dates import format_date_vn
from legal.deadlines import RuleError
from legal.numbering import normalise_number
from legal.procedure import ProcedureError, form_for

# What a file of each kind is, in the note of the evidence that keeps it.
FILE_NOTES = {ExplanationKind.written: "Văn bản giải trình của cá nhân, tổ chức vi phạm",
              ExplanationKind.hearing_request: "Văn bản yêu cầu giải trình trực tiếp",
              ExplanationKind.waiver: "Văn bản không yêu cầu giải trình"}


def _check_date(case: Case, on: date | None, field: str) -> None:
    check(on is not None, _("The date is required."), field)
    check(on <= clock().today(), _("The date cannot be in the future."), field)
    check(on >= case.record.made_on,
          _("The date cannot be before the violation record (%(d)s).",
            d=format_date_vn(case.record.made_on)), field)


def record_explanation(user, case: Case, *, kind: str, received_on: date | None,
                       content: bytes | None = None, filename: str | None = None,
                       note: str | None = None) -> Explanation:
    """Record what the violator sent about the right to explain: a written explanation, a
    request for a hearing, or a written waiver (`kind`), received on `received_on`; the
    document's file is kept as evidence of the case (type checked by content), `note`
    summarises it.

    Only while the decision is awaited and the record gives the right. A written
    explanation or a waiver needs its file (the violator's signed text); a hearing request
    received after its window (2 working days from the record, Art. 61) is refused: it no
    longer holds the decision. Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.explain))
    check(kind in (ExplanationKind.written, ExplanationKind.hearing_request,
                   ExplanationKind.waiver), _("Choose what the violator sent."), "kind")
    _check_date(case, received_on, "received_on")
    note = (note or "").strip() or None
    if kind in (ExplanationKind.written, ExplanationKind.waiver):
        check(bool(content), _("Attach the document the violator signed."), "file")
    if kind == ExplanationKind.hearing_request:
        due = _windows(case)["explanation_hearing_request"].due_on
        check(received_on <= due,
              _("The time to ask for a hearing ended on %(d)s; a request received later "
                "does not hold the decision (Art. 61 of the Law on Handling Administrative "
                "Violations). Record it as a written explanation if it explains the facts.",
                d=format_date_vn(due)), "received_on")
    evidence = None
    if content:
        try:
            evidence = add_evidence(user, case, content=content, filename=filename,
                                    note=f"{FILE_NOTES[kind]} ({format_date_vn(received_on)})")
        except OperationError as exc:
            raise OperationError(exc.message, "file") from None
    explanation = Explanation(case_id=case.id, kind=kind, received_on=received_on, note=note,
                              evidence_id=evidence.id if evidence else None,
                              recorded_by_id=user.id, created_at=clock().now())
    db.session.add(explanation)
    db.session.flush()
    audit.record(user, f"explanation.{kind}", explanation, case=case,
                 after={"received_on": received_on.isoformat(),
                        "sha256": evidence.sha256 if evidence else None})
    deadlines.recompute(case)
    return explanation


def record_hearing(user, case: Case, *, held_on: date | None, number: str, place: str,
                   participants: str, statement: str) -> Explanation:
    """Record the explanation hearing (phiên giải trình trực tiếp, Law Art. 61(3)) with its
    own record — form MBB03 of Decree 118/2021 from 2022 ("Số: 01/BB-GTTT"), the same layout
    before (docs/legal/documents.md#forms) — rendered and frozen (PDF and SHA-256).
    `participants`: who took part (one per line), `statement`: what the violator or their
    representative said. The number is stored as printed (a leading zero below 10) and must
    be unused in its year. Raises NotAllowed or OperationError naming the field."""
    require(case.may(user, CaseAction.explain))
    _check_date(case, held_on, "held_on")
    try:
        symbol = form_for("hearing", held_on).symbol
    except ProcedureError as exc:
        raise OperationError(str(exc), "held_on") from None
    number = normalise_number(number or "", symbol)
    check(bool(number), _("The record number is required."), "number")
    check(bool((place or "").strip()), _("The place is required."), "place")
    check(bool((statement or "").strip()),
          _("Write what the violator said at the hearing."), "statement")
    taken = [e for e in db.session.query(Explanation).filter(
        Explanation.kind == ExplanationKind.hearing, Explanation.number == number)
        if e.received_on.year == held_on.year]
    check(not taken, _("Hearing record number %(n)s is already used in %(year)d.", n=number,
                       year=held_on.year), "number")
    hearing = Explanation(case_id=case.id, kind=ExplanationKind.hearing, received_on=held_on,
                          number=number, place=place.strip(),
                          participants=(participants or "").strip() or None,
                          note=statement.strip(), recorded_by_id=user.id,
                          created_at=clock().now())
    db.session.add(hearing)
    db.session.flush()
    # signed and registered like every issued record (core.documents.freeze)
    frozen = freeze(render_hearing(case, hearing), kind=DocumentKind.record, reference=number,
                    signer_name=user.full_name, case_id=case.id)
    hearing.pdf, hearing.sha256 = frozen.pdf, frozen.sha256
    audit.record(user, "explanation.hearing", hearing, case=case,
                 after={"number": number, "held_on": held_on.isoformat(),
                        "sha256": hearing.sha256})
    deadlines.recompute(case)
    return hearing


def _windows(case: Case) -> dict:
    """The two windows' last days as computed objects with `due_on`: the case's stored
    deadlines when both are there (no query on the case page), else computed."""
    stored = {d.key: d for d in case.deadlines if d.key in deadlines.EXPLANATION_WINDOWS}
    if len(stored) == len(deadlines.EXPLANATION_WINDOWS):
        return stored
    try:
        return deadlines.explanation_windows(case.record.made_on)
    except RuleError as exc:
        raise OperationError(str(exc)) from None


def explanation_hold(case: Case, on: date) -> str | None:
    """Why a sanction decision dated `on` cannot be issued yet because of the right to
    explain (a message for the user), or None when it may.

    When the record gives the right (Law 15/2012/QH13 Art. 61(1)): a hearing requested in
    time holds the decision until the hearing's record is made; otherwise a written
    explanation, a hearing or a written waiver frees it, and without any of them the decision
    may be dated only after both windows have closed (the hearing request: 2 working days;
    the written explanation: 5 days, 5 working days from 2022;
    docs/legal/procedure.md#right-to-explain)."""
    record = case.record
    if record is None or not record.explanation_right:
        return None
    kinds = {e.kind for e in case.explanations}
    if ExplanationKind.hearing_request in kinds and ExplanationKind.hearing not in kinds:
        return _("The violator asked for a hearing: record the hearing and its record before "
                 "issuing the decision (Art. 61 of the Law on Handling Administrative "
                 "Violations).")
    if kinds & {ExplanationKind.written, ExplanationKind.hearing, ExplanationKind.waiver}:
        return None
    windows = _windows(case)
    last = max(w.due_on for w in windows.values())
    if on > last:
        return None
    return _("The violator may still explain: a hearing can be asked for until %(h)s and a "
             "written explanation sent until %(w)s (Art. 61 of the Law on Handling "
             "Administrative Violations). Issue the decision from %(next)s, or once the "
             "violator has explained or waived the right in writing.",
             h=format_date_vn(windows["explanation_hearing_request"].due_on),
             w=format_date_vn(windows["explanation_written"].due_on),
             next=format_date_vn(date.fromordinal(last.toordinal() + 1)))
