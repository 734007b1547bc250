"""The sanction decision (MQĐ02), the violation record (MBB01) and the coordination letter.

A decision is rendered from a *snapshot*: a plain dict of every value the document shows,
built once at issue and stored with the PDF, so the frozen document can be explained later
(docs/legal/documents.md#decision-layout; Decree 118/2021/NĐ-CP forms; Decree 30/2020/NĐ-CP
formatting).
"""

from __future__ import annotations

from cases.deadlines import explanation_windows
from cases.documents.explanation import explanation_lines
from cases.documents.render import (
    agency_block,
    default_signer,
    department_block,
    department_signer_block,
    signer_block,
    subject_block,
)
from cases.models import (
    Case,
    CoordinationRequest,
    Decision,
    ExplanationKind,
    SanctionKind,
    SubjectKind,
)
from catalogue.engine import citation, legal_catalogue
from core.agency import agency, symbol
from core.pdf import nfc, render_document, render_pdf
from legal.catalogue import short_citation
from legal.circumstances import cite, name
from legal.competence import titles
from legal.dates import date_line, format_date_vn
from legal.money import format_vnd
from legal.numbering import normalise_number
from legal.procedure import competence_basis, end_bases, form_for
from legal.words import amount_in_words

TEMPLATE_VERSION = "mqd02-2014.2"
FIELD_TITLES = {"electronic_information": "thông tin điện tử", "press": "báo chí, xuất bản"}


def _violations(case: Case) -> list[dict]:
    rows = []
    for v in case.violations:
        fine = v.fine_amount if v.sanction_kind == SanctionKind.fine else None
        rows.append({
            "clause_id": v.clause_id, "version": v.clause_version,
            "citation": citation(v.clause), "citation_short": short_citation(v.clause_id),
            "act": v.clause.act_vi, "description": v.description,
            "circumstances": v.circumstances, "sanction_kind": v.sanction_kind,
            "fine_vnd": fine, "fine": format_vnd(fine) if fine else None,
            "fine_words": amount_in_words(fine) if fine else None,
            "additional": v.additional_sanctions,
            "remedial": _measures(v) or v.remedial_measures,
            "verified": v.clause.verified,
            "mitigating": _circumstance_names(v.mitigating_codes),
            "aggravating": _circumstance_names(v.aggravating_codes),
        })
    return rows


COST_VI = {"violator": "cá nhân, tổ chức vi phạm chịu mọi chi phí",
           "authority": "cơ quan thi hành tổ chức thực hiện, cá nhân, tổ chức vi phạm hoàn trả "
                        "chi phí"}


def _measures(v) -> str:
    """The remedial measures ordered for `v`, each with its time limit counted from receipt
    and who bears the cost (Law 15/2012/QH13 Art. 85), as the decision prints them."""
    return "; ".join(
        f"{m.text}, thời hạn thực hiện {m.days:02d} ngày kể từ ngày nhận được quyết định "
        f"({COST_VI.get(m.cost_bearer, m.cost_bearer)})" for m in v.measures)


def _decree_bases(case: Case) -> list[str]:
    """The sanction decrees of the case's violations, each once, as the "Căn cứ" lines name
    them: number, date, issuer, name, and the amending decrees the applied versions carry."""
    cat = legal_catalogue()
    amended: dict[str, list[str]] = {}
    for v in case.violations:
        found = amended.setdefault(v.clause.instrument_id, [])
        found += [a for a in v.clause.amended_by or () if a not in found]
    bases = []
    for inst_id, amending in amended.items():
        inst = cat.instruments[inst_id]
        text = inst.citation_vi()
        if amending:
            text += ", được sửa đổi, bổ sung bởi " + " và ".join(
                cat.instruments[a].citation_vi(with_name=False) for a in amending)
        bases.append(text)
    return bases


def _who(case: Case) -> str:
    return "ông (bà)" if case.subject_kind == SubjectKind.individual else "tổ chức"


def decision_bases(case: Case, issued_on, signer) -> list[str]:
    """The "Căn cứ" lines of the sanction decision dated `issued_on`, in the order of the
    form (docs/legal/documents.md#decision-bases): the Law (the articles the form of the
    period names, `legal.procedure.form_for`); each sanction decree with its number, date,
    issuer and the decrees amending it; the provision giving the signer's title its
    competence (when known: `legal.procedure.competence_basis`); the signer's delegation
    when there is one; the violation record; the violator's written explanation or the
    hearing's record (Law 15/2012/QH13 Art. 68(1)). Each ends with ";", the last with the
    period's mark (`legal.procedure.end_bases`: "," before 05/03/2020, "." from then)."""
    form = form_for("decision", issued_on)
    law = form.law_basis or "Căn cứ Luật Xử lý vi phạm hành chính ngày 20 tháng 6 năm 2012"
    if not form.law_basis and issued_on.year >= 2022:
        law += " (được sửa đổi, bổ sung năm 2020)"
    bases = [law]
    bases += [f"Căn cứ {b}" for b in _decree_bases(case)]
    title = getattr(signer, "competence_title", None)
    for c in competence_basis(title, [v.clause.instrument_id for v in case.violations]):
        bases.append(f"Căn cứ {c.text} quy định thẩm quyền xử phạt vi phạm hành chính của "
                     f"{titles().get(title, '')}")
    if signer is not None and signer.delegation_basis:
        bases.append(f"Căn cứ {signer.delegation_basis.rstrip(';.,')}")
    record = case.record
    if record is not None:
        bases.append(f"Căn cứ Biên bản vi phạm hành chính số {record.number} lập ngày "
                     f"{format_date_vn(record.made_on)}")
    for e in case.explanations:
        if e.kind == ExplanationKind.hearing:
            bases.append(f"Căn cứ Biên bản phiên giải trình trực tiếp số {e.number} lập ngày "
                         f"{format_date_vn(e.received_on)}")
        elif e.kind == ExplanationKind.written:
            bases.append(f"Căn cứ văn bản giải trình của {_who(case)} {case.subject_name} "
                         f"ngày {format_date_vn(e.received_on)}")
    return end_bases(bases, issued_on)


def _circumstance_names(codes) -> list[str]:
    return [f"{name(c)} ({cite(c)})" for c in codes or ()]


def decision_snapshot(case: Case, decision: Decision, signer, *, draft: bool = False) -> dict:
    """Every value the sanction decision shows, as plain JSON-able data (NFC)."""
    a = agency()
    total = case.total_fine
    number = f"……/{decision.symbol}" if draft else decision.full_number
    violations = _violations(case)
    form = form_for("decision", decision.issued_on)
    subject = subject_block(case)
    if not form.has("gender"):  # the forms before 2022 print no gender on the decision
        subject["gender"] = None
    return nfc({
        "number": number,
        "issued_on": format_date_vn(decision.issued_on),
        "date_line": date_line(a["place"], decision.issued_on),
        "agency": agency_block(),
        "bases": decision_bases(case, decision.issued_on, signer),
        "signer": signer_block(signer, decision.signer_name, decision.signer_title),
        "subject": subject,
        "form": {"code": form.code, "decree": form.decree},
        "violations": violations,
        "total_vnd": total,
        "total": format_vnd(total),
        "total_words": amount_in_words(total),
        "compliance_days": f"{decision.compliance_days:02d}",
        "treasury": a["treasury_account"],
        "treasury_account_number": a.get("treasury_account_number") or "",
        "treasury_body": a["treasury_body"],
        # Law 15/2012/QH13 Art. 78(1): 0,05 % of the unpaid amount per day late
        "late_rate": "0,05%",
        "recipients": ["Như Điều 3;", "Lưu: VT, hồ sơ vụ việc " + case.code + "."],
        "case_code": case.code,
        "unverified": sorted({v["clause_id"] for v in violations if not v["verified"]}),
        "template_version": TEMPLATE_VERSION,
    })


def render_decision(snapshot: dict, *, draft: bool = False) -> bytes:
    """The MQĐ02 sanction decision as PDF bytes."""
    return render_pdf("documents/decision.html", snapshot, draft=draft)


def draft_decision(case: Case, signer, issued_on) -> bytes:
    """A preview of the decision not yet issued, watermarked "DỰ THẢO", number left blank."""
    preview = Decision(number=0, symbol=form_for("decision", issued_on).symbol,
                       issued_on=issued_on,
                       signer_name=signer.full_name if signer else "",
                       signer_title=(signer.title if signer else "") or "", compliance_days=10)
    return render_decision(decision_snapshot(case, preview, signer, draft=True), draft=True)


SIGNATURE_WORDS = {"absent": "vắng mặt", "refused": "từ chối ký biên bản"}


def record_data(case: Case, record) -> dict:
    """Every value the violation record (MBB01) shows, for `record` — stored, or a preview
    not saved — of `case` (docs/legal/documents.md#violation-record)."""
    fields = {v.clause.field for v in case.violations}
    form = form_for("record", record.made_on)
    site = case.site
    made_time = (f"{record.made_time:%H} giờ {record.made_time:%M} phút"
                 if record.made_time else "…… giờ …… phút")
    subject = subject_block(case)
    if not form.has("gender"):  # the forms before 05/10/2017 have no gender line
        subject["gender"] = None
    return {
        "number": record.number or f"……/{form.symbol}", "agency": agency_block(),
        "form": {"code": form.code, "decree": form.decree, "features": list(form.features)},
        "date_line": date_line(agency()["place"], record.made_on),
        "made_on_words": date_line("-", record.made_on).split("ngày ", 1)[1],
        "made_time": made_time,
        "place": record.place, "place_reason": record.place_reason,
        "violation_time": record.violation_time or _violation_time(case),
        "violation_place": record.violation_place
        or (f"trên môi trường mạng, tại địa chỉ {site.domain}" if site else None),
        "field_title": " và ".join(FIELD_TITLES[f] for f in sorted(fields)),
        "decree_bases": _decree_bases(case), "subject": subject,
        "violations": _violations(case), "violator_statement": record.violator_statement,
        "made_by": {"name": record.made_by.full_name, "title": record.made_by.title},
        "signature": record.violator_signature,
        "signature_words": SIGNATURE_WORDS.get(record.violator_signature),
        "witnesses": [w.strip() for w in (record.witnesses or "").splitlines() if w.strip()],
        "signature_reason": record.signature_reason,
        "preventive": record.preventive_measures,
        "copies": f"{record.copies:02d}",
        "sheets": None,
        "explanation": explanation_lines(case, explanation_windows(record.made_on), record)
        if record.explanation_right else None,
        "waived_in_record": getattr(record, "waived_in_record", False) or any(
            e.kind == ExplanationKind.waiver and e.evidence_id is None
            and e.received_on == record.made_on for e in (case.explanations or ())),
    }


def _violation_time(case: Case) -> str:
    if case.violation_ended_on:
        return (f"từ trước ngày {format_date_vn(case.detected_on)} đến ngày "
                f"{format_date_vn(case.violation_ended_on)}")
    return f"đang thực hiện, phát hiện ngày {format_date_vn(case.detected_on)}"


def render_record(case: Case, *, record=None, draft: bool = False) -> bytes:
    """The violation record (MBB01) as PDF bytes: of `record` (a preview not saved) or the
    case's. Laid out twice: the first pass counts the sheets the record states ("gồm 02
    tờ")."""
    d = record_data(case, record if record is not None else case.record)
    d["sheets"] = f"{len(render_document('documents/record.html', d, draft=draft).pages):02d}"
    return render_pdf("documents/record.html", d, draft=draft)


def render_letter(req: CoordinationRequest) -> bytes:
    """The coordination request letter ("Số: N/STTTT-TTra") as PDF bytes."""
    case = req.case
    signer = default_signer(case)
    number = req.letter_number or "……"
    d = {
        "number": normalise_number(number, symbol("letter")),
        "agency": department_block(), "date_line": date_line(agency()["place"], req.sent_on),
        "partner_name": req.partner_name, "case_code": case.code,
        "subject_line": ("ông (bà) " if case.subject_kind == SubjectKind.individual else "tổ chức ")
        + case.subject_name,
        "site": case.site.domain if case.site else None,
        "case_description": case.description, "request_text": req.request_text,
        "response_due_on": format_date_vn(req.response_due_on),
        "signer": department_signer_block(signer),
    }
    return render_pdf("documents/letter.html", d)
