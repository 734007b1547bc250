"""Opening a case, its evidence, verification, dismissal and transfer."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from auth.permissions import has_permission
from cases import deadlines
from cases.models import Case, CaseAction, CaseState, Evidence, TransferTarget
from cases.operations.base import check, require, transition
from cases.operations.decisions import transfer_document
from cases.operations.record import repin_violations
from core import audit
from core.clock import clock
from core.numbering import next_number
from core.uploads import safe_filename, sniff
from extensions import db

LAW_IN_FORCE = date(2013, 7, 1)  # Law 15/2012/QH13 on Handling Administrative Violations
SUBJECT_FIELDS = (
    "subject_kind", "subject_name", "subject_id_number", "subject_id_issued_on",
    "subject_id_issued_by", "subject_birth_date", "subject_nationality", "subject_occupation",
    "subject_gender",
    "subject_address", "subject_representative", "subject_representative_title",
)
CASE_FIELDS = SUBJECT_FIELDS + (
    "site_id", "detection_method", "detected_on", "violation_ended_on", "description",
    "supervisor_id",
)


def _check_dates(data: dict) -> None:
    today = clock().today()
    detected = data.get("detected_on")
    ended = data.get("violation_ended_on")
    check(detected is not None, _("The detection date is required."), "detected_on")
    check(detected <= today, _("The detection date cannot be in the future."), "detected_on")
    check(detected >= LAW_IN_FORCE,
          _("The detection date must be on or after 01/07/2013, when the Law on Handling "
            "Administrative Violations came into force."), "detected_on")
    if ended is not None:
        check(ended <= today, _("The date the violation ended cannot be in the future."),
              "violation_ended_on")
        check(ended >= LAW_IN_FORCE,
              _("The date the violation ended must be on or after 01/07/2013."),
              "violation_ended_on")
    birth = data.get("subject_birth_date")
    if birth is not None:
        check(birth < today, _("The date of birth must be in the past."), "subject_birth_date")
    issued = data.get("subject_id_issued_on")
    if issued is not None:
        check(issued <= today, _("The ID document cannot have been issued in the future."),
              "subject_id_issued_on")


def open_case(user, data: dict) -> Case:
    """Open a case in state `detected` with a new code ``VV-<year>-<4 digits>``.

    `data` holds the keys of `CASE_FIELDS` (dates as `date`, text already NFC). Computes the
    limitation deadline. Raises NotAllowed or OperationError (field-specific message).
    """
    require(has_permission(user, "case.create"))
    _check_dates(data)
    now = clock().now()
    year = clock().today().year
    number = next_number("department", "case", year)
    case = Case(code=f"VV-{year}-{number:04d}", state=CaseState.detected,
                inspector_id=user.id, created_at=now, updated_at=now)
    for name in CASE_FIELDS:
        setattr(case, name, data.get(name))
    db.session.add(case)
    db.session.flush()
    case.refresh_search_text()
    audit.record(user, "case.opened", case, case=case,
                 after={"code": case.code, "subject": case.subject_name})
    deadlines.recompute(case)
    return case


def update_case(user, case: Case, data: dict) -> Case:
    """Correct the subject and the facts of a case while no decision has been proposed.
    Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.edit))
    _check_dates(data)
    before = {name: str(getattr(case, name)) for name in CASE_FIELDS}
    for name in CASE_FIELDS:
        setattr(case, name, data.get(name))
    if before["detected_on"] != str(case.detected_on) or (
            before["violation_ended_on"] != str(case.violation_ended_on)):
        repin_violations(case)
    case.updated_at = clock().now()
    db.session.flush()
    case.refresh_search_text()
    after = {name: str(getattr(case, name)) for name in CASE_FIELDS}
    changed = {k for k in after if after[k] != before[k]}
    audit.record(user, "case.updated", case, case=case,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    deadlines.recompute(case)
    return case


def evidence_dir() -> Path:
    path = Path(current_app.instance_path) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_evidence(user, case: Case, *, content: bytes | None = None, filename: str | None = None,
                 content_type: str | None = None, url: str | None = None,
                 note: str | None = None) -> Evidence:
    """Attach evidence: an uploaded file (its type checked by content, `core.uploads.sniff`;
    bytes stored outside static under a random name; SHA-256 of the bytes kept) and/or the
    URL where the content was seen. The browser's `content_type` is ignored; the file's
    name is kept without any path or control character (`core.uploads.safe_filename`).
    Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.add_evidence))
    check(bool(content) or bool(url), _("Attach a file or give the URL of the content."), "file")
    if content:
        content_type = sniff(content)
    evidence = Evidence(case_id=case.id, kind="file" if content else "url", url=url,
                        captured_at=clock().now(), captured_by_id=user.id, note=note)
    if content:
        stored = secrets.token_hex(16)
        (evidence_dir() / stored).write_bytes(content)
        evidence.filename = safe_filename(filename, "evidence")  # no path, no CR/LF
        evidence.stored_name = stored
        evidence.content_type = content_type
        evidence.size = len(content)
        evidence.sha256 = hashlib.sha256(content).hexdigest()
    db.session.add(evidence)
    db.session.flush()
    audit.record(user, "evidence.added", evidence, case=case,
                 after={"file": evidence.filename, "url": url, "sha256": evidence.sha256})
    return evidence


def withdraw_evidence(user, evidence: Evidence, reason: str) -> None:
    """Withdraw evidence added by mistake: it stays in the case (file, URL and SHA-256 kept,
    shown struck out with who withdrew it, when and why) and in the audit trail, and is no
    longer counted as evidence. Never deleted. Raises NotAllowed, or OperationError (no
    reason; already withdrawn)."""
    case = evidence.case
    require(case.may(user, CaseAction.add_evidence))
    check(not evidence.withdrawn, _("This evidence was already withdrawn."))
    reason = (reason or "").strip()
    check(bool(reason), _("Say why the evidence is withdrawn."), "withdrawal_reason")
    evidence.withdrawn_at = clock().now()
    evidence.withdrawn_by_id = user.id
    evidence.withdrawal_reason = reason
    audit.record(user, "evidence.withdrawn", evidence, case=case,
                 before={"file": evidence.filename, "url": evidence.url,
                         "sha256": evidence.sha256}, note=reason)


def start_verification(user, case: Case) -> None:
    """detected → verifying. Raises NotAllowed."""
    require(case.may(user, CaseAction.verify))
    transition(case, user, CaseState.verifying, "case.verifying")


def dismiss_case(user, case: Case, reason: str) -> None:
    """Close the case without sanction (no violation, or time-barred); a reason is required.
    Cancels every open deadline. Raises NotAllowed or OperationError."""
    require(case.may(user, CaseAction.dismiss))
    check(bool(reason and reason.strip()), _("Give the reason for dismissing the case."), "reason")
    case.outcome_note = reason
    case.closed_on = clock().today()
    transition(case, user, CaseState.dismissed, "case.dismissed", note=reason)
    deadlines.recompute(case)


def transfer_case(user, case: Case, reason: str, target: str = TransferTarget.criminal,
                  recipient: str | None = None):
    """Transfer the case file, signed by a supervisor: to the criminal proceedings body when signs
    of a crime appear (no administrative decision; form MQĐ33), or to the competent official when
    the fines exceed the signer's competence (docs/legal/competence.md#above-competence). Issues the
    numbered transfer decision and closes the case here. Raises NotAllowed or OperationError.
    Returns the transfer decision."""
    require(case.may(user, CaseAction.transfer))
    check(target in tuple(TransferTarget), _("Choose where the case goes."), "target")
    check(bool(reason and reason.strip()), _("Give the reason for the transfer."), "reason")
    check(bool(recipient and recipient.strip()),
          _("Name the body or official the case goes to."), "recipient")
    doc = transfer_document(user, case, target, recipient, reason)
    case.outcome_note = f"{reason} ({doc.full_number})"
    case.closed_on = clock().today()
    transition(case, user, CaseState.transferred, "case.transferred", note=reason,
               extra={"to": recipient, "decision": doc.full_number, "sha256": doc.sha256})
    deadlines.recompute(case)
    return doc
