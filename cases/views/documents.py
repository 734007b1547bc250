"""Document downloads: the frozen decision, previews, the record, letters, evidence files."""

from __future__ import annotations

from io import BytesIO

from flask import abort, send_file
from flask_login import login_required

from cases import documents
from cases.documents.render import default_signer
from cases.models import CoordinationRequest, Decision, Evidence, Explanation
from cases.operations.intake import evidence_dir
from cases.views import bp
from cases.views.common import get_case
from core.audit import content_matches
from core.clock import clock
from core.documents import signature_level_of
from core.errors import TamperedDocument
from core.uploads import safe_filename
from extensions import db

# Evidence the browser shows itself (by the type sniffed at upload, core.uploads.sniff);
# anything else, saved web pages above all, is downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp"}


def pdf_response(data: bytes, filename: str, *, inline: bool = True):
    """A PDF sent to the browser, never cached."""
    response = send_file(BytesIO(data), mimetype="application/pdf",
                         as_attachment=not inline, download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _issued(response, digest: str | None):
    """The frozen document's SHA-256 and signature level (`core.signing.SignatureLevel`:
    unsigned, b_b, b_t, b_lt) in the headers."""
    response.headers["X-Content-SHA256"] = digest or ""
    response.headers["X-Signature-State"] = signature_level_of(digest)
    return response


# Vietnamese words (without diacritics) for the kind of decision in a file name.
FILE_WORDS = {"sanction": "xu-phat", "amend": "sua-doi", "correct": "dinh-chinh",
              "cancel": "huy-bo", "transfer": "chuyen-ho-so"}


def _frozen(case, decision: Decision):
    if not content_matches(decision.pdf, decision.sha256, decision,
                           what=f"decision {decision.id} of case {case.code}"):
        raise TamperedDocument()
    response = pdf_response(decision.pdf, f"QD-{FILE_WORDS.get(decision.kind, decision.kind)}-"
                                  f"{decision.number}-{decision.year}-{case.code}.pdf")
    return _issued(response, decision.sha256)


@bp.get("/<int:case_id>/decision.pdf")
@login_required
def decision_pdf(case_id: int):
    """The sanction decision in force, byte for byte as frozen at issue."""
    case = get_case(case_id)
    if case.decision is None:
        abort(404)
    return _frozen(case, case.decision)


@bp.get("/<int:case_id>/decisions/<int:decision_id>.pdf")
@login_required
def decision_file(case_id: int, decision_id: int):
    """Any decision of the case (voided and cancelled ones too), as frozen."""
    case = get_case(case_id)
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.case_id != case.id:
        abort(404)
    return _frozen(case, decision)


@bp.get("/<int:case_id>/decision-draft.pdf")
@login_required
def decision_draft(case_id: int):
    """Preview of the decision before issue, watermarked DỰ THẢO."""
    case = get_case(case_id)
    if case.record is None or not case.violations:
        abort(404)
    signer = default_signer(case)
    return pdf_response(documents.draft_decision(case, signer, clock().today()),
                f"du-thao-QD-{case.code}.pdf")


@bp.get("/<int:case_id>/hearings/<int:explanation_id>.pdf")
@login_required
def hearing_pdf(case_id: int, explanation_id: int):
    """The record of an explanation hearing, as frozen when it was made."""
    case = get_case(case_id)
    hearing = db.session.get(Explanation, explanation_id)
    if hearing is None or hearing.case_id != case.id or hearing.pdf is None:
        abort(404)
    response = pdf_response(hearing.pdf, f"BB-giai-trinh-{case.code}-{hearing.id}.pdf")
    response.headers["X-Content-SHA256"] = hearing.sha256
    return response


@bp.get("/<int:case_id>/record.pdf")
@login_required
def record_pdf(case_id: int):
    case = get_case(case_id)
    if case.record is None:
        abort(404)
    record = case.record
    if record.pdf:  # frozen when the record was made
        if not content_matches(record.pdf, record.sha256, record,
                               what=f"violation record of case {case.code}"):
            raise TamperedDocument()
        return _issued(pdf_response(record.pdf, f"BB-{case.code}.pdf"), record.sha256)
    return pdf_response(documents.render_record(case), f"BB-{case.code}.pdf")


@bp.get("/<int:case_id>/coordination/<int:request_id>/letter.pdf")
@login_required
def letter_pdf(case_id: int, request_id: int):
    case = get_case(case_id)
    req = db.session.get(CoordinationRequest, request_id)
    if req is None or req.case_id != case.id:
        abort(404)
    return pdf_response(documents.render_letter(req), f"CV-{case.code}-{req.id}.pdf")


@bp.get("/<int:case_id>/evidence/<int:evidence_id>")
@login_required
def evidence_file(case_id: int, evidence_id: int):
    case = get_case(case_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.case_id != case.id or not evidence.stored_name:
        abort(404)
    path = evidence_dir() / evidence.stored_name
    if not path.is_file():
        abort(404)
    if evidence.sha256 and not content_matches(path.read_bytes(), evidence.sha256, evidence,
                                               what=f"evidence {evidence.id} of {case.code}"):
        raise TamperedDocument()
    inline = evidence.content_type in INLINE_TYPES
    response = send_file(path, mimetype=evidence.content_type or "application/octet-stream",
                         as_attachment=not inline,
                         download_name=safe_filename(evidence.filename, "evidence"))
    response.headers["X-Content-Type-Options"] = "nosniff"
    if inline and evidence.content_type.startswith("image/"):  # nothing in it may run
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; " \
                                                      "img-src 'self'; style-src 'unsafe-inline'"
    return response


